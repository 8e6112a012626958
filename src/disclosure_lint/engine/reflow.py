"""Crawled one-line text: line breaks before headings and table labels.

A web page saved by a crawler as text often holds the whole report on one
line (``…一、总体情况 2024年，…二、主动公开政府信息情况第二十条第（一）项信息
内容本年制发件数…规章000行政规范性文件6233440…``): the outline finds no
heading at a line start and the table reader no row. Such a draft is
*reflowed* before it is read: a line break goes in before each section
heading, and inside the sections that hold tables before each table label
(caption, header, column, row and group labels of the pack) and before the
digits that follow a header label; nothing else changes. The document the
rules read is the reflowed text, with a ``ReflowMap`` back to the exact
line and column of the file (``document/source.py``), so findings point
into the user's file; ``--fix`` refuses such a draft (``engine/fixes``).

Which draft is reflowed (cheap, so normal drafts keep their speed): only
lines of at least ``MIN_LINE`` characters are looked at; a draft is looked
at further only when one of them holds ``MIN_DIGITS`` digits in a row (a
table row run together) and a numbered section heading or such digits
after a character that is no ASCII (``_hinted``, on raw text); it is
reflowed only when a long line then has a section heading inside it (not
at its start) or ``MIN_ADJACENT`` table labels written one right after
another (``本年制发件数本年废止件数``), which prose never does.

The vocabulary is the pack's (section headings, table labels): rules are
data. A row label breaks the line only where a table row can start: after
digits (the previous row's values), after another label or heading, or
after blanks, so a label named in a sentence (``制发行政规范性文件62件``)
stays in its sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from itertools import compress
from typing import Any

from ..document.fold import fold, fold_text
from ..document.source import ReflowMap
from ..document.text import Document
from ..memo import per_object
from ..tables.compile import compiled_tables
from ..tables.equations import Equation, parse_equation
from ..tables.schema import CompiledTables
from ..tables.split import equations_for, split_table
from ..tables.table import Table

#: Lines shorter than this are never reflowed (a paragraph or a table row).
MIN_LINE = 120
#: Digits in a row that make a line worth a closer look (table 三 has 7 cells).
MIN_DIGITS = 7
# A table row's digits run together (searched for first: it is cheap).
# NOTE: regex texts, compiled on first use (re caches them), not at import:
# the start-up of a plain check imports this module. One digit then the
# rest (not ``[0-9]{7}``): re skips to a digit in C, twice as fast.
_RUN = f"[0-9][0-9]{{{MIN_DIGITS - 1}}}"
#: Labels written back to back, on long lines, that make a draft "crawled".
MIN_ADJACENT = 3
# Numbering in front of a folded label: its separator may be 、 . or ,.
_NUMBERED = r"^(\d{1,2}|[一二三四五六七八九十]{1,3})[.、,]"
# A trailing parenthetical of a label (``（区分处理的，…）``), which may vary.
_TRAILER = r"\([^()]*\)$"
# Blanks and markdown heading marks before a heading at a line start.
_MARKUP = " \t\u3000#"
# What may come before a table label that starts a row or a header cell.
_ROW_BEFORE = r"[\d\s.%)）。；;:：]"

_Vocab = tuple[re.Pattern[str], dict[str, str], frozenset[str]]


def reflow(doc: Document, pack: Any, headings_missing: bool = False) -> Document:
    """``doc`` reflowed when it is a crawled one-line text, else ``doc`` itself.

    ``headings_missing``: the outline of ``doc`` lacks section headings, so
    a crawled page whose cells kept their blanks (no digits run together)
    is looked for too.
    """
    if doc.form != "text" or doc.source is not None or pack is None:
        return doc
    run = re.compile(_RUN).search
    lines, starts = doc.split_lines()  # NOTE: the outline needs them too
    if not headings_missing and not _long_run(lines):
        return doc
    # NOTE: every step up to the hint runs in C (most drafts stop there):
    # the long lines, then those with the digits of a table in them.
    lengths = list(map(len, lines))
    if max(lengths, default=0) < MIN_LINE:
        return doc
    long_lines = list(compress(range(len(lines)), map(MIN_LINE.__le__, lengths)))
    runs = long_lines if headings_missing else [i for i in long_lines if run(lines[i])]
    if not runs:
        return doc
    heading = _hint_heading(pack)
    if not any(_hinted(lines[i], heading) for i in runs):
        return doc
    pattern, kinds, table_sections = _vocabulary(pack)
    found = [(i, _matches(pattern, lines[i], starts[i])) for i in long_lines]
    if not any(_crawled(matches, kinds, doc.text) for _, matches in found):
        return doc
    # NOTE: once a draft is crawled, a shorter line is reflowed too when it
    # is laid out the same way (labels back to back, or a label running into
    # digits: a one-line table); a heading on a line of its own still says
    # which section the lines after it are in.
    found_at = dict(found)
    merged: list[tuple[int, list[_Match]]] = []
    long_set = set(long_lines)
    for i, line in enumerate(lines):
        matches = found_at.get(i)
        if matches is None:
            matches = _matches(pattern, line, starts[i])
            if _run_in(matches, kinds, doc.text):
                long_set.add(i)
            else:
                matches = _headings(matches, kinds, doc.text)
        merged.append((i, matches))
    breaks = _breaks(doc.text, merged, kinds, table_sections, long_set)
    breaks = sorted({*breaks, *_title_end(doc.text, lines, starts, long_set, pack)})
    if not breaks:
        return doc
    return _rendered(doc, starts, breaks)


def _long_run(lines: list[str]) -> bool:
    """Whether a line of at least ``MIN_LINE`` characters has digits run together.

    NOTE: one scan of the long lines' text in C settles most drafts: with
    no digits run together in any of them, none can be reflowed (the
    digit-dense table cells, on short lines, are not even scanned).
    """
    long_text = "\n".join([line for line in lines if len(line) >= MIN_LINE])
    return re.compile(_RUN).search(long_text) is not None


def _vocabulary(pack: Any) -> _Vocab:
    return per_object(pack, _build_vocabulary)


def _build_vocabulary(pack: Any) -> _Vocab:
    """The pack's headings and table labels as one folded alternation.

    ``kinds`` maps each folded alternative to ``heading:<section>``,
    ``head:<section>`` (caption, header, column) or ``row:<section>``.
    """
    kinds: dict[str, str] = {}
    document: Mapping[str, Any] = pack.document or {}
    for section in document.get("sections", []):
        numeral = str(section.get("numeral", ""))
        for text in [section.get("heading", ""), *section.get("aliases", [])]:
            if numeral and text:
                for sep in ("、", ".", ","):
                    kinds[fold_text(f"{numeral}{sep}{text}")] = (
                        f"heading:{section['key']}"
                    )
    compiled: CompiledTables = compiled_tables(pack)
    for schema in compiled.schemas:
        where = schema.section
        heads = [schema.caption or "", schema.title, *schema.header]
        for column in schema.columns:
            heads += [column.label, *column.aliases]
        for text in heads:
            _add(kinds, text, f"head:{where}")
        for row in schema.rows:
            for text in [row.label or "", *row.aliases]:
                _add(kinds, text, f"row:{where}")
    alternatives = sorted(kinds, key=len, reverse=True)
    pattern = re.compile("|".join(map(re.escape, alternatives)))
    sections = frozenset(s.section for s in compiled.schemas)
    vocab = (pattern, kinds, sections)
    return vocab


# A run of digits (as long as it goes) that may follow a character no ASCII.
_LONG_RUN = f"[0-9][0-9]{{{MIN_DIGITS - 1},}}"


def _hinted(line: str, heading: re.Pattern[str]) -> bool:
    r"""Whether ``line`` (from offset 1) has a heading or a table row's digits.

    The ``heading`` (``_hint_heading``), or at least ``MIN_DIGITS`` digits
    right after a character no ASCII. NOTE: searched apart: one alternation
    of the two (``heading|[^\x00-\x7f][0-9]{7,}``) tried the second at every
    Chinese character, five times slower than the heading (``re`` skips to
    a numeral in C) then each run of digits long enough.
    """
    if heading.search(line, 1) is not None:
        return True
    for run in re.compile(_LONG_RUN).finditer(line, 1):
        at = run.start()
        if at >= 2 and line[at - 1] > "\x7f":
            return True
    return False


def _hint_heading(pack: Any) -> re.Pattern[str]:
    return per_object(pack, _build_hint_heading)


def _build_hint_heading(pack: Any) -> re.Pattern[str]:
    """A cheap test on raw text: a numbered heading (``_hinted``).

    A crawled line has a section heading inside it or a table row's digits
    run together (``…申请数量21710000218``); a line without either is not
    looked at further (no folding, no search for every label).
    """
    document: Mapping[str, Any] = pack.document or {}
    numerals: set[str] = set()
    texts: set[str] = set()
    for section in document.get("sections", []):
        numerals.add(str(section.get("numeral", "")))
        for text in [section.get("heading", ""), *section.get("aliases", [])]:
            if text:
                texts.add(str(text)[:2])
    numerals.discard("")
    heading = (
        f"(?:{'|'.join(map(re.escape, sorted(numerals)))})[、.．,，][ \t]?"
        f"(?:{'|'.join(map(re.escape, sorted(texts)))})"
        if numerals and texts
        else "(?!)"
    )
    hint = re.compile(heading)
    return hint


def _add(kinds: dict[str, str], text: str, kind: str) -> None:
    """Add a label, its numbering written 、 . or , and without its trailer."""
    folded = fold_text(text)
    if not folded:
        return
    variants = {folded}
    trimmed = re.sub(_TRAILER, "", folded)
    if len(trimmed) >= 4:
        variants.add(trimmed)
    for variant in list(variants):
        numbered = re.match(_NUMBERED, variant)
        if numbered is not None:
            rest = variant[numbered.end() :]
            variants.update(f"{numbered.group(1)}{sep}{rest}" for sep in "、.,")
    for variant in variants:
        known = kinds.get(variant)
        if known is None:
            kinds[variant] = kind
        elif known.startswith(kind.partition(":")[0]) and kind not in known:
            kinds[variant] = f"{known},{kind.partition(':')[2]}"


# A match: folded alternative, start and end offsets in the document.
_Match = tuple[str, int, int]


def _matches(pattern: re.Pattern[str], line: str, base: int) -> list[_Match]:
    folded = fold(line, base)
    offsets = folded.offsets
    return [
        (m.group(), offsets[m.start()], offsets[m.end() - 1] + 1)
        for m in pattern.finditer(folded.text)
    ]


def _crawled(matches: list[_Match], kinds: Mapping[str, str], text: str) -> bool:
    """A heading inside the line, or labels written back to back."""
    adjacent = 0
    for i, (folded, start, end) in enumerate(matches):
        if kinds[folded].startswith("heading:") and text[start - 1 : start] not in (
            "",
            "\n",
        ):
            return True
        if i + 1 < len(matches) and matches[i + 1][1] == end:
            adjacent += 1
    return adjacent >= MIN_ADJACENT


def _breaks(
    text: str,
    found: Iterable[tuple[int, list[_Match]]],
    kinds: Mapping[str, str],
    table_sections: frozenset[str],
    long_lines: set[int],
) -> list[int]:
    """Offsets before which a line break goes in, in increasing order.

    Only the ``long_lines`` get breaks; the headings of the others only
    say which section the text after them is in.
    """
    row_before = re.compile(_ROW_BEFORE).match
    breaks: list[int] = []
    section = ""
    for line, matches in found:
        last_end = -1
        for folded, start, end in matches:
            kind, _, where = kinds[folded].partition(":")
            if line not in long_lines:
                section = where
                continue
            if kind == "heading":
                section = where
                breaks += (start, _after_blanks(text, end))
                last_end = end
                continue
            if section not in where.split(",") or section not in table_sections:
                continue
            before = text[start - 1] if start > 0 else "\n"
            if start == last_end or before == "\n" or row_before(before):
                breaks.append(start)
                last_end = end
                values = _after_blanks(text, end)
                if values < len(text) and text[values].isdigit():
                    breaks.append(values)  # NOTE: a label runs into its values
    return sorted({b for b in breaks if 0 < b < len(text) and text[b - 1] != "\n"})


#: How far into the first line a title glued to the text after it may end.
MAX_TITLE = 80


def _title_end(
    text: str, lines: list[str], starts: list[int], long_lines: set[int], pack: Any
) -> list[int]:
    """A break after the title when the first line runs on into the text.

    The title (pack ``document.title``) is the first line's text up to the
    first ``ending`` (``…年度报告``) within ``MAX_TITLE`` characters that
    holds the ``keyword``; a line that is not reflowed keeps its title.
    """
    title = (pack.document or {}).get("title") or {}
    ending, keyword = str(title.get("ending", "")), str(title.get("keyword", ""))
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or first not in long_lines or not ending:
        return []
    at = lines[first].find(ending, 0, MAX_TITLE)
    if at < 0 or keyword not in lines[first][: at + len(ending)]:
        return []
    end = _after_blanks(text, starts[first] + at + len(ending))
    return [end] if end < starts[first] + len(lines[first]) else []


def _run_in(matches: list[_Match], kinds: Mapping[str, str], text: str) -> bool:
    """Two labels back to back, or a table label running into digits."""
    for i, (folded, _, end) in enumerate(matches):
        if i + 1 < len(matches) and matches[i + 1][1] == end:
            return True
        if not kinds[folded].startswith("heading:") and text[end : end + 1].isdigit():
            return True
    return False


def _headings(
    matches: list[_Match], kinds: Mapping[str, str], text: str
) -> list[_Match]:
    """The section heading that starts a line (after markup), if any."""
    if not matches or not kinds[matches[0][0]].startswith("heading:"):
        return []
    start = matches[0][1]
    line_start = text.rfind("\n", 0, start) + 1
    return [matches[0]] if not text[line_start:start].strip(_MARKUP) else []


def _after_blanks(text: str, end: int) -> int:
    """Where the text after a heading starts (blanks stay on its line)."""
    while end < len(text) and text[end] in " \t\u3000\u00a0":
        end += 1
    return end


def _rendered(doc: Document, starts: list[int], breaks: list[int]) -> Document:
    """The text with a line break before each offset in ``breaks``."""
    text = doc.text
    source = ReflowMap(starts, len(breaks))
    parts: list[str] = []
    cursor = 0
    rendered = 0
    for at in breaks:
        source.add(rendered, cursor)
        parts.append(text[cursor:at])
        rendered += at - cursor
        # NOTE: blanks before the break would end the line; they stay in
        # the text (nothing but the break is added).
        parts.append("\n")
        rendered += 1
        cursor = at
    source.add(rendered, cursor)
    parts.append(text[cursor:])
    # NOTE: for rule FM107 (kind source-facts): how many breaks, the first.
    source.facts["reflowed"] = (len(breaks), breaks[0] + 1 if breaks else 0)
    return Document(
        doc.path, "".join(parts), doc.encoding, doc.bom, None, "text", source
    )


def split_run_together(tables: list[Table], text: str, pack: Any) -> None:
    """Split the digits run together in the tables of a reflowed draft.

    NOTE: a crawled page lost its cell borders, so digits run together are
    the crawler's doing, not the drafter's (rule TB008 is for a draft whose
    own cells are run together): they are split by the table's equations,
    which come from the pack's ``balance`` rules (``tables.split``).
    """
    balance = _balance(pack)
    for table in tables:
        rows, columns = equations_for(table.key, balance)
        split_table(table, text, rows, columns)


def _balance(pack: Any) -> list[tuple[str, str, list[Equation]]]:
    return per_object(pack, _build_balance)


def _build_balance(pack: Any) -> list[tuple[str, str, list[Equation]]]:
    """(table, for_each, equations) of each ``balance`` rule of ``pack``."""
    found = [
        (
            str(rule.params["table"]),
            str(rule.params["for_each"]),
            [parse_equation(str(e)) for e in rule.params["equations"]],
        )
        for rule in pack.rules
        if rule.kind == "balance"
    ]
    return found

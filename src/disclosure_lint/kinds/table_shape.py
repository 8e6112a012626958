"""Kind ``table-shape``: tables, rows and columns present; rows readable.

Params:
    check: one of
        ``table-missing``   a table of the edition is not in the draft
                            (reported at its section heading);
        ``row-missing``     a data row of a table that is there is absent
                            (reported at the next row found);
        ``column-missing``  a column header is absent (reported at the next
                            column header found);
        ``value-count``     a row has more or fewer values than columns
                            (``problem``: ``too-many`` or ``too-few``);
        ``run-together``    a row's digits are written without separators
                            (``problem``: ``run-together`` when each digit is
                            one cell, ``unsplittable`` when that is unclear);
        ``split``           digits run together in a crawled draft, split
                            by the table's equations (``values``: the
                            numbers, ``、``-separated; ``tables.split``);
        ``unsplit``         such digits that no cut, or several, fit
                            (``splits``: how many fit; ``why``: ``none``,
                            ``several`` or ``many``, too many to try);
        ``group-values``    numbers written on a group row (``（三）不予公开``),
                            which carries none;
        ``numbering``       row labels numbered in another style than the
                            official form's (``1、`` for ``1.``): one finding
                            per table, at the first (``count``, ``text``,
                            ``found``, ``expected``);
        ``caption-blank``   a blank inside a table caption the official
                            form writes without one (``第二十条 第（一）项``):
                            one finding for the draft, at the first
                            (``text``, ``count`` captions, ``others``:
                            the count less one);
        ``skipped``         the table cannot be read cell by cell
                            (``Table.skipped``, e.g. ``unaligned``: its rows
                            cannot be aligned with its columns); one finding
                            where it starts. The other checks leave such a
                            table alone.
    tables: table keys to check (default: every table of the edition).

Message arguments: ``table`` (title), ``row`` (official row label),
``column``, ``found``, ``expected``, ``problem``, ``text``; for
``value-count``, ``found`` counts the row's cells, ``filled`` those with a
value and ``empty`` the empty ones; for ``skipped``, ``reason`` (the key)
and ``rows`` (how many rows could not be aligned).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..document.fold import fold, fold_text
from ..document.text import Span
from ..tables.compile import compiled_tables
from ..tables.table import Row, Table
from .base import Hit, KindSpec, Param
from .report import Report
from .table_support import SHAPE_CHECKS, section_anchor, table_anchor, table_walk

if TYPE_CHECKING:
    from ..packs.model import Rule

CHECKS = SHAPE_CHECKS
PARAMS = {
    "check": Param("str", required=True, help=", ".join(CHECKS)),
    "tables": Param("list", default=[], help="table keys (default: all)"),
}


def prepare(params: Mapping[str, Any]) -> str:
    """Validate ``check``."""
    if params["check"] not in CHECKS:
        raise ValueError(f"check must be one of {', '.join(CHECKS)}")
    return str(params["check"])


def check(report: Report, rule: Rule, which: str) -> Iterator[Hit]:
    """Dispatch to the named check for every selected table that can break it."""
    shape = table_walk(report)
    wanted = rule.params["tables"]
    if which == "caption-blank":
        captioned = shape.candidates[which]
        if wanted:
            captioned = [table for table in captioned if table.key in wanted]
        yield from _caption_blanks(report, captioned)
        return
    if which == "skipped":
        for table in shape.skipped:
            if not wanted or table.key in wanted:
                yield _skipped(report, table)
        return
    if which == "table-missing":
        for table in shape.candidates[which]:
            if not wanted or table.key in wanted:
                span = section_anchor(report, table.schema.section)
                yield Hit(span, {"table": table.schema.title})
        return
    run = _CHECKS[which]
    for table in shape.candidates[which]:
        if not wanted or table.key in wanted:
            yield from run(report, table)


def _skipped(report: Report, table: Table) -> Hit:
    rows = sum(1 for row in table.rows.values() if row.uncertain)
    return Hit(
        table_anchor(report, table),
        {"table": table.schema.title, "reason": table.skipped, "rows": rows},
    )


def _rows_missing(report: Report, table: Table) -> Iterator[Hit]:
    specs = table.schema.data_rows
    for i, spec in enumerate(specs):
        if spec.key in table.rows:
            continue
        later = [table.rows[s.key] for s in specs[i + 1 :] if s.key in table.rows]
        earlier = [table.rows[s.key] for s in specs[:i] if s.key in table.rows]
        if later:
            span = later[0].anchor
        elif earlier:
            span = earlier[-1].anchor
        else:
            span = table_anchor(report, table)
        yield Hit(
            span,
            {
                "table": table.schema.title,
                "row": spec.label or table.schema.title,
                "key": spec.key,
            },
        )


def _columns_missing(report: Report, table: Table) -> Iterator[Hit]:
    if table.header_unread:
        # NOTE: every row read in full under a header split or run together
        # (PDF text): the labels are there, torn by the layout.
        return
    columns = table.schema.columns
    if not any(table.columns.values()):
        # NOTE: no header at all is one problem, not one per column.
        names = "、".join(c.label for c in columns)
        yield Hit(
            table_anchor(report, table),
            {"table": table.schema.title, "column": names, "key": ""},
        )
        return
    for i, spec in enumerate(columns):
        if table.columns.get(spec.key):
            continue
        later = [
            table.columns[c.key][0]
            for c in columns[i + 1 :]
            if table.columns.get(c.key)
        ]
        earlier = [
            table.columns[c.key][0] for c in columns[:i] if table.columns.get(c.key)
        ]
        span = (later[0] if later else earlier[-1]).span
        yield Hit(
            span, {"table": table.schema.title, "column": spec.name, "key": spec.key}
        )


def _value_count(report: Report, table: Table) -> Iterator[Hit]:
    width = len(table.schema.columns)
    for row in table.rows.values():
        if row.problem not in ("too-many", "too-few"):
            continue
        span = row.anchor
        if row.problem == "too-many" and row.problem_span is not None:
            span = row.problem_span
        yield Hit(
            span,
            {
                "table": table.schema.title,
                "row": table.row_label(row.spec.key),
                "found": row.values,
                "filled": row.filled,
                "empty": row.values - row.filled,
                "expected": width,
                "problem": row.problem,
            },
        )


def _run_together(report: Report, table: Table) -> Iterator[Hit]:
    for row in table.rows.values():
        if row.problem in ("run-together", "unsplittable") and row.problem_span:
            yield _row_hit(report, table, row)


# Why a row was not split (``why``), by the sign of ``Row.splits``.
_WHY = {-1: "many", 0: "none", 1: "several"}


def _split(report: Report, table: Table) -> Iterator[Hit]:
    # NOTE: one finding per draft, at the first split row of its first table
    # with one: every row was split for one cause (the page lost its cell
    # borders), and each split can be seen with `extract --format table`.
    split = table_walk(report).split
    if not split or split[0][0] is not table:
        return
    # the message shows the longest run as its example
    shown = max(split, key=lambda pair: _length(pair[1].problem_span))
    tables = len({id(t) for t, _ in split})
    args = {**_row_hit(report, *shown).args, "count": len(split), "tables": tables}
    yield Hit(_row_hit(report, *split[0]).span, {**args, "several": len(split) > 1})


def _length(span: Span | None) -> int:
    return 0 if span is None else span.end - span.start


def _unsplit(report: Report, table: Table) -> Iterator[Hit]:
    for row in table.rows.values():
        if row.problem == "unsplit" and row.problem_span:
            yield _row_hit(report, table, row)


def _row_hit(report: Report, table: Table, row: Row) -> Hit:
    """A hit on a row whose digits run together, at those digits."""
    span = row.problem_span or row.anchor
    split = row.problem == "split"
    return Hit(
        span,
        {
            "table": table.schema.title,
            "row": table.row_label(row.spec.key),
            "text": report.document.text[span.start : span.end],
            "expected": len(table.schema.columns),
            "values": "、".join(str(c.value) for c in row.cells.values())
            if split
            else "",
            "splits": row.splits,
            "why": _WHY[(row.splits > 0) - (row.splits < 0)],
            "problem": row.problem,
        },
    )


def _group_values(report: Report, table: Table) -> Iterator[Hit]:
    for group in table.group_values:
        yield Hit(
            group.span,
            {
                "table": table.schema.title,
                "row": group.label.official,
                "text": group.text,
            },
        )


def _numbering(report: Report, table: Table) -> Iterator[Hit]:
    odd: list[tuple[Span, str, str, str]] = []
    numbering = compiled_tables(report.pack).reader.numbering
    for hit in table.labels:
        if hit.quality != "loose" or hit.kind not in ("row", "group"):
            continue  # NOTE: an exact label has the official numbering
        mine = fold(hit.text, hit.start)
        found = numbering.match(mine.text)
        expected = numbering.match(fold_text(hit.official))
        if found is None or expected is None:
            continue
        if found.group(0) != expected.group(0):
            start, end = mine.original_span(0, found.end())
            text = report.document.text[start:end]
            official = hit.official[: len(expected.group(0))]
            odd.append((Span(start, end), text, official, hit.text))
    if odd:
        span, found_text, official, label = odd[0]
        yield Hit(
            span,
            {
                "table": table.schema.title,
                "count": len(odd),
                "found": found_text,
                "expected": official,
                "text": label,
            },
        )


def _caption_blanks(report: Report, tables: list[Table]) -> Iterator[Hit]:
    """One finding for the draft: captions are written alike, one cause."""
    found: list[tuple[Span, Table, str]] = []
    for table in tables:
        for hit in table.labels:
            if hit.kind != "caption" or hit.text == hit.official:
                continue
            blank = _BLANK_INSIDE.search(hit.text)
            if blank is not None and " " not in hit.official:
                span = Span(hit.start + blank.start(), hit.start + blank.end())
                found.append((span, table, hit.text))
    if found:
        span, table, text = min(found, key=lambda item: item[0].start)
        yield Hit(
            span,
            {
                "table": table.schema.title,
                "text": text,
                "count": len(found),
                "others": len(found) - 1,
            },
        )


_CHECKS = {
    "row-missing": _rows_missing,
    "column-missing": _columns_missing,
    "value-count": _value_count,
    "run-together": _run_together,
    "split": _split,
    "unsplit": _unsplit,
    "group-values": _group_values,
    "numbering": _numbering,
}
# A run of blanks between two other characters.
_BLANK_INSIDE = re.compile(r"(?<=\S)[ \u3000]+(?=\S)")

KIND = KindSpec("table-shape", PARAMS, check, prepare, __doc__ or "")

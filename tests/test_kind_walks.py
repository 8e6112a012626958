"""The table kinds' per-draft walks give exactly what a walk per rule gives.

Issue 11 (engine throughput): the ``table-shape`` checks pick once per draft
the tables that can break each of them (``_Shape``), the ``cell-value``
checks the tables holding a cell they can flag (``_checked``), and the
``amount-unit`` checks the amount cells with their unit (``_amounts``); the
``near-miss`` checks skip tables without a fuzzy label and drafts without a
variant heading, and ``caption-blank`` looks only at labels not written
exactly; ``section-text`` reads the rule's sections at prepare time and
tests a body for text without copying it.
Each rule of those kinds is compared here with the way it was written
before (every rule walking every table, kept below as the reference): the
same hits, in the same order, with the same arguments, on the seeds, the
examples, the real reports, corpus drafts and every rule's YAML examples,
for the rules as shipped and for rules naming one or two tables.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure_lint.document.fold import fold_text
from disclosure_lint.document.text import Span
from disclosure_lint.engine.lint import build_report
from disclosure_lint.inputs.errors import LoadError
from disclosure_lint.inputs.load import document_from_bytes
from disclosure_lint.kinds import (
    KINDS,
    amount_unit,
    cell_value,
    near_miss,
    section_text,
    table_shape,
)
from disclosure_lint.kinds.base import FixSpec, Hit
from disclosure_lint.kinds.report import LintOptions, Report
from disclosure_lint.kinds.table_support import section_anchor, tables_of
from disclosure_lint.packs.load import load_packset
from disclosure_lint.tables.compile import compiled_tables
from disclosure_lint.tables.labels import minimal_fix, osa_distance
from disclosure_lint.tables.table import NUMBER, Table

from .conftest import benchmark_corpus

ROOT = Path(__file__).resolve().parent.parent
PACKSET = load_packset(use_cache=False)


# --- the reference: each rule walks every table (as before issue 11) -------


def _table_shape(report: Report, rule: Any, which: str) -> Iterator[Hit]:
    if which == "caption-blank":
        yield from _caption_blanks(report, tables_of(report, rule.params["tables"]))
        return
    if which == "skipped":
        for table in tables_of(report, rule.params["tables"], skipped=True):
            if table.skipped:
                yield table_shape._skipped(report, table)
        return
    for table in tables_of(report, rule.params["tables"]):
        if which == "table-missing":
            if not table.found:
                span = section_anchor(report, table.schema.section)
                yield Hit(span, {"table": table.schema.title})
        elif table.found:
            run = _split if which == "split" else table_shape._CHECKS[which]
            yield from run(report, table)


def _caption_blanks(report: Report, tables: list[Table]) -> Iterator[Hit]:
    found: list[tuple[Span, Table, str]] = []
    for table in tables:
        for hit in table.labels:
            if hit.kind != "caption" or hit.text == hit.official:
                continue
            blank = table_shape._BLANK_INSIDE.search(hit.text)
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


def _split(report: Report, table: Table) -> Iterator[Hit]:
    split = [
        (t, row)
        for t in report.tables
        for row in t.rows.values()
        if row.problem == "split" and row.problem_span
    ]
    if not split or split[0][0] is not table:
        return
    shown = max(split, key=lambda pair: table_shape._length(pair[1].problem_span))
    tables = len({id(t) for t, _ in split})
    row_hit = table_shape._row_hit
    args = {**row_hit(report, *shown).args, "count": len(split), "tables": tables}
    yield Hit(row_hit(report, *split[0]).span, {**args, "several": len(split) > 1})


def _cell_value(
    report: Report, rule: Any, prepared: tuple[str, frozenset[str]]
) -> Iterator[Hit]:
    which, types = prepared
    for table in tables_of(report, rule.params["tables"]):
        if not table.found:
            continue
        columns = table.schema.columns_of(types)
        if which == "blank":
            yield from cell_value._blank(report, table, columns)
            continue
        for row in table.irregular_rows():
            if row.uncertain:
                continue
            for key in columns:
                cell = row.cells.get(key)
                if cell is not None and cell_value._offends(which, cell):
                    yield Hit(cell.span, cell_value._args(table, row, cell))


def _amount_unit(report: Report, rule: Any, which: str) -> Iterator[Hit]:
    units: Mapping[str, Mapping[str, Any]] = rule.params["units"]
    for table in tables_of(report, rule.params["tables"]):
        amounts = table.schema.columns_of(frozenset({"amount"}))
        if not amounts:
            continue
        for row in table.rows.values():
            if row.uncertain:
                continue
            for key in amounts:
                cell = row.cells.get(key)
                if cell is None or cell.status != NUMBER or cell.value is None:
                    continue
                args = amount_unit._args(table, row.spec.key, cell)
                if which == "missing":
                    if not args["unit"] and cell.value != 0:
                        yield Hit(cell.span, args)
                elif which == "in-cell":
                    if cell.unit:
                        yield Hit(cell.span, args)
                else:
                    broken = amount_unit._broken_limit(cell, args["unit"], units)
                    if broken:
                        kind, bound = broken
                        yield Hit(cell.span, args | {"limit": kind, "bound": bound})


def _near_miss(report: Report, rule: Any, target: str) -> Iterator[Hit]:
    safe = bool(rule.params["safe"])
    if target == "table-labels":
        for table in report.tables:
            if table.skipped:
                continue
            for hit in table.labels:
                if hit.quality != "fuzzy" or hit.fix is None:
                    continue
                span, replacement = hit.fix
                yield Hit(
                    hit.span,
                    {"text": hit.text, "official": hit.official},
                    FixSpec(span, replacement, safe),
                )
        return
    yield from _headings(report, safe)


def _headings(report: Report, safe: bool) -> Iterator[Hit]:
    spec = report.pack.document
    patterns = [str(p) for p in spec.get("heading_patterns") or []]
    if spec.get("heading_pattern"):
        patterns.append(str(spec["heading_pattern"]))
    regexes = [near_miss._regex(p) for p in patterns]
    near = near_miss._DEFAULT_NEAR
    if report.pack.tables:
        near = compiled_tables(report.pack).reader.near_miss
    official = {
        str(s["key"]): [str(s["heading"]), *(str(a) for a in s.get("aliases") or [])]
        for s in spec.get("sections") or []
    }
    for section in report.outline.sections:
        if not section.variant:
            continue
        match = next((m for r in regexes if (m := r.match(section.heading))), None)
        if match is None:
            continue
        text = near_miss._TRAILING.sub("", match.group("text").rstrip())
        folded = fold_text(text)
        best: tuple[int, str] | None = None
        for candidate in official.get(section.key, []):
            target = fold_text(candidate)
            if target == folded:
                best = None
                break
            limit = near.limit(len(target))
            distance = osa_distance(folded, target, limit)
            if 0 < distance <= limit and (best is None or distance < best[0]):
                best = (distance, candidate)
        if best is None:
            continue
        start = section.span.start + match.start("text")
        fix_start, fix_end, replacement = minimal_fix(
            text, start, best[1], near_miss._NO_NUMBERING
        )
        yield Hit(
            Span(start, start + len(text)),
            {"text": text, "official": best[1]},
            FixSpec(Span(fix_start, fix_end), replacement, safe),
        )


def _section_text(report: Report, rule: Any, prepared: Any) -> Iterator[Hit]:
    patterns = prepared.patterns
    text = report.document.text
    mode = rule.params["require"]
    wanted = {str(k) for k in rule.params["sections"]}
    seen: set[str] = set()
    for section in report.outline.sections:
        if section.key not in wanted or section.key in seen:
            continue
        seen.add(section.key)
        body = text[section.body.start : section.body.end]
        if mode == "nonempty":
            missing = [] if body.strip() else ["text"]
        else:
            missing = [label for regex, label in patterns if not regex.search(body)]
            if mode == "any" and len(missing) < len(patterns):
                missing = []
        if missing:
            yield Hit(
                section.span,
                {"heading": section.heading, "missing": "、".join(missing)},
            )


REFERENCE = {
    "table-shape": _table_shape,
    "cell-value": _cell_value,
    "amount-unit": _amount_unit,
    "near-miss": _near_miss,
    "section-text": _section_text,
}
KINDS_WALKED = tuple(REFERENCE)


# --- the comparison ----------------------------------------------------------


def _variants(report: Report, rule: Any) -> list[Any]:
    """``rule`` as shipped, and naming its first table, and its last two."""
    keys = [t.key for t in report.tables]
    if not keys or "tables" not in rule.params:
        return [rule]
    variants = [rule]
    for chosen in (keys[:1], keys[-2:]):
        variant = copy.copy(rule)
        variant.params = {**rule.params, "tables": chosen}
        variants.append(variant)
    return variants


def _same_hits(report: Report) -> int:
    """Every walked rule of the report's pack: the hits of the reference."""
    count = 0
    for rule in report.pack.rules:
        if rule.kind not in KINDS_WALKED:
            continue
        kind = KINDS[rule.kind]
        prepared = kind.prepare(rule.params)
        for variant in _variants(report, rule):
            got = [
                (h.span, h.args, h.fix) for h in kind.check(report, variant, prepared)
            ]
            expected = [
                (h.span, h.args, h.fix)
                for h in REFERENCE[rule.kind](report, variant, prepared)
            ]
            assert got == expected, (rule.id, variant.params["tables"])
            count += len(expected)
    return count


def _report(name: str, data: bytes, year: int | None = None) -> Report | None:
    try:
        doc = document_from_bytes(name, data)
    except LoadError:
        return None
    return build_report(doc, PACKSET, LintOptions(year=year))


def _files() -> list[Path]:
    seeds = sorted((ROOT.parent / "shared" / "seeds").glob("*"))
    examples = sorted(p for p in (ROOT / "examples").iterdir() if p.is_file())
    real = sorted((ROOT.parent / "shared" / "real").glob("*.*"))
    return [p for p in seeds + examples + real if p.is_file() and p.name != "README.md"]


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_table_kinds_find_what_a_walk_per_rule_finds(path: Path) -> None:
    report = _report(path.name, path.read_bytes())
    if report is not None:
        _same_hits(report)


def test_table_kinds_on_corpus_drafts_find_what_a_walk_per_rule_finds() -> None:
    corpus = benchmark_corpus()
    hits = 0
    for index in range(80):
        made = corpus.make_draft(index, 1)
        report = _report(made.name, made.data)
        assert report is not None
        hits += _same_hits(report)
    assert hits > 0  # NOTE: the sample holds findings of these kinds.


def test_table_kinds_on_rule_examples_find_what_a_walk_per_rule_finds() -> None:
    """The YAML examples hold every problem these checks report."""
    hits = 0
    for rule in PACKSET.all_rules():
        for example in rule.examples:
            text = str(example.get("text", ""))
            year = example.get("year")
            report = _report("t.txt", text.encode(), int(year) if year else None)
            if report is not None:
                hits += _same_hits(report)
    assert hits > 50


BLANKS = "".join(chr(c) for c in range(0x3100) if chr(c).isspace())


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(BLANKS) | st.characters()),
    st.integers(0, 40),
    st.integers(0, 40),
)
def test_a_body_is_blank_exactly_when_strip_leaves_nothing(
    text: str, start: int, end: int
) -> None:
    """``section-text`` ``nonempty``: ``\\S`` found exactly where strip keeps."""
    blank = section_text._NONBLANK.search(text, start, end) is None
    assert blank == (not text[start:end].strip())

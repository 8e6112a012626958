"""Run compiled rules over a report and turn hits into findings.

The engine never prints and never reads configuration files: it is given a
``PackSet``, ``LintOptions`` and a ``RuleFilter`` and returns findings.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Final

from ..document.findings import Finding, Fix, Severity
from ..document.source import ReflowMap
from ..document.text import Document, Record, Span
from ..inputs.errors import LoadError
from ..inputs.load import document_from_bytes, load_document
from ..kinds import KINDS, PAIR_KINDS, KindSpec
from ..kinds.format_scope import format_kinds, format_start
from ..kinds.report import LintOptions, Report
from ..outline.outline import build_outline
from ..packs.load import load_packset
from ..packs.messages import render
from ..packs.model import Pack, PackSet, Rule
from ..tables.reader import read_tables
from ..tables.schema import TableSchemaError
from .front import front_matter
from .reflow import reflow, split_run_together

if TYPE_CHECKING:
    from ..document.grids import TableGrid
    from .pairs import Digest


class EditionError(Exception):
    """No pack implements the requested edition."""


class RuleFilter(Record):
    """select / ignore by rule id, id prefix, name or category; severities."""

    __match_args__ = ("select", "ignore", "severity")
    __slots__ = __match_args__

    def __init__(
        self,
        select: tuple[str, ...] = (),
        ignore: tuple[str, ...] = (),
        severity: Mapping[str, str] | None = None,
    ) -> None:
        """A filter; by default every rule at its own severity."""
        self.select: Final = select
        self.ignore: Final = ignore
        self.severity: Final[Mapping[str, str]] = {} if severity is None else severity

    @staticmethod
    def _matches(rule: Rule, token: str) -> bool:
        token = token.strip()
        return (
            token.upper() == "ALL"
            or rule.id.startswith(token.upper())
            or token in rule.aliases
            or token == rule.name
            or token == rule.category.value
        )

    def enabled(self, rule: Rule) -> bool:
        """True unless ignored or not selected."""
        if self.select and not any(self._matches(rule, t) for t in self.select):
            return False
        return not any(self._matches(rule, t) for t in self.ignore)

    def severity_for(self, rule: Rule) -> Severity:
        """The rule's severity after overrides (most specific token wins)."""
        best: tuple[int, str] | None = None
        for token, level in self.severity.items():
            if self._matches(rule, token):
                weight = len(token) + (100 if token.upper() == rule.id else 0)
                if best is None or weight > best[0]:
                    best = (weight, level)
        return Severity(best[1]) if best else rule.severity


class FileResult(Record):
    """The outcome for one path: findings, or a one-line error."""

    __match_args__ = ("path", "findings", "error", "report")
    __slots__ = (*__match_args__, "tables", "digest", "previous")
    __hash__ = None  # type: ignore[assignment]  # NOTE: mutable

    def __init__(
        self,
        path: str,
        findings: list[Finding] | None = None,
        error: str | None = None,
        report: Report | None = None,
    ) -> None:
        """The result for ``path``."""
        self.path = path
        self.findings: list[Finding] = [] if findings is None else findings
        self.error = error
        self.report = report
        # The tables as read (``engine.grids``), for an output that draws
        # them (needs ``tables``); None otherwise.
        self.tables: tuple[TableGrid, ...] | None = None
        # What year-over-year pairing keeps of the draft (``engine.pairs``),
        # when the run pairs drafts; None otherwise.
        self.digest: Digest | None = None
        # Last year's digest once the draft is paired: a fix relints the
        # draft, and its pair's findings are found again on the fixed text.
        self.previous: Digest | None = None


def choose_pack(
    packset: PackSet, year: int | None, edition: str | None
) -> tuple[Pack, str]:
    """Pick the edition pack and say why (``option`` or ``year``)."""
    if edition is not None:
        pack = packset.for_edition(edition)
        if pack is None:
            known = ", ".join(str(p.edition) for p in packset.editions())
            raise EditionError(f"unknown edition '{edition}' (known: {known})")
        return pack, "option"
    pack = packset.for_year(year)
    if pack is None:
        raise EditionError("no edition pack loaded")
    return pack, "year" if year is not None else "default"


def build_report(doc: Document, packset: PackSet, options: LintOptions) -> Report:
    """Outline the document, choose its edition, read its tables."""
    first = packset.for_year(options.year)
    spec = first.document if first else {}
    read = reflow(doc, first)
    outline = build_outline(read, spec)
    if read is doc and len(outline.sections) < len(spec.get("sections", ())):
        # NOTE: only a draft without all its headings pays for this look.
        read = reflow(doc, first, headings_missing=True)
        if read is not doc:
            outline = build_outline(read, spec)
    doc = read
    if options.year is not None:
        outline.year, outline.year_source = options.year, "option"
    pack, why = choose_pack(packset, outline.year, options.edition)
    if pack.document != spec:
        # NOTE: an older edition may phrase headings differently; redo it.
        year, source = outline.year, outline.year_source
        outline = build_outline(doc, pack.document)
        outline.year, outline.year_source = year, source
    outline.edition, outline.edition_source = pack.edition, why
    report = Report(doc, outline, pack, options)
    report.front = front_matter(doc, pack.document)
    report.tables = read_tables(doc, outline, pack)
    if isinstance(doc.source, ReflowMap):
        split_run_together(report.tables, doc.text, pack)
    return report


def run_rules(report: Report, rule_filter: RuleFilter) -> list[Finding]:
    """Evaluate every enabled rule of the report's pack."""
    doc = report.document
    findings: list[Finding] = []
    length = len(doc.text)
    plan = _rule_plan(report.pack, rule_filter, report.options.lang)
    if format_start(report) is not None:
        # NOTE: a report on a year before the national format: its sections
        # and tables are not held to it (one ST013 finding says so).
        skip = format_kinds(report.pack)
        plan = [step for step in plan if step[0].kind not in skip]
    for rule, kind, severity, template in plan:
        if rule.prepared is None:
            rule.prepared = kind.prepare(rule.params)
        for hit in kind.check(report, rule, rule.prepared):
            span = _clamp(hit.span, length)
            fix = None
            if hit.fix is not None:
                fix_span = _clamp(hit.fix.span, length)
                fix = Fix(
                    fix_span,
                    hit.fix.replacement,
                    doc.position(fix_span.start),
                    doc.position(fix_span.end),
                    hit.fix.safe,
                )
            message = render(template, dict(hit.args))
            findings.append(finding_at(doc, span, rule, severity, message, fix))
    findings.sort(key=lambda f: f.sort_key)
    return findings


def finding_at(
    doc: Document,
    span: Span,
    rule: Rule,
    severity: Severity,
    message: str,
    fix: Fix | None = None,
) -> Finding:
    """A finding of ``rule`` on ``span`` of ``doc``, with its positions."""
    source = doc.source
    return Finding(
        path=doc.path,
        span=span,
        start=doc.position(span.start),
        end=doc.position(span.end),
        rule=rule.id,
        name=rule.name,
        category=rule.category,
        severity=severity,
        message=message,
        fix=fix,
        location=None if source is None else source.locate(span.start, span.end),
    )


_Plan = list[tuple[Rule, KindSpec, Severity, str]]
_Tokens = tuple[str, ...]
_PlanKey = tuple[int, str, _Tokens, _Tokens, tuple[tuple[str, str], ...]]
_PLANS: dict[_PlanKey, tuple[Pack, _Plan]] = {}


def _rule_plan(pack: Pack, rule_filter: RuleFilter, lang: str) -> _Plan:
    """Enabled rules with their kind, severity and message template.

    NOTE: the same for every draft of a batch; cached by the identity of the
    pack (the entry keeps it alive, so its id is not reused) and the value
    of the filter: callers that leave the filter out get a new, equal one
    for every draft (``lint_document``, ``lint_text``).
    """
    key = (
        id(pack),
        lang,
        tuple(rule_filter.select),
        tuple(rule_filter.ignore),
        tuple(rule_filter.severity.items()),  # NOTE: in order: ties go to the first
    )
    cached = _PLANS.get(key)
    if cached is not None and cached[0] is pack:
        return cached[1]
    plan = [
        (
            rule,
            KINDS[rule.kind],
            rule_filter.severity_for(rule),
            rule.message.get(lang) or rule.message["zh"],
        )
        for rule in pack.rules
        # NOTE: a year-over-year rule runs on a pair (``engine.pairs``).
        if rule_filter.enabled(rule)
        and rule.kind not in PAIR_KINDS
        and not KINDS[rule.kind].is_pair
    ]
    if len(_PLANS) >= 16:
        _PLANS.clear()
    _PLANS[key] = (pack, plan)
    return plan


def _clamp(span: Span, length: int) -> Span:
    start = max(0, min(span.start, length))
    return Span(start, max(start, min(span.end, length)))


def lint_document(
    doc: Document,
    packset: PackSet,
    options: LintOptions | None = None,
    rule_filter: RuleFilter | None = None,
) -> tuple[Report, list[Finding]]:
    """Lint one decoded document."""
    report = build_report(doc, packset, options or LintOptions())
    return report, run_rules(report, rule_filter or RuleFilter())


def lint_text(
    text: str,
    path: str = "<text>",
    packset: PackSet | None = None,
    options: LintOptions | None = None,
    rule_filter: RuleFilter | None = None,
) -> list[Finding]:
    """Lint a draft given as text (encoded as UTF-8 and loaded like a file)."""
    doc = document_from_bytes(path, text.encode("utf-8"))
    return lint_document(doc, packset or load_packset(), options, rule_filter)[1]


def lint_file(
    path: str,
    packset: PackSet,
    options: LintOptions,
    rule_filter: RuleFilter,
    keep_report: bool = False,
) -> FileResult:
    """Load and lint one file; a bad file becomes an error result."""
    try:
        doc = load_document(path)
    except LoadError as exc:
        return FileResult(path, error=str(exc))
    return lint_loaded(doc, packset, options, rule_filter, keep_report)


def lint_loaded(
    doc: Document,
    packset: PackSet,
    options: LintOptions,
    rule_filter: RuleFilter,
    keep_report: bool = False,
) -> FileResult:
    """Lint a loaded document; a bad edition or table schema is its error."""
    try:
        report, findings = lint_document(doc, packset, options, rule_filter)
    except (EditionError, TableSchemaError) as exc:
        return FileResult(doc.path, error=str(exc))
    return FileResult(doc.path, findings, report=report if keep_report else None)


def lint_paths(
    paths: Iterable[str],
    packset: PackSet | None = None,
    options: LintOptions | None = None,
    rule_filter: RuleFilter | None = None,
    keep_report: bool = False,
) -> Iterator[FileResult]:
    """Lint each path in order (directories must already be expanded)."""
    packs = packset or load_packset()
    opts = options or LintOptions()
    selection = rule_filter or RuleFilter()
    for path in paths:
        yield lint_file(path, packs, opts, selection, keep_report)

"""Waivers: findings a reviewer accepted, kept in ``.disclosure-lint-waivers.yaml``.

The file is found like the configuration (walking up from each checked file;
``--waivers PATH`` forces one, ``--isolated`` ignores found ones)::

    waivers:
      - rule: TY003                 # id (or name, or old alias)
        file: drafts/report.txt     # relative to the waiver file
        text: 截止                   # exactly the flagged text
        before: 今年工作             # up to CONTEXT characters of its line
        after: 2021年底完成。        # before and after the text
        reason: 引用上级文件原文
        expires: 2026-06-30         # optional, YYYY-MM-DD; valid that day

One entry waives at most one finding: the one of its rule and file whose
flagged text is ``text`` with ``before`` and ``after`` around it on its line
(or, if the line changed on one side only, with the other side). There is no
line number, so waivers survive edits above; a new finding on the same line
is not waived. An entry without ``before`` and ``after`` (hand-written, or
written before they existed) is *loose*: its ``text`` is sought in the
finding's line(s), and it too waives at most one finding. Waived findings
are not reported. The tool itself reports, at the entry in the waiver file,
``WV001 waiver-expired`` (the finding is reported again) and ``WV002
waiver-unused`` (no finding matched, or the file is gone), for entries whose
file was checked in the run or no longer exists.

``waive`` updates a waiver file under a lock (``<file>.lock`` beside it),
re-reading it first, so concurrent runs lose no entry and add none twice.

This module matches waivers to findings (``WaiverBook``). The file format is
``waiver_file``, the WV rules ``waiver_rules``, writing ``waiver_write`` and
the ``waive`` command ``cli.waive``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ..document.findings import Finding
from ..document.paths import escape_path
from ..document.text import Document, Span
from ..engine.lint import FileResult, RuleFilter, finding_at
from ..packs.model import PackSet, Rule
from ..records import dataclass
from .file import display, find_upward
from .waiver_file import (
    Waiver,
    WaiverError,
    WaiverFile,
    read_waivers,
)
from .waiver_match import anchor, assign
from .waiver_rules import EXPIRED, GONE, UNUSED, WAIVER_NAME, WAIVER_RULES

if TYPE_CHECKING:
    import datetime as dt


# --------------------------------------------------------------------------
# Matching


def _find_rule(packset: PackSet | None, token: str) -> Rule | None:
    for rule in WAIVER_RULES:
        if token.upper() == rule.id or token == rule.name:
            return rule
    if packset is None:
        return None
    for rule in packset.all_rules():
        if token.upper() == rule.id or token == rule.name or token in rule.aliases:
            return rule
    return None


@dataclass(slots=True)
class _Checked:
    rule_filter: RuleFilter
    lang: str
    packset: PackSet


class WaiverBook:
    """The waiver files of one run: found per checked file, applied, audited.

    Args:
        forced: ``--waivers PATH``: this file for every draft.
        isolated: ``--isolated``: found waiver files are ignored.
        must_exist: a forced file that does not exist is an error (``waive``
            creates it instead).
    """

    def __init__(
        self,
        forced: Path | None = None,
        isolated: bool = False,
        must_exist: bool = True,
    ) -> None:
        """Nothing is read until a file asks."""
        self.forced = forced
        self.isolated = isolated
        self.must_exist = must_exist
        self._by_dir: dict[Path, Path | None] = {}
        self._files: dict[Path, WaiverFile] = {}
        self._checked: dict[str, _Checked] = {}
        self._shared: dict[tuple[int, str, int], _Checked] = {}

    @property
    def files(self) -> list[WaiverFile]:
        """The waiver files read so far."""
        return list(self._files.values())

    def path_for(self, path: str | Path) -> Path | None:
        """The waiver file that applies to ``path``, if any."""
        if self.forced is not None:
            return self.forced.resolve()
        if self.isolated:
            return None
        full = Path(path).resolve()
        start = full if full.is_dir() else full.parent
        return find_upward(start, self._by_dir, _waiver_file_in)

    def file_for(self, path: str | Path) -> WaiverFile | None:
        """The parsed waiver file for ``path`` (read once).

        Raises:
            WaiverError: the file is invalid or, when forced, missing.
        """
        found = self.path_for(path)
        if found is None:
            return None
        if found not in self._files:
            if not found.is_file():
                if self.must_exist:
                    raise WaiverError(f"{display(found)}: waiver file not found")
                return None
            self._files[found] = read_waivers(found)
        return self._files[found]

    def apply(
        self,
        path: str,
        findings: list[Finding],
        doc: Document | None,
        packset: PackSet,
        rule_filter: RuleFilter,
        lang: str = "zh",
    ) -> list[Finding]:
        """Drop the findings a live waiver covers; mark those waivers used."""
        target = Path(path).resolve()
        # NOTE: keyed by the path's text, sharing one record per settings: a
        # 100,000-draft run keeps this for every draft.
        shared = (id(rule_filter), lang, id(packset))
        checked = self._shared.get(shared)
        if checked is None or checked.rule_filter is not rule_filter:
            checked = self._shared[shared] = _Checked(rule_filter, lang, packset)
        key = str(target)
        self._checked[path if key == path else key] = checked
        book = self.file_for(path)
        if book is None or doc is None:
            return findings
        import datetime as dt  # NOTE: only with a waiver file (start-up)

        today = dt.date.today()
        mine = [w for w in book.waivers if w.target == target and not w.expired(today)]
        if not mine:
            return findings
        rules = {r.id: r for r in packset.all_rules()}
        tokens = {w.rule for w in mine}
        upper = {t.upper() for t in tokens}
        # NOTE: only the findings some waiver's rule names need an anchor.
        candidates = [
            i
            for i, finding in enumerate(findings)
            if finding.rule in upper
            or finding.name in tokens
            or (
                finding.rule in rules
                and not tokens.isdisjoint(rules[finding.rule].aliases)
            )
        ]
        anchors = [
            anchor(doc, findings[i], rules.get(findings[i].rule)) for i in candidates
        ]
        taken = assign(mine, anchors)
        for waiver in taken.values():
            waiver.used = True
        waived = {candidates[i] for i in taken}
        return [f for i, f in enumerate(findings) if i not in waived]

    def leftovers(
        self,
        default_filter: RuleFilter,
        default_lang: str = "zh",
        today: dt.date | None = None,
    ) -> list[FileResult]:
        """WV001 / WV002 findings, one result per waiver file that has any.

        Only entries whose draft was checked in this run, or no longer
        exists, are judged; the others belong to another run.
        """
        if not self._files:
            return []
        if today is None:
            import datetime as dt  # NOTE: only with a waiver file (start-up)

            today = dt.date.today()
        out: list[FileResult] = []
        for book in self._files.values():
            doc = Document(display(book.path), book.text.replace("\r\n", "\n"))
            findings: list[Finding] = []
            for waiver in book.waivers:
                finding = self._judge(waiver, doc, today, default_filter, default_lang)
                if finding is not None:
                    findings.append(finding)
            if findings:
                findings.sort(key=lambda f: f.sort_key)
                out.append(FileResult(doc.path, findings))
        return out

    def _judge(
        self,
        waiver: Waiver,
        doc: Document,
        today: dt.date,
        default_filter: RuleFilter,
        default_lang: str,
    ) -> Finding | None:
        checked = self._checked.get(str(waiver.target))
        exists = waiver.target.exists()
        if checked is None and exists:
            return None
        rule_filter = checked.rule_filter if checked else default_filter
        lang = checked.lang if checked else default_lang
        args = {
            "rule": waiver.rule,
            "text": waiver.shown,
            "file": escape_path(waiver.file),
            "expires": waiver.expires.isoformat() if waiver.expires else "",
        }
        if waiver.expired(today):
            where = waiver.expires_at or (waiver.line, waiver.column)
            return _finding(doc, EXPIRED, rule_filter, lang, where, args)
        if waiver.used:
            return None
        if checked is not None:
            rule = _find_rule(checked.packset, waiver.rule)
            if rule is not None and not rule_filter.enabled(rule):
                return None  # NOTE: its rule did not run, so it could not match
        template = None if exists else GONE
        where = (waiver.line, waiver.column)
        return _finding(doc, UNUSED, rule_filter, lang, where, args, template)


def _finding(
    doc: Document,
    rule: Rule,
    rule_filter: RuleFilter,
    lang: str,
    where: tuple[int, int],
    args: Mapping[str, str],
    template: Mapping[str, str] | None = None,
) -> Finding | None:
    if not rule_filter.enabled(rule):
        return None
    line = min(max(where[0], 1), max(doc.index.line_count, 1))
    line_span = doc.index.line_span(line)
    start = min(line_span.start + where[1] - 1, line_span.end)
    span = Span(start, max(start, line_span.end))
    message = (template or rule.message).get(lang) or rule.message["zh"]
    severity = rule_filter.severity_for(rule)
    return finding_at(doc, span, rule, severity, message.format(**args))


def _waiver_file_in(directory: Path) -> Path | None:
    candidate = directory / WAIVER_NAME
    return candidate if candidate.is_file() else None


# --------------------------------------------------------------------------
# Writing (`disclosure-lint waive`)


def default_waiver_path(
    book: WaiverBook, path: str | Path, config_root: Path | None
) -> Path:
    """Where ``waive`` writes for ``path``: forced, found, config dir or cwd."""
    found = book.path_for(path)
    if found is not None:
        return found
    return (config_root or Path.cwd()).resolve() / WAIVER_NAME

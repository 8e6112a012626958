"""Waivers: findings a reviewer accepted, kept in ``.disclosure-lint-waivers.yaml``.

The file is found like the configuration (walking up from each checked file;
``--waivers PATH`` forces one, ``--isolated`` ignores found ones)::

    waivers:
      - rule: TY003                 # id (or name, or old alias)
        file: drafts/report.txt     # relative to the waiver file
        text: 截止2021年底           # the flagged text, or part of its line
        reason: 引用上级文件原文
        expires: 2026-06-30         # optional, YYYY-MM-DD; valid that day

A finding is waived when its rule and file match and ``text`` occurs in the
line(s) the finding is on; no line number, so waivers survive edits above.
Waived findings are not reported. The tool itself reports, at the entry in
the waiver file, ``WV001 waiver-expired`` (the finding is reported again)
and ``WV002 waiver-unused`` (no finding matched, or the file is gone), for
entries whose file was checked in the run or no longer exists.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from .config import ConfigError, display
from .document import Document, Span
from .engine import FileResult, RuleFilter
from .findings import Category, Finding, Severity
from .packs import PackError, PackSet, Rule, _plain, _read_yaml, _suggest

if TYPE_CHECKING:
    from .run import RunRequest

WAIVER_NAME = ".disclosure-lint-waivers.yaml"
TOP_KEYS = {"waivers": "the list of waivers"}
ENTRY_KEYS = {
    "rule": "rule id, name or old alias",
    "file": "draft path, relative to the waiver file",
    "text": "the flagged text, or a part of its line",
    "reason": "why the finding is accepted",
    "expires": "YYYY-MM-DD; the waiver holds through that day",
}
QUOTE_LIMIT = 60
HEADER = """\
# Findings a reviewer accepted (disclosure-lint waivers; see README, "Waivers").
# Each entry: rule, file (relative to this file), text (the flagged text or a
# part of its line), reason, and optionally expires (YYYY-MM-DD).
"""


def _tool_rule(
    rule_id: str,
    name: str,
    summary: str,
    zh: str,
    en: str,
    rationale: tuple[str, str],
) -> Rule:
    return Rule(
        id=rule_id,
        name=name,
        kind="waiver",
        category=Category.FORMAT,
        severity=Severity.WARNING,
        summary=summary,
        message={"zh": zh, "en": en},
        rationale=rationale[0],
        rationale_en=rationale[1],
        source="disclosure-lint waivers (README, Waivers)",
        params={},
        examples=[],
        aliases=[],
        pack="(waivers)",
        file=WAIVER_NAME,
    )


# NOTE: these findings come from the tool, not from a pack: they are about the
# waiver file, not about a draft, so they live here rather than in rules/.
# They can still be selected, ignored and re-graded like any rule.
EXPIRED = _tool_rule(
    "WV001",
    "waiver-expired",
    "豁免已过期",
    "豁免已于 {expires} 过期：{rule}「{text}」（{file}），请复核后删除或延期",
    'waiver expired on {expires}: {rule} "{text}" in {file}; '
    "review it, then delete or extend it",
    (
        "过期的豁免不再隐藏其问题；该条目应续期或删除。",
        "An expired waiver no longer hides its finding; the entry must be renewed "
        "or removed.",
    ),
)
UNUSED = _tool_rule(
    "WV002",
    "waiver-unused",
    "豁免未被使用",
    "豁免未被使用：{file} 中已没有与「{text}」对应的 {rule} 问题，应删除此条",
    'unused waiver: no {rule} finding on "{text}" in {file}; delete it',
    (
        "不匹配任何问题的豁免已经过时，还可能掩盖将来的问题。",
        "A waiver that matches nothing is stale and could hide a future finding.",
    ),
)
GONE = {
    "zh": "豁免所指文件 {file} 不存在，应删除此条（{rule}「{text}」）",
    "en": 'unused waiver: {file} does not exist; delete it ({rule} "{text}")',
}
WAIVER_RULES: tuple[Rule, ...] = (EXPIRED, UNUSED)


class WaiverError(ConfigError):
    """A waiver file that cannot be used; ``file:line:col: message``."""


@dataclass(slots=True)
class Waiver:
    """One entry of a waiver file."""

    rule: str
    file: str
    text: str
    reason: str
    expires: dt.date | None
    target: Path
    line: int
    column: int
    expires_at: tuple[int, int] | None = None
    used: bool = False

    def expired(self, today: dt.date) -> bool:
        """True after the expiry date."""
        return self.expires is not None and today > self.expires


@dataclass(slots=True)
class WaiverFile:
    """A parsed waiver file."""

    path: Path
    text: str
    waivers: list[Waiver] = field(default_factory=list)


def _at(node: Any, key: str | int, value: bool = False) -> tuple[int, int]:
    lc = getattr(node, "lc", None)
    try:
        if lc is None:
            return (0, 0)
        if isinstance(key, int):
            line, col = lc.item(key)
        else:
            line, col = lc.value(key) if value else lc.key(key)
    except (KeyError, IndexError, TypeError):
        return (0, 0)
    return (int(line) + 1, int(col) + 1)


def read_waivers(path: Path) -> WaiverFile:
    """Read and validate a waiver file.

    Raises:
        WaiverError: bad YAML, an unknown key or a bad value.
    """
    path = path.resolve()
    name = display(path)
    try:
        node = _read_yaml(path)
        text = path.read_text(encoding="utf-8")
    except PackError as exc:
        raise WaiverError(str(exc)) from None
    except OSError as exc:  # pragma: no cover - _read_yaml read it just now
        raise WaiverError(f"{name}: cannot read: {exc.strerror}") from None
    out = WaiverFile(path, text)
    if node is None:
        return out
    if not isinstance(node, dict):
        raise WaiverError(f"{name}:1:1: waiver file must be a mapping with 'waivers'")
    for key in node:
        if key not in TOP_KEYS:
            line, col = _at(node, str(key))
            hint = _suggest(str(key), TOP_KEYS)
            raise WaiverError(f"{name}:{line}:{col}: unknown key '{key}'{hint}")
    entries = node.get("waivers") or []
    if not isinstance(entries, list):
        line, col = _at(node, "waivers", value=True)
        raise WaiverError(f"{name}:{line}:{col}: 'waivers' must be a list")
    for i, entry in enumerate(entries):
        out.waivers.append(_entry(path, name, entries, i, entry))
    return out


def _entry(path: Path, name: str, entries: Any, i: int, entry: Any) -> Waiver:
    line, col = _at(entries, i)
    if not isinstance(entry, dict):
        raise WaiverError(f"{name}:{line}:{col}: a waiver must be a mapping")
    for key in entry:
        if key not in ENTRY_KEYS:
            kl, kc = _at(entry, str(key))
            raise WaiverError(
                f"{name}:{kl}:{kc}: unknown key '{key}'{_suggest(str(key), ENTRY_KEYS)}"
            )
    values: dict[str, str] = {}
    for key in ("rule", "file", "text", "reason"):
        if key not in entry:
            raise WaiverError(f"{name}:{line}:{col}: waiver needs '{key}'")
        value = _plain(entry[key])
        empty_ok = key == "text"
        if not isinstance(value, str) or (not empty_ok and not value.strip()):
            vl, vc = _at(entry, key, value=True)
            raise WaiverError(f"{name}:{vl}:{vc}: '{key}' must be a non-empty string")
        values[key] = value
    expires: dt.date | None = None
    expires_at = None
    if entry.get("expires") is not None:
        expires_at = _at(entry, "expires", value=True)
        expires = _date(entry["expires"])
        if expires is None:
            raise WaiverError(
                f"{name}:{expires_at[0]}:{expires_at[1]}: 'expires' must be a date "
                f"YYYY-MM-DD, not '{entry['expires']}'"
            )
    return Waiver(
        rule=values["rule"],
        file=values["file"],
        text=values["text"],
        reason=values["reason"],
        expires=expires,
        target=(path.parent / values["file"]).resolve(),
        line=line,
        column=col,
        expires_at=expires_at,
    )


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def parse_date(value: str) -> dt.date | None:
    """``YYYY-MM-DD`` → date, else None (for ``waive --expires``)."""
    if len(value) != 10:
        return None
    return _date(value)


# --------------------------------------------------------------------------
# Matching


def flagged_region(doc: Document, finding: Finding) -> str:
    """The whole line(s) a finding is on (what a waiver's text is sought in)."""
    first, last = finding.start.line, finding.end.line
    if last > first and finding.end.column == 1:
        last -= 1  # NOTE: a span ending with its line break ends on that line
    start = doc.index.line_start(first)
    end = doc.index.line_span(min(last, doc.index.line_count or 1)).end
    return doc.text[start:end]


def quote(doc: Document, finding: Finding) -> str:
    """The text ``waive`` writes: the flagged text, else its line, shortened."""
    flagged = doc.text[finding.span.start : finding.span.end].split("\n")[0].strip()
    if not flagged:
        flagged = doc.line_text(finding.start.line).strip()
    return flagged[:QUOTE_LIMIT]


def _rule_matches(waiver: Waiver, finding: Finding, rule: Rule | None) -> bool:
    token = waiver.rule
    if token.upper() == finding.rule or token == finding.name:
        return True
    return rule is not None and token in rule.aliases


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
        visited: list[Path] = []
        found: Path | None = None
        for directory in (start, *start.parents):
            if directory in self._by_dir:
                found = self._by_dir[directory]
                break
            visited.append(directory)
            if (directory / WAIVER_NAME).is_file():
                found = directory / WAIVER_NAME
                break
        for directory in visited:
            self._by_dir[directory] = found
        return found

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
        today = dt.date.today()
        mine = [w for w in book.waivers if w.target == target and not w.expired(today)]
        if not mine:
            return findings
        kept: list[Finding] = []
        rules = {r.id: r for r in packset.all_rules()}
        for finding in findings:
            region: str | None = None
            waived = False
            for waiver in mine:
                if not _rule_matches(waiver, finding, rules.get(finding.rule)):
                    continue
                if region is None:
                    region = flagged_region(doc, finding)
                if waiver.text in region:
                    waiver.used = True
                    waived = True
            if not waived:
                kept.append(finding)
        return kept

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
        today = today or dt.date.today()
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
            "text": waiver.text,
            "file": waiver.file,
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
    return Finding(
        path=doc.path,
        span=span,
        start=doc.position(span.start),
        end=doc.position(span.end),
        rule=rule.id,
        name=rule.name,
        category=rule.category,
        severity=rule_filter.severity_for(rule),
        message=message.format(**args),
    )


# --------------------------------------------------------------------------
# Writing (`disclosure-lint waive`)


@dataclass(frozen=True, slots=True)
class NewWaiver:
    """An entry ``waive`` is about to write."""

    rule: str
    target: Path
    text: str
    reason: str
    expires: dt.date | None = None


def new_waivers(
    doc: Document,
    findings: Iterable[Finding],
    reason: str,
    expires: dt.date | None = None,
) -> list[NewWaiver]:
    """One entry per finding, quoting its text; duplicates once."""
    out: list[NewWaiver] = []
    target = Path(doc.path).resolve()
    for finding in findings:
        if finding.rule in {r.id for r in WAIVER_RULES}:
            continue
        entry = NewWaiver(finding.rule, target, quote(doc, finding), reason, expires)
        if entry not in out:
            out.append(entry)
    return out


def append_waivers(path: Path, entries: Sequence[NewWaiver]) -> None:
    """Append ``entries`` to the waiver file at ``path`` (created if needed).

    Comments and existing entries are kept (ruamel round trip); the file is
    replaced atomically.

    Raises:
        WaiverError: the existing file is invalid or cannot be written.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from .fixes import FixError, write_atomic

    path = path.resolve()
    if path.exists():
        read_waivers(path)  # NOTE: refuse to append to a file we cannot read
        original = path.read_text(encoding="utf-8")
    else:
        original = HEADER + "waivers:\n"
    yaml = YAML(typ="rt", pure=True)
    yaml.width = 4096  # NOTE: never fold a quoted text across lines
    yaml.indent(mapping=2, sequence=4, offset=2)
    # NOTE: entries share one expiry date object; write it out each time
    # instead of as a YAML anchor and aliases.
    yaml.representer.ignore_aliases = lambda *args: True
    data = yaml.load(original)
    if data is None:
        data = CommentedMap()
    if data.get("waivers") is None:
        data["waivers"] = CommentedSeq()
    seq = data["waivers"]
    seq.fa.set_block_style()
    for entry in entries:
        item = CommentedMap()
        item["rule"] = entry.rule
        item["file"] = _relative(entry.target, path.parent)
        item["text"] = entry.text
        item["reason"] = entry.reason
        if entry.expires is not None:
            item["expires"] = entry.expires
        seq.append(item)
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    try:
        write_atomic(path, buffer.getvalue().encode("utf-8"))
    except FixError as exc:
        raise WaiverError(f"{display(path)}: {exc}") from None


def _relative(target: Path, base: Path) -> str:
    return Path(os.path.relpath(target, base)).as_posix()


def default_waiver_path(
    book: WaiverBook, path: str | Path, config_root: Path | None
) -> Path:
    """Where ``waive`` writes for ``path``: forced, found, config dir or cwd."""
    found = book.path_for(path)
    if found is not None:
        return found
    return (config_root or Path.cwd()).resolve() / WAIVER_NAME


def run_waive(
    request: RunRequest,
    reason: str,
    rules: Sequence[str],
    expires: dt.date | None,
    out: TextIO,
    err: TextIO,
) -> int:
    """``disclosure-lint waive``: one new waiver per current finding.

    Findings already waived are skipped, so running it twice adds nothing.
    Entries go to ``--waivers``, else the waiver file found for each draft,
    else a new one beside the draft's configuration file (or in the current
    directory). Returns the exit code: 2 if a file or a waiver file failed.
    """
    from .engine import lint_file
    from .run import make_plan

    try:
        book = WaiverBook(request.waivers, request.isolated, must_exist=False)
        plan = make_plan(request, book)
    except (ConfigError, PackError) as exc:
        err.write(f"disclosure-lint: error: {exc}\n")
        return 2
    known = [*plan.packset.all_rules(), *WAIVER_RULES]
    for token in rules:
        if not any(RuleFilter._matches(r, token) for r in known):
            hint = _suggest(token, [r.id for r in known] + [r.name for r in known])
            err.write(
                f"disclosure-lint: error: --rule '{token}' matches no rule{hint}\n"
            )
            return 2
    selection = RuleFilter(select=tuple(rules))
    code = 0
    pending: dict[Path, list[NewWaiver]] = {}
    for item in plan.files:
        result = lint_file(
            item.path,
            item.packset,
            item.settings.options(),
            item.rule_filter,
            keep_report=True,
        )
        if result.error is not None or result.report is None:
            err.write(f"{result.path}: error: {result.error}\n")
            code = 2
            continue
        doc = result.report.document
        findings = plan.waivers.apply(
            item.path, result.findings, doc, item.packset, item.rule_filter
        )
        by_id = {r.id: r for r in item.packset.all_rules()}
        if rules:
            findings = [
                f
                for f in findings
                if f.rule in by_id and selection.enabled(by_id[f.rule])
            ]
        target = default_waiver_path(plan.waivers, item.path, item.settings.root)
        entries = pending.setdefault(target, [])
        for entry in new_waivers(doc, findings, reason, expires):
            if entry not in entries:
                entries.append(entry)
    added = 0
    for target, entries in pending.items():
        if not entries:
            continue
        try:
            append_waivers(target, entries)
        except WaiverError as exc:
            err.write(f"disclosure-lint: error: {exc}\n")
            code = 2
            continue
        added += len(entries)
        out.write(f"{display(target)}: added {len(entries)} waiver(s)\n")
    if not added and code == 0:
        out.write("no findings to waive\n")
    return code

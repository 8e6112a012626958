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
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TextIO

from .config import ConfigError, display
from .document import Document, Record, Span
from .engine import FileResult, RuleFilter
from .findings import Category, Finding, Severity
from .formatters.base import escape_path
from .packs import (
    MAX_FILE_BYTES,
    PackError,
    PackSet,
    Rule,
    _plain,
    _read_yaml,
    _suggest,
)
from .records import dataclass, field

if TYPE_CHECKING:
    from .run import RunRequest

WAIVER_NAME = ".disclosure-lint-waivers.yaml"
TOP_KEYS = {"waivers": "the list of waivers"}
ENTRY_KEYS = {
    "rule": "rule id, name or old alias",
    "file": "draft path, relative to the waiver file",
    "text": "the flagged text (a part of its line when there is no context)",
    "before": "the text just before it on its line",
    "after": "the text just after it on its line",
    "reason": "why the finding is accepted",
    "expires": "YYYY-MM-DD; the waiver holds through that day",
}
QUOTE_LIMIT = 60
#: Characters of the line kept on each side of the flagged text: enough to
#: tell a table cell from its neighbours (the row label and a few cells) or
#: a phrase from its other occurrences, little enough that an edit further
#: along a long paragraph does not orphan the waiver.
CONTEXT = 20
#: How long ``waive`` waits for another run to release the waiver file.
LOCK_WAIT = 30.0
HEADER = """\
# Findings a reviewer accepted (disclosure-lint waivers; see README, "Waivers").
# Each entry: rule, file (relative to this file), text (the flagged text),
# before / after (the text around it on its line), reason, and optionally
# expires (YYYY-MM-DD). One entry waives one finding.
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
    before: str | None = None  # None (with ``after``): a loose entry
    after: str | None = None

    def expired(self, today: dt.date) -> bool:
        """True after the expiry date."""
        return self.expires is not None and today > self.expires

    @property
    def anchored(self) -> bool:
        """The entry has context: it names one exact occurrence."""
        return self.before is not None or self.after is not None

    @property
    def shown(self) -> str:
        """The text as messages quote it: with its context when very short."""
        if not self.anchored or len(self.text.strip()) >= 4:
            return self.text
        around = f"{self.before or ''}{self.text}{self.after or ''}"
        return " ".join(around.split())[:QUOTE_LIMIT]


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
        # NOTE: checked here as well as in _read_yaml, whose message is
        # about pack files.
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise WaiverError(
                f"{name}: waiver file too large ({size} bytes > {MAX_FILE_BYTES})"
            )
        node = _read_yaml(path)
        text = path.read_text(encoding="utf-8")
    except PackError as exc:
        raise WaiverError(str(exc)) from None
    except OSError as exc:
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
    context: dict[str, str | None] = {}
    for key in ("before", "after"):
        value = _plain(entry[key]) if key in entry else None
        if key in entry and not isinstance(value, str):
            vl, vc = _at(entry, key, value=True)
            raise WaiverError(
                f"{name}:{vl}:{vc}: '{key}' must be a string ('' if none)"
            )
        context[key] = value
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
        before=context["before"],
        after=context["after"],
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
    """``YYYY-MM-DD`` → date, else None."""
    if len(value) != 10:
        return None
    return _date(value)


def parse_expires(value: str, today: dt.date | None = None) -> dt.date:
    """``waive --expires``: a date ``YYYY-MM-DD``, today or later.

    Raises:
        WaiverError: not such a date, or a day already past (the waiver would
            be expired as soon as it is written).
    """
    date = parse_date(value)
    if date is None:
        raise WaiverError(f"--expires '{value}' is not a date YYYY-MM-DD")
    if date < (today or dt.date.today()):
        raise WaiverError(
            f"--expires {value} is in the past; a waiver holds through its expiry date"
        )
    return date


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


class Anchor(Record):
    """What identifies a finding to a waiver: rule, text and its context.

    NOTE: a plain record, not a dataclass: this module is on the start-up
    path of every check (see ``document``).
    """

    __match_args__ = ("rule", "name", "aliases", "text", "before", "after", "region")
    __slots__ = __match_args__

    def __init__(
        self,
        rule: str,
        name: str,
        aliases: tuple[str, ...],
        text: str,
        before: str,
        after: str,
        region: str,
    ) -> None:
        """The finding of rule ``rule`` (``name``, ``aliases``) at ``text``.

        ``text`` is its first line, at most QUOTE_LIMIT characters;
        ``before`` / ``after`` are up to CONTEXT characters of its line around
        it; ``region`` is its whole line(s), for loose entries.
        """
        self.rule: Final = rule
        self.name: Final = name
        self.aliases: Final = aliases
        self.text: Final = text
        self.before: Final = before
        self.after: Final = after
        self.region: Final = region

    def rule_is(self, token: str) -> bool:
        """``token`` (a waiver's ``rule``) names this finding's rule."""
        return token.upper() == self.rule or token == self.name or token in self.aliases


def anchor(doc: Document, finding: Finding, rule: Rule | None) -> Anchor:
    """The anchor of ``finding`` in ``doc`` (``rule``: its rule, for aliases)."""
    text = doc.text
    start, end = finding.span.start, finding.span.end
    stop = text.find("\n", start, min(end, start + QUOTE_LIMIT))
    flagged = text[start : stop if stop != -1 else min(end, start + QUOTE_LIMIT)]
    line_start = doc.index.line_start(finding.start.line)
    before = text[max(line_start, start - CONTEXT) : start]
    if end > start and text[end - 1] == "\n":
        after = ""  # NOTE: the span ends with its line break: nothing follows
    else:
        stop = text.find("\n", end, end + CONTEXT)
        after = text[end : stop if stop != -1 else end + CONTEXT]
    return Anchor(
        finding.rule,
        finding.name,
        tuple(rule.aliases) if rule is not None else (),
        flagged,
        before,
        after,
        flagged_region(doc, finding),
    )


def _exact(waiver: Waiver, found: Anchor) -> bool:
    return (waiver.before is None or waiver.before == found.before) and (
        waiver.after is None or waiver.after == found.after
    )


def _one_side(waiver: Waiver, found: Anchor) -> bool:
    # NOTE: the line changed on one side of the text; the other side, if it
    # says anything, still tells this occurrence from the others.
    if not waiver.text:
        return False
    return bool(waiver.before and waiver.before == found.before) or bool(
        waiver.after and waiver.after == found.after
    )


def _same_text(waiver: Waiver, found: Anchor) -> bool:
    return waiver.text in (found.text, found.text.strip())


def _in_line(waiver: Waiver, found: Anchor) -> bool:
    return waiver.text in found.region


def assign(waivers: Sequence[Waiver], anchors: Sequence[Anchor]) -> dict[int, Waiver]:
    """Which waiver covers which finding (by index into ``anchors``).

    One waiver covers at most one finding and one finding is covered by at
    most one waiver. Passes go from the closest match to the loosest, so
    that a loose entry never takes a finding an anchored one names exactly;
    within a pass waivers go in file order and findings in document order.
    """
    anchored = [w for w in waivers if w.anchored]
    loose = [w for w in waivers if not w.anchored]
    by_text: dict[str, list[int]] = {}
    for i, found in enumerate(anchors):
        by_text.setdefault(found.text, []).append(i)
    taken: dict[int, Waiver] = {}
    done: set[int] = set()
    passes: list[tuple[list[Waiver], Callable[[Waiver, Anchor], bool], bool]] = [
        (anchored, _exact, True),
        (anchored, _one_side, True),
        (loose, _same_text, False),
        (loose, _in_line, False),
    ]
    everything = range(len(anchors))
    for group, test, text_equal in passes:
        for waiver in group:
            if id(waiver) in done:
                continue
            candidates = by_text.get(waiver.text, []) if text_equal else everything
            for i in candidates:
                found = anchors[i]
                if i in taken or not found.rule_is(waiver.rule):
                    continue
                if test(waiver, found):
                    taken[i] = waiver
                    done.add(id(waiver))
                    break
    return taken


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


def add_waivers(
    path: Path,
    drafts: Mapping[Path, Sequence[Anchor]],
    reason: str,
    expires: dt.date | None = None,
) -> int:
    """Add a waiver for each finding of ``drafts`` the file does not cover.

    ``drafts`` maps each draft (resolved) to the anchors of its findings.
    Under a lock, the file is read again and matched as a check would match
    it, so that two runs at once neither lose nor double an entry; the file
    (created if needed) is then replaced atomically, comments and existing
    entries kept (ruamel round trip). Returns how many entries were added.

    Raises:
        WaiverError: the file is invalid, locked too long or cannot be written.
    """
    path = path.resolve()
    with _locked(path):
        original: bytes | None = None
        waivers: list[Waiver] = []
        if path.exists():
            try:
                original = path.read_bytes()
            except OSError as exc:
                raise WaiverError(
                    f"{display(path)}: cannot read: {exc.strerror}"
                ) from None
            # NOTE: refuse to append to a file we cannot read
            waivers = read_waivers(path).waivers
        today = dt.date.today()
        entries: list[tuple[Path, Anchor]] = []
        for target, anchors in drafts.items():
            live = [w for w in waivers if w.target == target and not w.expired(today)]
            taken = assign(live, anchors)
            entries.extend((target, a) for i, a in enumerate(anchors) if i not in taken)
        if entries:
            _append(path, original, entries, reason, expires)
    return len(entries)


def _append(
    path: Path,
    original: bytes | None,
    entries: Sequence[tuple[Path, Anchor]],
    reason: str,
    expires: dt.date | None,
) -> None:
    """Write ``original`` (its bytes; None: a new file) and ``entries``.

    One entry per (draft, anchor) of ``entries``, all with ``reason`` and
    ``expires``.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from .fixes import FixError, write_atomic

    text = HEADER + "waivers:\n" if original is None else original.decode("utf-8")
    yaml = YAML(typ="rt", pure=True)
    yaml.width = 4096  # NOTE: never fold a quoted text across lines
    yaml.indent(mapping=2, sequence=4, offset=2)
    # NOTE: entries share one expiry date object; write it out each time
    # instead of as a YAML anchor and aliases.
    yaml.representer.ignore_aliases = lambda *args: True
    data = yaml.load(text)
    if data is None:
        data = CommentedMap()
    if data.get("waivers") is None:
        data["waivers"] = CommentedSeq()
    seq = data["waivers"]
    seq.fa.set_block_style()
    for target, found in entries:
        item = CommentedMap()
        item["rule"] = found.rule
        item["file"] = _relative(target, path.parent)
        item["text"] = _scalar(found.text)
        item["before"] = _scalar(found.before)
        item["after"] = _scalar(found.after)
        item["reason"] = _scalar(reason)
        if expires is not None:
            item["expires"] = expires
        seq.append(item)
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    try:
        # NOTE: ``original`` guards against an editor saving meanwhile
        # (other ``waive`` runs wait for the lock).
        write_atomic(path, buffer.getvalue().encode("utf-8"), original)
    except FixError as exc:
        raise WaiverError(f"{display(path)}: {exc}") from None


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``<path>.lock`` (waiting up to LOCK_WAIT s).

    NOTE: not a lock on the waiver file itself: it is replaced by a rename,
    and a lock on the old file would not stop a run that opens the new one.
    The lock file stays: removing it would let a waiting run lock a file
    nobody else sees.
    """
    lock = path.with_name(path.name + ".lock")
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise WaiverError(f"{display(lock)}: cannot lock: {exc.strerror}") from None
    try:
        deadline = time.monotonic() + LOCK_WAIT
        while not _try_lock(fd):
            if time.monotonic() > deadline:
                raise WaiverError(
                    f"{display(path)}: another run held {lock.name} for over "
                    f"{LOCK_WAIT:g} s; try again"
                )
            time.sleep(0.02)
        yield
    finally:
        os.close(fd)  # NOTE: closing releases the lock


def _try_lock(fd: int) -> bool:
    """Lock ``fd`` exclusively without waiting; False if another holds it."""
    if sys.platform == "win32":  # pragma: no cover - tested on POSIX only
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _scalar(value: str) -> str:
    """``value``, double-quoted (with escapes) if it holds an invisible char.

    NOTE: ruamel would write e.g. U+0085 raw inside single quotes, where a
    YAML reader takes it for a line break: the text would not read back.
    """
    if value.isprintable():
        return value
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    quoted: str = DoubleQuotedScalarString(value)  # NOTE: a str subclass
    return quoted


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
    pending: dict[Path, dict[Path, list[Anchor]]] = {}
    tool = {r.id for r in WAIVER_RULES}
    for item in plan.files:
        result = lint_file(
            item.path,
            item.packset,
            item.settings.options(),
            item.rule_filter,
            keep_report=True,
        )
        if result.error is not None or result.report is None:
            err.write(f"{escape_path(result.path)}: error: {result.error}\n")
            code = 2
            continue
        doc = result.report.document
        by_id = {r.id: r for r in item.packset.all_rules()}
        findings = [
            f
            for f in result.findings
            if f.rule not in tool
            and (not rules or (f.rule in by_id and selection.enabled(by_id[f.rule])))
        ]
        target = default_waiver_path(plan.waivers, item.path, item.settings.root)
        # NOTE: a draft named twice (or through a link) is waived once.
        pending.setdefault(target, {}).setdefault(
            Path(doc.path).resolve(),
            [anchor(doc, f, by_id.get(f.rule)) for f in findings],
        )
    added = 0
    for target, drafts in pending.items():
        if not any(drafts.values()):
            continue
        try:
            count = add_waivers(target, drafts, reason, expires)
        except WaiverError as exc:
            err.write(f"disclosure-lint: error: {exc}\n")
            code = 2
            continue
        if count:
            added += count
            out.write(f"{display(target)}: added {count} waiver(s)\n")
    if not added and code == 0:
        out.write("no findings to waive\n")
    return code

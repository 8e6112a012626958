"""Year over year: what a draft keeps for pairing, and a pair's findings.

A year-over-year rule (a kind with ``extract`` and ``compare``, see
``kinds.base``) cannot judge one draft alone. Each draft linted while
pairing is on keeps a ``Digest``: its year and edition and, per
year-over-year rule of its pack, what that rule's kind extracts (a few
table cells, the fingerprints of some sentences, each with its place).
Digests are small and picklable: worker processes send them back with the
findings, and a batch of thousands keeps only these, never the drafts.
Once this year's and last year's drafts are known, ``pair_findings``
compares their digests and returns findings on this year's draft that
name the matching place in last year's report (``Finding.related``).
"""

from __future__ import annotations

from typing import Any, Final

from ..document.findings import Finding, Related
from ..document.text import Record
from ..kinds import KINDS
from ..kinds.base import Where
from ..kinds.report import LintOptions, Report
from ..packs.messages import render
from ..packs.model import Pack
from .lint import RuleFilter

#: What a related place in last year's report says it is, per language.
RELATED_NOTE = {
    "zh": "上年（{year}年）报告中的对应内容",
    "en": "the matching place in last year's ({year}) report",
}


class Digest(Record):
    """What pairing keeps of one linted draft."""

    __match_args__ = ("path", "year", "edition", "extracts", "issuer", "issuer_key")
    __slots__ = __match_args__

    def __init__(
        self,
        path: str,
        year: int | None,
        edition: str,
        extracts: dict[str, Any],
        issuer: str | None = None,
        issuer_key: str | None = None,
    ) -> None:
        """The digest of the draft at ``path``: per rule id, its extract.

        ``issuer`` is the issuer as the title writes it, ``issuer_key`` the
        key that pairs it (``outline.issuer``); None if the title names none.
        """
        self.path: Final = path
        self.year: Final = year
        self.edition: Final = edition
        self.extracts: Final = extracts
        self.issuer: Final = issuer
        self.issuer_key: Final = issuer_key


def build_digest(report: Report) -> Digest:
    """The digest of a linted draft: every year-over-year rule's extract.

    NOTE: every such rule of the pack, whatever this file's rule filter:
    whether a rule runs is decided by the filter of the later year's file.
    """
    extracts: dict[str, Any] = {}
    for rule in report.pack.rules:
        kind = KINDS[rule.kind]
        if kind.extract is None:
            continue
        if rule.prepared is None:
            rule.prepared = kind.prepare(rule.params)
        extracts[rule.id] = kind.extract(report, rule, rule.prepared)
    outline = report.outline
    return Digest(
        report.document.path,
        outline.year,
        str(outline.edition),
        extracts,
        outline.issuer,
        outline.issuer_key,
    )


def pair_findings(
    current: Digest,
    previous: Digest,
    pack: Pack,
    rule_filter: RuleFilter,
    options: LintOptions,
) -> list[Finding]:
    """Findings on ``current`` (this year's draft, linted with ``pack``).

    A rule runs when the filter enables it and both drafts kept its
    extract: a rule of one edition's pack is not applied across an edition
    change (last year's draft was linted with the other pack).
    """
    findings: list[Finding] = []
    lang = options.lang
    note = RELATED_NOTE.get(lang, RELATED_NOTE["zh"]).format(year=previous.year)
    for rule in pack.rules:
        kind = KINDS[rule.kind]
        if kind.compare is None or not rule_filter.enabled(rule):
            continue
        if rule.id not in current.extracts or rule.id not in previous.extracts:
            continue
        if rule.prepared is None:
            rule.prepared = kind.prepare(rule.params)
        template = rule.message.get(lang) or rule.message["zh"]
        severity = rule_filter.severity_for(rule)
        hits = kind.compare(
            current.extracts[rule.id],
            previous.extracts[rule.id],
            rule,
            rule.prepared,
            options,
        )
        for hit in hits:
            place = hit.where
            related = (
                () if hit.related is None else (_related(previous, hit.related, note),)
            )
            findings.append(
                Finding(
                    path=current.path,
                    span=place.span,
                    start=place.start,
                    end=place.end,
                    rule=rule.id,
                    name=rule.name,
                    category=rule.category,
                    severity=severity,
                    message=render(template, dict(hit.args)),
                    location=place.location,
                    related=related,
                )
            )
    findings.sort(key=lambda f: f.sort_key)
    return findings


def _related(previous: Digest, place: Where, note: str) -> Related:
    return Related(previous.path, place.start, place.end, note, place.location)

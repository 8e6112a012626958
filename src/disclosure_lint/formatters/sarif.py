"""SARIF 2.1.0 output for code-scanning services (GitHub, GitLab, Azure DevOps).

One run: ``tool.driver.rules`` describes every loaded rule, each result points
at its rule by id and index, columns are code points (``columnKind:
unicodeCodePoints``, the same 1-based, end-exclusive columns as every other
format) and safe fixes become ``fixes``. Files that could not be read are
``toolExecutionNotifications`` and make ``executionSuccessful`` false, as does
an interrupted run (with ``exitCode`` 130 and a notification saying so).

A draft read from another form points into that file: a web page's results
have the region in its HTML source; a Word document or PDF is a binary
artifact, so its results name the artifact without a region and give the
place (``段落12``, ``表2第3行第4列``, ``第3页第12行``) as a logical location
and the location's message (``SarifFormatter._location``). Only a text draft's
results carry ``fixes`` (edits of the text the rules read).

A finding that names other places (last year's report) has them as
``relatedLocations`` (ids 1, 2, …), each linked from the message as
``[text](id)`` (SARIF 3.11.6): GitHub code scanning shows only linked ones.

``partialFingerprints`` let a service recognise the same finding after edits
elsewhere in the file: they hash the rule id, the path, the normalised text of
the flagged line and the flagged text, plus an occurrence index among findings
that share all of these. Line and column numbers are left out on purpose.

Results are spooled (``base.Spool``) as the files come and the log is written
at the end, so memory does not grow with the number of drafts; the text of a
line is normalised and hashed once per line and rule, not once per finding,
so a long line with many findings costs time linear in its length.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ..document.paths import escape_path, path_bytes
from ..version import __version__
from .base import (
    ELLIPSIS,
    SPAN_CHARS,
    Formatter,
    JsonArraySpool,
    Summary,
    relative_path,
)

if TYPE_CHECKING:
    from ..document.findings import Finding, Fix, Related
    from ..document.source import Location
    from ..document.text import Document
    from ..engine.lint import FileResult
    from ..packs.model import Rule

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
FINGERPRINT_KEY = "disclosureLint/v1"
SRCROOT = "%SRCROOT%"
#: Longest flagged text given as a region's ``snippet``: a snippet must be the
#: region's whole text, so a longer region has none.
SNIPPET_CHARS = 200

_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def artifact_location(path: str) -> dict[str, str]:
    """A SARIF ``artifactLocation`` for ``path``.

    Relative paths become percent-encoded relative URIs against
    ``%SRCROOT%`` (the checkout); an absolute path outside the working
    directory can only be a ``file:`` URI. The name's bytes are
    percent-encoded, so a name that is not UTF-8 keeps its exact bytes.
    """
    rel = relative_path(path)
    uri = quote(path_bytes(rel))
    if PurePosixPath(rel).is_absolute():
        return {"uri": "file://" + uri}
    return {"uri": uri, "uriBaseId": SRCROOT}


def normalise_line(text: str) -> str:
    """Collapse whitespace (ASCII and ideographic) so re-wrapping is not an edit."""
    return " ".join(text.split())


def fingerprint(rule: str, uri: str, line_text: str, flagged: str, nth: int) -> str:
    """A stable hash of what identifies a finding apart from its position."""
    key = "\x1f".join((rule, uri, normalise_line(line_text), flagged, str(nth)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


class _LineHashes:
    """``fingerprint`` for the findings of one file, each line done once.

    NOTE: the hash of a key starting with the rule, the URI and the
    normalised line is kept per (rule, line) and copied for each finding;
    hashing the line again for every finding on it made a 3 MB line with
    1,000 findings take 14 s. The digests are those of ``fingerprint``.
    """

    def __init__(self, doc: Document | None, uri: str) -> None:
        """Hashes for the lines of ``doc`` (none: empty lines)."""
        self._doc = doc
        self._uri = uri
        self._lines: dict[int, str] = {}
        self._heads: dict[tuple[str, int], Any] = {}

    def normalised(self, line: int) -> str:
        """The normalised text of 1-based ``line``."""
        text = self._lines.get(line)
        if text is None:
            raw = self._doc.line_text(line) if self._doc is not None else ""
            text = self._lines[line] = normalise_line(raw)
        return text

    def fingerprint(self, rule: str, line: int, flagged: str, nth: int) -> str:
        """``fingerprint(rule, uri, <line's text>, flagged, nth)``."""
        head = self._heads.get((rule, line))
        if head is None:
            key = "\x1f".join((rule, self._uri, self.normalised(line), ""))
            head = self._heads[(rule, line)] = hashlib.sha256(key.encode("utf-8"))
        digest = head.copy()
        digest.update(f"{flagged}\x1f{nth}".encode())
        return digest.hexdigest()[:32]


def _region(
    start_line: int, start_col: int, end_line: int, end_col: int
) -> dict[str, int]:
    return {
        "startLine": start_line,
        "startColumn": start_col,
        "endLine": end_line,
        "endColumn": end_col,
    }


def logical_kind(where: Location) -> str:
    """The ``logicalLocation.kind`` of a place in a Word document or PDF.

    NOTE: SARIF lists kinds for program constructs and XML/JSON documents
    and lets a producer use its own where none fits.
    """
    if where.form == "pdf":
        return "pdfLine"
    if getattr(where, "table", None) is not None:
        return "tableCell"
    return "paragraph"


def _placed(finding: Finding | Related) -> dict[str, Any]:
    """The location's property bag: its JSON form and the rendered span."""
    return {
        "location": finding.source_location.to_dict(),
        "rendered": _region(
            finding.start.line,
            finding.start.column,
            finding.end.line,
            finding.end.column,
        ),
    }


def _link_text(text: str) -> str:
    r"""``text`` as an embedded link's text: ``\``, ``[`` and ``]`` escaped."""
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    """A ``reportingDescriptor`` for one rule."""
    help_text = f"{rule.summary}\n\n{rule.rationale}\n\nSource: {rule.source}"
    help_md = (
        f"**{rule.id} {rule.name}**: {rule.summary}\n\n{rule.rationale}\n\n"
        f"Source: {rule.source}"
    )
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.rationale or rule.summary},
        "help": {"text": help_text, "markdown": help_md},
        "defaultConfiguration": {"level": _LEVELS[rule.severity.value]},
        "properties": {
            "category": rule.category.value,
            "tags": [rule.category.value],
            "pack": rule.pack,
            "source": rule.source,
        },
    }


class SarifFormatter(Formatter):
    """Collects results per file and writes one SARIF log at the end."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Describe the loaded rules up front so results can index them."""
        super().__init__(*args, **kwargs)
        self._rules: list[dict[str, Any]] = []
        self._rule_index: dict[str, int] = {}
        packset = self.ctx.packset
        for rule in packset.all_rules() if packset is not None else []:
            self._add_rule(rule_descriptor(rule))
        # NOTE: at depth 4: log > runs > run > results.
        self._results = JsonArraySpool(depth=4, sort_keys=False)
        self._notifications: list[dict[str, Any]] = []

    def _add_rule(self, descriptor: dict[str, Any]) -> int:
        self._rule_index[descriptor["id"]] = len(self._rules)
        self._rules.append(descriptor)
        return len(self._rules) - 1

    def _index_of(self, finding: Finding) -> int:
        index = self._rule_index.get(finding.rule)
        if index is not None:
            return index
        # NOTE: only reached without a packset (library use): describe the
        # rule from the finding so that ruleIndex stays valid.
        return self._add_rule(
            {
                "id": finding.rule,
                "name": finding.name,
                "shortDescription": {"text": finding.name},
                "defaultConfiguration": {"level": _LEVELS[finding.severity.value]},
                "properties": {"category": finding.category.value},
            }
        )

    def file(self, result: FileResult) -> None:
        """Turn this file's findings (or its load error) into SARIF objects."""
        location = artifact_location(result.path)
        if result.error is not None:
            self._notifications.append(
                {
                    "level": "error",
                    "message": {"text": f"{escape_path(result.path)}: {result.error}"},
                    "locations": [{"physicalLocation": {"artifactLocation": location}}],
                }
            )
            return
        doc = result.report.document if result.report is not None else None
        hashes = _LineHashes(doc, location["uri"])
        seen: Counter[tuple[str, str, str]] = Counter()
        for finding in result.findings:
            flagged = doc.text[finding.span.start : finding.span.end] if doc else ""
            key = (finding.rule, hashes.normalised(finding.start.line), flagged)
            nth = seen[key]
            seen[key] += 1
            digest = hashes.fingerprint(finding.rule, finding.start.line, flagged, nth)
            self._results.add(self._result(finding, location, flagged, digest, doc))

    def _result(
        self,
        finding: Finding,
        location: dict[str, str],
        flagged: str,
        fingerprint: str,
        doc: Document | None,
    ) -> dict[str, Any]:
        out: dict[str, Any] = {
            "ruleId": finding.rule,
            "ruleIndex": self._index_of(finding),
            "level": _LEVELS[finding.severity.value],
            "kind": "fail",
            "message": {"text": finding.message},
            "locations": [self._location(finding, location, flagged)],
            "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
            "properties": {"category": finding.category.value},
        }
        if finding.related:
            out["message"]["text"] += self._links(finding.related)
            out["relatedLocations"] = [
                self._related(place, number)
                for number, place in enumerate(finding.related, 1)
            ]
        if finding.fix is not None and finding.fix.safe and finding.location is None:
            # NOTE: a fix is an edit of the text the rules read; only a text
            # draft is that text (a web page's markup, a Word or PDF file
            # are not), so only a text draft's results carry ``fixes``.
            out["fixes"] = [self._fix(finding.fix, location, doc)]
        return out

    def _links(self, related: tuple[Related, ...]) -> str:
        """The message's embedded link (``[text](id)``) to each related place."""
        links = [
            f"[{_link_text(place.message)}]({number})"
            for number, place in enumerate(related, 1)
        ]
        if self.ctx.lang == "en":
            return f" (see {', '.join(links)})"
        return f"（参见{'、'.join(links)}）"

    def _related(self, place: Related, number: int) -> dict[str, Any]:
        """One of ``relatedLocations``, located as a result is (``_location``)."""
        out: dict[str, Any] = {"id": number}
        out.update(self._location(place, artifact_location(place.path), ""))
        text = place.message
        if "logicalLocations" in out:
            # NOTE: a viewer that shows only the message still gets the place.
            label = out["message"]["text"]
            text += f" ({label})" if self.ctx.lang == "en" else f"（{label}）"
        out["message"] = {"text": text}
        return out

    def _location(
        self, finding: Finding | Related, artifact: dict[str, str], flagged: str
    ) -> dict[str, Any]:
        """The result's ``location``: a text region, or a named place.

        A text draft: the finding's region (with the flagged text as its
        snippet). A web page: the region in the HTML source. A Word
        document or a PDF is not a text artifact, so a line/column region
        would be false: the artifact alone, the place named by a logical
        location (``paragraph``, ``tableCell`` or ``pdfLine``) and the
        location's ``message``; ``properties.location`` is the JSON
        ``location`` object and ``properties.rendered`` the span in the
        rendered text (as ``disclosure-lint render`` numbers it). A related
        place (``Related``) is located the same way.
        """
        where = finding.location
        span = where.file_line if where is not None else None
        if where is None or span is not None:
            line, column, end_line, end_column = span or (
                finding.start.line,
                finding.start.column,
                finding.end.line,
                finding.end.column,
            )
            region: dict[str, Any] = _region(line, column, end_line, end_column)
            if where is None and flagged and len(flagged) <= SNIPPET_CHARS:
                region["snippet"] = {"text": flagged}
            physical = {"artifactLocation": dict(artifact), "region": region}
            if where is None:
                return {"physicalLocation": physical}
            return {"physicalLocation": physical, "properties": _placed(finding)}
        label = where.label(self.ctx.lang)
        return {
            "physicalLocation": {"artifactLocation": dict(artifact)},
            "logicalLocations": [{"name": label, "kind": logical_kind(where)}],
            "message": {"text": label},
            "properties": _placed(finding),
        }

    def _fix(
        self, fix: Fix, location: dict[str, str], doc: Document | None
    ) -> dict[str, Any]:
        old = doc.text[fix.span.start : fix.span.end] if doc else ""
        if len(old) > SPAN_CHARS:
            old = old[:SPAN_CHARS] + ELLIPSIS  # NOTE: a description, not the edit
        en = self.ctx.lang == "en"
        if fix.replacement:
            text = (
                f"Replace “{old}” with “{fix.replacement}”"
                if en
                else f"将“{old}”改为“{fix.replacement}”"
            )
        else:
            text = f"Delete “{old.strip()}”" if en else f"删除“{old.strip()}”"
        return {
            "description": {"text": text},
            "artifactChanges": [
                {
                    "artifactLocation": dict(location),
                    "replacements": [
                        {
                            "deletedRegion": _region(
                                fix.start.line,
                                fix.start.column,
                                fix.end.line,
                                fix.end.column,
                            ),
                            "insertedContent": {"text": fix.replacement},
                        }
                    ],
                }
            ],
        }

    def finish(self, summary: Summary) -> None:
        """Write the SARIF log, the spooled results in their place."""
        invocation: dict[str, Any] = {
            "executionSuccessful": not (self._notifications or summary.partial),
            "toolExecutionNotifications": self._notifications,
        }
        if summary.partial:
            invocation["exitCode"] = 130
            invocation["exitSignalName"] = "SIGINT"
            self._notifications.append(
                {
                    "level": "error",
                    "message": {
                        "text": f"interrupted after {summary.files} file(s): "
                        "this log holds the results of those files only"
                    },
                }
            )
        run: dict[str, Any] = {
            "tool": {
                "driver": {
                    "name": "disclosure-lint",
                    "version": __version__,
                    "semanticVersion": __version__,
                    "rules": self._rules,
                }
            },
            "invocations": [invocation],
            "columnKind": "unicodeCodePoints",
            "results": self._results.stand_in,
        }
        properties: dict[str, Any] = {}
        if self.ctx.statistics:
            properties["statistics"] = dict(sorted(summary.by_rule.items()))
        if summary.tables_skipped:
            properties["tables_skipped"] = summary.to_dict()["tables_skipped"]
        if properties:
            run["properties"] = properties
        log = {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}
        document = json.dumps(log, ensure_ascii=False, sort_keys=False, indent=2)
        self._results.splice(document + "\n", self.ctx.out)

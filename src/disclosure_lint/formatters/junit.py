"""JUnit XML for CI systems that show test reports (GitLab, Jenkins, Azure).

Layout: one ``<testsuite>`` per draft and one ``<testcase>`` per finding,
named ``LINE:COL ID name`` (for a Word document or PDF the place in it, ``段落12
ID name``, and no ``line`` attribute); a draft without findings gets a single
passing ``no findings`` case, and a draft that cannot be read gets one case
with an ``<error>``. NOTE: a case per finding (rather than one case per draft
with many failures) because GitLab's test report and Jenkins' JUnit plugin
read only one ``<failure>`` per case: with one case per finding every problem
is listed by name, with its message, in the merge-request widget and the build
page. A case per rule checked would bury the few failures among hundreds of
passing cases.

A finding at or above ``--fail-on`` is a ``<failure>``, so the report agrees
with the exit code; one below it is a passing case with the message in
``<system-out>``, so the report still lists it. Each case quotes an excerpt
of its line (``base.excerpt``), never the whole line, then each place the
finding names in another file (``    = 参见 previous/2023.txt:12:5: …``, as
the text format writes it).

Each suite is written to a spool (``base.Spool``) as its file comes; the
root's totals are written at the end, then the suites, so memory does not
grow with the number of drafts. An interrupted run (Ctrl-C) ends with a
``disclosure-lint`` suite whose one case is an ``<error>`` saying so.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ..document.paths import escape_path
from .base import Formatter, Spool, Summary, excerpt, gutter, place, related_line

if TYPE_CHECKING:
    from ..document.findings import Finding
    from ..document.text import Document
    from ..engine.lint import FileResult

# Characters XML 1.0 cannot carry even escaped (C0 controls but tab, CR, LF;
# lone surrogates; U+FFFE/U+FFFF). A draft may contain them; the report must
# still parse.
_INVALID_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    r"""``text`` with characters XML cannot carry shown as ``\uXXXX``."""
    return _INVALID_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class JunitFormatter(Formatter):
    """Spools one ``<testsuite>`` per file and writes the document at the end."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Start with no suite."""
        super().__init__(*args, **kwargs)
        self._suites = Spool()
        self._totals = {"tests": 0, "failures": 0, "errors": 0}

    def _write_suite(
        self, name: str, counts: dict[str, int], cases: Iterable[ET.Element]
    ) -> None:
        """Count a suite in the totals and spool it, one case at a time.

        NOTE: laid out as ``ET.indent`` on the whole tree would; the cases
        are made and written one by one, so a draft with 100,000 findings
        is never one tree.
        """
        suite = ET.Element("testsuite", name=name)
        for key, value in counts.items():
            suite.set(key, str(value))
            self._totals[key] += value
        suite.set("skipped", "0")
        self._suites.write(f"  {_open_tag(suite)}\n")
        for case in cases:
            ET.indent(case, level=2)
            self._suites.write(f"    {ET.tostring(case, encoding='unicode')}\n")
        self._suites.write("  </testsuite>\n")

    def file(self, result: FileResult) -> None:
        """Spool this file's suite."""
        path = xml_text(escape_path(result.path))
        threshold = self.ctx.fail_on.rank
        failures = sum(f.severity.rank >= threshold for f in result.findings)
        counts = {
            "tests": max(1, len(result.findings)),
            "failures": failures,
            "errors": int(result.error is not None),
        }
        self._write_suite(path, counts, self._cases(result, path))

    def _cases(self, result: FileResult, path: str) -> Iterator[ET.Element]:
        """The suite's cases: the load error, ``no findings`` or the findings."""
        if result.error is not None:
            case = ET.Element("testcase", classname=path, name="read draft", file=path)
            error = ET.SubElement(
                case, "error", type="load-error", message=xml_text(result.error)
            )
            error.text = xml_text(f"{escape_path(result.path)}: {result.error}")
            yield case
        elif not result.findings:
            yield ET.Element("testcase", classname=path, name="no findings", file=path)
        doc = result.report.document if result.report is not None else None
        threshold = self.ctx.fail_on.rank
        for finding in result.findings:
            failed = finding.severity.rank >= threshold
            yield self._case(path, finding, doc, failed)

    def _case(
        self, path: str, finding: Finding, doc: Document | None, failed: bool
    ) -> ET.Element:
        where = place(finding, self.ctx.lang)
        case = ET.Element(
            "testcase",
            classname=path,
            name=f"{where} {finding.rule} {finding.name}",
            file=path,
        )
        line = _source_line(finding)
        if line is not None:
            case.set("line", str(line))
        detail = (
            f"{escape_path(finding.path)}:{where}: "
            f"{finding.severity.value} {finding.rule} {finding.message}"
        )
        if doc is not None:
            head = gutter(finding.start.line, doc.form != "text", self.ctx.lang)
            detail += f"\n{head}{excerpt(doc, finding).text}"
        for related in finding.related:
            detail += f"\n    = {related_line(related, self.ctx.lang)}"
        if failed:
            failure = ET.SubElement(
                case,
                "failure",
                type=f"{finding.severity.value} {finding.rule}",
                message=xml_text(finding.message),
            )
            failure.text = xml_text(detail)
        else:
            ET.SubElement(case, "system-out").text = xml_text(detail)
        return case

    def finish(self, summary: Summary) -> None:
        """Write the XML document: the root with its totals, then the suites."""
        if summary.partial:
            self._interrupted(summary.files)
        root = ET.Element("testsuites", name="disclosure-lint")
        for key, value in self._totals.items():
            root.set(key, str(value))
        out = self.ctx.out
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        if not self._suites.count:
            out.write(ET.tostring(root, encoding="unicode") + "\n")
            return
        out.write(_open_tag(root) + "\n")
        self._suites.copy_to(out)
        out.write("</testsuites>\n")

    def _interrupted(self, files: int) -> None:
        """The suite that says the run was stopped: an error, so CI sees it."""
        case = ET.Element("testcase", classname="disclosure-lint", name="complete run")
        message = (
            f"interrupted after {files} file(s): this report holds the results "
            "of those files only"
        )
        ET.SubElement(case, "error", type="interrupted", message=message).text = message
        counts = {"tests": 1, "failures": 0, "errors": 1}
        self._write_suite("disclosure-lint", counts, [case])


def _source_line(finding: Finding) -> int | None:
    """The line of the source file (a text draft's, a web page's), if it has lines."""
    where = finding.location
    if where is None:
        return finding.start.line
    span = where.file_line
    return None if span is None else span[0]


def _open_tag(element: ET.Element) -> str:
    """``element``'s start tag with its attributes (escaped by ElementTree)."""
    return ET.tostring(element, encoding="unicode").removesuffix(" />") + ">"

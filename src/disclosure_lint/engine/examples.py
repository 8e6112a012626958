"""Rule examples run as drafts: what a rule reports on one of its examples.

``disclosure-lint explain`` / ``docs`` show these findings and the tests
assert them, through this one function. An example's ``text`` is a draft's
text, or, when its ``path`` names a ``.docx``, the body of a Word document
(WordprocessingML with the ``w:`` prefix), packed into a real package so
that the example goes through the real reader. An example of a
year-over-year rule also has ``previous``: last year's report (as text),
linted the same way and paired with the example's draft (``engine.pairs``).
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from ..document.findings import Finding
from ..inputs.load import document_from_bytes
from ..kinds.report import LintOptions
from ..packs.model import PackSet
from .lint import RuleFilter, lint_document
from .pairs import build_digest, pair_findings

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def example_findings(
    rule_id: str, example: dict[str, Any], packset: PackSet, lang: str = "zh"
) -> list[Finding]:
    """The findings of rule ``rule_id`` on ``example`` (a rule file's example)."""
    path = str(example.get("path", "example.txt"))
    text = str(example["text"])
    data = (
        package_from_body(text)
        if path.lower().endswith(".docx")
        else text.encode("utf-8")
    )
    edition = example.get("edition")
    options = LintOptions(
        lang=lang,
        year=example.get("year"),
        edition=str(edition) if edition else None,
    )
    doc = document_from_bytes(path, data)
    rule_filter = RuleFilter(select=(rule_id,))
    report, findings = lint_document(doc, packset, options, rule_filter)
    if "previous" not in example:
        return findings
    last = document_from_bytes(
        str(example.get("previous_path", "previous.txt")),
        str(example["previous"]).encode("utf-8"),
    )
    last_report = lint_document(last, packset, LintOptions(lang=lang), rule_filter)[0]
    pair = pair_findings(
        build_digest(report),
        build_digest(last_report),
        report.pack,
        rule_filter,
        options,
    )
    return sorted([*findings, *pair], key=lambda f: f.sort_key)


def package_from_body(body_xml: str) -> bytes:
    """A .docx whose body is ``body_xml`` (WordprocessingML, ``w:`` prefix).

    python-docx's default template with the given paragraphs and tables as
    its body; also used by the tests to build Word documents.
    """
    import docx
    from docx.oxml.parser import parse_xml

    document = docx.Document()
    body = document.element.body
    fragment = parse_xml(f'<w:body xmlns:w="{_W}">{body_xml}</w:body>')
    section = body.find(f"{{{_W}}}sectPr")
    for child in list(body):
        if child is not section:
            body.remove(child)
    for child in list(fragment):
        if section is not None:
            section.addprevious(child)
        else:
            body.append(child)
    out = BytesIO()
    document.save(out)
    return out.getvalue()

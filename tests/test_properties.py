"""Property tests: any text or bytes → no exception, every span inside the file."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from disclosure_lint.engine.lint import lint_document
from disclosure_lint.inputs.errors import LoadError
from disclosure_lint.inputs.load import document_from_bytes
from disclosure_lint.packs.load import load_packset

PACKSET = load_packset(use_cache=False)
VOCAB = [
    "一、总体情况",
    "六、其他需要报告的事项",
    "统计期限自2021年1月1日起至12月31日止",
    "截止",
    "2021年",
    "报告",
    "\t",
    "\n",
    "\r\n",
    "《",
    "》",
    "“",
    "”",
    "[bookmark: x]",
    "来源:",
    "0",
    "七、",
    "# ",
    "政府信息公开工作年度报告",
]


def _check(data: bytes) -> None:
    try:
        doc = document_from_bytes("p.txt", data)
    except LoadError:
        return
    report, findings = lint_document(doc, PACKSET)
    # NOTE: spans and positions are in the text the rules read: the file's,
    # or a crawled one-line text reflowed (report.document); locations are
    # in the file itself.
    read = report.document
    length = len(read.text)
    lines = read.index.line_count
    file_lines = doc.index.line_count
    for f in findings:
        assert 0 <= f.span.start <= f.span.end <= length
        assert 1 <= f.start.line <= max(lines, 1) + 1
        assert f.start <= f.end
        assert 1 <= f.source_location.line <= max(file_lines, 1) + 1
        if f.fix is not None:
            assert 0 <= f.fix.span.start <= f.fix.span.end <= length


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_any_bytes(data: bytes) -> None:
    _check(data)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(VOCAB) | st.text(max_size=8), max_size=40))
# headings in one long line: read reflowed, positions in the reflowed text
@example(["一、总体情况"] * 20 + ["[bookmark: x]"])
def test_any_text(parts: list[str]) -> None:
    _check("".join(parts).encode("utf-8", "surrogatepass"))

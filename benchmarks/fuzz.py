"""Fuzz the loader, outline, table reader and engine (hypothesis).

Inputs are random bytes and realistic drafts from ``corpus.py`` with random
edits (structural tokens inserted, lines deleted or duplicated, table cells
and headings broken) saved in a random encoding and line-ending style.
Invariants checked on every input:

* loading raises ``LoadError`` or gives a ``Document`` whose ``encode()`` is
  the input, byte for byte;
* outline, table reader and engine raise nothing;
* every span (finding, fix, section, table cell) lies inside the text and
  every finding's line and column are those of its start offset;
* linting twice gives identical findings (no hidden state between runs);
* every safe fix, applied alone, changes the file's bytes only inside its
  span; ``--fix`` (``fix_document``) is idempotent: fixing the fixed
  document changes nothing.

Usage::

    python benchmarks/fuzz.py --examples 200        # a few seconds per target
    python benchmarks/fuzz.py --examples 20000      # a long run (about an hour)

Exit code 0 when every invariant held, 1 with hypothesis' minimal failing
example otherwise.
"""

from __future__ import annotations

import argparse
import codecs
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import corpus  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import seed as fixed_seed  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from disclosure_lint.document.text import Document  # noqa: E402
from disclosure_lint.engine.fixes import apply_fixes, fix_document, safe_fixes  # noqa: E402
from disclosure_lint.engine.lint import build_report, lint_document  # noqa: E402
from disclosure_lint.inputs.errors import LoadError  # noqa: E402
from disclosure_lint.inputs.load import document_from_bytes  # noqa: E402
from disclosure_lint.kinds.report import LintOptions  # noqa: E402
from disclosure_lint.outline.outline import build_outline  # noqa: E402
from disclosure_lint.packs.load import load_packset  # noqa: E402
from disclosure_lint.packs.model import PackSet  # noqa: E402

TOKENS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "六、其他需要报告的事项",
    "七、",
    "（一）",
    "(二)",
    "第二十条第（一）项",
    "信息内容",
    "规章",
    "行政许可",
    "总计",
    "（七）总计",
    "一、本年新收政府信息公开申请数量",
    "四、结转下年度继续办理",
    "结果维持",
    "统计期限自2021年1月1日起至2021年12月31日止",
    "2020年",
    "截止",
    "部份公开",
    "人大代表提案",
    "[bookmark: _GoBack]",
    "来源:",
    "发布日期:2022-02-30",
    "《",
    "》",
    "“",
    "”",
    "\t",
    "\t\t",
    "| ",
    " |",
    "| --- | --- |",
    "\n",
    "\r\n",
    "\r",
    "\n\n",
    "\u3000",
    "\u00a0",
    "\ufeff",
    "\u2028",
    "\x0b",
    "\x85",
    "0",
    "-1",
    "12.5",
    "１２",
    "〇",
    "O",
    "万元",
    "#",
    "## ",
    "**",
    "\U0001f600",
]
STATS: Counter[str] = Counter()
ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-be", "crlf", "cr"]


def encode(text: str, how: str) -> bytes:
    """``text`` saved the way ``how`` says (falls back to UTF-8)."""
    if how == "crlf":
        return text.replace("\n", "\r\n").encode("utf-8", "surrogatepass")
    if how == "cr":
        return text.replace("\n", "\r").encode("utf-8", "surrogatepass")
    if how == "utf-16-be":
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be", "surrogatepass")
    try:
        return text.encode(how)
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def mutate(text: str, edits: list[tuple[float, str, str]]) -> str:
    """Apply ``(where, operation, token)`` edits to ``text``."""
    for where, op, token in edits:
        at = int(where * len(text))
        if op == "insert":
            text = text[:at] + token + text[at:]
        elif op == "delete":
            text = text[:at] + text[at + 1 + len(token) * 7 :]
        elif op == "replace-line":
            start = text.rfind("\n", 0, at) + 1
            end = text.find("\n", at)
            end = len(text) if end == -1 else end
            text = text[:start] + token + text[end:]
        elif op == "duplicate-line":
            start = text.rfind("\n", 0, at) + 1
            end = text.find("\n", at)
            end = len(text) if end == -1 else end + 1
            text = text[:end] + text[start:end] + text[end:]
        elif op == "drop-lines":
            lines = text.split("\n")
            del lines[int(where * len(lines)) : int(where * len(lines)) + len(token)]
            text = "\n".join(lines)
    return text


EDITS = st.lists(
    st.tuples(
        st.floats(0, 1, allow_nan=False),
        st.sampled_from(
            ["insert", "delete", "replace-line", "duplicate-line", "drop-lines"]
        ),
        st.sampled_from(TOKENS) | st.text(max_size=8),
    ),
    max_size=12,
)
DRAFTS = st.builds(
    lambda index, edits, how: encode(
        mutate(
            corpus.make_draft(index, seed=7).data.decode("utf-8-sig", "replace"), edits
        ),
        how,
    ),
    st.integers(0, 10**6),
    EDITS,
    st.sampled_from(ENCODINGS),
)
INPUTS = st.binary(max_size=2_000) | DRAFTS


# --------------------------------------------------------------------------
# Invariants


def load(data: bytes) -> Document | None:
    """Load, and check the round trip."""
    try:
        doc = document_from_bytes("fuzz.txt", data)
    except LoadError as exc:
        assert "\n" not in str(exc)
        STATS["load errors"] += 1
        return None
    assert doc.encode() == data, "load/encode is not byte-exact"
    STATS["documents"] += 1
    return doc


def check_outline(packset: PackSet, data: bytes) -> None:
    """Outline every edition's way; spans inside the text."""
    doc = load(data)
    if doc is None:
        return
    for pack in packset.editions():
        outline = build_outline(doc, pack.document)
        for section in outline.sections:
            assert 0 <= section.span.start <= section.span.end <= len(doc.text)
            assert section.body.start <= section.body.end <= len(doc.text)


def check_tables(packset: PackSet, data: bytes) -> None:
    """Read the tables; every cell span inside the text."""
    doc = load(data)
    if doc is None:
        return
    report = build_report(doc, packset, LintOptions())
    for table in report.tables:
        for span in _spans(table):
            assert 0 <= span.start <= span.end <= len(doc.text), span


def _spans(node: Any, depth: int = 0) -> list[Any]:
    """Every ``span`` attribute reachable from a table (rows, cells)."""
    from disclosure_lint.document.text import Span

    found: list[Any] = []
    if depth > 6:
        return found
    if isinstance(node, Span):
        return [node]
    if isinstance(node, dict):
        for value in node.values():
            found += _spans(value, depth + 1)
    elif isinstance(node, list | tuple):
        for value in node:
            found += _spans(value, depth + 1)
    elif hasattr(node, "__slots__") or hasattr(node, "__dict__"):
        names = getattr(node, "__slots__", None) or vars(node)
        for name in names:
            found += _spans(getattr(node, name, None), depth + 1)
    return found


def check_engine(packset: PackSet, data: bytes) -> None:
    """Lint twice, check spans and positions, then the fixes."""
    doc = load(data)
    if doc is None:
        return
    report, findings = lint_document(doc, packset)
    _, again = lint_document(document_from_bytes("fuzz.txt", data), packset)
    assert findings == again, "linting twice gave different findings"
    STATS["findings"] += len(findings)
    length = len(doc.text)
    for f in findings:
        assert 0 <= f.span.start <= f.span.end <= length
        assert doc.position(f.span.start) == f.start
        assert doc.position(f.span.end) == f.end
        if f.fix is not None:
            assert 0 <= f.fix.span.start <= f.fix.span.end <= length
    check_fixes(packset, doc, findings, report)


def _prefix_bytes(doc: Document, offset: int) -> int:
    """Bytes the first ``offset`` characters take in the file."""
    head = Document(doc.path, doc.text[:offset], doc.encoding, doc.bom, doc.newlines)
    return len(head.encode())


def check_fixes(packset: PackSet, doc: Document, findings: list, report: Any) -> None:
    """Each safe fix alone is byte-exact elsewhere; fixing is idempotent."""
    original = doc.encode()
    for fix in safe_fixes(findings):
        fixed, applied = apply_fixes(doc, [fix], report)
        try:
            new = fixed.encode()
        except UnicodeError:
            continue  # NOTE: --fix reports "not fixed" for unencodable text
        if not applied:
            assert new == original
            continue
        STATS["fixes applied alone"] += 1
        start = _prefix_bytes(doc, fix.span.start)
        end = _prefix_bytes(doc, fix.span.end)
        assert new[:start] == original[:start], "bytes before the fix changed"
        tail = len(original) - end
        assert new[len(new) - tail :] == original[end:], "bytes after the fix changed"

    def relint(document: Document) -> tuple[Any, list]:
        return lint_document(document, packset)

    first = fix_document(doc, findings, relint, report)
    second = fix_document(first.document, first.findings, relint, first.report)
    if first.changed and second.changed:
        raise AssertionError("--fix is not idempotent: a second run changed text")


# --------------------------------------------------------------------------
# Runner

TARGETS: dict[str, Callable[[PackSet, bytes], None]] = {
    "loader": lambda _packs, data: (load(data), None)[1],
    "outline": check_outline,
    "tables": check_tables,
    "engine": check_engine,
}


def _property(
    check: Callable[[PackSet, bytes], None],
    packset: PackSet,
    strategy: st.SearchStrategy[bytes],
    examples: int,
) -> Callable[[], None]:
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )
    @given(strategy)
    def test(data: bytes) -> None:
        check(packset, data)

    return test


def run(
    examples: int,
    seed: int | None = None,
    targets: list[str] | None = None,
    report: Callable[[str, float, dict[str, int]], None] | None = None,
):
    """Run each target on ``examples`` inputs; raise on the first failure.

    ``report(name, seconds, stats)`` is called as each target finishes.
    """
    packset = load_packset()
    counts: dict[str, tuple[float, dict[str, int]]] = {}
    for name in targets or list(TARGETS):
        check = TARGETS[name]
        strategy = st.binary(max_size=4_000) if name == "loader" else INPUTS

        test = _property(check, packset, strategy, examples)

        if seed is not None:
            test = fixed_seed(seed)(test)
        STATS.clear()
        started = time.perf_counter()
        test()
        counts[name] = (time.perf_counter() - started, dict(STATS))
        if report is not None:
            report(name, *counts[name])
    return counts


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description="fuzz disclosure-lint")
    parser.add_argument("--examples", type=int, default=200)
    parser.add_argument("--seed", type=int, default=None, help="derandomize")
    parser.add_argument("--target", action="append", choices=sorted(TARGETS))
    args = parser.parse_args(argv)

    def report(name: str, seconds: float, stats: dict[str, int]) -> None:
        # NOTE: printed as each target ends: a long run shows its progress.
        detail = ", ".join(f"{v} {k}" for k, v in sorted(stats.items()))
        print(
            f"{name}: {args.examples} inputs, 0 failures, {seconds:.1f} s ({detail})",
            flush=True,
        )

    try:
        run(args.examples, args.seed, args.target, report)
    except Exception as exc:
        print(f"fuzz: FAILED: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

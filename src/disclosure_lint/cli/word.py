"""The Word review workflow: ``--annotate OUT.docx`` and ``--fix`` on a .docx.

``--annotate`` writes a copy of the draft with every finding as a Word
comment (批注) by ``disclosure-lint`` on exactly the characters it is about:
runs are cut where a finding starts or ends inside them (``engine.docx_runs``)
and the comment range spans the pieces. The comment says the message, the
rule and the suggested fix. The draft itself is never written; the copy is
written atomically, like ``--output``.

``--fix`` on a ``.docx`` writes the safe fixes into the file as tracked
changes (``engine.docx_fixes``), atomically, keeping the file's mode and
owner (``engine.fixes.write_atomic``), and only if the file still holds the
bytes that were read.

Both read the file again in this process: the reader's map from rendered
text to runs is needed, and the text must be the text that was linted.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..document.findings import Finding
    from ..document.text import Document
    from ..engine.fixes import FixOutcome, Relint

AUTHOR = "disclosure-lint"
INITIALS = "DL"
#: The suffix ``--annotate`` reads and writes.
DOCX = ".docx"

#: Lines of a comment after the message: rule, replacement, deletion, safe.
_COMMENT = {
    "zh": (
        "规则 {rule}（{name}）",
        "建议改为“{new}”",
        "建议删除“{old}”",
        "（可用 --fix 自动修复）",
    ),
    "en": (
        "Rule {rule} ({name})",
        "Suggested fix: write “{new}”",
        "Suggested fix: delete “{old}”",
        " (--fix applies it)",
    ),
}


class WordError(Exception):
    """The copy or the fix cannot be made; the message is one line."""


def check_annotate(
    paths: list[str],
    target: Path,
    output: Path | None,
    *,
    fix: bool,
    diff: bool,
    stdin: bool,
) -> None:
    """Refuse an ``--annotate`` the run cannot honour (exit 2, one line).

    One copy is written per run, so exactly one ``.docx`` draft is checked;
    the copy is a new file (or replaces an old copy, as ``--output`` does),
    never the draft itself nor the report.

    Raises:
        WordError: what is wrong (``check`` makes it a usage error).
    """
    from ..document.paths import escape_path

    shown = escape_path(str(target))
    if fix or diff:
        raise WordError(
            "--annotate writes a commented copy; use --fix or --diff in another run"
        )
    if stdin or len(paths) != 1:
        raise WordError(
            "--annotate writes one commented copy: give exactly one .docx draft"
        )
    draft = Path(paths[0])
    if draft.is_dir() or draft.suffix.lower() != DOCX:
        raise WordError(
            f"--annotate adds Word comments: {escape_path(paths[0])} is not a "
            ".docx draft"
        )
    if target.suffix.lower() != DOCX:
        raise WordError(f"--annotate {shown}: name the copy *.docx")
    if target.is_dir():
        raise WordError(f"--annotate {shown} is a directory")
    resolved = target.resolve()
    if resolved == draft.resolve():
        raise WordError(
            f"--annotate {shown} is the draft itself, which is never written; "
            "choose another file"
        )
    if output is not None and output.resolve() == resolved:
        raise WordError(f"--annotate {shown} is also the --output report")


def _reread(path: str, doc: Document) -> tuple[bytes, Document]:
    """The file's bytes and the reader's document, which must be ``doc``'s text.

    Raises:
        WordError: unreadable, not a Word document, or changed since linted.
    """
    from ..inputs.errors import LoadError
    from ..inputs.load import document_from_bytes, read_file

    try:
        data = read_file(path)
        fresh = document_from_bytes(path, data)
    except LoadError as exc:
        raise WordError(str(exc)) from None
    if fresh.form != "docx":
        raise WordError("not a Word document (.docx)")
    if fresh.text != doc.text:
        raise WordError("file changed since it was read")
    return data, fresh


# --------------------------------------------------------------------------
# --annotate


def comment_text(finding: Finding, doc: Document, lang: str) -> str:
    """Message, rule and suggested fix of a finding, one per line."""
    rule, new, delete, safe = _COMMENT["en" if lang == "en" else "zh"]
    lines = [finding.message, rule.format(rule=finding.rule, name=finding.name)]
    fix = finding.fix
    if fix is not None:
        old = doc.text[fix.span.start : fix.span.end].strip("\n")
        line = (
            new.format(new=fix.replacement)
            if fix.replacement
            else delete.format(old=old)
        )
        lines.append(line + (safe if fix.safe else ""))
    return "\n".join(line.replace("\n", " ") for line in lines)


def _anchor(
    doc: Document, runs: list[Any], start: int, end: int
) -> list[tuple[int, int, int]]:
    """Run slices for a finding's span; never empty while the body has text.

    An empty span (a place, not characters, such as a list number the
    reader generates) gets the character after it, or before it at the end
    of a run; a place with no run at all in its paragraph or cell (an empty
    cell) gets the first character after it, else the last one before it.
    """
    from ..engine.docx_runs import run_text

    source: Any = doc.source
    slices = [(s.run_index, s.start, s.end) for s in source.run_slices(start, end)]
    slices = [s for s in slices if s[2] > s[1]] or slices[:1]
    if not slices:
        after = [s for s in source.run_slices(start, len(doc.text)) if s.end > s.start]
        before = [s for s in source.run_slices(0, start) if s.end > s.start]
        if after:
            slices = [(after[0].run_index, after[0].start, after[0].start)]
        elif before:
            slices = [(before[-1].run_index, before[-1].end, before[-1].end)]
    if len(slices) == 1 and slices[0][1] == slices[0][2]:
        index, at, _ = slices[0]
        length = len(run_text(runs[index]))
        if at < length:
            return [(index, at, at + 1)]
        return [(index, max(0, at - 1), length)]
    return slices


def annotate(
    path: str, target: Path, findings: list[Finding], doc: Document, lang: str
) -> int:
    """Write ``target``: the draft at ``path`` with ``findings`` as comments.

    Returns:
        The number of comments written.

    Raises:
        WordError: the draft cannot be read again or the copy not written.
    """
    import docx
    from docx.oxml.ns import qn
    from docx.text.run import Run

    from ..engine.docx_runs import covering, cut_runs

    data, fresh = _reread(path, doc)
    word = docx.Document(io.BytesIO(data))
    runs = list(word.element.body.iter(qn("w:r")))
    anchors = [_anchor(fresh, runs, f.span.start, f.span.end) for f in findings]
    cuts: dict[int, set[int]] = defaultdict(set)
    for slices in anchors:
        for index, start, end in slices:
            cuts[index].update((start, end))
    pieces = cut_runs(runs, cuts)
    written = 0
    for finding, slices in zip(findings, anchors, strict=True):
        covered = [e for i, a, b in slices for e in covering(pieces[i], a, b)]
        if not covered:
            continue  # NOTE: a body without a character: nothing to anchor on
        first, last = Run(covered[0], word.part), Run(covered[-1], word.part)
        text = comment_text(finding, fresh, lang)
        word.add_comment([first, last], text=text, author=AUTHOR, initials=INITIALS)
        written += 1
    out = io.BytesIO()
    word.save(out)
    try:
        _write_copy(target, out.getvalue())
    except OSError as exc:
        raise WordError(f"cannot write {target}: {exc.strerror or exc}") from None
    return written


def _write_copy(target: Path, data: bytes) -> None:
    """Replace ``target`` by ``data`` in one step, as ``--output`` writes.

    The copy gets the old copy's permissions, else 0666 less the umask
    (``cli.output``); on any failure no temporary file is left.

    Raises:
        OSError: the temporary file cannot be written or renamed.
    """
    import contextlib
    import os
    import stat
    import tempfile

    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    directory = target.parent if str(target.parent) else Path()
    fd, name = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".tmp")
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        tmp.chmod(mode)
        tmp.replace(target)
    except BaseException:
        # NOTE: also on Ctrl-C: never leave a stray temporary file.
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


# --------------------------------------------------------------------------
# --fix


def fix_word(
    path: str,
    doc: Document,
    findings: list[Finding],
    relint: Relint,
    report: Any,
    stdin: bool = False,
) -> tuple[FixOutcome, Callable[[], None]]:
    """The safe fixes of a Word draft as tracked changes, and how to save them.

    Raises:
        FixError: the draft cannot be read again or rewritten.
    """
    from ..engine.docx_fixes import fix_docx
    from ..engine.fixes import FixError, write_atomic

    if stdin:
        raise FixError(
            "a Word document from standard input is not fixed; give its path"
        )
    try:
        data, fresh = _reread(path, doc)
    except WordError as exc:
        raise FixError(str(exc)) from None
    outcome, fixed = fix_docx(fresh, data, findings, relint, report)

    def save() -> None:
        write_atomic(path, fixed, data)

    return outcome, save

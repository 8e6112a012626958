r"""Apply safe fixes: byte for byte elsewhere, atomically, never to a number.

``fix_document`` applies the safe fixes of a document's findings in passes:
in each pass fixes that overlap an earlier one are left for the next pass,
the text is linted again, and this repeats until nothing changes (at most
``MAX_PASSES``). The result is written back in the original encoding, BOM
and line endings (``Document.encode``): each line keeps its own terminator,
and a fix that removes a line break removes that line's terminator with it,
so no byte outside a fixed span changes.

A fix is refused, whatever its rule says, when it would change a number:
write or alter digits, cut into a number, delete a bare number, or touch a
table cell. Such findings stay reported.

``write_atomic`` writes through a temporary file in the same directory and
``os.replace`` (keeping the file's mode, owner and group), after checking
that the file may be written and still holds the bytes that were linted; on
any failure the original is untouched and no temporary file is left.

NOTE: replacing a file needs only write permission on its directory, not on
the file, so a rename alone would "fix" a read-only file, and one that
belongs to someone else would become ours. A file is therefore rewritten
only if it could be written in place (``os.access``; this also catches an
immutable file, and a read-only file system) and has a write permission bit
(root may write anything, but 0444 says the file is not to be changed), and
only if the new file can be given its owner and group.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import stat
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ..document.findings import Finding, Fix
from ..document.source import ReflowMap
from ..document.text import Document, Span
from ..records import dataclass

MAX_PASSES = 10

#: Lints a (fixed) document again: its report (for table cells) and findings,
#: already filtered the way the run filters them (rules, paths, waivers).
Relint = Callable[[Document], tuple[Any, list[Finding]]]


#: Forms whose files ``--fix`` and ``--diff`` do not change, and why. The
#: safe fixes are edits of the rendered text; writing them back needs a
#: writer for the form (a Word document has one: tracked changes, see
#: ``cli.word.fix_word``).
NOT_FIXED = {
    "html": "a web page is published output; fix the draft it was made from",
    "pdf": "a PDF is published output; fix the draft it was made from",
}


#: Why a text draft read reflowed (``engine.reflow``) is not fixed.
REFLOWED = (
    "its text was read with line breaks added before headings and table "
    "labels (a crawled page on one line); fix it by hand"
)


def fix_refusal(form: str, source: object = None) -> str | None:
    """Why the safe fixes of a draft in ``form`` are not applied, or None.

    ``source`` is the document's source map: a reflowed text draft
    (``ReflowMap``) is refused, as its fixes are edits of the reflowed text.
    """
    reason = NOT_FIXED.get(form)
    if reason is None and isinstance(source, ReflowMap):
        reason = REFLOWED
    if reason is None:
        return None
    return f"not fixed: {reason}"


class FixError(Exception):
    """Fixes that cannot be written; the message is one line."""


@dataclass(slots=True)
class FixOutcome:
    """The fixed document, how many fixes went in, and what is left."""

    original: Document
    document: Document
    fixed: int
    findings: list[Finding]
    report: Any = None

    @property
    def changed(self) -> bool:
        """True when the text differs from the original."""
        return self.document.text != self.original.text


# --------------------------------------------------------------------------
# Guards


def _digits(text: str) -> list[int]:
    # NOTE: values, not characters: full-width ２ and 2 are the same digit.
    return [unicodedata.decimal(c) for c in text if c.isdecimal()]


def changes_number(text: str, span: Span, replacement: str) -> bool:
    """True when replacing ``text[span]`` by ``replacement`` alters a number.

    Digits may only be carried over unchanged, or deleted together with the
    text around them (a bookmark ``_Toc123``, a ``发布日期:2021-01-27`` web
    leftover). Refused: new or different digits, an edit that starts or
    ends inside a number, and deleting text that is only a number.
    """
    old = text[span.start : span.end]
    old_digits, new_digits = _digits(old), _digits(replacement)
    if new_digits and new_digits != old_digits:
        return True
    before = text[span.start - 1] if span.start > 0 else ""
    after = text[span.end] if span.end < len(text) else ""
    # An edit that starts or ends inside a number trims or splits it; one
    # between two digits (even of a separator, 1,234) joins or splits them.
    cut_start = before.isdecimal() and (old[:1] or after).isdecimal()
    cut_end = after.isdecimal() and (old[-1:] or before).isdecimal()
    if cut_start or cut_end or (before.isdecimal() and after.isdecimal()):
        return True
    if old_digits and not new_digits:
        core = [c for c in old if unicodedata.category(c)[0] not in "PZC"]
        return all(c.isdecimal() for c in core)
    return False


def _cell_spans(report: Any) -> Iterator[Span]:
    """Spans of every table cell the report read (``tables.Table.cells()``)."""
    for table in getattr(report, "tables", None) or ():
        cells = getattr(table, "cells", None)
        for cell in (cells() if callable(cells) else cells) or ():
            span = getattr(cell, "span", None)
            if isinstance(span, Span):
                yield span


def touches_cell(cells: Sequence[Span], span: Span) -> bool:
    """True when an edit of ``span`` would change a table cell.

    A blank cell is a position: deleting across it, or inserting at it,
    touches it. An insertion at either edge of a filled cell changes what
    the cell holds, so it counts too (conservatively).
    """
    insert = span.start == span.end
    for cell in cells:
        if cell.start == cell.end:
            inside = span.start < cell.start < span.end
            if inside or (insert and span.start == cell.start):
                return True
        elif insert:
            if cell.start <= span.start <= cell.end:
                return True
        elif span.start < cell.end and cell.start < span.end:
            return True
    return False


# --------------------------------------------------------------------------
# One pass


def safe_fixes(findings: Iterable[Finding]) -> list[Fix]:
    """The safe fixes of ``findings``, each edit once, in text order."""
    seen: dict[tuple[int, int, str], Fix] = {}
    for finding in findings:
        fix = finding.fix
        if fix is not None and fix.safe:
            seen.setdefault((fix.span.start, fix.span.end, fix.replacement), fix)
    return [seen[k] for k in sorted(seen)]


def choose_fixes(doc: Document, fixes: Sequence[Fix], report: Any = None) -> list[Fix]:
    """The fixes one pass applies, in text order (see ``apply_fixes``).

    Refused: a fix that changes nothing, alters a number or touches a table
    cell, and one that overlaps a fix chosen before it.
    """
    text = doc.text
    cells = list(_cell_spans(report))
    chosen: list[Fix] = []
    last: Span | None = None
    for fix in sorted(fixes, key=lambda f: (f.span.start, f.span.end)):
        span = fix.span
        if text[span.start : span.end] == fix.replacement:
            continue
        if changes_number(text, span, fix.replacement) or touches_cell(cells, span):
            continue
        if last is not None and _overlaps(last, span):
            continue  # NOTE: the next pass, on the relinted text, retries it
        chosen.append(fix)
        last = span
    return chosen


def apply_fixes(
    doc: Document, fixes: Sequence[Fix], report: Any = None
) -> tuple[Document, int]:
    """Apply the fixes that do not overlap an earlier one; one pass.

    Returns the new document and the number of fixes applied. Refused fixes
    (numbers, table cells) and overlapping ones are not applied.
    """
    text = doc.text
    chosen = choose_fixes(doc, fixes, report)
    if not chosen:
        return doc, 0
    pieces: list[str] = []
    newlines = list(doc.newlines) if doc.newlines is not None else None
    cursor = len(text)
    for fix in reversed(chosen):
        start, end = fix.span.start, fix.span.end
        pieces.append(text[end:cursor])
        pieces.append(fix.replacement)
        cursor = start
        if newlines is not None:
            _splice_newlines(newlines, doc, start, end, fix.replacement)
    pieces.append(text[:cursor])
    new_text = "".join(reversed(pieces))
    return Document(doc.path, new_text, doc.encoding, doc.bom, newlines), len(chosen)


def _overlaps(earlier: Span, later: Span) -> bool:
    """Whether two edits, sorted by start, cannot both be applied in one pass.

    Two insertions at one offset, or an insertion where a replacement starts,
    have no defined order, so they count as overlapping too.
    """
    if later.start < earlier.end:
        return True
    empty = earlier.start == earlier.end or later.start == later.end
    return later.start == earlier.start and empty


def _splice_newlines(
    newlines: list[str], doc: Document, start: int, end: int, replacement: str
) -> None:
    """Keep ``newlines[i]`` paired with the i-th line break of the text.

    NOTE: fixes are applied right to left, so indices before ``start`` are
    still those of the original text.
    """
    first = doc.position(start).line - 1  # line breaks before ``start``
    removed = doc.text.count("\n", start, end)
    added = replacement.count("\n")
    if removed == 0 and added == 0:
        return
    style = newlines[first] if first < len(newlines) else _majority(newlines)
    newlines[first : first + removed] = [style] * added


def _majority(newlines: Sequence[str]) -> str:
    return max(set(newlines), key=list(newlines).count) if newlines else "\n"


# --------------------------------------------------------------------------
# Passes


def fix_document(
    doc: Document, findings: list[Finding], relint: Relint, report: Any = None
) -> FixOutcome:
    """Apply safe fixes pass after pass; return what is left after the last.

    Args:
        doc: the document as linted.
        findings: its findings (already filtered and waived).
        relint: lints a fixed document again the same way.
        report: the report of ``doc`` (its tables guard their cells).
    """
    current, total = doc, 0
    for _ in range(MAX_PASSES):
        fixes = safe_fixes(findings)
        if not fixes:
            break
        fixed_doc, applied = apply_fixes(current, fixes, report)
        if applied == 0:
            break
        total += applied
        current = fixed_doc
        report, findings = relint(current)
    return FixOutcome(doc, current, total, findings, report)


# --------------------------------------------------------------------------
# Output


def write_atomic(path: str | Path, data: bytes, expected: bytes | None = None) -> None:
    """Replace the file at ``path`` with ``data`` in one step.

    Args:
        path: the file (a symlink is followed; the link itself stays).
        data: the new content.
        expected: when given, the bytes the file must still hold; anything
            else means it changed since it was read, and nothing is written.

    Raises:
        FixError: the file changed, or writing failed (the original is then
            untouched and no temporary file is left).
    """
    target = Path(path).resolve()
    try:
        info = target.stat() if target.exists() else None
        if info is not None:
            _check_writable(target, info)
        if expected is not None and target.read_bytes() != expected:
            raise FixError(
                "file changed since it was read (or its bytes do not round-trip); "
                "not written"
            )
        fd, name = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
        )
    except OSError as exc:
        raise FixError(f"cannot write: {exc.strerror or exc}") from None
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if info is not None:
                _keep_owner(handle.fileno(), info)
            os.fsync(handle.fileno())
        if info is not None:
            # NOTE: after the owner: a change of owner clears set-ID bits.
            tmp.chmod(stat.S_IMODE(info.st_mode))
        tmp.replace(target)
    except BaseException as exc:
        # NOTE: also on KeyboardInterrupt: never leave a stray temp file.
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise FixError(f"cannot write: {exc.strerror or exc}") from None
        raise


def _check_writable(target: Path, info: os.stat_result) -> None:
    """Refuse a file this process could not write in place.

    Raises:
        FixError: ``read-only``.
    """
    writable_bits = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
    effective = os.access in os.supports_effective_ids
    if not info.st_mode & writable_bits or not os.access(
        target, os.W_OK, effective_ids=effective
    ):
        raise FixError("read-only")


def _keep_owner(fd: int, info: os.stat_result) -> None:
    """Give the temporary file the original's owner and group.

    Raises:
        FixError: the owner or group cannot be kept (a file of another user
            in a directory we may write, as a user who may not chown).
    """
    mine = os.fstat(fd)
    owner = (info.st_uid, info.st_gid)
    if hasattr(os, "fchown") and (mine.st_uid, mine.st_gid) != owner:
        try:
            os.fchown(fd, info.st_uid, info.st_gid)
        except PermissionError:
            if mine.st_uid != info.st_uid:
                reason = f"owned by another user (uid {info.st_uid})"
            else:
                reason = f"its group (gid {info.st_gid}) is not one of yours"
            raise FixError(f"{reason}; rewriting it would change that") from None


def unified_diff(path: str, old: Document, new: Document) -> str:
    """The change as a unified diff of the text (``--diff``)."""
    before = _diff_lines(old.text)
    after = _diff_lines(new.text)
    return "".join(difflib.unified_diff(before, after, path, path))


def _diff_lines(text: str) -> list[str]:
    lines = text.split("\n")
    out = [line + "\n" for line in lines[:-1]]
    if lines[-1]:
        out.append(lines[-1] + "\n\\ No newline at end of file\n")
    return out

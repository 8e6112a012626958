"""``--fix`` on a Word document: the safe fixes as tracked changes (修订).

The fixes are chosen exactly as for a text draft (``fixes.choose_fixes``:
never a number, never a table cell, no overlap within a pass). Each becomes
a revision the editor accepts or rejects in Word: the flagged characters are
cut out of their runs (``docx_runs``) and wrapped in ``w:del`` (their
``w:t`` turned into ``w:delText``), and the replacement is a new run with
the formatting (``w:rPr``) of the first deleted character in a ``w:ins``
right after them; both are by ``disclosure-lint``, dated, with ids no other
element of the package uses. A fix that deletes a whole paragraph with its
line break also marks the paragraph mark deleted, so that accepting it
leaves no empty paragraph.

Only ``word/document.xml`` (the main part) changes (``docx_package``).

A fix is left reported, not applied, when its characters are not all in
runs of the body (list numbers and tabs between cells are the reader's, not
the document's), when it would insert a line break, or when its runs are
already inside someone's revision. After each pass the new package is read
again by the reader, which reads revisions as accepted: the text must be
exactly the text the fixes give. If it is not, the fixes are tried one by
one and only those that read back right are written (the others stay
reported); if even those do not, nothing is written (``FixError``). The
text read is linted again, so the findings left have their places in the
new document.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from ..document.findings import Finding, Fix
from ..document.text import Document
from ..records import dataclass
from .docx_package import Package
from .docx_runs import XML_SPACE, covering, cut_runs, run_parts, run_text, w
from .fixes import (
    MAX_PASSES,
    FixError,
    FixOutcome,
    Relint,
    apply_fixes,
    choose_fixes,
    safe_fixes,
)

AUTHOR = "disclosure-lint"
#: Children of a run, besides its characters, that a deletion may take.
_KEEPABLE = frozenset((w("rPr"), w("t"), w("lastRenderedPageBreak")))
#: Parents a run may have for its text to be wrapped in a revision here.
_PLAIN_PARENTS = frozenset(
    (w("p"), w("hyperlink"), w("smartTag"), w("sdtContent"), w("customXml"))
)


class _Revisions:
    """Makes ``w:ins`` / ``w:del`` elements: one author, one date, new ids."""

    def __init__(self, first_id: int, date: str) -> None:
        self.next = first_id
        self.date = date

    def make(self, parent: Any, tag: str) -> Any:
        element = parent.makeelement(w(tag), {})
        element.set(w("id"), str(self.next))
        element.set(w("author"), AUTHOR)
        element.set(w("date"), self.date)
        self.next += 1
        return element


def _slices(doc: Document, start: int, end: int) -> list[tuple[int, int, int]]:
    source: Any = doc.source
    return [(s.run_index, s.start, s.end) for s in source.run_slices(start, end)]


def _plan(
    doc: Document, runs: Sequence[Any], fix: Fix
) -> tuple[list[tuple[int, int, int]], bool] | None:
    """The run slices a fix changes, and whether it deletes a paragraph mark.

    ``None`` when the fix cannot be written as a revision (see the module).
    """
    start, end = fix.span.start, fix.span.end
    old = doc.text[start:end]
    if "\n" in fix.replacement:
        return None
    mark = False
    if old.endswith("\n") and not fix.replacement:
        line_start = doc.text.rfind("\n", 0, start) + 1
        if line_start != start or "\n" in old[:-1]:
            return None
        mark, end, old = True, end - 1, old[:-1]
    slices = _slices(doc, start, end) if end > start else _slices(doc, start, start)
    pieces = [run_text(runs[i])[a:b] for i, a, b in slices]
    if "".join(pieces) != old:
        return None  # NOTE: some of the characters are not the document's
    if end == start and not slices:
        return None
    if any(runs[i].getparent().tag not in _PLAIN_PARENTS for i, _, _ in slices):
        return None
    if mark and not _whole_paragraph(runs, slices):
        return None
    return slices, mark


def _whole_paragraph(runs: Sequence[Any], slices: list[tuple[int, int, int]]) -> bool:
    """Whether the slices are all the text of one body paragraph (so it can go).

    NOTE: not a paragraph of a table cell (a cell keeps at least one, and
    its row keeps its line) nor one whose mark ends a section.
    """
    if not slices:
        return False
    paragraph = runs[slices[0][0]].getparent()
    if paragraph.tag != w("p") or paragraph.getparent().tag != w("body"):
        return False
    ppr = paragraph.find(w("pPr"))
    if ppr is not None and ppr.find(w("sectPr")) is not None:
        return False
    total = sum(b - a for _, a, b in slices)
    return total == sum(len(run_text(r)) for r in paragraph.iter(w("r")) if _counts(r))


def _counts(run: Any) -> bool:
    return run.getparent().tag not in (w("del"), w("moveFrom"))


def _revise(
    runs: Sequence[Any],
    planned: list[tuple[Fix, list[tuple[int, int, int]], bool]],
    revisions: _Revisions,
) -> list[Fix]:
    """Write the planned fixes as ``w:del`` + ``w:ins``; those written.

    A fix whose characters share a run piece with anything but text (a
    picture, a field, a footnote mark, a page break) is not written: the
    deletion would take that with it.
    """
    cuts: dict[int, set[int]] = defaultdict(set)
    for _, slices, _ in planned:
        for index, start, end in slices:
            cuts[index].update((start, end))
    pieces = cut_runs(runs, cuts)
    written: list[Fix] = []
    for fix, slices, mark in planned:
        deleted: list[Any] = []
        for index, start, end in slices:
            deleted.extend(covering(pieces[index], start, end))
        if not all(_text_only(run) for run in deleted):
            continue
        written.append(fix)
        if deleted:
            wrappers = _wrap_deleted(deleted, revisions)
            anchor, model = wrappers[-1], deleted[0]
        else:
            index, at, _ = slices[0]
            before = [p for p in pieces[index] if p.end <= at]
            after = [p for p in pieces[index] if p.start >= at]
            if before:
                anchor = model = before[-1].element
            else:
                # NOTE: as typing in Word: the formatting of the character
                # before, when the run before is a sibling.
                anchor = None
                model = after[0].element
                previous = model.getprevious()
                if previous is not None and previous.tag == w("r"):
                    anchor = model = previous
        if fix.replacement:
            inserted = _inserted(model, fix.replacement, revisions)
            if anchor is None:
                after[0].element.addprevious(inserted)
            else:
                anchor.addnext(inserted)
        if mark:
            _delete_mark(deleted[0].getparent().getparent(), revisions)
    return written


def _text_only(run: Any) -> bool:
    """Whether a run holds nothing but formatting and rendered characters."""
    # NOTE: lxml elements compare by identity; the list keeps them alive.
    rendered = [child for child, _ in run_parts(run)]
    return all(child.tag in _KEEPABLE or child in rendered for child in run)


def _wrap_deleted(runs: list[Any], revisions: _Revisions) -> list[Any]:
    """Wrap ``runs`` in ``w:del``: one per stretch of sibling runs.

    Returns the ``w:del`` elements, in document order.
    """
    wrappers: list[Any] = []
    for run in runs:
        wrapper = wrappers[-1] if wrappers else None
        if wrapper is None or wrapper.getnext() is not run:
            wrapper = revisions.make(run, "del")
            run.addprevious(wrapper)
            wrappers.append(wrapper)
        wrapper.append(run)
        for child in run:
            if child.tag == w("t"):
                child.tag = w("delText")
            elif child.tag == w("instrText"):
                child.tag = w("delInstrText")
    return wrappers


def _inserted(model: Any, text: str, revisions: _Revisions) -> Any:
    """``<w:ins><w:r>`` with ``model``'s formatting and ``text`` (tabs as w:tab)."""
    wrapper = revisions.make(model, "ins")
    run = model.makeelement(w("r"), {})
    rpr = model.find(w("rPr"))
    if rpr is not None:
        import copy

        run.append(copy.deepcopy(rpr))
    for number, part in enumerate(text.split("\t")):
        if number:
            run.append(run.makeelement(w("tab"), {}))
        if part:
            element = run.makeelement(w("t"), {})
            element.text = part
            element.set(XML_SPACE, "preserve")
            run.append(element)
    wrapper.append(run)
    return wrapper


#: Children of ``w:pPr`` that come after ``w:rPr`` (schema order).
_AFTER_RPR = (w("sectPr"), w("pPrChange"))
#: Children of the paragraph mark's ``w:rPr`` that come before ``w:del``.
_BEFORE_DEL = (w("ins"),)


def _delete_mark(paragraph: Any, revisions: _Revisions) -> None:
    """Mark the paragraph mark deleted: ``w:pPr/w:rPr/w:del``."""
    ppr = paragraph.find(w("pPr"))
    if ppr is None:
        ppr = paragraph.makeelement(w("pPr"), {})
        paragraph.insert(0, ppr)
    rpr = ppr.find(w("rPr"))
    if rpr is None:
        rpr = ppr.makeelement(w("rPr"), {})
        later = [c for c in ppr if c.tag in _AFTER_RPR]
        if later:
            later[0].addprevious(rpr)
        else:
            ppr.append(rpr)
    marker = revisions.make(rpr, "del")
    position = sum(1 for c in rpr if c.tag in _BEFORE_DEL)
    rpr.insert(position, marker)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def fix_docx(
    doc: Document,
    data: bytes,
    findings: list[Finding],
    relint: Relint,
    report: Any = None,
) -> tuple[FixOutcome, bytes]:
    """Apply the safe fixes as tracked changes, pass after pass.

    Args:
        doc: the document as read from ``data`` (its ``source`` is the
            reader's ``DocxSourceMap``).
        data: the ``.docx`` file's bytes.
        findings: the findings of ``doc`` (filtered and waived).
        relint: lints a document read from the fixed package the same way.
        report: the report of ``doc`` (its tables guard their cells).

    Returns:
        The outcome (``document`` is the fixed package as the reader reads
        it) and the bytes of the fixed package (``data`` if nothing changed).

    Raises:
        FixError: the package cannot be rewritten, or the revisions would
            not read back as the fixes.
    """
    package = Package(data)
    revisions = _Revisions(package.next_id(), _now())
    current, out, total = doc, data, 0
    for number in range(MAX_PASSES):
        chosen = choose_fixes(current, safe_fixes(findings), report)
        attempt = _attempt(package, current, chosen, report, revisions)
        if attempt is not None and not attempt.right:
            # NOTE: find the fixes that read back right on their own, and
            # apply those only; the others stay reported.
            good = []
            for fix in attempt.applied:
                alone = _attempt(package, current, [fix], report, revisions)
                if alone is not None and alone.right:
                    good.append(fix)
            attempt = _attempt(package, current, good, report, revisions)
            if attempt is not None and not attempt.right:
                if number:
                    break  # NOTE: keep the passes that read back right
                raise FixError("the tracked changes would not read back as the fixes")
        if attempt is None:
            break
        total += len(attempt.applied)
        current, out = attempt.document, attempt.data
        package = Package(out)
        report, findings = relint(current)
    return FixOutcome(doc, current, total, findings, report), out


@dataclass(slots=True)
class _Attempt:
    """A package with some fixes written, and whether it reads back right."""

    data: bytes
    document: Document
    applied: list[Fix]
    right: bool


def _attempt(
    package: Package,
    current: Document,
    chosen: list[Fix],
    report: Any,
    revisions: _Revisions,
) -> _Attempt | None:
    """Write ``chosen`` (those that can be) into a fresh copy of the main part.

    ``None`` when none can be written.
    """
    from ..inputs.docx import read

    root = package.document()
    body = root.find(w("body"))
    runs = list(body.iter(w("r"))) if body is not None else []
    planned = []
    for fix in chosen:
        plan = _plan(current, runs, fix)
        if plan is not None:
            planned.append((fix, *plan))
    if not planned:
        return None
    applied = _revise(runs, planned, revisions)
    if not applied:
        return None
    data = package.with_document(root)
    expected, _ = apply_fixes(current, applied, report)
    fixed = read(current.path, data)
    return _Attempt(data, fixed, applied, fixed.text == expected.text)

"""The Word review workflow (issue 12 item 4): --annotate and --fix on .docx.

Drafts are built with python-docx from the text fixtures, each paragraph cut
into short runs of different formatting, so that findings and fixes start
and end inside runs and cross run boundaries. The real CLI runs in a
subprocess; the written files are reopened with python-docx and lxml.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import stat
import zipfile
from copy import deepcopy
from pathlib import Path

import docx
import pytest
from docx.shared import RGBColor
from lxml import etree

from disclosure_lint.inputs.docx import read as read_docx

from .conftest import EXAMPLES, run_module, seed_files

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DEFECTS = EXAMPLES / "defects-2021.txt"
#: The defects draft with a table label typo too (a safe fix in a cell).
DEFECTS_TEXT = DEFECTS.read_text(encoding="utf-8").replace(
    "3. 补正后申请内容仍不明确", "3. 补征后早请内容仍不明确"
)


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


# --------------------------------------------------------------------------
# Building and reading .docx files


def write_docx(text: str, path: Path, chunk: int = 5, tables: bool = False) -> None:
    """One paragraph a line (with ``tables``, tab lines as table rows).

    Text is cut into runs of ``chunk`` characters that alternate bold /
    italic red / plain, so each run's w:rPr differs from its neighbours'.
    A table row has as many cells as its line has tab-separated fields, so
    the draft reads back as ``text``.
    """
    document = docx.Document()
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    table = None
    for line in lines:
        if not (tables and "\t" in line):
            table = None
            _fill(document.add_paragraph(), line, chunk)
            continue
        fields = line.split("\t")
        if table is None:
            table = document.add_table(rows=0, cols=1)
        row = table.add_row()
        tr = row._tr
        for tc in tr.tc_lst[1:]:
            tr.remove(tc)
        for _ in fields[1:]:
            tr.append(deepcopy(tr.tc_lst[0]))
        for cell, field in zip(row.cells, fields, strict=True):
            _fill(cell.paragraphs[0], field, chunk)
    document.save(str(path))


def _fill(paragraph, line: str, chunk: int) -> None:
    for number, start in enumerate(range(0, len(line), chunk)):
        run = paragraph.add_run(line[start : start + chunk])
        if number % 3 == 0:
            run.bold = True
        elif number % 3 == 1:
            run.italic = True
            run.font.color.rgb = RGBColor(0xC0, 0, 0)


def members(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as archive:
        return [(i.filename, archive.read(i)) for i in archive.infolist()]


def main_xml(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read("word/document.xml"))


def rendered(path: Path) -> str:
    return read_docx(str(path), path.read_bytes()).text


def findings_json(*args: object) -> tuple[int, list[dict], str]:
    result = run_module(*args, "--format", "json")
    assert "Traceback" not in result.err, result.err
    return result.code, json.loads(result.out)["findings"], result.err


def offset(text: str, line: int, column: int) -> int:
    starts = [0]
    for match in re.finditer("\n", text):
        starts.append(match.end())
    return starts[line - 1] + column - 1


def span_text(text: str, item: dict) -> str:
    start = offset(text, item["line"], item["column"])
    end = offset(text, item["end_line"], item["end_column"])
    return text[start:end]


def _c14n(element: etree._Element | None) -> bytes:
    if element is None:
        return b""
    return etree.tostring(element, method="c14n")


def char_formats(root: etree._Element) -> list[tuple[str, bytes]]:
    """Every body character (w:t, w:tab) with its run's w:rPr, in order.

    Deleted text and comment reference runs are not text of the document.
    """
    out: list[tuple[str, bytes]] = []
    for paragraph in root.iter(w("p")):
        for run in paragraph.iter(w("r")):
            if (
                run.getparent().tag == w("del")
                or run.find(w("commentReference")) is not None
            ):
                continue
            rpr = _c14n(run.find(w("rPr")))
            for child in run:
                if child.tag == w("t"):
                    out.extend((c, rpr) for c in child.text or "")
                elif child.tag == w("tab"):
                    out.append(("\t", rpr))
        out.append(("\n", b""))
    return out


def comment_ranges(root: etree._Element) -> dict[int, str]:
    """The text between each comment's range start and end, as rendered.

    Cells of a row are separated by a tab, rows and paragraphs outside
    tables end with a newline (one paragraph a cell in these drafts).
    """
    ranges: dict[int, list[str]] = {}
    open_ids: set[int] = set()

    def add(text: str) -> None:
        for number in open_ids:
            ranges[number].append(text)

    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag
        if event == "start":
            if tag == w("commentRangeStart"):
                number = int(element.get(w("id")))
                open_ids.add(number)
                ranges[number] = []
            elif tag == w("commentRangeEnd"):
                open_ids.discard(int(element.get(w("id"))))
            elif tag == w("t"):
                add(element.text or "")
            elif tag == w("tab") and element.getparent().tag == w("r"):
                add("\t")
        elif tag == w("tc") and element.getnext() is not None:
            add("\t")
        elif tag == w("tr") or (tag == w("p") and element.getparent().tag == w("body")):
            add("\n")
    return {k: "".join(v) for k, v in ranges.items()}


@pytest.fixture(params=[False, True], ids=["paragraphs", "tables"])
def defects_docx(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    path = tmp_path / "draft.docx"
    write_docx(DEFECTS_TEXT, path, tables=request.param)
    return path


# --------------------------------------------------------------------------
# --annotate


def _check_annotated(draft: Path, out: Path, lang: str = "zh") -> list[dict]:
    before = hashlib.sha256(draft.read_bytes()).hexdigest()
    extra = ("--lang", "en") if lang == "en" else ()
    code, found, err = findings_json(draft, "--annotate", out, *extra)
    assert code in (0, 1), err
    assert hashlib.sha256(draft.read_bytes()).hexdigest() == before
    text = rendered(draft)
    root = main_xml(out)
    anchored = comment_ranges(root)
    comments = {c.comment_id: c for c in docx.Document(str(out)).comments}
    assert len(comments) == len(found) == len(anchored)
    # NOTE: comments are added in the order of the findings, ids from 0.
    for number, item in enumerate(found):
        flagged = span_text(text, item)
        if flagged:
            assert anchored[number] == flagged, item
        else:  # a place, not characters: the character there is marked
            assert len(anchored[number]) == 1, item
        comment = comments[number]
        assert comment.author == "disclosure-lint"
        assert item["message"] in comment.text
        assert item["rule"] in comment.text
        fix = item.get("fix")
        if fix is not None and fix["replacement"]:
            assert f"“{fix['replacement']}”" in comment.text
    # NOTE: cutting runs changes neither the text nor any character's format.
    assert char_formats(root) == char_formats(main_xml(draft))
    return found


def test_annotate_anchors_each_comment_on_the_flagged_characters(
    defects_docx: Path, tmp_path: Path
) -> None:
    found = _check_annotated(defects_docx, tmp_path / "reviewed.docx")
    rules = {f["rule"] for f in found}
    assert {"TY001", "TY003", "TY101", "FM001", "FM002", "CS001", "TY004"} <= rules
    comments = list(docx.Document(str(tmp_path / "reviewed.docx")).comments)
    typo = next(c for c in comments if "TY001" in c.text)
    assert "建议改为“全面做好”" in typo.text


def test_annotate_in_english_and_on_the_seed_drafts(tmp_path: Path) -> None:
    for number, seed in enumerate(seed_files()[:3]):
        draft = tmp_path / f"seed{number}.docx"
        write_docx(seed.read_text(encoding="utf-8"), draft, chunk=3 + number)
        out = tmp_path / f"seed{number}-reviewed.docx"
        found = _check_annotated(draft, out, lang="en" if number == 0 else "zh")
        assert found
    english = list(docx.Document(str(tmp_path / "seed0-reviewed.docx")).comments)
    assert any("Rule " in c.text for c in english)


def test_annotate_replaces_an_old_copy_and_keeps_its_mode(
    defects_docx: Path, tmp_path: Path
) -> None:
    out = tmp_path / "reviewed.docx"
    out.write_bytes(b"old copy")
    out.chmod(0o640)
    _check_annotated(defects_docx, out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["draft.docx", "reviewed.docx"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("{d}", "{d}", "--annotate", "{o}"), "exactly one .docx draft"),
        (("{t}", "--annotate", "{o}"), "is not a .docx draft"),
        (("{d}", "--annotate", "{d}"), "is the draft itself"),
        (("{d}", "--annotate", "{tmp}/copy.txt"), "name the copy *.docx"),
        (("{d}", "--annotate", "{o}", "--fix"), "use --fix or --diff in another run"),
        (("{tmp}", "--annotate", "{o}"), "is not a .docx draft"),
    ],
)
def test_annotate_usage_errors(
    defects_docx: Path, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    text = tmp_path / "draft.txt"
    text.write_text(DEFECTS_TEXT, encoding="utf-8")
    before = defects_docx.read_bytes()
    values = {"d": defects_docx, "t": text, "o": tmp_path / "out.docx", "tmp": tmp_path}
    result = run_module(*(a.format(**values) for a in args))
    assert result.code == 2
    assert message in result.err
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    assert defects_docx.read_bytes() == before
    assert not (tmp_path / "out.docx").exists()


# --------------------------------------------------------------------------
# --fix as tracked changes


def _strip_revisions(root: etree._Element, accept: bool) -> etree._Element:
    """A copy of ``root`` with every revision accepted, or rejected."""
    root = deepcopy(root)
    drop, keep = (w("del"), w("ins")) if accept else (w("ins"), w("del"))
    for element in list(root.iter(drop)):
        parent = element.getparent()
        if parent.tag == w("rPr"):  # a paragraph mark's revision
            parent.remove(element)
            if accept and drop == w("del"):
                _join_with_next(parent.getparent().getparent())
            continue
        parent.remove(element)
    for element in list(root.iter(keep)):
        parent = element.getparent()
        if parent.tag == w("rPr"):
            parent.remove(element)
            continue
        for child in list(element):
            element.addprevious(child)
        parent.remove(element)
    for element in list(root.iter(w("delText"))):
        element.tag = w("t")
    return root


def _join_with_next(paragraph: etree._Element) -> None:
    following = paragraph.getnext()
    runs = [c for c in paragraph if c.tag != w("pPr")]
    if following is not None and following.tag == w("p"):
        anchor = following.find(w("pPr"))
        for run in reversed(runs):
            if anchor is None:
                following.insert(0, run)
            else:
                anchor.addnext(run)
    paragraph.getparent().remove(paragraph)


def _normalised(root: etree._Element) -> bytes:
    """Runs merged where they have the same attributes and formatting."""
    root = deepcopy(root)
    for element in reversed(list(root.iter(w("rPr"), w("pPr")))):
        if len(element) == 0 and not element.attrib:
            element.getparent().remove(element)
    for parent in list(root.iter()):
        previous = None
        for child in list(parent):
            if (
                previous is not None
                and child.tag == previous.tag == w("r")
                and dict(child.attrib) == dict(previous.attrib)
                and _c14n(child.find(w("rPr"))) == _c14n(previous.find(w("rPr")))
            ):
                for grandchild in [c for c in child if c.tag != w("rPr")]:
                    previous.append(grandchild)
                parent.remove(child)
                continue
            previous = child
    for run in root.iter(w("r")):
        texts = None
        for child in list(run):
            if child.tag == w("t"):
                child.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                if texts is not None:
                    texts.text = (texts.text or "") + (child.text or "")
                    run.remove(child)
                    continue
                texts = child
            else:
                texts = None
    return etree.tostring(root, method="c14n")


def _fixed_text_copy(tmp_path: Path) -> tuple[str, list[dict]]:
    """The defects draft fixed by the text path, and its findings after."""
    text = tmp_path / "same.txt"
    text.write_text(DEFECTS_TEXT, encoding="utf-8")
    result = run_module("--fix", text)
    assert result.code in (0, 1), result.err
    _, left, _ = findings_json(text)
    return text.read_text(encoding="utf-8"), left


def test_fix_writes_tracked_changes_and_nothing_else(
    defects_docx: Path, tmp_path: Path
) -> None:
    original = members(defects_docx)
    original_root = main_xml(defects_docx)
    _, before, _ = findings_json(defects_docx)
    fixable = [f for f in before if f.get("fix") and f["fix"]["safe"]]
    assert len(fixable) == 6
    assert "TY101" in {f["rule"] for f in fixable}
    defects_docx.chmod(0o640)
    result = run_module("--fix", defects_docx)
    assert result.code == 1, result.err
    assert stat.S_IMODE(defects_docx.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["draft.docx"]

    fixed = members(defects_docx)
    assert [n for n, _ in fixed] == [n for n, _ in original]
    for (name, old), (_, new) in zip(original, fixed, strict=True):
        if name != "word/document.xml":
            assert old == new, name
    root = main_xml(defects_docx)

    # Each revision: by disclosure-lint, dated, with an id of its own.
    revisions = list(root.iter(w("ins"), w("del")))
    assert revisions
    ids = [r.get(w("id")) for r in revisions]
    others = [
        e.get(w("id")) for e in root.iter() if e not in revisions and e.get(w("id"))
    ]
    assert len(set(ids)) == len(ids) and not set(ids) & set(others)
    for revision in revisions:
        assert revision.get(w("author")) == "disclosure-lint"
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", revision.get(w("date")))

    # What is deleted and inserted is exactly what the fixes say.
    old_text = DEFECTS_TEXT
    deleted = "".join(t.text or "" for t in root.iter(w("delText")))
    inserted = "".join(
        t.text or "" for i in root.iter(w("ins")) for t in i.iter(w("t"))
    )
    assert deleted == "".join(
        span_text(old_text, f["fix"]).rstrip("\n") for f in fixable
    )
    assert inserted == "".join(f["fix"]["replacement"] for f in fixable)
    # A replacement keeps the formatting of the first character it replaces.
    for insertion in root.iter(w("ins")):
        if insertion.getparent().tag == w("rPr"):
            continue
        group = []
        previous = insertion.getprevious()
        while previous is not None and previous.tag == w("del"):
            group.append(previous)
            previous = previous.getprevious()
        model = group[-1].find(w("r"))
        inserted_rpr = insertion.find(w("r")).find(w("rPr"))
        assert _c14n(inserted_rpr) == _c14n(model.find(w("rPr")))

    # Rejecting every revision gives the original document back, runs aside.
    assert _normalised(_strip_revisions(root, accept=False)) == _normalised(
        original_root
    )

    # Accepting them all gives the text the text path's --fix gives, and
    # linting that finds what is left there (no safe fix left).
    fixed_text, left_txt = _fixed_text_copy(tmp_path)
    accepted = tmp_path / "accepted.docx"
    body = etree.tostring(
        _strip_revisions(root, accept=True),
        xml_declaration=True,
        encoding="UTF-8",
        standalone=True,
    )
    with zipfile.ZipFile(accepted, "w") as archive:
        for name, data in fixed:
            archive.writestr(name, body if name == "word/document.xml" else data)
    assert rendered(accepted).rstrip("\n") == fixed_text.rstrip("\n")
    _, left, _ = findings_json(accepted)
    assert not [f for f in left if f.get("fix") and f["fix"]["safe"]]
    assert sorted(f["rule"] for f in left) == sorted(f["rule"] for f in left_txt)


def test_fix_report_has_word_places_and_the_open_revisions(defects_docx: Path) -> None:
    code, left, err = findings_json("--fix", defects_docx)
    assert code == 1, err
    assert not [f for f in left if f.get("fix") and f["fix"]["safe"]]
    assert all(f["location"]["form"] == "docx" for f in left)
    # NOTE: the draft fixed as it was (fewer findings, same rules left).
    _, again, _ = findings_json(defects_docx)
    assert [f["rule"] for f in again] == [f["rule"] for f in left]


def test_diff_on_docx_shows_the_rendered_text_and_changes_nothing(
    defects_docx: Path,
) -> None:
    before = defects_docx.read_bytes()
    result = run_module("--diff", defects_docx)
    assert result.code in (0, 1), result.err
    assert (
        "+本报告根据" in result.out and "-[bookmark: _GoBack]本报告根据" in result.out
    )
    assert "-来源:青山镇人民政府" in result.out
    assert defects_docx.read_bytes() == before


def test_fix_refuses_a_read_only_docx(defects_docx: Path) -> None:
    before = defects_docx.read_bytes()
    defects_docx.chmod(0o444)
    try:
        result = run_module("--fix", defects_docx)
    finally:
        defects_docx.chmod(0o644)
    assert result.code == 2
    assert "not fixed: read-only" in result.err and "Traceback" not in result.err
    assert defects_docx.read_bytes() == before


def test_fix_docx_from_stdin_is_refused_and_passed_through(defects_docx: Path) -> None:
    import subprocess
    import sys

    data = defects_docx.read_bytes()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "disclosure_lint",
            "--fix",
            "--stdin-filename",
            "a.docx",
        ],
        input=data,
        capture_output=True,
        check=False,
    )
    assert proc.returncode == 2
    assert b"not fixed" in proc.stderr and b"Traceback" not in proc.stderr
    assert proc.stdout == data


def test_text_drafts_do_not_import_python_docx(tmp_path: Path) -> None:
    import subprocess
    import sys

    draft = tmp_path / "a.txt"
    draft.write_bytes(DEFECTS.read_bytes())
    code = (
        "import sys\nfrom disclosure_lint.cli.check import main_plain\n"
        f"main_plain([{str(draft)!r}], True)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('docx', 'lxml')))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert proc.stdout.strip().splitlines()[-1] == "[]", proc.stderr


def test_fix_keeps_the_xml_declaration_of_the_main_part(defects_docx: Path) -> None:
    with zipfile.ZipFile(defects_docx) as archive:
        head = archive.read("word/document.xml")[:100]
    run_module("--fix", defects_docx)
    with zipfile.ZipFile(defects_docx) as archive:
        data = archive.read("word/document.xml")
    assert data.startswith(head[: head.index(b"?>") + 2])


# --------------------------------------------------------------------------
# Runs the fixes cannot or can take


def _body(paragraphs: str) -> bytes:
    from disclosure_lint.engine.examples import package_from_body

    return package_from_body(paragraphs)


def test_fix_leaves_a_typo_inside_someone_elses_revision(tmp_path: Path) -> None:
    draft = tmp_path / "draft.docx"
    draft.write_bytes(
        _body(
            '<w:p><w:r><w:t>全面</w:t></w:r><w:ins w:id="7" w:author="张三" '
            'w:date="2024-01-02T00:00:00Z"><w:r><w:t>攻府信息</w:t></w:r></w:ins></w:p>'
            "<w:p><w:r><w:t>各级攻府信息</w:t></w:r></w:p>"
        )
    )
    before = draft.read_bytes()
    _, found, _ = findings_json("--select", "TY001", draft)
    assert len([f for f in found if f["rule"] == "TY001"]) == 2
    code, left, err = findings_json("--fix", "--select", "TY001", draft)
    assert code == 0, err
    # NOTE: the second paragraph's typo is fixed, the one in 张三's insertion stays.
    assert [f["location"]["paragraph"] for f in left if f["rule"] == "TY001"] == [1]
    assert draft.read_bytes() != before
    root = main_xml(draft)
    ours = [
        e
        for e in root.iter(w("ins"), w("del"))
        if e.get(w("author")) == "disclosure-lint"
    ]
    assert len(ours) == 2
    assert all(e.getparent().tag == w("p") for e in ours)
    assert rendered(draft) == "全面攻府信息\n各级政府信息\n"


def test_fix_in_a_hyperlink_keeps_the_link(tmp_path: Path) -> None:
    draft = tmp_path / "draft.docx"
    draft.write_bytes(
        _body(
            '<w:p><w:r><w:t xml:space="preserve">见 </w:t></w:r>'
            '<w:hyperlink w:anchor="a">'
            '<w:r><w:rPr><w:u w:val="single"/></w:rPr><w:t>攻府网站</w:t></w:r>'
            "</w:hyperlink></w:p>"
        )
    )
    result = run_module("--fix", "--select", "TY001", draft)
    assert result.code == 0, result.err
    root = main_xml(draft)
    link = next(root.iter(w("hyperlink")))
    assert [c.tag for c in link] == [w("del"), w("ins"), w("r")]
    assert link.find(w("ins")).find(w("r")).find(w("rPr")).find(w("u")) is not None
    assert rendered(draft) == "见 政府网站\n"


def test_an_insertion_is_written_before_the_character_after_it(tmp_path: Path) -> None:
    from disclosure_lint.document.findings import Category, Finding, Fix, Severity
    from disclosure_lint.document.text import Span
    from disclosure_lint.engine.docx_fixes import fix_docx

    data = _body(
        "<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>公开</w:t></w:r>"
        "<w:r><w:rPr><w:i/></w:rPr><w:t>工作</w:t></w:r></w:p>"
    )
    doc = read_docx("draft.docx", data)
    at = doc.text.index("工")
    start = doc.position(at)
    fix = Fix(Span(at, at), "信息", start, start)
    finding = Finding(
        "draft.docx",
        Span(at, at),
        start,
        start,
        "XX001",
        "test",
        Category.TYPO,
        Severity.WARNING,
        "insert",
        fix,
    )
    outcome, fixed = fix_docx(doc, data, [finding], lambda d: (None, []))
    assert outcome.fixed == 1
    assert outcome.document.text == "公开信息工作\n"
    paragraph = next(
        etree.fromstring(
            zipfile.ZipFile(io.BytesIO(fixed)).read("word/document.xml")
        ).iter(w("p"))
    )
    assert [c.tag for c in paragraph] == [w("r"), w("ins"), w("r")]
    inserted = paragraph.find(w("ins")).find(w("r"))
    assert inserted.find(w("rPr")).find(w("b")) is not None


def test_fix_a_batch_of_word_and_text_drafts_in_workers(tmp_path: Path) -> None:
    word, text = tmp_path / "a.docx", tmp_path / "b.txt"
    write_docx(DEFECTS_TEXT, word)
    text.write_text(DEFECTS_TEXT, encoding="utf-8")
    result = run_module("--fix", "-j", "2", word, text)
    assert result.code == 1, result.err
    assert "已修复 12 个" in result.out
    assert rendered(word) == text.read_text(encoding="utf-8")


def test_annotate_errors_are_one_line_and_write_nothing(tmp_path: Path) -> None:
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 word/ not really a zip")
    out = tmp_path / "out.docx"
    result = run_module(broken, "--annotate", out)
    assert result.code == 2 and "Traceback" not in result.err
    assert result.err.startswith(f"{broken}: error: ")
    assert not out.exists()
    draft = tmp_path / "draft.docx"
    write_docx(DEFECTS_TEXT, draft)
    result = run_module(draft, "--annotate", tmp_path / "missing" / "out.docx")
    assert result.code == 2
    assert "not annotated: cannot write" in result.err
    assert "Traceback" not in result.err and result.err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.docx", "draft.docx"]


def test_a_fix_that_would_not_read_back_right_is_left_out(
    packset, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The guard: only fixes whose revisions read back as the fix are written.

    The reader is made to misread one revision (as a reader that disagreed
    with the writer would): that fix is left out, the other goes in.
    """
    from disclosure_lint.engine import lint
    from disclosure_lint.engine.docx_fixes import fix_docx
    from disclosure_lint.inputs import docx as reader

    data = _body(
        "<w:p><w:r><w:t>各级攻府信息</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>前面做好栏目维护</w:t></w:r></w:p>"
    )
    real_read = reader.read

    def misread(path: str, blob: bytes):
        doc = real_read(path, blob)
        if "全面做好" in doc.text:
            doc.text = doc.text.replace("全面做好", "全面作好")
        return doc

    def relint(document):
        return lint.lint_document(document, packset, rule_filter=only_typos)

    only_typos = lint.RuleFilter(select=("TY001",))
    doc = real_read("draft.docx", data)
    report, findings = relint(doc)
    assert len(findings) == 2
    monkeypatch.setattr(reader, "read", misread)
    outcome, fixed = fix_docx(doc, data, findings, relint, report)
    assert outcome.fixed == 1
    assert real_read("draft.docx", fixed).text == "各级政府信息\n前面做好栏目维护\n"
    assert [f.rule for f in outcome.findings] == ["TY001"]
    # NOTE: when nothing reads back right, nothing is written at all.
    outcome, fixed = fix_docx(doc, data, findings[1:], relint, report)
    assert (outcome.fixed, outcome.changed, fixed) == (0, False, data)


def test_a_finding_on_an_empty_cell_is_anchored_next_to_it(tmp_path: Path) -> None:
    from disclosure_lint.cli.word import annotate
    from disclosure_lint.document.findings import Category, Finding, Severity
    from disclosure_lint.document.text import Span

    draft = tmp_path / "draft.docx"
    cell = "<w:tc><w:p>{}</w:p></w:tc>"
    run = "<w:r><w:t>{}</w:t></w:r>"
    draft.write_bytes(
        _body(
            "<w:p><w:r><w:t>标题</w:t></w:r></w:p><w:tbl><w:tr>"
            + cell.format(run.format("申请人"))
            + cell.format("")
            + cell.format(run.format("总计"))
            + "</w:tr></w:tbl>"
        )
    )
    doc = read_docx(str(draft), draft.read_bytes())
    assert doc.text == "标题\n申请人\t\t总计\n"
    at = doc.text.index("\t") + 1
    where = doc.position(at)
    finding = Finding(
        str(draft), Span(at, at), where, where, "XX002", "blank",
        Category.TABLE, Severity.ERROR, "空单元格", None,
    )  # fmt: skip
    out = tmp_path / "out.docx"
    assert annotate(str(draft), out, [finding], doc, "zh") == 1
    assert comment_ranges(main_xml(out)) == {0: "总"}


def test_a_fix_never_deletes_what_is_not_text(tmp_path: Path) -> None:
    draft = tmp_path / "draft.docx"
    draft.write_bytes(
        _body(
            # NOTE: a footnote mark inside the typo; a page break right after one.
            '<w:p><w:r><w:t>攻</w:t><w:footnoteReference w:id="1"/><w:t>府信息</w:t>'
            '</w:r></w:p><w:p><w:r><w:t>各级攻府</w:t><w:br w:type="page"/>'
            "<w:t>网站</w:t></w:r></w:p>"
        )
    )
    code, left, err = findings_json("--fix", "--select", "TY001", draft)
    assert code == 0, err
    assert [f["location"]["paragraph"] for f in left] == [1]
    root = main_xml(draft)
    assert len(list(root.iter(w("footnoteReference")))) == 1
    for element in root.iter(w("footnoteReference"), w("br")):
        assert element.getparent().getparent().tag == w("p")
    assert rendered(draft) == "攻府信息\n各级政府网站\n"

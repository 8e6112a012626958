from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from disclosure_lint.document.text import LineIndex, Position
from disclosure_lint.inputs.errors import LoadError
from disclosure_lint.inputs.load import document_from_bytes, load_document
from disclosure_lint.inputs.paths import expand_paths, walk

TEXT = "某镇2021年政府信息公开工作年度报告\n一、总体情况\n截止 2021 年底。\n"


@pytest.mark.parametrize(
    ("data", "encoding", "bom"),
    [
        (TEXT.encode("utf-8"), "utf-8", b""),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8", codecs.BOM_UTF8),
        (
            codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
            "utf-16-le",
            codecs.BOM_UTF16_LE,
        ),
        (
            codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
            "utf-16-be",
            codecs.BOM_UTF16_BE,
        ),
        (TEXT.encode("gb18030"), "gb18030", b""),
        (TEXT.encode("gbk"), "gb18030", b""),
    ],
)
def test_encodings_round_trip(data: bytes, encoding: str, bom: bytes) -> None:
    doc = document_from_bytes("x.txt", data)
    assert doc.text == TEXT
    assert doc.encoding == encoding
    assert doc.bom == bom
    assert doc.encode() == data


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_newlines_normalised_and_restored(newline: str) -> None:
    data = TEXT.replace("\n", newline).encode("utf-8")
    doc = document_from_bytes("x.txt", data)
    assert doc.text == TEXT
    assert doc.encode() == data
    assert doc.position(doc.text.index("截止")) == Position(3, 1)


def test_mixed_newlines_restored_byte_for_byte() -> None:
    data = b"a\r\nb\nc\rd\r\n"
    doc = document_from_bytes("x.txt", data)
    assert doc.text == "a\nb\nc\nd\n"
    assert doc.newline_style == "mixed"
    assert doc.encode() == data


def test_columns_count_characters_not_bytes() -> None:
    index = LineIndex("一二三\n四五六")
    assert index.position(0) == Position(1, 1)
    assert index.position(2) == Position(1, 3)
    assert index.position(4) == Position(2, 1)
    assert index.position(6) == Position(2, 3)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n\t\n", "no text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
        (b"\xff\xfe\x00\xd8", "UTF-16"),
        (b"abc \x80\x80\x80\xff", "cannot decode"),
    ],
)
def test_bad_bytes_raise_one_line_error(data: bytes, message: str) -> None:
    with pytest.raises(LoadError) as info:
        document_from_bytes("x.txt", data)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_size_limit_and_missing(tmp_path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 2048)
    with pytest.raises(LoadError, match="too large"):
        load_document(big, max_bytes=1024)
    with pytest.raises(LoadError, match="no such file"):
        load_document(tmp_path / "missing.txt")
    with pytest.raises(LoadError, match="directory"):
        load_document(tmp_path)


def test_expand_paths_walks_drafts_of_every_form_read(tmp_path) -> None:
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("x")
    (tmp_path / "c.docx").write_text("x")
    (tmp_path / "d.HTM").write_text("x")
    (tmp_path / "e.doc").write_text("x")  # NOTE: refused by name: not walked
    (tmp_path / "~$c.docx").write_text("x")  # NOTE: Word's lock file
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "d.txt").write_text("x")
    got = expand_paths([str(tmp_path), "missing.txt"])
    assert got == [
        str(tmp_path / "a.txt"),
        str(tmp_path / "c.docx"),
        str(tmp_path / "d.HTM"),
        str(tmp_path / "sub" / "b.md"),
        "missing.txt",
    ]


def test_walked_suffixes_are_text_and_every_reader() -> None:
    from disclosure_lint.inputs.load import READERS
    from disclosure_lint.inputs.paths import SUFFIXES

    assert set(SUFFIXES) == {".txt", ".md", *READERS}


def _rglob_listing(paths: list[str]) -> list[str]:
    """What ``expand_paths`` lists, the slow obvious way (the reference)."""
    out: list[str] = []
    for given in paths:
        top = Path(given)
        if not top.is_dir():
            out.append(given)
            continue
        found = [
            str(f)
            for f in top.rglob("*")
            if f.suffix.lower() in (".txt", ".md")
            and f.is_file()
            and not any(part.startswith(".") for part in f.relative_to(top).parts)
        ]
        out.extend(sorted(found))
    return out


def test_walk_lists_what_a_sorted_rglob_lists(tmp_path, monkeypatch) -> None:
    # NOTE: the walker sorts one directory at a time (``/`` after a
    # directory's name), which must order files exactly as sorting the whole
    # tree's paths does, whatever the names.
    root = tmp_path / "tree"
    names = [
        "a/1.txt", "a-x/1.txt", "a.txt", "ab/2.md", "ab.txt", "b/c/d/3.TXT",
        "b/c.md", "b/.hidden.txt", ".git/x.txt", "b/.cache/y.md", "z/readme.rst",
        "z/.txt", "z/a.", "z/a.b.md", "中文/报告.txt", "B/upper.txt", "a!/x.md",
    ]  # fmt: skip
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x", encoding="utf-8")
    (root / "dir.txt").mkdir()
    (root / "link.txt").symlink_to(root / "a.txt")
    (root / "broken.md").symlink_to(root / "missing.md")
    (root / "linked-dir").symlink_to(root / "b", target_is_directory=True)
    given = [str(root), str(root / "ab"), str(root / "missing.txt"), f"{root}//a/"]
    assert expand_paths(given) == _rglob_listing(given)
    assert [path for path, _ in walk(given)] == expand_paths(given)
    assert [p for p, link in walk([str(root)]) if link] == [str(root / "link.txt")]
    monkeypatch.chdir(root)
    for relative in ([".", "b"], ["./b/", "a.txt"]):
        assert expand_paths(relative) == _rglob_listing(relative)

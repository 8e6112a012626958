"""`disclosure-lint extract`: every cell as data, with exact positions."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from .conftest import SEEDS


def seed(prefix: str) -> str:
    return str(next(SEEDS.glob(f"{prefix}_*.txt")))


@pytest.fixture(scope="module")
def extracted() -> dict:
    import sys

    from disclosure_lint.cli.app import main

    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        code = main(["extract", seed("001"), seed("004"), "--format", "json"])
    finally:
        sys.stdout, sys.stderr = saved
    assert code == 0, err.getvalue()
    return json.loads(out.getvalue())


def lines_of(path: str) -> list[str]:
    return Path(path).read_text(encoding="utf-8").split("\n")


def cells(data: dict, prefix: str, table: str) -> list[dict]:
    return [
        c for c in data["cells"] if c["file"] == seed(prefix) and c["table"] == table
    ]


def test_all_application_and_review_cells_of_seed_001(extracted) -> None:
    applications = cells(extracted, "001", "applications")
    review = cells(extracted, "001", "review")
    assert len(applications) == 175 and len(review) == 15
    assert {c["value"] for c in applications} == {0}
    assert {c["status"] for c in applications} == {"number"}
    text = lines_of(seed("001"))
    for cell in applications:
        line = text[cell["line"] - 1]
        assert line[cell["col"] - 1 : cell["end_col"] - 1] == cell["raw"] == "0"
    assert {c["line"] for c in applications} == set(range(44, 69))
    # Row 一 sits on line 44: label, a merged blank, then the seven cells.
    first = [c["col"] for c in applications if c["row"] == "new"]
    assert first == [19, 21, 23, 25, 27, 29, 31]
    # Line 75 has sixteen zeros for fifteen columns (TB007): no cell can be
    # placed, so none is exported as a number; each names the whole row.
    assert {c["status"] for c in review} == {"ambiguous"}
    assert {c["value"] for c in review} == {None}
    assert {(c["line"], c["col"], c["end_line"], c["end_col"]) for c in review} == {
        (75, 1, 75, 32)
    }
    assert {c["raw"] for c in review} == {text[74]} == {"\t".join(["0"] * 16)}


def test_all_application_and_review_cells_of_seed_004(extracted) -> None:
    applications = cells(extracted, "004", "applications")
    review = cells(extracted, "004", "review")
    assert len(applications) == 161 and len(review) == 15
    granted = [c for c in applications if c["row"] == "granted"]
    # Line 47 has one value and five empty fields for seven columns (TB007):
    # the 0 is probably the total, but the linter cannot tell, and neither
    # does the export.
    assert [c["status"] for c in granted] == ["ambiguous"] * 7
    assert {c["value"] for c in granted} == {None}
    assert {(c["line"], c["col"], c["end_col"]) for c in granted} == {(47, 20, 26)}
    assert {c["raw"] for c in granted} == {"\t\t\t\t\t0"}
    others = [c for c in applications if c["row"] != "granted"]
    assert {c["value"] for c in others} == {0}
    text = lines_of(seed("004"))
    for cell in others + review:
        line = text[cell["line"] - 1]
        assert line[cell["col"] - 1 : cell["end_col"] - 1] == cell["raw"] == "0"
    assert [c["col"] for c in review] == list(range(1, 30, 2))


def test_files_are_listed_with_their_edition(extracted) -> None:
    files = {f["path"]: f for f in extracted["files"]}
    assert files[seed("001")]["edition"] == "2021"
    assert files[seed("004")]["edition"] == "2019"
    assert files[seed("001")]["cells"] == 200
    assert extracted["version"] == 2


def test_csv_and_a_bad_file(cli, tmp_path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    result = cli("extract", seed("002"), str(bad), "--format", "csv")
    assert result.code == 2
    assert result.err.count("\n") == 1 and "bad.txt" in result.err
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert len(rows) == 198
    run_together = [r for r in rows if r["table"] == "review"]
    assert [r["col"] for r in run_together] == [str(c) for c in range(1, 16)]
    assert {r["line"] for r in run_together} == {"570"}


def test_unknown_format_is_a_usage_error(cli) -> None:
    result = cli("extract", seed("001"), "--format", "xml")
    assert result.code == 2
    assert "json, csv, table" in result.err

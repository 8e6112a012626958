"""PE007 stale-year (issue 14, item 4): a year left over from an earlier report.

Stale years are put into the clean 2021 example and the real CLI must
report exactly them, at the year; the seeds, the examples, the real
published reports and generated drafts must get no finding at all.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from disclosure_lint.kinds.stale_year import prepare

from .conftest import EXAMPLES, ROOT, SEEDS, benchmark_corpus, run_module

REAL = ROOT.parent / "shared" / "real"
CLEAN = (EXAMPLES / "clean-2021.txt").read_text(encoding="utf-8")


def _draft(*edits: tuple[str, str]) -> str:
    text = CLEAN
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def _pe007(*args: object) -> list[dict[str, object]]:
    done = run_module(*args, "--select", "PE007", "--format", "json")
    assert done.code in (0, 1), done.err
    return [f for f in json.loads(done.out)["findings"] if f["rule"] == "PE007"]


def test_stale_years_in_the_clean_example_are_reported_at_the_year(
    tmp_path: Path,
) -> None:
    draft = tmp_path / "stale-2021.txt"
    draft.write_text(
        _draft(
            # Last year's year in this year's work (line 13).
            ("（三）政府信息管理。健全", "（三）政府信息管理。2020年，我镇健全"),
            # The report year as the plan year (line 81).
            ("2022年，我镇将采取", "2021年，我镇将采取"),
        ),
        encoding="utf-8",
    )
    found = _pe007(draft)
    assert [(f["line"], f["column"], f["end_column"]) for f in found] == [
        (13, 11, 15),
        (81, 1, 5),
    ]
    body, plan = (str(f["message"]) for f in found)
    assert "2020年" in body and "2021年" in body and "以来" in body
    assert "2021年" in plan and "2022年" in plan
    english = run_module(draft, "--select", "PE007", "--lang", "en")
    assert english.code == 0, english.err
    assert "names 2020, but the report is on 2021" in english.out


def test_the_clean_example_and_its_plans_for_next_year_stay_silent() -> None:
    assert _pe007(EXAMPLES / "clean-2021.txt") == []


def test_a_year_given_on_the_command_line_is_the_report_year(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text("2022年，我局加大政务公开力度，全年公开信息10条。\n", "utf-8")
    assert _pe007(draft, "--year", "2022") == []
    found = _pe007(draft, "--year", "2023")
    assert [(f["line"], f["column"]) for f in found] == [(1, 1)]


def test_seeds_examples_and_real_reports_get_no_stale_year() -> None:
    if not (REAL / "truth").is_dir():
        pytest.fail(f"{REAL} is missing: clone the project with ../shared beside it")
    done = run_module(SEEDS, EXAMPLES, REAL, "--select", "PE007", "--format", "json")
    assert done.code == 0, done.err
    result = json.loads(done.out)
    # NOTE: 5 seeds, 3 examples, 4 real reports (and the README beside them).
    assert result["summary"]["files"] == 13
    assert result["findings"] == []


def test_generated_drafts_get_no_stale_year(tmp_path: Path) -> None:
    corpus = benchmark_corpus()
    corpus.generate(tmp_path, 200, seed=3)
    done = run_module(tmp_path, "--select", "PE007", "--format", "json", "-j", "2")
    assert done.code == 0, done.err
    result = json.loads(done.out)
    assert result["summary"]["files"] == 200 and result["findings"] == []


@pytest.mark.parametrize(
    ("frames", "error"),
    [
        ([], "frames must not be empty"),
        ([{"pattern": "(?P<year>20\\d\\d)年", "flag": "later"}], "flag must be one"),
        ([{"pattern": "(20\\d\\d)年", "flag": "before"}], "group named year"),
        ([{"pattern": "(?P<year>20\\d\\d)年"}], "needs a pattern and a flag"),
        (
            [{"pattern": "(?P<year>20\\d\\d)年", "flag": "before", "when": "x"}],
            "unknown key 'when'",
        ),
    ],
)
def test_bad_frames_are_refused(frames: list[object], error: str) -> None:
    params = {"frames": frames, "quiet": [], "keywords": ["年"], "heading": ""}
    with pytest.raises(ValueError, match=error):
        prepare(params)

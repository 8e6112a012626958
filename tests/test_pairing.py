"""Year over year, the pairing: issuers, series, batches and ``--previous``.

The pairs are built from the examples and seeds by changing the title's
year or issuer. The pair rules themselves (CS019-CS022) are tested with
their own examples; here a probe rule of a year-over-year kind, registered
for the test (``pair-probe``: one finding on this year's title naming last
year's), shows which drafts a run pairs, through the real CLI, with every
setting that applies to findings.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from disclosure_lint.engine.lint import RuleFilter, lint_document
from disclosure_lint.engine.series import Placed, find_series
from disclosure_lint.inputs.load import document_from_bytes
from disclosure_lint.kinds import KINDS
from disclosure_lint.kinds.base import KindSpec, PairHit, no_hits, where
from disclosure_lint.kinds.report import LintOptions

from .conftest import EXAMPLES, SEEDS, run_module, seed_files

CLEAN = (EXAMPLES / "clean-2021.txt").read_text(encoding="utf-8")
TITLE = "青山镇人民政府2021年政府信息公开工作年度报告"
NOTHING = RuleFilter(select=(" ",))


@pytest.fixture
def cli_in(cli: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """``cli`` run in a directory (the ``cli`` fixture undoes a chdir)."""

    def run(where: Path, *args: object) -> Any:
        monkeypatch.chdir(where)
        return cli(*args)

    return run


def _outline(packset: Any, text: str) -> Any:
    doc = document_from_bytes("draft.txt", text.encode("utf-8"))
    return lint_document(doc, packset, LintOptions(), NOTHING)[0].outline


# --------------------------------------------------------------------------
# 1. The issuer and its key


@pytest.mark.parametrize(
    ("title", "issuer", "key"),
    [
        (
            "淮安市人民政府2024年政府信息公开工作年度报告",
            "淮安市人民政府",
            "淮安市人民政府",
        ),
        ("淮安市政府2023年政府信息公开工作年度报告", "淮安市政府", "淮安市人民政府"),
        ("淮安市2023年政府信息公开工作年度报告", "淮安市", "淮安市人民政府"),
        (
            "2024年淮安市人民政府政府信息公开工作年度报告",
            "淮安市人民政府",
            "淮安市人民政府",
        ),
        ("2024年度淮安市政府信息公开工作年度报告", "淮安市", "淮安市人民政府"),
        (
            "淮安市 人民政府（2024年）政府信息公开工作年度报告",
            "淮安市人民政府",
            "淮安市人民政府",
        ),
        (
            "淮安市人民政府\n2024年政府信息公开工作年度报告",
            "淮安市人民政府",
            "淮安市人民政府",
        ),
        (
            "平潭综合实验区管委会2024年政府信息公开工作年度报告",
            "平潭综合实验区管委会",
            "平潭综合实验区管理委员会",
        ),
        (
            "平潭综合实验区管理委员会2023年政府信息公开工作年度报告",
            "平潭综合实验区管理委员会",
            "平潭综合实验区管理委员会",
        ),
        (
            "上海市人民政府办公厅2025年政府信息公开工作年度报告",
            "上海市人民政府办公厅",
            "上海市人民政府办公厅",
        ),
        (
            "淮安市政府办公室2024年政府信息公开工作年度报告",
            "淮安市政府办公室",
            "淮安市人民政府办公室",
        ),
        (
            "淮安市发改委2024年政府信息公开工作年度报告",
            "淮安市发改委",
            "淮安市发展和改革委员会",
        ),
        ("青山镇2021年政府信息公开年度报告", "青山镇", "青山镇人民政府"),
        ("政府信息公开工作年度报告", None, None),
    ],
)
def test_issuer_and_key_from_the_title(packset, title, issuer, key) -> None:
    outline = _outline(packset, title + "\n\n一、总体情况\n")
    assert (outline.issuer, outline.issuer_key) == (issuer, key)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("淮安市人民政府", "平潭综合实验区管委会"),
        ("淮安市人民政府", "淮安市人民政府办公室"),
        ("淮安市政府", "淮安市政府办公室"),
        ("淮安市人民政府", "淮安市人民政府办公厅"),
        ("淮安市人民政府办公室", "淮安市人民政府办公厅"),
        ("某区管委会", "某区人民政府"),
        ("淮安市人民政府", "淮安县人民政府"),
    ],
)
def test_different_bodies_keep_different_keys(packset, one, other) -> None:
    keys = {
        _outline(packset, f"{name}2024年政府信息公开工作年度报告\n").issuer_key
        for name in (one, other)
    }
    assert len(keys) == 2, keys


def test_the_seeds_issuers(packset) -> None:
    # NOTE: real titles: blanks inside (海阳市二十里店镇 2021 年 …), wrapped
    # over two lines (建塘镇人民政府2020年度政府 / 信息公开工作报告).
    keys = {
        path.name: _outline(packset, path.read_text(encoding="utf-8")).issuer_key
        for path in seed_files()
    }
    assert sorted(keys.values()) == sorted(
        [
            "西平镇人民政府",
            "海阳市二十里店镇人民政府",
            "开江县任市镇人民政府",
            "建塘镇人民政府",
            "夏邑县王集乡人民政府",
        ]
    ), keys


# --------------------------------------------------------------------------
# 2. Series


def test_series_pairs_consecutive_years_only() -> None:
    drafts = [
        Placed(0, "a.txt", "甲市政府", "甲市人民政府", 2022),
        Placed(1, "b.txt", "甲市人民政府", "甲市人民政府", 2021),
        Placed(2, "c.txt", "甲市人民政府", "甲市人民政府", 2019),
        Placed(3, "d.txt", "乙县", "乙县人民政府", 2021),
        Placed(4, "e.txt", "乙县", "乙县人民政府", 2021),
        Placed(5, "f.txt", "乙县", "乙县人民政府", 2022),
        Placed(6, "g.txt", None, None, None),
        Placed(7, "h.txt", "丙镇", "丙镇人民政府", None),
    ]
    found = find_series(drafts)
    assert found.pairs == {0: 1}  # 2022 → 2021; 2019 has no 2020; 乙县 2021 twice
    assert [(s.key, sorted(s.years)) for s in found.series] == [
        ("乙县人民政府", [2022]),
        ("甲市人民政府", [2019, 2021, 2022]),
    ]
    assert [(u.draft.path, u.reason, u.other) for u in found.unplaced] == [
        ("d.txt", "duplicate", "e.txt"),
        ("e.txt", "duplicate", "d.txt"),
        ("g.txt", "no-issuer", None),
        ("h.txt", "no-year", None),
    ]


def _year(text: str, year: int, title: str = TITLE) -> str:
    """The clean example as the report for ``year`` with ``title``."""
    body = (
        text.split("\n", 1)[1].replace("2021", str(year)).replace("2020", str(year - 1))
    )
    return title.replace("2021", str(year)) + "\n" + body


def _series_dir(root: Path) -> Path:
    root.mkdir()
    (root / "a-2022.txt").write_text(
        _year(CLEAN, 2022, "青山镇政府2021年政府信息公开工作年度报告"), encoding="utf-8"
    )
    (root / "b-2021.txt").write_text(CLEAN, encoding="utf-8")
    (root / "c-2020.txt").write_text(_year(CLEAN, 2020), encoding="utf-8")
    (root / "d-2021.txt").write_text(
        _year(CLEAN, 2021, "白河乡人民政府办公室2021年政府信息公开工作年度报告"),
        encoding="utf-8",
    )
    (root / "e.txt").write_text("工作总结\n", encoding="utf-8")
    return root


def test_series_command_text(cli_in, tmp_path) -> None:
    _series_dir(tmp_path / "drafts")
    result = cli_in(tmp_path, "series", "drafts")
    assert result.code == 0, result.err
    assert result.out == textwrap.dedent(
        """\
        白河乡人民政府办公室（1 个年度：2021）
          2021  drafts/d-2021.txt
        青山镇政府（3 个年度：2020–2022）
          2020  drafts/c-2020.txt
          2021  drafts/b-2021.txt
          2022  drafts/a-2022.txt
        未能归入系列的文件：
          drafts/e.txt：标题中找不到机关名称
        共 5 个文件，2 个系列，2 对相邻年度的报告。
        """
    )
    english = cli_in(tmp_path, "series", "drafts", "--lang", "en")
    assert english.out.splitlines()[0] == "白河乡人民政府办公室 (1 year(s): 2021)"
    assert english.out.splitlines()[-2:] == [
        "  drafts/e.txt: no issuer (机关名称) found in the title",
        "5 file(s), 2 series, 2 pair(s) of consecutive years.",
    ]


def test_series_command_json(cli_in, tmp_path) -> None:
    drafts = _series_dir(tmp_path / "drafts")
    (drafts / "f-2020.txt").write_text(_year(CLEAN, 2020), encoding="utf-8")
    (drafts / "g.txt").write_bytes(b"\x00\x01")
    result = cli_in(tmp_path, "series", "drafts", "-f", "json")
    assert result.code == 2  # a file could not be read
    data = json.loads(result.out)
    assert data["version"] == 1
    assert data["series"] == [
        {
            "issuer": "白河乡人民政府办公室",
            "key": "白河乡人民政府办公室",
            "years": [{"year": 2021, "path": "drafts/d-2021.txt"}],
            "pairs": [],
        },
        {
            "issuer": "青山镇政府",
            "key": "青山镇人民政府",
            "years": [
                {"year": 2021, "path": "drafts/b-2021.txt"},
                {"year": 2022, "path": "drafts/a-2022.txt"},
            ],
            "pairs": [
                {
                    "year": 2022,
                    "path": "drafts/a-2022.txt",
                    "previous": "drafts/b-2021.txt",
                }
            ],
        },
    ]
    unplaced = [(u["path"], u["reason"], u["other"]) for u in data["unplaced"]]
    assert unplaced == [
        ("drafts/c-2020.txt", "duplicate", "drafts/f-2020.txt"),
        ("drafts/e.txt", "no-issuer", None),
        ("drafts/f-2020.txt", "duplicate", "drafts/c-2020.txt"),
        ("drafts/g.txt", "error", None),
    ]
    assert data["unplaced"][-1]["error"]
    assert data["summary"] == {"files": 7, "series": 2, "pairs": 1, "unplaced": 4}


def test_series_bad_input(cli, tmp_path) -> None:
    bad = cli("series", tmp_path, "-f", "xml")
    assert bad.code == 2 and bad.err.count("\n") == 1
    empty = cli("series", tmp_path)
    assert empty.code == 2 and "no drafts found" in empty.err


# --------------------------------------------------------------------------
# 3. Pairing in check runs, shown by a probe rule


def _extract(report: Any, rule: Any, prepared: Any) -> Any:
    title = report.outline.title
    if title is None:
        return None
    return where(report, title.span), report.outline.year


def _compare(
    current: Any, previous: Any, rule: Any, prepared: Any, options: Any
) -> Iterator[PairHit]:
    if current is not None and previous is not None:
        yield PairHit(current[0], {"year": previous[1]}, previous[0])


PROBE = KindSpec(
    "pair-probe",
    {},
    no_hits,
    doc="test only: a finding on this year's title naming last year's",
    extract=_extract,
    compare=_compare,
)


@pytest.fixture
def probe(tmp_path: Path) -> Iterator[Path]:
    """The probe kind registered, and a project whose config loads its rule."""
    KINDS["pair-probe"] = PROBE
    pack = tmp_path / "rules" / "probe"
    pack.mkdir(parents=True)
    (pack / "pack.yaml").write_text(
        "name: probe\nextends: [gov-annual-2021]\nedition: '2021'\n"
        "years: {from: 2021}\n",
        encoding="utf-8",
    )
    (pack / "CS999.yaml").write_text(
        textwrap.dedent(
            """\
            id: CS999
            name: pair-probe
            kind: pair-probe
            category: consistency
            severity: warning
            summary: 配对探针
            message: {zh: '与{{ year }}年报告配对', en: 'paired with {{ year }}'}
            source: test
            """
        ),
        encoding="utf-8",
    )
    (tmp_path / ".disclosure-lint.yaml").write_text(
        "packs: [common, gov-annual-2019, ./rules]\n", encoding="utf-8"
    )
    try:
        yield tmp_path
    finally:
        del KINDS["pair-probe"]


def _pairs(out: str) -> list[tuple[str, str, str]]:
    data = json.loads(out)
    return [
        (f["path"], f["severity"], f["related"][0]["path"])
        for f in data["findings"]
        if f["rule"] == "CS999"
    ]


def _batch(root: Path) -> Path:
    """This year's draft first in path order, last year's after it."""
    drafts = root / "drafts"
    drafts.mkdir()
    (drafts / "a-2022.txt").write_text(
        _year(CLEAN, 2022, "青山镇政府2021年政府信息公开工作年度报告"), encoding="utf-8"
    )
    (drafts / "z-2021.txt").write_text(CLEAN, encoding="utf-8")
    # the year before has no 2020 draft; another body's 2023 report
    (drafts / "m-2023.txt").write_text(
        _year(CLEAN, 2023, "青山镇人民政府办公室2021年政府信息公开工作年度报告"),
        encoding="utf-8",
    )
    return drafts


def test_a_batch_pairs_this_year_with_last_year_whatever_the_order(
    cli_in, probe
) -> None:
    _batch(probe)
    outs = [cli_in(probe, "drafts", "-f", "json", "-j", jobs) for jobs in ("1", "2")]
    assert outs[0].out == outs[1].out
    assert _pairs(outs[0].out) == [
        ("drafts/a-2022.txt", "warning", "drafts/z-2021.txt")
    ]
    finding = next(
        f for f in json.loads(outs[0].out)["findings"] if f["rule"] == "CS999"
    )
    assert finding["message"] == "与2021年报告配对"
    assert (finding["line"], finding["column"]) == (1, 1)
    assert finding["related"][0]["line"] == 1
    text = cli_in(probe, "drafts", "--select", "CS999", "--no-show-source", "-j", "1")
    assert text.out.splitlines()[0].startswith(
        "drafts/a-2022.txt:1:1: warning CS999 与2021年报告配对"
    )


def test_pair_findings_follow_the_settings(cli_in, probe) -> None:
    _batch(probe)
    assert _pairs(cli_in(probe, "drafts", "-f", "json", "--ignore", "CS999").out) == []
    assert _pairs(cli_in(probe, "drafts", "-f", "json", "--no-pairing").out) == []
    selected = cli_in(
        probe, "drafts", "-f", "json", "--select", "CS999", "--fail-on", "warning"
    )
    assert selected.code == 1 and len(_pairs(selected.out)) == 1
    config = probe / ".disclosure-lint.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + "severity: {CS999: error}\n",
        encoding="utf-8",
    )
    assert _pairs(cli_in(probe, "drafts", "-f", "json").out)[0][1] == "error"
    config.write_text(
        config.read_text(encoding="utf-8") + "pairing: false\n", encoding="utf-8"
    )
    assert _pairs(cli_in(probe, "drafts", "-f", "json").out) == []


def test_a_waiver_drops_a_pair_finding(cli_in, probe) -> None:
    _batch(probe)
    (probe / "drafts" / ".disclosure-lint-waivers.yaml").write_text(
        "waivers:\n  - {rule: CS999, file: a-2022.txt, reason: 已核对,\n"
        "     text: 青山镇政府2022年政府信息公开工作年度报告}\n",
        encoding="utf-8",
    )
    result = cli_in(probe, "drafts", "-f", "json")
    assert _pairs(result.out) == []
    assert "WV" not in {f["rule"][:2] for f in json.loads(result.out)["findings"]}


def test_previous_pairs_one_draft(cli_in, probe) -> None:
    drafts = _batch(probe)
    this, last = drafts / "a-2022.txt", drafts / "z-2021.txt"
    result = cli_in(probe, this, "--previous", last, "-f", "json")
    assert _pairs(result.out) == [(str(this), "warning", str(last))]
    assert result.err == ""
    # another issuer's: trusted, and said
    other = drafts / "other-2021.txt"
    other.write_text(
        _year(CLEAN, 2021, "白河乡人民政府2021年政府信息公开工作年度报告"),
        encoding="utf-8",
    )
    renamed = cli_in(probe, this, "--previous", other, "-f", "json")
    assert _pairs(renamed.out) == [(str(this), "warning", str(other))]
    assert renamed.err == (
        f"disclosure-lint: note: --previous {other} names 白河乡人民政府, "
        "not 青山镇政府; paired as given\n"
    )
    # not last year's: said on stderr, nothing paired
    wrong = cli_in(probe, drafts / "m-2023.txt", "--previous", last, "-f", "json")
    assert _pairs(wrong.out) == []
    assert wrong.err == (
        f"disclosure-lint: warning: --previous {last} is the 2021 report, not 2022 "
        f"(the year before {drafts / 'm-2023.txt'}'s 2023); not paired\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["drafts/a-2022.txt", "--previous", "drafts/none.txt"],
            "disclosure-lint: error: --previous drafts/none.txt: no such file "
            "or directory\n",
        ),
        (
            ["drafts", "--previous", "drafts/z-2021.txt"],
            "disclosure-lint: error: --previous gives last year's report of one "
            "draft; name one\n",
        ),
        (
            ["drafts/a-2022.txt", "--previous", "drafts/z-2021.txt", "--no-pairing"],
            "disclosure-lint: error: --previous and --no-pairing exclude each other\n",
        ),
    ],
)
def test_previous_errors(cli_in, tmp_path, args, message) -> None:
    _batch(tmp_path)
    result = cli_in(tmp_path, *args)
    assert (result.code, result.out, result.err) == (2, "", message)


def test_the_bundled_pair_rules_on_a_report_copied_from_last_year(tmp_path) -> None:
    # NOTE: the bundled packs, end to end: this year's draft is last year's
    # with the years changed. Pairing adds exactly the year-over-year
    # findings (sections 一, 五, 六 copied; 现行有效 not carried forward),
    # each naming last year's place, and changes nothing else.
    _batch(tmp_path)
    paired = json.loads(run_module("drafts", "-f", "json", "-j", "2", cwd=tmp_path).out)
    alone = json.loads(
        run_module("drafts", "-f", "json", "--no-pairing", cwd=tmp_path).out
    )
    yoy = {"CS019", "CS020", "CS021", "CS022"}
    found = [f for f in paired["findings"] if f["rule"] in yoy]
    assert [f for f in paired["findings"] if f["rule"] not in yoy] == alone["findings"]
    assert [
        (
            f["path"],
            f["line"],
            f["column"],
            f["rule"],
            *((r["path"], r["line"], r["column"]) for r in f["related"]),
        )
        for f in found
    ] == [
        ("drafts/a-2022.txt", 5, 1, "CS022", ("drafts/z-2021.txt", 7, 1)),
        ("drafts/a-2022.txt", 24, 13, "CS020", ("drafts/z-2021.txt", 24, 13)),
        ("drafts/a-2022.txt", 77, 1, "CS022", ("drafts/z-2021.txt", 79, 1)),
        ("drafts/a-2022.txt", 83, 1, "CS022", ("drafts/z-2021.txt", 85, 14)),
    ]
    assert "8句中有8句（100%）" in found[0]["message"]
    assert "所列问题与上年相同" in found[2]["message"]
    text = run_module("drafts", cwd=tmp_path).out
    assert (
        "drafts/a-2022.txt:24:13: warning CS020 “行政规范性文件·现行有效件数”为5，"
        in text
    )
    assert (
        "    = 参见 drafts/z-2021.txt:24:13: 上年（2021年）报告中的对应内容\n" in text
    )


def test_ctrl_c_while_a_batch_is_read_reports_what_was_read(
    cli_in, probe, monkeypatch
) -> None:
    # NOTE: a real SIGINT in pass 1, as the second draft's result is spooled:
    # the report holds the first draft, marked partial.
    import os
    import signal

    from disclosure_lint.engine.series import Spool

    _batch(probe)
    real = Spool.put
    calls = []

    def put(self: Spool, record: Any) -> int:
        calls.append(record)
        if len(calls) == 3:  # a result and a digest per draft
            os.kill(os.getpid(), signal.SIGINT)
        return real(self, record)

    monkeypatch.setattr(Spool, "put", put)
    result = cli_in(probe, "drafts", "-f", "json", "-j", "1")
    assert result.code == 130, result.err
    data = json.loads(result.out)
    assert data["partial"] is True
    assert [f["path"] for f in data["files"]] == ["drafts/a-2022.txt"]
    assert data["summary"]["files"] == 1
    assert result.err.endswith("disclosure-lint: interrupted after 1 file(s)\n")


def test_a_fixed_draft_keeps_its_pair_findings(cli_in, probe) -> None:
    # NOTE: --fix relints the fixed text: the pair is compared again on it.
    defects = (EXAMPLES / "defects-2021.txt").read_text(encoding="utf-8")
    drafts = probe / "drafts"
    drafts.mkdir()
    this = drafts / "a-2022.txt"
    this.write_text(_year(defects, 2022, "青山镇2021年政府信息公开年度报告"), "utf-8")
    (drafts / "z-2021.txt").write_text(CLEAN, encoding="utf-8")
    before = this.read_text(encoding="utf-8")
    fixed = cli_in(probe, "drafts", "--fix", "-f", "json")
    assert json.loads(fixed.out)["summary"]["fixed"] > 0
    assert this.read_text(encoding="utf-8") != before
    assert _pairs(fixed.out) == [("drafts/a-2022.txt", "warning", "drafts/z-2021.txt")]
    this.write_text(before, encoding="utf-8")
    alone = cli_in(
        probe, this, "--previous", drafts / "z-2021.txt", "--fix", "-f", "json"
    )
    assert len(_pairs(alone.out)) == 1
    assert this.read_text(encoding="utf-8") != before


def _broken(*args: Any) -> Iterator[PairHit]:
    raise RuntimeError("boom")


def test_a_bug_in_a_pair_rule_is_that_files_error(cli_in, probe) -> None:
    KINDS["pair-probe"] = KindSpec(
        "pair-probe", {}, no_hits, extract=_extract, compare=_broken
    )
    _batch(probe)
    result = cli_in(probe, "drafts", "-f", "json", "-j", "2")
    assert result.code == 2
    assert result.err == (
        "drafts/a-2022.txt: error: internal error (RuntimeError: boom); "
        "please report this as a bug\n"
    )
    files = json.loads(result.out)["files"]
    assert [f["path"] for f in files] == [
        "drafts/a-2022.txt",
        "drafts/m-2023.txt",
        "drafts/z-2021.txt",
    ]


def test_one_draft_is_never_spooled(cli_in, probe, monkeypatch) -> None:
    from disclosure_lint.engine.series import Spool

    def refuse(self: Spool) -> None:
        raise AssertionError("spooled")

    drafts = _batch(probe)
    monkeypatch.setattr(Spool, "__init__", refuse)
    alone = cli_in(probe, drafts / "a-2022.txt", "-f", "json")
    assert alone.code == 0 and _pairs(alone.out) == []
    monkeypatch.setattr(Spool, "__init__", refuse)
    with pytest.raises(AssertionError, match="spooled"):
        cli_in(probe, "drafts", "-f", "json")


def test_the_real_reports_issuers_in_every_form(cli) -> None:
    # NOTE: the crawled page's title is its header line (标题: …): the key is
    # not part of the name, so the page and its crawl are one issuer-year.
    real = SEEDS.parent / "real"
    done = cli(
        "series",
        "-f",
        "json",
        str(real / "pingtan-2024-crawled.txt"),
        str(real / "pingtan-2024.html"),
        str(real / "huaian-2024.pdf"),
        str(real / "shanghai-office-2025-from-pdf.md"),
    )
    data = json.loads(done.out)
    assert [(s["issuer"], [y["year"] for y in s["years"]]) for s in data["series"]] == [
        ("上海市人民政府办公厅", [2025]),
        ("淮安市人民政府", [2024]),
    ]
    assert [
        (u["issuer"], u["reason"], Path(u["other"]).name) for u in data["unplaced"]
    ] == [
        ("平潭综合实验区", "duplicate", "pingtan-2024.html"),
        ("平潭综合实验区", "duplicate", "pingtan-2024-crawled.txt"),
    ]

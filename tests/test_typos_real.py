"""Typos real reports have (issue 13 item 6), through the real CLI.

TY006 doubled words and marks, TY007 sourced misspellings, TY008 numbering
out of sequence, TY009 a slip seen in a published report, TY104 variant
word forms: what each finds, what it must leave alone (reduplications,
numbers, tables, numbering restarts) and what ``--fix`` does with it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from disclosure_lint.packs.load import load_packset

from .conftest import EXAMPLES, ROOT, run_module

CLEAN = EXAMPLES / "clean-2021.txt"
REAL = ROOT.parent / "shared" / "real"


def _findings(path: Path, *rules: str) -> list[tuple[int, int, str]]:
    result = run_module(path, "--format", "json", "--select", ",".join(rules))
    assert result.code in (0, 1), result.err
    return [
        (f["line"], f["column"], f["rule"]) for f in json.loads(result.out)["findings"]
    ]


def _draft(tmp_path: Path, body: str, name: str = "draft.txt") -> Path:
    """The clean example with ``body`` added to its section 五."""
    text = CLEAN.read_text(encoding="utf-8")
    marker = "五、存在的主要问题及改进情况\n"
    assert marker in text
    path = tmp_path / name
    path.write_text(text.replace(marker, marker + body, 1), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def test_clean_example_has_no_typo_findings() -> None:
    rules = ("TY006", "TY007", "TY008", "TY009", "TY104")
    assert _findings(CLEAN, *rules) == []
    for example in EXAMPLES.glob("*.*"):
        assert _findings(example, *rules) == [], example


def test_doubled_words_marks_and_wraps(tmp_path: Path) -> None:
    body = (
        "我镇将严格审核审核程序，进一步进一步规范资金资金管理。\n"
        "这是我们的的工作，详见《《条例》。\n"
        "本机关始终坚持以公开为常态、不公开为例外的原则，全面推进政府信息\n"
        "政府信息公开工作。\n"
    )
    path = _draft(tmp_path, body)
    first = _line_of(path, "审核审核")
    got = _findings(path, "TY006")
    assert got == [
        (first, 8, "TY006"),
        (first, 16, "TY006"),
        (first, 23, "TY006"),
        (first + 1, 6, "TY006"),
        (first + 1, 13, "TY006"),
        (first + 3, 1, "TY006"),
    ]


def test_reduplications_numbers_and_tables_are_not_doubled(tmp_path: Path) -> None:
    body = (
        "我们认认真真、扎扎实实做好工作，方方面面、家家户户都要常常检查，人人参与，层层落实，一一核对。\n"
        "各个部门天天更新，年年考核，处处留痕，事事公开，种种问题多多沟通，件件有着落，个个都负责。\n"
        "明明白白、兢兢业业、实实在在地推进；先研究研究，再一步一步落实，目的的实现有保障。\n"
        "的的确确如此。编号100100，2021年2021年度，二零二零年，公开开展，管理理念。\n"
    )
    path = _draft(tmp_path, body)
    assert _findings(path, "TY006") == []
    # The tables of the example are read as tables: a label written twice
    # there is a table problem, not a doubled word in prose.
    text = CLEAN.read_text(encoding="utf-8").replace(
        "行政处罚\t", "行政处罚行政处罚\t", 1
    )
    table = tmp_path / "table.txt"
    table.write_text(text, encoding="utf-8")
    assert "行政处罚行政处罚" in text
    assert _findings(table, "TY006") == []


def test_fix_deletes_a_doubled_particle_but_only_suggests_for_a_word(
    tmp_path: Path,
) -> None:
    path = _draft(tmp_path, "这是我们的的工作，严格审核审核程序。\n")
    result = run_module(path, "--fix", "--select", "TY006", "--format", "json")
    text = path.read_text(encoding="utf-8")
    assert "我们的工作" in text  # the single character: a safe fix, applied
    assert "审核审核程序" in text  # a word: only suggested, the writer decides
    left = json.loads(result.out)["findings"]
    assert [f["rule"] for f in left] == ["TY006"]
    assert left[0]["fix"]["safe"] is False


def test_misspellings_name_their_source_and_are_fixed(tmp_path: Path) -> None:
    path = _draft(tmp_path, "我们将再接再励，按步就班推进，面对问题不能一愁莫展。\n")
    line = _line_of(path, "再接再励")
    assert _findings(path, "TY007") == [
        (line, 4, "TY007"),
        (line, 9, "TY007"),
        (line, 22, "TY007"),
    ]
    shown = run_module(path, "--select", "TY007", "--no-show-source")
    assert "《当代汉语出版物中最常见的100个别字》" in shown.out
    run_module(path, "--fix", "--select", "TY007")
    text = path.read_text(encoding="utf-8")
    assert "再接再厉，按部就班推进，面对问题不能一筹莫展" in text


def test_misspelling_pack_has_300_sourced_entries() -> None:
    """TY007 alone has at least 300 distinct pairs; every pair of TY007 and
    TY104 names a source with a citation and an address."""
    packs = load_packset()
    counts: dict[str, int] = {}
    for rule_id in ("TY007", "TY104"):
        rule = next(r for r in packs.all_rules() if r.id == rule_id)
        sources = rule.params["sources"]
        for pair in rule.params["pairs"]:
            assert pair["source"] in sources, pair
            assert sources[pair["source"]]["cite"]
            assert sources[pair["source"]]["url"].startswith("http"), pair
            assert pair["wrong"] != pair["right"], pair
        wrongs = [pair["wrong"] for pair in rule.params["pairs"]]
        assert len(wrongs) == len(set(wrongs)), rule_id
        counts[rule_id] = len(wrongs)
    assert counts["TY007"] >= 300


def test_a_pair_naming_an_unknown_source_is_a_pack_error(tmp_path: Path) -> None:
    pack = tmp_path / "local"
    pack.mkdir()
    (pack / "pack.yaml").write_text(
        "name: local\nextends: [common]\n", encoding="utf-8"
    )
    (pack / "TY901.yaml").write_text(
        """id: TY901
name: sourced
kind: substitution
category: typo
severity: warning
summary: test
message: {zh: '{{ wrong }}', en: '{{ wrong }}'}
params:
  sources: {a: {cite: A list}}
  pairs:
    - {wrong: 错字, right: 正字, source: b}
""",
        encoding="utf-8",
    )
    result = run_module(CLEAN, "--packs", pack)
    assert result.code == 2
    assert "names no known source" in result.err
    assert "Traceback" not in result.err


def test_variant_forms_are_info(tmp_path: Path) -> None:
    path = _draft(tmp_path, "这是惟一的渠道，信息成份清晰。\n")
    result = run_module(path, "--format", "json", "--select", "TY104")
    findings = json.loads(result.out)["findings"]
    assert [(f["severity"], f["fix"]["replacement"]) for f in findings] == [
        ("info", "唯一"),
        ("info", "成分"),
    ]


def test_enumeration_out_of_sequence(tmp_path: Path) -> None:
    body = (
        "（一）存在问题\n"
        "一是完善制度；三是加强培训；三是强化监督。\n"
        "（二）改进措施\n"
        "1.健全机制\n"
        "2.压实责任\n"
        "4.强化考核\n"
        "（四）其他\n"
    )
    path = _draft(tmp_path, body)
    first = _line_of(path, "一是完善制度")
    got = _findings(path, "TY008")
    assert got == [
        (first, 8, "TY008"),
        (first + 4, 1, "TY008"),
        (first + 5, 1, "TY008"),
    ]
    shown = run_module(path, "--select", "TY008", "--no-show-source")
    assert "序号“三是”不连续，此处应为“二是”" in shown.out
    assert "序号“（四）”不连续，此处应为“（三）”" in shown.out
    english = run_module(path, "--select", "TY008", "--lang", "en")
    assert '"4." where "3." was expected' in english.out


def test_enumeration_restarts_are_not_reported(tmp_path: Path) -> None:
    body = (
        "（一）存在问题\n"
        "一是完善制度；二是加强培训。\n"
        "1.健全机制\n"
        "2.压实责任\n"
        "（二）改进措施\n"
        "一是更新栏目，二是加强培训；依据《关于（三）类事项的通知》，一是再培训。\n"
        "1.健全机制\n"
        "2.压实责任\n"
    )
    path = _draft(tmp_path, body)
    assert _findings(path, "TY008") == []


def test_published_slip_found_without_autofix() -> None:
    """仍在不足, published in the Pingtan report (its public URL is the source)."""
    page = REAL / "pingtan-2024.html"
    result = run_module(page, "--format", "json", "--select", "TY009")
    findings = json.loads(result.out)["findings"]
    assert len(findings) == 1
    assert findings[0]["fix"]["safe"] is False
    truth = json.loads((REAL / "truth" / "pingtan-2024.json").read_text("utf-8"))
    assert "仍在不足" in json.dumps(truth, ensure_ascii=False)


_REPORTS = sorted(p.name for p in REAL.glob("*.*") if p.name != "README.md")


@pytest.mark.parametrize("name", _REPORTS)
def test_real_reports_get_no_false_typo_finding(name: str) -> None:
    """On the real reports only the published slip is found."""
    rules = ("TY006", "TY007", "TY008", "TY104")
    assert _findings(REAL / name, *rules) == []

"""Pack loading: validation errors name file:line:col and the key, extends works."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from disclosure_lint.packs.discover import bundled_rules_dir
from disclosure_lint.packs.load import load_packset
from disclosure_lint.packs.model import PackError

from .conftest import CliResult, run_module

RULE = """\
id: TY901
name: local-typo
kind: substitution
category: typo
severity: warning
summary: local typo
message: {zh: "错字“{{ wrong }}”", en: "typo {{ wrong }}"}
source: local style guide
params:
  pairs: [{wrong: 甲乙, right: 乙甲}]
examples:
  - {text: "乙甲\\n", expect: []}
  - {text: "甲乙\\n", expect: ["1:1 TY901"]}
"""


def _pack(tmp_path: Path, meta: str, rules: dict[str, str]) -> Path:
    pack = tmp_path / "local"
    pack.mkdir()
    (pack / "pack.yaml").write_text(meta, encoding="utf-8")
    for name, text in rules.items():
        (pack / name).write_text(text, encoding="utf-8")
    return pack


def _load(tmp_path: Path, meta: str, rules: dict[str, str]):
    pack = _pack(tmp_path, meta, rules)
    return load_packset([bundled_rules_dir(), pack], use_cache=False)


def test_bundled_packs_resolve_extends(packset) -> None:
    assert set(packset.packs) >= {"common", "gov-annual-2019", "gov-annual-2021"}
    p19 = packset.for_year(2020)
    p21 = packset.for_year(2023)
    assert p19 is not None and p19.edition == "2019"
    assert p21 is not None and p21.edition == "2021"
    common_ids = {r.id for r in packset.packs["common"].rules}
    assert common_ids <= {r.id for r in p21.rules}
    assert p21.document["sections"] == packset.packs["common"].document["sections"]


def test_local_pack_extends_common(tmp_path) -> None:
    packset = _load(tmp_path, "name: local\nextends: [common]\n", {"TY901.yaml": RULE})
    local = packset.packs["local"]
    ids = {r.id for r in local.rules}
    assert "TY901" in ids and "ST003" in ids


@pytest.mark.parametrize(
    ("rule_text", "expected"),
    [
        (
            RULE.replace("severity: warning", "severty: warning"),
            "TY901.yaml:5:1: unknown key 'severty' in rule (did you mean 'severity'?)",
        ),
        (
            RULE.replace("kind: substitution", "kind: substitutoin"),
            "TY901.yaml:3:7: unknown kind 'substitutoin' "
            "(did you mean 'substitution'?)",
        ),
        (
            RULE.replace("category: typo", "category: typos"),
            "TY901.yaml:4:11: category 'typos' is not one of",
        ),
        (
            RULE.replace("  pairs:", "  pair:"),
            "TY901.yaml:10:3: unknown key 'pair' in params (did you mean 'pairs'?)",
        ),
        (RULE.replace("name: local-typo", "name: Local Typo"), "is not kebab-case"),
        (RULE.replace("id: TY901", "id: typo1"), "is not like 'ST001'"),
        (RULE + "  - {text: x}\n", "each example needs 'text' and 'expect'"),
        (
            RULE.replace(
                'message: {zh: "错字“{{ wrong }}”", en: "typo {{ wrong }}"}',
                "message: {zh: \"{{ ''.__class__.__mro__ }}\"}",
            ),
            "template reaches for internal name",
        ),
        (RULE.replace("id: TY901\n", "id: TY901\n  bad: [\n"), "invalid YAML"),
    ],
)
def test_rule_errors_are_located(tmp_path, rule_text, expected) -> None:
    with pytest.raises(PackError) as info:
        _load(tmp_path, "name: local\nextends: [common]\n", {"TY901.yaml": rule_text})
    assert expected in str(info.value)
    assert "\n" not in str(info.value)


def test_pack_meta_errors(tmp_path) -> None:
    with pytest.raises(
        PackError, match="extends unknown pack 'comon' \\(did you mean 'common'"
    ):
        _load(tmp_path, "name: local\nextends: [comon]\n", {})


def test_extends_cycle(tmp_path) -> None:
    a = tmp_path / "a"
    b = tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "pack.yaml").write_text("name: a\nextends: [b]\n")
    (b / "pack.yaml").write_text("name: b\nextends: [a]\n")
    with pytest.raises(PackError, match="extends cycle"):
        load_packset([tmp_path], use_cache=False)


def test_file_name_must_match_id(tmp_path) -> None:
    with pytest.raises(PackError, match="file name must be the rule id"):
        _load(tmp_path, "name: local\n", {"TY902.yaml": RULE})


def test_bad_regex_rejected_at_load(tmp_path) -> None:
    # NOTE: '(a+)+$' runs on RE2 (linear) in a local pack; a look-ahead cannot.
    rule = RULE.replace("kind: substitution", "kind: pattern").replace(
        "  pairs: [{wrong: 甲乙, right: 乙甲}]", "  pattern: '(?=a)(a+)+$'"
    )
    with pytest.raises(PackError, match=r"TY901\.yaml:10:12: .*look-ahead"):
        _load(tmp_path, "name: local\n", {"TY901.yaml": rule})


def test_cache_round_trip(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first = load_packset()
    assert list((tmp_path / "cache" / "disclosure-lint").glob("packs-*.marshal"))
    second = load_packset()
    assert [r.to_json() for r in first.all_rules()] == [
        r.to_json() for r in second.all_rules()
    ]


# --------------------------------------------------------------------------
# Local packs that extend bundled ones, as the README recommends


def _run(tmp_path: Path, *args: str) -> CliResult:
    return run_module(
        *args, cwd=tmp_path, env={"XDG_CACHE_HOME": str(tmp_path / "cache")}
    )


DRAFT = "某镇2021年政府信息公开工作年度报告\n甲乙\n"


def test_local_pack_without_edition_extending_an_edition_runs(tmp_path) -> None:
    pack = _pack(
        tmp_path, "name: local\nextends: [gov-annual-2021]\n", {"TY901.yaml": RULE}
    )
    (tmp_path / "d.txt").write_text(DRAFT, encoding="utf-8")
    done = _run(tmp_path, "d.txt", "--packs", str(pack), "--format", "json")
    assert done.code == 1, done.err
    found = [f["rule"] for f in json.loads(done.out)["findings"]]
    assert "TY901" in found
    # and it replaces gov-annual-2021 for 2021 reports, with its years
    local = load_packset([bundled_rules_dir(), pack], use_cache=False).packs["local"]
    assert local.edition == "2021" and local.years == (2021, None)


def test_validate_packs_and_docs_take_a_local_pack_dir(tmp_path) -> None:
    pack = _pack(
        tmp_path, "name: local\nextends: [gov-annual-2021]\n", {"TY901.yaml": RULE}
    )
    done = _run(tmp_path, "validate-packs", str(pack))
    assert done.code == 0, done.err
    assert done.out.splitlines() == [
        "local: edition 2021, 75 rules (1 own, 74 inherited)",
        "ok: 1 pack, 75 distinct rules",
    ]
    bundled_pages = {
        p: p.stat().st_mtime_ns for p in bundled_rules_dir().glob("*/README.md")
    }
    done = _run(tmp_path, "docs", str(pack))
    assert done.code == 0, done.err
    assert "TY901" in (pack / "README.md").read_text(encoding="utf-8")
    assert {
        p: p.stat().st_mtime_ns for p in bundled_rules_dir().glob("*/README.md")
    } == bundled_pages
    assert _run(tmp_path, "docs", str(pack), "--check").code == 0


@pytest.mark.parametrize(
    "command", [["validate-packs", "{pack}"], ["d.txt", "--packs", "{pack}"]]
)
def test_a_local_pack_that_would_never_run_is_refused(tmp_path, command) -> None:
    pack = _pack(tmp_path, "name: local\nextends: [common]\n", {"TY901.yaml": RULE})
    (tmp_path / "d.txt").write_text(DRAFT, encoding="utf-8")
    done = _run(tmp_path, *(c.format(pack=pack) for c in command))
    assert done.code == 2
    assert done.err.count("\n") == 1 and "Traceback" not in done.err
    assert "pack.yaml: pack 'local' has no edition" in done.err
    assert "extends: [gov-annual-2021]" in done.err


def test_a_pack_extending_two_editions_must_name_its_own(tmp_path) -> None:
    with pytest.raises(PackError, match=r'editions 2019 and 2021; .*edition: "2021"'):
        _load(
            tmp_path, "name: local\nextends: [gov-annual-2019, gov-annual-2021]\n", {}
        )


def test_validate_packs_counts_the_rules_that_rules_lists(tmp_path) -> None:
    done = _run(tmp_path, "validate-packs")
    assert done.code == 0, done.err
    listed = json.loads(_run(tmp_path, "rules", "--format", "json").out)
    from_packs = [r for r in listed if r["pack"] != "(waivers)"]
    assert done.out.splitlines()[-1] == f"ok: 3 packs, {len(from_packs)} distinct rules"

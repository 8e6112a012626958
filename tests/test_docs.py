"""Generated rule pages: rules/<pack>/README.md stay in step with the packs."""

from __future__ import annotations

import shutil
from pathlib import Path

from disclosure_lint.cli.docs import GENERATED, generate_docs
from disclosure_lint.packs.discover import bundled_rules_dir
from disclosure_lint.packs.model import PackSet


def test_bundled_rule_pages_are_up_to_date(cli) -> None:
    result = cli("docs", "--check")
    assert result.code == 0, (
        f"{result.err}regenerate the rule pages with `disclosure-lint docs` "
        "and review the diff"
    )


def test_pages_document_every_rule_of_their_pack(packset: PackSet) -> None:
    pages = generate_docs()
    for pack in packset.packs.values():
        page = pages[Path(pack.path) / "README.md"]
        assert page.startswith(GENERATED + "\n")
        for rule in pack.rules:
            if rule.pack != pack.name:
                continue
            assert f"\n## {rule.id} {rule.name}\n" in page
            assert f"- **Severity:** {rule.severity.value}" in page
            for example in rule.examples:
                for expect in example["expect"]:
                    assert f"`{expect}`" in page


def test_check_names_stale_and_missing_pages(cli, tmp_path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(bundled_rules_dir(), rules)
    for page in rules.glob("*/README.md"):
        page.unlink()
    missing = cli("docs", rules, "--check")
    assert missing.code == 1
    assert "common/README.md: out of date; run `disclosure-lint docs`" in missing.err
    written = cli("docs", rules)
    assert written.code == 0
    assert "wrote " in written.out
    assert cli("docs", rules, "--check").code == 0
    rule = rules / "common" / "TY003.yaml"
    rule.write_text(
        rule.read_text(encoding="utf-8").replace(
            "severity: warning", "severity: error"
        ),
        encoding="utf-8",
    )
    stale = cli("docs", rules, "--check")
    assert stale.code == 1
    # only the page of the pack that owns the rule
    assert stale.err.count("out of date") == 1
    assert "common/README.md" in stale.err


def test_bad_pack_exits_2(cli, tmp_path) -> None:
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "pack.yaml").write_text("nme: p\n", encoding="utf-8")
    result = cli("docs", tmp_path / "p", "--check")
    assert result.code == 2
    assert "unknown key 'nme'" in result.err


def test_a_year_over_year_example_shows_last_years_report(cli) -> None:
    # NOTE: without last year's text a pair rule's example reads as if there
    # were nothing to compare.
    page = (bundled_rules_dir() / "common" / "README.md").read_text(encoding="utf-8")
    section = page.split("## CS019")[1].split("\n## ")[0]
    assert section.count("Last year's report (`previous`):") >= 2
    assert section.index("Last year's report") < section.index("This year's report")
    done = cli("explain", "CS019", "--lang", "en")
    assert done.code == 0, done.err
    lines = done.out.splitlines()
    last = lines.index("  last year's report:")
    this = lines.index("  this year's report:")
    assert last < this and all(
        line.startswith("  | ") for line in lines[last + 1 : this]
    )
    assert any(line.startswith("  → ") and " CS019 " in line for line in lines)

"""Table schemas and the names rules use are checked when packs are validated."""

from __future__ import annotations

from pathlib import Path

from disclosure_lint.packs.discover import bundled_rules_dir
from disclosure_lint.packs.load import load_packset
from disclosure_lint.tables.refs import validate_packset

RULE = """\
id: CS099
name: bad-balance
kind: balance
category: consistency
severity: error
summary: test
message: {zh: x, en: x}
source: test
params:
  table: applications
  for_each: column
  equations: ["new == nonexistent_row"]
"""


def test_bundled_packs_validate() -> None:
    validate_packset(load_packset(use_cache=False))


def _local_pack(tmp_path: Path, rule: str) -> Path:
    pack = tmp_path / "local"
    pack.mkdir()
    (pack / "pack.yaml").write_text(
        "name: local\nextends: [gov-annual-2021]\nedition: '2099'\n"
        "years: {from: 2099}\n",
        encoding="utf-8",
    )
    (pack / "CS099.yaml").write_text(rule, encoding="utf-8")
    return tmp_path


def test_unknown_row_in_an_equation_is_a_pack_error(cli, tmp_path: Path) -> None:
    root = _local_pack(tmp_path, RULE)
    result = cli("validate-packs", str(bundled_rules_dir()), str(root))
    assert result.code == 2
    assert "CS099" in result.err and "nonexistent_row" in result.err


def test_unknown_table_is_a_file_error_not_a_traceback(cli, tmp_path: Path) -> None:
    root = _local_pack(tmp_path, RULE.replace("table: applications", "table: nope"))
    draft = tmp_path / "d.txt"
    draft.write_text("某镇2099年政府信息公开工作年度报告\n", encoding="utf-8")
    result = cli(
        "check", str(draft), "--packs", str(root / "local"), "--edition", "2099"
    )
    assert result.code == 2
    assert "unknown table 'nope'" in result.err

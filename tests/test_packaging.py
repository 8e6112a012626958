"""The wheel ships the rule packs, and an installed wheel finds them."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from .conftest import ROOT


def test_wheel_contains_rules_and_templates(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    wheel = next(tmp_path.glob("disclosure_lint-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for pack in ("common", "gov-annual-2019", "gov-annual-2021"):
        assert f"disclosure_lint/rules/{pack}/pack.yaml" in names
    rule_files = {
        n
        for n in names
        if n.startswith("disclosure_lint/rules/") and n.endswith(".yaml")
    }
    repo_rules = {
        "disclosure_lint/rules/" + str(p.relative_to(ROOT / "rules"))
        for p in (ROOT / "rules").rglob("*.yaml")
    }
    assert rule_files == repo_rules
    assert "disclosure_lint/py.typed" in names

"""The wheel ships the rule packs, and an installed wheel finds them."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT

PIP = (sys.executable, "-m", "pip")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [*PIP, "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return next(out.glob("disclosure_lint-*.whl"))


def test_wheel_contains_rules_and_templates(wheel: Path) -> None:
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
    for pack in ("common", "gov-annual-2019", "gov-annual-2021"):
        page = f"disclosure_lint/rules/{pack}/README.md"
        assert page in names, "the generated pack pages ship with the packs"


def test_docs_of_an_installed_copy(wheel: Path, tmp_path: Path) -> None:
    """`docs --check` holds for an installed copy; `docs` will not write it."""
    target = tmp_path / "site"
    proc = subprocess.run(
        [*PIP, "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    rules = target / "disclosure_lint" / "rules"
    pages = {p: p.read_bytes() for p in rules.glob("*/README.md")}
    assert len(pages) == 3

    def docs(*args: str) -> subprocess.CompletedProcess[str]:
        # NOTE: the installed copy first on the path, run from elsewhere.
        return subprocess.run(
            [sys.executable, "-m", "disclosure_lint", "docs", *args],
            capture_output=True,
            text=True,
            check=False,
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": str(target)},
        )

    checked = docs("--check")
    assert (checked.returncode, checked.stderr) == (0, "")
    assert checked.stdout == "3 pack pages up to date\n"
    written = docs()
    assert written.returncode == 2
    assert written.stdout == ""
    assert written.stderr == (
        "disclosure-lint: error: docs writes pack pages in a source checkout, and "
        f"the packs at {rules} are an installed copy; run it in a checkout of "
        "disclosure-lint, or name your own pack directories\n"
    )
    assert {p: p.read_bytes() for p in rules.glob("*/README.md")} == pages
    # a pack directory of one's own (extending a bundled pack) is written
    own = tmp_path / "own" / "local"
    own.mkdir(parents=True)
    (own / "pack.yaml").write_text(
        "name: local\nextends: [gov-annual-2021]\n", encoding="utf-8"
    )
    (own / "TY903.yaml").write_text(
        "id: TY903\nname: local-typo\nkind: substitution\ncategory: typo\n"
        "severity: warning\nsummary: local typo\n"
        'message: {zh: "错字“{{ wrong }}”", en: "typo {{ wrong }}"}\n'
        "source: local style guide\nparams:\n  pairs: [{wrong: 甲乙, right: 乙甲}]\n",
        encoding="utf-8",
    )
    own_docs = docs(str(own.parent))
    assert own_docs.returncode == 0, own_docs.stderr
    assert "TY903" in (own / "README.md").read_text(encoding="utf-8")
    assert {p: p.read_bytes() for p in rules.glob("*/README.md")} == pages

"""The real `pre-commit` runs this repository's hooks in a temporary git repo.

The hook repository is a fresh commit of this checkout's working tree
(tracked and new, not ignored files), so the test checks what would be
committed now; `pre-commit try-repo` would miss files not yet added to git.
pre-commit pip-installs that commit into its own virtualenv (from PyPI for
the dependencies), under a PRE_COMMIT_HOME inside the test's temp dir.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.slow

TITLE = "某镇2021年政府信息公开工作年度报告"
CONFIG = "select: [TY003, FM001]\nfail-on: warning\n"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def _pre_commit() -> list[str]:
    if importlib.util.find_spec("pre_commit") is not None:
        return [sys.executable, "-m", "pre_commit"]
    found = shutil.which("pre-commit")
    if found:
        return [found]
    pytest.fail(
        "pre-commit is not installed: pip install pre-commit "
        "(or pip install -e '.[test]', which includes it)"
    )


def _git(cwd: Path, *args: str) -> str:
    if shutil.which("git") is None:
        pytest.fail("git is not installed; pre-commit needs it")
    env = {**os.environ, **GIT_ENV}
    proc = subprocess.run(
        ["git", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, f"git {' '.join(args)}: {proc.stderr}"
    return proc.stdout


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A one-commit copy of this checkout; returns its path and commit."""
    listing = _git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    repo = tmp_path_factory.mktemp("hook-repo")
    for name in filter(None, listing.split("\0")):
        source = ROOT / name
        if source.is_file():  # NOTE: a deleted but still tracked file is skipped
            target = repo / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "hooks under test")
    return repo, _git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # NOTE: shared by the module's tests, so the hook environment is built once.
    return tmp_path_factory.mktemp("pre-commit-home")


def _project(tmp_path: Path, hook_repo: tuple[Path, str]) -> Path:
    repo, sha = hook_repo
    project = tmp_path / "project"
    project.mkdir()
    _git(project, "init", "-q")
    (project / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {repo}\n"
        f"    rev: {sha}\n"
        "    hooks:\n"
        "      - id: disclosure-lint\n"
        "      - id: disclosure-lint-fix\n",
        encoding="utf-8",
    )
    (project / ".disclosure-lint.yaml").write_text(CONFIG, encoding="utf-8")
    return project


def _run(project: Path, home: Path, hook: str, *files: str) -> tuple[int, str]:
    _git(project, "add", "-A")
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home)}
    proc = subprocess.run(
        [*_pre_commit(), "run", hook, "--color", "never", "--files", *files],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    return proc.returncode, proc.stdout + proc.stderr


def test_hook_fails_on_a_defective_draft_and_passes_on_a_clean_one(
    tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    project = _project(tmp_path, hook_repo)
    (project / "draft.txt").write_text(
        f"{TITLE}\n截止2021年底，共收到申请0件。\n", encoding="utf-8"
    )
    (project / "clean.md").write_text(
        f"# {TITLE}\n\n截至2021年底，共收到申请0件。\n", encoding="utf-8"
    )
    (project / "notes.py").write_text("截止2021年底\n", encoding="utf-8")
    code, output = _run(project, pre_commit_home, "disclosure-lint", "draft.txt")
    assert code == 1, output
    assert "draft.txt:2:1: warning TY003" in output
    code, output = _run(project, pre_commit_home, "disclosure-lint", "clean.md")
    assert code == 0, output
    assert "Passed" in output
    code, output = _run(project, pre_commit_home, "disclosure-lint", "notes.py")
    assert code == 0, output
    assert "(no files to check)Skipped" in output


def test_fix_hook_rewrites_the_draft(
    tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    project = _project(tmp_path, hook_repo)
    draft = project / "draft.txt"
    draft.write_bytes(
        f"{TITLE}\r\n[bookmark: _GoBack]截止2021年底无申请。\r\n".encode("gb18030")
    )
    code, output = _run(project, pre_commit_home, "disclosure-lint-fix", "draft.txt")
    assert code == 1, output  # pre-commit fails a hook that modified files
    assert "files were modified by this hook" in output
    assert draft.read_bytes() == f"{TITLE}\r\n截至2021年底无申请。\r\n".encode(
        "gb18030"
    )
    code, output = _run(project, pre_commit_home, "disclosure-lint", "draft.txt")
    assert code == 0, output


def test_hook_checks_word_drafts_and_web_pages(
    tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    from .docx_build import docx_from_text

    project = _project(tmp_path, hook_repo)
    draft = f"{TITLE}\n截止2021年底，共收到申请0件。\n"
    (project / "报告.docx").write_bytes(docx_from_text(draft))
    (project / "page.HTM").write_text(
        f"<!doctype html><html><body><h1>{TITLE}</h1>"
        "<p>截止2021年底，共收到申请0件。</p></body></html>",
        encoding="utf-8",
    )
    (project / "notes.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    code, output = _run(project, pre_commit_home, "disclosure-lint", "报告.docx")
    assert code == 1, output
    assert "报告.docx:段落2: warning TY003" in output
    code, output = _run(project, pre_commit_home, "disclosure-lint", "page.HTM")
    assert code == 1, output
    assert re.search(r"page\.HTM:\d+:\d+: warning TY003", output), output
    code, output = _run(project, pre_commit_home, "disclosure-lint", "notes.doc")
    assert code == 0, output
    assert "(no files to check)Skipped" in output


def test_hook_manifest_and_own_config_are_valid() -> None:
    for command, name in (
        ("validate-manifest", ".pre-commit-hooks.yaml"),
        ("validate-config", ".pre-commit-config.yaml"),
    ):
        proc = subprocess.run(
            [*_pre_commit(), command, str(ROOT / name)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr

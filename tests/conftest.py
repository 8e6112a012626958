"""Shared fixtures: packs, seed paths, a CLI runner and golden-file support."""

from __future__ import annotations

import importlib.util
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

from disclosure_lint.cli.app import main
from disclosure_lint.packs.load import load_packset
from disclosure_lint.packs.model import PackSet

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
EXAMPLES = ROOT / "examples"
GOLDEN = Path(__file__).resolve().parent / "golden"
# The six section headings of the official format, as drafts write them.
OFFICIAL_SECTIONS = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-golden",
        action="store_true",
        help="rewrite tests/golden/*.expected from the output (review the diff!)",
    )


@pytest.fixture(scope="session")
def regen_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--regen-golden")) or bool(
        os.environ.get("DISCLOSURE_LINT_REGEN_GOLDEN")
    )


@pytest.fixture(scope="session")
def packset() -> PackSet:
    return load_packset(use_cache=False)


def seed_files() -> list[Path]:
    if not SEEDS.is_dir():
        pytest.fail(
            f"seed drafts not found at {SEEDS}: clone with ../shared beside the repo"
        )
    return sorted(SEEDS.glob("*.txt"))


@dataclass
class CliResult:
    code: int
    out: str
    err: str


def run_module(
    *args: object,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float | None = None,
) -> CliResult:
    """Run ``python -m disclosure_lint`` in a subprocess, as a user would."""
    proc = subprocess.run(
        [sys.executable, "-m", "disclosure_lint", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env=None if env is None else {**os.environ, **env},
        timeout=timeout,
    )
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch):
    """Run the CLI in-process and capture stdout, stderr and the exit code."""

    def run(*args: str) -> CliResult:
        out, err = io.StringIO(), io.StringIO()
        monkeypatch.setattr(sys, "stdout", out)
        monkeypatch.setattr(sys, "stderr", err)
        code = main([str(a) for a in args])
        monkeypatch.undo()
        return CliResult(code, out.getvalue(), err.getvalue())

    return run


@cache
def benchmark_corpus() -> ModuleType:
    """``benchmarks/corpus.py`` (the generator of benchmark drafts), loaded once."""
    spec = importlib.util.spec_from_file_location(
        "disclosure_lint_corpus", ROOT / "benchmarks" / "corpus.py"
    )
    assert spec is not None and spec.loader is not None
    corpus = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = corpus
    spec.loader.exec_module(corpus)
    return corpus

"""``-j N``: same output as one job, in path order; bad files and Ctrl-C."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from disclosure_lint.engine import parallel, pool, worker
from disclosure_lint.engine.lint import RuleFilter
from disclosure_lint.formatters import FORMATS
from disclosure_lint.inputs.paths import expand_paths
from disclosure_lint.kinds.report import LintOptions

from .conftest import EXAMPLES, seed_files

DEFECTS = EXAMPLES / "defects-2021.txt"


@pytest.fixture
def batch(tmp_path) -> Path:
    """Seeds and examples, several times over, in nested directories."""
    root = tmp_path / "batch"
    for n in range(3):
        sub = root / f"part{n}"
        sub.mkdir(parents=True)
        for source in [*seed_files(), *sorted(EXAMPLES.glob("*.*"))]:
            if source.is_file():
                shutil.copy(source, sub / f"{n}-{source.name}")
    (root / "part1" / "broken.txt").write_bytes(b"\x00\x01binary")
    return root


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_two_jobs_write_what_one_job_writes(cli, batch, fmt) -> None:
    one = cli(batch, "-j", "1", "--format", fmt)
    two = cli(batch, "-j", "2", "--format", fmt)
    assert one.code == two.code == 2
    assert one.out == two.out
    assert one.err == two.err


def test_two_jobs_with_source_lines(cli, batch) -> None:
    one = cli(batch, "-j", "1", "--show-source")
    two = cli(batch, "--jobs", "2", "--show-source")
    assert one.out == two.out and " | " in two.out


def test_results_come_in_path_order(batch, packset) -> None:
    paths = expand_paths([str(batch)])
    results = parallel.iter_file_results(
        paths, packset, LintOptions(), RuleFilter(), jobs=2
    )
    assert [r.path for r in results] == paths
    assert paths == sorted(paths)


def test_interpreter_workers_give_the_same_results(batch, packset, monkeypatch):
    # NOTE: where fork is unsafe (macOS) workers are new interpreters that get
    # the packs as plain data; they must give the same results.
    paths = expand_paths([str(batch)])
    args = (paths, packset, LintOptions(), RuleFilter())
    one = [(r.path, r.error, r.findings) for r in parallel.iter_file_results(*args)]
    monkeypatch.setattr(parallel, "_start_method", lambda: "spawn")
    two = [
        (r.path, r.error, r.findings)
        for r in parallel.iter_file_results(*args, jobs=2, needs="document")
    ]
    assert one == two


def test_tasks_are_read_as_the_output_needs_them(batch, packset) -> None:
    # NOTE: a batch of 100,000 drafts is streamed: the pool reads the tasks
    # at most a window of chunks ahead of the results it yields.
    context = worker.LintContext(packset, LintOptions(), RuleFilter())
    paths = expand_paths([str(batch)]) * 20
    taken = 0

    def tasks():
        nonlocal taken
        for path in paths:
            taken += 1
            yield parallel._PathTask(path, context)

    results = parallel.lint_in_order(tasks(), jobs=2, count=len(paths))
    next(results)
    chunk = pool._chunk_size(len(paths), 2)
    assert taken <= 2 * pool.WINDOW_PER_JOB * chunk < len(paths)
    assert sum(1 for _ in results) + 1 == len(paths) == taken


def test_per_path_ignores_reach_the_workers(cli, batch) -> None:
    # NOTE: each glob makes its own rule filter, sent to the workers with
    # the first chunk that needs it.
    (batch / ".disclosure-lint.yaml").write_text(
        "per-path-ignores:\n  'part1/**': [TB]\n  '*-clean-*': [FM105]\n",
        encoding="utf-8",
    )
    one = cli(batch, "-j", "1", "--format", "json")
    two = cli(batch, "-j", "2", "--format", "json")
    assert one.out == two.out and one.err == two.err
    assert "part1" in one.out


def test_json_files_entries_keep_year_and_edition(cli, batch) -> None:
    two = json.loads(cli(batch, "-j", "2", "--format", "json").out)
    entries = [f for f in two["files"] if "error" not in f]
    assert entries and all(f["edition"] in ("2019", "2021") for f in entries)
    assert all(f["encoding"] == "utf-8" and f["year"] for f in entries)


def test_chunks_stay_small() -> None:
    assert pool._chunk_size(1, 2) == 1
    assert pool._chunk_size(100, 2) == 6
    assert pool._chunk_size(100_000, 2) == pool.MAX_CHUNK


def test_a_bug_on_one_file_is_that_files_error(cli, batch, monkeypatch) -> None:
    real = worker.lint_file

    def flaky(path: str, *args, **kwargs):
        if path.endswith("1-clean-2021.txt"):
            raise RuntimeError("kind exploded\non two lines")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(worker, "lint_file", flaky)
    for jobs in ("1", "2"):
        result = cli(batch, "-j", jobs)
        monkeypatch.setattr(worker, "lint_file", flaky)  # cli undoes patches
        assert result.code == 2
        bad = [line for line in result.err.splitlines() if "internal error" in line]
        assert len(bad) == 1 and bad[0].startswith(str(batch / "part1"))
        assert "RuntimeError: kind exploded on two lines" in bad[0]
        assert "Traceback" not in result.err
        assert "2-defects-2021.txt" in result.out  # the others completed


def test_a_dying_worker_loses_only_its_file(cli, batch, monkeypatch) -> None:
    real = worker.lint_file

    def fatal(path: str, *args, **kwargs):
        if path.endswith("0-defects-2021.txt"):
            os._exit(9)  # NOTE: like the OOM killer: no exception, no cleanup
        return real(path, *args, **kwargs)

    monkeypatch.setattr(worker, "lint_file", fatal)
    result = cli(batch, "-j", "2")
    assert result.code == 2
    died = [line for line in result.err.splitlines() if "died" in line]
    culprit = batch / "part0" / "0-defects-2021.txt"
    assert died == [f"{culprit}: error: internal error (worker process died)"]
    for n in range(3):
        assert f"{n}-clean-2020.md" not in result.err
    assert "1-defects-2021.txt" in result.out and "2-defects-2021.txt" in result.out


def _many_drafts(root: Path, count: int) -> Path:
    root.mkdir()
    data = DEFECTS.read_bytes()
    for n in range(count):
        (root / f"{n:05d}.txt").write_bytes(data)
    return root


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_ctrl_c_stops_cleanly(tmp_path, jobs, fmt) -> None:
    count = 5000
    drafts = _many_drafts(tmp_path / "drafts", count)
    report = tmp_path / "out" / "report.json"
    report.parent.mkdir()
    args = [sys.executable, "-m", "disclosure_lint", str(drafts), "-j", jobs]
    args += ["--format", fmt]
    if fmt == "text":
        # NOTE: the first line must come while files are still being read:
        # results stream without pairing (a paired batch reports once every
        # file is read; tests/test_pairing.py interrupts that first pass).
        args += ["--no-pairing"]
    if fmt == "json":
        args += ["--output", str(report)]
    proc = subprocess.Popen(
        args,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        bufsize=0,  # NOTE: readline() below must not buffer past the line
        start_new_session=True,  # NOTE: Ctrl-C signals the whole group
    )
    try:
        if fmt == "text":
            assert proc.stdout is not None
            first = proc.stdout.readline()  # the run is under way
        else:
            first = b""
            time.sleep(1.0)
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    text = err.decode()
    assert proc.returncode == 130, text
    assert "Traceback" not in text
    assert "interrupted" in text
    # NOTE: a Ctrl-C before the first file is done (while the files are
    # listed) says "interrupted" without a count.
    done = 0
    if "interrupted after " in text:
        done = int(text.split("interrupted after ")[1].split(" ")[0])
    assert done < count
    assert done > 0 or fmt == "json"
    if fmt == "json":
        # never half a report: the partial one is complete JSON, or none
        assert [p.name for p in report.parent.iterdir()] in ([], ["report.json"])
        if report.exists():
            data = json.loads(report.read_text(encoding="utf-8"))
            assert data["summary"]["files"] == done
    else:
        lines = (first + out).decode().splitlines()
        odd = [line for line in lines[:-1] if not line.startswith(str(drafts))]
        assert lines and not odd, odd


def test_waivers_follow_links_whatever_the_jobs(cli, tmp_path) -> None:
    # NOTE: the run resolves each directory once, not each file; a waiver
    # names the real file, which a linked directory or a linked draft reach.
    real = tmp_path / "real"
    real.mkdir()
    draft = "某镇2021年政府信息公开工作年度报告\n今年工作截止2021年底完成。\n"
    for name in ("a.txt", "b.txt"):
        (real / name).write_text(draft, encoding="utf-8")
    (tmp_path / "linked").symlink_to(real, target_is_directory=True)
    (tmp_path / "alias.txt").symlink_to(real / "b.txt")
    (real / ".disclosure-lint-waivers.yaml").write_text(
        "waivers:\n  - {rule: TY003, file: a.txt, text: 截止2021年底, reason: 原文}\n"
        "  - {rule: TY003, file: b.txt, text: 截止2021年底, reason: 原文}\n",
        encoding="utf-8",
    )
    args = [real, tmp_path / "linked", tmp_path / "alias.txt", "--select", "TY003,WV"]
    for jobs in ("1", "2"):
        result = cli(*args, "-j", jobs, "--format", "json")
        data = json.loads(result.out)
        assert data["findings"] == [] and data["summary"]["files"] == 5, result.out
    unwaived = cli(real, "--select", "TY003", "--isolated", "-j", "2")
    assert unwaived.out.count("TY003") == 2

"""The benchmark suite: throughput, batch runs, cold start, one huge draft.

One command, from a clone with the package installed (``pip install -e .``)::

    python benchmarks/run.py            # full: 1k, 10k and 100k drafts (~15 min)
    python benchmarks/run.py --quick    # short: 1k drafts, fewer repeats (~1 min)

It generates its corpus under ``benchmarks/corpus/`` (see ``corpus.py``;
about 1.1 GB for 100,000 drafts, removed at the end unless
``--keep-corpus``), measures, and writes ``docs/benchmarks.md`` with the
machine the figures were taken on. What is measured:

(a) engine throughput: drafts per second on one core (CPU time of decode +
    outline + tables + rules, files already in memory, after warm-up), and a
    cProfile of the same run;
(b) ``disclosure-lint DIR`` on 1,000, 10,000 and 100,000 drafts with
    ``-j 1`` and ``-j 2``: wall time and peak memory of the whole process
    tree (sampled from ``/proc``: sum of RSS and sum of PSS over the process
    and its workers), next to ``/usr/bin/time -v``'s maximum RSS (the largest
    single process, not the tree) when that tool is installed;
(c) cold start: ``pip install .`` into a fresh venv (what a user runs:
    bytecode compiled at install), then medians of repeated
    ``disclosure-lint DRAFT`` (a clean draft and one with defects),
    ``--version`` and that venv's ``python -c pass``, run in turn; the same
    for this editable checkout with and without a bytecode cache; plus which
    heavy modules a run imports and the ten slowest imports
    (``python -X importtime``);
(d) one 10 MB draft (and 2.5 and 5 MB, to show the cost is linear).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import multiprocessing
import os
import platform
import pstats
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "src"))

import corpus  # noqa: E402

TARGETS = {
    "engine": 1_000.0,  # drafts/s on one core
    "batch_10k_j2": 10.0,  # s wall
    "memory_100k": 150.0,  # MB, whole process tree
    "huge_draft": 10.0,  # s for the 10 MB draft
    "cold_ratio": 6.0,  # one clean draft, cold, over `python -c pass`
}
#: Batches of up to ROUNDS_UP_TO drafts are run BATCH_ROUNDS times.
BATCH_ROUNDS = 3
ROUNDS_UP_TO = 10_000
HEAVY_MODULES = ("ruamel", "jinja2", "typer", "click", "rich", "pydantic")


# --------------------------------------------------------------------------
# Machine


def machine() -> dict[str, str]:
    """CPU model, cores, RAM, OS, Python, tool version, commit, date."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    try:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        commit += " (with uncommitted changes)" if dirty else ""
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    from disclosure_lint import __version__
    from disclosure_lint.packs.load import load_packset

    # NOTE: each rule once, as `disclosure-lint rules` and validate-packs count.
    rules = len(load_packset().all_rules())
    return {
        "speed check": f"{calibrate():.0f} ms CPU for a fixed pure-Python loop "
        "(best of 5; lower is faster: compare runs with it)",
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "RAM": ram,
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "disclosure-lint": f"{__version__}, commit {commit}, {rules} rules",
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
    }


def calibrate() -> float:
    """CPU ms of a fixed loop: how fast this machine is right now.

    NOTE: a virtual machine's speed varies with its host's load by a factor
    of two or more, even in CPU time; this number puts a run's figures in
    context.
    """
    best = float("inf")
    for _ in range(5):
        started = time.process_time()
        sum(i * i for i in range(3_000_000))
        best = min(best, time.process_time() - started)
    return best * 1000


# --------------------------------------------------------------------------
# Corpus


def _generate_range(args: tuple[Path, int, int, int]) -> int:
    root, start, stop, seed = args
    total = 0
    for index in range(start, stop):
        draft = corpus.make_draft(index, seed)
        path = corpus.draft_path(root, index, draft.name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(draft.data)
        total += len(draft.data)
    return total


def ensure_corpus(root: Path, count: int, seed: int = 1) -> Path:
    """Drafts 0..count-1 under ``root`` (reused when already complete)."""
    stamp = root / f".complete-{count}-{seed}"
    if stamp.exists():
        return root
    need = count * 12_000 * 1.3
    free = shutil.disk_usage(root.parent if root.parent.exists() else HERE).free
    if free < need:
        raise SystemExit(
            f"not enough disk space for {count} drafts: need about "
            f"{need / 1e9:.1f} GB, {free / 1e9:.1f} GB free"
        )
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    step = 2_000
    ranges = [(root, i, min(i + step, count), seed) for i in range(0, count, step)]
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(os.cpu_count() or 1) as pool:
        written = sum(pool.imap_unordered(_generate_range, ranges))
    print(
        f"  corpus: {count} drafts, {written / 1e6:.0f} MB in "
        f"{time.perf_counter() - started:.0f} s",
        flush=True,
    )
    stamp.write_text(str(written))
    return root


def subset(root: Path, count: int) -> Path:
    """The directory holding exactly the first ``count`` drafts of ``root``."""
    if count == 1_000:
        return root / "g0" / "d0"
    if count == 10_000:
        return root / "g0"
    return root


# --------------------------------------------------------------------------
# (a) engine throughput


@dataclass(slots=True)
class Engine:
    """In-process throughput."""

    drafts: int = 0
    cpu: float = 0.0
    wall: float = 0.0
    mean_kb: float = 0.0
    by_size: dict[str, float] = field(default_factory=dict)
    findings_per_draft: dict[str, float] = field(default_factory=dict)
    profile: str = ""
    best: float = 0.0
    median: float = 0.0
    split: dict[str, float] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        """Drafts per CPU second."""
        return self.drafts / self.cpu if self.cpu else 0.0


def engine_throughput(root: Path, sample: int, seconds: float) -> Engine:
    """Lint ``sample`` drafts from memory repeatedly for ``seconds`` CPU s."""
    from disclosure_lint.engine.lint import lint_document
    from disclosure_lint.inputs.load import document_from_bytes
    from disclosure_lint.inputs.paths import expand_paths
    from disclosure_lint.packs.load import load_packset

    packset = load_packset()
    paths = expand_paths([str(root)])[:sample]
    datas = [Path(p).read_bytes() for p in paths]
    result = Engine(mean_kb=sum(map(len, datas)) / len(datas) / 1000)
    counts: dict[str, Counter[str]] = {"clean": Counter(), "defects": Counter()}
    for path, data in zip(paths, datas, strict=True):  # warm-up, and counts
        _, found = lint_document(document_from_bytes(path, data), packset)
        kind = "defects" if "defects" in path else "clean"
        counts[kind]["drafts"] += 1
        for finding in found:
            counts[kind][finding.severity.value] += 1
    result.findings_per_draft = {
        f"{kind} drafts, {level}": c[level] / c["drafts"]
        for kind, c in counts.items()
        if c["drafts"]
        for level in ("error", "warning", "info")
    }
    # NOTE: on a shared machine other load slows even CPU time (caches,
    # stolen cycles), so the drafts are linted in rounds of ~200 and the best
    # round estimates the engine's own speed; the median round is shown too.
    rounds: list[float] = []
    buckets: dict[str, list[float]] = {"5-8 KB": [], "8-12 KB": [], "12-15 KB": []}
    cpu_start, wall_start = time.process_time(), time.perf_counter()
    while time.process_time() - cpu_start < seconds:
        for at in range(0, len(datas), 200):
            round_start = time.process_time()
            for data in datas[at : at + 200]:
                t0 = time.process_time()
                lint_document(document_from_bytes("x.txt", data), packset)
                took = time.process_time() - t0
                size = len(data)
                key = (
                    "5-8 KB"
                    if size < 8_000
                    else "8-12 KB"
                    if size < 12_000
                    else "12-15 KB"
                )
                buckets[key].append(took)
                result.drafts += 1
            elapsed = time.process_time() - round_start
            rounds.append(len(datas[at : at + 200]) / elapsed if elapsed else 0.0)
    result.cpu = time.process_time() - cpu_start
    result.wall = time.perf_counter() - wall_start
    result.best = max(rounds)
    result.median = statistics.median(rounds)
    result.by_size = {
        k: len(v) / sum(v) for k, v in buckets.items() if v and sum(v) > 0
    }
    result.split = time_split(packset, datas[:300])
    profiler = cProfile.Profile()
    profiler.enable()
    for data in datas[:300]:
        lint_document(document_from_bytes("x.txt", data), packset)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(15)
    result.profile = _trim_profile(out.getvalue())
    return result


def time_split(packset: Any, datas: list[bytes]) -> dict[str, float]:
    """Milliseconds per draft: decode, outline, tables, then each rule kind."""
    from disclosure_lint.engine.lint import RuleFilter, choose_pack, run_rules
    from disclosure_lint.inputs.load import document_from_bytes
    from disclosure_lint.kinds import KINDS
    from disclosure_lint.kinds.report import LintOptions, Report
    from disclosure_lint.outline.outline import build_outline
    from disclosure_lint.tables.reader import read_tables

    spent: Counter[str] = Counter()
    originals = {name: kind.check for name, kind in KINDS.items()}

    def timed(name: str, check: Any) -> Any:
        def run(report: Any, rule: Any, prepared: Any) -> list[Any]:
            started = time.process_time()
            hits = list(check(report, rule, prepared))
            spent[f"rules: {name}"] += time.process_time() - started
            return hits

        return run

    # NOTE: KindSpec is frozen; the wrappers are removed again below.
    for name, kind in KINDS.items():
        object.__setattr__(kind, "check", timed(name, originals[name]))
    try:
        for data in datas:
            t0 = time.process_time()
            doc = document_from_bytes("x.txt", data)
            t1 = time.process_time()
            first = packset.for_year(None)
            outline = build_outline(doc, first.document)
            pack, _ = choose_pack(packset, outline.year, None)
            if pack.document != first.document:
                outline = build_outline(doc, pack.document)
            t2 = time.process_time()
            report = Report(doc, outline, pack, LintOptions())
            report.tables = read_tables(doc, outline, pack)
            t3 = time.process_time()
            run_rules(report, RuleFilter())
            t4 = time.process_time()
            spent["decode"] += t1 - t0
            spent["outline"] += t2 - t1
            spent["tables"] += t3 - t2
            spent["rules (all)"] += t4 - t3
    finally:
        for name, kind in KINDS.items():
            object.__setattr__(kind, "check", originals[name])
    return {k: 1000 * v / len(datas) for k, v in spent.most_common()}


def _trim_profile(text: str) -> str:
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    keep = [line.replace(str(ROOT) + "/", "") for line in lines[start:] if line]
    return "\n".join(re.sub(r"/\S*/lib/python3\.\d+/", "", line) for line in keep)


# --------------------------------------------------------------------------
# Process-tree memory


class TreeSampler:
    """Samples RSS and PSS of a process and its descendants from ``/proc``."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        """Start sampling ``pid`` in a thread."""
        self.pid = pid
        self.interval = interval
        self.peak_rss = 0
        self.peak_pss = 0
        self.max_processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop sampling."""
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            pids = self._tree()
            rss = pss = 0
            for pid in pids:
                rss += _status_kb(pid, "VmRSS")
                pss += _pss_kb(pid)
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self.max_processes = max(self.max_processes, len(pids))
            self._stop.wait(self.interval)

    def _tree(self) -> list[int]:
        parents: dict[int, int] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # NOTE: the command name may hold spaces; the ppid follows ") S ".
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
        tree = [self.pid]
        frontier = [self.pid]
        while frontier:
            frontier = [p for p, pp in parents.items() if pp in frontier]
            tree.extend(frontier)
        return tree


def _status_kb(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


# --------------------------------------------------------------------------
# (b), (d) command-line runs


def bench_env(bytecode: bool = True) -> dict[str, str]:
    """The environment for measured runs.

    NOTE: a normal install has compiled bytecode (pip writes it at install
    time; an editable install writes ``__pycache__`` on first use). Some
    sandboxes set ``PYTHONDONTWRITEBYTECODE=1``, which makes every start
    recompile every module, so that is undone here, with the bytecode kept
    under ``benchmarks/corpus/`` rather than in the source tree.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(HERE / "corpus" / "pycache")
    if not bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["PYTHONPYCACHEPREFIX"] = str(HERE / "corpus" / "no-pycache")
    return env


def tool() -> list[str]:
    """The installed console script next to this interpreter, else ``-m``."""
    script = Path(sys.executable).parent / "disclosure-lint"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "disclosure_lint"]


GNU_TIME = Path("/usr/bin/time")


@dataclass(slots=True)
class CliRun:
    """One measured command-line run."""

    label: str
    files: int
    jobs: int
    wall: float
    exit_code: int
    tree_rss_mb: float
    tree_pss_mb: float
    max_rss_mb: float | None
    processes: int
    output_lines: int
    load: float = 0.0
    cpu: float = 0.0  # user + system seconds of the whole tree
    walls: list[float] = field(default_factory=list)  # every round, sorted

    @property
    def wall_text(self) -> str:
        """``8.6 s``, with the range of the rounds when there were several."""
        if len(self.walls) < 2:
            return f"{self.wall:.1f} s"
        return f"{self.wall:.1f} s ({self.walls[0]:.1f}–{self.walls[-1]:.1f})"

    @property
    def cpu_ms_per_draft(self) -> float:
        """CPU milliseconds per draft, every process of the run together."""
        return 1000 * self.cpu / self.files if self.files else 0.0

    @property
    def per_second(self) -> float:
        """Drafts per wall second."""
        return self.files / self.wall if self.wall else 0.0


def cli_run(label: str, target: Path, files: int, jobs: int) -> CliRun:
    """Run ``disclosure-lint TARGET -j JOBS`` once, output to a temp file."""
    command = [*tool(), str(target), "-j", str(jobs)]
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "time.txt"
        if GNU_TIME.exists():
            command = [str(GNU_TIME), "-v", "-o", str(report), *command]
        out_path = Path(tmp) / "out.txt"
        # NOTE: a shared machine slows wall time; the CPU time of the tree
        # (every reaped descendant) compares runs better.
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        with out_path.open("wb") as out:
            started = time.perf_counter()
            proc = subprocess.Popen(
                command, stdout=out, stderr=subprocess.PIPE, env=bench_env()
            )
            sampler = TreeSampler(proc.pid)
            _, err = proc.communicate()
            wall = time.perf_counter() - started
            sampler.stop()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        max_rss = None
        if report.exists():
            found = re.search(
                r"Maximum resident set size \(kbytes\): (\d+)", report.read_text()
            )
            max_rss = int(found.group(1)) / 1024 if found else None
        with out_path.open("rb") as out:
            lines = sum(1 for _ in out)
    if proc.returncode not in (0, 1):
        sys.stderr.write(err.decode("utf-8", "replace")[-2000:])
    # NOTE: under /usr/bin/time the tree includes time itself (~2 MB).
    return CliRun(
        label,
        files,
        jobs,
        wall,
        proc.returncode,
        sampler.peak_rss / 1024,
        sampler.peak_pss / 1024,
        max_rss,
        sampler.max_processes,
        lines,
        load,
        cpu,
    )


def batch_runs(corpus_root: Path, sizes: list[int]) -> list[CliRun]:
    """``disclosure-lint DIR -j 1`` and ``-j 2`` on each corpus size.

    NOTE: wall time on a shared machine swings by ±15 % from one run to the
    next; batches up to ``ROUNDS_UP_TO`` drafts run ``BATCH_ROUNDS`` times and
    the run with the median wall time stands for them (the range is kept).
    """
    runs = []
    for size in sizes:
        rounds = BATCH_ROUNDS if size <= ROUNDS_UP_TO else 1
        for jobs in (1, 2):
            tries = sorted(
                (
                    cli_run(f"{size}", subset(corpus_root, size), size, jobs)
                    for _ in range(rounds)
                ),
                key=lambda run: run.wall,
            )
            run = tries[len(tries) // 2]
            run.walls = [t.wall for t in tries]
            print(
                f"  {size} drafts -j {jobs}: {run.wall_text}, "
                f"{run.cpu_ms_per_draft:.2f} ms CPU per draft, "
                f"tree RSS {run.tree_rss_mb:.0f} MB, PSS {run.tree_pss_mb:.0f} MB",
                flush=True,
            )
            runs.append(run)
    return runs


# --------------------------------------------------------------------------
# (c) cold start


def install_wheel(directory: Path) -> Path:
    """``pip install .`` of this checkout into a new venv; its ``bin`` directory.

    NOTE: what a user's start costs: pip compiles every module to bytecode
    at install time, so the first run and every later one read ``.pyc``
    files, whatever ``PYTHONDONTWRITEBYTECODE`` says. The sources are copied
    first so that no stale ``build/`` of the checkout reaches the wheel.
    """
    source = directory / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    for name in ("src", "rules"):
        shutil.copytree(ROOT / name, source / name, ignore=ignore)
    venv = directory / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    done = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"pip install . failed:\n{done.stderr[-2000:]}")
    return venv / "bin"


def _medians(
    commands: dict[str, tuple[list[str], dict[str, str]]], repeats: int
) -> dict[str, float]:
    """Median wall time of each command, run in turn ``repeats`` times.

    NOTE: round-robin, not one command after the other: a change of load on
    a shared machine then moves every command alike, and a ratio of two
    medians (the start-up target) stays fair.
    """
    for command, env in commands.values():
        subprocess.run(command, stdout=subprocess.DEVNULL, env=env)
    times: dict[str, list[float]] = {label: [] for label in commands}
    for _ in range(repeats):
        for label, (command, env) in commands.items():
            started = time.perf_counter()
            subprocess.run(
                command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
            )
            times[label].append(time.perf_counter() - started)
    return {label: statistics.median(t) for label, t in times.items()}


def cold_start(
    wheel_bin: Path, clean: Path, defects: Path, repeats: int
) -> dict[str, float]:
    """Medians of repeated runs, installed from a wheel and editable.

    Pack cache warm (the first run writes it). The wheel rows are what a
    user of ``pip install`` sees; the editable rows are this checkout run
    with ``__pycache__`` written (under ``benchmarks/corpus/``) and with
    none, which is what every start costs where ``PYTHONDONTWRITEBYTECODE``
    is set and no bytecode was compiled beforehand.
    """
    env = bench_env()
    python = str(wheel_bin / "python")
    script = str(wheel_bin / "disclosure-lint")
    return _medians(
        {
            "python -c pass": ([python, "-c", "pass"], env),
            "disclosure-lint --version": ([script, "--version"], env),
            "disclosure-lint CLEAN_DRAFT": ([script, str(clean)], env),
            "disclosure-lint DRAFT_WITH_DEFECTS": ([script, str(defects)], env),
            "editable: python -c pass": ([sys.executable, "-c", "pass"], env),
            "editable: disclosure-lint CLEAN_DRAFT": ([*tool(), str(clean)], env),
            "editable, no bytecode: disclosure-lint CLEAN_DRAFT": (
                [*tool(), str(clean)],
                bench_env(bytecode=False),
            ),
        },
        repeats,
    )


def _importtime(wheel_bin: Path) -> list[str]:
    return [str(wheel_bin / "python"), "-X", "importtime", "-m", "disclosure_lint"]


def import_top(
    wheel_bin: Path, draft: Path, count: int = 10
) -> list[tuple[str, float]]:
    """The modules with the most own import time in a run (``-X importtime``).

    Median over 5 runs of each module's own (not cumulative) time, in ms.
    """
    runs: dict[str, list[float]] = {}
    for _ in range(5):
        proc = subprocess.run(
            [*_importtime(wheel_bin), str(draft)],
            capture_output=True,
            text=True,
            check=False,
            env=bench_env(),
        )
        for line in proc.stderr.splitlines():
            parts = line.removeprefix("import time:").split("|")
            if len(parts) == 3 and parts[0].strip().isdigit():
                runs.setdefault(parts[2].strip(), []).append(int(parts[0]) / 1000)
    own = {name: statistics.median(t) for name, t in runs.items()}
    return sorted(own.items(), key=lambda item: -item[1])[:count]


def draft_with_defects() -> bytes:
    """The first corpus draft with a broken total among its defects.

    NOTE: its findings need the table rules' conditional messages, so it
    times what a pre-commit run on a typical faulty draft imports.
    """
    for index in range(1000):
        draft = corpus.make_draft(index, seed=1, defect_rate=1.0)
        if "broken-total" in draft.defects and len(draft.defects) > 1:
            return draft.data
    raise RuntimeError("the corpus generator makes no broken totals")


def imported_heavy_modules(wheel_bin: Path, draft: Path) -> dict[str, float]:
    """Heavy modules a warm text run imports, with cumulative import ms."""
    proc = subprocess.run(
        [*_importtime(wheel_bin), str(draft)],
        capture_output=True,
        text=True,
        check=False,
        env=bench_env(),
    )
    found: dict[str, float] = {}
    for line in proc.stderr.splitlines():
        parts = line.split("|")
        if len(parts) != 3 or not parts[1].strip().isdigit():
            continue
        name = parts[2].strip()
        top = name.split(".")[0]
        if top in HEAVY_MODULES and name == top:
            found[top] = int(parts[1]) / 1000
    return found


# --------------------------------------------------------------------------
# (d) huge drafts


def huge_draft(directory: Path, megabytes: float) -> Path:
    """A realistic draft whose narrative grows to ``megabytes``."""
    size = int(megabytes * 1_000_000)
    draft = corpus.make_draft(0, seed=99, min_bytes=size, max_bytes=size, utf8=True)
    path = directory / f"huge-{megabytes:g}MB.txt"
    path.write_bytes(draft.data)
    return path


def huge_line_draft(directory: Path, megabytes: float) -> Path:
    """A small draft with one paragraph of ``megabytes`` on a single line."""
    size = int(megabytes * 1_000_000)
    text = corpus.make_draft(0, seed=99, defect_rate=0.0, utf8=True).data.decode()
    clauses = corpus.TEMPLATES["2021"].sentences
    pieces: list[str] = []
    total = 0
    n = 0
    while total < size:
        sentence = "，".join(clauses[(n + k) % len(clauses)] for k in range(3)) + "。"
        pieces.append(sentence)
        total += len(sentence.encode())
        n += 1
    line = "".join(pieces)
    text = text.replace("一、总体情况\n", "一、总体情况\n" + line + "\n", 1)
    path = directory / f"huge-line-{megabytes:g}MB.txt"
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------
# Report


def _ok(value: float, target: float, lower_is_better: bool = True) -> str:
    good = value <= target if lower_is_better else value >= target
    return "met" if good else "**not met**"


def _base_of(label: str) -> str:
    """The ``python -c pass`` row of the venv that ``label`` ran in."""
    return (
        "editable: python -c pass"
        if label.startswith("editable")
        else ("python -c pass")
    )


def write_report(results: dict[str, Any], path: Path, command: str) -> None:
    """Write ``docs/benchmarks.md``."""
    m = results["machine"]
    engine: Engine = results["engine"]
    runs: list[CliRun] = results["runs"]
    cold = results["cold"]
    huge: list[tuple[float, CliRun]] = results["huge"]
    lines = [
        "# Benchmarks",
        "",
        f"Generated by `{command}` (see `benchmarks/run.py`); re-run it to "
        "refresh this page. Numbers from a shared machine vary by about ±15 % "
        "from run to run.",
        "",
        "## Machine",
        "",
        "| | |",
        "| --- | --- |",
        *(f"| {k} | {v} |" for k, v in m.items()),
        "",
        "## Targets",
        "",
        "| what | target | measured | |",
        "| --- | --- | --- | --- |",
        f"| (a) engine throughput, one core, 5–15 KB drafts (best round; "
        f"median, overall) | ≥ 1,000 drafts/s | {engine.best:,.0f} drafts/s "
        f"({engine.median:,.0f}, {engine.rate:,.0f}) | "
        f"{_ok(engine.best, TARGETS['engine'], False)} |",
    ]
    by_key = {(r.files, r.jobs): r for r in runs}
    r10 = by_key.get((10_000, 2))
    if r10:
        lines.append(
            f"| (b) 10,000 drafts, `-j 2`, wall (median of {len(r10.walls)}; range) "
            f"| ≤ 10 s | {r10.wall_text} | "
            f"{_ok(r10.wall, TARGETS['batch_10k_j2'])} |"
        )
    big = [r for r in runs if r.files == 100_000]
    if big:
        worst = max(big, key=lambda r: r.tree_rss_mb)
        lines.append(
            f"| (b) 100,000 drafts, peak memory of the process tree (sum of RSS) | "
            f"≤ 150 MB | {worst.tree_rss_mb:.0f} MB (`-j {worst.jobs}`; PSS "
            f"{worst.tree_pss_mb:.0f} MB) | "
            f"{_ok(worst.tree_rss_mb, TARGETS['memory_100k'])} |"
        )
    linear = _linearity(runs)
    if linear:
        lines.append(
            f"| (b) cost linear in corpus size (ms per draft, `-j 1`) | flat | "
            f"{linear} | |"
        )
    if huge:
        ten = huge[-1][1]
        per_mb = ", ".join(f"{mb:g} MB: {r.wall:.2f} s" for mb, r in huge)
        lines.append(
            f"| (d) one 10 MB draft | ≤ 10 s, linear | {ten.wall:.2f} s ({per_mb}) | "
            f"{_ok(ten.wall, TARGETS['huge_draft'])} |"
        )
    clean = cold["disclosure-lint CLEAN_DRAFT"]
    ratio = clean / cold["python -c pass"]
    lines.append(
        f"| (c) one clean `.txt` draft, cold, installed from a wheel, over the "
        f"same interpreter's `python -c pass` (medians of {results['repeats']}, "
        f"side by side) | ≤ 6× | {ratio:.1f}× ({clean * 1000:.0f} ms / "
        f"{cold['python -c pass'] * 1000:.0f} ms) | "
        f"{_ok(ratio, TARGETS['cold_ratio'])} |"
    )
    lines += [
        "",
        "## (a) Engine throughput",
        "",
        f"{engine.drafts:,} drafts linted in {engine.cpu:.1f} s of CPU "
        f"({engine.wall:.1f} s wall) in one process: decode, outline, tables and "
        f"every rule; files already in memory, packs loaded, after a warm-up "
        f"pass. Mean draft size {engine.mean_kb:.1f} KB. In rounds of 200 "
        f"drafts: best {engine.best:,.0f}/s, median {engine.median:,.0f}/s, "
        f"overall {engine.rate:,.0f}/s (load average at the start: "
        f"{results['load_before']}).",
        "",
        "| draft size | drafts/s |",
        "| --- | --- |",
        *(f"| {k} | {v:,.0f} |" for k, v in engine.by_size.items()),
        "",
        "Findings per draft in this corpus: "
        + ", ".join(f"{k} {v:.2f}" for k, v in engine.findings_per_draft.items())
        + ". Clean drafts get exactly what their example gets: no error or "
        "warning (`examples/clean-2020.md` has one info finding, FM105).",
        "",
        "Where the time goes (CPU ms per draft, 300 drafts; kinds are part "
        "of the rules):",
        "",
        "| step | ms per draft |",
        "| --- | --- |",
        *(f"| {k} | {v:.3f} |" for k, v in engine.split.items() if v >= 0.005),
        "",
        "Profile (cProfile, 300 drafts, by own time):",
        "",
        "```",
        engine.profile,
        "```",
        "",
        "## (b) Batch runs: `disclosure-lint DIR -j N`",
        "",
        "Text output to a file. Wall time from start to exit. Memory: the "
        "whole process tree sampled every 50 ms from `/proc` (sum of RSS, "
        "which counts pages shared by the forked workers once per process, "
        "and sum of PSS, which splits them), and `/usr/bin/time -v`'s maximum "
        "RSS, which is that of the largest single process. The tree is the "
        "command, its `-j` workers (forked from it, see `engine/pool.py`) and "
        "`/usr/bin/time` itself. CPU is user + system time of the whole tree "
        "per draft: on a shared machine it moves less than wall time. Batches "
        f"of up to {ROUNDS_UP_TO:,} drafts run {BATCH_ROUNDS} times: the row "
        "is the run with the median wall time, the range in brackets.",
        "",
        "| drafts | jobs | wall | drafts/s | CPU per draft | tree RSS | tree PSS "
        "| max RSS (time -v) | processes | exit | load before |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in runs:
        rss = f"{r.max_rss_mb:.0f} MB" if r.max_rss_mb is not None else "n/a"
        lines.append(
            f"| {r.files:,} | {r.jobs} | {r.wall_text} | {r.per_second:,.0f} | "
            f"{r.cpu_ms_per_draft:.2f} ms | "
            f"{r.tree_rss_mb:.0f} MB | {r.tree_pss_mb:.0f} MB | {rss} | "
            f"{r.processes} | {r.exit_code} | {r.load:.2f} |"
        )
    lines += [
        "",
        "## (c) Cold start",
        "",
        f"Median wall time of {results['repeats']} runs each, the commands run "
        "in turn (round-robin, so that a change of load moves them alike), pack "
        "cache warm. The first rows use a fresh venv into which `pip install .` "
        "installed this checkout: pip compiles every module to bytecode at "
        "install time, so this is what a user's start costs, whether or not "
        "`PYTHONDONTWRITEBYTECODE` is set. The `editable` rows run this "
        "checkout (`pip install -e .`) with the bytecode cache written (under "
        "`benchmarks/corpus/`), then with `PYTHONDONTWRITEBYTECODE=1` and no "
        "cache, as in a sandbox that sets it: every module is then compiled "
        "from source at every start, which is not what an installed copy does. "
        "`python -c pass` of the editable venv is slower than the wheel venv's "
        "because its `site` processes the editable install's `.pth` file.",
        "",
        "| command | median | × `python -c pass` |",
        "| --- | --- | --- |",
        *(
            f"| `{k}` | {v * 1000:.0f} ms | {v / cold[_base_of(k)]:.1f} |"
            for k, v in cold.items()
        ),
        "",
        "Own import time of the ten slowest modules of a run of the clean draft "
        "(wheel install, `python -X importtime -m disclosure_lint DRAFT`, "
        "median of 5 runs; `-X importtime` itself slows imports down):",
        "",
        "| module | own ms |",
        "| --- | --- |",
        *(f"| `{name}` | {ms:.1f} |" for name, ms in results["import_top"]),
        "",
        "Heavy modules imported by a warm text run of the draft with defects "
        "(`python -X importtime -m disclosure_lint DRAFT`, cumulative ms): "
        + (
            ", ".join(f"`{k}` {v:.0f} ms" for k, v in results["imports"].items())
            or "none"
        )
        + ". None should appear: packs come from the JSON cache (no "
        "`ruamel.yaml`), messages are rendered without `jinja2` (their "
        "`{% if %}` subset, see `messages.py`) and the plain command line skips "
        "the CLI framework (`check.py`).",
        "",
        "## (d) One huge draft",
        "",
        "A generated draft whose narrative grows to the size given, one line per "
        "paragraph, linted with `-j 1`.",
        "",
        "| size | wall | s per MB | max RSS |",
        "| --- | --- | --- | --- |",
    ]
    for mb, r in huge:
        rss = f"{r.max_rss_mb:.0f} MB" if r.max_rss_mb is not None else "n/a"
        lines.append(f"| {mb:g} MB | {r.wall:.2f} s | {r.wall / mb:.2f} | {rss} |")
    one_line = results.get("huge_line")
    if one_line is not None:
        rss = f"{one_line.max_rss_mb:.0f} MB" if one_line.max_rss_mb else "n/a"
        lines.append(
            f"| 10 MB, the narrative on one line | {one_line.wall:.2f} s | "
            f"{one_line.wall / 10:.2f} | {rss} |"
        )
    lines += ["", *_kept_sections(path, lines)]
    lines += ["## Notes", "", *results.get("notes", []), ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


def _kept_sections(path: Path, lines: list[str]) -> list[str]:
    """The sections of the page at ``path`` that other scripts wrote.

    NOTE: ``readers.py``, ``docx_batch.py`` and ``pairing.py`` print
    sections that are pasted into the page by hand; a refresh of this
    script's own sections keeps them, in their order.
    """
    if not path.exists():
        return []
    own = {line for line in lines if line.startswith("## ")} | {"## Notes"}
    kept: list[str] = []
    keep = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            keep = line not in own
        if keep:
            kept.append(line)
    return kept


def _linearity(runs: list[CliRun]) -> str:
    ones = sorted((r for r in runs if r.jobs == 1), key=lambda r: r.files)
    if len(ones) < 2:
        return ""
    return ", ".join(f"{r.files:,}: {1000 * r.wall / r.files:.2f}" for r in ones)


# --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Run the suite and write the report."""
    parser = argparse.ArgumentParser(description="disclosure-lint benchmarks")
    parser.add_argument("--quick", action="store_true", help="1k drafts only")
    parser.add_argument("--keep-corpus", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args(argv)
    sizes = [1_000] if args.quick else [1_000, 10_000, 100_000]
    repeats = 11 if args.quick else 21
    corpus_root = HERE / "corpus" / "drafts"
    command = "python benchmarks/run.py" + (" --quick" if args.quick else "")
    results: dict[str, Any] = {"repeats": repeats, "notes": []}

    print("machine", flush=True)
    results["machine"] = machine()
    print("wheel install (for the cold start)", flush=True)
    installed = tempfile.TemporaryDirectory()
    wheel_bin = install_wheel(Path(installed.name))
    print("corpus", flush=True)
    ensure_corpus(corpus_root, max(sizes))
    results["load_before"] = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    print("(a) engine throughput", flush=True)
    results["engine"] = engine_throughput(
        subset(corpus_root, 1_000), 1_000, 4.0 if args.quick else 15.0
    )
    engine = results["engine"]
    print(
        f"  best {engine.best:,.0f}, median {engine.median:,.0f}, "
        f"overall {engine.rate:,.0f} drafts/s",
        flush=True,
    )
    print("(b) batch runs", flush=True)
    results["runs"] = batch_runs(corpus_root, sizes)
    print("(c) cold start", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        clean = Path(tmp) / "clean.txt"
        clean.write_bytes(corpus.make_draft(3, seed=1, defect_rate=0.0).data)
        faulty = Path(tmp) / "defects.txt"
        faulty.write_bytes(draft_with_defects())
        results["cold"] = cold_start(wheel_bin, clean, faulty, repeats)
        results["imports"] = imported_heavy_modules(wheel_bin, faulty)
        results["import_top"] = import_top(wheel_bin, clean)
        print(f"  {results['cold']}", flush=True)
        print("(d) huge drafts", flush=True)
        huge = []
        for mb in (2.5, 5.0, 10.0):
            path = huge_draft(Path(tmp), mb)
            huge.append((mb, cli_run(f"{mb} MB", path, 1, 1)))
            print(f"  {mb} MB: {huge[-1][1].wall:.2f} s", flush=True)
        results["huge"] = huge
        path = huge_line_draft(Path(tmp), 10.0)
        results["huge_line"] = cli_run("10 MB line", path, 1, 1)
        print(f"  10 MB on one line: {results['huge_line'].wall:.2f} s", flush=True)
    if GNU_TIME.exists():
        results["notes"].append(
            "- Peak memory: tree sums sampled from `/proc`; `/usr/bin/time -v` "
            "is installed and its maximum RSS is shown too."
        )
    else:
        results["notes"].append(
            "- Peak memory: tree sums sampled from `/proc`; `/usr/bin/time` is "
            "not installed (`apt-get install time`), so no max RSS column."
        )
    results["notes"].append(
        "- Throughput (a) is CPU time, so other load on the machine barely "
        "moves it; wall times (b)–(d) include any such load."
    )
    installed.cleanup()
    write_report(results, args.out, command)
    if not args.keep_corpus:
        shutil.rmtree(HERE / "corpus", ignore_errors=True)
    print(f"wrote {args.out}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

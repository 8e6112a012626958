"""A fixed, quick measurement of the engine on one core, and where its time goes.

The drafts are held in memory: every seed (``../shared/seeds``), every
example (``examples/``) and the first 300 drafts of the benchmark corpus
(``corpus.py``, seed 1: the same bytes ``run.py`` writes to
``benchmarks/corpus/``, made in memory so that the sample never depends on
whether, or how far, that directory was generated); ``--corpus DIR`` samples
a directory instead. Packs are loaded once, every draft is linted once to
warm up, then each draft is timed ``--repeats`` times: decode + outline +
tables + every rule (``document_from_bytes`` then ``engine.lint_document``).
A draft's time is its median; drafts per second is the number of drafts
over the sum of the medians. Usage::

    python benchmarks/engine_profile.py                 # timings (~15 s)
    python benchmarks/engine_profile.py --stages        # + decode/outline/tables/rules
    python benchmarks/engine_profile.py --rules 15      # + the 15 slowest rules
    python benchmarks/engine_profile.py --cold 15       # + the same, on fresh reports
    python benchmarks/engine_profile.py --profile 15    # + cProfile top 15
    python benchmarks/engine_profile.py --json out.json # + figures as JSON

Nothing here asserts a speed: the numbers are for people (and for the
before/after tables of a change).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SEEDS = ROOT.parent / "shared" / "seeds"
EXAMPLES = ROOT / "examples"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "src"))

from disclosure_lint.engine.lint import (  # noqa: E402
    RuleFilter,
    build_report,
    lint_document,
    run_rules,
)
from disclosure_lint.inputs.load import document_from_bytes  # noqa: E402
from disclosure_lint.inputs.paths import expand_paths  # noqa: E402
from disclosure_lint.kinds import KINDS  # noqa: E402
from disclosure_lint.kinds.report import LintOptions  # noqa: E402
from disclosure_lint.packs.load import load_packset  # noqa: E402
from disclosure_lint.packs.model import PackSet  # noqa: E402
from disclosure_lint.tables.reader import read_tables  # noqa: E402


@dataclass(slots=True)
class Draft:
    """One draft in memory: a short name, where it came from, its bytes."""

    name: str
    group: str  # seed | example | corpus
    data: bytes


def load_drafts(sample: int, corpus_dir: Path | None) -> tuple[list[Draft], str]:
    """Seeds, examples and ``sample`` corpus drafts; and where the sample is from."""
    drafts = [Draft(p.name, "seed", p.read_bytes()) for p in sorted(SEEDS.glob("*"))]
    drafts += [
        Draft(p.name, "example", p.read_bytes())
        for p in sorted(EXAMPLES.iterdir())
        if p.is_file()
    ]
    if sample <= 0:
        return drafts, "no corpus sample"
    if corpus_dir is not None:
        paths = expand_paths([str(corpus_dir)])
        step = max(1, len(paths) // sample)
        chosen = paths[::step][:sample]
        drafts += [Draft(Path(p).name, "corpus", Path(p).read_bytes()) for p in chosen]
        return drafts, f"{len(chosen)} drafts sampled from {corpus_dir}"
    import corpus

    for index in range(sample):
        made = corpus.make_draft(index, 1)
        drafts.append(Draft(made.name, "corpus", made.data))
    return drafts, f"corpus drafts 0..{sample - 1} (seed 1)"


def lint(packset: PackSet, draft: Draft) -> None:
    """What is timed: decode, outline, tables and every rule."""
    lint_document(document_from_bytes(draft.name, draft.data), packset)


def median_ms(run: Callable[[], object], repeats: int) -> float:
    """Median wall time of ``run`` over ``repeats`` calls, in milliseconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def time_drafts(
    packset: PackSet, drafts: list[Draft], repeats: int
) -> tuple[dict[str, float], float]:
    """Median ms per draft (rounds interleave drafts) and the CPU s used."""
    samples: dict[int, list[float]] = defaultdict(list)
    cpu_start = time.process_time()
    for _ in range(repeats):
        for i, draft in enumerate(drafts):
            start = time.perf_counter()
            lint(packset, draft)
            samples[i].append(time.perf_counter() - start)
    cpu = time.process_time() - cpu_start
    medians = {
        f"{d.group}:{d.name}:{i}": statistics.median(samples[i]) * 1000
        for i, d in enumerate(drafts)
    }
    return medians, cpu


def stages(packset: PackSet, drafts: list[Draft], repeats: int) -> dict[str, float]:
    """Summed median ms per stage: decode, outline (+edition), tables, rules."""
    totals: dict[str, float] = defaultdict(float)
    for draft in drafts:
        for name, value in _draft_stages(packset, draft, repeats).items():
            totals[name] += value
    return dict(totals)


def _draft_stages(packset: PackSet, draft: Draft, repeats: int) -> dict[str, float]:
    options, selection = LintOptions(), RuleFilter()
    doc = document_from_bytes(draft.name, draft.data)
    report = build_report(doc, packset, options)
    whole = median_ms(lambda: build_report(doc, packset, options), repeats)
    tables = median_ms(lambda: read_tables(doc, report.outline, report.pack), repeats)
    return {
        "decode": median_ms(
            lambda: document_from_bytes(draft.name, draft.data), repeats
        ),
        # NOTE: build_report is outline + edition choice + tables.
        "outline": max(0.0, whole - tables),
        "tables": tables,
        "rules": median_ms(lambda: run_rules(report, selection), repeats),
    }


def rule_costs(packset: PackSet, drafts: list[Draft], repeats: int) -> dict[str, float]:
    """Summed median ms of each rule's ``check`` (hits only, no messages)."""
    costs: dict[str, float] = defaultdict(float)
    for draft in drafts:
        report = build_report(
            document_from_bytes(draft.name, draft.data), packset, LintOptions()
        )
        for rule in report.pack.rules:
            kind = KINDS[rule.kind]
            if rule.prepared is None:
                rule.prepared = kind.prepare(rule.params)
            costs[f"{rule.id} ({rule.kind})"] += median_ms(
                partial(_check_all, kind, report, rule), repeats
            )
    return dict(costs)


def cold_rule_costs(
    packset: PackSet, drafts: list[Draft], repeats: int
) -> dict[str, float]:
    """Summed best ms of each rule's ``check`` on a fresh report, in run order.

    NOTE: ``rule_costs`` times a rule on a report it has already checked, so
    the per-draft work the first rule of a kind pays (prose paragraphs, table
    vectors, shared in ``Report.shared``) vanishes; here every draft gets a
    new report and the rules run once each in the engine's order, as in a
    real run: that work shows on the first rule needing it. Also "(report)":
    outline and tables.
    """
    best: dict[str, float] = {}
    for _ in range(repeats):
        costs: dict[str, float] = defaultdict(float)
        for draft in drafts:
            doc = document_from_bytes(draft.name, draft.data)
            start = time.perf_counter()
            report = build_report(doc, packset, LintOptions())
            costs["(report)"] += time.perf_counter() - start
            for rule in report.pack.rules:
                kind = KINDS[rule.kind]
                if kind.is_pair:
                    continue
                if rule.prepared is None:
                    rule.prepared = kind.prepare(rule.params)
                start = time.perf_counter()
                _check_all(kind, report, rule)
                costs[f"{rule.id} ({rule.kind})"] += time.perf_counter() - start
        for name, value in costs.items():
            best[name] = min(best.get(name, value), value)
    return {name: value * 1000 for name, value in best.items()}


def _check_all(kind: Any, report: Any, rule: Any) -> object:
    return list(kind.check(report, rule, rule.prepared))


def profile(packset: PackSet, drafts: list[Draft], top: int) -> str:
    """cProfile of one lint of every draft: top ``top`` by own and cumulative."""
    profiler = cProfile.Profile()
    profiler.enable()
    for draft in drafts:
        lint(packset, draft)
    profiler.disable()
    out = io.StringIO()
    for order in ("tottime", "cumtime"):
        out.write(f"\n--- by {order} ---\n")
        stats = pstats.Stats(profiler, stream=out)
        stats.strip_dirs().sort_stats(order).print_stats(top)
    return "\n".join(line for line in out.getvalue().splitlines() if line.strip() != "")


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=15, help="runs per draft")
    parser.add_argument("--sample", type=int, default=300, help="corpus drafts")
    parser.add_argument("--corpus", type=Path, help="corpus directory to sample")
    parser.add_argument("--stages", action="store_true", help="time each stage")
    parser.add_argument("--rules", type=int, default=0, help="show N slowest rules")
    parser.add_argument(
        "--cold", type=int, default=0, help="N slowest rules on fresh reports"
    )
    parser.add_argument("--profile", type=int, default=0, help="cProfile top N")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)

    packset = load_packset()
    drafts, source = load_drafts(args.sample, args.corpus)
    for draft in drafts:  # warm-up: caches, compiled patterns, prepared rules
        lint(packset, draft)
    medians, cpu = time_drafts(packset, drafts, args.repeats)
    total_ms = sum(medians.values())
    rate = len(drafts) / (total_ms / 1000)
    cpu_rate = len(drafts) * args.repeats / cpu if cpu else 0.0
    kb = sum(len(d.data) for d in drafts) / len(drafts) / 1000
    print(f"drafts: {len(drafts)} (seeds, examples; {source}), mean {kb:.1f} KB")
    print(f"repeats: {args.repeats}, median per draft")
    print(f"engine: {rate:,.0f} drafts/s (sum of medians {total_ms:,.0f} ms)")
    print(f"        {cpu_rate:,.0f} drafts/CPU-s over all runs")
    corpus_ms = [v for k, v in medians.items() if k.startswith("corpus:")]
    if corpus_ms:
        print(
            f"corpus drafts: median {statistics.median(corpus_ms):.2f} ms, "
            f"max {max(corpus_ms):.2f} ms"
        )
    print("per draft (median ms):")
    for key, value in medians.items():
        group, name, _ = key.split(":")
        if group != "corpus":
            print(f"  {name:32} {value:7.2f}")
    figures: dict[str, Any] = {
        "drafts": len(drafts),
        "source": source,
        "drafts_per_s": rate,
        "drafts_per_cpu_s": cpu_rate,
        "per_draft_ms": {
            k.split(":")[1]: v for k, v in medians.items() if not k.startswith("c")
        },
    }
    if args.stages:
        split = stages(packset, drafts, max(3, args.repeats // 3))
        whole = sum(split.values())
        print("stages (summed median ms over all drafts):")
        for name, value in split.items():
            print(f"  {name:8} {value:8.1f}  {100 * value / whole:5.1f} %")
        figures["stages_ms"] = split
    if args.rules:
        costs = rule_costs(packset, drafts, max(3, args.repeats // 3))
        ranked = sorted(costs.items(), key=lambda kv: -kv[1])[: args.rules]
        print(f"slowest rules (summed median ms over {len(drafts)} drafts):")
        for name, value in ranked:
            print(f"  {name:36} {value:8.1f}")
        figures["rules_ms"] = dict(ranked)
    if args.cold:
        costs = cold_rule_costs(packset, drafts, max(3, args.repeats // 3))
        total = sum(costs.values())
        ranked = sorted(costs.items(), key=lambda kv: -kv[1])[: args.cold]
        print(
            f"on fresh reports (summed best ms over {len(drafts)} drafts; "
            f"all rules and the report {total:,.0f} ms):"
        )
        for name, value in ranked:
            print(f"  {name:36} {value:8.1f}")
        figures["cold_ms"] = dict(ranked)
    if args.profile:
        print(profile(packset, drafts, args.profile))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

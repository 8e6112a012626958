"""What year-over-year pairing costs per draft: each pair rule's extract.

The drafts of ``engine_profile.py`` (seeds, examples, the first 300
corpus drafts), linted once; then per draft the best of 5 of each pair
rule's ``extract`` and of ``build_digest`` (the sections cut of a draft,
shared by the text kinds, are forgotten before each run), and the mean
pickled digest. Usage::

    python benchmarks/digest_profile.py

Nothing here asserts a speed: the numbers are for people.
"""

from __future__ import annotations

import pickle
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import engine_profile  # noqa: E402

from disclosure_lint.engine.lint import RuleFilter, lint_document  # noqa: E402
from disclosure_lint.engine.pairs import build_digest  # noqa: E402
from disclosure_lint.inputs.load import document_from_bytes  # noqa: E402
from disclosure_lint.kinds import KINDS  # noqa: E402
from disclosure_lint.kinds.report import LintOptions, Report  # noqa: E402
from disclosure_lint.kinds.year_text import _LAST  # noqa: E402
from disclosure_lint.packs.load import load_packset  # noqa: E402

REPEATS = 5


def best(run: object, *args: object) -> float:
    """The best of ``REPEATS`` runs of ``run(*args)``, in seconds."""
    times = []
    for _ in range(REPEATS):
        _LAST.clear()
        start = time.perf_counter()
        run(*args)  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    packset = load_packset()
    drafts, _ = engine_profile.load_drafts(300, None)
    reports: list[Report] = []
    for draft in drafts:
        doc = document_from_bytes(draft.name, draft.data)
        reports.append(lint_document(doc, packset, LintOptions(), RuleFilter())[0])
    for report in reports:
        build_digest(report)  # warm up (and prepare the rules)
    per_rule: dict[str, float] = {}
    for report in reports:
        for rule in report.pack.rules:
            extract = KINDS[rule.kind].extract
            if extract is not None:
                took = best(extract, report, rule, rule.prepared)
                per_rule[rule.id] = per_rule.get(rule.id, 0.0) + took
    total = sum(best(build_digest, report) for report in reports)
    count = len(reports)
    print(f"{count} drafts; build_digest {total / count * 1000:.3f} ms a draft")
    for rule_id, took in sorted(per_rule.items()):
        print(f"  {rule_id} extract {took / count * 1000:.3f} ms")
    digests = [build_digest(report) for report in reports]
    sizes = [len(pickle.dumps(digest)) for digest in digests]
    print(f"pickled digest {statistics.mean(sizes) / 1024:.2f} KB mean")
    for rule_id in sorted(per_rule):
        kept = [len(pickle.dumps(d.extracts.get(rule_id))) for d in digests]
        print(f"  {rule_id} {statistics.mean(kept) / 1024:.2f} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

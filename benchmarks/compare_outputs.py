"""Compare the outputs of two source trees byte for byte, in every format.

Usage::

    python benchmarks/compare_outputs.py OLD_TREE NEW_TREE [--drafts 2000]

``OLD_TREE`` and ``NEW_TREE`` are checkouts of disclosure-lint (each with
``src/`` and ``rules/``), e.g. ``git worktree add /tmp/old main``. Both are
run with the same Python (``PYTHONPATH=TREE/src``, each with its own pack
cache) from the same directory over the same inputs: the seeds
(``../shared/seeds``), ``examples/`` and ``--drafts`` drafts of the benchmark
corpus (``benchmarks/corpus.py``, seed 1), written to a temporary directory.
For every input set and every ``--format`` the standard output, the standard
error and the exit code must be equal.

Known contract changes between the trees are applied to the old output
first (``--contract-v2``: JSON ``version`` 1 -> 2 and ``files_with_errors``
-> ``files_failed``, issue 11); each is named in the report.
Exit code 0 when everything is equal, 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

FORMATS = ["text", "json", "sarif", "github", "junit", "html"]
#: Old bytes -> new bytes, per format, for ``--contract-v2``.
CONTRACT_V2 = {
    "json": [
        (b'{"version": 1, "findings": [', b'{"version": 2, "findings": ['),
        (b'"files_with_errors": ', b'"files_failed": '),
    ],
}


def _inputs(work: Path, drafts: int) -> dict[str, list[str]]:
    """Input sets: name -> command-line paths (relative to ``work``)."""
    sets: dict[str, list[str]] = {}
    seeds = ROOT.parent / "shared" / "seeds"
    if not seeds.is_dir():
        seeds = Path("/work/shared/seeds")
    if seeds.is_dir():
        shutil.copytree(seeds, work / "seeds")
        sets["seeds"] = ["seeds"]
    shutil.copytree(ROOT / "examples", work / "examples")
    sets["examples"] = ["examples"]
    if drafts:
        corpus.generate(work / "corpus", drafts, seed=1)
        sets["corpus"] = ["corpus"]
    return sets


def _run(tree: Path, cache: Path, work: Path, args: list[str]) -> tuple[bytes, ...]:
    env = dict(os.environ, PYTHONPATH=str(tree / "src"), XDG_CACHE_HOME=str(cache))
    env.pop("NO_COLOR", None)
    proc = subprocess.run(
        [sys.executable, "-m", "disclosure_lint", *args],
        cwd=work,
        env=env,
        capture_output=True,
        check=False,
    )
    return proc.stdout, proc.stderr, str(proc.returncode).encode()


def _known(
    data: bytes, fmt: str, changes: dict[str, list[tuple[bytes, bytes]]]
) -> bytes:
    for old, new in changes.get(fmt, []):
        data = data.replace(old, new)
    return data


def main() -> int:
    """Run both trees over every input set and format; report differences."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--drafts", type=int, default=2000)
    parser.add_argument(
        "--contract-v2",
        action="store_true",
        help="the new tree has JSON contract version 2 (files_failed)",
    )
    args = parser.parse_args()
    changes = CONTRACT_V2 if args.contract_v2 else {}
    for name, pairs in changes.items():
        for old, new in pairs:
            print(f"known change ({name}): {old!r} -> {new!r}")
    different = 0
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "work"
        work.mkdir()
        sets = _inputs(work, args.drafts)
        for set_name, paths in sets.items():
            for fmt in FORMATS:
                runs = []
                for side, tree in (("old", args.old), ("new", args.new)):
                    cache = Path(tmp) / f"cache-{side}"
                    runs.append(
                        _run(tree.resolve(), cache, work, ["--format", fmt, *paths])
                    )
                old, new = runs
                old = (_known(old[0], fmt, changes), old[1], old[2])
                same = [a == b for a, b in zip(old, new, strict=True)]
                status = "same" if all(same) else "DIFFERENT"
                if not all(same):
                    different += 1
                    what = [
                        n
                        for n, s in zip(("stdout", "stderr", "exit"), same, strict=True)
                        if not s
                    ]
                    status += f" ({', '.join(what)})"
                size = f"{len(new[0]):>11,} bytes  exit {new[2].decode()}"
                print(f"{set_name:9} {fmt:7} {size}  {status}")
    print("all outputs identical" if not different else f"{different} differences")
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())

"""Year-over-year pairing at the scale of a province: on against off.

Builds a province's reports (``corpus.make_draft`` drafts, each given an
issuer and a year: ``--issuers`` issuers x ``--years`` years, 2019 on; the
2019 and 2020 reports in the 2019 edition, the later ones in the 2021
edition), named so that a directory holds whole series in path order, the
title sometimes writing the issuer's short form (青山镇政府 for
青山镇人民政府, which pairing reads as one issuer). Then it runs
``disclosure-lint DIR -j JOBS -f json`` with pairing (the default) and with
``--no-pairing`` on the first 1,000, 5,000 and all reports, and prints wall
time, CPU time of the process tree, peak RSS and PSS of the tree, and the
pairs the run found (from ``disclosure-lint series``). Usage::

    python benchmarks/pairing.py [--issuers 1430] [--years 7] [--jobs 2]

The figures are reported in docs/benchmarks.md; no test asserts them.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import make_draft  # noqa: E402
from run import TreeSampler, bench_env, tool  # noqa: E402

FIRST_YEAR = 2019
_CHARS = "东西南北安平新兴和清云桥阳泉宁丰源溪花石林湖河山松柏桃杏"
_TITLE = re.compile(r"^(#\s*)?(?P<org>.+?)(?:人民政府)?(?P<year>(?:19|20)\d{2})年")


def issuer(number: int) -> str:
    """Issuer ``number``'s place name: two or three characters and 镇 or 乡."""
    size = len(_CHARS)
    first, rest = divmod(number, size * 2)
    second, suffix = divmod(rest, 2)
    name = _CHARS[second] + _CHARS[(second + first + 1) % size]
    if first >= size:
        name = _CHARS[first % size] + name
    return name + ("镇", "乡")[suffix]


def report(number: int, year: int, seed: int = 7) -> str:
    """The report of issuer ``number`` for ``year`` (deterministic)."""
    edition = "2019" if year <= 2020 else "2021"
    index = number * 100 + (year - FIRST_YEAR) * 10
    while True:
        draft = make_draft(index, seed, utf8=True)
        if draft.edition == edition and not draft.defects:
            break
        index += 1
    text = draft.data.decode("utf-8")
    first, _, body = text.partition("\n")
    found = _TITLE.match(first)
    assert found is not None, first
    org, old = found.group("org"), draft.year
    body = body.replace(org, issuer(number))
    body = body.replace(f"{old}年", f"{year}年")
    body = body.replace(f"{old - 1}年", f"{year - 1}年")
    short = "政府" if (number + year) % 3 == 0 else "人民政府"
    mark = found.group(1) or ""
    title = f"{mark}{issuer(number)}{short}{year}年政府信息公开工作年度报告"
    return title + "\n" + body


def build(root: Path, issuers: int, years: int) -> list[Path]:
    """Write the reports; the files in path order (series by directory)."""
    paths = []
    for number in range(issuers):
        folder = root / f"{number // 100:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        # NOTE: years in descending order: this year's report comes first in
        # path order, before last year's, the hard case for streaming.
        for year in range(FIRST_YEAR + years - 1, FIRST_YEAR - 1, -1):
            path = folder / f"{number:05d}-{FIRST_YEAR + years - 1 - year}-{year}.txt"
            path.write_text(report(number, year), encoding="utf-8")
            paths.append(path)
    return paths


def measure(args: list[str]) -> dict[str, float]:
    """One run of the CLI with ``args``: wall, CPU, peak tree RSS and PSS."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(
            [*tool(), *args], stdout=out, stderr=subprocess.PIPE, env=bench_env()
        )
        sampler = TreeSampler(proc.pid)
        _, err = proc.communicate()
        sampler.stop()
        wall = time.perf_counter() - started
        out.seek(0)
        findings = len(json.load(out)["findings"]) if "-f" in args else -1
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        sys.stderr.write(err.decode("utf-8", "replace")[-2000:])
    return {
        "wall": wall,
        "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "rss": sampler.peak_rss / 1024,
        "pss": sampler.peak_pss / 1024,
        "findings": findings,
        "code": proc.returncode,
    }


def main(argv: list[str] | None = None) -> int:
    """Build the province, run the batches, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--issuers", type=int, default=1430)
    parser.add_argument("--years", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--sizes", default="1000,5000,0", help="0: all")
    parser.add_argument("--keep", type=Path, help="build here and keep it")
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        root = options.keep or Path(tmp) / "province"
        started = time.perf_counter()
        paths = build(root, options.issuers, options.years)
        print(f"{len(paths)} reports built in {time.perf_counter() - started:.0f} s")
        print("files  pairing  wall s  CPU s  CPU ms/draft  tree RSS MB  PSS MB")
        for size in (int(s) for s in options.sizes.split(",")):
            chosen = paths[:size] if size else paths
            target = Path(tmp) / f"batch-{len(chosen)}"
            if target.exists() or len(chosen) == len(paths):
                target = root
            else:
                target.mkdir()
                for path in chosen:
                    link = target / path.parent.name / path.name
                    link.parent.mkdir(exist_ok=True)
                    link.symlink_to(path)
            for flag in ("", "--no-pairing"):
                args = [str(target), "-j", str(options.jobs), "-f", "json"]
                result = measure([*args, flag] if flag else args)
                print(
                    f"{len(chosen):>5}  {'off' if flag else 'on':>7}  "
                    f"{result['wall']:6.1f}  {result['cpu']:5.1f}  "
                    f"{1000 * result['cpu'] / len(chosen):12.1f}  "
                    f"{result['rss']:11.0f}  {result['pss']:6.0f}",
                    flush=True,
                )
            series = subprocess.run(
                [*tool(), "series", str(target), "-f", "json", "-j", "2"],
                capture_output=True,
                text=True,
                env=bench_env(),
                check=False,
            )
            summary = json.loads(series.stdout)["summary"]
            print(f"       series: {summary}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

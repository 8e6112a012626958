"""What reading a Word document, a web page or a PDF costs (issue 12, item 7).

From a clone with the package installed (``pip install -e .``)::

    python benchmarks/readers.py            # prints a Markdown section
    python benchmarks/readers.py --rounds 5 # fewer rounds

Measured, each as a real ``disclosure-lint`` command in a fresh process:

- cold start of one file: the defects example as ``.txt`` and built as
  ``.docx`` (built by ``tests/docx_build.py``: list-numbered headings, merged cells),
  the real published page ``../shared/real/pingtan-2024.html``, the first
  five pages of the real ``../shared/real/huaian-2024.pdf`` (copied with
  pypdfium2) and the whole six-page PDF; median and range of ``--rounds``
  runs (default 11), the commands run in turn so that load moves them alike;
- a batch of ``--batch`` ``.docx`` drafts (default 200: the seeds and
  examples built as Word documents, cycled) with ``-j 1`` and ``-j 2``, and
  the same reports as ``.txt`` with ``-j 1``: wall time, files per second,
  CPU time per file (the whole process tree);
- which reader libraries a text draft's run imports (``python -X
  importtime``): none should (tests/test_startup.py pins it).

Nothing here is asserted: the figures go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples"
READER_LIBRARIES = ("docx", "lxml", "pdfplumber", "pypdfium2", "pdfminer")


def docx_from_text(text: str, path: Path) -> Path:
    """A Word document that reads as ``text``, as the tests build them.

    ``tests/docx_build.py``: list-numbered headings, tables with merged
    header and group-label cells.
    """
    sys.path.insert(0, str(ROOT))
    from tests.docx_build import docx_from_text as build

    path.write_bytes(build(text))
    return path


def first_pages(source: Path, count: int, path: Path) -> Path:
    """The first ``count`` pages of the PDF ``source``, as a new PDF."""
    import pypdfium2

    original = pypdfium2.PdfDocument(str(source))
    copy = pypdfium2.PdfDocument.new()
    copy.import_pages(original, list(range(min(count, len(original)))))
    copy.save(str(path))
    return path


def _command(*args: object) -> list[str]:
    return [sys.executable, "-m", "disclosure_lint", *map(str, args)]


def _wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, check=False)
    return time.perf_counter() - start


def cold_starts(files: dict[str, Path], rounds: int) -> dict[str, list[float]]:
    """Wall times of ``disclosure-lint FILE``, the files in turn, ``rounds`` each."""
    times: dict[str, list[float]] = {label: [] for label in files}
    for path in files.values():
        _wall(_command(path))  # NOTE: warm the disk cache and the pack cache
    for _ in range(rounds):
        for label, path in files.items():
            times[label].append(_wall(_command(path)))
    return times


def batch(directory: Path, jobs: int) -> tuple[float, float]:
    """Wall time and CPU time (the process tree) of ``disclosure-lint DIR -j N``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        _command(directory, "-j", jobs, "--quiet"), capture_output=True, check=False
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def reader_imports(path: Path) -> list[str]:
    """Reader libraries that ``python -X importtime`` shows a run of ``path`` import."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *_command(path)[1:]],
        capture_output=True,
        text=True,
        check=False,
    )
    found = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            top = line.rsplit("|", 1)[1].strip().split(".")[0]
            if top in READER_LIBRARIES:
                found.add(top)
    return sorted(found)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def main() -> None:
    """Measure and print the Markdown section."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--batch", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="readers-bench-") as tmp:
        work = Path(tmp)
        defects = EXAMPLES / "defects-2021.txt"
        shutil.copy(defects, work / "defects.txt")
        docx_from_text(defects.read_text(encoding="utf-8"), work / "defects.docx")
        pdf = SHARED / "real" / "huaian-2024.pdf"
        first_pages(pdf, 5, work / "huaian-5-pages.pdf")
        shutil.copy(pdf, work / "huaian-2024.pdf")
        shutil.copy(SHARED / "real" / "pingtan-2024.html", work / "pingtan.html")
        files = {
            "`.txt`: the defects example": work / "defects.txt",
            "`.docx`: the defects example as a Word document": work / "defects.docx",
            "`.html`: pingtan-2024.html (a published page)": work / "pingtan.html",
            "`.pdf`: huaian-2024.pdf, first 5 pages": work / "huaian-5-pages.pdf",
            "`.pdf`: huaian-2024.pdf, all 6 pages": work / "huaian-2024.pdf",
        }
        sizes = {label: path.stat().st_size for label, path in files.items()}
        times = cold_starts(files, args.rounds)

        texts = sorted((SHARED / "seeds").glob("*.txt")) + sorted(
            EXAMPLES.glob("*.txt")
        )
        built = work / "built"
        built.mkdir()
        sources = [
            docx_from_text(t.read_text(encoding="utf-8"), built / f"{t.stem}.docx")
            for t in texts
        ]
        drafts = work / "batch"
        drafts.mkdir()
        plain = work / "batch-txt"
        plain.mkdir()
        for n in range(args.batch):
            shutil.copy(sources[n % len(sources)], drafts / f"{n:04d}.docx")
            shutil.copy(texts[n % len(texts)], plain / f"{n:04d}.txt")
        batches = {(".docx", jobs): batch(drafts, jobs) for jobs in (1, 2)} | {
            (".txt", 1): batch(plain, 1)
        }
        imports = {
            name: reader_imports(EXAMPLES / name)
            for name in ("clean-2021.txt", "defects-2021.txt")
        }
    _print(args, files, sizes, times, batches, imports, len(sources))


def _print(
    args: argparse.Namespace,
    files: dict[str, Path],
    sizes: dict[str, int],
    times: dict[str, list[float]],
    batches: dict[tuple[str, int], tuple[float, float]],
    imports: dict[str, list[str]],
    kinds: int,
) -> None:
    print("## (e) Readers: Word documents, web pages, PDF\n")
    print(
        f"`python benchmarks/readers.py` (Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, load average before: "
        f"{os.getloadavg()[0]:.2f}); editable install, pack cache warm. Each "
        "row is a real `disclosure-lint FILE` in a fresh process, wall time "
        f"from start to exit, median of {args.rounds} runs (range), the files "
        "run in turn.\n"
    )
    print("| file | size | median | range |")
    print("| --- | --- | --- | --- |")
    for label, runs in times.items():
        print(
            f"| {label} | {sizes[label] / 1024:.0f} KB | "
            f"{_ms(statistics.median(runs))} | "
            f"{_ms(min(runs))}–{_ms(max(runs))} |"
        )
    print(
        f"\nA batch of {args.batch} `.docx` drafts ({kinds} different reports "
        "built as Word documents, cycled): `disclosure-lint DIR -j N --quiet`, "
        "wall time and CPU time (user + system) of the process tree; the same "
        "reports as `.txt` for comparison.\n"
    )
    print("| drafts | jobs | wall | files/s | CPU per file |")
    print("| --- | --- | --- | --- | --- |")
    for (form, jobs), (wall, cpu) in batches.items():
        print(
            f"| {args.batch} `{form}` | {jobs} | {wall:.2f} s | "
            f"{args.batch / wall:.0f} | {cpu / args.batch * 1000:.1f} ms |"
        )
    print(
        "\nReader libraries imported by a text draft's run "
        f"(`python -X importtime`, any of {', '.join(READER_LIBRARIES)}):"
    )
    for name, found in imports.items():
        print(f"- `{name}`: {', '.join(found) if found else 'none'}")


if __name__ == "__main__":
    main()

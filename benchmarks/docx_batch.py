"""What reading Word documents costs (issue 12, item 7: one ``.docx`` ≤ 300 ms
cold; batches ≥ 100 files/s per core).

From a clone with the package installed (``pip install -e .``)::

    python benchmarks/docx_batch.py                # 200 files, 11 cold runs
    python benchmarks/docx_batch.py --files 50 --rounds 5

Two fixtures, each ``--files`` copies of ``examples/clean-2021.txt`` built
as a Word document by ``tests/docx_build.py`` (list-numbered headings,
merged header cells, six tables):

- ``template``: as python-docx saves it, with its default template's
  350 KB ``styles.xml`` and 438 KB ``stylesWithEffects.xml`` (heavier than
  anything Word or WPS writes);
- ``realistic``: the same document with ``stylesWithEffects.xml`` removed
  and ``styles.xml`` cut to the size Word writes (the template's first
  styles up to about 40 KB, plus every style the document uses and the ones
  they are based on).

Measured, CPU time (``time.process_time`` in process, ``RUSAGE_CHILDREN``
for a command), since the machine may be shared:

- read: ``inputs.docx.read`` per file, in this process (best of
  ``--rounds``, the fixtures in turn);
- lint: ``lint_document`` per file on the read document (the same);
- batch: ``disclosure-lint -j 1 FILES…`` in a fresh process: files per
  second of CPU time of the whole run (start-up included), and per wall
  second (best of three, the fixtures in turn);
- cold: ``disclosure-lint ONE.docx`` (wall, median of ``--rounds``) next to
  ``python -c pass`` and ``disclosure-lint clean-2021.txt``, run in turn so
  that load moves them alike.

Run it with ``PYTHONPATH=<other checkout>/src`` to measure another version
of the reader with the same fixtures. Nothing is asserted here.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
EXAMPLE = ROOT / "examples" / "clean-2021.txt"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_WORD_STYLES = 40_000  # bytes of styles.xml kept, about what Word writes


def template_docx() -> bytes:
    """The example built as a .docx on python-docx's default template."""
    sys.path.insert(0, str(ROOT))
    from tests.docx_build import docx_from_text

    return docx_from_text(EXAMPLE.read_text(encoding="utf-8"))


def realistic_docx(data: bytes) -> bytes:
    """``data`` with a Word-sized ``styles.xml`` and no ``stylesWithEffects``."""
    from lxml import etree

    source = zipfile.ZipFile(io.BytesIO(data))
    members = {info.filename: source.read(info) for info in source.infolist()}
    effects = "stylesWithEffects.xml"
    del members["word/" + effects]
    rels = etree.fromstring(members["word/_rels/document.xml.rels"])
    for rel in list(rels):
        if rel.get("Target") == effects:
            rels.remove(rel)
    members["word/_rels/document.xml.rels"] = etree.tostring(rels)
    types = members["[Content_Types].xml"].replace(
        f'<Override PartName="/word/{effects}"'.encode(), b"<Ignored"
    )
    members["[Content_Types].xml"] = _drop_ignored(types)
    members["word/styles.xml"] = _word_sized_styles(
        members["word/styles.xml"], members["word/document.xml"]
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, blob in members.items():
            archive.writestr(name, blob)
    return out.getvalue()


def _drop_ignored(types: bytes) -> bytes:
    start = types.find(b"<Ignored")
    if start < 0:
        return types
    end = types.index(b"/>", start) + 2
    return types[:start] + types[end:]


def _word_sized_styles(styles: bytes, document: bytes) -> bytes:
    from lxml import etree

    root = etree.fromstring(styles)
    used = {
        value.get(W + "val")
        for tag in ("pStyle", "rStyle", "tblStyle")
        for value in etree.fromstring(document).iter(W + tag)
    }
    by_id = {style.get(W + "styleId"): style for style in root.iter(W + "style")}
    keep: set[str | None] = set()
    for sid in list(used):  # and what they are based on, linked to, followed by
        while sid in by_id and sid not in keep:
            keep.add(sid)
            style = by_id[sid]
            for link in ("link", "next"):
                found = style.find(W + link)
                if found is not None:
                    keep.add(found.get(W + "val"))
            based = style.find(W + "basedOn")
            sid = None if based is None else based.get(W + "val")
    size = len(etree.tostring(root)) - sum(
        len(etree.tostring(s)) for s in by_id.values()
    )
    for sid, style in by_id.items():
        length = len(etree.tostring(style))
        if sid in keep or size + length <= _WORD_STYLES:
            size += length
        else:
            root.remove(style)
    out: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return out


def per_file(fixtures: dict[str, bytes], rounds: int) -> dict[str, tuple[float, float]]:
    """Fixture → (read ms, lint ms) of CPU time per file, best of ``rounds``.

    The fixtures are measured in turn in each round, so that load on a
    shared machine moves them alike.
    """
    from disclosure_lint.engine.lint import lint_document
    from disclosure_lint.inputs.docx import read
    from disclosure_lint.packs.load import load_packset

    packset = load_packset()
    copies = 20
    best = {name: (float("inf"), float("inf")) for name in fixtures}
    for _ in range(rounds):
        for name, data in fixtures.items():
            start = time.process_time()
            docs = [read("bench.docx", data) for _ in range(copies)]
            read_s = time.process_time() - start
            start = time.process_time()
            for doc in docs:
                lint_document(doc, packset)
            lint_s = time.process_time() - start
            old = best[name]
            best[name] = (min(old[0], read_s), min(old[1], lint_s))
    return {
        name: (1000 * r / copies, 1000 * lint / copies)
        for name, (r, lint) in best.items()
    }


def batch(files: list[Path]) -> tuple[float, float]:
    """(files per CPU second, files per wall second) of ``-j 1`` on ``files``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "disclosure_lint", "-j", "1", *map(str, files)],
        capture_output=True,
        check=False,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(done.stderr.decode(errors="replace")[-2000:])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return len(files) / cpu, len(files) / wall


def cold(commands: dict[str, list[str]], rounds: int) -> dict[str, float]:
    """Median wall ms of each command, the commands run in turn."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, capture_output=True, check=False)
            times[name].append(1000 * (time.perf_counter() - start))
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    """Build the fixtures, measure, print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=11)
    args = parser.parse_args()
    template = template_docx()
    fixtures = {"template": template, "realistic": realistic_docx(template)}
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n")
    print(
        "| fixture | styles.xml | read ms/file (CPU) | lint ms/file (CPU) "
        "| -j 1 files/s per CPU s | -j 1 files/s wall |"
    )
    print("|---|---|---|---|---|---|")
    costs = per_file(fixtures, args.rounds)
    with tempfile.TemporaryDirectory() as tmp:
        ones: dict[str, Path] = {}
        batches: dict[str, list[Path]] = {}
        for name, data in fixtures.items():
            folder = Path(tmp) / name
            folder.mkdir()
            batches[name] = [folder / f"r{i:04d}.docx" for i in range(args.files)]
            for path in batches[name]:
                path.write_bytes(data)
            ones[name] = batches[name][0]
        rates = {name: (0.0, 0.0) for name in fixtures}
        for _ in range(3):  # in turn; the best of three
            for name, files in batches.items():
                cpu_rate, wall_rate = batch(files)
                old = rates[name]
                rates[name] = (max(old[0], cpu_rate), max(old[1], wall_rate))
        for name, data in fixtures.items():
            styles = len(zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml"))
            read_ms, lint_ms = costs[name]
            cpu_rate, wall_rate = rates[name]
            print(
                f"| {name} | {styles // 1000} KB | {read_ms:.1f} | {lint_ms:.1f} "
                f"| {cpu_rate:.0f} | {wall_rate:.0f} |"
            )
        run = [sys.executable, "-m", "disclosure_lint"]
        medians = cold(
            {
                "python -c pass": [sys.executable, "-c", "pass"],
                "clean-2021.txt": [*run, str(EXAMPLE)],
                **{f"{name} .docx": [*run, str(path)] for name, path in ones.items()},
            },
            args.rounds,
        )
    print(f"\nCold start, wall ms, median of {args.rounds}:\n")
    print("| command | ms |")
    print("|---|---|")
    for name, value in medians.items():
        print(f"| {name} | {value:.0f} |")


if __name__ == "__main__":
    main()

"""What a plain ``disclosure-lint draft.txt`` imports (its cold start).

Timings are measured in ``benchmarks/`` (see docs/benchmarks.md), never
asserted here; what is pinned is the import discipline that keeps the start
short: a real run of the command in a fresh interpreter must not import the
modules listed below, each of which it once did.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

# Module -> why the plain path must not need it.
AVOIDED = {
    "typer": "the CLI framework (check.py answers the plain command line)",
    "click": "the CLI framework",
    "jinja2": "messages render their {% if %} subset without it",
    "ruamel": "packs come from the cache",
    "dataclasses": "records.dataclass builds the classes (imports inspect)",
    "inspect": "imported by dataclasses only",
    "string": "regex_guard spells string.printable out",
    "difflib": "headings and their aliases are matched exactly before any "
    "similarity (outline.sections)",
    "disclosure_lint.kinds.year_text": "one draft alone is never paired: the "
    "year-over-year kinds are imported on first use (kinds.PAIR_KINDS)",
    "disclosure_lint.kinds.copied_text": "a year-over-year kind",
    "disclosure_lint.kinds.follow_up": "a year-over-year kind",
    "disclosure_lint.kinds.year_equation": "a year-over-year kind",
    "zlib": "only the year-over-year fingerprints use it",
    "datetime": "dates are checked and compared as tuples (dates.py); only a "
    "waiver file needs datetime",
}


def _modules_after_run(draft: Path) -> tuple[int, str, set[str]]:
    code = (
        "import sys\n"
        "from disclosure_lint.__main__ import main\n"
        f"sys.argv = ['disclosure-lint', {str(draft)!r}]\n"
        "code = main()\n"
        "sys.stderr.write('MODULES ' + ' '.join(sorted(sys.modules)) + '\\n')\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    listed = [x for x in done.stderr.splitlines() if x.startswith("MODULES ")]
    assert listed, done.stderr
    return done.returncode, done.stdout, set(listed[0].split()[1:])


def test_a_clean_draft_runs_without_the_avoided_modules() -> None:
    code, out, modules = _modules_after_run(EXAMPLES / "clean-2021.txt")
    assert code == 0, out
    assert "disclosure_lint.engine" in modules  # the run did happen
    imported = {m for m in AVOIDED if m in modules}
    assert not imported, {m: AVOIDED[m] for m in imported}


def test_a_draft_with_defects_runs_without_the_avoided_modules() -> None:
    code, out, modules = _modules_after_run(EXAMPLES / "defects-2021.txt")
    assert code == 1 and out, out
    imported = {m for m in AVOIDED if m in modules}
    assert not imported, {m: AVOIDED[m] for m in imported}


# The readers' libraries: imported only when a file of their form is read.
READER_LIBRARIES = ("docx", "lxml", "pdfplumber", "pypdfium2", "pdfminer")


def _imported_with_importtime(*args: object) -> tuple[int, set[str]]:
    """Top-level packages ``python -X importtime -m disclosure_lint ARGS`` imports."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "disclosure_lint", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
    )
    names = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            name = line.rsplit("|", 1)[1].strip()
            names.add(name.split(".")[0])
    assert "disclosure_lint" in names, done.stderr[-2000:]
    return done.returncode, names


def test_a_text_draft_imports_no_reader_library() -> None:
    for draft in ("clean-2021.txt", "clean-2020.md", "defects-2021.txt"):
        _, names = _imported_with_importtime(EXAMPLES / draft)
        assert not names & set(READER_LIBRARIES), draft


def test_each_reader_imports_its_own_library_only(tmp_path) -> None:
    # NOTE: the control: the same parsing of -X importtime sees a reader's
    # library when one is needed, and only that reader's.
    import docx

    document = docx.Document()
    document.add_paragraph("某镇2021年政府信息公开工作年度报告")
    document.save(str(tmp_path / "a.docx"))
    (tmp_path / "a.html").write_text(
        "<!doctype html><html><body><p>某镇2021年政府信息公开工作年度报告</p>"
        "</body></html>",
        encoding="utf-8",
    )
    _, names = _imported_with_importtime(tmp_path / "a.docx")
    assert "lxml" in names and not names & {"pdfplumber", "pypdfium2", "pdfminer"}
    _, names = _imported_with_importtime(tmp_path / "a.html")
    assert "lxml" in names and not names & {"docx", "pdfplumber", "pdfminer"}
    pdf = Path(__file__).resolve().parents[2] / "shared" / "real" / "huaian-2024.pdf"
    _, names = _imported_with_importtime(pdf)
    assert "pypdfium2" in names and "docx" not in names


def test_a_clean_draft_runs_without_compiling_python() -> None:
    # NOTE: a process's first compile() costs ~1 ms (the parser starts up);
    # typing compiles a string annotation it is made to evaluate (a
    # TypeVar's string bound, a typing.NamedTuple field).
    code = (
        "import builtins, sys\n"
        "compiled = []\n"
        "real = builtins.compile\n"
        "def spy(source, filename, *args, **kwargs):\n"
        "    if not str(filename).endswith('.py'):  # a module's source: import\n"
        "        compiled.append(str(source)[:60])\n"
        "    return real(source, filename, *args, **kwargs)\n"
        "builtins.compile = spy\n"
        "from disclosure_lint.__main__ import main\n"
        f"sys.argv = ['disclosure-lint', {str(EXAMPLES / 'clean-2021.txt')!r}]\n"
        "code = main()\n"
        "sys.stderr.write(f'COMPILED {compiled!r}\\n')\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "COMPILED []" in done.stderr, done.stderr

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

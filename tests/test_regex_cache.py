"""Pack regexes built from the code saved in the pack cache (``regex.cached``).

A pattern built from saved code must be the one ``re.compile`` builds (same
pattern, flags and code, so the same matches); code that does not load is
compiled by ``re`` instead; and a run with the cache warm compiles none of
the packs' regexes with ``re``.
"""

from __future__ import annotations

import json
import marshal
import re
import subprocess
import sys
from pathlib import Path

import pytest

from disclosure_lint.regex import cached

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

PATTERNS = [
    (r"(?:19|20)\d{2}年1月1日起?(?:至|到|-)12月31日", 0),
    (r"(?P<y>\d{4})[-./年](?P<m>\d{1,2})", 0),
    ("^[ \\t]*(?:来源|发布日期)[:：][^\\n]{0,40}$", re.MULTILINE),
    (r"(?i)abc(?<=c)(d)?", 0),
    (r"[，。；]", 0),
]
TEXT = "2021年1月1日至12月31日\n来源：某县\n2021-07 ABCd，ABC。"


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cached, "_SAVED", {})
    monkeypatch.setattr(cached, "_COMPILED", set())


def _as_the_cache_stores(entries: list[list[object]]) -> list[list[object]]:
    # NOTE: packs.load writes JSON's data (tuples become lists) as marshal.
    loaded: list[list[object]] = marshal.loads(
        marshal.dumps(json.loads(json.dumps(entries)))
    )
    return loaded


def test_saved_code_builds_the_patterns_re_builds(
    fresh: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    for pattern, flags in PATTERNS:
        cached.compile_regex(pattern, flags)
    entries = _as_the_cache_stores(cached.saved_code())
    assert len(entries) == len(PATTERNS)
    monkeypatch.setattr(cached, "_SAVED", {})
    monkeypatch.setattr(cached, "_COMPILED", set())
    cached.load_saved(entries)
    for pattern, flags in PATTERNS:
        built = cached.compile_regex(pattern, flags)
        expected = re.compile(pattern, flags)
        assert built is not expected  # not from re's own cache
        assert built == expected  # same pattern, flags and code
        assert built.groupindex == expected.groupindex
        assert [(m.span(), m.groups()) for m in built.finditer(TEXT)] == [
            (m.span(), m.groups()) for m in expected.finditer(TEXT)
        ]
    assert not cached._COMPILED  # re compiled none of them


def test_code_that_does_not_load_is_compiled_by_re(fresh: None) -> None:
    pattern = r"(\d+)件"
    cached.load_saved([[pattern, 0, 32, [999, 1, 2], 1, {}, [None, None]]])
    built = cached.compile_regex(pattern)
    assert built == re.compile(pattern)
    assert built.findall("共3件") == ["3"]


def test_a_run_with_the_cache_warm_compiles_no_pack_regex(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from disclosure_lint.__main__ import main\n"
        "from disclosure_lint.regex import cached\n"
        f"sys.argv = ['disclosure-lint', {str(EXAMPLES / 'defects-2021.txt')!r}]\n"
        "main()\n"
        "print(len(cached._SAVED), sorted(cached._COMPILED), file=sys.stderr)\n"
    )
    env = {"XDG_CACHE_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    runs = [
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        for _ in range(2)
    ]
    first, second = (run.stderr.strip().splitlines()[-1] for run in runs)
    assert first.startswith("0 ") and first != "0 []"  # compiled, then saved
    saved, compiled = second.split(" ", 1)
    assert int(saved) > 20
    assert compiled == "[]"

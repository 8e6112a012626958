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


def test_a_run_with_the_cache_warm_compiles_and_parses_no_pack_regex(
    tmp_path: Path,
) -> None:
    # NOTE: the kinds also ask what texts every match of a pattern holds
    # (regex.guard.required_choices); answering parses it (~0.1 ms a pattern,
    # ~6 ms a run), so the answers are kept in the pack cache too: the warm
    # run fails if it parses a pattern for them.
    code = (
        "import sys\n"
        "from disclosure_lint.__main__ import main\n"
        "from disclosure_lint.regex import matches\n"
        "from disclosure_lint.outline import scan\n"
        "from disclosure_lint.regex import cached, guard\n"
        "def refuse(pattern, flags):\n"
        "    raise AssertionError(f'parsed {pattern!r}')\n"
        "if sys.argv[1] == 'warm':\n"
        "    guard._required_choices = guard._required_texts = refuse\n"
        "    scan._line_scan_pattern = refuse\n"
        "    matches._single_line = matches._widest = refuse\n"
        f"sys.argv = ['disclosure-lint', {str(EXAMPLES / 'defects-2021.txt')!r}]\n"
        "code = main()\n"
        "print(code, len(guard._FACTS), len(cached._SAVED), "
        "sorted(cached._COMPILED), file=sys.stderr)\n"
    )
    env = {"XDG_CACHE_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    runs = [
        subprocess.run(
            [sys.executable, "-c", code, state],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        for state in ("cold", "warm")
    ]
    first, second = (run.stderr.strip().splitlines()[-1] for run in runs)
    code, facts, saved, compiled = first.split(" ", 3)
    assert (code, saved) == ("1", "0") and compiled != "[]"  # compiled, then saved
    assert int(facts) > 20
    code, facts_warm, saved, compiled = second.split(" ", 3)
    assert code == "1", runs[1].stderr  # the same findings, nothing parsed
    assert facts_warm == facts
    assert int(saved) > 20
    assert compiled == "[]"


def test_pattern_facts_read_back_as_they_were_found(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from disclosure_lint.regex import guard

    monkeypatch.setattr(guard, "_FACTS", {})
    pattern = r"(?:未发生|没有发生)(?P<n>\d+)件申请"
    asked = (
        guard.required_choices(pattern),
        guard.required_texts(pattern),
        guard.starts_at_line_start(re.compile("^来源", re.MULTILINE)),
    )
    entries = _as_the_cache_stores(guard.pattern_facts())
    monkeypatch.setattr(guard, "_FACTS", {})
    guard.remember_facts(entries)
    monkeypatch.setattr(guard, "_required_choices", None)  # not asked again
    monkeypatch.setattr(guard, "_required_texts", None)
    monkeypatch.setattr(guard, "_starts_at_line_start", None)
    again = (
        guard.required_choices(pattern),
        guard.required_texts(pattern),
        guard.starts_at_line_start(re.compile("^来源", re.MULTILINE)),
    )
    assert again == asked == ((("未发生", "没有发生"), ("件申请",)), ("件申请",), True)

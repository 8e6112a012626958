"""The pack's one scan for every substitution rule finds what each rule's own did.

``kinds.substitution`` used to scan the text once per rule, for an
alternation of the rule's wrong texts (longest first) in each scope. Now one
scan per draft (``SubstitutionIndex``) finds every occurrence of every wrong
text of the pack, overlapping or not, and each rule picks its own
(``_occurrences``). ``_reference`` below is the old scan: on random text made
of the pack's wrong texts, their overlaps and pieces, in random scopes, and
on the seeds, the examples and corpus drafts, both give the same
``(start, wrong)`` for every rule.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure_lint.document.text import Span
from disclosure_lint.inputs.load import document_from_bytes
from disclosure_lint.kinds import substitution
from disclosure_lint.packs.load import load_packset
from disclosure_lint.packs.model import Pack, Rule

from .conftest import benchmark_corpus, run_module

ROOT = Path(__file__).resolve().parent.parent
PACKSET = load_packset(use_cache=False)
PACKS = list(PACKSET.editions())


def _rules(pack: Pack) -> list[Rule]:
    return [rule for rule in pack.rules if rule.kind == "substitution"]


def _words(rule: Rule) -> list[str]:
    return [str(pair["wrong"]) for pair in rule.params["pairs"]]


def _reference(text: str, words: list[str], scope: Span) -> list[tuple[int, str]]:
    """The old per-rule scan: the alternation, longest first, in ``scope``."""
    ordered = sorted(words, key=len, reverse=True)
    regex = re.compile("|".join(re.escape(word) for word in ordered))
    return [
        (match.start(), match.group(0))
        for match in regex.finditer(text, scope.start, scope.end)
    ]


def _shared(text: str, pack: Pack, rule: Rule, scope: Span) -> list[tuple[int, str]]:
    """What the rule picks from the pack's one scan."""
    index = substitution.substitution_index(pack)
    assert index is not None
    bit = index.bit(frozenset(_words(rule)))
    assert bit
    found = [(start, word) for start, word, bits in index.find(text) if bits & bit]
    return list(substitution._occurrences(found, scope))


def _own(text: str, rule: Rule, scope: Span) -> list[tuple[int, str]]:
    """What a rule outside the report's pack finds on its own."""
    found = substitution._find_each(text, _words(rule))
    return list(substitution._occurrences(found, scope))


def _same(text: str, pack: Pack, scopes: list[Span]) -> None:
    for rule in _rules(pack):
        for scope in scopes:
            expected = _reference(text, _words(rule), scope)
            assert _shared(text, pack, rule, scope) == expected, (rule.id, scope)
            assert _own(text, rule, scope) == expected, (rule.id, scope)


def _pieces(pack: Pack) -> list[str]:
    """The pack's wrong texts, their prefixes and suffixes, and overlaps.

    An overlap joins two wrong texts (of any rules) where the end of one is
    the start of the other, so that the scans must choose between them.
    """
    words = sorted({w for rule in _rules(pack) for w in _words(rule)})
    pieces = set(words)
    for word in words:
        pieces.update(word[:i] for i in range(1, len(word)))
        pieces.update(word[i:] for i in range(1, len(word)))
    starting: dict[str, list[str]] = {}
    for word in words:
        starting.setdefault(word[0], []).append(word)
    for word in words:
        for offset in range(1, len(word)):
            for other in starting.get(word[offset], ()):
                tail = word[offset:]
                if other.startswith(tail) and other != tail:
                    pieces.add(word + other[len(tail) :])
    return sorted(pieces | {"\n", "。", "，", "政府", "0", "a"})


PIECES = {pack.name: _pieces(pack) for pack in PACKS}


def test_the_pack_has_overlapping_wrong_texts_to_test() -> None:
    # The point of the random texts: wrong texts of different rules overlap.
    words = [(w, r.id) for r in _rules(PACKS[0]) for w in _words(r)]
    assert len(words) > 100
    overlapping = {
        (a, b)
        for a, ra in words
        for b, rb in words
        if a != b and ra != rb and (b in a or any(a.endswith(b[:i]) for i in (1, 2)))
    }
    assert overlapping


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_each_rule_gets_from_the_shared_scan_what_its_own_scan_found(
    data: st.DataObject,
) -> None:
    pack = data.draw(st.sampled_from(PACKS))
    parts = data.draw(st.lists(st.sampled_from(PIECES[pack.name]), max_size=30))
    text = "".join(parts)
    ends = st.integers(min_value=0, max_value=len(text))
    start, end = sorted((data.draw(ends), data.draw(ends)))
    _same(text, pack, [Span(0, len(text)), Span(start, end)])


# Words over a small alphabet: they overlap and hold each other often.
WORDS = st.text(alphabet="ab甲", min_size=1, max_size=4)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(WORDS, min_size=1, max_size=6, unique=True), min_size=1),
    st.text(alphabet="ab甲c", max_size=40),
    st.integers(min_value=0, max_value=40),
    st.integers(min_value=0, max_value=40),
)
def test_every_set_of_an_index_gets_what_its_own_alternation_finds(
    sets: list[list[str]], text: str, start: int, end: int
) -> None:
    # Any sets (prefixes of each other, one-character words, the same word
    # in several sets), not only the bundled pairs.
    index = substitution.SubstitutionIndex([frozenset(words) for words in sets])
    every = index.find(text)
    start, end = sorted((min(start, len(text)), min(end, len(text))))
    for words in sets:
        bit = index.bit(frozenset(words))
        found = [(at, word) for at, word, bits in every if bits & bit]
        for scope in (Span(0, len(text)), Span(start, end)):
            expected = _reference(text, words, scope)
            assert list(substitution._occurrences(found, scope)) == expected
            own = substitution._find_each(text, words)
            assert list(substitution._occurrences(own, scope)) == expected


def _drafts() -> list[str]:
    seeds = sorted((ROOT.parent / "shared" / "seeds").glob("*"))
    examples = sorted(p for p in (ROOT / "examples").iterdir() if p.is_file())
    texts = [
        document_from_bytes(p.name, p.read_bytes()).text
        for p in seeds + examples
        if p.is_file()
    ]
    corpus = benchmark_corpus()
    for number in range(40):
        made = corpus.make_draft(number, 1)
        texts.append(document_from_bytes(made.name, made.data).text)
    return texts


def test_each_rule_gets_the_same_on_the_seeds_examples_and_corpus() -> None:
    for text in _drafts():
        third = len(text) // 3
        scopes = [Span(0, len(text)), Span(third, 2 * third)]
        for pack in PACKS:
            _same(text, pack, scopes)


def test_a_run_with_select_reports_only_the_selected_substitution_rule(
    tmp_path: Path,
) -> None:
    # The shared scan finds the wrong texts of every substitution rule; only
    # the selected rule may report (其它 is TY005's, 布署 TY001's).
    draft = tmp_path / "draft.txt"
    draft.write_text("无其它需要公开的信息。已布署工作。\n", encoding="utf-8")
    every = run_module(draft, "--format", "json")
    ids = {f["rule"] for f in _findings(every.out)}
    assert {"TY001", "TY005"} <= ids
    selected = run_module(draft, "--format", "json", "--select", "TY005")
    assert {f["rule"] for f in _findings(selected.out)} == {"TY005"}


def _findings(out: str) -> list[dict[str, object]]:
    findings: list[dict[str, object]] = json.loads(out)["findings"]
    return findings

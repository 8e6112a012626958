"""A section's sentences, normalised, for the year-over-year text kinds.

Two years' reports are compared sentence by sentence after the numbers and
years that change every year are written as ``#`` and blanks and
punctuation are dropped: ``2023年，我局制发规范性文件3件。`` and
``2024年我局制发规范性文件5件`` read the same. Which characters end a
sentence, how long a hard-wrapped line is, what a number is: the pack's
params (``SENTENCE_PARAMS``, shared by the kinds that use this module).

A sentence ends at one of ``sentence_ends`` or at a line break, except the
break of a hard-wrapped line (text from PDFs): a line of at least
``wrap_min`` characters that does not end a sentence goes on in the next
non-blank line. A table row (a tab in the line) is not prose.
"""

from __future__ import annotations

import re
import zlib
from array import array
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..document.fold import fold_text, translate
from ..document.text import Span
from ..named_tuples import NamedTuple
from ..records import dataclass
from ..regex.guard import pack_regex
from .base import Param

if TYPE_CHECKING:
    from ..regex.linear import Regex

SENTENCE_PARAMS = {
    "sentence_ends": Param("str", default="。！？!?；;", help="sentence ends"),
    "wrap_min": Param("int", default=20, help="shortest hard-wrapped prose line"),
    "numbers": Param(
        "regex", default=r"\d{1,12}(?:\.\d{1,6})?", help="numbers, years (folded)"
    ),
    "min_chars": Param("int", default=12, help="shorter normalised sentences skipped"),
}
# NOTE: after numbers became '#': everything that is not a word character
# or '#' (punctuation, symbols; blanks are gone by folding) is dropped.
_NOT_WORD = re.compile(r"[^\w#]+|_+")
_PLACEHOLDER = "#"
# NOTE: what joins a section's sentences to normalise them at once: kept by
# folding, not a word character; a section that has one is done one by one.
_JOIN = "\x00"
_NOT_WORD_JOINED = re.compile(r"[^\w#\x00]+")  # and "_", by str.replace
# A numbers regex made only of these (digits, '.', ',', any other than ASCII
# characters, classes of them, groups and repeats: no anchor, look-around
# or atom that matches _JOIN) finds the same numbers in each sentence as in
# the sentences joined.
_JOINABLE = re.compile(
    r"(?:\\[d.,]|[0-9{},?:()|+*]|[^\x00-\x7f]"
    r"|\[(?:\\[d.,\-]|[0-9.,\-]|[^\x00-\x7f])+\])+"
)


@dataclass(frozen=True, slots=True)
class SentenceRules:
    """How sentences are cut and normalised (from the rule's params)."""

    cuts: re.Pattern[str]
    ends: str
    wrap_min: int
    numbers: Regex
    min_chars: int
    # The numbers regex can run on a whole section at once (``_JOINABLE``).
    joinable: bool = False
    # The characters a number can start with, as a class (``_first_chars``).
    first: re.Pattern[str] | None = None


def sentence_rules(params: Mapping[str, Any]) -> SentenceRules:
    """The sentence params, checked and compiled."""
    ends = str(params["sentence_ends"])
    if not ends or "\n" in ends:
        raise ValueError("sentence_ends must name characters other than a line break")
    cuts = re.compile("[" + re.escape(ends) + "\n]")
    pattern = str(params["numbers"])
    numbers = pack_regex(pattern, iterate=True)
    joinable = (
        isinstance(numbers, re.Pattern)
        and _JOINABLE.fullmatch(pattern) is not None
        and numbers.search("") is None
    )
    first = _first_chars(pattern) if joinable else None
    return SentenceRules(
        cuts,
        ends,
        int(params["wrap_min"]),
        numbers,
        int(params["min_chars"]),
        joinable,
        first,
    )


def _first_chars(pattern: str) -> re.Pattern[str] | None:
    """A class of the characters a match of ``pattern`` starts with, if known.

    NOTE: Python's ``re`` tries every alternative at every character; a
    search for the class first, then a match there, finds the same numbers
    in a third of the time. Only for the shapes ``_JOINABLE`` lets through.
    """
    from re import _parser  # type: ignore[attr-defined]

    items = _first(list(_parser.parse(pattern).data))
    if items is None or items[1] or not items[0]:
        return None
    return re.compile("[" + "".join(items[0]) + "]")


def _first(sequence: list[Any]) -> tuple[list[str], bool] | None:
    """The first-character class items of ``sequence``, and if it can be empty."""
    from re import _constants as op  # type: ignore[attr-defined]

    found: list[str] = []
    for code, arg in sequence:
        if code is op.LITERAL:
            return [*found, re.escape(chr(arg))], False
        if code is op.IN:
            items = [_class_item(c, a, op) for c, a in arg]
            if None in items:
                return None
            return [*found, *(i for i in items if i is not None)], False
        if code in (op.MAX_REPEAT, op.MIN_REPEAT):
            inner = _first(list(arg[2]))
            if inner is None:
                return None
            found += inner[0]
            if arg[0] > 0 and not inner[1]:
                return found, False
        elif code is op.SUBPATTERN:
            inner = _first(list(arg[3]))
            if inner is None:
                return None
            found += inner[0]
            if not inner[1]:
                return found, False
        elif code is op.BRANCH:
            empty = False
            for branch in arg[1]:
                inner = _first(list(branch))
                if inner is None:
                    return None
                found += inner[0]
                empty = empty or inner[1]
            if not empty:
                return found, False
        else:
            return None
    return found, True


def _class_item(code: Any, arg: Any, op: Any) -> str | None:
    if code is op.LITERAL:
        return re.escape(chr(arg))
    if code is op.RANGE:
        return re.escape(chr(arg[0])) + "-" + re.escape(chr(arg[1]))
    if code is op.CATEGORY and arg is op.CATEGORY_DIGIT:
        return "\\d"
    return None


def sentences(text: str, body: Span, rules: SentenceRules) -> Iterator[Span]:
    """The sentences of ``text[body]``, without the blanks around them."""
    for start, end in sentence_bounds(text, body, rules):
        yield Span(start, end)


def sentence_bounds(
    text: str, body: Span, rules: SentenceRules
) -> list[tuple[int, int]]:
    """``sentences`` as ``(start, end)`` pairs (no record per sentence)."""
    found: list[tuple[int, int]] = []
    start = line_start = body.start
    stop = body.end
    for cut in rules.cuts.finditer(text, start, stop):
        at = cut.start()
        if text[at] == "\n":
            line = text[line_start:at].strip()
            line_start = at + 1
            if _wrapped(line, text, line_start, stop, rules):
                continue
            end = at
        else:
            end = at + 1
        _trimmed(found, text, start, end)
        start = at + 1
    _trimmed(found, text, start, stop)
    return found


def _wrapped(line: str, text: str, after: int, stop: int, rules: SentenceRules) -> bool:
    """``line`` is hard-wrapped: long, open, and prose goes on after it."""
    if len(line) < rules.wrap_min or line[-1] in rules.ends or "\t" in line:
        return False
    newline = text.find("\n", after, stop)
    following = text[after : stop if newline < 0 else newline]
    return bool(following.strip()) and "\t" not in following


def _trimmed(found: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    """Add ``start:end`` without blanks at either end; not a table row."""
    piece = text[start:end]
    kept = piece.strip()
    if kept and "\t" not in kept:
        start += len(piece) - len(piece.lstrip())
        found.append((start, start + len(kept)))


class Sentences(NamedTuple):
    """A section's sentences: places, folded text, normalised text."""

    bounds: list[tuple[int, int]]
    folded: list[str]
    normal: list[str]


# NOTE: the sections cut of the last text (text, body, rules → sentences):
# the kinds that read one section (section 五 for copies and for
# follow-up) share it. The text is held, so its identity cannot be reused
# by another string while it is the key.
_LAST: list[tuple[str, dict[tuple[Any, ...], Sentences]]] = []


def section_sentences(text: str, body: Span, rules: SentenceRules) -> Sentences:
    """The sentences of ``text[body]``, folded and normalised (``normalise``)."""
    if not _LAST or _LAST[0][0] is not text:
        _LAST[:] = [(text, {})]
    cut = _LAST[0][1]
    # NOTE: what cuts and normalises (not min_chars: the kinds' own filter).
    key = (body, rules.cuts, rules.wrap_min, rules.numbers, rules.joinable)
    known = cut.get(key)
    if known is not None:
        return known
    bounds = sentence_bounds(text, body, rules)
    pieces = [text[start:end] for start, end in bounds]
    if rules.joinable and text.find(_JOIN, body.start, body.end) < 0:
        folded, normal = _normalise_joined(pieces, rules)
    else:
        folded = [fold_text(piece) for piece in pieces]
        normal = [normalise(piece, rules) for piece in pieces]
    found = cut[key] = Sentences(bounds, folded, normal)
    return found


def _normalise_joined(
    pieces: list[str], rules: SentenceRules
) -> tuple[list[str], list[str]]:
    """Fold and normalise all sentences at once, joined by ``_JOIN``.

    NOTE: the same as one sentence at a time: folding maps characters one
    by one, ``rules.joinable`` numbers cannot match ``_JOIN`` nor look
    past it, and the punctuation dropped is dropped either side of it.
    """
    folded = translate(_JOIN.join(pieces))
    numbered = _numbered(folded, rules)
    return folded.split(_JOIN), _NOT_WORD_JOINED.sub("", numbered).replace(
        "_", ""
    ).split(_JOIN)


def _numbered(folded: str, rules: SentenceRules) -> str:
    """``folded`` with its numbers as ``#`` (the numbers regex's ``sub``)."""
    if rules.first is None:
        return str(rules.numbers.sub(_PLACEHOLDER, folded))  # type: ignore[attr-defined]
    # NOTE: a match can only start on a character of ``first``: trying
    # those in order finds the leftmost match, as ``sub`` does.
    parts: list[str] = []
    pos = at = 0
    candidate, match = rules.first.search, rules.numbers.match
    while (found := candidate(folded, at)) is not None:
        start = found.start()
        number = match(folded, start)
        if number is None:
            at = start + 1
            continue
        parts.append(folded[pos:start])
        parts.append(_PLACEHOLDER)
        pos = at = number.end()
    parts.append(folded[pos:])
    return "".join(parts)


def normalise(sentence: str, rules: SentenceRules) -> str:
    """Folded, numbers as ``#``, without blanks and punctuation."""
    folded = fold_text(sentence)
    parts: list[str] = []
    pos = 0
    for match in rules.numbers.finditer(folded):
        if match.end() == match.start():
            continue
        parts.append(folded[pos : match.start()])
        parts.append(_PLACEHOLDER)
        pos = match.end()
    parts.append(folded[pos:])
    return _NOT_WORD.sub("", "".join(parts))


def fingerprint(normalised: str) -> int:
    """A stable 64-bit hash of a normalised sentence (CRC-32 and Adler-32).

    NOTE: not ``hash()``: it differs between processes (drafts are read in
    worker processes, pairs are compared in the parent). Not a hashlib
    digest either: a third of the cost of the text kinds' extract went to
    it; the two checksums together tell sentences apart as well here.
    """
    data = normalised.encode("utf-8")
    return zlib.crc32(data) << 32 | zlib.adler32(data)


def fingerprints(normalised: list[str]) -> array[int]:
    """``fingerprint`` of each sentence, as 64-bit numbers (one encoding)."""
    # NOTE: normalised text has no line break (word characters and '#').
    data = "\n".join(normalised).encode("utf-8").split(b"\n")
    crc32, adler32 = zlib.crc32, zlib.adler32
    return array("Q", [crc32(d) << 32 | adler32(d) for d in data] if normalised else [])


def bigrams(normalised: str) -> set[int]:
    """The 32-bit hashes of the character pairs of a sentence.

    Pairs with a number are left out: numbers change every year.
    """
    return {
        zlib.crc32(normalised[i : i + 2].encode("utf-8"))
        for i in range(len(normalised) - 1)
        if _PLACEHOLDER not in normalised[i : i + 2]
    }


def clip(text: str, limit: int) -> str:
    """``text`` on one line, at most ``limit`` characters (… when cut)."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[: max(0, limit - 1)] + "…"

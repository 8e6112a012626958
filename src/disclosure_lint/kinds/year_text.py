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

from ..document.fold import fold_text
from ..document.text import Span
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


@dataclass(frozen=True, slots=True)
class SentenceRules:
    """How sentences are cut and normalised (from the rule's params)."""

    cuts: re.Pattern[str]
    ends: str
    wrap_min: int
    numbers: Regex
    min_chars: int


def sentence_rules(params: Mapping[str, Any]) -> SentenceRules:
    """The sentence params, checked and compiled."""
    ends = str(params["sentence_ends"])
    if not ends or "\n" in ends:
        raise ValueError("sentence_ends must name characters other than a line break")
    cuts = re.compile("[" + re.escape(ends) + "\n]")
    numbers = pack_regex(str(params["numbers"]), iterate=True)
    return SentenceRules(
        cuts, ends, int(params["wrap_min"]), numbers, int(params["min_chars"])
    )


def sentences(text: str, body: Span, rules: SentenceRules) -> Iterator[Span]:
    """The sentences of ``text[body]``, without the blanks around them."""
    start = body.start
    line_start = start
    for cut in rules.cuts.finditer(text, body.start, body.end):
        at = cut.start()
        if text[at] == "\n":
            line = text[line_start:at].strip()
            next_line = line_start = at + 1
            if _wrapped(line, text, next_line, body.end, rules):
                continue
            end = at
        else:
            end = at + 1
        yield from _trimmed(text, start, end)
        start = at + 1
    yield from _trimmed(text, start, body.end)


def _wrapped(line: str, text: str, after: int, stop: int, rules: SentenceRules) -> bool:
    """``line`` is hard-wrapped: long, open, and prose goes on after it."""
    if len(line) < rules.wrap_min or line[-1] in rules.ends or "\t" in line:
        return False
    newline = text.find("\n", after, stop)
    following = text[after : stop if newline < 0 else newline]
    return bool(following.strip()) and "\t" not in following


def _trimmed(text: str, start: int, end: int) -> Iterator[Span]:
    """``start:end`` without blanks at either end; nothing for a table row."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and "\t" not in text[start:end]:
        yield Span(start, end)


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
    """A stable 64-bit hash of a normalised sentence.

    NOTE: not ``hash()``: it differs between processes (drafts are read in
    worker processes, pairs are compared in the parent).
    """
    # NOTE: imported on use: hashlib loads OpenSSL (2.5 ms), and a plain
    # check of one draft never pairs.
    from hashlib import blake2b

    digest = blake2b(normalised.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def bigrams(normalised: str) -> bytes:
    """The sorted 32-bit hashes of the character pairs of a sentence, packed.

    Pairs with a number are left out: numbers change every year.
    """
    found = {
        zlib.crc32(normalised[i : i + 2].encode("utf-8"))
        for i in range(len(normalised) - 1)
        if _PLACEHOLDER not in normalised[i : i + 2]
    }
    return pack(found)


def pack(hashes: set[int]) -> bytes:
    """32-bit hashes, sorted and packed (4 bytes each)."""
    return array("I", sorted(hashes)).tobytes()


def unpack(packed: bytes) -> set[int]:
    """The hashes ``bigrams`` packed."""
    found = array("I")
    found.frombytes(packed)
    return set(found)


def clip(text: str, limit: int) -> str:
    """``text`` on one line, at most ``limit`` characters (… when cut)."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[: max(0, limit - 1)] + "…"

"""The year-over-year text kinds as they were before the compact digest.

A frozen copy of ``kinds.copied_text`` and ``kinds.follow_up`` (extract
and compare) and the ``year_text`` helpers they used, as of commit
19cbe91: the reference ``test_digest_equality`` holds the new extracts
to (the same pair findings on many pairs).
"""

# ruff: noqa
# mypy: ignore-errors

from __future__ import annotations

import re
import zlib
from array import array
from typing import NamedTuple

from disclosure_lint.document.fold import fold_text
from disclosure_lint.document.text import Span
from disclosure_lint.kinds.base import PairHit, Where, where

_NOT_WORD = re.compile(r"[^\w#]+|_+")
_PLACEHOLDER = "#"


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


class Printed(NamedTuple):
    """A counted sentence as a draft keeps it."""

    fingerprint: int
    where: Where
    excerpt: str


class SectionPrint(NamedTuple):
    """A section as a draft keeps it: heading and counted sentences."""

    heading: Where
    title: str
    sentences: tuple[Printed, ...]


def copied_extract(report, rule, prepared):
    """Per section: its heading and its counted sentences' fingerprints."""
    text = report.document.text
    out: dict[str, SectionPrint] = {}
    for key in prepared.sections:
        section = report.outline.section(key)
        if section is None:
            continue
        printed = []
        for span in sentences(text, section.body, prepared.rules):
            sentence = text[span.start : span.end]
            normal = normalise(sentence, prepared.rules)
            if len(normal) < prepared.rules.min_chars or any(
                regex.search(normal) for regex in prepared.boilerplate
            ):
                continue
            excerpt = clip(sentence, prepared.excerpt_chars)
            printed.append(Printed(fingerprint(normal), where(report, span), excerpt))
        heading = where(report, section.span)
        out[key] = SectionPrint(heading, section.heading, tuple(printed))
    return out


def copied_compare(
    current: dict[str, SectionPrint],
    previous: dict[str, SectionPrint],
    rule: Rule,
    prepared: Prepared,
    options: LintOptions,
) -> Iterator[PairHit]:
    """One hit per section mostly repeated from last year's same section."""
    configured = options.copy_threshold
    threshold = prepared.threshold if configured is None else configured
    for key in prepared.sections:
        this, last = current.get(key), previous.get(key)
        if this is None or last is None:
            continue
        counted = this.sentences
        if len(counted) < prepared.min_sentences:
            continue
        # NOTE: the first of equal sentences is the one named.
        earlier: dict[int, Where] = {}
        for sentence in last.sentences:
            earlier.setdefault(sentence.fingerprint, sentence.where)
        repeated = [s for s in counted if s.fingerprint in earlier]
        share = len(repeated) / len(counted)
        if not repeated or share < threshold:
            continue
        first = repeated[0]
        yield PairHit(
            this.heading,
            {
                "heading": this.title,
                # NOTE: rounded down: a share just short of all is not 100%.
                "share": f"{len(repeated) * 100 // len(counted)}%",
                "repeated": len(repeated),
                "total": len(counted),
                "sentence": first.excerpt,
                "problems": key in prepared.problem_sections,
            },
            earlier[first.fingerprint],
        )


class FollowUp(NamedTuple):
    """What a draft keeps of its section (``heading`` None: no text)."""

    edition: str | None
    heading: Where | None
    title: str
    followed: bool
    problems: tuple[bytes, ...]
    problem_list: Where | None
    handled: bytes
    # A fingerprint of the section's normalised sentences.
    body: int = 0


def _found(regexes: tuple[Regex, ...], text: str) -> bool:
    return any(regex.search(text) for regex in regexes)


def follow_extract(report, rule, prepared):
    """The section's problems, handled sentences and follow-up, kept small."""
    edition = report.pack.edition
    section = report.outline.section(prepared.section)
    if section is None:
        return FollowUp(edition, None, "", False, (), None, b"")
    text = report.document.text
    followed = False
    problems: list[tuple[Span, bytes]] = []
    handled: set[int] = set()
    normalised: list[str] = []
    for span in sentences(text, section.body, prepared.rules):
        sentence = text[span.start : span.end]
        folded = fold_text(sentence)
        normal = normalise(sentence, prepared.rules)
        normalised.append(normal)
        if _found(prepared.followup, folded):
            # NOTE: a follow-up sentence is no new problem (next year's).
            followed = True
            continue
        if len(normal) < prepared.rules.min_chars:
            continue
        pairs = bigrams(normal)
        if _found(prepared.handled, folded):
            handled |= unpack(pairs)
        elif (
            len(problems) < prepared.max_problems
            and _found(prepared.problem, folded)
            and not _found(prepared.none, folded)
        ):
            problems.append((span, pairs))
    if not text[section.body.start : section.body.end].strip():
        return FollowUp(edition, None, "", False, (), None, b"")
    problem_list = None
    if problems:
        problem_list = where(report, Span(problems[0][0].start, problems[-1][0].end))
    return FollowUp(
        edition,
        where(report, section.span),
        section.heading,
        followed,
        tuple(pairs for _, pairs in problems),
        problem_list,
        pack(handled),
        fingerprint("\n".join(normalised)),
    )


def follow_compare(
    current: FollowUp,
    previous: FollowUp,
    rule: Rule,
    prepared: Prepared,
    options: LintOptions,
) -> Iterator[PairHit]:
    """A hit when last year listed problems and this year says nothing of them."""
    if current.edition not in prepared.editions or current.heading is None:
        return
    if not previous.problems or current.followed:
        return
    if current.body == previous.body:
        return  # NOTE: the section copied whole: CS022's one finding
    handled = unpack(current.handled)
    for problem in previous.problems:
        pairs = unpack(problem)
        if pairs and len(pairs & handled) >= prepared.overlap * len(pairs):
            return
    yield PairHit(
        current.heading,
        {"heading": current.title, "problems": len(previous.problems)},
        previous.problem_list,
    )

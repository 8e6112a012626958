"""The issuer (机关名称) of a report, from its title, and its pairing key.

Year-over-year checks pair the reports of one issuer for consecutive years
(``engine.pairs``). The issuer is read from the title (pack
``document.issuer.patterns``); the key that pairs reports is the name
normalised with the pack's data: blanks and punctuation dropped, each
abbreviation written as its full form (淮安市政府 → 淮安市人民政府,
管委会 → 管理委员会), a bare place name read as its government. Different
bodies keep different keys (人民政府, 人民政府办公室, 管理委员会): the
aliases only ever map a name to the same body's full name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from ..document.fold import fold_text
from ..document.text import Document
from ..memo import per_object
from .lines import _regex
from .model import Title


def find_issuer(
    doc: Document, title: Title | None, spec: Mapping[str, Any]
) -> tuple[str, str] | None:
    """``(issuer as written, key)`` from the title, or None if it names none."""
    data = spec.get("issuer") or {}
    if title is None or not data:
        return None
    folded = title.folded
    skip = _header_key_length(folded.text, spec)
    for pattern in data.get("patterns") or ():
        match = _regex(str(pattern)).search(folded.text[skip:])
        if match is None:
            continue
        start, end = folded.original_span(
            skip + match.start("issuer"), skip + match.end("issuer")
        )
        # NOTE: a name wrapped over two lines is one name.
        ignore = str(data.get("ignore", ""))
        written = "".join(doc.text[start:end].split()).strip(ignore)
        key = issuer_key(written, data)
        if key:
            return written, key
    return None


def _header_key_length(folded: str, spec: Mapping[str, Any]) -> int:
    """Length of a crawler header's key before the title (``标题: …``), or 0.

    NOTE: a crawled page's title is its header line (pack
    ``document.crawler_header``); the key is not part of the name.
    """
    prefixes = per_object(spec, _header_prefixes)
    if not folded.startswith(prefixes):
        return 0  # NOTE: most titles: one test, no loop
    return next(len(p) for p in prefixes if folded.startswith(p))


def _header_prefixes(spec: Mapping[str, Any]) -> tuple[str, ...]:
    keys = (spec.get("crawler_header") or {}).get("keys") or ()
    return tuple(f"{key}:" for key in keys)


def issuer_key(name: str, data: Mapping[str, Any]) -> str:
    """The pairing key of the issuer ``name`` (pack ``document.issuer``)."""
    ignore, aliases, places, body = per_object(data, _normaliser_of)
    text = fold_text(name).translate(ignore)
    if aliases is not None:
        text = aliases[0].sub(lambda m: aliases[1][m.group(0)], text)
    if body and text.endswith(places) and not text.endswith(body):
        text += body
    return text


def _normaliser_of(
    data: Mapping[str, Any],
) -> tuple[
    dict[int, None], tuple[re.Pattern[str], dict[str, str]] | None, tuple[str, ...], str
]:
    return _normaliser(_frozen(data))


def _frozen(data: Mapping[str, Any]) -> tuple[Any, ...]:
    """The normalisation data as a hashable value (for the cache)."""
    aliases = data.get("aliases") or {}
    return (
        str(data.get("ignore", "")),
        tuple(
            (str(full), tuple(str(a) for a in short or ()))
            for full, short in aliases.items()
        ),
        tuple(str(p) for p in data.get("places") or ()),
        str(data.get("place_body", "")),
    )


@lru_cache(maxsize=8)
def _normaliser(
    frozen: tuple[Any, ...],
) -> tuple[
    dict[int, None], tuple[re.Pattern[str], dict[str, str]] | None, tuple[str, ...], str
]:
    """The translation table, alias regex and place data of ``frozen``."""
    ignore, aliases, places, body = frozen
    table: dict[int, None] = dict.fromkeys(map(ord, fold_text(ignore) + ignore))
    full_of: dict[str, str] = {}
    for full, shorts in aliases:
        for name in (full, *shorts):
            full_of.setdefault(fold_text(name), fold_text(full))
    compiled = None
    if full_of:
        # NOTE: longest first, so that 人民政府 is one match, not 人民 + 政府,
        # and 政府办公室 wins over 政府. Plain literals: no pattern guard.
        names = sorted(full_of, key=len, reverse=True)
        compiled = (re.compile("|".join(map(re.escape, names))), full_of)
    return table, compiled, places, fold_text(body)

"""Work derived from a long-lived object (a pack, its data), done once per object.

NOTE: packs are read, never changed, once loaded, and a batch lints every
draft with the same few pack objects: what is built from a pack (its
compiled tables, keyword and substitution indexes, reflow vocabulary) is
built once. Keyed by the object's identity and kept with it, so an id is
never reused while its entry lives; bounded, cleared when full.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

_Owner = TypeVar("_Owner")
_Made = TypeVar("_Made")

_MEMO: dict[tuple[int, object], tuple[object, Any]] = {}
# NOTE: each entry keeps its object alive (a whole pack): kept small.
_MAX = 32


def per_object(owner: _Owner, work: Callable[[_Owner], _Made]) -> _Made:
    """``work(owner)``, remembered for this very object."""
    key = (id(owner), work)
    entry = _MEMO.get(key)
    if entry is not None and entry[0] is owner:
        made: _Made = entry[1]
        return made
    made = work(owner)
    if len(_MEMO) >= _MAX:
        _MEMO.clear()
    _MEMO[key] = (owner, made)
    return made

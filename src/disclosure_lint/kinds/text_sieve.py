"""Which of several regexes may match a text, by the texts their matches hold.

Every match of a regex holds one text of each of its required choices
(``regex.guard.required_choices``: ``申请``, ``件``, one of ``未发生`` and
``没有发生``…). Before a rule runs its regexes on a paragraph, the sieve
tests each distinct text once and leaves out the regexes that cannot match:
a test costs less than a search, and several regexes need the same texts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, TypeVar

from ..named_tuples import NamedTuple
from ..regex.guard import required_choices

T = TypeVar("T")


def worth_testing(pattern: str) -> tuple[tuple[str, ...], ...]:
    """The required choices of ``pattern`` worth an ``in`` test each.

    NOTE: a choice with a one-character text (``(?:未|没有)``) is left out:
    most paragraphs hold one, and each text costs a test per paragraph.
    """
    return tuple(
        c for c in required_choices(pattern) if len(c) == 1 or min(map(len, c)) > 1
    )


class _Plan(NamedTuple, Generic[T]):
    """What is left to test once the texts a paragraph holds are known."""

    choices: tuple[tuple[int, tuple[str, ...]], ...]
    # The bits of the choices held -> the items that may match.
    items: dict[int, tuple[T, ...]]


class Sieve(Generic[T]):
    """Items (with the choices of texts each needs) sifted by a text."""

    __slots__ = ("_choices", "_items", "_needs", "_plans", "_texts")

    def __init__(
        self, items: Sequence[T], required: Sequence[tuple[tuple[str, ...], ...]]
    ) -> None:
        """``required[i]``: the choices of texts ``items[i]`` needs one of each."""
        every = [c for need in required for c in need]
        # Every text an item needs, once; every choice of texts, once.
        self._texts = tuple(dict.fromkeys(c[0] for c in every if len(c) == 1))
        self._choices = tuple(dict.fromkeys(c for c in every if len(c) > 1))
        self._items = tuple(items)
        # Per item, as bits in those orders: the texts and choices it needs.
        self._needs = tuple(self._bits(need) for need in required)
        # The bits of the texts a text holds -> the choices still to test and
        # the items by the bits of those held (a rule sees few of them).
        self._plans: dict[int, _Plan[T]] = {}

    def _bits(self, need: tuple[tuple[str, ...], ...]) -> tuple[int, int]:
        texts, choices = self._texts, self._choices
        every = sum({1 << texts.index(c[0]) for c in need if len(c) == 1})
        return every, sum({1 << choices.index(c) for c in need if len(c) > 1})

    def sift(self, text: str) -> tuple[T, ...]:
        """The items whose required texts ``text`` holds, in order.

        NOTE: one ``in`` test per distinct text rather than per item and
        text; a choice of texts only when an item needing it may still
        match; and no Python-level loop over the items once the combination
        was seen.
        """
        held = 0
        bit = 1
        for needed in self._texts:
            if needed in text:
                held |= bit
            bit <<= 1
        plan = self._plans.get(held)
        if plan is None:
            plan = self._plans[held] = self._plan(held)
        chosen = 0
        for bit, texts in plan.choices:
            for needed in texts:
                if needed in text:
                    chosen |= bit
                    break
        found = plan.items.get(chosen)
        if found is None:
            found = plan.items[chosen] = tuple(
                item
                for item, (every, choices) in zip(self._items, self._needs, strict=True)
                if every & held == every and choices & chosen == choices
            )
        return found

    def _plan(self, held: int) -> _Plan[T]:
        """The choices the items whose texts are all ``held`` need."""
        needed = 0
        for every, choices in self._needs:
            if every & held == every:
                needed |= choices
        return _Plan(
            tuple(
                (1 << index, texts)
                for index, texts in enumerate(self._choices)
                if needed & 1 << index
            ),
            {},
        )

"""Equations over named rows and columns: a tiny whitelist parser, never eval.

Grammar (whitespace between tokens is ignored)::

    equation := sum "==" sum
    sum      := term (("+" | "-") term)*
    term     := NAME | INTEGER
    NAME     := [A-Za-z_][A-Za-z0-9_]* ("." [A-Za-z_][A-Za-z0-9_]*)*

Names are resolved by the caller (a row key for each column, a column key for
each row, or ``table.row.column`` for prose checks). Anything else is a
``ValueError`` with the position of the offending character.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..records import dataclass, field

_TOKEN = re.compile(
    r"\s*(?:(?P<name>[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)|(?P<int>\d+)|(?P<op>==|\+|-))"
)


@dataclass(frozen=True, slots=True)
class Term:
    """A signed name or integer constant."""

    sign: int
    name: str | None
    constant: int = 0


@dataclass(frozen=True, slots=True)
class Sum:
    """Terms added up."""

    terms: tuple[Term, ...]
    # The names, in order. NOTE: worked out once: the rules read them for
    # every draft.
    names: tuple[str, ...] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        """Note the names of the terms."""
        names = tuple(t.name for t in self.terms if t.name is not None)
        object.__setattr__(self, "names", names)

    def evaluate(
        self, value: Callable[[str], int | float | None]
    ) -> int | float | None:
        """The sum, or None when any name has no usable value."""
        total: int | float = 0
        for term in self.terms:
            if term.name is None:
                total += term.sign * term.constant
                continue
            found = value(term.name)
            if found is None:
                return None
            total += term.sign * found
        return total

    def text(self, value: Callable[[str], int | float | None] | None = None) -> str:
        """``a + b - 3``, or with values substituted: ``5 + 1 - 3``."""
        parts: list[str] = []
        for i, term in enumerate(self.terms):
            if term.name is None:
                shown = str(term.constant)
            elif value is None:
                shown = term.name
            else:
                shown = format_number(value(term.name))
            if i == 0:
                parts.append(shown if term.sign > 0 else f"-{shown}")
            else:
                parts.append(f"{'+' if term.sign > 0 else '-'} {shown}")
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class Equation:
    """``left == right``."""

    left: Sum
    right: Sum
    source: str

    @property
    def names(self) -> tuple[str, ...]:
        """Every name on either side, in order."""
        return self.left.names + self.right.names


def parse_sum(text: str) -> Sum:
    """Parse ``a + b - c`` (no ``==``).

    Raises:
        ValueError: with the position of the first unexpected character.
    """
    tokens = _tokens(text)
    if any(kind == "op" and value == "==" for kind, value, _ in tokens):
        raise ValueError(f"unexpected '==' in '{text}'")
    terms, rest = _sum(tokens, text)
    if rest:
        raise ValueError(f"unexpected '{rest[0][1]}' at {rest[0][2] + 1} in '{text}'")
    return Sum(tuple(terms))


def parse_equation(text: str) -> Equation:
    """Parse ``left == right``.

    Raises:
        ValueError: with the position of the first unexpected character.
    """
    tokens = _tokens(text)
    left, rest = _sum(tokens, text)
    if not rest or rest[0][1] != "==":
        raise ValueError(f"equation '{text}' needs exactly one '=='")
    right, rest = _sum(rest[1:], text)
    if rest:
        raise ValueError(f"unexpected '{rest[0][1]}' at {rest[0][2] + 1} in '{text}'")
    return Equation(Sum(tuple(left)), Sum(tuple(right)), text)


def expand_each(entry: Any) -> list[str]:
    """An equation, or ``{equation, each}``, as equation texts.

    ``{equation, each}`` is the equation once for every word of ``each``,
    written where it says ``{each}`` (a row or column key).

    Raises:
        ValueError: an entry without ``equation`` or a list ``each``, or
            with other keys, or an equation without ``{each}``.
    """
    if not isinstance(entry, dict):
        return [str(entry)]
    if set(entry) != {"equation", "each"} or not isinstance(entry["each"], list):
        raise ValueError("an equation entry needs 'equation', a list 'each', no more")
    text = str(entry["equation"])
    if "{each}" not in text:
        raise ValueError(f"'{text}' does not say where '{{each}}' goes")
    return [text.replace("{each}", str(word)) for word in entry["each"]]


def _tokens(text: str) -> list[tuple[str, str, int]]:
    out: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if match is None:
            where = pos + len(text[pos:]) - len(text[pos:].lstrip())
            raise ValueError(
                f"unexpected '{text[where]}' at {where + 1} in '{text}' "
                "(only names, integers, +, - and == are allowed)"
            )
        kind = match.lastgroup or ""
        out.append((kind, match.group(kind), match.start(kind)))
        pos = match.end()
    return out


def _sum(
    tokens: list[tuple[str, str, int]], text: str
) -> tuple[list[Term], list[tuple[str, str, int]]]:
    terms: list[Term] = []
    sign = 1
    expect_term = True
    i = 0
    while i < len(tokens):
        kind, value, at = tokens[i]
        if expect_term:
            if kind == "op" and value in "+-" and not terms and sign == 1:
                sign = -1 if value == "-" else 1
                i += 1
                continue
            if kind == "name":
                terms.append(Term(sign, value))
            elif kind == "int":
                terms.append(Term(sign, None, int(value)))
            else:
                raise ValueError(f"expected a name at {at + 1} in '{text}'")
            expect_term = False
        elif kind == "op" and value in ("+", "-"):
            sign = 1 if value == "+" else -1
            expect_term = True
        else:
            break
        i += 1
    if expect_term:
        raise ValueError(f"'{text}' ends where a name is expected")
    return terms, tokens[i:]


def format_number(value: int | float | None) -> str:
    """A value for messages: ``5``, ``3.5``, ``?`` for unknown."""
    if value is None:
        return "?"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return str(value)


def close(a: int | float, b: int | float) -> bool:
    """Equality that forgives float rounding of decimal amounts."""
    return abs(a - b) < 1e-9 * max(1.0, abs(a), abs(b))

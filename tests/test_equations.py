"""The whitelist equation parser: names, integers, +, -, == and nothing else."""

from __future__ import annotations

import pytest

from disclosure_lint.tables.equations import format_number, parse_equation, parse_sum


def test_parse_and_evaluate() -> None:
    equation = parse_equation("new + carried_over == total + carried_forward")
    values = {"new": 5, "carried_over": 1, "total": 6, "carried_forward": 1}
    assert equation.names == ("new", "carried_over", "total", "carried_forward")
    assert equation.left.evaluate(values.get) == 6
    assert equation.right.evaluate(values.get) == 7
    assert equation.right.text(values.get) == "6 + 1"


def test_minus_constants_and_dotted_names() -> None:
    total = parse_sum("-a.b.c + 3 - d")
    assert total.names == ("a.b.c", "d")
    assert total.evaluate({"a.b.c": 2, "d": 4}.get) == -3
    assert total.text() == "-a.b.c + 3 - d"


def test_unknown_value_makes_the_sum_unknown() -> None:
    assert parse_sum("a + b").evaluate({"a": 1}.get) is None


@pytest.mark.parametrize(
    "text",
    [
        "a + b",
        "a == b == c",
        "a * b == c",
        "__import__('os') == a",
        "a + == b",
        "a == ",
        "(a) == b",
        "a; b == c",
    ],
)
def test_anything_else_is_rejected(text: str) -> None:
    with pytest.raises(ValueError):
        parse_equation(text)


def test_format_number() -> None:
    assert format_number(5) == "5"
    assert format_number(5.0) == "5"
    assert format_number(3.25) == "3.25"
    assert format_number(None) == "?"

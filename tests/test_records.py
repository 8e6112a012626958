"""``records.dataclass`` behaves as ``dataclasses.dataclass(slots=True)``.

The same class body is built both ways and every generated behaviour is
compared: constructor (positional, keyword, defaults, factories,
``init=False``, ``__post_init__``, bad arguments), repr, equality, hash,
frozen assignment, ``__match_args__``, slots and pickling.
"""

from __future__ import annotations

import dataclasses
import pickle
import typing
from collections.abc import Callable
from typing import Any

import pytest

from disclosure_lint import named_tuples, records

Maker = Callable[..., Any]


def _point(dataclass: Maker, field: Maker, frozen: bool) -> Any:
    @dataclass(frozen=frozen, slots=True)
    class Point:
        """A record with every kind of field."""

        x: int
        y: int = 2
        tags: list[str] = field(default_factory=list)
        note: str = field(default="n", repr=False, compare=False)
        total: int = field(init=False)
        hidden: dict[str, int] = field(default_factory=dict, init=False)

        def __post_init__(self) -> None:
            object.__setattr__(self, "total", self.x + self.y)

    return Point


def _both(frozen: bool) -> tuple[Any, Any]:
    return (
        _point(dataclasses.dataclass, dataclasses.field, frozen),
        _point(records.dataclass, records.field, frozen),
    )


@pytest.mark.parametrize("compiled", [False, True])
@pytest.mark.parametrize("frozen", [False, True])
def test_construction_repr_and_equality_match_dataclasses(
    frozen: bool, compiled: bool
) -> None:
    std, ours = _both(frozen)
    if compiled:  # the first records are made by a loop, then __init__ compiled
        for _ in range(records.COMPILE_AFTER):
            ours(0)
    for args, kwargs in [
        ((1,), {}),
        ((1, 5), {}),
        ((1,), {"tags": ["a"], "note": "m"}),
        ((), {"x": 3, "y": 4}),
    ]:
        a, b = std(*args, **kwargs), ours(*args, **kwargs)
        assert repr(a) == repr(b)
        assert (a.x, a.y, a.tags, a.note, a.total, a.hidden) == (
            b.x,
            b.y,
            b.tags,
            b.note,
            b.total,
            b.hidden,
        )
        assert b == ours(*args, **kwargs)
        assert b == ours(*args, **{**kwargs, "note": "other"})  # compare=False
        assert b != ours(9)
        assert b != a  # another class
    assert ours(1).tags is not ours(1).tags  # a fresh list each time
    assert ours.__match_args__ == std.__match_args__ == ("x", "y", "tags", "note")
    assert ours.__slots__ == ("x", "y", "tags", "note", "total", "hidden")
    assert not hasattr(ours(1), "__dict__")
    assert ours.__init__.__qualname__.endswith("Point.__init__")


@pytest.mark.parametrize("frozen", [False, True])
def test_bad_arguments_fail_as_with_dataclasses(frozen: bool) -> None:
    std, ours = _both(frozen)
    for args, kwargs in [
        ((), {}),
        ((1, 2, [], "n", 5), {}),
        ((1,), {"total": 3}),
        ((1,), {"x": 1}),
        ((), {"y": 1}),
    ]:
        with pytest.raises(TypeError) as expected:
            std(*args, **kwargs)
        with pytest.raises(TypeError) as raised:
            ours(*args, **kwargs)
        assert str(raised.value) == str(expected.value)


def _pair(dataclass: Maker, field: Maker) -> Any:
    @dataclass(frozen=True, slots=True)
    class Pair:
        """Hashable fields only."""

        a: int
        b: str = field(default="b", compare=False)
        c: tuple[int, ...] = ()

    return Pair


def test_hash_and_frozenness_match_dataclasses() -> None:
    std = _pair(dataclasses.dataclass, dataclasses.field)
    pair = _pair(records.dataclass, records.field)
    assert hash(pair(1, "x", (2,))) == hash(std(1, "x", (2,)))
    assert hash(pair(1, "x")) == hash(pair(1, "y"))
    assert len({pair(1), pair(1, "z"), pair(2)}) == 2
    std, ours = _both(frozen=True)
    record = ours(1)
    with pytest.raises(AttributeError, match="cannot assign to field 'x'"):
        record.x = 2
    with pytest.raises(AttributeError, match="cannot delete field 'x'"):
        del record.x
    std_mutable, mutable = _both(frozen=False)
    assert mutable.__hash__ is None and std_mutable.__hash__ is None
    changed = mutable(1)
    changed.x = 7
    assert changed.x == 7


@pytest.mark.parametrize("frozen", [False, True])
def test_records_pickle(frozen: bool) -> None:
    ours = _point(records.dataclass, records.field, frozen)
    # NOTE: pickle finds a class by its qualified name; a local one is
    # published under this module for the round trip.
    ours.__qualname__ = ours.__name__ = f"Point{int(frozen)}"
    globals()[ours.__name__] = ours
    ours.__module__ = __name__
    record = ours(1, tags=["a"])
    assert pickle.loads(pickle.dumps(record)) == record


def test_a_field_without_annotation_default_is_class_data() -> None:
    @records.dataclass(frozen=True, slots=True)
    class Empty:
        """No fields at all."""

        LIMIT = 3

    assert Empty() == Empty()
    assert repr(Empty()).endswith(".<locals>.Empty()")
    assert Empty.LIMIT == 3
    assert hash(Empty()) == hash(())


# --------------------------------------------------------------------------
# named_tuples.NamedTuple against typing.NamedTuple


class _Cell(named_tuples.NamedTuple):
    """A cell."""

    value: int
    text: str
    note: str = ""
    flag: bool = False

    def doubled(self) -> int:
        return 2 * self.value


class _TypingCell(typing.NamedTuple):
    """A cell."""

    value: int
    text: str
    note: str = ""
    flag: bool = False

    def doubled(self) -> int:
        return 2 * self.value


_CALLS: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
    ((1, "a"), {}),
    ((1, "a", "n"), {}),
    ((1, "a", "n", True), {}),
    ((1,), {"text": "a"}),
    ((), {"value": 1, "text": "a", "flag": True}),
    ((1, "a"), {"note": "x"}),
]
_BAD_CALLS: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
    ((), {}),
    ((1,), {}),
    ((1, "a", "n", True, 5), {}),
    ((1, "a"), {"value": 2}),
    ((1, "a"), {"other": 2}),
    ((1,), {"flag": True}),
]


@pytest.mark.parametrize(("args", "kwargs"), _CALLS)
def test_a_tuple_record_is_made_as_typing_makes_it(
    args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    ours, theirs = _Cell(*args, **kwargs), _TypingCell(*args, **kwargs)
    assert tuple(ours) == tuple(theirs)
    assert ours == theirs and hash(ours) == hash(theirs)  # as tuples do
    assert repr(ours) == repr(theirs).replace("_TypingCell", "_Cell")
    assert ours._asdict() == theirs._asdict()
    assert ours.doubled() == theirs.doubled()
    assert (ours.value, ours.text, ours.note, ours.flag) == tuple(theirs)
    assert ours._replace(text="b") == theirs._replace(text="b")
    assert _Cell._make(tuple(theirs)) == ours
    assert pickle.loads(pickle.dumps(ours)) == ours
    assert type(pickle.loads(pickle.dumps(ours))) is _Cell
    match ours:
        case _Cell(value, text):
            assert (value, text) == (theirs.value, theirs.text)


@pytest.mark.parametrize(("args", "kwargs"), _BAD_CALLS)
def test_a_bad_call_fails_as_with_typing(
    args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    with pytest.raises(TypeError):
        _TypingCell(*args, **kwargs)
    with pytest.raises(TypeError):
        _Cell(*args, **kwargs)


def test_tuple_record_class_data_matches_typing() -> None:
    assert _Cell._fields == _TypingCell._fields
    assert _Cell._field_defaults == _TypingCell._field_defaults
    assert _Cell.__match_args__ == _TypingCell.__match_args__
    assert _Cell.__doc__ == _TypingCell.__doc__
    assert _Cell.__mro__[1:] == (tuple, object)
    assert _Cell.value.__doc__ == _TypingCell.value.__doc__
    with pytest.raises(AttributeError):
        _Cell(1, "a").value = 2  # type: ignore[misc]
    with pytest.raises(ValueError):
        _Cell(1, "a")._replace(other=1)
    with pytest.raises(TypeError):
        _Cell._make((1,))


def test_a_default_before_a_required_field_is_refused() -> None:
    with pytest.raises(TypeError):

        class _Bad(named_tuples.NamedTuple):
            first: int = 0
            second: int


def test_the_package_makes_its_named_tuples_with_named_tuples() -> None:
    # NOTE: typing.NamedTuple costs 0.1-0.3 ms a class at start-up (see
    # named_tuples.py); its checker-only import there is the one allowed.
    import ast
    from pathlib import Path

    src = Path(named_tuples.__file__).parent
    found = []
    for path in sorted(src.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module == "typing"
                and any(a.name == "NamedTuple" for a in node.names)
            ):
                found.append(path.relative_to(src).as_posix())
    assert found == ["named_tuples.py"]

"""``dataclass`` and ``field``: the part of ``dataclasses`` this package uses.

NOTE: why not ``dataclasses``: importing it imports ``inspect`` (and with it
``ast``, ``dis`` and ``tokenize``), ~10 ms, and it builds each class with
several ``exec`` calls (~0.3 ms a class: compiling their text); with ~40
classes on the path of a plain ``disclosure-lint draft.txt`` that was a
quarter of a cold start. Here equality, hash and repr are shared functions
over the fields, and only ``__init__`` is compiled (its signature and speed
matter), once the class has made ``COMPILE_AFTER`` records: until then a loop
over the fields makes them, as most classes make a few records a run.

What it supports is what the package uses: ``frozen`` and ``slots`` (slots
are always made), fields with a ``default``, a ``default_factory``,
``init=False``, ``repr=False`` or ``compare=False``, and ``__post_init__``.
``__init__``, ``__repr__``, ``__eq__``, ``__hash__`` (frozen: the fields'
tuple; else none, so ``None``) and ``__match_args__`` behave as those of
``dataclasses`` (``tests/test_records.py`` compares them); a frozen class
refuses ``setattr`` with ``FrozenInstanceError`` (an ``AttributeError``) and
pickles. Classes may not inherit fields from one another (none does). Type
checkers read the decorator as a dataclass (``dataclass_transform``).
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform, overload

_T = TypeVar("_T")


class FrozenInstanceError(AttributeError):
    """Assigning to a field of a frozen record."""


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class Field:
    """What ``field(...)`` says of one field."""

    __slots__ = ("compare", "default", "default_factory", "init", "repr")

    def __init__(
        self,
        default: Any,
        default_factory: Any,
        init: bool,
        repr: bool,
        compare: bool,
    ) -> None:
        self.default = default
        self.default_factory = default_factory
        self.init = init
        self.repr = repr
        self.compare = compare


@overload
def field(
    *,
    default: _T,
    init: bool = True,
    repr: bool = True,
    compare: bool = True,
) -> _T: ...


@overload
def field(
    *,
    default_factory: Callable[[], _T],
    init: bool = True,
    repr: bool = True,
    compare: bool = True,
) -> _T: ...


@overload
def field(
    *,
    init: bool = True,
    repr: bool = True,
    compare: bool = True,
) -> Any: ...


def field(
    *,
    default: Any = MISSING,
    default_factory: Any = MISSING,
    init: bool = True,
    repr: bool = True,
    compare: bool = True,
) -> Any:
    """A field's default, factory and flags, as ``dataclasses.field``."""
    if default is not MISSING and default_factory is not MISSING:
        raise ValueError("cannot specify both default and default_factory")
    return Field(default, default_factory, init, repr, compare)


@overload
def dataclass(cls: type[_T], /) -> type[_T]: ...


@overload
def dataclass(
    *, frozen: bool = False, slots: bool = True
) -> Callable[[type[_T]], type[_T]]: ...


@dataclass_transform(field_specifiers=(field, Field))
def dataclass(
    cls: type[_T] | None = None, /, *, frozen: bool = False, slots: bool = True
) -> Any:
    """Make ``cls`` a slotted record, as ``@dataclasses.dataclass(slots=True)``."""
    if not slots:
        raise TypeError("records always have slots")

    def wrap(cls: type[_T]) -> type[_T]:
        return _build(cls, frozen)

    return wrap if cls is None else wrap(cls)


def _fields(cls: type) -> list[tuple[str, Field]]:
    fields = []
    # NOTE: the class's own annotations, unevaluated; not through
    # inspect.get_annotations, whose import this module exists to avoid.
    for name in cls.__dict__.get("__annotations__", {}):  # noqa: RUF063
        value = cls.__dict__.get(name, MISSING)
        spec = (
            value
            if isinstance(value, Field)
            else Field(value, MISSING, True, True, True)
        )
        fields.append((name, spec))
    return fields


def _build(cls: type[_T], frozen: bool) -> type[_T]:
    fields = _fields(cls)
    names = [name for name, _ in fields]
    body = {
        key: value
        for key, value in cls.__dict__.items()
        if key not in names and key not in ("__dict__", "__weakref__")
    }
    body["__slots__"] = tuple(names)
    body["__match_args__"] = tuple(name for name, spec in fields if spec.init)
    # NOTE: a new class, as dataclasses makes for slots: the fields' defaults
    # were class attributes, which slots of the same names cannot be.
    maker: Any = type(cls)
    new: Any = maker(cls.__name__, cls.__bases__, body)
    new.__qualname__ = cls.__qualname__
    key = _key([name for name, spec in fields if spec.compare])
    shown = tuple(name for name, spec in fields if spec.repr)

    # NOTE: only __init__ is compiled (its signature and speed matter), and
    # only once the class has made COMPILE_AFTER records: compiling costs
    # ~0.15 ms a class, and most classes on the start-up path make a few
    # records a run (or none), which a loop over the fields makes instead.
    post_init = "__post_init__" in body
    looped = _looped_init(new, fields, frozen, post_init)
    made = 0

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        nonlocal made
        made += 1
        if made <= COMPILE_AFTER and looped(self, args, kwargs):
            return
        if new.__init__ is __init__:
            new.__init__ = _init(new, fields, frozen, post_init)
        new.__init__(self, *args, **kwargs)

    def __repr__(self: Any) -> str:
        text = ", ".join([f"{name}={getattr(self, name)!r}" for name in shown])
        return f"{self.__class__.__qualname__}({text})"

    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is self.__class__:
            return bool(key(self) == key(other))
        return NotImplemented

    methods: list[Any] = [__init__, __repr__, __eq__]
    if frozen:

        def __hash__(self: Any) -> int:
            return hash(key(self))

        methods += [__hash__, _setattr, _delattr]
        new.__getstate__ = _getstate
        new.__setstate__ = _setstate
    elif "__hash__" not in body:
        new.__hash__ = None
    for method in methods:
        method.__qualname__ = f"{new.__qualname__}.{method.__name__}"
        setattr(new, method.__name__, method)
    result: type[_T] = new
    return result


def _key(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """The tuple of the fields compared, as dataclasses compares them."""
    if len(names) >= 2:
        return attrgetter(*names)
    if names:
        name = names[0]
        return lambda record: (getattr(record, name),)
    return lambda record: ()


def _setattr(self: Any, name: str, value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _delattr(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


_setattr.__name__ = "__setattr__"
_delattr.__name__ = "__delattr__"


COMPILE_AFTER = 50


def _looped_init(
    cls: type, fields: list[tuple[str, Field]], frozen: bool, post_init: bool
) -> Callable[[Any, tuple[Any, ...], dict[str, Any]], bool]:
    """What ``_init``'s ``__init__`` does, by a loop; False for a bad call.

    NOTE: a call with arguments the fields do not take (too many, unknown,
    repeated or missing) makes nothing and returns False, so that the
    compiled ``__init__`` raises Python's own ``TypeError`` for it.
    """
    params = [name for name, spec in fields if spec.init]
    names = frozenset(params)
    required = frozenset(
        name
        for name, spec in fields
        if spec.init and spec.default is MISSING and spec.default_factory is MISSING
    )
    steps = [
        (
            name,
            spec.init,
            spec.default,
            spec.default_factory,
            # NOTE: as in _init: a frozen record sets the slot itself.
            cls.__dict__[name].__set__ if frozen else None,
        )
        for name, spec in fields
    ]

    def make(self: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
        if len(args) > len(params):
            return False
        given = dict(zip(params, args, strict=False))
        for key, value in kwargs.items():
            if key in given or key not in names:
                return False
            given[key] = value
        if not given.keys() >= required:
            return False
        for name, init, default, factory, set_slot in steps:
            if init and name in given:
                value = given[name]
            elif factory is not MISSING:
                value = factory()
            elif default is not MISSING:
                value = default
            else:
                continue
            if set_slot is None:
                setattr(self, name, value)
            else:
                set_slot(self, value)
        if post_init:
            self.__post_init__()
        return True

    return make


def _init(
    cls: type, fields: list[tuple[str, Field]], frozen: bool, post_init: bool
) -> Any:
    """The ``__init__`` that dataclasses would write for ``cls``."""
    scope: dict[str, Any] = {"MISSING": MISSING}
    params = []
    lines = []
    for index, (name, spec) in enumerate(fields):
        # NOTE: a frozen record sets its fields through the slot itself,
        # below its refusing __setattr__ (dataclasses calls object.__setattr__).
        setter = f"_set_{index}(self, " if frozen else f"self.{name} = ("
        if frozen:
            scope[f"_set_{index}"] = cls.__dict__[name].__set__
        if spec.default_factory is not MISSING:
            scope[f"_factory_{index}"] = spec.default_factory
            if spec.init:
                params.append(f"{name}=MISSING")
                value = f"_factory_{index}() if {name} is MISSING else {name}"
            else:
                value = f"_factory_{index}()"
        elif spec.default is not MISSING:
            scope[f"_default_{index}"] = spec.default
            if spec.init:
                params.append(f"{name}=_default_{index}")
                value = name
            else:
                value = f"_default_{index}"
        elif spec.init:
            params.append(name)
            value = name
        else:
            continue
        lines.append(f"  {setter}{value})")
    if post_init:
        lines.append("  self.__post_init__()")
    source = "\n".join([f"def __init__(self, {', '.join(params)}):", *lines, "  pass"])
    exec(source + "\n", scope)  # our own text, as dataclasses does
    init = scope["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


def _getstate(self: Any) -> list[Any]:
    return [getattr(self, name) for name in self.__slots__]


def _setstate(self: Any, state: list[Any]) -> None:
    for name, value in zip(self.__slots__, state, strict=True):
        object.__setattr__(self, name, value)

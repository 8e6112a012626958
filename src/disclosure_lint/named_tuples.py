"""``NamedTuple``: ``typing.NamedTuple``'s classes, made without its costs.

Why not ``typing.NamedTuple``: it makes each class with
``collections.namedtuple`` (which compiles ``__new__`` from text) and then
checks every annotation (strings here, so each becomes a ``ForwardRef``):
0.1-0.3 ms a class, ~2 ms for the eight on the path of a plain run. Here a
class is a ``tuple`` subclass built directly: ``__new__`` binds its
arguments in a loop until the class has made ``COMPILE_AFTER`` records (most
make a few a run), then namedtuple's compiled ``__new__`` takes over; the
fields are read by ``_collections._tuplegetter``
(what namedtuple uses), and ``_fields``, ``_field_defaults``, ``_make``,
``_replace``, ``_asdict``, ``__repr__``, ``__getnewargs__`` and
``__match_args__`` behave as namedtuple's (``tests/test_records.py``
compares them). Type checkers see ``typing.NamedTuple`` itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing import NamedTuple as NamedTuple
else:

    class _NamedTupleMeta(type):
        def __new__(
            mcls, name: str, bases: tuple[type, ...], namespace: dict[str, Any]
        ) -> type:
            if namespace.get("_root"):
                return super().__new__(mcls, name, bases, namespace)
            return _tuple_class(name, namespace)

    NamedTuple = _NamedTupleMeta("NamedTuple", (), {"_root": True})


# NOTE: the C descriptor namedtuple reads its fields with (not in typeshed).
_TUPLE_GETTER: Callable[[int, str], Any] = __import__("_collections")._tuplegetter


def _tuple_class(name: str, namespace: dict[str, Any]) -> type:
    """A namedtuple-like ``tuple`` subclass from a class body."""
    fields = tuple(namespace.get("__annotations__", {}))
    defaults = {f: namespace[f] for f in fields if f in namespace}
    if any(f not in defaults for f in fields[len(fields) - len(defaults) :]):
        raise TypeError(
            f"{name}: a field without a default follows a field with a default"
        )
    size = len(fields)
    tail = tuple(defaults.values())
    required = size - len(tail)

    calls = 0

    def __new__(cls: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls > COMPILE_AFTER and cls.__dict__["__new__"] is looped:
            # NOTE: a class that makes many records gets namedtuple's own
            # ``__new__``, compiled once it has paid off (as records does).
            compiled = _compiled_new(fields, tail)
            compiled.__qualname__ = f"{cls.__qualname__}.__new__"
            cls.__new__ = staticmethod(compiled)
        if kwargs or len(args) != size:
            args = _bind(name, fields, required, tail, args, kwargs)
        return tuple.__new__(cls, args)

    looped = staticmethod(__new__)

    def _make(cls: Any, iterable: Any) -> Any:
        made = tuple.__new__(cls, iterable)
        if len(made) != size:
            raise TypeError(f"Expected {size} arguments, got {len(made)}")
        return made

    def _replace(self: Any, /, **changes: Any) -> Any:
        made = self._make(map(changes.pop, fields, self))
        if changes:
            raise ValueError(f"Got unexpected field names: {list(changes)!r}")
        return made

    def __repr__(self: Any) -> str:
        text = ", ".join(f"{f}={v!r}" for f, v in zip(fields, self, strict=True))
        return f"{self.__class__.__name__}({text})"

    def _asdict(self: Any) -> dict[str, Any]:
        return dict(zip(fields, self, strict=True))

    def __getnewargs__(self: Any) -> tuple[Any, ...]:
        return tuple(self)

    body: dict[str, Any] = {
        key: value
        for key, value in namespace.items()
        if key not in defaults and key not in ("__annotations__", "__orig_bases__")
    }
    body.update(
        __slots__=(),
        _fields=fields,
        _field_defaults=defaults,
        __match_args__=fields,
        __new__=looped,
        _make=classmethod(_make),
        _replace=_replace,
        _asdict=_asdict,
        __getnewargs__=__getnewargs__,
        # NOTE: ``Plan[T]`` of a generic record is the record itself.
        __class_getitem__=classmethod(lambda cls, item: cls),
    )
    body.setdefault("__repr__", __repr__)
    for index, field_name in enumerate(fields):
        body[field_name] = _TUPLE_GETTER(index, f"Alias for field number {index}")
    made = type(name, (tuple,), body)
    for method in (__new__, _replace, _asdict, __getnewargs__, __repr__, _make):
        method.__qualname__ = f"{made.__qualname__}.{method.__name__}"
    return made


COMPILE_AFTER = 50


def _compiled_new(fields: tuple[str, ...], defaults: tuple[Any, ...]) -> Any:
    """The ``__new__`` that ``collections.namedtuple`` compiles for ``fields``."""
    scope: dict[str, Any] = {"_tuple_new": tuple.__new__}
    first_default = len(fields) - len(defaults)
    params = []
    for index, field_name in enumerate(fields):
        if index < first_default:
            params.append(field_name)
        else:
            scope[f"_default_{index}"] = defaults[index - first_default]
            params.append(f"{field_name}=_default_{index}")
    values = "".join(f"{f}, " for f in fields)
    source = f"def __new__(_cls, {', '.join(params)}):\n"
    source += f"    return _tuple_new(_cls, ({values}))\n"
    exec(source, scope)  # our own text, as namedtuple does
    return scope["__new__"]


def _bind(
    name: str,
    fields: tuple[str, ...],
    required: int,
    defaults: tuple[Any, ...],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> tuple[Any, ...]:
    """The fields' values from a call's arguments, or Python's own TypeError."""
    if len(args) > len(fields):
        raise TypeError(
            f"{name}.__new__() takes {len(fields) + 1} positional arguments "
            f"but {len(args) + 1} were given"
        )
    values = list(args)
    for field_name in fields[len(args) :]:
        if field_name in kwargs:
            values.append(kwargs.pop(field_name))
        elif len(values) >= required:
            values.append(defaults[len(values) - required])
        else:
            raise TypeError(
                f"{name}.__new__() missing required argument: {field_name!r}"
            )
    if kwargs:
        taken = [k for k in kwargs if k in fields]
        word = taken[0] if taken else next(iter(kwargs))
        why = (
            "got multiple values for argument"
            if taken
            else "got an unexpected keyword argument"
        )
        raise TypeError(f"{name}.__new__() {why} {word!r}")
    return tuple(values)

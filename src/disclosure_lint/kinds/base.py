"""What every rule kind shares: parameter specs, hits and fixes as spans."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final

from ..document.text import Record, Span

if TYPE_CHECKING:
    from ..packs.model import Rule
    from .report import Report


class Param(Record):
    """One parameter a kind accepts in a rule's ``params``.

    ``type`` is one of ``str``, ``int``, ``bool``, ``list``, ``dict``,
    ``regex`` (a string compiled and checked at pack load) or ``template``.
    """

    __match_args__ = ("type", "required", "default", "help")
    __slots__ = __match_args__

    def __init__(
        self, type: str, required: bool = False, default: Any = None, help: str = ""
    ) -> None:
        """A parameter of ``type``, with its default and one line of help."""
        self.type: Final = type
        self.required: Final = required
        self.default: Final = default
        self.help: Final = help


class FixSpec(Record):
    """A proposed edit, in document offsets."""

    __match_args__ = ("span", "replacement", "safe")
    __slots__ = __match_args__

    def __init__(self, span: Span, replacement: str, safe: bool = True) -> None:
        """Replace ``span`` with ``replacement``."""
        self.span: Final = span
        self.replacement: Final = replacement
        self.safe: Final = safe


class Hit(Record):
    """What a kind reports: where, message arguments, optional fix."""

    __match_args__ = ("span", "args", "fix")
    __slots__ = __match_args__

    def __init__(
        self,
        span: Span,
        args: Mapping[str, Any] | None = None,
        fix: FixSpec | None = None,
    ) -> None:
        """A hit at ``span`` with message ``args`` and maybe a ``fix``."""
        self.span: Final = span
        self.args: Final[Mapping[str, Any]] = {} if args is None else args
        self.fix: Final = fix


def reject_unknown_keys(item: Mapping[str, Any], allowed: set[str], what: str) -> None:
    """Refuse a param entry (a pair, a check, …) with a key the kind lacks.

    Raises:
        ValueError: naming the first unknown key, alphabetically.
    """
    unknown = set(item) - allowed
    if unknown:
        raise ValueError(f"unknown key '{sorted(unknown)[0]}' in {what}")


def _no_preparation(params: Mapping[str, Any]) -> Any:
    return None


class KindSpec(Record):
    """A rule kind: its parameters, a one-time ``prepare`` and ``check``."""

    __match_args__ = ("name", "params", "check", "prepare", "doc")
    __slots__ = __match_args__

    def __init__(
        self,
        name: str,
        params: Mapping[str, Param],
        check: Callable[[Report, Rule, Any], Iterable[Hit]],
        prepare: Callable[[Mapping[str, Any]], Any] = _no_preparation,
        doc: str = "",
    ) -> None:
        """The kind ``name``: what ``check`` needs, prepared by ``prepare``."""
        self.name: Final = name
        self.params: Final = params
        self.check: Final = check
        self.prepare: Final = prepare
        self.doc: Final = doc

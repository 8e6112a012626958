"""What every rule kind shares: parameter specs, hits and fixes as spans."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..document import Span

if TYPE_CHECKING:
    from ..packs import Rule
    from ..report import Report


@dataclass(frozen=True, slots=True)
class Param:
    """One parameter a kind accepts in a rule's ``params``.

    ``type`` is one of ``str``, ``int``, ``bool``, ``list``, ``dict``,
    ``regex`` (a string compiled and checked at pack load) or ``template``.
    """

    type: str
    required: bool = False
    default: Any = None
    help: str = ""


@dataclass(frozen=True, slots=True)
class FixSpec:
    """A proposed edit, in document offsets."""

    span: Span
    replacement: str
    safe: bool = True


@dataclass(frozen=True, slots=True)
class Hit:
    """What a kind reports: where, message arguments, optional fix."""

    span: Span
    args: Mapping[str, Any] = field(default_factory=dict)
    fix: FixSpec | None = None


@dataclass(frozen=True, slots=True)
class KindSpec:
    """A rule kind: its parameters, a one-time ``prepare`` and ``check``."""

    name: str
    params: Mapping[str, Param]
    check: Callable[[Report, Rule, Any], Iterable[Hit]]
    prepare: Callable[[Mapping[str, Any]], Any] = lambda params: None
    doc: str = ""

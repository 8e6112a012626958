"""The ``Report``: a document with its outline and tables, and lint options."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .document import Document
from .outline import Outline
from .packs import Pack


@dataclass(frozen=True, slots=True)
class LintOptions:
    """Per-run settings the rules see (from the CLI and configuration)."""

    lang: str = "zh"
    year: int | None = None
    edition: str | None = None
    publication_deadline: str | None = None


@dataclass(slots=True)
class Report:
    """Everything the rule kinds read; built once per document."""

    document: Document
    outline: Outline
    pack: Pack
    options: LintOptions
    tables: list[Any] = field(default_factory=list)

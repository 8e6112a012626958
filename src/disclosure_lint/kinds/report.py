"""The ``Report``: a document with its outline and tables, and lint options."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from ..document.text import Document, Record
from ..outline.model import Outline

if TYPE_CHECKING:
    from ..packs.model import Pack


class LintOptions(Record):
    """Per-run settings the rules see (from the CLI and configuration)."""

    __match_args__ = (
        "lang",
        "year",
        "edition",
        "publication_deadline",
        "copy_threshold",
    )
    __slots__ = __match_args__

    def __init__(
        self,
        lang: str = "zh",
        year: int | None = None,
        edition: str | None = None,
        publication_deadline: str | None = None,
        copy_threshold: float | None = None,
    ) -> None:
        """Options; each left out keeps its default.

        ``copy_threshold``: the share of sentences repeated from last year
        that makes a section copied (None: the rule's own).
        """
        self.lang: Final = lang
        self.year: Final = year
        self.edition: Final = edition
        self.publication_deadline: Final = publication_deadline
        self.copy_threshold: Final = copy_threshold


class Report(Record):
    """Everything the rule kinds read; built once per document."""

    __match_args__ = ("document", "outline", "pack", "options", "tables")
    __slots__ = (*__match_args__, "front", "shared")
    __hash__ = None  # type: ignore[assignment]  # NOTE: mutable

    def __init__(
        self,
        document: Document,
        outline: Outline,
        pack: Pack,
        options: LintOptions,
        tables: list[Any] | None = None,
    ) -> None:
        """The report of ``document``; ``tables`` are read later."""
        self.document = document
        #: Where the report starts after a crawler's metadata header (``标题:
        #: …`` lines and a ``==== 正文 ====`` line), 0 without one: text
        #: rules of scope ``all`` and ``body`` start there.
        self.front = 0
        self.outline = outline
        self.pack = pack
        self.options = options
        self.tables: list[Any] = [] if tables is None else tables
        # NOTE: what several rules derive from the same draft (split or
        # folded lines...), built by the first that needs it; keyed by the
        # class of the value (private to the kind that builds it).
        self.shared: dict[type, Any] = {}

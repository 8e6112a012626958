"""The pack model: ``Rule``, ``Pack``, ``PackSet`` and ``PackError``.

Each has a plain JSON form, which the pack cache stores.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..document.findings import Category, Severity
from ..records import dataclass, field


class PackError(Exception):
    """A pack that cannot be used; ``str()`` is ``file:line:col: message``."""


@dataclass(slots=True)
class Rule:
    """A compiled rule."""

    id: str
    name: str
    kind: str
    category: Category
    severity: Severity
    summary: str
    message: dict[str, str]
    rationale: str
    source: str
    params: dict[str, Any]
    examples: list[dict[str, Any]]
    aliases: list[str]
    pack: str
    file: str
    rationale_en: str = ""
    prepared: Any = field(default=None, repr=False, compare=False)

    def to_json(self) -> dict[str, Any]:
        """Plain data for the cache (``prepared`` is rebuilt per process)."""
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "category": self.category.value,
            "severity": self.severity.value,
            "summary": self.summary,
            "message": self.message,
            "rationale": self.rationale,
            "source": self.source,
            "params": self.params,
            "examples": self.examples,
            "aliases": self.aliases,
            "pack": self.pack,
            "file": self.file,
            "rationale_en": self.rationale_en,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Rule:
        """Inverse of ``to_json``."""
        values = dict(data)
        values["category"] = Category(values["category"])
        values["severity"] = Severity(values["severity"])
        return cls(**values)


@dataclass(slots=True)
class Pack:
    """A resolved pack: inherited data merged, inherited rules included."""

    name: str
    path: str
    description: str
    extends: list[str]
    edition: str | None
    years: tuple[int | None, int | None] | None
    source: str
    document: dict[str, Any]
    tables: dict[str, Any]
    rules: list[Rule]
    # Regexes of the bundled packs (this one and those it extends), which
    # run on re; every other regex of the pack runs on RE2 (regex.linear).
    trusted_regexes: list[str] = field(default_factory=list)

    def applies_to_year(self, year: int) -> bool:
        """True when ``years`` covers ``year``."""
        if self.years is None:
            return False
        low, high = self.years
        return (low is None or year >= low) and (high is None or year <= high)

    def to_json(self) -> dict[str, Any]:
        """Plain data for the cache."""
        return {
            "name": self.name,
            "path": self.path,
            "description": self.description,
            "extends": self.extends,
            "edition": self.edition,
            "years": list(self.years) if self.years else None,
            "source": self.source,
            "document": self.document,
            "tables": self.tables,
            "rules": [r.to_json() for r in self.rules],
            "trusted_regexes": self.trusted_regexes,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Pack:
        """Inverse of ``to_json``; trusts the pack's bundled regexes again."""
        from ..regex.guard import trust

        years = data["years"]
        trust(data["trusted_regexes"])
        return cls(
            name=data["name"],
            path=data["path"],
            description=data["description"],
            extends=list(data["extends"]),
            edition=data["edition"],
            years=(years[0], years[1]) if years else None,
            source=data["source"],
            document=data["document"],
            tables=data["tables"],
            rules=[Rule.from_json(r) for r in data["rules"]],
            trusted_regexes=list(data["trusted_regexes"]),
        )


@dataclass(slots=True)
class PackSet:
    """All loaded packs by name."""

    packs: dict[str, Pack]

    def editions(self) -> list[Pack]:
        """Packs that implement an edition, newest first."""
        found = [p for p in self.packs.values() if p.edition is not None]
        return sorted(found, key=lambda p: str(p.edition), reverse=True)

    def for_edition(self, edition: str) -> Pack | None:
        """The pack implementing ``edition`` (e.g. ``"2021"``)."""
        for pack in self.editions():
            if pack.edition == edition:
                return pack
        return None

    def for_year(self, year: int | None) -> Pack | None:
        """The edition pack whose ``years`` cover ``year`` (newest if None).

        A year no pack covers (a 2015 draft) gets the pack nearest to it.
        """
        editions = self.editions()
        if year is not None:
            for pack in editions:
                if pack.applies_to_year(year):
                    return pack
            starts = [(p.years[0], p) for p in editions if p.years]
            known = [(start, p) for start, p in starts if start is not None]
            if known and year < min(start for start, _ in known):
                return min(known, key=lambda item: item[0])[1]
        return editions[0] if editions else None

    def all_rules(self) -> list[Rule]:
        """Every rule of every pack once, by id."""
        seen: dict[str, Rule] = {}
        for pack in self.packs.values():
            for rule in pack.rules:
                seen.setdefault(rule.id, rule)
        return [seen[k] for k in sorted(seen)]

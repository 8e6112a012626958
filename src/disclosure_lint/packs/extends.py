"""Resolving ``extends``: a pack's inherited rules and data, and its edition."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .model import Pack, PackError, Rule
from .reading import _suggest

# A pack as read, before extends: pack.yaml, its data, its own rules and the
# regexes trusted while compiling it (a bundled pack's).
_Raw = tuple[Path, dict[str, Any], list[Rule], list[str]]


def _resolve(
    name: str, raw: dict[str, _Raw], resolved: dict[str, Pack], chain: list[str]
) -> Pack:
    if name in resolved:
        return resolved[name]
    meta_file, meta, own_rules, trusted = raw[name]
    if name in chain:
        raise PackError(f"{meta_file}: extends cycle: {' -> '.join([*chain, name])}")
    extends = meta.get("extends") or []
    if isinstance(extends, str):
        extends = [extends]
    document: dict[str, Any] = {}
    tables: dict[str, Any] = {}
    rules: dict[str, Rule] = {}
    for parent_name in extends:
        if parent_name not in raw:
            hint = _suggest(parent_name, raw)
            raise PackError(f"{meta_file}: extends unknown pack '{parent_name}'{hint}")
        parent = _resolve(parent_name, raw, resolved, [*chain, name])
        document.update(parent.document)
        tables.update(parent.tables)
        trusted = [*trusted, *parent.trusted_regexes]
        for rule in parent.rules:
            rules[rule.id] = rule
    document.update(meta.get("document") or {})
    tables.update(meta.get("tables") or {})
    for rule_id in meta.get("disable") or []:
        rules.pop(str(rule_id), None)
    for rule in own_rules:
        rules[rule.id] = rule
    edition, years = _edition(meta, meta_file, [resolved[p] for p in extends])
    pack = Pack(
        name=name,
        path=str(meta_file.parent),
        description=str(meta.get("description", "")),
        extends=list(extends),
        edition=edition,
        years=years,
        source=str(meta.get("source", "")),
        document=document,
        tables=tables,
        rules=[rules[k] for k in sorted(rules)],
        trusted_regexes=sorted(set(trusted)),
    )
    resolved[name] = pack
    return pack


def _edition(
    meta: Mapping[str, Any], meta_file: Path, parents: list[Pack]
) -> tuple[str | None, tuple[int | None, int | None] | None]:
    """The pack's edition and years; unstated, those of the pack it extends.

    NOTE: a pack that extends ``gov-annual-2021`` without ``edition:`` is
    meant to replace it for 2021 reports (README); without the edition it
    would be no edition pack and its rules would never run.
    """
    years_node = meta.get("years")
    years = (
        (years_node.get("from"), years_node.get("to"))
        if isinstance(years_node, dict)
        else None
    )
    if meta.get("edition") is not None:
        edition = str(meta["edition"])
        same = [p for p in parents if p.edition == edition]
        if years is None and same:
            years = same[0].years
        return edition, years
    editions = sorted({str(p.edition) for p in parents if p.edition is not None})
    if len(editions) > 1:
        raise PackError(
            f"{meta_file}: extends packs of editions {' and '.join(editions)}; "
            f'say which one this pack implements, e.g. edition: "{editions[-1]}"'
        )
    if not editions:
        return None, years
    parent = next(p for p in parents if p.edition == editions[0])
    return editions[0], years if years is not None else parent.years

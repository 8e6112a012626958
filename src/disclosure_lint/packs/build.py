"""Building a pack set from the pack files: parse, validate, resolve ``extends``.

What a load does when the cache cannot answer (the first run, a changed
pack, ``validate-packs``); imported only then.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

from ..kinds.cross_check import keyword_index
from ..kinds.substitution import substitution_index
from ..outline.sections import heading_scans
from .compile import _compile_rule
from .discover import (
    PACK_FILE,
    _check_budget,
    _pack_files,
    bundled_rules_dir,
)
from .extends import _Raw, _resolve
from .model import Pack, PackError, PackSet, Rule
from .reading import (
    _as_mapping,
    _check_keys,
    _plain,
    _read_yaml,
    _required_str,
    _where,
)

# Keys of a pack's ``document`` data that hold regexes (checked at load).
DOCUMENT_REGEXES = (
    "markup",
    "year.title",
    "year.opening",
    "period.patterns",
    "period.hint",
    "publication_date.pattern",
    "heading_pattern",
    "heading_patterns",
    "crawler_header.separator",
    "issuer.patterns",
)
PACK_KEYS = {
    "name": "pack name, used by extends and --packs",
    "description": "one line on what the pack checks",
    "extends": "names of packs whose rules and data this pack inherits",
    "edition": "national format edition this pack implements",
    "years": "report years the edition applies to: {from: Y, to: Y}",
    "source": "official document the pack follows",
    "document": "outline data: title, year patterns, sections",
    "tables": "table schemas",
    "disable": "rule ids inherited from extended packs that this pack turns off",
}
# Keys of a pack's ``tables`` data that hold regexes (checked at load).
TABLE_REGEXES = ("reader.numbering", "reader.unit_in_header")


def compile_packs(dirs: list[Path], fallback: Iterable[Path] = ()) -> PackSet:
    """Parse, validate and resolve the packs in ``dirs``.

    A pack in ``fallback`` is added unless a pack in ``dirs`` has its name.
    """
    from ..regex.guard import trusting

    fallback = list(fallback)
    _check_budget([f for d in [*dirs, *fallback] for f in _pack_files(d)])
    raw: dict[str, _Raw] = {}
    bundled = bundled_rules_dir().resolve()
    for directory in [*dirs, *fallback]:
        meta_file = directory / PACK_FILE
        meta = _as_mapping(_read_yaml(meta_file), meta_file, "pack.yaml")
        _check_keys(meta, PACK_KEYS, meta_file, "pack")
        name = _required_str(meta, "name", meta_file)
        if name in raw and directory in fallback:
            continue  # NOTE: e.g. a checkout's rules/ with the tool installed
        if name in raw:
            raise PackError(f"{meta_file}: pack name '{name}' is used twice")
        # NOTE: the bundled packs' regexes run on re, all others on RE2.
        trusted = directory.resolve().parent == bundled
        context: AbstractContextManager[list[str]] = (
            trusting() if trusted else nullcontext([])
        )
        with context as regexes:
            _check_document_regexes(meta, meta_file)
            rules: list[Rule] = []
            for rule_file in _pack_files(directory):
                if rule_file.name == PACK_FILE:
                    continue
                rules.append(_compile_rule(rule_file, name))
        ids = [r.id for r in rules]
        dupes = {i for i, n in Counter(ids).items() if n > 1}
        if dupes:
            raise PackError(
                f"{directory}: rule id used twice: {', '.join(sorted(dupes))}"
            )
        raw[name] = (meta_file, _plain(meta), rules, sorted(set(regexes)))
    resolved: dict[str, Pack] = {}
    for name in raw:
        _resolve(name, raw, resolved, [])
    # NOTE: built now so that their regexes are saved in the pack cache.
    for pack in resolved.values():
        keyword_index(pack)
        substitution_index(pack)
        heading_scans(pack.document)
    return PackSet(resolved)


def _check_document_regexes(meta: Mapping[str, Any], path: Path) -> None:
    """Check every regex of the pack's ``document`` and ``tables`` data."""
    from ..regex.guard import RegexRejected, pack_regex

    for part, regexes in (("document", DOCUMENT_REGEXES), ("tables", TABLE_REGEXES)):
        data = meta.get(part)
        if not isinstance(data, dict):
            continue
        for dotted in regexes:
            for node, key in _nodes_at(data, dotted.split(".")):
                value = node[key]
                for pattern in value if isinstance(value, list) else [value]:
                    try:
                        # NOTE: searched or matched, never iterated (outline).
                        pack_regex(str(pattern))
                    except RegexRejected as exc:
                        raise PackError(
                            f"{_where(path, node, key)}: {part}.{dotted}: {exc}"
                        ) from None


def _nodes_at(node: Any, keys: list[str]) -> Iterable[tuple[Any, str]]:
    """``(mapping, key)`` pairs where ``keys`` leads (lists are walked)."""
    if isinstance(node, list):
        for item in node:
            yield from _nodes_at(item, keys)
        return
    if not isinstance(node, dict) or keys[0] not in node:
        return
    if len(keys) == 1:
        yield node, keys[0]
    else:
        yield from _nodes_at(node[keys[0]], keys[1:])

"""Rule packs: load, validate, resolve ``extends``, compile, cache.

A pack is a directory with ``pack.yaml`` (name, extends, edition, years and the
domain data: document outline and table schemas) and one ``<ID>.yaml`` file per
rule. Packs are YAML read with ruamel.yaml's safe round-trip loader, which
keeps line numbers so every pack error names ``file:line:col`` and the key.

Validation and compilation happen once; the result is plain JSON data cached
(as marshal) under the user's cache directory, keyed by a hash of every pack
file, so a pre-commit run imports neither ruamel.yaml nor jinja2.
"""

from __future__ import annotations

import marshal
import os
import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

from ..version import __version__

try:
    # NOTE: hashlib loads OpenSSL (3-6 ms of every start); BLAKE2 is built in.
    from _blake2 import blake2b as _hash
except ImportError:  # pragma: no cover - other Python implementations
    from hashlib import blake2b as _hash
from .compile import _compile_rule
from .extends import _Raw, _resolve
from .model import Pack, PackError, PackSet, Rule
from .reading import (
    MAX_FILE_BYTES,
    _as_mapping,
    _check_keys,
    _plain,
    _read_yaml,
    _required_str,
    _where,
)

PACK_FILE = "pack.yaml"
# NOTE: bump when what compiling a pack produces changes, so that caches
# written by an earlier build of the same version are not read back.
CACHE_FORMAT = 2
MAX_RULES = 2_000
# NOTE: ruamel.yaml (pure Python) reads about 250 KB/s; the bundled packs are
# under 200 KB. These bounds keep a first (uncached) load of hostile packs
# under about 15 s; the compiled result is cached afterwards.
MAX_TOTAL_BYTES = 4 * 1024 * 1024
MAX_TOTAL_RULES = 5_000
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


# --------------------------------------------------------------------------
# Discovery and caching


def bundled_rules_dir() -> Path:
    """The packs shipped with the tool (wheel) or at the repository root."""
    # NOTE: this file is disclosure_lint/packs/load.py.
    here = Path(__file__).resolve().parent.parent
    installed = here / "rules"
    if (installed / "common" / PACK_FILE).is_file():
        return installed
    return here.parent.parent / "rules"


def pack_dirs(root: Path) -> list[Path]:
    """Pack directories directly under ``root`` (or ``root`` itself)."""
    if (root / PACK_FILE).is_file():
        return [root]
    return sorted(p for p in root.iterdir() if (p / PACK_FILE).is_file())


def _pack_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.yaml") if p.is_file())


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "disclosure-lint"


def load_packset(
    roots: Iterable[Path] | None = None,
    use_cache: bool = True,
    base: Iterable[Path] = (),
) -> PackSet:
    """Load every pack under ``roots`` (default: the bundled packs).

    The packs under ``base`` are loaded too, except those whose name a pack
    under ``roots`` takes, so that packs in ``roots`` can extend them.

    Raises:
        PackError: the first problem found, located in its file.
    """
    dirs: list[Path] = []
    for root in roots if roots is not None else [bundled_rules_dir()]:
        if not root.is_dir():
            raise PackError(f"{root}: pack directory not found")
        dirs.extend(pack_dirs(root))
    seen = {d.resolve() for d in dirs}
    fallback = [d for root in base for d in pack_dirs(root) if d.resolve() not in seen]
    if fallback:
        # NOTE: only validate-packs and docs ask for a base, without the cache.
        return compile_packs(dirs, fallback)
    files = [f for d in dirs for f in _pack_files(d)]
    _check_budget(files)
    digest = _hash(f"{__version__}/{CACHE_FORMAT}".encode())
    # NOTE: marshal's format belongs to the interpreter: one cache per
    # interpreter (cpython-311, ...), as with __pycache__.
    digest.update(str(sys.implementation.cache_tag).encode())
    for f in files:
        digest.update(str(f).encode())
        try:
            digest.update(f.read_bytes())
        except OSError as exc:
            raise PackError(f"{f}: cannot read: {exc.strerror}") from None
    cache = _cache_dir() / f"packs-{digest.hexdigest()[:32]}.marshal"
    if use_cache:
        try:
            data = marshal.loads(cache.read_bytes())
            packset = PackSet({n: Pack.from_json(p) for n, p in data["packs"].items()})
            _mark_proven(data["proven_regexes"])
            if data["translated_regexes"]:
                from ..regex.translate import remember

                remember(data["translated_regexes"])
            return packset
        except (OSError, ValueError, EOFError, KeyError, TypeError, AttributeError):
            pass
    packset = compile_packs(dirs)
    if use_cache:
        _write_cache(cache, packset)
    return packset


def _mark_proven(patterns: list[str]) -> None:
    from ..regex.guard import mark_proven

    mark_proven(str(p) for p in patterns)


def _write_cache(cache: Path, packset: PackSet) -> None:
    import json

    from ..regex.guard import proven_patterns

    # NOTE: the regexes proved safe while compiling are listed so that a
    # cached load (every run after the first) only compiles them again.
    # The data is JSON's (string keys, lists), as read back by every cached
    # load; marshal, not JSON text, because it reads back 2-3 times faster.
    # NOTE: only if some pack regex was translated (it is imported then).
    root = __package__.rpartition(".")[0]
    translate = sys.modules.get(f"{root}.regex.translate")
    plain = json.loads(
        json.dumps(
            {
                "packs": {n: p.to_json() for n, p in packset.packs.items()},
                "proven_regexes": proven_patterns(),
                # NOTE: RE2 translations of the packs' regexes (see above).
                "translated_regexes": translate.translations() if translate else [],
            }
        )
    )
    payload = marshal.dumps(plain)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(payload)
        tmp.replace(cache)
    except OSError:
        # NOTE: a read-only home or cache only costs speed, never correctness.
        pass


# --------------------------------------------------------------------------
# Compilation


def _check_budget(files: list[Path]) -> None:
    """Refuse oversized pack sets before reading a byte of YAML."""
    total = 0
    per_dir: Counter[Path] = Counter()
    for f in files:
        try:
            size = f.stat().st_size
        except OSError as exc:
            raise PackError(f"{f}: cannot read: {exc.strerror}") from None
        if size > MAX_FILE_BYTES:
            raise PackError(
                f"{f}: pack file too large ({size} bytes > {MAX_FILE_BYTES})"
            )
        total += size
        if f.name != PACK_FILE:
            per_dir[f.parent] += 1
    for directory, count in per_dir.items():
        if count > MAX_RULES:
            raise PackError(
                f"{directory}: {count} rule files, more than {MAX_RULES} in a pack"
            )
    if sum(per_dir.values()) > MAX_TOTAL_RULES:
        raise PackError(f"more than {MAX_TOTAL_RULES} rules in all packs together")
    if total > MAX_TOTAL_BYTES:
        raise PackError(f"packs too large together ({total} bytes > {MAX_TOTAL_BYTES})")


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


def never_run(
    packset: PackSet, names: Iterable[str], graph: Mapping[str, Pack] | None = None
) -> PackError | None:
    """An error for the first of ``names`` whose rules no report would run.

    A report runs the rules of one edition pack of ``packset`` (with what it
    extends, looked up in ``graph``, default ``packset``), so a pack without
    an edition that no such edition pack extends is never used.
    """
    packs = packset.packs if graph is None else graph
    used: set[str] = set()
    for pack in packset.editions():
        stack = [pack.name]
        while stack:
            name = stack.pop()
            if name in packs and name not in used:
                used.add(name)
                stack.extend(packs[name].extends)
    for name in names:
        if name in used:
            continue
        where = Path(packs[name].path) / PACK_FILE
        return PackError(
            f"{where}: pack '{name}' has no edition and no edition pack extends "
            "it, so its rules would never run; extend an edition pack "
            "(extends: [gov-annual-2021]) or give it edition: and years:"
        )
    return None


def packs_under(packset: PackSet, roots: Iterable[Path]) -> list[Pack]:
    """The packs of ``packset`` that live in (or directly under) ``roots``."""
    targets = {r.resolve() for r in roots}
    found = []
    for pack in packset.packs.values():
        where = Path(pack.path).resolve()
        if where in targets or where.parent in targets:
            found.append(pack)
    return sorted(found, key=lambda p: p.name)


# --------------------------------------------------------------------------
# YAML helpers

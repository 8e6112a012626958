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
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..version import __version__

try:
    # NOTE: hashlib loads OpenSSL (3-6 ms of every start); BLAKE2 is built in.
    from _blake2 import blake2b as _hash
except ImportError:  # pragma: no cover - other Python implementations
    from hashlib import blake2b as _hash

from ..regex.cached import load_saved, saved_code
from .discover import (
    PACK_FILE,
    _check_budget,
    _pack_files,
    bundled_rules_dir,
    pack_dirs,
)
from .model import Pack, PackError, PackSet

# NOTE: bump when what compiling a pack produces changes, so that caches
# written by an earlier build of the same version are not read back.
CACHE_FORMAT = 7


# --------------------------------------------------------------------------
# Discovery and caching


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
        from .build import compile_packs

        return compile_packs(dirs, fallback)
    files = [f for d in dirs for f in _pack_files(d)]
    _check_budget(files)
    digest = _hash(f"{__version__}/{CACHE_FORMAT}".encode())
    # NOTE: marshal's format belongs to the interpreter: one cache per
    # interpreter (cpython-311, ...), as with __pycache__.
    # NOTE: and the regexes' saved code (``regex.cached``) to its version.
    digest.update(f"{sys.implementation.cache_tag}/{sys.version}".encode())
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
            _mark_proven(data["proven_regexes"], data["regex_facts"])
            load_saved(data["compiled_regexes"])
            if data["translated_regexes"]:
                from ..regex.translate import remember

                remember(data["translated_regexes"])
            return packset
        except (OSError, ValueError, EOFError, KeyError, TypeError, AttributeError):
            pass
    from .build import compile_packs

    packset = compile_packs(dirs)
    if use_cache:
        _write_cache(cache, packset)
    return packset


def _mark_proven(patterns: list[str], facts: list[list[Any]]) -> None:
    from ..regex.guard import mark_proven, remember_facts

    mark_proven(str(p) for p in patterns)
    remember_facts(facts)


def _write_cache(cache: Path, packset: PackSet) -> None:
    import json

    from ..regex.guard import pattern_facts, proven_patterns

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
                # NOTE: and what the kinds ask of their parse (required texts).
                "regex_facts": pattern_facts(),
                # NOTE: their code, so that a cached load skips re's compiler.
                "compiled_regexes": saved_code(),
                # NOTE: RE2 translations of the packs' regexes (see above).
                "translated_regexes": translate.translations() if translate else [],
            }
        )
    )
    # NOTE: an edition pack holds every rule it inherits, so most rules are
    # there three times. Equal rules share one object, which marshal writes
    # once (then refers to it): every start reads back a third of the rules.
    # (Rules are read, never changed, once loaded.)
    shared: dict[str, Any] = {}
    for pack in plain["packs"].values():
        pack["rules"] = [
            shared.setdefault(json.dumps(rule, sort_keys=True), rule)
            for rule in pack["rules"]
        ]
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

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
import re
import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

from . import __version__
from .findings import Category, Severity
from .records import dataclass, field

try:
    # NOTE: hashlib loads OpenSSL (3-6 ms of every start); BLAKE2 is built in.
    from _blake2 import blake2b as _hash
except ImportError:  # pragma: no cover - other Python implementations
    from hashlib import blake2b as _hash

PACK_FILE = "pack.yaml"
# NOTE: bump when what compiling a pack produces changes, so that caches
# written by an earlier build of the same version are not read back.
CACHE_FORMAT = 2
MAX_NODES = 200_000
MAX_DEPTH = 64
MAX_RULES = 2_000
MAX_FILE_BYTES = 1024 * 1024
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
RULE_KEYS = {
    "id": "stable id: category prefix + number",
    "name": "kebab-case name of the problem",
    "kind": "the rule kind that evaluates it",
    "category": "one of " + ", ".join(c.value for c in Category),
    "severity": "error, warning or info",
    "summary": "one line: what is wrong",
    "message": "message template, {zh: ..., en: ...}",
    "rationale": "why it matters (Chinese; explain, pack pages)",
    "rationale_en": "why it matters, in English (explain --lang en)",
    "source": "the legal or format source",
    "params": "kind parameters",
    "examples": "passing and failing texts with expected LINE:COL ID",
    "aliases": "old ids of this rule",
}
REQUIRED_RULE_KEYS = (
    "id",
    "name",
    "kind",
    "category",
    "severity",
    "summary",
    "message",
)
EXAMPLE_KEYS = {"name", "text", "expect", "year", "edition", "path"}
# Keys of a pack's ``tables`` data that hold regexes (checked at load).
TABLE_REGEXES = ("reader.numbering", "reader.unit_in_header")
_ID = re.compile(r"^[A-Z]{2}\d{3}$")
_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


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
    # run on re; every other regex of the pack runs on RE2 (linear_regex).
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
        from .regex_guard import trust

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


# A pack as read, before extends: pack.yaml, its data, its own rules and the
# regexes trusted while compiling it (a bundled pack's).
_Raw = tuple[Path, dict[str, Any], list[Rule], list[str]]


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


# --------------------------------------------------------------------------
# Discovery and caching


def bundled_rules_dir() -> Path:
    """The packs shipped with the tool (wheel) or at the repository root."""
    here = Path(__file__).resolve().parent
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
                from .linear_regex import remember

                remember(data["translated_regexes"])
            return packset
        except (OSError, ValueError, EOFError, KeyError, TypeError, AttributeError):
            pass
    packset = compile_packs(dirs)
    if use_cache:
        _write_cache(cache, packset)
    return packset


def _mark_proven(patterns: list[str]) -> None:
    from .regex_guard import mark_proven

    mark_proven(str(p) for p in patterns)


def _write_cache(cache: Path, packset: PackSet) -> None:
    import json

    from .regex_guard import proven_patterns

    # NOTE: the regexes proved safe while compiling are listed so that a
    # cached load (every run after the first) only compiles them again.
    # The data is JSON's (string keys, lists), as read back by every cached
    # load; marshal, not JSON text, because it reads back 2-3 times faster.
    linear = sys.modules.get(f"{__package__}.linear_regex")
    plain = json.loads(
        json.dumps(
            {
                "packs": {n: p.to_json() for n, p in packset.packs.items()},
                "proven_regexes": proven_patterns(),
                # NOTE: RE2 translations of the packs' regexes (see above).
                "translated_regexes": linear.translations() if linear else [],
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
    from .regex_guard import trusting

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
    from .regex_guard import RegexRejected, pack_regex

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


def _compile_rule(path: Path, pack: str) -> Rule:
    from .kinds import KINDS
    from .regex_guard import RegexRejected

    node = _as_mapping(_read_yaml(path), path, "rule")
    _check_keys(node, RULE_KEYS, path, "rule")
    for key in REQUIRED_RULE_KEYS:
        if key not in node:
            raise PackError(f"{path}:1:1: missing required key '{key}'")
    rule_id = _required_str(node, "id", path)
    if not _ID.match(rule_id):
        raise PackError(
            f"{_where(path, node, 'id')}: id '{rule_id}' is not like 'ST001'"
        )
    if path.stem != rule_id:
        raise PackError(f"{path}: file name must be the rule id ('{rule_id}.yaml')")
    name = _required_str(node, "name", path)
    if not _NAME.match(name):
        raise PackError(
            f"{_where(path, node, 'name')}: name '{name}' is not kebab-case"
        )
    kind_name = _required_str(node, "kind", path)
    if kind_name not in KINDS:
        raise PackError(
            f"{_where(path, node, 'kind', value=True)}: unknown kind '{kind_name}'"
            f"{_suggest(kind_name, KINDS)}"
        )
    category = _enum(node, "category", Category, path)
    severity = _enum(node, "severity", Severity, path)
    message = _compile_message(node, path)
    kind = KINDS[kind_name]
    params_node = node.get("params") or {}
    params_node = _as_mapping(params_node, path, "params")
    _check_keys(
        params_node, {k: p.help for k, p in kind.params.items()}, path, "params"
    )
    params: dict[str, Any] = {}
    for key, spec in kind.params.items():
        if key in params_node:
            params[key] = _check_param(params_node, key, spec.type, path)
        elif spec.required:
            raise PackError(f"{_where(path, node, 'params')}: missing param '{key}'")
        else:
            params[key] = spec.default
    try:
        kind.prepare(params)
    except RegexRejected as exc:
        where = _where_value(path, params_node, exc.pattern)
        raise PackError(f"{where or _where(path, node, 'params')}: {exc}") from None
    except (ValueError, re.error) as exc:
        raise PackError(f"{_where(path, node, 'params')}: {exc}") from None
    examples = _compile_examples(node, path)
    return Rule(
        id=rule_id,
        name=name,
        kind=kind_name,
        category=category,
        severity=severity,
        summary=str(node["summary"]),
        message=message,
        rationale=str(node.get("rationale", "")),
        source=str(node.get("source", "")),
        params=params,
        examples=examples,
        aliases=[str(a) for a in node.get("aliases") or []],
        pack=pack,
        file=path.name,
        rationale_en=str(node.get("rationale_en", "")),
    )


def _compile_message(node: Mapping[str, Any], path: Path) -> dict[str, str]:
    from .messages import TemplateError, validate

    raw = node["message"]
    message = {"zh": raw, "en": raw} if isinstance(raw, str) else _plain(raw)
    if not isinstance(message, dict) or "zh" not in message:
        raise PackError(f"{_where(path, node, 'message')}: message needs a 'zh' text")
    for lang, template in message.items():
        if lang not in ("zh", "en"):
            raise PackError(
                f"{_where(path, node, 'message')}: unknown language '{lang}'"
            )
        try:
            validate(str(template))
        except TemplateError as exc:
            raise PackError(f"{_where(path, node, 'message')}: {exc}") from None
    message.setdefault("en", message["zh"])
    return {k: str(v) for k, v in message.items()}


def _compile_examples(node: Mapping[str, Any], path: Path) -> list[dict[str, Any]]:
    examples = node.get("examples") or []
    if not isinstance(examples, list):
        raise PackError(f"{_where(path, node, 'examples')}: examples must be a list")
    out = []
    for item in examples:
        item_map = _as_mapping(item, path, "example")
        _check_keys(item_map, {k: "" for k in EXAMPLE_KEYS}, path, "example")
        if "text" not in item_map or "expect" not in item_map:
            raise PackError(f"{path}: each example needs 'text' and 'expect'")
        out.append(_plain(item_map))
    return out


def _check_param(node: Mapping[str, Any], key: str, type_name: str, path: Path) -> Any:
    value = _plain(node[key])
    expected: dict[str, type | tuple[type, ...]] = {
        "str": str,
        "regex": str,
        "template": str,
        "int": int,
        "bool": bool,
        "list": list,
        "dict": dict,
    }
    py_type = expected.get(type_name, object)
    if not isinstance(value, py_type) or (
        type_name == "int" and isinstance(value, bool)
    ):
        raise PackError(
            f"{_where(path, node, key)}: param '{key}' must be a {type_name}"
        )
    if type_name == "regex":
        from .regex_guard import RegexRejected, check_regex, trusting_now

        try:
            if trusting_now():
                check_regex(str(value))
            else:
                # NOTE: the kind compiles it for RE2, with the flags it uses.
                re.compile(str(value))
        except RegexRejected as exc:
            raise PackError(f"{_where(path, node, key)}: {exc}") from None
        except (re.error, RecursionError, OverflowError) as exc:
            raise PackError(
                f"{_where(path, node, key)}: invalid regex: {exc}"
            ) from None
    return value


def _enum(node: Mapping[str, Any], key: str, enum: Any, path: Path) -> Any:
    value = str(node[key])
    try:
        return enum(value)
    except ValueError:
        choices = [e.value for e in enum]
        raise PackError(
            f"{_where(path, node, key, value=True)}: {key} '{value}' is not one of "
            f"{', '.join(choices)}{_suggest(value, choices)}"
        ) from None


# --------------------------------------------------------------------------
# YAML helpers


def _read_yaml(path: Path) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise PackError(f"{path}: pack file too large ({size} bytes)")
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise PackError(f"{path}: not UTF-8") from None
    except OSError as exc:
        raise PackError(f"{path}: cannot read: {exc.strerror}") from None
    _check_flow_depth(text, path)
    yaml = YAML(typ="rt", pure=True)
    try:
        data = yaml.load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise PackError(f"{where}: invalid YAML: {problem}") from None
    except RecursionError:
        raise PackError(f"{path}: YAML nested too deeply") from None
    _check_size(data, path)
    return data


_FLOW_TOKEN = re.compile(r"""'(?:[^']|'')*'|"(?:[^"\\]|\\.)*"|[\[\]{}]""")


def _check_flow_depth(text: str, path: Path) -> None:
    """Reject ``[[[[...]]]]`` before parsing.

    NOTE: ruamel.yaml takes seconds to fail on flow collections nested a few
    thousand deep (block nesting fails fast); brackets inside quoted scalars
    do not count.
    """
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    depth = 0
    for token in _FLOW_TOKEN.finditer(text):
        bracket = token.group()
        if bracket in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, token.start()) + 1
                raise PackError(
                    f"{path}:{line}: YAML nested deeper than {MAX_DEPTH} levels"
                )
        elif bracket in "]}":
            depth = max(0, depth - 1)


def _check_size(data: Any, path: Path) -> None:
    """Reject alias bombs and deep nesting before anything walks the data."""
    count = 0
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise PackError(
                f"{path}: too many YAML nodes (> {MAX_NODES}; alias expansion?)"
            )
        if depth > MAX_DEPTH:
            raise PackError(f"{path}: YAML nested deeper than {MAX_DEPTH} levels")
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)


def _plain(node: Any) -> Any:
    """Ruamel round-trip nodes to plain dict / list / str / int / float / bool."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if type(node).__name__ == "ScalarBoolean":
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return str(node)


def _as_mapping(node: Any, path: Path, what: str) -> Mapping[str, Any]:
    if not isinstance(node, dict):
        raise PackError(f"{path}: {what} must be a mapping")
    return node


def _required_str(node: Mapping[str, Any], key: str, path: Path) -> str:
    value = node.get(key)
    if not isinstance(value, str) or not value.strip():
        raise PackError(
            f"{_where(path, node, key)}: '{key}' must be a non-empty string"
        )
    return value


def _where_value(path: Path, node: Any, wanted: str | None) -> str | None:
    """``file:line:col`` of the value ``wanted`` in ``node`` (at any depth)."""
    if wanted is None:
        return None
    stack = [node]
    while stack:
        item = stack.pop()
        values = item.items() if isinstance(item, dict) else enumerate(item)
        for key, value in values:
            if isinstance(value, dict | list):
                stack.append(value)
            elif value == wanted:
                # NOTE: a regex in a list (no key) is located by the list.
                return _where(path, item, str(key), value=isinstance(item, dict))
    return None


def _where(path: Path, node: Any, key: str, value: bool = False) -> str:
    """``file:line:col`` of ``key`` in ``node`` (of its value if ``value``)."""
    lc = getattr(node, "lc", None)
    if lc is not None:
        try:
            line, col = lc.value(key) if value else lc.key(key)
            return f"{path}:{line + 1}:{col + 1}"
        except (KeyError, TypeError):
            line, col = lc.line, lc.col
            return f"{path}:{line + 1}:{col + 1}"
    return str(path)


def _check_keys(
    node: Mapping[str, Any], allowed: Mapping[str, str], path: Path, what: str
) -> None:
    for key in node:
        if key not in allowed:
            raise PackError(
                f"{_where(path, node, str(key))}: unknown key '{key}' in {what}"
                f"{_suggest(str(key), allowed)}"
            )


def _suggest(word: str, choices: Iterable[str]) -> str:
    import difflib  # NOTE: only for a bad pack; not on every start

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""

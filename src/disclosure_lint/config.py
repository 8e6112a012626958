"""Configuration files: find, read, validate and merge them into ``Settings``.

A configuration is ``.disclosure-lint.yaml`` or the ``[tool.disclosure-lint]``
table of ``pyproject.toml``. For each checked file the nearest one is found by
walking up from the file's directory: in one directory the YAML file wins; a
``pyproject.toml`` without the table is passed over. ``--config PATH`` uses
one file for every draft, ``--isolated`` none at all. Precedence: defaults <
configuration file < command line. Paths in a file (``packs``,
``per-path-ignores``) are relative to the file's directory.

Every key, its help and the ``Settings`` field it sets are in ``KEYS``. Errors
name the file, line, column and key and suggest the nearest valid key:
``.disclosure-lint.yaml:3:1: unknown key 'selct' (did you mean 'select'?)``.
YAML is read with ruamel.yaml's safe loader (packs' reader, with its size
limits), TOML with ``tomllib``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Collection, Iterable, Iterator
from pathlib import Path
from typing import Any

from .engine import RuleFilter
from .findings import Severity
from .packs import (
    PACK_FILE,
    Pack,
    PackError,
    PackSet,
    Rule,
    _plain,
    _read_yaml,
    _suggest,
    bundled_rules_dir,
    load_packset,
    never_run,
)
from .records import dataclass, field
from .settings import (
    LANGS,
    Settings,
    SettingsError,
    split_list,
    valid_deadline,
    year_problem,
)

CONFIG_NAME = ".disclosure-lint.yaml"
PYPROJECT = "pyproject.toml"
TOOL = "disclosure-lint"
# NOTE: the only ways a pyproject.toml can hold ``[tool.disclosure-lint]``:
# a header ``[tool.disclosure-lint...]`` or ``[tool]`` (quotes and spaces
# allowed), or a ``tool.…`` / ``tool = {…}`` key. A file with none of them
# (one naming the tool only as a dependency or a script) has no table and
# is passed over without importing and running tomllib (~3 ms). Matching
# loosely (anywhere, after any space) keeps a broken file that has the
# table an error, as tomllib reports it.
# NOTE: the regex's text: compiled on first use (then in re's cache), as
# only a pyproject naming the tool is searched with it.
_MAY_HOLD_TABLE = (
    rf"""\[\[?\s*["']?tool["']?\s*(?:\]|\.\s*["']?{re.escape(TOOL)})"""
    r"""|(?:^|[\s{,\ufeff])["']?tool["']?\s*[.=]"""
)


@dataclass(frozen=True, slots=True)
class Key:
    """One configuration key: the ``Settings`` field it sets and its help."""

    field: str
    help: str


KEYS: dict[str, Key] = {
    "packs": Key(
        "use_packs",
        "packs to load: bundled names or directories (default: every bundled pack)",
    ),
    "select": Key("select", "only these rules: ids, id prefixes, names, categories"),
    "ignore": Key("ignore", "skip these rules (same forms as select)"),
    "per-path-ignores": Key(
        "per_path_ignores", "glob (relative to the file) → rules to skip there"
    ),
    "severity": Key("severity", "rule, id prefix, name or category → severity"),
    "fail-on": Key("fail_on", "lowest severity that makes the exit code 1"),
    "year": Key("year", "report year (default: read from each draft)"),
    "edition": Key("edition", "format edition, 2019 or 2021 (default: by year)"),
    "publication-deadline": Key(
        "publication_deadline", "MM-DD of the year after the report year, or a date"
    ),
    "lang": Key("lang", "message language: zh or en"),
}
#: ``Settings`` fields the command line may set; the CLI passes the ones the
#: user actually gave, and those win over the file.
CLI_FIELDS = (
    "lang",
    "fail_on",
    "select",
    "ignore",
    "year",
    "edition",
    "publication_deadline",
)
_SEVERITIES = tuple(s.value for s in Severity)


class ConfigError(SettingsError):
    """A configuration file that cannot be used; ``file:line:col: message``."""


# --------------------------------------------------------------------------
# Reading one file


@dataclass(frozen=True, slots=True)
class Token:
    """A rule selector written in a file, kept to check it against the packs."""

    key: str
    value: str
    where: str


@dataclass(frozen=True, slots=True)
class ConfigFile:
    """A validated configuration file: values by key, in ``Settings`` terms."""

    path: Path
    values: dict[str, Any]
    tokens: tuple[Token, ...] = ()
    where: dict[str, str] = field(default_factory=dict)

    @property
    def root(self) -> Path:
        """The directory relative paths in the file are resolved against."""
        return self.path.parent


def display(path: Path) -> str:
    """``path`` relative to the working directory, ``../`` included.

    NOTE: one form for every file a message names, wherever it was found: a
    configuration above the working directory is ``../.disclosure-lint.yaml``
    as one below it is ``sub/.disclosure-lint.yaml`` (it used to be absolute
    above and relative below). Only a path that shares nothing with the
    working directory but the root stays absolute.
    """
    cwd = Path.cwd()
    full = path if path.is_absolute() else cwd / path
    try:
        if os.path.commonpath([cwd, full]) == full.anchor != str(cwd):
            return str(full)
        return os.path.relpath(full, cwd)
    except ValueError:  # pragma: no cover - another drive (Windows)
        return str(path)


class _Locator:
    """``file:line:col`` of keys and items, for YAML (ruamel) or TOML (text)."""

    def __init__(self, path: Path, node: Any = None, text: str = "") -> None:
        self.name = display(path)
        self.node = node
        self.lines = text.splitlines()

    def at(self, *keys: str | int, value: bool = False) -> str:
        """Where the key path ``keys`` is (its value if ``value``)."""
        if self.node is not None:
            line, col = self._yaml(keys, value)
        else:
            line, col = self._toml(keys)
        return f"{self.name}:{line + 1}:{col + 1}"

    def _yaml(self, keys: tuple[str | int, ...], value: bool) -> tuple[int, int]:
        node = self.node
        pos = (0, 0)
        for i, key in enumerate(keys):
            lc = getattr(node, "lc", None)
            if lc is None:
                break
            last = i == len(keys) - 1
            try:
                if isinstance(key, int):
                    pos = lc.item(key)
                else:
                    pos = lc.value(key) if (last and value) else lc.key(key)
                node = node[key]
            except (KeyError, IndexError, TypeError):
                break
        return pos

    def _toml(self, keys: tuple[str | int, ...]) -> tuple[int, int]:
        # NOTE: tomllib keeps no positions; look for the text of each key (or
        # list item) in order, below the [tool.disclosure-lint] header. Good
        # enough for a message; the header line is the fallback.
        header = re.compile(r"^\s*\[\s*tool\s*\.\s*\"?disclosure-lint\"?\s*[\].]")
        start = next((i for i, t in enumerate(self.lines) if header.match(t)), 0)
        pos = (start, 0)
        for key in keys:
            if isinstance(key, int):
                continue
            word = re.compile(
                rf"(?:^|[\s\[{{,.\"'])(\"?{re.escape(key)}\"?)\s*[=,\]}}]"
            )
            for i in range(pos[0], len(self.lines)):
                match = word.search(self.lines[i])
                if match:
                    pos = (i, match.start(1))
                    break
        return pos


def read_config(path: Path) -> ConfigFile | None:
    """Read and validate one file; ``None`` for a pyproject without the table.

    Raises:
        ConfigError: unreadable file, bad syntax, unknown key or bad value.
    """
    path = path.resolve()
    if path.name == PYPROJECT:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{display(path)}: cannot read: {exc}") from None
        if TOOL not in text or not re.search(_MAY_HOLD_TABLE, text, re.MULTILINE):
            return None
        import tomllib  # NOTE: only for a pyproject that may hold the table

        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            if TOOL not in text:
                return None
            raise ConfigError(f"{display(path)}: invalid TOML: {exc}") from None
        except RecursionError:
            # NOTE: tomllib recurses per nesting level; a hostile file nests
            # arrays or inline tables a few hundred deep.
            if TOOL not in text:
                return None
            raise ConfigError(f"{display(path)}: TOML nested too deeply") from None
        table = data.get("tool", {}).get(TOOL)
        if table is None:
            return None
        if not isinstance(table, dict):
            raise ConfigError(f"{display(path)}: [tool.{TOOL}] must be a table")
        return _validate(path, table, _Locator(path, text=text))
    try:
        node = _read_yaml(path)
    except PackError as exc:
        # NOTE: the YAML reader names the resolved path; name it as the
        # configuration's other messages do.
        text = str(exc)
        if text.startswith(str(path)):
            text = display(path) + text[len(str(path)) :]
        raise ConfigError(text) from None
    if node is None:
        return ConfigFile(path, {})
    if not isinstance(node, dict):
        raise ConfigError(f"{display(path)}:1:1: configuration must be a mapping")
    return _validate(path, node, _Locator(path, node=node))


def _validate(path: Path, raw: Any, loc: _Locator) -> ConfigFile:
    values: dict[str, Any] = {}
    tokens: list[Token] = []
    where: dict[str, str] = {}
    for key in raw:
        name = str(key)
        if name not in KEYS:
            raise ConfigError(
                f"{loc.at(name)}: unknown key '{name}'{_suggest(name, KEYS)}"
            )
        where[name] = loc.at(name)
        value = _plain(raw[key])
        values[name] = _value(name, value, path.parent, loc, tokens)
    return ConfigFile(path, values, tuple(tokens), where)


def _value(key: str, value: Any, root: Path, loc: _Locator, tokens: list[Token]) -> Any:
    def bad(what: str) -> ConfigError:
        return ConfigError(f"{loc.at(key, value=True)}: '{key}' {what}")

    if key in ("select", "ignore"):
        items = _str_list(value, bad)
        tokens.extend(Token(key, t, loc.at(key, i)) for i, t in enumerate(items))
        return items
    if key == "packs":
        return [
            _pack(p, root, loc.at(key, i)) for i, p in enumerate(_str_list(value, bad))
        ]
    if key == "per-path-ignores":
        if not isinstance(value, dict):
            raise bad("must map globs to lists of rules")
        out: dict[str, list[str]] = {}
        for glob, rules in value.items():
            items = _str_list(rules, bad)
            tokens.extend(Token(key, t, loc.at(key, glob)) for t in items)
            out[str(glob)] = items
        return out
    if key == "severity":
        if not isinstance(value, dict):
            raise bad("must map rules to error, warning or info")
        for token, level in value.items():
            if level not in _SEVERITIES:
                raise ConfigError(
                    f"{loc.at(key, token, value=True)}: severity for '{token}' "
                    f"must be error, warning or info, not '{level}'"
                    f"{_suggest(str(level), _SEVERITIES)}"
                )
            tokens.append(Token(key, str(token), loc.at(key, token)))
        return {str(k): str(v) for k, v in value.items()}
    if key == "fail-on":
        if value not in _SEVERITIES:
            hint = _suggest(str(value), _SEVERITIES)
            raise bad(f"must be error, warning or info, not '{value}'{hint}")
        return Severity(value)
    if key == "year":
        if not isinstance(value, int) or isinstance(value, bool):
            raise bad("must be a year like 2021")
        problem = year_problem(value)
        if problem is not None:
            raise bad(problem)
        return value
    if key == "edition":
        if not re.fullmatch(r"\d{4}", str(value)):
            raise bad(f"must be an edition year like 2021, not '{value}'")
        return str(value)
    if key == "publication-deadline":
        if not isinstance(value, str) or not valid_deadline(value):
            raise bad(f"must be MM-DD or YYYY-MM-DD, not '{value}'")
        return value
    if key == "lang":
        if value not in LANGS:
            raise bad(f"must be zh or en, not '{value}'{_suggest(str(value), LANGS)}")
        return value
    raise AssertionError(key)  # pragma: no cover - KEYS and this list agree


def _str_list(value: Any, bad: Callable[[str], ConfigError]) -> list[str]:
    """A list of strings, or one comma-separated string, as a list."""
    if isinstance(value, str):
        return split_list([value])
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return split_list(value)
    raise bad("must be a list of strings")


def _pack(entry: str, root: Path, where: str) -> str:
    """A bundled pack name, or a pack directory made absolute."""
    bundled = bundled_rules_dir()
    if (
        "/" not in entry
        and "\\" not in entry
        and (bundled / entry / PACK_FILE).is_file()
    ):
        return entry
    directory = (root / entry).resolve()
    if directory.is_dir():
        return str(directory)
    names = sorted(p.name for p in bundled.iterdir() if (p / PACK_FILE).is_file())
    raise ConfigError(
        f"{where}: pack '{entry}' is neither a bundled pack ({', '.join(names)}) "
        f"nor a directory{_suggest(entry, names)}"
    )


# --------------------------------------------------------------------------
# Merging and per-file resolution


def merge(
    config: ConfigFile | None, cli: Settings, explicit: Collection[str] = ()
) -> Settings:
    """Defaults < ``config`` < the command-line fields named in ``explicit``."""
    settings = Settings()
    if config is not None:
        for key, value in config.values.items():
            setattr(settings, KEYS[key].field, value)
        settings.source = str(config.path)
        settings.root = config.root
    for name in explicit:
        setattr(settings, name, getattr(cli, name))
    # NOTE: --packs adds directories whatever the file says (its meaning has
    # always been "extra packs"), so it extends rather than replaces.
    settings.packs = list(cli.packs)
    return settings


def sources(config: ConfigFile | None, explicit: Collection[str]) -> dict[str, str]:
    """Where each key's effective value comes from, for ``config``."""
    out = {}
    for key, spec in KEYS.items():
        if spec.field in explicit:
            out[key] = "command line"
        elif config is not None and key in config.values:
            out[key] = display(config.path)
        else:
            out[key] = "default"
    return out


class ConfigResolver:
    """Effective settings for each checked file; each file is read once.

    Args:
        cli: the command line's settings.
        explicit: the ``Settings`` fields the user gave on the command line.
        config: ``--config``: this file for every draft.
        isolated: ``--isolated``: no configuration file at all.
    """

    def __init__(
        self,
        cli: Settings,
        explicit: Collection[str] = (),
        config: Path | None = None,
        isolated: bool = False,
    ) -> None:
        """Remember the command line; nothing is read yet."""
        self.cli = cli
        self.explicit = tuple(explicit)
        self.isolated = isolated
        self._forced = config
        self._by_dir: dict[Path, Path | None] = {}
        self._files: dict[Path, ConfigFile | None] = {}
        self._settings: dict[Path | None, Settings] = {}
        self._packsets: dict[tuple[str, ...], PackSet] = {}
        self._packset_by_settings: dict[int, tuple[Settings, PackSet]] = {}
        self._checked: set[tuple[Path | None, tuple[str, ...]]] = set()

    def config_for(self, path: str | Path) -> ConfigFile | None:
        """The configuration that governs ``path`` (a file or directory).

        Raises:
            ConfigError: the file found is invalid.
        """
        if self.isolated:
            return None
        if self._forced is not None:
            return self._read(self._forced.resolve(), forced=True)
        found = self._find(_start_dir(Path(path)))
        return None if found is None else self._read(found)

    def settings_for(self, path: str | Path) -> Settings:
        """Effective settings for ``path`` (shared by every file of a config)."""
        config = self.config_for(path)
        key = None if config is None else config.path
        if key not in self._settings:
            self._settings[key] = merge(config, self.cli, self.explicit)
        return self._settings[key]

    def sources_for(self, path: str | Path) -> dict[str, str]:
        """Where each key's value comes from for ``path``."""
        return sources(self.config_for(path), self.explicit)

    def packset_for(self, settings: Settings) -> PackSet:
        """The packs ``settings`` ask for, checked against its file's tokens.

        Raises:
            PackError: a pack fails to load.
            ConfigError: a rule selector in the file matches no rule.
        """
        # NOTE: every file of a batch asks; settings objects are shared per
        # configuration file, so the answer is kept per settings object (a
        # 100,000-file run would otherwise resolve the pack paths 100,000
        # times and hold 100,000 copies of the pack set).
        cached = self._packset_by_settings.get(id(settings))
        if cached is not None and cached[0] is settings:
            return cached[1]
        packset = packset_for(settings, self._packsets)
        config_path = Path(settings.source) if settings.source else None
        mark = (config_path, tuple(sorted(packset.packs)))
        config = self._files.get(config_path) if config_path is not None else None
        if config_path is not None and mark not in self._checked:
            if config is not None:
                check_tokens(config, packset)
            self._checked.add(mark)
        check_year_edition(settings, packset, config, self.explicit)
        self._packset_by_settings[id(settings)] = (settings, packset)
        return packset

    def _find(self, start: Path) -> Path | None:
        visited: list[Path] = []
        found: Path | None = None
        for directory in (start, *start.parents):
            if directory in self._by_dir:
                found = self._by_dir[directory]
                break
            visited.append(directory)
            candidate = directory / CONFIG_NAME
            if candidate.is_file():
                found = candidate
                break
            candidate = directory / PYPROJECT
            if candidate.is_file() and self._read(candidate) is not None:
                found = candidate
                break
        for directory in visited:
            self._by_dir[directory] = found
        return found

    def _read(self, path: Path, forced: bool = False) -> ConfigFile | None:
        if path not in self._files:
            if forced and not path.is_file():
                raise ConfigError(f"{display(path)}: configuration file not found")
            config = read_config(path)
            if config is None and forced:
                raise ConfigError(f"{display(path)}: no [tool.{TOOL}] table")
            self._files[path] = config
        return self._files[path]


def _start_dir(path: Path) -> Path:
    full = path.resolve()
    return full if full.is_dir() else full.parent


# --------------------------------------------------------------------------
# Packs


def packset_for(
    settings: Settings, cache: dict[tuple[str, ...], PackSet] | None = None
) -> PackSet:
    """Load the packs ``settings`` name (``packs`` key plus ``--packs``).

    Every bundled pack is loaded so local packs can extend them; the set is
    then cut down to the packs asked for, the packs they extend, and, among
    packs of one edition, the most derived (a province pack that extends
    ``gov-annual-2021`` replaces it for 2021 reports).
    """
    local = [Path(p) for p in settings.use_packs or [] if Path(p).is_absolute()]
    extra = [p.resolve() for p in settings.packs]
    roots = [bundled_rules_dir(), *local, *extra]
    key = tuple(str(r) for r in roots)
    if cache is not None and key in cache:
        loaded = cache[key]
    else:
        loaded = load_packset(roots)
        if cache is not None:
            cache[key] = loaded
    wanted: set[str] = set()
    if settings.use_packs is None:
        wanted.update(loaded.packs)
    else:
        wanted.update(p for p in settings.use_packs if not Path(p).is_absolute())
        wanted.update(_packs_in(loaded, local))
    wanted.update(_packs_in(loaded, extra))
    active = PackSet(_active(loaded.packs, wanted))
    # NOTE: a local pack whose rules no report would run is a mistake.
    local_packs = sorted(_packs_in(active, [*local, *extra]))
    unused = never_run(active, local_packs, loaded.packs)
    if unused is not None:
        raise unused
    return active


def _packs_in(packset: PackSet, dirs: Iterable[Path]) -> Iterator[str]:
    """Names of the packs that live in (or directly under) ``dirs``."""
    targets = {d.resolve() for d in dirs}
    for name, pack in packset.packs.items():
        where = Path(pack.path).resolve()
        if where in targets or where.parent in targets:
            yield name


def _active(packs: dict[str, Pack], wanted: set[str]) -> dict[str, Pack]:
    def ancestors(name: str) -> set[str]:
        out: set[str] = set()
        stack = list(packs[name].extends)
        while stack:
            parent = stack.pop()
            if parent in packs and parent not in out:
                out.add(parent)
                stack.extend(packs[parent].extends)
        return out

    closure = set(wanted)
    for name in wanted:
        closure |= ancestors(name)
    shadowed = {
        parent
        for name in closure
        for parent in ancestors(name)
        if packs[name].edition is not None
        and packs[parent].edition == packs[name].edition
    }
    return {n: p for n, p in packs.items() if n in closure and n not in shadowed}


def check_tokens(config: ConfigFile, packset: PackSet) -> None:
    """Every rule selector in ``config`` must match a rule; edition must exist.

    Raises:
        ConfigError: naming the selector's place and the closest rule.
    """
    from .waivers import WAIVER_RULES

    rules = [*packset.all_rules(), *WAIVER_RULES]
    words = sorted(
        {r.id for r in rules}
        | {r.name for r in rules}
        | {r.category.value for r in rules}
    )
    for token in config.tokens:
        if token.value.upper() == "ALL":
            continue
        if not any(RuleFilter._matches(rule, token.value) for rule in rules):
            raise ConfigError(
                f"{token.where}: '{token.value}' in '{token.key}' matches no rule"
                f"{_suggest(token.value, words)}"
            )
    edition = config.values.get("edition")
    if edition is not None and packset.for_edition(edition) is None:
        known = ", ".join(str(p.edition) for p in packset.editions())
        raise ConfigError(
            f"{config.where['edition']}: unknown edition '{edition}' (known: {known})"
        )


def _rule_words(packsets: Iterable[PackSet]) -> tuple[list[Rule], list[str]]:
    """Every rule of ``packsets`` (and the waiver findings) and their words."""
    from .waivers import WAIVER_RULES

    rules = [*WAIVER_RULES]
    seen: set[int] = set()
    for packset in packsets:
        if id(packset) not in seen:
            seen.add(id(packset))
            rules.extend(packset.all_rules())
    words = sorted(
        {r.id for r in rules}
        | {r.name for r in rules}
        | {r.category.value for r in rules}
    )
    return rules, words


def check_cli_tokens(
    cli: Settings, explicit: Collection[str], packsets: Iterable[PackSet]
) -> None:
    """Every ``--select`` / ``--ignore`` token must match a rule of the run.

    NOTE: as in a configuration file (``check_tokens``): a typo would
    otherwise select nothing (a clean run) or ignore nothing. A token need
    only match in one of the packs the run uses, as a local pack's rule
    exists only where that pack is configured.

    Raises:
        ConfigError: naming the option and the closest rule.
    """
    given = [
        (name, token)
        for name in ("select", "ignore")
        if name in explicit
        for token in getattr(cli, name)
        if token.upper() != "ALL"
    ]
    sets = list(packsets)
    if not given or not sets:
        return  # NOTE: no file, no packs: the run reports that instead
    rules, words = _rule_words(sets)
    for name, token in given:
        if not any(RuleFilter._matches(rule, token) for rule in rules):
            raise ConfigError(
                f"'{token}' in --{name} matches no rule{_suggest(token, words)}"
            )


def _years_text(pack: Pack) -> str:
    low, high = pack.years or (None, None)
    if low and high:
        return f"{low}–{high}"
    if low or high:
        return f"{low} onwards" if low else f"up to {high}"
    return "no years"


def check_year_edition(
    settings: Settings,
    packset: PackSet,
    config: ConfigFile | None = None,
    explicit: Collection[str] = ("year", "edition"),
) -> None:
    """An edition given must exist; a year given must be one a pack covers.

    The message names the option (a field in ``explicit``, given on the
    command line) or the key of ``config``.

    NOTE: before 2019 there was no national format (FORMAT.md §2): a 2015
    report checked against the 2019 edition would be told to follow a
    format that did not exist yet, so such a year is refused, with or
    without an edition.

    Raises:
        ConfigError: naming the option or the file's key.
    """
    year, edition = settings.year, settings.edition
    if edition is not None and packset.for_edition(edition) is None:
        known = ", ".join(str(p.edition) for p in packset.editions())
        where = (
            "--edition"
            if "edition" in explicit or config is None
            else f"{config.where.get('edition', display(config.path))}: 'edition'"
        )
        raise ConfigError(f"{where}: unknown edition '{edition}' (known: {known})")
    editions = packset.editions()
    if year is None or any(p.applies_to_year(year) for p in editions):
        return
    covered = ", ".join(f"{p.name} covers {_years_text(p)}" for p in reversed(editions))
    if "year" in explicit or config is None:
        where = f"--year {year}"
    else:
        where = f"{config.where.get('year', display(config.path))}: 'year' {year}"
    raise ConfigError(
        f"{where}: no format edition covers report year {year} ({covered}); "
        "the rules would not apply"
    )


# --------------------------------------------------------------------------
# Per-path ignores


def _glob_regex(pattern: str) -> re.Pattern[str]:
    """``**`` crosses directories, ``*`` and ``?`` do not; ``dir/`` = ``dir/**``."""
    if pattern.endswith("/"):
        pattern += "**"
    out = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if ch == "*":
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                out.append(re.escape(ch))
            else:
                body = pattern[i + 1 : end].replace("\\", "\\\\")
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = end
        else:
            out.append(re.escape(ch))
        i += 1
    return re.compile("".join(out) + r"\Z")


def ignores_for(settings: Settings, path: str | Path) -> list[str]:
    """Rules ``per-path-ignores`` switch off for ``path``.

    A glob with a ``/`` is matched against the path relative to the
    configuration file's directory; one without, against the file name.
    """
    if not settings.per_path_ignores:
        return []
    full = Path(path).resolve()
    root = settings.root or Path.cwd()
    try:
        relative = full.relative_to(root.resolve()).as_posix()
    except ValueError:
        relative = None
    out: list[str] = []
    for glob, rules in settings.per_path_ignores.items():
        pattern = glob[2:] if glob.startswith("./") else glob
        subject = (
            relative
            if "/" in pattern.rstrip("/") or pattern.endswith("/")
            else full.name
        )
        if subject is not None and _glob_regex(pattern).match(subject):
            out.extend(rules)
    return out


def rule_filter_for(settings: Settings, path: str | Path) -> RuleFilter:
    """The select / ignore / severity filter for one file."""
    return settings.rule_filter(ignores_for(settings, path))


# --------------------------------------------------------------------------
# `disclosure-lint config`


def describe(
    resolver: ConfigResolver,
    path: str,
    output_format: str = "text",
    waiver_file: Path | None = None,
) -> str:
    """The effective configuration for ``path``: its file and every key.

    Raises:
        ConfigError: the configuration file is invalid.
        PackError: a pack named by it does not load.
    """
    import json  # NOTE: only the `config` command prints JSON

    config = resolver.config_for(path)
    settings = resolver.settings_for(path)
    packset = resolver.packset_for(settings)
    values: dict[str, Any] = {}
    for key, spec in KEYS.items():
        value = getattr(settings, spec.field)
        if key == "packs":
            value = sorted(packset.packs) if value is None else value
            value = [*value, *(str(p) for p in settings.packs)]
        values[key] = value.value if isinstance(value, Severity) else value
    origin = sources(config, resolver.explicit)
    here = ignores_for(settings, path)
    file_text = display(config.path) if config else None
    waivers = display(waiver_file) if waiver_file else None
    if output_format == "json":
        data = {
            "path": path,
            "config": file_text,
            "waivers": waivers,
            "settings": values,
            "sources": origin,
            "ignored_here": here,
        }
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    why = "--isolated" if resolver.isolated else "none found; defaults"
    lines = [
        f"# effective configuration for {path}",
        f"# configuration file: {file_text or why}",
        f"# waiver file: {waivers or 'none'}",
    ]
    width = max(len(k) for k in KEYS) + 2
    for key, value in values.items():
        shown = json.dumps(value, ensure_ascii=False)
        lines.append(f"{key + ':':<{width}}{shown}  # {origin[key]}")
    if here:
        lines.append(f"# per-path-ignores for this path: {', '.join(here)}")
    return "\n".join(lines) + "\n"


__all__ = [
    "CONFIG_NAME",
    "KEYS",
    "ConfigError",
    "ConfigFile",
    "ConfigResolver",
    "describe",
    "ignores_for",
    "merge",
    "packset_for",
    "read_config",
    "rule_filter_for",
]

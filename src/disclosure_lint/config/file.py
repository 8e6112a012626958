"""Configuration files: read, validate and merge them into ``Settings``.

A configuration is ``.disclosure-lint.yaml`` or the ``[tool.disclosure-lint]``
table of ``pyproject.toml``. For each checked file the nearest one is found by
walking up from the file's directory: in one directory the YAML file wins; a
``pyproject.toml`` without the table is passed over. ``--config PATH`` uses
one file for every draft, ``--isolated`` none at all. Precedence: defaults <
configuration file < command line. Paths in a file (``packs``,
``per-path-ignores``) are relative to the file's directory.

Finding the file of each draft is ``resolve``'s job; every key, its help and
the ``Settings`` field it sets are in ``keys.KEYS``. Errors
name the file, line, column and key and suggest the nearest valid key:
``.disclosure-lint.yaml:3:1: unknown key 'selct' (did you mean 'select'?)``.
YAML is read with ruamel.yaml's safe loader (packs' reader, with its size
limits), TOML with ``tomllib``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from ..document.findings import Severity
from ..packs.discover import PACK_FILE, bundled_rules_dir
from ..packs.model import PackError
from ..packs.reading import _plain, _read_yaml, _suggest
from ..records import dataclass, field
from .keys import KEYS
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


def find_upward(
    start: Path,
    memo: dict[Path, Path | None],
    found_in: Callable[[Path], Path | None],
) -> Path | None:
    """The file ``found_in`` finds in ``start`` or the nearest parent, if any.

    NOTE: every directory walked through is remembered with the answer in
    ``memo``, so a batch of drafts in one tree looks at each directory once.
    """
    visited: list[Path] = []
    found: Path | None = None
    for directory in (start, *start.parents):
        if directory in memo:
            found = memo[directory]
            break
        visited.append(directory)
        found = found_in(directory)
        if found is not None:
            break
    for directory in visited:
        memo[directory] = found
    return found


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
    if key == "copy-threshold":
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not 0 < value <= 1
        ):
            raise bad(f"must be a share above 0 and at most 1, like 0.8, not '{value}'")
        return float(value)
    if key == "pairing":
        if not isinstance(value, bool):
            raise bad(f"must be true or false, not '{value}'")
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
# Merging


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

"""The settings of each checked file: its configuration, packs and ignores."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path

from ..engine.lint import RuleFilter
from ..packs.discover import bundled_rules_dir
from ..packs.load import load_packset, never_run
from ..packs.model import Pack, PackSet
from .checks import check_tokens, check_year_edition
from .file import (
    CONFIG_NAME,
    PYPROJECT,
    TOOL,
    ConfigError,
    ConfigFile,
    display,
    find_upward,
    merge,
    read_config,
    sources,
)
from .settings import (
    Settings,
)


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
        return find_upward(start, self._by_dir, self._config_in)

    def _config_in(self, directory: Path) -> Path | None:
        candidate = directory / CONFIG_NAME
        if candidate.is_file():
            return candidate
        candidate = directory / PYPROJECT
        if candidate.is_file() and self._read(candidate) is not None:
            return candidate
        return None

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

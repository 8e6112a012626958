"""What a check run will do: the request and, per file, its settings.

``RunRequest`` holds the option values; ``make_plan`` gives each file its
configuration, packs and rule filter (``Plan``), before anything is linted.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ..config.checks import check_cli_tokens
from ..config.file import ConfigError
from ..config.resolve import ConfigResolver, ignores_for, packset_for
from ..config.settings import Settings
from ..config.waivers import WaiverBook
from ..engine.lint import RuleFilter
from ..engine.worker import LintContext
from ..inputs.paths import join_name, walk
from ..packs.model import PackError, PackSet
from ..records import dataclass

if TYPE_CHECKING:
    pass


@dataclass(slots=True)
class RunRequest:
    """What the user asked for on the command line."""

    paths: list[str]
    settings: Settings
    format: str = "text"
    color: bool = False
    show_source: bool = False
    statistics: bool = False
    jobs: int | None = None  # worker processes; None: one per core
    explicit: tuple[str, ...] = ()  # Settings fields given on the command line
    config: Path | None = None  # --config: this file for every draft
    isolated: bool = False  # --isolated: find no configuration or waiver file
    waivers: Path | None = None  # --waivers: this waiver file for every draft
    fix: bool = False  # --fix: write the safe fixes
    diff: bool = False  # --diff: print them as a diff, write nothing
    stdin: bool = False  # the draft is standard input, named paths[0]
    quiet: bool = False  # --quiet: findings only, no closing line or note
    annotate: Path | None = None  # --annotate: write a commented .docx copy
    previous: str | None = None  # --previous: last year's report of the draft
    pairing: bool = True  # False: --no-pairing (the batch is not paired)


@dataclass(slots=True)
class Planned:
    """One file with the settings, packs and rule filter that apply to it."""

    path: str
    settings: Settings
    packset: PackSet
    rule_filter: RuleFilter
    ignored: tuple[str, ...]
    context: LintContext  # packs, options and rule filter, shared by many files
    real: str = ""  # the path with every symbolic link resolved


@dataclass(slots=True)
class _Place:
    """What applies to every file of one (resolved) directory."""

    settings: Settings
    packset: PackSet
    waived: bool  # a waiver file governs the directory


class Plan:
    """Configuration, packs and waiver files of a run, resolved up front.

    NOTE: a bad configuration or waiver file stops the run (exit 2) before
    anything is printed, rather than half-way through a report; so
    ``make_plan`` walks the files once and resolves each directory. The
    per-file records (``files``) are made on the fly as the files are walked
    again: a batch of 100,000 drafts keeps no per-file state, only a record
    per directory and per distinct setting.
    """

    def __init__(
        self,
        request: RunRequest,
        resolver: ConfigResolver,
        book: WaiverBook,
    ) -> None:
        """Nothing is resolved yet: ``make_plan`` does that."""
        self.paths = request.paths
        self.stdin = request.stdin
        self.resolver = resolver
        self.waivers = book
        self.count = 0
        self.has_waivers = False
        #: The resolved paths some waiver names: the only files whose
        #: findings ``WaiverBook.apply`` can change or must see.
        self.targets: frozenset[str] = frozenset()
        self._places: dict[str, _Place] = {}
        self._real_dirs: dict[str, str] = {}
        self._contexts: dict[tuple[int, tuple[str, ...]], LintContext] = {}
        self._first: _Place | None = None
        self.lang = "zh"

    @property
    def first(self) -> Settings:
        """The first file's settings (the current directory's if none)."""
        if self._first is None:
            return self.resolver.settings_for(".")
        return self._first.settings

    @property
    def packset(self) -> PackSet:
        """The first file's packs."""
        if self._first is None:
            return self.resolver.packset_for(self.first)
        return self._first.packset

    @property
    def packsets(self) -> list[PackSet]:
        """The packs of every directory resolved (one entry per directory)."""
        return [place.packset for place in self._places.values()]

    @property
    def files(self) -> Iterator[Planned]:
        """Every file, in output order, with what applies to it."""
        for path, link in self._walk():
            real_dir, name = self._locate(path, link)
            place = self._place(real_dir)
            settings = place.settings
            ignored: tuple[str, ...] = ()
            if settings.per_path_ignores:
                ignored = tuple(ignores_for(settings, path))
            context = self._context(settings, place.packset, ignored)
            yield Planned(
                path,
                settings,
                place.packset,
                context.rule_filter,
                ignored,
                context,
                join_name(real_dir, name),
            )

    def resolve(self) -> None:
        """Walk the files once: resolve every directory, count the files.

        Raises:
            ConfigError: a configuration or waiver file is invalid.
            PackError: a pack does not load.
        """
        for path, link in self._walk():
            place = self._place(self._locate(path, link)[0])
            self._first = self._first or place
            self.count += 1
        # NOTE: the run's own text (closing line, report labels) is in one
        # language even when directories configure different ones: --lang,
        # else that of the configuration governing the first PATH given (as
        # `disclosure-lint config PATH` shows), not of whichever file the
        # walk meets first.
        self.lang = self.resolver.settings_for(
            self.paths[0] if self.paths else "."
        ).lang
        self.has_waivers = any(place.waived for place in self._places.values())
        self.targets = frozenset(
            str(waiver.target)
            for waiver_file in self.waivers.files
            for waiver in waiver_file.waivers
        )

    def _walk(self) -> Iterator[tuple[str, bool | None]]:
        """``load.walk`` of the paths; standard input's name as it is."""
        if self.stdin:
            return iter([(self.paths[0], None)])
        return walk(self.paths)

    def _locate(self, path: str, link: bool | None) -> tuple[str, str]:
        """The resolved directory and name of ``path`` (``Path.resolve``).

        NOTE: resolving every file costs a system call per path component;
        a file that is not a link lives in its directory's resolved form,
        which is resolved once.
        """
        if link is None:
            link = Path(path).is_symlink()
        if link:
            return os.path.split(os.path.realpath(path))
        head, name = os.path.split(path)
        real_dir = self._real_dirs.get(head)
        if real_dir is None:
            real_dir = self._real_dirs[head] = os.path.realpath(head or ".")
        return real_dir, name

    def _place(self, real_dir: str) -> _Place:
        """Settings, packs and waiver file of a resolved directory.

        NOTE: the configuration and waiver file of a file are found by
        walking up from its resolved directory, so the directory's answer is
        each of its files' answer.
        """
        place = self._places.get(real_dir)
        if place is None:
            settings = self.resolver.settings_for(real_dir)
            packset = self.resolver.packset_for(settings)
            waived = self.waivers.file_for(real_dir) is not None
            place = self._places[real_dir] = _Place(settings, packset, waived)
        return place

    def _context(
        self, settings: Settings, packset: PackSet, ignored: tuple[str, ...]
    ) -> LintContext:
        # NOTE: one context (and rule filter) per settings and ignores, not
        # per file: the engine caches its rule plan per filter, and workers
        # receive each context once.
        key = (id(settings), ignored)
        context = self._contexts.get(key)
        if context is None:
            context = LintContext(
                packset, settings.options(), settings.rule_filter(list(ignored))
            )
            self._contexts[key] = context
        return context


def make_plan(request: RunRequest, book: WaiverBook | None = None) -> Plan:
    """Resolve configuration, packs and waiver files for every file.

    Raises:
        ConfigError: a configuration or waiver file is invalid.
        PackError: a pack does not load.
    """
    resolver = ConfigResolver(
        request.settings, request.explicit, request.config, request.isolated
    )
    book = book or WaiverBook(request.waivers, request.isolated)
    plan = Plan(request, resolver, book)
    plan.resolve()
    check_cli_tokens(request.settings, request.explicit, plan.packsets)
    return plan


def load_packs_for(settings: Settings) -> PackSet:
    """The packs ``settings`` ask for (bundled, configured and ``--packs``)."""
    return packset_for(settings)


def plan_or_report(request: RunRequest, err: TextIO) -> Plan | None:
    """``make_plan(request)``, or None once its error is written to ``err``.

    A pack or configuration error: the command then exits with code 2.
    """
    try:
        return make_plan(request)
    except PackError as exc:
        err.write(f"disclosure-lint: error: pack: {exc}\n")
    except ConfigError as exc:
        err.write(f"disclosure-lint: error: {exc}\n")
    return None

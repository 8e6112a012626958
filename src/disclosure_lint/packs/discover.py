"""Where packs are: bundled, under a root, their files, and bounds on their size."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from .model import PackError

PACK_FILE = "pack.yaml"
MAX_RULES = 2_000
MAX_FILE_BYTES = 1024 * 1024
# NOTE: ruamel.yaml (pure Python) reads about 250 KB/s; the bundled packs are
# under 200 KB. These bounds keep a first (uncached) load of hostile packs
# under about 15 s; the compiled result is cached afterwards.
MAX_TOTAL_BYTES = 4 * 1024 * 1024
MAX_TOTAL_RULES = 5_000


def bundled_rules_dir() -> Path:
    """The packs shipped with the tool (wheel) or at the repository root."""
    # NOTE: this file is disclosure_lint/packs/discover.py.
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
    # NOTE: as ``directory.glob("*.yaml")`` keeping files, but ``scandir``
    # knows which entries are files without a stat each (every start lists
    # the packs to check the cache: ~1 ms less).
    try:
        with os.scandir(directory) as entries:
            found = [
                entry.path
                for entry in entries
                if entry.name.endswith(".yaml") and entry.is_file()
            ]
    except PermissionError:  # NOTE: glob finds nothing there either
        return []
    return sorted(map(Path, found))


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


MAX_FILE_BYTES = 1024 * 1024

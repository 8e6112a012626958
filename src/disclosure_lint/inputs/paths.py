"""The drafts a command line names: files, directories walked, in order."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

#: The files a directory is walked for: text drafts and the forms a reader
#: reads (``load.READERS``; tests/test_input.py checks they agree).
SUFFIXES = (".txt", ".md", ".docx", ".html", ".htm", ".pdf")
#: Word's lock file for an open ``报告.docx`` is ``~$报告.docx``, beside it.
_LOCK_PREFIX = "~$"


def expand_paths(paths: list[str]) -> list[str]:
    """Expand directories into their drafts (``SUFFIXES``), sorted; keep files.

    A missing path is kept as given so that loading reports it.
    """
    return [path for path, _ in walk(paths)]


def walk(paths: list[str]) -> Iterator[tuple[str, bool | None]]:
    """The files ``expand_paths`` lists, in its order, one at a time.

    Yields ``(path, is_link)``; ``is_link`` is None for a path given as it
    is (not found in a directory). A directory's drafts below it (files
    named ``*.txt``, ``.md``, ``.docx``, ``.html``, ``.htm`` or ``.pdf``, not
    in or below a hidden directory, not hidden themselves nor Word's lock
    files ``~$*``, links to directories not followed) come sorted by path,
    a given file or missing path as given. NOTE: this holds one directory's entries at a
    time, not the whole tree (100,000 drafts: ~50 MB and 2 s less).
    """
    for given in paths:
        top = Path(given)
        if top.is_dir():
            base = str(top)
            yield from _walk_dir(base, "" if base == "." else base)
        else:
            yield given, None


def _walk_dir(directory: str, prefix: str) -> Iterator[tuple[str, bool]]:
    """Files below ``directory``, named ``prefix/...``, in sorted path order.

    NOTE: sorting the entries by name, with ``/`` after directory names,
    orders every subtree exactly as sorting the full paths would.
    """
    try:
        with os.scandir(directory) as scan:
            entries = [e for e in scan if not e.name.startswith((".", _LOCK_PREFIX))]
    except PermissionError:
        return
    keyed: list[tuple[str, os.DirEntry[str], bool]] = []
    for entry in entries:
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_dir = False
        keyed.append((entry.name + "/" if is_dir else entry.name, entry, is_dir))
    keyed.sort(key=lambda item: item[0])
    for _, entry, is_dir in keyed:
        path = join_name(prefix, entry.name) if prefix else entry.name
        if is_dir:
            yield from _walk_dir(entry.path, path)
        elif _suffix(entry.name).lower() in SUFFIXES and _is_file(entry):
            yield path, entry.is_symlink()


def join_name(directory: str, name: str) -> str:
    """``os.path.join`` for a name without separators.

    NOTE: strings, not ``Path`` objects: this runs twice per file.
    """
    if directory.endswith(os.sep):
        return directory + name
    return directory + os.sep + name


def _suffix(name: str) -> str:
    """``PurePath(name).suffix``."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False

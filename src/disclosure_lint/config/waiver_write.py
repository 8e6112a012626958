"""Add entries to a waiver file (``disclosure-lint waive``).

Under a lock, atomically, keeping the comments and entries already there.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .file import display
from .waiver_file import (
    Waiver,
    WaiverError,
    read_waivers,
)
from .waiver_match import Anchor, assign

if TYPE_CHECKING:
    pass


#: How long ``waive`` waits for another run to release the waiver file.
LOCK_WAIT = 30.0
HEADER = """\
# Findings a reviewer accepted (disclosure-lint waivers; see README, "Waivers").
# Each entry: rule, file (relative to this file), text (the flagged text),
# before / after (the text around it on its line), reason, and optionally
# expires (YYYY-MM-DD). One entry waives one finding.
"""


def add_waivers(
    path: Path,
    drafts: Mapping[Path, Sequence[Anchor]],
    reason: str,
    expires: dt.date | None = None,
) -> int:
    """Add a waiver for each finding of ``drafts`` the file does not cover.

    ``drafts`` maps each draft (resolved) to the anchors of its findings.
    Under a lock, the file is read again and matched as a check would match
    it, so that two runs at once neither lose nor double an entry; the file
    (created if needed) is then replaced atomically, comments and existing
    entries kept (ruamel round trip). Returns how many entries were added.

    Raises:
        WaiverError: the file is invalid, locked too long or cannot be written.
    """
    path = path.resolve()
    with _locked(path):
        original: bytes | None = None
        waivers: list[Waiver] = []
        if path.exists():
            try:
                original = path.read_bytes()
            except OSError as exc:
                raise WaiverError(
                    f"{display(path)}: cannot read: {exc.strerror}"
                ) from None
            # NOTE: refuse to append to a file we cannot read
            waivers = read_waivers(path).waivers
        today = dt.date.today()
        entries: list[tuple[Path, Anchor]] = []
        for target, anchors in drafts.items():
            live = [w for w in waivers if w.target == target and not w.expired(today)]
            taken = assign(live, anchors)
            entries.extend((target, a) for i, a in enumerate(anchors) if i not in taken)
        if entries:
            _append(path, original, entries, reason, expires)
    return len(entries)


def _append(
    path: Path,
    original: bytes | None,
    entries: Sequence[tuple[Path, Anchor]],
    reason: str,
    expires: dt.date | None,
) -> None:
    """Write ``original`` (its bytes; None: a new file) and ``entries``.

    One entry per (draft, anchor) of ``entries``, all with ``reason`` and
    ``expires``.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from ..engine.fixes import FixError, write_atomic

    text = HEADER + "waivers:\n" if original is None else original.decode("utf-8")
    yaml = YAML(typ="rt", pure=True)
    yaml.width = 4096  # NOTE: never fold a quoted text across lines
    yaml.indent(mapping=2, sequence=4, offset=2)
    # NOTE: entries share one expiry date object; write it out each time
    # instead of as a YAML anchor and aliases.
    yaml.representer.ignore_aliases = lambda *args: True
    data = yaml.load(text)
    if data is None:
        data = CommentedMap()
    if data.get("waivers") is None:
        data["waivers"] = CommentedSeq()
    seq = data["waivers"]
    seq.fa.set_block_style()
    for target, found in entries:
        item = CommentedMap()
        item["rule"] = found.rule
        item["file"] = _relative(target, path.parent)
        item["text"] = _scalar(found.text)
        item["before"] = _scalar(found.before)
        item["after"] = _scalar(found.after)
        item["reason"] = _scalar(reason)
        if expires is not None:
            item["expires"] = expires
        seq.append(item)
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    try:
        # NOTE: ``original`` guards against an editor saving meanwhile
        # (other ``waive`` runs wait for the lock).
        write_atomic(path, buffer.getvalue().encode("utf-8"), original)
    except FixError as exc:
        raise WaiverError(f"{display(path)}: {exc}") from None


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``<path>.lock`` (waiting up to LOCK_WAIT s).

    NOTE: not a lock on the waiver file itself: it is replaced by a rename,
    and a lock on the old file would not stop a run that opens the new one.
    The lock file stays: removing it would let a waiting run lock a file
    nobody else sees.
    """
    lock = path.with_name(path.name + ".lock")
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise WaiverError(f"{display(lock)}: cannot lock: {exc.strerror}") from None
    try:
        deadline = time.monotonic() + LOCK_WAIT
        while not _try_lock(fd):
            if time.monotonic() > deadline:
                raise WaiverError(
                    f"{display(path)}: another run held {lock.name} for over "
                    f"{LOCK_WAIT:g} s; try again"
                )
            time.sleep(0.02)
        yield
    finally:
        os.close(fd)  # NOTE: closing releases the lock


def _try_lock(fd: int) -> bool:
    """Lock ``fd`` exclusively without waiting; False if another holds it."""
    if sys.platform == "win32":  # pragma: no cover - tested on POSIX only
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _scalar(value: str) -> str:
    """``value``, double-quoted (with escapes) if it holds an invisible char.

    NOTE: ruamel would write e.g. U+0085 raw inside single quotes, where a
    YAML reader takes it for a line break: the text would not read back.
    """
    if value.isprintable():
        return value
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    quoted: str = DoubleQuotedScalarString(value)  # NOTE: a str subclass
    return quoted


def _relative(target: Path, base: Path) -> str:
    return Path(os.path.relpath(target, base)).as_posix()

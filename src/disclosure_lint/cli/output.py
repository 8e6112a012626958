"""``check --output PATH``: write the report to a file, atomically.

The report goes to a temporary file in the target's directory, which is
renamed over the target only once the formatter has finished. A reader (a CI
upload step, a browser) therefore sees the old report or the new one, never
half of one; a run that fails before writing anything (a bad pack) leaves an
existing report alone.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ..inputs.paths import expand_paths

if TYPE_CHECKING:
    from .plan import RunRequest

EXIT_ERROR = 2


def _new_file_mode(target: Path) -> int:
    """Permissions for the report: the old file's, else 0666 less the umask."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomically(target: Path, produce: Callable[[TextIO], int]) -> int:
    """Call ``produce(stream)`` and move what it wrote to ``target``.

    Args:
        target: the report file.
        produce: writes the report to the stream and returns an exit code.

    Returns:
        ``produce``'s exit code. The file is replaced only if ``produce``
        returned normally and wrote something.

    Raises:
        OSError: the temporary file cannot be created or renamed.
    """
    directory = target.parent if str(target.parent) else Path()
    fd, tmp_name = tempfile.mkstemp(
        dir=directory, prefix=f".{target.name}.", suffix=".tmp"
    )
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
            code = produce(stream)
            stream.flush()
            os.fsync(stream.fileno())
            written = os.fstat(stream.fileno()).st_size
        if not written:
            tmp.unlink()
            return code
        tmp.chmod(_new_file_mode(target))
        tmp.replace(target)
    except BaseException:
        # NOTE: BaseException so that Ctrl-C does not leave a stray temp file.
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return code


def run_to_file(request: RunRequest, target: Path, err: TextIO) -> int:
    """Run the check and write its report to ``target`` instead of stdout."""
    from ..document.paths import escape_path
    from .run import run

    shown = escape_path(str(target))
    if target.is_dir():
        err.write(f"disclosure-lint: error: --output {shown} is a directory\n")
        return EXIT_ERROR
    resolved = target.resolve()
    if any(Path(p).resolve() == resolved for p in expand_paths(request.paths)):
        err.write(
            f"disclosure-lint: error: --output {shown} is one of the drafts "
            "being checked; choose another file\n"
        )
        return EXIT_ERROR
    try:
        return write_atomically(target, lambda out: run(request, out, err))
    except OSError as exc:
        reason = exc.strerror or str(exc)
        err.write(f"disclosure-lint: error: cannot write {shown}: {reason}\n")
        return EXIT_ERROR

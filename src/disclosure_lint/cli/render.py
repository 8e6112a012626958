"""``disclosure-lint render FILE``: the text the rules read, with line numbers.

A Word document, web page or PDF is rendered before it is checked (one
paragraph a line, one table row a line with its cells separated by tabs);
this prints that text as ``cat -n`` would, with the line numbers every
finding's ``line`` and ``column`` (JSON) count in, so a user sees what was
read. A ``.txt`` or ``.md`` draft is printed as it is (each line ending as
a newline). ``--plain`` leaves the numbers out (to save the rendering as a
draft); ``-`` reads the draft from standard input (its form by content).
A file that cannot be read is a one-line error, exit 2.
"""

from __future__ import annotations

import os
import sys
from typing import Any, TextIO

EXIT_OK = 0
EXIT_ERROR = 2
#: Width of the right-aligned line number (``cat -n`` uses 6).
NUMBER_WIDTH = 6


def numbered(text: str) -> str:
    r"""``text`` with each line numbered: ``     1	line``, as ``cat -n``.

    A final ``\n`` ends the last line; it does not open another one.
    """
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return "".join(f"{n:>{NUMBER_WIDTH}}\t{line}\n" for n, line in enumerate(lines, 1))


def run_render(path: str, plain: bool, out: TextIO, err: TextIO) -> int:
    """Print the rendered text of ``path`` to ``out``; the exit code."""
    from ..document.paths import escape_path
    from ..engine.worker import internal_error
    from ..inputs.errors import LoadError
    from ..inputs.load import STDIN, load_document, read_stdin, stdin_document

    try:
        if path == STDIN:
            doc = stdin_document(path, read_stdin(sys.stdin.buffer))
        else:
            doc = load_document(path)
    except LoadError as exc:
        err.write(f"{escape_path(path)}: error: {exc}\n")
        return EXIT_ERROR
    except OSError as exc:
        err.write(f"disclosure-lint: error: cannot read stdin: {exc.strerror}\n")
        return EXIT_ERROR
    except Exception as exc:
        # NOTE: as when checking: a reader's bug is a one-line error.
        if os.environ.get("DISCLOSURE_LINT_DEBUG"):
            raise
        err.write(f"{escape_path(path)}: error: {internal_error(exc)}\n")
        return EXIT_ERROR
    text = _reflowed(doc).text
    if plain:
        out.write(text if not text or text.endswith("\n") else text + "\n")
    else:
        out.write(numbered(text))
    return EXIT_OK


def _reflowed(doc: Any) -> Any:
    """``doc`` as the rules read it: a crawled one-line text reflowed."""
    if doc.form != "text":
        return doc
    from ..engine.reflow import reflow
    from ..packs.load import load_packset

    return reflow(doc, load_packset().for_year(None))

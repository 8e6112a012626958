"""File names as every output writes them: escaped reversibly, as bytes.

A name that is not UTF-8 (a zip made on Windows names drafts in GBK) reaches
Python as text with lone surrogates (``surrogateescape``), which no UTF-8
output can carry; reports, error lines, diffs, waiver messages and
``extract`` all write it through ``escape_path``.
"""

from __future__ import annotations

import os

# A backslash is doubled where it is not the path separator, so that ``\xNN``
# is never ambiguous.
_BACKSLASH = "\\" if os.sep == "/" else ""


def path_bytes(path: str) -> bytes:
    """The file name's bytes, as the operating system has them.

    Python decodes a name that is not UTF-8 with ``surrogateescape``; this
    undoes it. A lone surrogate that did not come from a byte (a library
    caller's string) is kept as its UTF-8 form (``surrogatepass``).
    """
    try:
        return path.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogatepass")


def escape_path(path: str) -> str:
    r"""``path`` as text every output can carry, reversibly.

    A byte of the name that is not UTF-8 text (which Python decodes as a
    lone surrogate, ``surrogateescape``), and a control character, is
    written ``\xNN`` (its byte value in hex); a backslash is doubled (on
    systems where it is not the path separator). Any other character is
    kept, so a UTF-8 name without backslash or control character is
    unchanged. ``codecs.escape_decode(escaped.encode())[0]`` gives back the
    name's bytes.
    """
    # NOTE: no regex: this module is imported on every start (pre-commit),
    # which does not otherwise load ``re``.
    if path.isprintable() and (not _BACKSLASH or _BACKSLASH not in path):
        return path
    return "".join(_escape_char(char) for char in path)


def _escape_char(char: str) -> str:
    code = ord(char)
    if char == _BACKSLASH:
        return "\\\\"
    if code < 0x20 or code == 0x7F or 0xD800 <= code <= 0xDFFF:
        return "".join(f"\\x{b:02x}" for b in path_bytes(char))
    return char

"""Bytes to ``Document``: explicit decoding, never by locale.

Order of attempts: a BOM (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE) decides; else
strict UTF-8; else strict GB18030 (a superset of GBK and GB2312, the encodings
Chinese government offices save plain text in). Anything else is an error.

Only regular files are read (and standard input, named ``-``), never more
than the size limit: a FIFO, a device or ``/dev/zero`` is refused without
being opened for a blocking read. Word (.docx), web pages and PDF files go
to their readers (``READERS``), chosen by content, else by suffix; old
binary Word and WPS files and RTF are named and refused.
"""

from __future__ import annotations

import codecs
import os
import stat
from importlib import import_module
from pathlib import Path
from typing import BinaryIO

from ..document.text import Document
from .errors import LoadError
from .text import decode, split_newlines

MAX_BYTES = 20 * 1024 * 1024
#: The path that means standard input (as for ruff, cat, ...).
STDIN = "-"

# Formats a draft is often saved in that are not read: (one, several).
_OLD_WORD = ("a Word 97-2003 document (.doc)", "Word 97-2003 documents (.doc)")
_OLE = (
    "a Word 97-2003 or WPS document (.doc, .wps)",
    "Word 97-2003 and WPS documents (.doc, .wps)",
)
_WPS = ("a WPS document (.wps)", "WPS documents (.wps)")
_RTF = ("an RTF document (.rtf)", "RTF documents (.rtf)")
_NOT_READ_BY_SUFFIX = {".doc": _OLD_WORD, ".wps": _WPS, ".rtf": _RTF}
_ADVICE = "open it in Word or WPS and save it as .docx"

#: Formats read by a module of this package (``read(path, data) -> Document``,
#: imported only when such a file is given), by suffix.
READERS = {".docx": "docx", ".html": "html", ".htm": "html", ".pdf": "pdf"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"


def not_read_yet(name: str) -> None:
    """Refuse a file whose suffix names a format that is not read.

    Raises:
        LoadError: e.g. ``Word 97-2003 documents (.doc) are not read; ...``.
    """
    kind = _NOT_READ_BY_SUFFIX.get(Path(name).suffix.lower())
    if kind is not None:
        raise LoadError(f"{kind[1]} are not read; {_ADVICE}")


def _sniff(data: bytes) -> str | tuple[str, str] | None:
    """The format ``data`` is in by its first bytes: a reader, a refusal or None.

    NOTE: a .docx is a ZIP archive whose member names (stored in plain
    text) start with ``word/``; WPS saves .docx the same way and its own
    .wps, like Word 97-2003, as an OLE2 compound file.
    """
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(_ZIP_MAGIC) and b"word/" in data:
        return "docx"
    if data.startswith(_OLE_MAGIC):
        return _OLE
    head = data[:64].removeprefix(codecs.BOM_UTF8).lstrip().lower()
    if head.startswith(b"{\\rtf"):
        return _RTF
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    return None


def document_from_bytes(path: str, data: bytes) -> Document:
    """Build a ``Document`` from raw bytes (no size check).

    The content decides the format where it names one (a PDF, a Word
    document, a web page), else the file name's suffix; anything else is
    read as plain text.

    Raises:
        LoadError: empty, in a format not read, binary, undecodable or not
            readable as the format it claims to be.
    """
    if not data:
        raise LoadError("empty file")
    kind = _sniff(data)
    if isinstance(kind, tuple):
        raise LoadError(f"the content is {kind[0]}, which is not read; {_ADVICE}")
    reader = kind or READERS.get(Path(path).suffix.lower())
    if reader is not None:
        module = import_module(f"{__package__}.{reader}")
        document: Document = module.read(path, data)
        return document
    raw, encoding, bom = decode(data)
    if not raw.strip():
        raise LoadError("file has no text (only whitespace)")
    text, newlines = split_newlines(raw)
    return Document(path, text, encoding, bom, newlines)


def load_document(path: str | Path, max_bytes: int = MAX_BYTES) -> Document:
    """Read and decode the draft at ``path`` (a regular file).

    Raises:
        LoadError: missing, not a regular file, in a format not read yet,
            unreadable, too large, binary or undecodable.
    """
    name = str(path)
    data = read_file(name, max_bytes)
    return document_from_bytes(name, data)


_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_KINDS = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _require_regular(mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise LoadError("is a directory")
    kind = next((name for test, name in _KINDS if test(mode)), "a special file")
    raise LoadError(
        f"not a regular file ({kind}); give `-` to read a draft from standard input"
    )


def read_file(path: str, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of the regular file at ``path``, never more than ``max_bytes``.

    NOTE: the path is checked before it is opened and the open file again
    (it may have been swapped meanwhile), and it is opened non-blocking: a
    FIFO would otherwise block the open until a writer comes, and a device
    such as /dev/zero never ends.

    Raises:
        LoadError: missing, not a regular file, a format not read yet,
            unreadable or larger than ``max_bytes``.
    """
    try:
        info = Path(path).stat()
    except FileNotFoundError:
        raise LoadError("no such file or directory") from None
    except OSError as exc:
        raise LoadError(f"cannot read: {exc.strerror}") from None
    _require_regular(info.st_mode)
    not_read_yet(path)
    _check_size(info.st_size, max_bytes)
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK)
    except OSError as exc:
        raise LoadError(f"cannot read: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "rb") as handle:
            _require_regular(os.fstat(fd).st_mode)
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise LoadError(f"cannot read: {exc.strerror}") from None
    if len(data) > max_bytes:
        # NOTE: it grew after the check above (a log being written, ...).
        raise LoadError(f"file too large (grew past the {_mb(max_bytes)} limit)")
    return data


def _check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise LoadError(
            f"file too large ({size / 1_048_576:.1f} MB > {_mb(max_bytes)} limit)"
        )


def _mb(size: int) -> str:
    return f"{size / 1_048_576:.0f} MB"


def read_stdin(stream: BinaryIO, max_bytes: int = MAX_BYTES) -> bytes:
    """Standard input up to one byte past ``max_bytes`` (the rest stays unread).

    Raises:
        OSError: reading failed.
    """
    return stream.read(max_bytes + 1)


def stdin_document(name: str, data: bytes, max_bytes: int = MAX_BYTES) -> Document:
    """The draft read from standard input, called ``name`` (``--stdin-filename``).

    Raises:
        LoadError: over ``max_bytes``, a format not read yet (by ``name`` or
            content), binary or undecodable.
    """
    if len(data) > max_bytes:
        raise LoadError(
            f"standard input too large (more than the {_mb(max_bytes)} limit)"
        )
    if name != STDIN:
        not_read_yet(name)
    return document_from_bytes(name, data)

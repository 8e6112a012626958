"""Bytes to ``Document``: explicit decoding, never by locale.

Order of attempts: a BOM (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE) decides; else
strict UTF-8; else strict GB18030 (a superset of GBK and GB2312, the encodings
Chinese government offices save plain text in). Anything else is an error.

Only regular files are read (and standard input, named ``-``), never more
than the size limit: a FIFO, a device or ``/dev/zero`` is refused without
being opened for a blocking read. Word, WPS, PDF, RTF and HTML files are
named, by their suffix or their first bytes, and refused until readers for
them exist.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from .document import Document

MAX_BYTES = 20 * 1024 * 1024
SUFFIXES = (".txt", ".md")
#: The path that means standard input (as for ruff, cat, ...).
STDIN = "-"

# Formats a draft is often saved in that are not read yet: (one, several).
_WORD = ("a Word document (.docx)", "Word documents (.docx)")
_OLD_WORD = ("a Word 97-2003 document (.doc)", "Word 97-2003 documents (.doc)")
_OLE = (
    "a Word 97-2003 or WPS document (.doc, .wps)",
    "Word 97-2003 and WPS documents (.doc, .wps)",
)
_WPS = ("a WPS document (.wps)", "WPS documents (.wps)")
_PDF = ("a PDF file (.pdf)", "PDF files (.pdf)")
_RTF = ("an RTF document (.rtf)", "RTF documents (.rtf)")
_HTML = ("a web page (.html)", "web pages (.html)")
_NOT_READ_BY_SUFFIX = {
    ".docx": _WORD,
    ".doc": _OLD_WORD,
    ".wps": _WPS,
    ".pdf": _PDF,
    ".rtf": _RTF,
    ".html": _HTML,
    ".htm": ("a web page (.htm)", "web pages (.htm)"),
}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_ADVICE = "save the draft as .txt"

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class LoadError(Exception):
    """A file that cannot be read as a draft; the message is one line."""


def decode(data: bytes) -> tuple[str, str, bytes]:
    """Decode ``data`` and return ``(text, encoding, bom)``.

    A file that is UTF-8 in part and something else in part (a GBK paragraph
    pasted into a UTF-8 draft, a stray byte) is an error naming the first bad
    byte, not a draft decoded as GB18030 mojibake.

    Raises:
        LoadError: binary content or bytes no supported encoding accepts.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            try:
                text = body.decode(encoding)
            except UnicodeDecodeError as exc:
                # NOTE: strict UTF-16/32 decoding rejects lone surrogates here.
                line = body[: exc.start].decode(encoding, "replace").count("\n") + 1
                raise LoadError(
                    f"not valid {encoding.upper()} despite its byte order mark "
                    f"(byte offset {exc.start + len(bom)}, line {line}: "
                    f"{exc.reason})"
                ) from None
            if "\x00" in text:
                raise LoadError("binary file (contains NUL characters)")
            return text, encoding, bom
    nul = data.find(b"\x00")
    if nul != -1:
        raise LoadError(
            f"binary file (NUL byte at {_where(data, nul)}); expected a text draft"
        )
    try:
        return data.decode("utf-8"), "utf-8", b""
    except UnicodeDecodeError as utf8_error:
        bad = utf8_error.start
        where = _where(data, bad)
        utf8_line = _utf8_text_line(data)
        if utf8_line is not None:
            raise LoadError(
                f"mixed encodings: line {utf8_line} is UTF-8 but the text at "
                f"{where} is not; save the whole draft in one encoding (UTF-8)"
            ) from None
        try:
            return data.decode("gb18030"), "gb18030", b""
        except UnicodeDecodeError:
            raise LoadError(
                f"cannot decode: not UTF-8 (invalid byte at {where}) "
                "and not GB18030/GBK"
            ) from None


# NOTE: compiled on first use (a 21,000-character range takes ~1.7 ms to
# compile): only a file that is not plain UTF-8 asks the question.
_CJK: list[re.Pattern[str]] = []
_UTF8_EVIDENCE = 4


def _utf8_text_line(data: bytes) -> int | None:
    """A line that is certainly UTF-8 Chinese text, if any (1-based).

    NOTE: a GBK line almost never decodes as UTF-8, and one that decodes to
    four or more CJK ideographs in a row of valid sequences essentially
    never does, so such a line proves the file was meant to be UTF-8.
    """
    if not _CJK:
        _CJK.append(re.compile("[\u4e00-\u9fff]"))
    cjk = _CJK[0]
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if raw.isascii():
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if len(cjk.findall(line)) >= _UTF8_EVIDENCE:
            return number
    return None


def _where(data: bytes, offset: int) -> str:
    """``line L, column C (byte offset N: 0xAB)`` for an offset into raw bytes.

    The column counts the characters before the byte, read as UTF-8.
    """
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", "replace")) + 1
    return f"line {line}, column {column} (byte offset {offset}: 0x{data[offset]:02X})"


def split_newlines(raw: str) -> tuple[str, list[str] | None]:
    r"""Normalise CRLF and CR to LF; keep each line's terminator if not all LF."""
    if "\r" not in raw:
        return raw, None
    lines = raw.splitlines(keepends=True)
    texts: list[str] = []
    terminators: list[str] = []
    for line in lines:
        if line.endswith("\r\n"):
            texts.append(line[:-2])
            terminators.append("\r\n")
        elif line.endswith(("\r", "\n")):
            texts.append(line[:-1])
            terminators.append(line[-1])
        else:
            # NOTE: splitlines() also splits on \x0b, \x0c, \x1c-\x1e, \x85,
            # \u2028, \u2029; those stay part of the line text, not breaks.
            texts.append(line)
            terminators.append("")
    return _rejoin(texts, terminators)


def _rejoin(texts: list[str], terminators: list[str]) -> tuple[str, list[str]]:
    out: list[str] = []
    kept: list[str] = []
    for text, term in zip(texts, terminators, strict=True):
        if term in ("\r\n", "\r", "\n"):
            out.append(text + "\n")
            kept.append(term)
        else:
            out.append(text + term)
    return "".join(out), kept


def not_read_yet(name: str) -> None:
    """Refuse a file whose suffix names a format that is not read yet.

    Raises:
        LoadError: e.g. ``Word documents (.docx) are not read yet; ...``.
    """
    kind = _NOT_READ_BY_SUFFIX.get(Path(name).suffix.lower())
    if kind is not None:
        raise LoadError(f"{kind[1]} are not read yet; {_ADVICE}")


def _sniff(data: bytes) -> tuple[str, str] | None:
    """The not-yet-read format ``data`` is in, by its first bytes, if any.

    NOTE: a .docx is a ZIP archive whose member names (stored in plain
    text) start with ``word/``; WPS saves .docx the same way and its own
    .wps, like Word 97-2003, as an OLE2 compound file.
    """
    if data.startswith(b"%PDF-"):
        return _PDF
    if data.startswith(_ZIP_MAGIC) and b"word/" in data:
        return _WORD
    if data.startswith(_OLE_MAGIC):
        return _OLE
    head = data[:64].removeprefix(codecs.BOM_UTF8).lstrip().lower()
    if head.startswith(b"{\\rtf"):
        return _RTF
    if head.startswith((b"<!doctype html", b"<html")):
        return _HTML
    return None


def document_from_bytes(path: str, data: bytes) -> Document:
    """Build a ``Document`` from raw bytes (no size check).

    Raises:
        LoadError: empty, in a format not read yet, binary or undecodable.
    """
    if not data:
        raise LoadError("empty file")
    kind = _sniff(data)
    if kind is not None:
        raise LoadError(f"the content is {kind[0]}, which is not read yet; {_ADVICE}")
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


def expand_paths(paths: list[str]) -> list[str]:
    """Expand directories into their ``.txt``/``.md`` files, sorted; keep files.

    A missing path is kept as given so that loading reports it.
    """
    return [path for path, _ in walk(paths)]


def walk(paths: list[str]) -> Iterator[tuple[str, bool | None]]:
    """The files ``expand_paths`` lists, in its order, one at a time.

    Yields ``(path, is_link)``; ``is_link`` is None for a path given as it
    is (not found in a directory). A directory's ``.txt`` / ``.md`` files
    below it (not in or below a hidden directory, not hidden themselves,
    links to directories not followed) come sorted by path, a given file or
    missing path as given. NOTE: this holds one directory's entries at a
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
            entries = [e for e in scan if not e.name.startswith(".")]
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

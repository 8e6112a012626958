"""Plain-text drafts: bytes to text (encoding, BOM) and line endings.

The first input format; others (Word, web pages, PDF) get a module beside it
that turns their bytes into text the same way, for ``load`` to choose.
"""

from __future__ import annotations

import codecs
import re

from .errors import LoadError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


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


_UTF8_EVIDENCE = 4

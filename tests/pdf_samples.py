"""Small PDF files written by hand for the PDF reader's tests.

``minimal_pdf`` writes a valid PDF 1.4 file (cross-reference table with the
real offsets) whose pages show ASCII lines in Helvetica (one of the 14
standard fonts every reader knows the widths of), or an image and no text
(a scan), or carry a password (the standard security handler, revision 2:
RC4 with a 40-bit key), so that each error path of the reader is met by a
real file. ``draft_pdf`` prints a text draft to PDF with headless Chromium
and the installed CJK font (real glyphs, real ruled tables).
"""

from __future__ import annotations

import hashlib
import html
import shutil
import subprocess
import zlib
from pathlib import Path

# The padding string of the standard security handler (PDF 1.7, 7.6.3.3).
_PAD = bytes.fromhex("28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a")


def _rc4(key: bytes, data: bytes) -> bytes:
    box = list(range(256))
    j = 0
    for i in range(256):
        j = (j + box[i] + key[i % len(key)]) % 256
        box[i], box[j] = box[j], box[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + box[i]) % 256
        box[i], box[j] = box[j], box[i]
        out.append(byte ^ box[(box[i] + box[j]) % 256])
    return bytes(out)


def _encrypt_dict(user: bytes, owner: bytes, file_id: bytes) -> bytes:
    """``/Encrypt`` of revision 2 for the passwords (algorithms 2, 3 and 4)."""
    owner_key = hashlib.md5((owner + _PAD)[:32]).digest()[:5]
    o_entry = _rc4(owner_key, (user + _PAD)[:32])
    permissions = (-4).to_bytes(4, "little", signed=True)
    key = hashlib.md5((user + _PAD)[:32] + o_entry + permissions + file_id).digest()
    u_entry = _rc4(key[:5], _PAD)
    return (
        b"<< /Filter /Standard /V 1 /R 2 /P -4 /O <"
        + o_entry.hex().encode()
        + b"> /U <"
        + u_entry.hex().encode()
        + b"> >>"
    )


Line = str | tuple[float, float, str]


def _text_stream(lines: list[Line], turned: bool = False) -> bytes:
    """Lines flowing down from the top left, or placed at ``(x, y, text)``.

    ``y`` is measured from the top of the page to the baseline. ``turned``:
    the page is shown turned 90° clockwise, so the text is drawn turned
    90° the other way (a shown ``(x, y)`` is the file's ``(y, x)``).
    """
    ops = ["BT /F1 12 Tf 16 TL"]
    flow_y = 72.0
    for line in lines:
        if isinstance(line, str):
            x, y, text = 72.0, flow_y, line
            flow_y += 16
        else:
            x, y, text = line
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        if turned:
            ops.append(f"0 1 -1 0 {y} {x} Tm ({escaped}) Tj")
        else:
            ops.append(f"1 0 0 1 {x} {842 - y} Tm ({escaped}) Tj")
    ops.append("ET")
    return "\n".join(ops).encode("latin-1")


def _stream(body: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d%s >>\nstream\n%s\nendstream" % (len(body), extra, body)


def minimal_pdf(
    pages: list[list[Line]],
    *,
    password: str | None = None,
    image: bool = False,
    broken_stream: bool = False,
    font: str = "Helvetica",
    turned: bool = False,
    rules: list[list[tuple[float, float, float, float]]] | None = None,
    padded_to: int = 0,
) -> bytes:
    """A PDF whose pages show ``pages`` (ASCII lines, see ``_text_stream``).

    ``image``: each page shows a grey image and no text (a scan).
    ``password``: encrypted with that user password.
    ``broken_stream``: page contents claim Flate compression but are not.
    ``font``: a standard font (``Courier``: every character 0.6 em wide).
    ``padded_to``: page contents Flate-compressed, padded with blanks to
    inflate to this many bytes.
    ``rules``: per page, lines ``(x0, y0, x1, y1)`` (from the top left) drawn
    as table rules.
    ``turned``: pages laid landscape in the file and shown turned 90°
    (``/Rotate 90``), the text drawn turned back so it reads across.
    """
    objects: dict[int, bytes] = {}
    count = len(pages)
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(count))
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[2] = f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode()
    objects[3] = b"<< /Type /Font /Subtype /Type1 /BaseFont /%s >>" % font.encode()
    image_ref = 4 + 2 * count
    for i, lines in enumerate(pages):
        page, content = 4 + 2 * i, 5 + 2 * i
        resources = b"<< /Font << /F1 3 0 R >>"
        if image:
            resources += b" /XObject << /Im1 %d 0 R >>" % image_ref
        resources += b" >>"
        box = b"[0 0 842 595] /Rotate 90" if turned else b"[0 0 595 842]"
        objects[page] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox "
            + box
            + b" /Resources "
            + resources
            + b" /Contents %d 0 R >>" % content
        )
        body = (
            b"q 400 0 0 500 90 200 cm /Im1 Do Q"
            if image
            else _text_stream(lines, turned)
        )
        if rules is not None:
            body += b"\n0.5 w " + b" ".join(
                b"%.2f %.2f m %.2f %.2f l S" % (x0, 842 - y0, x1, 842 - y1)
                for x0, y0, x1, y1 in rules[i]
            )
        if padded_to:
            body += b" " * max(0, padded_to - len(body))
            objects[content] = _stream(zlib.compress(body, 9), b" /Filter /FlateDecode")
        elif broken_stream:
            objects[content] = _stream(
                b"x\x9c" + bytes(range(7, 200)), b" /Filter /FlateDecode"
            )
        else:
            objects[content] = _stream(body)
    if image:
        pixels = zlib.compress(
            bytes((x * 7 + y) % 256 for y in range(64) for x in range(64))
        )
        objects[image_ref] = _stream(
            pixels,
            b" /Type /XObject /Subtype /Image /Width 64 /Height 64"
            b" /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode",
        )
    file_id = hashlib.md5(b"disclosure-lint test").digest()
    trailer_extra = b" /ID [<%s> <%s>]" % (
        file_id.hex().encode(),
        file_id.hex().encode(),
    )
    if password is not None:
        encrypt = max(objects) + 1
        objects[encrypt] = _encrypt_dict(password.encode(), b"owner", file_id)
        trailer_extra += b" /Encrypt %d 0 R" % encrypt
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    xref = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number]
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        size,
        trailer_extra,
        xref,
    )
    return bytes(out)


STYLE = """
@page { size: A4; margin: 22mm 25mm;
  @bottom-center { content: "- " counter(page) " -"; font-size: 10pt; } }
body { font-family: "WenQuanYi Micro Hei", sans-serif; font-size: 12pt; }
p { text-indent: 2em; margin: 0 0 2pt 0; text-align: justify; line-height: 1.5; }
h1 { font-size: 18pt; text-align: center; }
table { border-collapse: collapse; margin: 4pt 0; font-size: 9pt; }
td { border: 0.75pt solid black; padding: 2pt 3pt; }
"""


def draft_html(text: str) -> str:
    """A web page laid out as an office prints a draft: title, paragraphs, tables.

    Consecutive lines with tabs are one ruled table (each tab-separated
    field a cell); every other line is a paragraph with a first-line indent.
    """
    lines = [line for line in text.split("\n") if line.strip()]
    parts = [f"<h1>{html.escape(lines[0])}</h1>"]
    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            width = max(len(r) for r in rows)
            body = "".join(
                "<tr>"
                + "".join(
                    f"<td>{html.escape(c)}</td>" for c in r + [""] * (width - len(r))
                )
                + "</tr>"
                for r in rows
            )
            parts.append(f"<table>{body}</table>")
            rows.clear()

    for line in lines[1:]:
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        flush()
        parts.append(f"<p>{html.escape(line)}</p>")
    flush()
    return (
        '<!doctype html><html><head><meta charset="utf-8">'
        f"<style>{STYLE}</style></head><body>{''.join(parts)}</body></html>"
    )


def ruled_table(
    left: float, top: float, widths: list[float], rows: list[list[str]]
) -> tuple[list[Line], list[tuple[float, float, float, float]]]:
    """Text placed in a grid of cells 20 points high, and the grid's rules."""
    edges = [sum(widths[:i]) + left for i in range(len(widths) + 1)]
    bottom = top + 20 * len(rows)
    rules = [(x, top, x, bottom) for x in edges]
    rules += [
        (edges[0], top + 20 * i, edges[-1], top + 20 * i) for i in range(len(rows) + 1)
    ]
    placed: list[Line] = [
        (edges[c] + 3, top + 20 * r + 15, text)
        for r, row in enumerate(rows)
        for c, text in enumerate(row)
        if text
    ]
    return placed, rules


def chromium() -> str | None:
    """Headless Chromium, where installed."""
    found = shutil.which("chromium")
    if found is None and Path("/usr/bin/chromium").exists():
        found = "/usr/bin/chromium"
    return found


def print_to_pdf(page_html: str, tmp: Path, name: str = "draft") -> Path:
    """Print ``page_html`` to ``tmp/name.pdf`` with headless Chromium."""
    browser = chromium()
    assert browser is not None, "headless Chromium is needed: apt-get install chromium"
    source = tmp / f"{name}.html"
    source.write_text(page_html, encoding="utf-8")
    target = tmp / f"{name}.pdf"
    profile = tmp / f"profile-{name}"
    profile.mkdir(exist_ok=True)
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={profile}",
            f"--print-to-pdf={target}",
            source.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return target

"""The parts of a .docx package the reader needs, found and parsed safely.

``open_archive`` and ``check_archive`` refuse a damaged archive or a zip bomb
before anything is decompressed (member count, declared sizes, compression
ratio). ``Package`` finds the main document part and the parts it relates to
(numbering, styles, comments) and parses each with lxml when asked: the
parser neither expands entities nor loads DTDs or network resources, and a
part that declares a DTD is refused. The styles part can be read a chunk at
a time (``Package.elements``, for ``docx_styles``).
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Callable
from io import BytesIO
from typing import Any, TypeVar

from lxml import etree

from .errors import LoadError
from .load import MAX_BYTES

#: The archive may not decompress to more than this, in all.
MAX_UNZIPPED = 4 * MAX_BYTES
#: Nor hold more members than this (a real .docx has a few dozen).
MAX_MEMBERS = 5_000
#: A member larger than ``_RATIO_FLOOR`` compressed more than this is a bomb
#: (XML compresses 5-20 times; a zip bomb thousands of times).
MAX_RATIO = 200
_RATIO_FLOOR = 1024 * 1024
_T = TypeVar("_T")


def open_archive(data: bytes) -> zipfile.ZipFile:
    """``data`` opened as a ZIP archive (its central directory read).

    Raises:
        LoadError: not a ZIP archive zipfile can read.
    """
    try:
        return zipfile.ZipFile(BytesIO(data))
    except _ZIP_ERRORS as exc:
        reason = _line(exc)
        raise LoadError(f"not a valid .docx (damaged ZIP archive: {reason})") from None


_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    ValueError,
    OSError,
    NotImplementedError,
)


def check_archive(archive: zipfile.ZipFile) -> None:
    """Refuse a zip bomb before anything is decompressed.

    NOTE: the sizes checked are the ones the archive declares; Python's
    zipfile never returns more than the declared size of a member, so a
    member cannot lie its way past them.

    Raises:
        LoadError: one line saying what is wrong.
    """
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise LoadError(
            f"not a valid .docx ({len(infos)} parts; more than {MAX_MEMBERS})"
        )
    total = sum(info.file_size for info in infos)
    if total > MAX_UNZIPPED:
        raise LoadError(
            f"refused: the .docx would decompress to {total / 1_048_576:.0f} MB "
            f"(more than {MAX_UNZIPPED // 1_048_576} MB; a zip bomb?)"
        )
    for info in infos:
        if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(
            1, info.compress_size
        ):
            raise LoadError(
                f"refused: part {info.filename[:60]} of the .docx is compressed "
                f"{info.file_size // max(1, info.compress_size)} times "
                f"(more than {MAX_RATIO}; a zip bomb?)"
            )


class Package:
    """The parts of a .docx package the reader needs, each parsed when asked.

    NOTE: written on zipfile and lxml rather than python-docx's package
    reader, which decompresses and keeps every part of the package
    (``stylesWithEffects.xml``, themes, images…) and whose import adds about
    35 ms to a cold start: measured, 2 ms a file and more than a tenth of
    the cold start of one document. Reading needs three of its lookups only
    (ECMA-376 part 2, §9 and §10): the package relationship to the main
    document, that part's content type, and the targets of its own
    relationships to the numbering, styles and comments parts. python-docx
    still writes documents (``--annotate``, ``--fix``).
    """

    def __init__(self, archive: zipfile.ZipFile) -> None:
        """Find and parse the main document part of ``archive``.

        Raises:
            LoadError: not a Word document, or a part that cannot be read.
        """
        self._archive = archive
        self._parser = etree.XMLParser(**_PARSER)
        self._parsed: dict[str, Any] = {}
        name = self._guarded(self._main_part)
        self.document = self._guarded(lambda: self._parse(name))
        self._related = self._guarded(lambda: self._targets(name))

    def part(self, kind: str) -> Any | None:
        """The root of the related part ``kind`` (``numbering``…), or None.

        Raises:
            LoadError: the part cannot be read.
        """
        name = self._related.get(kind)
        if name is None:
            return None
        if name not in self._parsed:
            self._parsed[name] = self._guarded(lambda: self._parse(name))
        return self._parsed[name]

    def elements(self, kind: str, tag: str) -> Callable[[], list[Any] | None]:
        """``more()``: the elements ``tag`` of the next chunk of part ``kind``.

        ``more()`` returns None once the part is read (or if there is none).
        NOTE: for the styles part, read only as far as needed (``docx_styles``);
        the same parser settings, a DTD refused the same way.

        Raises (when called):
            LoadError: the part cannot be read.
        """
        name = self._related.get(kind)
        if name is None:
            return lambda: None
        chunks = _Chunks(self._archive, name, tag)
        return lambda: self._guarded(chunks.next)

    def _guarded(self, read: Callable[[], _T]) -> _T:
        """``read()``, any failure of zipfile or lxml a one-line ``LoadError``."""
        try:
            return read()
        except LoadError:
            raise
        except Exception as exc:  # NOTE: zipfile and lxml raise many kinds
            raise LoadError(f"not a valid .docx ({_line(exc)})") from None

    def _main_part(self) -> str:
        """The member name of the main document part (``word/document.xml``)."""
        for rel in self._relationships("_rels/.rels", "/"):
            kind, target = rel
            if kind == _RELS + "officeDocument":
                content_type = self._content_type(target)
                if content_type not in _MAIN_TYPES:
                    raise LoadError(
                        f"not a Word document (its main part is {content_type})"
                    )
                return target
        raise LoadError("not a valid .docx (no main document part)")

    def _targets(self, name: str) -> dict[str, str]:
        """The first internal target of each relationship kind the reader reads."""
        folder, _, base = name.rpartition("/")
        rels = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
        out: dict[str, str] = {}
        for kind, target in self._relationships(rels, "/" + folder):
            short = kind.rpartition("/")[2]
            if short in _RELATED and short not in out:
                out[short] = target
        return out

    def _relationships(self, member: str, base: str) -> list[tuple[str, str]]:
        """(type, target's member name) of ``member``'s internal relationships."""
        try:
            root = self._parse(member)
        except KeyError:  # NOTE: a part without relationships has no .rels
            return []
        out: list[tuple[str, str]] = []
        for rel in root.iterchildren(_REL):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target")
            if target is None:
                continue
            # NOTE: a target is a URI relative to the source's folder
            # ("styles.xml", "../customXml/item1.xml") or absolute ("/word/…").
            path = posixpath.normpath(posixpath.join(base, target))
            out.append((rel.get("Type", ""), path.lstrip("/")))
        return out

    def _content_type(self, name: str) -> str:
        """The content type ``[Content_Types].xml`` gives the part ``name``."""
        types = self._parse("[Content_Types].xml")
        wanted = "/" + name.lower()
        for override in types.iterchildren(_CT + "Override"):
            if override.get("PartName", "").lower() == wanted:
                return str(override.get("ContentType", ""))
        extension = name.rpartition(".")[2].lower()
        for default in types.iterchildren(_CT + "Default"):
            if default.get("Extension", "").lower() == extension:
                return str(default.get("ContentType", ""))
        raise LoadError(f"not a valid .docx (no content type for {name[:60]})")

    def _parse(self, member: str) -> Any:
        """One XML part; one with a DTD is refused.

        NOTE: the parser neither expands entities nor fetches anything, but
        an entity left unexpanded would silently cut the text it is in; Word
        never writes a DOCTYPE, so a part that has one is refused instead.
        """
        root = etree.fromstring(self._archive.read(member), self._parser)
        _refuse_dtd(root)
        return root


class _Chunks:
    """The elements ``tag`` of one part, parsed a chunk at a time."""

    def __init__(self, archive: zipfile.ZipFile, name: str, tag: str) -> None:
        """Nothing read yet (the part is opened by the first ``next``)."""
        self._archive = archive
        self._name = name
        self._stream: Any = None
        self._done = False
        self._parser = etree.XMLPullParser(events=("end",), tag=tag, **_PARSER)

    def next(self) -> list[Any] | None:
        """The elements completed in the next chunk; None at the end."""
        if self._done:
            return None
        if self._stream is None:
            self._stream = self._archive.open(self._name)
        chunk = self._stream.read(_CHUNK)
        if chunk:
            self._parser.feed(chunk)
        else:
            self._done = True
            _refuse_dtd(self._parser.close())
        found = [element for _, element in self._parser.read_events()]
        if found:
            _refuse_dtd(found[0])
        return found if found or not self._done else None


def _refuse_dtd(element: Any) -> None:
    """Refuse a part whose document (that of ``element``) declares a DTD."""
    if element.getroottree().docinfo.doctype:
        raise LoadError("refused: an XML part of the .docx declares a DTD (entities)")


#: The parser's settings: no entity expanded, no DTD loaded, nothing fetched.
_PARSER: dict[str, Any] = {
    "remove_blank_text": True,
    "resolve_entities": False,
    "load_dtd": False,
    "no_network": True,
}
_CHUNK = 16 * 1024  # bytes of a part parsed at a time when read incrementally
_RELATED = ("numbering", "styles", "comments")
_MAIN_TYPES = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"


def _line(exc: BaseException) -> str:
    """The first line of an exception's message, short."""
    text = str(exc).strip().splitlines()
    message = text[0] if text else type(exc).__name__
    return message[:120]


_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

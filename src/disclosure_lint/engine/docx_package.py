"""A ``.docx`` package rewritten with one part changed, every other kept.

``--fix`` on a Word document changes the main document part only: every
other member of the ZIP archive is written back with the same bytes, in the
same order and with the same compression, and the main part keeps its XML
declaration as it was (lxml would write its own). The part is parsed without
entities, network or DTDs, and with its blank text kept, so that nothing
outside the changed runs moves.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from lxml import etree

from .fixes import FixError

_RELS = "_rels/.rels"
_OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)
_ID = re.compile(rb'\bw:id="(-?\d+)"')


def _parser() -> Any:
    # NOTE: no entities, no network, and blank text kept: the part is
    # written back, and whitespace outside the changed runs must not move.
    return etree.XMLParser(
        resolve_entities=False, no_network=True, remove_blank_text=False
    )


class Package:
    """The members of a ``.docx`` ZIP archive, to write back all but one."""

    def __init__(self, data: bytes) -> None:
        """Read every member (the reader has already bounded their sizes).

        Raises:
            FixError: not a readable package.
        """
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                self.infos = archive.infolist()
                self.members = {i.filename: archive.read(i) for i in self.infos}
                self.comment = archive.comment
            self.main = self._main_part()
        except (zipfile.BadZipFile, OSError, KeyError, etree.XMLSyntaxError) as exc:
            raise FixError(f"cannot read the package: {exc}") from None

    def _main_part(self) -> str:
        """The name of the main document part (``word/document.xml``)."""
        rels = self.members.get(_RELS)
        if rels is not None:
            root = etree.fromstring(rels, _parser())
            for rel in root:
                if rel.get("Type") == _OFFICE_DOCUMENT and rel.get("Target"):
                    name = str(rel.get("Target")).lstrip("/")
                    if name in self.members:
                        return name
        if "word/document.xml" in self.members:
            return "word/document.xml"
        raise FixError("the package has no main document part")

    def document(self) -> Any:
        """The main part's root element, freshly parsed.

        Raises:
            FixError: the part is not well-formed XML.
        """
        try:
            return etree.fromstring(self.members[self.main], _parser())
        except etree.XMLSyntaxError as exc:
            raise FixError(f"cannot read the document part: {exc}") from None

    def with_document(self, root: Any) -> bytes:
        """The package bytes with the main part replaced by ``root``."""
        old = self.members[self.main]
        head = b""
        if old.startswith(b"<?xml"):
            end = old.index(b"?>") + 2
            head = old[:end] + old[end : len(old) - len(old[end:].lstrip())]
        body = etree.tostring(root, encoding="UTF-8", xml_declaration=False)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            for info in self.infos:
                data = (
                    head + body
                    if info.filename == self.main
                    else self.members[info.filename]
                )
                archive.writestr(info, data)
            archive.comment = self.comment
        return out.getvalue()

    def next_id(self) -> int:
        """An id above every ``w:id`` of the package's XML parts."""
        top = 0
        for name, data in self.members.items():
            if name.endswith(".xml"):
                top = max([top, *(int(m) for m in _ID.findall(data))])
        return top + 1

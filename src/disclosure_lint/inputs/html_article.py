"""Which part of a web page is the report: found by structure and text density.

A published report sits in a page of site chrome: menus, a breadcrumb, share
buttons, related links, a footer with the site's address. No per-site rule
says where: as readability tools do, every element is measured (characters
of text, characters inside links, number of links), and the walk goes down
from ``<body>`` into the child that holds nearly all of the text outside
links, until the text is spread over several children (the paragraphs and
tables of the article). A data table is never gone into (its cells are the
article's), a layout table only where one cell holds the text.

The report's title is often outside that element (a heading above the
source and date line): the nearest element before the article whose whole
text is part of the page's ``<title>`` is taken as the title, else the
nearest ``<h1>``.

Inside the article, scripts, styles, forms' controls, hidden elements and
blocks that are mostly links (share bars, "related links") are skipped.
"""

from __future__ import annotations

from typing import Any

# Never text of the article (chrome, code, media, form controls).
DROP = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "svg",
        "math",
        "canvas",
        "video",
        "audio",
        "map",
        "button",
        "select",
        "input",
        "textarea",
        "option",
        "nav",
        "aside",
        "head",
        "title",
        "meta",
        "link",
    ]
)
_TABLE_PARTS = frozenset(("table", "thead", "tbody", "tfoot", "tr"))
_CHROME_BLOCKS = frozenset(("div", "ul", "ol", "dl", "p", "section", "span", "li"))
_CHROME_CONTAINERS = frozenset(("div", "ul", "ol", "dl", "section"))
_CHROME_WORDS = 10
_SENTENCE_ENDS = ("。", "；", "！", "？", ".", ";")
# A child holding this share of its parent's text (outside links) is gone into.
RATIO = 0.8
# A table cell with more text than this is page layout, not data.
LAYOUT_CELL_TEXT = 300
# How far up from the article, and how many elements back, a title is looked for.
_TITLE_LEVELS = 8
_TITLE_LOOKBACK = 300
_TITLE_MIN, _TITLE_MAX = 4, 120


def tag_of(el: Any) -> str:
    """The lower-case tag name, or ``""`` for a comment or processing instruction."""
    tag = el.tag
    return tag.lower() if isinstance(tag, str) else ""


def hidden(el: Any) -> bool:
    """Whether ``el`` is hidden by its own ``hidden`` attribute or inline style."""
    if el.get("hidden") is not None:
        return True
    style = el.get("style")
    if not style:
        return False
    flat = "".join(style.split()).lower()
    return "display:none" in flat or "visibility:hidden" in flat


def _count(text: str | None) -> int:
    """Characters of ``text`` other than white space."""
    if not text:
        return 0
    return sum(len(part) for part in text.split())


class Stats:
    """Text, link text and links of every element with text (one walk)."""

    __slots__ = ("_by",)

    def __init__(self, root: Any) -> None:
        """Measure the tree at ``root``."""
        self._by: dict[Any, tuple[int, int, int]] = {}
        self._measure(root, False, 0)

    def _measure(self, el: Any, in_link: bool, depth: int) -> tuple[int, int, int]:
        tag = tag_of(el)
        if not tag or tag in DROP or hidden(el) or depth > 400:
            return 0, 0, 0
        is_link = tag == "a" and el.get("href") is not None
        inside = in_link or is_link
        text = _count(el.text)
        link = text if inside else 0
        links = int(is_link)
        for child in el:
            c_text, c_link, c_links = self._measure(child, inside, depth + 1)
            tail = _count(child.tail)
            text += c_text + tail
            link += c_link + (tail if inside else 0)
            links += c_links
        if text:
            self._by[el] = (text, link, links)
        return text, link, links

    def text(self, el: Any) -> int:
        """Characters of text under ``el`` (not counting skipped parts)."""
        return self._by.get(el, (0, 0, 0))[0]

    def outside_links(self, el: Any) -> int:
        """Characters of text under ``el`` that are not inside a link."""
        text, link, _links = self._by.get(el, (0, 0, 0))
        return text - link

    def chrome(self, el: Any) -> bool:
        """A block of several links with little else: a menu, share bar, link list."""
        found = self._by.get(el)
        if found is None or tag_of(el) not in _CHROME_BLOCKS:
            return False
        text, link, links = found
        if links < 2 or link * 2 < text:
            return False
        if tag_of(el) in _CHROME_CONTAINERS:
            return True
        # NOTE: a paragraph of the report may cite two documents by links
        # ("详见《条例》和《通知》。"); a share bar has only a word or two
        # outside its links ("分享到："), and no sentence.
        if text - link > _CHROME_WORDS:
            return False
        words = "".join(el.xpath(".//text()[not(ancestor::a)]"))
        return not any(mark in words for mark in _SENTENCE_ENDS)


def layout_table(table: Any, stats: Stats) -> bool:
    """Whether ``table`` lays out the page: a cell holds a table or long text.

    NOTE: a cell of a report's data table holds a number or a label of a
    few dozen characters; old sites put menus and the whole article in the
    cells of a table.
    """
    for cell in table.iter("td", "th"):
        if stats.text(cell) > LAYOUT_CELL_TEXT or any(True for _ in cell.iter("table")):
            return True
    return False


def choose(root: Any, stats: Stats) -> Any:
    """The element that holds the article."""
    body = next((el for el in root.iter("body")), root)
    node = body
    while True:
        kids = [kid for kid in node if stats.text(kid)]
        if not kids:
            return node
        best = max(kids, key=stats.outside_links)
        if stats.outside_links(best) < RATIO * stats.outside_links(node):
            return node
        if tag_of(best) in _TABLE_PARTS:
            cell = _layout_cell(best, stats)
            if cell is None:
                return node
            best = cell
        node = best


def _layout_cell(table: Any, stats: Stats) -> Any | None:
    """The cell of a layout table that holds its text, if one does."""
    total = stats.outside_links(table)
    cells = [
        el
        for el in table.iter("td", "th")
        if not any(tag_of(a) == "table" for a in _between(el, table))
    ]
    if not cells:
        return None
    best = max(cells, key=stats.outside_links)
    return best if stats.outside_links(best) >= RATIO * total else None


def _between(el: Any, top: Any) -> list[Any]:
    """The ancestors of ``el`` below ``top``."""
    out = []
    parent = el.getparent()
    while parent is not None and parent is not top:
        out.append(parent)
        parent = parent.getparent()
    return out


def _squash(text: str) -> str:
    return "".join(text.split())


def page_title(root: Any) -> str:
    """The page's ``<title>`` and ``og:title``, white space removed."""
    found = [el.text_content() for el in root.iter("title")]
    for meta in root.iter("meta"):
        if (meta.get("property") or "").lower() == "og:title":
            found.append(meta.get("content") or "")
    return "\n".join(_squash(text) for text in found)


def find_title(root: Any, article: Any, stats: Stats) -> Any | None:
    """The report's title before ``article``, if it is outside it."""
    wanted = page_title(root)
    ancestors = {id(a) for a in article.iterancestors()}
    top = article
    for _level in range(_TITLE_LEVELS):
        parent = top.getparent()
        if parent is None:
            break
        top = parent
    before: list[Any] = []
    for el in top.iter():
        if el is article:
            break
        before.append(el)
    before = before[-_TITLE_LOOKBACK:]
    heading = None
    for el in reversed(before):
        if id(el) in ancestors or not stats.text(el) or stats.outside_links(el) == 0:
            continue
        text = _squash(el.text_content())
        if not _TITLE_MIN <= len(text) <= _TITLE_MAX:
            continue
        if len(text) >= 6 and text in wanted:
            return _unless_repeated(el, text, article)
        if heading is None and tag_of(el) == "h1":
            heading = el
    if heading is not None:
        return _unless_repeated(heading, _squash(heading.text_content()), article)
    return None


def _unless_repeated(el: Any, text: str, article: Any) -> Any | None:
    """``el`` unless the article itself starts with the same title."""
    start = _squash("".join(_first_text(article, len(text))))
    return None if start.startswith(text) else el


def _first_text(el: Any, size: int) -> list[str]:
    out: list[str] = []
    total = 0
    for piece in el.itertext():
        out.append(piece)
        total += len(piece)
        if total > 4 * size + 64:
            break
    return out

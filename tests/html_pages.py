"""Published-web-page renderings of text drafts, built for the cross-form tests.

``page(text, seed)`` wraps a ``.txt`` draft in what a government site puts
around a report (a navigation menu, search box, breadcrumb, source/date
line, share buttons, related links, a footer with the site's address,
scripts and styles) and marks it up as a CMS that received it from Word
does: paragraphs split into ``<span>`` runs at arbitrary characters, line
breaks and indentation in the source between runs, ``&nbsp;`` for spaces,
character references, and tables whose empty cells next to or below a
filled one are merged into it with ``colspan``/``rowspan``, the cells'
text split into several ``<p>``.
"""

from __future__ import annotations

import random
from html import escape

NAV = ["首页", "政务公开", "政府信息公开", "办事服务", "互动交流", "走进本县"]
FOOTER = (
    "<p>主办单位：县人民政府办公室　承办单位：县大数据服务中心</p>"
    "<p>地址：人民路1号　电话：0591-12345678　网站标识码：3500000001</p>"
    '<p><a href="/map">网站地图</a> | <a href="/contact">联系我们</a></p>'
)


def wide(char: str) -> bool:
    """Chinese text or punctuation (as the reader decides)."""
    code = ord(char)
    return 0x2E80 <= code <= 0x9FFF or 0xFF00 <= code <= 0xFFEF


def inline(text: str, rnd: random.Random) -> str:
    """``text`` as Word-pasted markup: runs, references, source line breaks."""
    out: list[str] = ['<span style="font-family: 宋体;">']
    for i, char in enumerate(text):
        if i and rnd.random() < 0.08:
            between_wide = wide(text[i - 1]) and wide(char)
            gap = "\n        " if between_wide and rnd.random() < 0.5 else ""
            out.append(f"</span>{gap}<span>")
        if char in (" ", "\xa0"):
            out.append("&nbsp;")
        elif wide(char) and rnd.random() < 0.03:
            out.append(f"&#x{ord(char):x};")
        else:
            out.append(escape(char, quote=False))
    out.append("</span>")
    return "".join(out)


def cell(text: str, rnd: random.Random) -> str:
    """A cell's content: one or two ``<p>`` (split only inside Chinese text)."""
    cuts = [i for i in range(1, len(text)) if wide(text[i - 1]) and wide(text[i])]
    if cuts and rnd.random() < 0.3:
        at = rnd.choice(cuts)
        parts = [text[:at], text[at:]]
    else:
        parts = [text]
    return "".join(
        f'<p style="text-indent: 0em;">{inline(part, rnd)}\n &nbsp; &nbsp;</p>'
        for part in parts
    )


def table(rows: list[list[str]], rnd: random.Random) -> str:
    """A table whose empty cells are merged into a filled neighbour by spans."""
    width = max(len(row) for row in rows)
    grid = [row + [""] * (width - len(row)) for row in rows]
    covered: set[tuple[int, int]] = set()
    out = ['<table border="1" cellspacing="0"><tbody>']
    for r, row in enumerate(grid):
        out.append("<tr>")
        for c, text in enumerate(row):
            if (r, c) in covered:
                continue
            colspan = rowspan = 1
            if text:
                while (
                    c + colspan < width
                    and not grid[r][c + colspan]
                    and (r, c + colspan) not in covered
                    and rnd.random() < 0.8
                ):
                    colspan += 1
                while (
                    r + rowspan < len(grid)
                    and all(
                        not grid[r + rowspan][cc] and (r + rowspan, cc) not in covered
                        for cc in range(c, c + colspan)
                    )
                    and rnd.random() < 0.8
                ):
                    rowspan += 1
            for rr in range(r, r + rowspan):
                for cc in range(c, c + colspan):
                    covered.add((rr, cc))
            spans = (f' colspan="{colspan}"' if colspan > 1 else "") + (
                f' rowspan="{rowspan}"' if rowspan > 1 else ""
            )
            out.append(
                f'<td{spans} valign="center">{cell(text, rnd) if text else ""}</td>'
            )
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def article(lines: list[str], rnd: random.Random) -> str:
    """The report's body: paragraphs and tables (runs of lines with tabs)."""
    out: list[str] = []
    rows: list[list[str]] = []
    for line in [*lines, ""]:
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        if rows:
            out.append(table(rows, rnd))
            rows = []
        if line.strip():
            indent = "text-indent: 2em;"
            out.append(f'<p style="{indent}">{inline(line, rnd)}</p>\n')
        elif rnd.random() < 0.3:
            out.append("<p>&nbsp;</p>")
    return "".join(out)


def title_of(lines: list[str]) -> str | None:
    """The draft's title: its first line, if it names a report."""
    first = next((line for line in lines if line.strip()), "")
    if "报告" in first and "\t" not in first and len(first) < 80:
        return first
    return None


def page(text: str, seed: int = 0) -> str:
    """The web page that publishes the draft ``text``."""
    rnd = random.Random(seed)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    title = title_of(lines)
    if title is not None:
        lines = lines[lines.index(title) + 1 :]
    heading = "" if title is None else escape(title)
    nav = "".join(f'<li><a href="/{i}/">{name}</a></li>' for i, name in enumerate(NAV))
    body = article(lines, rnd)
    if seed % 2:
        # An older site: the layout is a table, the article in one cell.
        frame = (
            '<table width="100%"><tr><td class="left">'
            f'<ul class="menu">{nav}</ul></td><td class="main">'
            f'<div class="title"><strong>{heading}</strong></div>'
            f'<div class="text">{body}</div></td></tr></table>'
        )
    else:
        frame = (
            f'<div class="article"><h1 class="article_title">{heading}</h1>'
            '<div class="info">来源：县人民政府办公室　发布时间：2022-01-20</div>'
            '<div class="share">分享到：<a href="#wx">微信</a>'
            '<a href="#wb">微博</a><a href="#qq">QQ空间</a></div>'
            f'<div class="content"><div class="TRS_Editor">{body}</div></div>'
            '<div class="related">相关链接：<a href="/a">2020年年报</a>'
            '<a href="/b">2019年年报</a></div></div>'
        )
    return (
        "<!DOCTYPE html>\n<html>\n<head>\n"
        '<meta charset="utf-8">\n'
        f"<title>{heading}_政府信息公开年报_县人民政府</title>\n"
        "<style>.article_title{font-size:22px}</style>\n"
        '<script>var menu = ["一、总体情况", "2021年1月1日"];\n'
        "if (a < b && c) {}</script>\n"
        "</head>\n<body>\n"
        f'<div class="header"><ul class="nav">{nav}</ul>'
        '<div class="search"><input type="text" value="请输入关键词">'
        "<button>搜索</button></div></div>\n"
        '<div class="crumb">当前位置：<a href="/">首页</a> &gt; '
        '<a href="/zwgk/">政务公开</a> &gt; <a href="/nb/">政府信息公开年报</a></div>\n'
        f"{frame}\n"
        f'<div class="footer">{FOOTER}</div>\n'
        "<script>\n  document.write('<p>访问量：12345</p>');\n</script>\n"
        "</body>\n</html>\n"
    )

"""Generate realistic drafts for benchmarks and fuzzing, from the examples.

Every draft starts from one of the project's own examples
(``examples/clean-2021.txt``, TSV tables, 2021 edition;
``examples/clean-2020.md``, markdown pipe tables, 2019 edition), then:

* its tables are re-laid out in one of the four layouts found in real drafts
  (``tsv``; ``markdown`` pipe tables; ``cells``, one cell per line with blank
  lines between, like seed 002; ``tabbed``, one tab-indented cell per line
  with a blank line between rows, like seeds 000 and 003);
* the agency name, the report year (every date moves with it, document
  numbers like 〔2021〕 do not) and the numbers (every table number and every
  counted number in the prose, ``8件``, multiplied by one factor so sums and
  balances still hold) are varied consistently;
* the narrative grows with new sentences made of the same example's clauses
  (those without digits), until the draft reaches its drawn size (5–15 KB
  by default);
* about half of the drafts get one to four defects of the kinds seen in
  ``examples/defects-2021.txt`` and FORMAT.md (statistics period of the
  wrong year, 截止 before a date, known typos taken from the TY001 rule pack,
  a missing or extra section, a stray 》, Word and web leftovers, a broken
  total, the 2019 tables in a 2021+ report...);
* a few drafts are saved as GB18030, UTF-8 with BOM or with CRLF endings.

Draft ``i`` of seed ``s`` is always the same text, so a corpus can be
regenerated anywhere. Usage::

    python benchmarks/corpus.py OUT_DIR --count 1000 [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
LAYOUTS = ("tsv", "markdown", "cells", "tabbed")
PER_DIR = 1000

_HEADING = re.compile(r"^[一二三四五六七八九十]{1,2}、")
_CAPTION = re.compile(r"^第二十条")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?=年|-|/|\.\d)")
_COUNTED = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(?=件|条|次|个|篇|家)")
_CELL_NUMBER = re.compile(r"^(-?)(\d+)(?:\.(\d+))?(万元)?$")
_NAME_CHARS = "东西南北安平新兴和清云桥阳泉宁丰源溪花石林湖河山松柏桃杏"
_SUFFIXES = ("镇", "乡")
_SENTENCE_END = "。"


@dataclass(slots=True)
class Block:
    """A line of text (``kind`` text/title/heading/caption) or a table."""

    kind: str
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)


@dataclass(slots=True)
class Template:
    """One example, parsed: its blocks and the facts the variations need."""

    edition: str
    year: int
    org: str
    county: str
    blocks: list[Block]
    sentences: list[str]


@dataclass(slots=True)
class Draft:
    """A generated draft and what was done to it."""

    name: str
    data: bytes
    edition: str
    layout: str
    year: int
    defects: list[str]


def parse_example(
    path: Path, edition: str, year: int, org: str, county: str
) -> Template:
    """Split an example into title, headings, captions, text and tables."""
    blocks: list[Block] = []
    lines = path.read_text(encoding="utf-8").split("\n")
    markdown = path.suffix == ".md"
    for number, raw in enumerate(lines):
        line = raw.rstrip("\r")
        row = _table_row(line, markdown)
        if row is not None:
            if row:  # NOTE: an empty list is a markdown separator row
                if not blocks or blocks[-1].kind != "table":
                    blocks.append(Block("table"))
                blocks[-1].rows.append(row)
            continue
        text = line.lstrip("#").strip() if markdown else line.strip()
        if text.startswith("**") and text.endswith("**"):
            text = text[2:-2]
        if number == 0:
            blocks.append(Block("title", text))
        elif _HEADING.match(text):
            blocks.append(Block("heading", text))
        elif _CAPTION.match(text):
            blocks.append(Block("caption", text))
        else:
            blocks.append(Block("text", text))
    return Template(edition, year, org, county, blocks, _sentences(blocks))


def _table_row(line: str, markdown: bool) -> list[str] | None:
    if markdown:
        if not line.startswith("|"):
            return None
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
            return []
        return cells
    if "\t" not in line:
        return None
    return line.split("\t")


def _sentences(blocks: list[Block]) -> list[str]:
    """Clauses of the narrative, to build new sentences from.

    NOTE: only clauses without digits: a draft grown with copies of its
    statistical sentences ("全年新收申请8件") would repeat them unrealistically
    often, and the prose-vs-table checks would run far more than on a real
    draft.
    """
    out: list[str] = []
    for block in blocks:
        if block.kind != "text" or len(block.text) < 30 or "统计期限" in block.text:
            continue
        text = re.sub(r"（[一二三四五六七八九十]）[^。，]{1,12}。", "", block.text)
        # NOTE: no 一是/二是 clauses either: shuffled, they would number a
        # clean draft's items out of order (TY008), a defect it must not have.
        text = re.sub(r"[一二三四五六七八九十]是", "", text)
        for piece in re.split(r"[。，；：]", text):
            piece = piece.strip()
            if (
                len(piece) >= 6
                and not re.search(r"\d", piece)
                and piece[0] not in "（("
            ):
                out.append(piece)
    return sorted(set(out))


def load_templates() -> dict[str, Template]:
    """The two clean examples, parsed."""
    return {
        "2021": parse_example(
            EXAMPLES / "clean-2021.txt", "2021", 2021, "青山镇", "青山县"
        ),
        "2019": parse_example(
            EXAMPLES / "clean-2020.md", "2019", 2020, "白河乡", "白河县"
        ),
    }


_CORPUS_TYPO_RULES = ("TY001", "TY002", "TY005")


def load_typos() -> list[tuple[str, str]]:
    """``(wrong, right)`` pairs of the substitution rules in the packs."""
    try:
        sys.path.insert(0, str(ROOT / "src"))
        from disclosure_lint.packs.load import load_packset

        pairs: list[tuple[str, str]] = []
        for rule in load_packset().all_rules():
            # NOTE: the typos of the first rules only: the sourced lists
            # (TY007, TY104, TY009) would change every draft made since.
            if rule.kind == "substitution" and rule.id in _CORPUS_TYPO_RULES:
                for item in rule.params.get("pairs") or []:
                    pairs.append((str(item["wrong"]), str(item["right"])))
        return pairs or [("前面做好", "全面做好")]
    except Exception:  # NOTE: the generator must work even with broken packs
        return [("前面做好", "全面做好")]


# --------------------------------------------------------------------------
# Variation


@dataclass(slots=True)
class _Job:
    rng: random.Random
    template: Template
    blocks: list[Block]
    year: int
    org: str
    short: str
    factor: int
    defects: list[str]


def _copy_blocks(blocks: list[Block]) -> list[Block]:
    return [Block(b.kind, b.text, [list(r) for r in b.rows]) for b in blocks]


def _name(rng: random.Random) -> str:
    return "".join(rng.sample(_NAME_CHARS, 2))


def _vary_text(text: str, job: _Job) -> str:
    template = job.template
    text = text.replace(template.org, job.org)
    text = text.replace(template.county, job.short + "县")
    text = text.replace(template.org[:-1], job.short)
    delta = job.year - template.year
    if delta:
        text = _YEAR.sub(lambda m: str(int(m.group(1)) + delta), text)
    if job.factor != 1:
        text = _COUNTED.sub(lambda m: _scale(m.group(1), job.factor), text)
    return text


def _scale(number: str, factor: int) -> str:
    if "." in number:
        decimals = len(number.split(".")[1])
        return f"{float(number) * factor:.{decimals}f}"
    return str(int(number) * factor)


def _vary_cell(cell: str, job: _Job) -> str:
    match = _CELL_NUMBER.match(cell.strip())
    if match is None or job.factor == 1:
        return _vary_text(cell, job)
    sign, whole, frac, unit = match.groups()
    number = f"{whole}.{frac}" if frac else whole
    return f"{sign}{_scale(number, job.factor)}{unit or ''}"


def _paragraph(text: str) -> tuple[Block, Block]:
    return Block("text", text), Block("text", "")


def _grow(job: _Job, target: int) -> None:
    """Add reshuffled narrative paragraphs to sections 一 and 五."""
    sentences = [_vary_text(s, job) for s in job.template.sentences]
    if not sentences:
        return
    size = sum(
        len(b.text.encode()) + sum(len("".join(r).encode()) for r in b.rows)
        for b in job.blocks
    )
    paragraphs: list[str] = []
    choice, randint = job.rng.choice, job.rng.randint
    while size < target:
        paragraph = "".join(
            "，".join(choice(sentences) for _ in range(randint(2, 4))) + "。"
            for _ in range(randint(2, 5))
        )
        paragraphs.append(paragraph)
        size += len(paragraph.encode()) + 2
    anchors = [i for i, b in enumerate(job.blocks) if b.kind == "heading"]
    if len(anchors) < 2:
        return
    # NOTE: two thirds before section 二 (the overview is the long part of a
    # real draft), the rest before section 六 (problems and improvements).
    split = (len(paragraphs) * 2) // 3
    early = [
        b for p in paragraphs[:split] for b in (Block("text", p), Block("text", ""))
    ]
    late = [
        b for p in paragraphs[split:] for b in (Block("text", p), Block("text", ""))
    ]
    first, last = anchors[1], anchors[-1]
    blocks = job.blocks
    job.blocks = blocks[:first] + early + blocks[first:last] + late + blocks[last:]


# --------------------------------------------------------------------------
# Defects: each takes the job, changes its blocks, returns False if it could
# not apply to this draft.


def _text_blocks(job: _Job) -> list[Block]:
    return [b for b in job.blocks if b.kind == "text" and len(b.text) > 20]


def _d_period_year(job: _Job) -> bool:
    for block in job.blocks:
        if "统计期限" in block.text:
            year = str(job.year)
            block.text = block.text.replace(
                f"{year}年1月1日", f"{job.year - 1}年1月1日"
            )
            block.text = block.text.replace(
                f"{year}年12月31日", f"{job.year - 1}年12月31日"
            )
            return True
    return False


def _d_jiezhi(job: _Job) -> bool:
    blocks = _text_blocks(job)
    if not blocks:
        return False
    block = job.rng.choice(blocks)
    block.text = f"截止{job.year}年底，" + block.text
    return True


def _d_typo(job: _Job) -> bool:
    blocks = _text_blocks(job)
    if not blocks:
        return False
    wrong, _right = job.rng.choice(TYPOS)
    block = job.rng.choice(blocks)
    block.text = block.text.replace(_SENTENCE_END, f"，{wrong}相关工作。", 1)
    return wrong in block.text


def _d_missing_section(job: _Job) -> bool:
    headings = [b for b in job.blocks if b.kind == "heading" and b.text[0] in "五六"]
    if not headings:
        return False
    job.blocks.remove(job.rng.choice(headings))
    return True


def _d_extra_section(job: _Job) -> bool:
    for i, block in enumerate(job.blocks):
        if block.kind == "heading" and block.text.startswith("六、"):
            block.text = "七、" + block.text[2:]
            job.blocks[i:i] = [
                Block("heading", "六、下一步工作打算"),
                Block("text", ""),
                Block("text", "继续加强政务公开标准化规范化建设。"),
                Block("text", ""),
            ]
            return True
    return False


def _d_stray_mark(job: _Job) -> bool:
    blocks = [b for b in _text_blocks(job) if "，" in b.text and "》" not in b.text]
    if not blocks:
        return False
    block = job.rng.choice(blocks)
    block.text = block.text.replace("，", "，》，", 1)
    return True


def _d_bookmark(job: _Job) -> bool:
    blocks = _text_blocks(job)
    if not blocks:
        return False
    block = job.rng.choice(blocks)
    block.text = "[bookmark: _GoBack]" + block.text
    return True


def _d_web_source(job: _Job) -> bool:
    job.blocks[1:1] = [
        Block("text", f"来源:{job.org}人民政府"),
        Block("text", f"发布日期:{job.year + 1}-01-2{job.rng.randint(0, 9)}"),
    ]
    return True


def _d_title(job: _Job) -> bool:
    title = job.blocks[0]
    title.text = f"{job.org}{job.year}年政府信息公开年度报告"
    return True


def _d_broken_total(job: _Job) -> bool:
    tables = [b for b in job.blocks if b.kind == "table" and len(b.rows) >= 8]
    if not tables:
        return False
    rows = job.rng.choice(tables).rows
    for row in reversed(rows):
        numeric = [i for i, c in enumerate(row) if _CELL_NUMBER.match(c.strip())]
        if numeric:
            i = numeric[-1]
            row[i] = str(int(float(row[i].strip().replace("万元", ""))) + 1)
            return True
    return False


def _d_npc_term(job: _Job) -> bool:
    for block in job.blocks:
        if "人大代表建议" in block.text:
            block.text = block.text.replace("人大代表建议", "人大代表提案", 1)
            return True
    return False


DEFECTS: dict[str, Callable[[_Job], bool]] = {
    "period-year": _d_period_year,
    "jiezhi": _d_jiezhi,
    "typo": _d_typo,
    "missing-section": _d_missing_section,
    "extra-section": _d_extra_section,
    "stray-mark": _d_stray_mark,
    "bookmark": _d_bookmark,
    "web-source": _d_web_source,
    "title": _d_title,
    "broken-total": _d_broken_total,
    "npc-term": _d_npc_term,
}
TYPOS: list[tuple[str, str]] = [("前面做好", "全面做好")]


# --------------------------------------------------------------------------
# Layout


def render(blocks: list[Block], layout: str) -> str:
    """Write the blocks with their tables in ``layout``."""
    out: list[str] = []
    markdown = layout == "markdown"
    for block in blocks:
        if block.kind == "table":
            out.extend(_table(block.rows, layout))
        elif markdown and block.kind == "title":
            out.append("# " + block.text)
        elif markdown and block.kind == "heading":
            out.append("## " + block.text)
        elif markdown and block.kind == "caption":
            out.append(f"**{block.text}**")
        else:
            out.append(block.text)
    return "\n".join(out) + "\n"


def _table(rows: list[list[str]], layout: str) -> Iterator[str]:
    if layout == "tsv":
        for row in rows:
            yield "\t".join(row)
    elif layout == "markdown":
        width = max(len(r) for r in rows)
        for n, row in enumerate(rows):
            cells = [c.replace("|", "｜") for c in row] + [""] * (width - len(row))
            yield "| " + " | ".join(cells) + " |"
            if n == 0:
                yield "| " + " | ".join(["---"] * width) + " |"
    elif layout == "cells":
        for row in rows:
            for cell in row:
                if cell.strip():
                    yield cell.strip()
                    yield ""
    else:  # tabbed
        for n, row in enumerate(rows):
            if n:
                yield ""
            for cell in row:
                yield "\t" + cell.strip()


# --------------------------------------------------------------------------
# Drafts


def make_draft(
    index: int,
    seed: int = 1,
    templates: dict[str, Template] | None = None,
    min_bytes: int = 5_000,
    max_bytes: int = 15_000,
    defect_rate: float = 0.5,
    utf8: bool = False,
) -> Draft:
    """Draft number ``index`` of corpus ``seed`` (deterministic).

    ``utf8`` forces plain UTF-8 with LF (sizes are then UTF-8 bytes).
    """
    templates = templates or TEMPLATES
    rng = random.Random(f"{seed}:{index}")
    edition = "2021" if rng.random() < 0.7 else "2019"
    template = templates[edition]
    year = rng.randint(2021, 2025) if edition == "2021" else rng.randint(2019, 2020)
    short = _name(rng)
    job = _Job(
        rng,
        template,
        _copy_blocks(template.blocks),
        year,
        short + rng.choice(_SUFFIXES),
        short,
        rng.choice((1, 1, 2, 3, 5, 10)),
        [],
    )
    if rng.random() < defect_rate * 0.1 and edition == "2019":
        job.year = rng.randint(2021, 2025)  # 2019-edition tables, 2021+ report
        job.defects.append("old-edition")
    for block in job.blocks:
        block.text = _vary_text(block.text, job)
        block.rows = [[_vary_cell(c, job) for c in row] for row in block.rows]
    _grow(job, rng.randint(min_bytes, max_bytes))
    if rng.random() < defect_rate:
        for name in rng.sample(sorted(DEFECTS), rng.randint(1, 4)):
            if DEFECTS[name](job):
                job.defects.append(name)
    layout = rng.choice(LAYOUTS)
    text = render(job.blocks, layout)
    roll = 1.0 if utf8 else rng.random()
    if roll < 0.10:
        data = text.encode("gb18030")
    elif roll < 0.15:
        data = b"\xef\xbb\xbf" + text.encode("utf-8")
    elif roll < 0.25:
        data = text.replace("\n", "\r\n").encode("utf-8")
    else:
        data = text.encode("utf-8")
    suffix = ".md" if layout == "markdown" else ".txt"
    state = "defects" if job.defects else "clean"
    name = f"{index:06d}-{edition}-{layout}-{state}{suffix}"
    return Draft(name, data, edition, layout, job.year, job.defects)


def draft_path(root: Path, index: int, name: str) -> Path:
    """``root/gG/dD/name``: 1,000 drafts per directory, 10 per group.

    So ``root/g0/d0`` holds drafts 0–999 and ``root/g0`` drafts 0–9,999.
    """
    group, rest = divmod(index, PER_DIR * 10)
    return root / f"g{group}" / f"d{rest // PER_DIR}" / name


def generate(root: Path, count: int, seed: int = 1, start: int = 0) -> int:
    """Write drafts ``start..count-1`` under ``root``; return bytes written."""
    total = 0
    made: set[Path] = set()
    for index in range(start, count):
        draft = make_draft(index, seed)
        path = draft_path(root, index, draft.name)
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_bytes(draft.data)
        total += len(draft.data)
    return total


TEMPLATES = load_templates()
TYPOS[:] = load_typos()


def main(argv: list[str] | None = None) -> int:
    """Command line: write a corpus."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    written = generate(args.out, args.count, args.seed)
    print(f"{args.count} drafts, {written / 1e6:.1f} MB under {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Rule documentation: the listing, ``explain`` and generated pack pages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..packs.model import Pack, PackSet, Rule

if TYPE_CHECKING:
    from ..document.findings import Finding


def _all_rules(packset: PackSet) -> list[Rule]:
    """The packs' rules, then the waiver findings the tool reports itself."""
    from ..config.waiver_rules import WAIVER_RULES

    return [*packset.all_rules(), *WAIVER_RULES]


def find_rule(packset: PackSet, token: str) -> Rule | None:
    """The rule whose id, old alias or name is ``token``."""
    for rule in _all_rules(packset):
        if token.upper() == rule.id or token in rule.aliases or token == rule.name:
            return rule
    return None


def rules_listing(packset: PackSet, output_format: str) -> str:
    """Every rule as a table (text) or a JSON array."""
    rules = _all_rules(packset)
    if output_format == "json":
        rows = [
            {
                "id": r.id,
                "name": r.name,
                "category": r.category.value,
                "severity": r.severity.value,
                "pack": r.pack,
                "kind": r.kind,
                "summary": r.summary,
                "fixable": _fixable(r),
            }
            for r in rules
        ]
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    lines = [f"{'ID':<6} {'NAME':<34} {'CATEGORY':<12} {'SEVERITY':<8} PACK"]
    for r in rules:
        lines.append(
            f"{r.id:<6} {r.name:<34} {r.category.value:<12} "
            f"{r.severity.value:<8} {r.pack}"
        )
    return "\n".join(lines) + "\n"


def validation_summary(packs: list[Pack]) -> str:
    """What ``validate-packs`` found: each pack's rules, then the distinct ones.

    A pack counts the rules it inherits too; the total counts each rule id
    once, as ``disclosure-lint rules`` lists them.
    """
    lines = []
    distinct: set[str] = set()
    for pack in packs:
        own = sum(1 for r in pack.rules if r.pack == pack.name)
        edition = f"edition {pack.edition}, " if pack.edition else ""
        inherited = len(pack.rules) - own
        detail = f" ({own} own, {inherited} inherited)" if inherited else ""
        lines.append(f"{pack.name}: {edition}{len(pack.rules)} rules{detail}")
        distinct.update(r.id for r in pack.rules)
    noun = "pack" if len(packs) == 1 else "packs"
    lines.append(f"ok: {len(packs)} {noun}, {len(distinct)} distinct rules")
    return "\n".join(lines) + "\n"


def _fixable(rule: Rule) -> bool:
    params = rule.params
    return bool(
        rule.kind in ("substitution", "paired-punctuation")
        or params.get("replace") is not None
        or params.get("delete")
        or params.get("delete_line")
    )


_EXPLAIN = {
    "zh": {
        "rationale": "理由：",
        "source": "依据：",
        "template": "提示语（模板）：",
        "example": "示例 {n}",
        "none": "无问题",
        "found": "{count} 个问题",
        "year": "报告年度 {value}",
        "edition": "{value}年版格式",
        "path": "文件 {value}",
        "previous": "上年报告：",
        "current": "本年报告：",
    },
    "en": {
        "rationale": "Rationale:",
        "source": "Source:",
        "template": "Message (template):",
        "example": "Example {n}",
        "none": "no finding",
        "found": "{count} finding(s)",
        "year": "year {value}",
        "edition": "edition {value}",
        "path": "path {value}",
        "previous": "last year's report:",
        "current": "this year's report:",
    },
}


def explain_rule(rule: Rule, lang: str = "zh", packset: PackSet | None = None) -> str:
    """Summary, rationale, source and examples of one rule, in ``lang``.

    Each example is run through the rule (with ``packset``) and its findings
    are shown with their messages as a user would see them; the raw message
    template is shown only for a rule without examples.
    """
    words = _EXPLAIN.get(lang, _EXPLAIN["zh"])
    rationale = rule.rationale
    if lang == "en" and rule.rationale_en:
        rationale = rule.rationale_en
    if lang == "en":
        facts = f" ({rule.category.value}, {rule.severity.value}; pack {rule.pack})"
    else:
        facts = f"（{rule.category.value}，{rule.severity.value}；规则包 {rule.pack}）"
    out = [
        f"{rule.id} {rule.name}{facts}",
        "",
        rule.summary,
        "",
    ]
    if rationale:
        out += [words["rationale"], f"  {' '.join(rationale.split())}", ""]
    if rule.source:
        out += [words["source"], f"  {rule.source}", ""]
    if not rule.examples or packset is None:
        out += [
            words["template"],
            f"  {rule.message.get(lang, rule.message['zh'])}",
            "",
        ]
    for n, example in enumerate(rule.examples, 1):
        out += _explain_example(rule, example, n, lang, packset)
    return "\n".join(out)


def _explain_example(
    rule: Rule,
    example: dict[str, Any],
    n: int,
    lang: str,
    packset: PackSet | None,
) -> list[str]:
    """One example: its heading, its text, then what the rule reports on it."""
    words = _EXPLAIN.get(lang, _EXPLAIN["zh"])
    context = [
        words[key].format(value=example[key])
        for key in ("year", "edition", "path")
        if example.get(key) is not None
    ]
    heading = words["example"].format(n=n)
    if lang == "en" and example.get("name"):
        # NOTE: example names are English notes of the pack's author.
        heading += f" ({example['name']})"
    if context:
        heading += (
            f" [{', '.join(context)}]" if lang == "en" else f"（{'；'.join(context)}）"
        )
    text = [f"  | {line}" for line in str(example["text"]).rstrip("\n").split("\n")]
    if "previous" in example:
        # NOTE: a year-over-year example: last year's report, then this year's.
        last = str(example["previous"]).rstrip("\n").split("\n")
        text = [
            f"  {words['previous']}",
            *(f"  | {line}" for line in last),
            f"  {words['current']}",
            *text,
        ]
    if packset is None:
        expect = ", ".join(example["expect"]) or words["none"]
        return [f"{heading}: {expect}", *text, ""]
    findings = _example_findings(rule, example, lang, packset)
    verdict = words["found"].format(count=len(findings)) if findings else words["none"]
    colon = ": " if lang == "en" else "："
    lines = [f"{heading}{colon}{verdict}", *text]
    lines += [
        f"  → {f.start.line}:{f.start.column} {f.rule} {f.message}" for f in findings
    ]
    return [*lines, ""]


def _example_findings(
    rule: Rule, example: dict[str, Any], lang: str, packset: PackSet
) -> list[Finding]:
    """What ``rule`` reports on ``example``, as the example tests run it."""
    from ..engine.examples import example_findings

    return example_findings(rule.id, example, packset, lang)


# --------------------------------------------------------------------------
# Generated pack pages: rules/<pack>/README.md (`disclosure-lint docs`)

GENERATED = (
    "<!-- generated by `disclosure-lint docs` from this pack's YAML files: "
    "do not edit; run `disclosure-lint docs` after changing a rule -->"
)
README = "README.md"


def _cell(text: str) -> str:
    """Text made safe for a markdown table cell."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _code(text: str) -> str:
    """An inline code span that survives backticks inside ``text``."""
    text = " ".join(str(text).split())
    ticks = "`"
    while ticks in text:
        ticks += "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _fence(text: str) -> str:
    fence = "```"
    while fence in text:
        fence += "`"
    return fence


def _fix_label(rule: Rule) -> str:
    if not _fixable(rule):
        return "—"
    return "safe" if rule.params.get("safe", True) else "suggested"


def _anchor(rule: Rule) -> str:
    return f"{rule.id}-{rule.name}".lower()


def pack_readme(pack: Pack) -> str:
    """The generated page of one pack: facts, a rule table, then each rule."""
    own = [r for r in pack.rules if r.pack == pack.name]
    inherited = [r for r in pack.rules if r.pack != pack.name]
    out = [GENERATED, "", f"# Rule pack `{pack.name}`", ""]
    if pack.description:
        out += [pack.description, ""]
    low, high = pack.years or (None, None)
    years = "—"
    if low and high:
        years = f"{low}–{high}"
    elif low or high:
        years = f"{low} onwards" if low else f"up to {high}"
    out += [
        "| | |",
        "| --- | --- |",
        f"| Edition | {pack.edition or '— (shared rules, no edition of its own)'} |",
        f"| Report years | {years} |",
        f"| Extends | {', '.join(f'`{e}`' for e in pack.extends) or '—'} |",
        f"| Source | {_cell(pack.source) or '—'} |",
        f"| Rules | {len(own)} own, {len(inherited)} inherited |",
        "",
        "## Rules",
        "",
    ]
    if not own:
        out += ["This pack defines no rules of its own.", ""]
    else:
        out += [
            "| ID | Name | Category | Severity | Fix | Summary |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for r in own:
            out.append(
                f"| [{r.id}](#{_anchor(r)}) | `{r.name}` | {r.category.value} | "
                f"{r.severity.value} | {_fix_label(r)} | {_cell(r.summary)} |"
            )
        out.append("")
    if inherited:
        names = ", ".join(sorted({r.pack for r in inherited}))
        out += [
            f"Also runs the {len(inherited)} rules of {names} (see that pack's page).",
            "",
        ]
    for rule in own:
        out += _rule_section(rule)
    return "\n".join(out).rstrip("\n") + "\n"


def _rule_section(rule: Rule) -> list[str]:
    out = [
        f"## {rule.id} {rule.name}",
        "",
        rule.summary,
        "",
        f"- **Severity:** {rule.severity.value}",
        f"- **Category:** {rule.category.value}",
        f"- **Kind:** `{rule.kind}`",
        f"- **Fix:** {_fix_label(rule)}",
    ]
    if rule.aliases:
        out.append(f"- **Old ids:** {', '.join(rule.aliases)}")
    out.append("")
    if rule.rationale_en:
        out += [f"**Rationale.** {' '.join(rule.rationale_en.split())}", ""]
    if rule.rationale:
        label = "理由" if rule.rationale_en else "Rationale"
        out += [f"**{label}.** {' '.join(rule.rationale.split())}", ""]
    if rule.source:
        out += [f"**Source.** {' '.join(rule.source.split())}", ""]
    out += ["**Message.**", ""]
    for lang in ("zh", "en"):
        out.append(f"- {lang}: {_code(rule.message.get(lang, rule.message['zh']))}")
    out += ["", "**Examples.**", ""]
    for example in rule.examples:
        expect = ", ".join(f"`{e}`" for e in example["expect"]) or "no finding"
        title = example.get("name") or "example"
        context = [
            f"{key} {example[key]}"
            for key in ("year", "edition", "path")
            if example.get(key) is not None
        ]
        suffix = f" ({', '.join(context)})" if context else ""
        out += [f"*{title}*{suffix} → {expect}", ""]
        if "previous" in example:
            # NOTE: a year-over-year example is a pair: last year's report first.
            out += ["Last year's report (`previous`):", ""]
            out += _fenced(str(example["previous"]))
            out += ["This year's report (`text`):", ""]
        out += _fenced(str(example["text"]))
    return out


def _fenced(text: str) -> list[str]:
    """``text`` as a fenced block of a generated page, then a blank line."""
    if not text.endswith("\n"):
        text += "\n"
    fence = _fence(text)
    return [f"{fence}text", text + fence, ""]


def generate_docs(roots: list[Path] | None = None) -> dict[Path, str]:
    """Every pack's page, by the README path it belongs at.

    Raises:
        PackError: a pack does not load.
    """
    from ..packs.discover import bundled_rules_dir
    from ..packs.load import load_packset, packs_under

    roots = roots or [bundled_rules_dir()]
    # NOTE: the bundled packs come along (no pages) for packs that extend them.
    packset = load_packset(roots, use_cache=False, base=[bundled_rules_dir()])
    return {
        Path(pack.path) / README: pack_readme(pack)
        for pack in packs_under(packset, roots)
    }


def stale_docs(pages: dict[Path, str]) -> list[Path]:
    """The pages whose file is missing or differs from ``pages``."""
    stale = []
    for path, text in pages.items():
        try:
            current = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            current = None
        if current != text:
            stale.append(path)
    return stale


def installed_pages(pages: dict[Path, str]) -> list[Path]:
    """The pages that lie inside the installed package (not a checkout).

    NOTE: a wheel ships the pack pages beside the packs (``--check`` can
    compare them), but writing there would change an installed package,
    which the next upgrade silently undoes; pages are written in a source
    checkout (an editable install finds its packs at the repository root).
    """
    package = Path(__file__).resolve().parent.parent
    return [page for page in pages if page.resolve().is_relative_to(package)]


def write_docs(pages: dict[Path, str]) -> list[Path]:
    """Write the stale pages; return them."""
    stale = stale_docs(pages)
    for path in stale:
        path.write_text(pages[path], encoding="utf-8", newline="\n")
    return stale

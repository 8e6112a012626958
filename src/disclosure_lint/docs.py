"""Rule documentation: the listing, ``explain`` and generated pack pages."""

from __future__ import annotations

import json

from .packs import PackSet, Rule


def find_rule(packset: PackSet, token: str) -> Rule | None:
    """The rule whose id, old alias or name is ``token``."""
    for rule in packset.all_rules():
        if token.upper() == rule.id or token in rule.aliases or token == rule.name:
            return rule
    return None


def rules_listing(packset: PackSet, output_format: str) -> str:
    """Every rule as a table (text) or a JSON array."""
    rules = packset.all_rules()
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


def _fixable(rule: Rule) -> bool:
    params = rule.params
    return bool(
        rule.kind in ("substitution", "paired-punctuation")
        or params.get("replace") is not None
        or params.get("delete")
        or params.get("delete_line")
    )


def explain_rule(rule: Rule, lang: str = "zh") -> str:
    """Summary, rationale, source, message and examples of one rule."""
    out = [
        f"{rule.id} {rule.name} ({rule.category.value}, "
        f"{rule.severity.value}; pack {rule.pack})",
        "",
        rule.summary,
        "",
    ]
    if rule.rationale:
        out += ["Rationale:" if lang == "en" else "理由：", f"  {rule.rationale}", ""]
    if rule.source:
        out += ["Source:" if lang == "en" else "依据：", f"  {rule.source}", ""]
    out += [
        "Message:" if lang == "en" else "提示语：",
        f"  {rule.message.get(lang, rule.message['zh'])}",
        "",
    ]
    for example in rule.examples:
        expect = ", ".join(example["expect"]) or (
            "no finding" if lang == "en" else "无问题"
        )
        title = example.get("name", "")
        out.append(f"{'Example' if lang == 'en' else '示例'}: {title} → {expect}")
        out += [f"  | {line}" for line in str(example["text"]).rstrip("\n").split("\n")]
        out.append("")
    return "\n".join(out)

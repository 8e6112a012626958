"""Findings about waiver files: WV001 (expired) and WV002 (unused).

Tool rules, not pack rules: they judge the waiver file, not a draft.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..document.findings import Category, Severity
from ..packs.model import Rule

if TYPE_CHECKING:
    pass


WAIVER_NAME = ".disclosure-lint-waivers.yaml"


def _tool_rule(
    rule_id: str,
    name: str,
    summary: str,
    zh: str,
    en: str,
    rationale: tuple[str, str],
) -> Rule:
    return Rule(
        id=rule_id,
        name=name,
        kind="waiver",
        category=Category.FORMAT,
        severity=Severity.WARNING,
        summary=summary,
        message={"zh": zh, "en": en},
        rationale=rationale[0],
        rationale_en=rationale[1],
        source="disclosure-lint waivers (README, Waivers)",
        params={},
        examples=[],
        aliases=[],
        pack="(waivers)",
        file=WAIVER_NAME,
    )


# NOTE: these findings come from the tool, not from a pack: they are about the
# waiver file, not about a draft, so they live here rather than in rules/.
# They can still be selected, ignored and re-graded like any rule.
EXPIRED = _tool_rule(
    "WV001",
    "waiver-expired",
    "豁免已过期",
    "豁免已于 {expires} 过期：{rule}「{text}」（{file}），请复核后删除或延期",
    'waiver expired on {expires}: {rule} "{text}" in {file}; '
    "review it, then delete or extend it",
    (
        "过期的豁免不再隐藏其问题；该条目应续期或删除。",
        "An expired waiver no longer hides its finding; the entry must be renewed "
        "or removed.",
    ),
)
UNUSED = _tool_rule(
    "WV002",
    "waiver-unused",
    "豁免未被使用",
    "豁免未被使用：{file} 中已没有与「{text}」对应的 {rule} 问题，应删除此条",
    'unused waiver: no {rule} finding on "{text}" in {file}; delete it',
    (
        "不匹配任何问题的豁免已经过时，还可能掩盖将来的问题。",
        "A waiver that matches nothing is stale and could hide a future finding.",
    ),
)
GONE = {
    "zh": "豁免所指文件 {file} 不存在，应删除此条（{rule}「{text}」）",
    "en": 'unused waiver: {file} does not exist; delete it ({rule} "{text}")',
}
WAIVER_RULES: tuple[Rule, ...] = (EXPIRED, UNUSED)

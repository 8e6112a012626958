"""``disclosure-lint waive``: one new waiver per current finding."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ..config.file import ConfigError, display
from ..config.waiver_file import (
    WaiverError,
)
from ..config.waiver_match import Anchor, anchor
from ..config.waiver_rules import WAIVER_RULES
from ..config.waiver_write import add_waivers
from ..config.waivers import WaiverBook, default_waiver_path
from ..document.paths import escape_path
from ..engine.lint import RuleFilter
from ..packs.model import PackError
from ..packs.reading import _suggest

if TYPE_CHECKING:
    from .plan import RunRequest


def run_waive(
    request: RunRequest,
    reason: str,
    rules: Sequence[str],
    expires: dt.date | None,
    out: TextIO,
    err: TextIO,
) -> int:
    """``disclosure-lint waive``: one new waiver per current finding.

    Findings already waived are skipped, so running it twice adds nothing.
    Entries go to ``--waivers``, else the waiver file found for each draft,
    else a new one beside the draft's configuration file (or in the current
    directory). Returns the exit code: 2 if a file or a waiver file failed.
    """
    from ..engine.lint import lint_file
    from .plan import make_plan

    try:
        book = WaiverBook(request.waivers, request.isolated, must_exist=False)
        plan = make_plan(request, book)
    except (ConfigError, PackError) as exc:
        err.write(f"disclosure-lint: error: {exc}\n")
        return 2
    known = [*plan.packset.all_rules(), *WAIVER_RULES]
    for token in rules:
        if not any(RuleFilter._matches(r, token) for r in known):
            hint = _suggest(token, [r.id for r in known] + [r.name for r in known])
            err.write(
                f"disclosure-lint: error: --rule '{token}' matches no rule{hint}\n"
            )
            return 2
    selection = RuleFilter(select=tuple(rules))
    code = 0
    pending: dict[Path, dict[Path, list[Anchor]]] = {}
    tool = {r.id for r in WAIVER_RULES}
    for item in plan.files:
        result = lint_file(
            item.path,
            item.packset,
            item.settings.options(),
            item.rule_filter,
            keep_report=True,
        )
        if result.error is not None or result.report is None:
            err.write(f"{escape_path(result.path)}: error: {result.error}\n")
            code = 2
            continue
        doc = result.report.document
        by_id = {r.id: r for r in item.packset.all_rules()}
        findings = [
            f
            for f in result.findings
            if f.rule not in tool
            and (not rules or (f.rule in by_id and selection.enabled(by_id[f.rule])))
        ]
        target = default_waiver_path(plan.waivers, item.path, item.settings.root)
        # NOTE: a draft named twice (or through a link) is waived once.
        pending.setdefault(target, {}).setdefault(
            Path(doc.path).resolve(),
            [anchor(doc, f, by_id.get(f.rule)) for f in findings],
        )
    added = 0
    for target, drafts in pending.items():
        if not any(drafts.values()):
            continue
        try:
            count = add_waivers(target, drafts, reason, expires)
        except WaiverError as exc:
            err.write(f"disclosure-lint: error: {exc}\n")
            code = 2
            continue
        if count:
            added += count
            out.write(f"{display(target)}: added {count} waiver(s)\n")
    if not added and code == 0:
        out.write("no findings to waive\n")
    return code

"""``disclosure-lint series PATH…``: the series a batch would be paired in.

Each draft is read as ``check`` reads it (its own configuration and packs,
``-j`` workers) but no rule runs: only its title (issuer) and report year
are wanted. The series found (``engine.series.find_series``) are written as
text or JSON (see README, "The series command"), with the drafts that could
not be placed and why.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TextIO

from ..document.paths import escape_path
from ..engine.lint import RuleFilter
from ..engine.series import DUPLICATE, NO_ISSUER, NO_YEAR, Found, Placed, find_series
from ..engine.worker import LintContext

if TYPE_CHECKING:
    from .plan import RunRequest

EXIT_OK = 0
EXIT_ERROR = 2
SCHEMA_VERSION = 1
#: A rule filter that enables no rule (no rule id starts with a blank).
NO_RULES = RuleFilter(select=(" ",))
ERROR = "error"

_TEXT = {
    "zh": {
        "years": "（{count} 个年度：{years}）",
        "unplaced": "未能归入系列的文件：",
        NO_ISSUER: "标题中找不到机关名称",
        NO_YEAR: "找不到报告年度",
        DUPLICATE: "与 {other} 的机关和年度相同，无法确定哪一份是该年度的报告",
        ERROR: "无法读取：{error}",
        "summary": "共 {files} 个文件，{series} 个系列，{pairs} 对相邻年度的报告。",
        "none": "没有找到系列。",
    },
    "en": {
        "years": " ({count} year(s): {years})",
        "unplaced": "Files not placed in a series:",
        NO_ISSUER: "no issuer (机关名称) found in the title",
        NO_YEAR: "no report year found",
        DUPLICATE: "same issuer and year as {other}: which is that year's report "
        "is unknown",
        ERROR: "cannot be read: {error}",
        "summary": "{files} file(s), {series} series, {pairs} pair(s) of "
        "consecutive years.",
        "none": "No series found.",
    },
}


class _Task:
    __slots__ = ("context", "path")

    def __init__(self, path: str, context: LintContext) -> None:
        self.path = path
        self.context = context


def run_series(
    request: RunRequest, output_format: str, out: TextIO, err: TextIO
) -> int:
    """Find and write the series of ``request.paths``; the exit code."""
    from ..engine.parallel import lint_in_order
    from .plan import plan_or_report
    from .run import NO_DRAFTS, worker_count

    plan = plan_or_report(request, err)
    if plan is None:
        return EXIT_ERROR
    quiet: dict[int, LintContext] = {}

    def task(item: Any) -> _Task:
        context = item.context
        bare = quiet.get(id(context))
        if bare is None:
            bare = LintContext(context.packset, context.options, NO_RULES)
            quiet[id(context)] = bare
        return _Task(item.path, bare)

    jobs = worker_count(request.jobs, plan.count)
    tasks = (task(item) for item in plan.files)
    placed: list[Placed] = []
    errors: dict[int, str] = {}
    for index, (_, result) in enumerate(
        lint_in_order(tasks, jobs, "meta", plan.count, digests=True)
    ):
        digest = result.digest
        if result.error is not None or digest is None:
            errors[index] = result.error or "unknown error"
            placed.append(Placed(index, result.path, None, None, None))
            continue
        placed.append(
            Placed(index, result.path, digest.issuer, digest.issuer_key, digest.year)
        )
    if not placed:
        err.write(f"disclosure-lint: error: {NO_DRAFTS}\n")
        return EXIT_ERROR
    found = find_series(placed)
    lang = plan.lang if plan.lang in _TEXT else "zh"
    if output_format == "json":
        out.write(series_json(found, errors, len(placed)))
    else:
        out.write(series_text(found, errors, len(placed), lang))
    return EXIT_ERROR if errors else EXIT_OK


def series_json(found: Found, errors: dict[int, str], files: int) -> str:
    """The JSON document of ``found`` (README: "The series command")."""
    series = []
    for one in found.series:
        drafts = list(one.years.values())
        series.append(
            {
                "issuer": one.issuer,
                "key": one.key,
                "years": [{"year": d.year, "path": d.path} for d in drafts],
                "pairs": [
                    {"year": d.year, "path": d.path, "previous": one.years[y - 1].path}
                    for y, d in one.years.items()
                    if y - 1 in one.years
                ],
            }
        )
    unplaced = [
        {
            "path": u.draft.path,
            "reason": ERROR if u.draft.index in errors else u.reason,
            "issuer": u.draft.issuer,
            "year": u.draft.year,
            "other": u.other,
            "error": errors.get(u.draft.index),
        }
        for u in found.unplaced
    ]
    data = {
        "version": SCHEMA_VERSION,
        "series": series,
        "unplaced": unplaced,
        "summary": {
            "files": files,
            "series": len(series),
            "pairs": len(found.pairs),
            "unplaced": len(unplaced),
        },
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def series_text(found: Found, errors: dict[int, str], files: int, lang: str) -> str:
    """The readable listing of ``found`` in ``lang``."""
    words = _TEXT[lang]
    lines: list[str] = []
    for one in found.series:
        years = sorted(one.years)
        span = _years(years)
        lines.append(one.issuer + words["years"].format(count=len(years), years=span))
        for year in years:
            lines.append(f"  {year}  {escape_path(one.years[year].path)}")
    if not found.series:
        lines.append(words["none"])
    if found.unplaced:
        lines.append(words["unplaced"])
        for u in found.unplaced:
            error = errors.get(u.draft.index)
            reason = ERROR if error is not None else u.reason
            why = words[reason].format(
                other=escape_path(u.other or ""), error=error or ""
            )
            colon = "：" if lang == "zh" else ": "
            lines.append(f"  {escape_path(u.draft.path)}{colon}{why}")
    lines.append(
        words["summary"].format(
            files=files, series=len(found.series), pairs=len(found.pairs)
        )
    )
    return "\n".join(lines) + "\n"


def _years(years: list[int]) -> str:
    """``2019–2021, 2023``: runs of consecutive years."""
    runs: list[list[int]] = []
    for year in years:
        if runs and runs[-1][-1] == year - 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(
        str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}" for run in runs
    )

"""Every configuration key, the ``Settings`` field it sets and its help."""

from __future__ import annotations

from ..records import dataclass


@dataclass(frozen=True, slots=True)
class Key:
    """One configuration key: the ``Settings`` field it sets and its help."""

    field: str
    help: str


KEYS: dict[str, Key] = {
    "packs": Key(
        "use_packs",
        "packs to load: bundled names or directories (default: every bundled pack)",
    ),
    "select": Key("select", "only these rules: ids, id prefixes, names, categories"),
    "ignore": Key("ignore", "skip these rules (same forms as select)"),
    "per-path-ignores": Key(
        "per_path_ignores", "glob (relative to the file) → rules to skip there"
    ),
    "severity": Key("severity", "rule, id prefix, name or category → severity"),
    "fail-on": Key("fail_on", "lowest severity that makes the exit code 1"),
    "year": Key("year", "report year (default: read from each draft)"),
    "edition": Key("edition", "format edition, 2019 or 2021 (default: by year)"),
    "publication-deadline": Key(
        "publication_deadline", "MM-DD of the year after the report year, or a date"
    ),
    "lang": Key("lang", "message language: zh or en"),
    "copy-threshold": Key(
        "copy_threshold",
        "share of a section's sentences repeated from last year that makes it "
        "copied (CS022), above 0 and at most 1",
    ),
    "pairing": Key(
        "pairing",
        "pair a batch's drafts with last year's report of their issuer (default true)",
    ),
}
#: ``Settings`` fields the command line may set; the CLI passes the ones the
#: user actually gave, and those win over the file.
CLI_FIELDS = (
    "lang",
    "fail_on",
    "select",
    "ignore",
    "year",
    "edition",
    "publication_deadline",
    "pairing",
)

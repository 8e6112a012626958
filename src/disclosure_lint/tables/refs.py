"""Check that table rules name tables, rows and columns their pack has.

Run by ``validate-packs`` (and the test suite) so that a misspelt row key in
an equation is a pack error with the rule's id, not a silently skipped check.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .compile import compile_tables
from .equations import expand_each, parse_equation, parse_sum
from .schema import CompiledTables, TableSchema, TableSchemaError

if TYPE_CHECKING:
    from ..packs.model import PackSet, Rule


def check_rule_refs(rule: Rule, compiled: CompiledTables) -> None:
    """Raise when ``rule`` refers to a table, row or column ``compiled`` lacks.

    Raises:
        TableSchemaError: ``rule ID (file): problem``.
    """
    where = f"rule {rule.id} ({rule.pack}/{rule.file})"
    params: dict[str, Any] = rule.params
    if rule.kind in ("table-shape", "cell-value", "amount-unit"):
        for key in params.get("tables") or []:
            _table(compiled, str(key), where)
    elif rule.kind == "balance":
        schema = _table(compiled, str(params["table"]), where)
        kind = "row" if params["for_each"] == "column" else "column"
        for text in params["equations"]:
            _names(schema, parse_equation(str(text)).names, kind, where)
        if params.get("report_at"):
            _names(schema, [str(params["report_at"])], kind, where)
    elif rule.kind == "year-equation":
        texts = [text for entry in params["equations"] for text in expand_each(entry)]
        for name in (n for text in texts for n in parse_equation(text).names):
            # NOTE: this.table.row.column or last.table.row.column
            _cell(compiled, name.split(".", 1)[1], where)
    elif rule.kind == "cross-check":
        for item in params["checks"]:
            given = item.get("value", [])
            sums = [*(given if isinstance(given, list) else [given])]
            sums += item.get("percent_of") or []
            for name in (n for text in sums for n in parse_sum(str(text)).names):
                _cell(compiled, name, where)


def _cell(compiled: CompiledTables, name: str, where: str) -> None:
    """Check a ``table.row.column`` name."""
    table_key, row, column = name.split(".")
    schema = _table(compiled, table_key, where)
    _names(schema, [row], "row", where)
    _names(schema, [column], "column", where)


def _table(compiled: CompiledTables, key: str, where: str) -> TableSchema:
    schema = compiled.get(key)
    if schema is None:
        known = ", ".join(s.key for s in compiled.schemas)
        raise TableSchemaError(f"{where}: unknown table '{key}' (known: {known})")
    return schema


def _names(schema: TableSchema, names: Iterable[str], kind: str, where: str) -> None:
    known = (
        {c.key for c in schema.columns}
        if kind == "column"
        else {r.key for r in schema.rows}
    )
    for name in names:
        if name not in known:
            raise TableSchemaError(
                f"{where}: table '{schema.key}' has no {kind} '{name}'"
            )


def validate_packset(packset: PackSet) -> None:
    """Compile the tables of every edition pack and check its rules' references.

    Packs without an edition (``common``) are only ever used through an
    edition pack, which supplies the row sets their tables splice in.

    Raises:
        TableSchemaError: the first problem, naming the pack or rule.
    """
    for pack in packset.editions():
        compiled = compile_tables(pack.tables, pack.name)
        if not compiled.schemas:
            continue
        for rule in pack.rules:
            check_rule_refs(rule, compiled)

"""Compile a pack's ``tables:`` data into schemas, with errors that name the key.

See ``schema`` for what the data describes. Every problem is a
``TableSchemaError`` naming the pack and the path of the key
(``pack gov-annual-2021: tables.applications.rows[3]: ...``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..memo import per_object
from ..regex.guard import pack_regex
from .schema import (
    COLUMN_TYPES,
    ColumnSpec,
    CompiledTables,
    NearMiss,
    ReaderSpec,
    RowSpec,
    TableSchema,
    TableSchemaError,
)

if TYPE_CHECKING:
    from ..packs.model import Pack

RESERVED = ("reader", "row_sets")
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_TABLE_KEYS = {"title", "section", "order", "caption", "header", "columns", "rows"}
_COLUMN_KEYS = {"key", "label", "aliases", "type", "unit", "name", "groups"}
_ROW_KEYS = {"key", "group", "label", "aliases", "in", "rows"}
# Domain settings a pack's tables.reader must give (see rules/common).
_READER_REQUIRED = (
    "numbering",
    "amount_units",
    "count_units",
    "unit_in_header",
    "zero_lookalikes",
)
# Generic tuning knobs, with defaults.
_READER_DEFAULTS: dict[str, Any] = {
    "max_text_value": 4,
    "near_miss": {"min_length": 4, "long_length": 8, "short": 1, "long": 2},
}


def compile_tables(data: Mapping[str, Any], pack_name: str = "") -> CompiledTables:
    """Validate and compile ``tables:`` data.

    Raises:
        TableSchemaError: with ``pack NAME: tables.KEY...: problem``.
    """
    where = f"pack {pack_name}: tables" if pack_name else "tables"
    reader = _reader(data.get("reader") or {}, f"{where}.reader")
    row_sets = data.get("row_sets") or {}
    if not isinstance(row_sets, Mapping):
        raise TableSchemaError(f"{where}.row_sets: must be a mapping")
    schemas = []
    for key, spec in data.items():
        if key in RESERVED:
            continue
        schemas.append(_schema(str(key), spec, row_sets, f"{where}.{key}"))
    schemas.sort(key=lambda s: (s.order, s.key))
    return CompiledTables(reader, tuple(schemas))


def _reader(spec: Any, where: str) -> ReaderSpec:
    if not isinstance(spec, Mapping):
        raise TableSchemaError(f"{where}: must be a mapping")
    unknown = set(spec) - set(_READER_DEFAULTS) - set(_READER_REQUIRED)
    if unknown:
        raise TableSchemaError(f"{where}: unknown key '{sorted(unknown)[0]}'")
    missing = [key for key in _READER_REQUIRED if key not in spec]
    if missing:
        raise TableSchemaError(f"{where}: missing '{missing[0]}'")
    merged = {**_READER_DEFAULTS, **spec}
    if any(len(str(z)) != 1 for z in merged["zero_lookalikes"]):
        raise TableSchemaError(f"{where}.zero_lookalikes: one character each")
    near = {**_READER_DEFAULTS["near_miss"], **(merged["near_miss"] or {})}
    try:
        return ReaderSpec(
            numbering=pack_regex(str(merged["numbering"])),
            amount_units=tuple(str(u) for u in merged["amount_units"]),
            count_units=tuple(str(u) for u in merged["count_units"]),
            unit_in_header=pack_regex(str(merged["unit_in_header"])),
            zero_lookalikes=frozenset(str(z) for z in merged["zero_lookalikes"]),
            max_text_value=int(merged["max_text_value"]),
            near_miss=NearMiss(
                int(near["min_length"]),
                int(near["long_length"]),
                int(near["short"]),
                int(near["long"]),
            ),
        )
    except (re.error, TypeError, ValueError) as exc:
        raise TableSchemaError(f"{where}: {exc}") from None


def _schema(
    key: str, spec: Any, row_sets: Mapping[str, Any], where: str
) -> TableSchema:
    if not _KEY.match(key):
        raise TableSchemaError(f"{where}: table key must be snake_case")
    if not isinstance(spec, Mapping):
        raise TableSchemaError(f"{where}: must be a mapping")
    _only(spec, _TABLE_KEYS, where)
    for required in ("section", "columns", "rows"):
        if required not in spec:
            raise TableSchemaError(f"{where}: missing '{required}'")
    columns = tuple(
        _column(item, f"{where}.columns[{i}]")
        for i, item in enumerate(_list(spec["columns"], f"{where}.columns"))
    )
    _unique([c.key for c in columns], f"{where}.columns")
    rows = tuple(_rows(spec["rows"], row_sets, f"{where}.rows"))
    _unique([r.key for r in rows], f"{where}.rows")
    groups = {r.key for r in rows if r.group}
    members: dict[str, list[str]] = {g: [] for g in groups}
    for row in rows:
        if row.parent is not None:
            if row.parent not in groups:
                raise TableSchemaError(
                    f"{where}.rows: row '{row.key}' is in unknown group '{row.parent}'"
                )
            members[row.parent].append(row.key)
    unlabelled = [r for r in rows if r.label is None]
    if unlabelled and len(rows) > 1:
        raise TableSchemaError(f"{where}.rows: only a single-row table may omit label")
    if not columns or not [r for r in rows if not r.group]:
        raise TableSchemaError(f"{where}: needs at least one column and one data row")
    caption = spec.get("caption")
    return TableSchema(
        key=key,
        title=str(spec.get("title") or caption or key),
        section=str(spec["section"]),
        order=int(spec.get("order", 0)),
        caption=str(caption) if caption else None,
        header=tuple(str(h) for h in _list(spec.get("header") or [], where)),
        columns=columns,
        rows=rows,
        members={g: tuple(m) for g, m in members.items()},
    )


def _column(item: Any, where: str) -> ColumnSpec:
    if not isinstance(item, Mapping) or "key" not in item or "label" not in item:
        raise TableSchemaError(f"{where}: a column needs 'key' and 'label'")
    _only(item, _COLUMN_KEYS, where)
    key = str(item["key"])
    if not _KEY.match(key):
        raise TableSchemaError(f"{where}: key '{key}' must be snake_case")
    kind = str(item.get("type", "count"))
    if kind not in COLUMN_TYPES:
        raise TableSchemaError(
            f"{where}: type '{kind}' is not one of {', '.join(COLUMN_TYPES)}"
        )
    label = str(item["label"])
    return ColumnSpec(
        key=key,
        label=label,
        aliases=tuple(str(a) for a in item.get("aliases") or []),
        type=kind,
        unit=str(item.get("unit") or ""),
        name=str(item.get("name") or label),
        groups=tuple(str(g) for g in _list(item.get("groups") or [], where)),
    )


def _rows(items: Any, row_sets: Mapping[str, Any], where: str) -> list[RowSpec]:
    out: list[RowSpec] = []
    for i, item in enumerate(_list(items, where)):
        here = f"{where}[{i}]"
        if not isinstance(item, Mapping):
            raise TableSchemaError(f"{here}: must be a mapping")
        _only(item, _ROW_KEYS, here)
        if "rows" in item:
            name = str(item["rows"])
            if name not in row_sets:
                raise TableSchemaError(f"{here}: unknown row set '{name}'")
            out.extend(_rows(row_sets[name], {}, f"row_sets.{name}"))
            continue
        is_group = "group" in item
        if is_group == ("key" in item):
            raise TableSchemaError(f"{here}: a row needs exactly one of 'key', 'group'")
        key = str(item["group"] if is_group else item["key"])
        if not _KEY.match(key):
            raise TableSchemaError(f"{here}: key '{key}' must be snake_case")
        label = item.get("label")
        if is_group and not label:
            raise TableSchemaError(f"{here}: a group needs a 'label'")
        out.append(
            RowSpec(
                key=key,
                label=str(label) if label else None,
                aliases=tuple(str(a) for a in item.get("aliases") or []),
                parent=str(item["in"]) if item.get("in") else None,
                group=is_group,
            )
        )
    return out


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise TableSchemaError(f"{where}: must be a list")
    return value


def _only(item: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(item) - allowed)
    if unknown:
        raise TableSchemaError(f"{where}: unknown key '{unknown[0]}'")


def _unique(keys: list[str], where: str) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise TableSchemaError(f"{where}: key '{key}' used twice")
        seen.add(key)


def compiled_tables(pack: Pack) -> CompiledTables:
    """The pack's compiled schemas (compiled once per process and pack object).

    Raises:
        TableSchemaError: the pack's ``tables:`` data is malformed.
    """
    return per_object(pack, _compile_pack_tables)


def _compile_pack_tables(pack: Pack) -> CompiledTables:
    return compile_tables(pack.tables, pack.name)

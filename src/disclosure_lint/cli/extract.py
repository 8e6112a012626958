"""``disclosure-lint extract``: every table cell the reader found, as data.

For evaluators who aggregate statistics over many reports. One record per
cell of every row found: file, edition, table, row and column keys, value,
raw text, status, unit, the 1-based line and column (in characters) where
the cell's text starts and ends in the text the rules read (for a Word
document, web page or PDF: as ``disclosure-lint render`` numbers it), and
its ``location`` in the source file (the ``location`` object of the check
JSON: a Word table cell, a PDF page and line, a place in the HTML source).
JSON is one object (``version``, ``files``, ``cells``); CSV is one header
line and one line per cell, the ``location`` as compact JSON. ``table``
draws each table as a grid for people (``extract_table``).

Version 2: every cell has a ``location``.

A row the linter reports as unreadable (``TB007``: more or fewer values
than columns; ``TB008``: digits it cannot split) has every cell
``ambiguous``, with no value: which column each value belongs to is unknown.

A file that cannot be read gets a one-line error on stderr and an ``error``
in the JSON ``files`` list; the other files are still extracted. File names
are written as every report writes them (``document.paths.escape_path``).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from ..document.grids import TableGrid
from ..document.paths import escape_path
from ..document.source import TextLocation
from ..document.text import Document
from ..engine.lint import EditionError, build_report
from ..inputs.errors import LoadError
from ..inputs.load import load_document
from ..inputs.paths import expand_paths
from ..kinds.report import LintOptions, Report
from ..packs.model import PackSet
from ..tables.schema import TableSchemaError
from ..tables.table import AMBIGUOUS, MISSING, Cell, Row
from .run import NO_DRAFTS

EXTRACT_VERSION = 2
FIELDS = (
    "file",
    "edition",
    "table",
    "row",
    "column",
    "value",
    "raw",
    "status",
    "unit",
    "line",
    "col",
    "end_line",
    "end_col",
    "location",
)
FORMATS = ("json", "csv", "table")


@dataclass(slots=True)
class FileCells:
    """The cells of one file, or the reason it could not be read."""

    path: str
    cells: list[dict[str, Any]]
    error: str | None = None
    year: int | None = None
    edition: str | None = None
    grids: tuple[TableGrid, ...] = ()


def cell_records(report: Report) -> Iterator[dict[str, Any]]:
    """One record per cell of every row read, in table, row, column order."""
    doc: Document = report.document
    source = doc.source
    for table in report.tables:
        for spec in table.schema.data_rows:
            row = table.rows.get(spec.key)
            if row is None:
                continue
            cells = [
                row.cells[column.key]
                for column in table.schema.columns
                if column.key in row.cells
            ]
            if row.uncertain:
                cells = _unplaced(doc, row, cells)
            for cell in cells:
                start = doc.position(cell.start)
                end = doc.position(cell.end)
                where = source.locate(cell.start, cell.end) if source else None
                if where is None:
                    where = TextLocation(start.line, start.column, end.line, end.column)
                yield {
                    "file": escape_path(doc.path),
                    "edition": report.pack.edition,
                    "table": cell.table,
                    "row": cell.row,
                    "column": cell.column,
                    "value": cell.value,
                    "raw": cell.raw,
                    "status": cell.status,
                    "unit": cell.unit or table.unit(cell.column),
                    "line": start.line,
                    "col": start.column,
                    "end_line": end.line,
                    "end_col": end.column,
                    "location": where.to_dict(),
                }


def _unplaced(doc: Document, row: Row, cells: list[Cell]) -> list[Cell]:
    """The cells of a row the linter cannot place (TB007, TB008), unplaced.

    NOTE: the reader puts a row's values into columns anyway (too many: the
    first ones; too few: the rightmost columns), but the rules use none of
    them, as one value too many or too few shifts every other one. Exported
    as numbers, those guesses would read as facts; so every cell of the row
    is ``ambiguous``, without a value, and its raw text and position are
    those of all the row's values as written.
    """
    spans = [(c.start, c.end) for c in cells if c.status != MISSING]
    if row.problem_span is not None:
        spans.append((row.problem_span.start, row.problem_span.end))
    if not spans:
        spans.append((row.anchor.start, row.anchor.end))
    start = min(s for s, _ in spans)
    end = max(e for _, e in spans)
    raw = doc.text[start:end]
    return [
        cell._replace(
            status=AMBIGUOUS, value=None, unit="", raw=raw, start=start, end=end
        )
        for cell in cells
    ]


def extract_file(
    path: str, packset: PackSet, options: LintOptions, grids: bool = False
) -> FileCells:
    """Read one file's tables; a bad file becomes an error entry.

    With ``grids``, the tables as grids (``extract --format table``) instead
    of cell records.
    """
    try:
        doc = load_document(path)
        report = build_report(doc, packset, options)
        if grids:
            from ..engine.grids import table_grids

            return FileCells(
                path,
                [],
                year=report.outline.year,
                edition=report.pack.edition,
                grids=table_grids(report),
            )
    except (LoadError, EditionError, TableSchemaError) as exc:
        return FileCells(path, [], error=str(exc))
    return FileCells(
        path,
        list(cell_records(report)),
        year=report.outline.year,
        edition=report.pack.edition,
    )


def run_extract(
    paths: list[str],
    packset: PackSet,
    options: LintOptions,
    output_format: str,
    out: TextIO,
    err: TextIO,
) -> int:
    """Extract every file and write JSON, CSV or grids; 2 when any file failed."""
    grids = output_format == "table"
    files = [extract_file(p, packset, options, grids) for p in expand_paths(paths)]
    code = 0
    for result in files:
        if result.error is not None:
            err.write(f"{escape_path(result.path)}: error: {result.error}\n")
            code = 2
    if not files:
        err.write(f"disclosure-lint: error: {NO_DRAFTS}\n")
        return 2
    if grids:
        _write_tables(files, out)
    elif output_format == "csv":
        _write_csv(files, out)
    else:
        _write_json(files, out)
    return code


def _write_json(files: list[FileCells], out: TextIO) -> None:
    payload = {
        "version": EXTRACT_VERSION,
        "files": [
            {
                "path": escape_path(f.path),
                "year": f.year,
                "edition": f.edition,
                "cells": len(f.cells),
                **({"error": f.error} if f.error is not None else {}),
            }
            for f in files
        ],
        "cells": [cell for f in files for cell in f.cells],
    }
    out.write(json.dumps(payload, ensure_ascii=False, indent=1, sort_keys=True))
    out.write("\n")


def _write_tables(files: list[FileCells], out: TextIO) -> None:
    from .extract_table import terminal_width, write_grids

    width = terminal_width()
    for number, f in enumerate(files):
        if f.error is not None:
            continue
        if number:
            out.write("\n")
        for line in write_grids(escape_path(f.path), f.year, f.edition, f.grids, width):
            out.write(line + "\n")


def _write_csv(files: list[FileCells], out: TextIO) -> None:
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for f in files:
        for cell in f.cells:
            row = {k: "" if cell[k] is None else cell[k] for k in FIELDS}
            row["location"] = json.dumps(
                cell["location"], ensure_ascii=False, separators=(",", ":")
            )
            writer.writerow(row)

"""Digits run together, split by the table's own equations (勾稽关系).

A crawled page loses the borders between cells: ``21710000218`` is a row of
seven cells. Only the table's equations tell where one number ends: this
step tries every way to cut the digits into one number per column (no
leading zero in a number of several digits), keeps the cuts that satisfy
the row's equations (``total == natural_person + …``), then, across rows,
those whose values satisfy the column equations (``new + carried_over ==
total + carried_forward``, a group being the sum of its rows).

Exactly one cut left: the row's cells are read from it (``problem``
``split``, reported as information: rule TB013). None or several: the row's
cells are ``ambiguous`` (``problem`` ``unsplit``, a warning: TB014) and no
equation uses them. A guess is never a value.

Bounded: the cuts of one row are enumerated depth first, column by column,
and an equation is checked as soon as its last column is cut, so most
branches die early; at most ``MAX_NODES`` steps a row and ``MAX_COMBINATIONS``
combinations of rows are tried, beyond which the row is ``unsplit``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import product

from ..document.fold import fold
from .equations import Equation
from .table import AMBIGUOUS, NUMBER, Cell, Row, Table

#: Steps of the search for the rows of one table; rows left when they are
#: spent are undecided (``unsplit``). NOTE: a step costs ~5-10 µs, so a
#: table costs at most ~0.2 s, however its digits run (measured in the
#: report of issue 13); a real crawled table takes a few hundred steps.
MAX_NODES = 20_000
#: Steps for one row (so that one pathological row leaves the others some).
MAX_ROW_NODES = 5_000
#: Combinations of the rows' cuts checked against the column equations.
MAX_COMBINATIONS = 256
#: Longest number a cut makes (a count of 100 million is no table cell).
MAX_DIGITS = 8
#: Row problems whose digits this step splits.
RUN_TOGETHER = ("run-together", "unsplittable")

Cut = tuple[int, ...]
#: What ``cuts`` returns when its budget ran out: undecided, never a guess.
UNDECIDED: list[Cut] = [(), ()]


def split_table(
    table: Table,
    text: str,
    row_equations: Sequence[Equation],
    column_equations: Sequence[Equation],
) -> None:
    """Split every run-together row of ``table`` (read from ``text``)."""
    rows = [
        row
        for row in table.rows.values()
        if row.problem in RUN_TOGETHER and row.problem_span is not None
    ]
    if not rows:
        return
    columns = table.schema.column_keys
    found: dict[str, list[Cut]] = {}
    digits_of: dict[str, tuple[str, list[int]]] = {}
    budget = [MAX_NODES]  # NOTE: shared by the rows of the table
    for row in rows:
        span = row.problem_span
        assert span is not None
        folded = fold(text[span.start : span.end], span.start)
        if not (folded.text.isascii() and folded.text.isdigit()):
            continue
        digits_of[row.spec.key] = (folded.text, list(folded.offsets))
        steps = [min(MAX_ROW_NODES, budget[0])]
        found[row.spec.key] = cuts(folded.text, columns, row_equations, steps)
        budget[0] -= min(MAX_ROW_NODES, budget[0]) - steps[0]
    undecided = {key for key, options in found.items() if options is UNDECIDED}
    for key in undecided:
        found[key] = []
    texts = {key: found_digits for key, (found_digits, _) in digits_of.items()}
    chosen = _across_rows(table, found, column_equations, texts)
    for row in rows:
        key = row.spec.key
        if key not in digits_of:
            continue
        cut = chosen.get(key)
        row.splits = -1 if key in undecided else len(found[key])
        if cut is None:
            _ambiguous(row, table, text)
        else:
            _place(row, table, text, digits_of[key][1], cut)
    table.forget_derived()


def cuts(
    digits: str,
    columns: Sequence[str],
    equations: Sequence[Equation],
    budget: list[int] | None = None,
) -> list[Cut]:
    """Every cut of ``digits`` into one number per column that fits ``equations``.

    A cut is the length of each number (``UNDECIDED`` when the steps in
    ``budget`` ran out). An equation is checked when its
    last column is cut; before that, a sum ``total == a + b + …`` whose
    ``total`` comes later prunes a branch whose ``a + b`` already exceeds
    the largest number the digits left could give ``total``. Over
    ``MAX_NODES`` steps the row is undecided.
    """
    width = len(columns)
    index = {key: i for i, key in enumerate(columns)}
    due: dict[int, list[Equation]] = {}
    for equation in equations:
        at = [index[name] for name in equation.names if name in index]
        if len(at) == len(equation.names):
            due.setdefault(max(at), []).append(equation)
    bounds = _bounds(equations, index)
    values: list[int] = []
    lengths: list[int] = []
    out: list[Cut] = []
    if budget is None:
        budget = [MAX_NODES]

    def value(name: str) -> int:
        return values[index[name]]

    def walk(position: int, column: int) -> None:
        budget[0] -= 1
        if budget[0] < 0:
            return
        left = len(digits) - position
        remaining = width - column
        if remaining == 0:
            if left == 0:
                out.append(tuple(lengths))
            return
        if left < remaining or left > remaining * MAX_DIGITS:
            return
        longest = min(MAX_DIGITS, left - remaining + 1)
        if digits[position] == "0":
            longest = 1  # NOTE: no leading zero in a number of several digits
        for size in range(1, longest + 1):
            values.append(int(digits[position : position + size]))
            lengths.append(size)
            if all(_holds(e, value) for e in due.get(column, ())) and _possible(
                bounds, values, column, left - size, width
            ):
                walk(position + size, column + 1)
            values.pop()
            lengths.pop()

    walk(0, 0)
    if budget[0] < 0:
        budget[0] = 0
        return UNDECIDED
    return out


# A sum to bound: the column of ``total`` and the columns added up.
_Bound = tuple[int, tuple[int, ...]]


def _bounds(equations: Sequence[Equation], index: Mapping[str, int]) -> list[_Bound]:
    """``total == a + b + …`` equations (every term ``+ name`` of the row)."""
    found: list[_Bound] = []
    for equation in equations:
        for one, other in (
            (equation.left, equation.right),
            (equation.right, equation.left),
        ):
            terms = [*one.terms, *other.terms]
            if len(one.terms) == 1 and all(
                t.sign == 1 and t.name in index for t in terms
            ):
                found.append(
                    (
                        index[str(one.terms[0].name)],
                        tuple(index[str(n)] for n in other.names),
                    )
                )
    return found


def _possible(
    bounds: list[_Bound], values: list[int], column: int, left: int, width: int
) -> bool:
    """False when a partial sum already exceeds what its total can still be.

    ``left`` digits remain after ``column``; every later column but the
    total's takes at least one of them.
    """
    for total, parts in bounds:
        if total <= column:
            continue
        room = min(MAX_DIGITS, left - (width - column - 2))
        partial = sum(values[i] for i in parts if i <= column)
        if room < 1 or partial >= 10**room:
            return False
    return True


def _holds(equation: Equation, value: Callable[[str], int]) -> bool:
    return equation.left.evaluate(value) == equation.right.evaluate(value)


def _across_rows(
    table: Table,
    found: dict[str, list[Cut]],
    equations: Sequence[Equation],
    digits: dict[str, str],
) -> dict[str, Cut]:
    """The cut of each row that the column equations leave alone, if one."""
    keys = [key for key, options in found.items() if options]
    unique = {key: found[key][0] for key in keys if len(found[key]) == 1}
    if not equations:
        return unique
    count = 1
    for key in keys:
        count *= len(found[key])
    if count > MAX_COMBINATIONS:
        return unique
    columns = table.schema.column_keys
    survivors: list[tuple[Cut, ...]] = []
    for combination in product(*(found[key] for key in keys)):
        numbers = {
            key: _numbers(digits[key], cut)
            for key, cut in zip(keys, combination, strict=True)
        }
        if all(
            _column_holds(table, numbers, equation, i)
            for equation in equations
            for i in range(len(columns))
        ):
            survivors.append(combination)
    if not survivors:
        # NOTE: the column equations fail whatever the cuts: a defect of the
        # table, reported by its balance rules; rows their own equations
        # decide keep their cut.
        return unique
    chosen: dict[str, Cut] = {}
    for i, key in enumerate(keys):
        options = {combination[i] for combination in survivors}
        if len(options) == 1:
            chosen[key] = options.pop()
    return chosen


def _numbers(digits: str, cut: Cut) -> list[int]:
    out: list[int] = []
    at = 0
    for size in cut:
        out.append(int(digits[at : at + size]))
        at += size
    return out


def _column_holds(
    table: Table, numbers: dict[str, list[int]], equation: Equation, column: int
) -> bool:
    """``equation`` in one column, or True when a value it needs is unknown."""
    schema = table.schema
    key = schema.column_keys[column]

    def cell(name: str) -> int | float | None:
        if name in numbers:
            return numbers[name][column]
        members = schema.members.get(name)
        if members is not None:
            total: int | float = 0
            for member in members:
                found = cell(member)
                if found is None:
                    return None
                total += found
            return total
        row = table.rows.get(name)
        if row is None or row.uncertain or row.problem in RUN_TOGETHER:
            return None
        value = row.cells.get(key)
        return value.number if value is not None and value.usable else None

    left, right = equation.left.evaluate(cell), equation.right.evaluate(cell)
    return left is None or right is None or left == right


def _place(row: Row, table: Table, text: str, offsets: list[int], cut: Cut) -> None:
    cells: dict[str, Cell] = {}
    at = 0
    for key, size in zip(table.schema.column_keys, cut, strict=True):
        start, end = offsets[at], offsets[at + size - 1] + 1
        raw = text[start:end]
        value = int("".join(c for c in fold(raw).text))
        cells[key] = Cell(table.key, row.spec.key, key, NUMBER, raw, start, end, value)
        at += size
    row.cells = cells
    row.plain = False
    row.problem = "split"


def _ambiguous(row: Row, table: Table, text: str) -> None:
    span = row.problem_span
    assert span is not None
    raw = text[span.start : span.end]
    row.cells = {
        key: Cell(table.key, row.spec.key, key, AMBIGUOUS, raw, span.start, span.end)
        for key in table.schema.column_keys
    }
    row.plain = False
    row.problem = "unsplit"


def equations_for(
    table: str, balance: Iterable[tuple[str, str, Sequence[Equation]]]
) -> tuple[list[Equation], list[Equation]]:
    """Row-wise and column-wise equations of ``table`` among ``balance``.

    ``balance``: (table key, ``row`` or ``column``, equations) per rule.
    """
    rows: list[Equation] = []
    columns: list[Equation] = []
    for key, for_each, equations in balance:
        if key == table:
            (rows if for_each == "row" else columns).extend(equations)
    return rows, columns

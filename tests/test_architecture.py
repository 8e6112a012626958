"""The package layout of docs/architecture.md holds for the real imports.

The import graph of ``src/disclosure_lint`` is built with ``ast``: every
``import`` and ``from ... import`` counts, at module level or inside a
function (a lazy import is still a dependency), except those under
``if TYPE_CHECKING:`` (annotations only, never run). A package's
``__init__`` counts by its own imports only: importing ``a.b`` runs
``a/__init__``, but that does not make ``a.b`` depend on what ``a`` exports.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
PACKAGE = "disclosure_lint"
DOC = ROOT / "docs" / "architecture.md"
#: One job per module: a module over this many lines does several (about 400;
#: the table reader's loop, 428 lines, is one job).
MAX_LINES = 430


def _module_name(path: Path) -> tuple[str, bool]:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def _imports(tree: ast.AST, module: str, is_package: bool, known: set[str]) -> set[str]:
    """Modules of the package that ``tree`` imports (TYPE_CHECKING aside)."""
    found: set[str] = set()
    package = module if is_package else module.rpartition(".")[0]

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in known)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            for alias in node.names:
                # ``from pkg import module`` depends on the module itself.
                sub = f"{target}.{alias.name}"
                if sub in known:
                    found.add(sub)
                elif target in known:
                    found.add(target)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    found.discard(module)
    return found


def import_graph() -> dict[str, set[str]]:
    """Module name -> the package's modules it imports."""
    paths = sorted((SRC / PACKAGE).rglob("*.py"))
    names = {path: _module_name(path) for path in paths}
    known = {name for name, _ in names.values()}
    return {
        name: _imports(ast.parse(path.read_text(encoding="utf-8")), name, pkg, known)
        for path, (name, pkg) in names.items()
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle as a path ``[a, b, ..., a]``, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def unit(module: str) -> str:
    """The layer a module belongs to: its package, or the top-level module."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def doc_layers() -> dict[str, set[str]]:
    """``unit -> units it may import``, read from the table in the doc.

    Rows look like ``| `tables/` | job | `document`, `regex` |``.
    """
    layers: dict[str, set[str]] = {}
    row = re.compile(r"^\|\s*`([\w.]+)/?`\s*\|[^|]*\|([^|]*)\|\s*$")
    for line in DOC.read_text(encoding="utf-8").splitlines():
        match = row.match(line)
        if match:
            name = match.group(1).removesuffix(".py")
            layers[name] = {
                n.removesuffix(".py")
                for n in re.findall(r"`([\w.]+)/?`", match.group(2))
            }
    return layers


def test_cycle_finder_names_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_graph_sees_lazy_imports_but_not_type_checking() -> None:
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "from .a import x\n"
        "if TYPE_CHECKING:\n    from .b import y\n"
        "def f():\n    from .c import z\n"
    )
    known = {"p.a", "p.b", "p.c", "p.m"}
    assert _imports(tree, "p.m", False, known) == {"p.a", "p.c"}


def test_no_import_cycles() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_imports_follow_the_documented_layers() -> None:
    layers = doc_layers()
    graph = import_graph()
    units = {unit(m) for m in graph}
    assert units <= set(layers), f"not in docs/architecture.md: {units - set(layers)}"
    wrong = sorted(
        f"{module} imports {target}"
        for module, targets in graph.items()
        for target in targets
        if unit(target) != unit(module) and unit(target) not in layers[unit(module)]
    )
    assert not wrong, "imports the layers of docs/architecture.md forbid:\n" + (
        "\n".join(wrong)
    )


#: The steps of table reading, in order: each imports only the steps before.
TABLE_STEPS = [
    "equations",
    "schema",
    "compile",
    "refs",
    "tokens",
    "pieces",
    "labels",
    "table",
    "values",
    "layout",
    "region",
    "reader",
    "split",
]


def test_table_steps_import_only_earlier_steps() -> None:
    graph = import_graph()
    prefix = f"{PACKAGE}.tables."
    modules = {m.removeprefix(prefix) for m in graph if m.startswith(prefix)}
    assert modules == set(TABLE_STEPS)
    wrong = [
        f"tables.{step} imports tables.{target}"
        for i, step in enumerate(TABLE_STEPS)
        for target in (
            t.removeprefix(prefix) for t in graph[prefix + step] if t.startswith(prefix)
        )
        if target not in TABLE_STEPS[:i]
    ]
    assert not wrong, wrong


def test_only_the_cli_prints() -> None:
    calls = []
    for path in sorted((SRC / PACKAGE).rglob("*.py")):
        name, _ = _module_name(path)
        if unit(name) in ("cli", "__main__"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("print", "input")
            ):
                calls.append(f"{name}:{node.lineno}")
    assert not calls


def test_modules_do_one_job() -> None:
    long = sorted(
        f"{path.relative_to(SRC)}: {n} lines"
        for path in (SRC / PACKAGE).rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    )
    assert not long, long

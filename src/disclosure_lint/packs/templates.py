"""Checking message templates at pack load: allowed syntax and bounded output.

Packs may come from untrusted hands: a template is parsed with jinja2 and
refused (``TemplateError``) if it uses anything beyond variable output,
the allowed filters and tests, conditionals and loops, or could render more
than ``MAX_MESSAGE_CHARS`` (``_Cost`` bounds the output of loops and filters).
"""

from __future__ import annotations

import re
from typing import Any

from .messages import (
    _SIMPLE_PART,
    MAX_ARG_CHARS,
    MAX_MESSAGE_CHARS,
    TemplateError,
    _environment,
    is_simple,
)

# NOTE: filters and tests a message may use, each with a known bound on its
# output (see ``_Cost``). Left out on purpose: ``attr``, ``map``, ``select``
# & co. (attribute lookup by name), ``format``, ``center``, ``indent``,
# ``wordwrap``, ``batch`` (output or memory sized by an argument), and
# ``list``, ``sort``, ``unique``, ``sum`` (lists, whose text is their repr).
FILTERS = frozenset(
    {
        "abs",
        "capitalize",
        "count",
        "d",
        "default",
        "first",
        "float",
        "int",
        "join",
        "last",
        "length",
        "lower",
        "replace",
        "round",
        "string",
        "title",
        "trim",
        "upper",
    }
)
TESTS = frozenset({"defined", "undefined", "none", "number", "string", "sequence"})
#: Most work (characters made, loop rounds) rendering one message may take.
MAX_TEMPLATE_COST = 100_000
# Filters whose output is at most their input, times this (str.upper() and
# co. turn one character into at most three, e.g. 'ΐ' into 3).
_GROWTH = {"upper": 3, "lower": 3, "title": 3, "capitalize": 3}
_SAME = frozenset({"trim", "first", "last", "string"})
_NUMBER = frozenset({"length", "count", "abs", "int", "float", "round"})
_SMALL = 32  # characters of a number, a boolean or None


def validate(template: str) -> None:
    """Reject malformed or unsafe templates (called at pack load).

    Raises:
        TemplateError: with a one-line reason.
    """
    if is_simple(template):
        names = len(re.findall(_SIMPLE_PART, template))
        size = len(re.sub(_SIMPLE_PART, "", template)) + names * MAX_ARG_CHARS
        _check_size(size, size)
        return
    from jinja2 import TemplateSyntaxError, nodes

    env = _environment()
    try:
        tree = env.parse(template)
    except TemplateSyntaxError as exc:
        raise TemplateError(f"template syntax error: {exc.message}") from None
    allowed = (
        nodes.Template,
        nodes.Output,
        nodes.TemplateData,
        nodes.Name,
        nodes.Const,
        nodes.Filter,
        nodes.If,
        nodes.For,
        nodes.Compare,
        nodes.Operand,
        nodes.And,
        nodes.Or,
        nodes.Not,
        nodes.Getitem,
        nodes.Getattr,
        nodes.Add,
        nodes.Sub,
        nodes.Concat,
        nodes.CondExpr,
        nodes.Tuple,
        nodes.List,
        nodes.Test,
    )
    globals_ = set(env.globals)
    for node in tree.find_all(nodes.Node):
        if not isinstance(node, allowed):
            raise TemplateError(
                f"template uses '{type(node).__name__}', which packs may not use"
            )
        name = getattr(node, "attr", None) or getattr(node, "name", None)
        if isinstance(name, str) and name.startswith("_"):
            raise TemplateError(f"template reaches for internal name '{name}'")
        if isinstance(node, nodes.Name) and node.name in globals_:
            raise TemplateError(
                f"template uses the global '{node.name}'; use only message arguments"
            )
        if isinstance(node, nodes.Filter) and node.name not in FILTERS:
            raise TemplateError(
                f"template uses filter '{node.name}', which packs may not use "
                f"(allowed: {', '.join(sorted(FILTERS))})"
            )
        if isinstance(node, nodes.Test) and node.name not in TESTS:
            raise TemplateError(
                f"template uses test '{node.name}', which packs may not use "
                f"(allowed: {', '.join(sorted(TESTS))})"
            )
        if isinstance(node, nodes.Getitem) and not (
            isinstance(node.arg, nodes.Const)
            and isinstance(node.arg.value, int | str)
            and not str(node.arg.value).startswith("_")
        ):
            raise TemplateError(
                "template indexes with something other than a plain key "
                "(only x[0] or x['key'] may be used)"
            )
    _check_lists(tree, nodes)
    size, work = _Cost(nodes).of(tree.body)
    _check_size(size, work)


def _check_lists(tree: Any, nodes: Any) -> None:
    """Lists may only be looped over or tested with ``in``, and hold no lists.

    NOTE: a rendered list is its repr, which can be ten times its text
    (escapes); ``_Cost`` bounds text, so no list may be rendered.
    """
    allowed = set()
    for loop in tree.find_all(nodes.For):
        allowed |= {id(loop.iter), id(loop.target)}
    for operand in tree.find_all(nodes.Operand):
        allowed.add(id(operand.expr))
    for node in tree.find_all(nodes.List | nodes.Tuple):
        inner = [i for i in node.items if isinstance(i, nodes.List | nodes.Tuple)]
        if id(node) not in allowed or inner:
            raise TemplateError(
                "template renders or nests a list; a list may only be looped "
                "over ({% for x in [a, b] %}) or tested ({% if x in [a, b] %})"
            )


def _check_size(size: int, work: int) -> None:
    """Refuse a template that could render too much or work too long."""
    if size > MAX_MESSAGE_CHARS:
        raise TemplateError(
            f"template can render up to {size:,} characters (more than "
            f"{MAX_MESSAGE_CHARS:,}, with each argument {MAX_ARG_CHARS} long); "
            "use fewer arguments, loops or growing filters (replace, join)"
        )
    if work > MAX_TEMPLATE_COST:
        raise TemplateError(
            f"template can take up to {work:,} steps to render (more than "
            f"{MAX_TEMPLATE_COST:,}); do not nest loops"
        )


class _Cost:
    """Upper bounds on what a validated template renders and the work it takes.

    ``of`` returns ``(size, work)``: ``size`` bounds the characters of a
    node's text (and, for a loop's iterable, its number of items), ``work``
    the characters made and loop rounds taken while rendering it, given
    that every argument renders to at most ``MAX_ARG_CHARS`` characters
    (``render`` makes sure of that). Lists are only iterated or tested with
    ``in``, never rendered (``validate`` refuses the rest).
    """

    def __init__(self, nodes: Any) -> None:
        """Bounds for the jinja2 ``nodes`` module's node types."""
        self.nodes = nodes
        self.bound: dict[str, int] = {}  # loop variables in scope

    def of(self, items: list[Any]) -> tuple[int, int]:
        """Bounds for a list of statements or output nodes, rendered in order."""
        size = work = 0
        for item in items:
            more, cost = self.node(item)
            size, work = size + more, work + cost
        return size, work

    def node(self, node: Any) -> tuple[int, int]:
        """``(size, work)`` of one node."""
        n = self.nodes
        if isinstance(node, n.Output):
            return self.of(node.nodes)
        if isinstance(node, n.If):
            branches = [self.of(node.body), self.of(node.else_)]
            branches += [self.of(e.body) for e in node.elif_]
            test = sum(self.node(e.test)[1] for e in [node, *node.elif_])
            return max(b[0] for b in branches), test + max(b[1] for b in branches)
        if isinstance(node, n.For):
            return self._loop(node)
        size, work = self._expression(node)
        return size, work + size

    def _loop(self, node: Any) -> tuple[int, int]:
        n = self.nodes
        rounds, work = self.node(node.iter)
        item = rounds
        if isinstance(node.iter, n.Name) and node.iter.name not in self.bound:
            item = 1  # NOTE: an argument is text, whose items are characters
        elif isinstance(node.iter, n.List | n.Tuple):
            item = max([0, *(self.node(i)[0] for i in node.iter.items)])
            rounds = len(node.iter.items)
        saved = dict(self.bound)
        targets = [node.target, *node.target.find_all(n.Name)]
        for target in targets:
            if isinstance(target, n.Name):
                self.bound[target.name] = item
        test = self.node(node.test)[1] if node.test is not None else 0
        size, cost = self.of(node.body)
        self.bound = saved
        other, other_cost = self.of(node.else_)
        total = rounds * size + other
        return total, work + rounds * (1 + test + cost) + other_cost

    def _expression(self, node: Any) -> tuple[int, int]:
        """``(size, work)`` of an expression; ``node`` adds its size to work."""
        n = self.nodes
        if isinstance(node, n.TemplateData):
            return len(node.data), 0
        if isinstance(node, n.Const):
            return len(str(node.value)), 0
        if isinstance(node, n.Name):
            return self.bound.get(node.name, MAX_ARG_CHARS), 0
        if isinstance(node, n.List | n.Tuple):
            parts = [self.node(item) for item in node.items]
            size = sum(p[0] for p in parts) + len(parts)
            return size, sum(p[1] for p in parts)
        if isinstance(node, n.Filter):
            return self._filter(node)
        if isinstance(node, n.Concat):
            return self.of(node.nodes)
        if isinstance(node, n.Add | n.Sub):
            left, right = self.node(node.left), self.node(node.right)
            return left[0] + right[0] + 1, left[1] + right[1]
        if isinstance(node, n.And | n.Or):
            left, right = self.node(node.left), self.node(node.right)
            return max(left[0], right[0], _SMALL), left[1] + right[1]
        if isinstance(node, n.CondExpr):
            test = self.node(node.test)[1]
            one = self.node(node.expr1)
            two = self.node(node.expr2) if node.expr2 is not None else (0, 0)
            return max(one[0], two[0]), test + one[1] + two[1]
        if isinstance(node, n.Getitem | n.Getattr):
            # NOTE: an item or key of a value is no longer than it; an
            # attribute is a method, whose repr is short.
            inner = self.node(node.node)
            return max(inner[0], 100), inner[1]
        # Compare, Operand, Not, Test: a boolean, from what they compare.
        work = sum(self.node(child)[1] for child in node.iter_child_nodes())
        return _SMALL, work

    def _filter(self, node: Any) -> tuple[int, int]:
        size, work = self.node(node.node)
        args = [self.node(a) for a in node.args]
        work += sum(a[1] for a in args)
        name = node.name
        if name in _GROWTH:
            size *= _GROWTH[name]
        elif name in _NUMBER:
            size = max(size, _SMALL)
        elif name in ("default", "d"):
            size = max([size, *(a[0] for a in args[:1])])
        elif name == "join":
            separator = args[0][0] if args else 0
            size = size * (1 + separator)
        elif name == "replace":
            size = self._replace(node.args, size, [a[0] for a in args])
        elif name not in _SAME:  # pragma: no cover - validate allows no other
            raise TemplateError(f"template uses filter '{name}'")
        return size, work + size

    def _replace(self, args: list[Any], size: int, sizes: list[int]) -> int:
        """Longest result of ``replace(old, new[, count])`` on ``size`` chars."""
        n = self.nodes
        new = sizes[1] if len(sizes) > 1 else 0
        old = args[0] if args else None
        if isinstance(old, n.Const) and isinstance(old.value, str) and old.value:
            # NOTE: at most size // len(old) occurrences, each longer by this.
            return size + size // len(old.value) * max(0, new - len(old.value))
        # NOTE: an empty old text puts new between every two characters.
        return size + (size + 1) * new

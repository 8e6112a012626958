"""Message templates: jinja2 in a sandbox, with a fast path for plain ones.

Packs may come from untrusted hands, so templates are checked at pack load
(``templates.validate``) and rendered in a sandbox. Templates that
only substitute ``{{ name }}``, or also choose text with ``{% if name %}`` /
``{% if name == 'value' %}`` … ``{% elif … %}`` … ``{% else %}`` …
``{% endif %}`` (every bundled message), are rendered without importing
jinja2 at all, as jinja2 would render them: importing it costs ~70 ms, half
of a pre-commit run on a draft with a broken table.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# NOTE: regex texts, used through ``re``'s functions: they are compiled on
# first use (then found in re's cache), not at import, since a run whose
# drafts have no finding renders no message.
_SIMPLE_PART = r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}"
_JINJA_MARKUP = r"\{[{%#]"
# The markup of a conditional template (see ``_conditional``).
_TAG = (
    r"\{\{\s*(?P<var>[A-Za-z_][A-Za-z0-9_]*)\s*\}\}"
    r"|\{%\s*(?P<statement>if|elif|else|endif)\b\s*(?P<condition>[^%]*?)\s*%\}"
)
_CONDITION = (
    r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"(?:\s*(?P<operator>==|!=)\s*(?P<quote>['\"])(?P<value>[^'\"\\]*)(?P=quote))?"
)


#: Longest text of one message argument (a draft can be one 5 MB line).
MAX_ARG_CHARS = 500
#: Most characters a message may render to, with every argument this long;
#: a template that could render more is refused at pack load.
MAX_MESSAGE_CHARS = 10_000


class TemplateError(ValueError):
    """A template that is malformed or reaches for Python internals."""


def is_simple(template: str) -> bool:
    """True when the template only substitutes plain ``{{ name }}`` variables."""
    stripped = re.sub(_SIMPLE_PART, "", template)
    return re.search(_JINJA_MARKUP, stripped) is None


@lru_cache(maxsize=1)
def _environment() -> Any:
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    # NOTE: messages are plain text (autoescape would turn 》 into nothing but
    # quotes into entities); HTML output escapes them again when it renders.
    return ImmutableSandboxedEnvironment(autoescape=False, keep_trailing_newline=False)


@lru_cache(maxsize=4096)
def _compiled(template: str) -> Any:
    return _environment().from_string(template)


def render(template: str, args: dict[str, Any]) -> str:
    """Render ``template`` with ``args``; missing variables render empty."""
    simple = _simple_parts(template)
    if simple is not None:
        texts = list(simple)
        for at in range(1, len(texts), 2):  # NOTE: the odd parts are the names
            texts[at] = _text(args.get(texts[at], ""))
        return "".join(texts)
    # NOTE: a pack may loop over an argument; bound what a loop can multiply
    # (and what validate assumed when it bounded the template).
    bounded = {k: _bounded(v) for k, v in args.items()}
    parts = _conditional(template)
    if parts is not None:
        out: list[str] = []
        _render_parts(parts, bounded, out)
        return "".join(out)
    return str(_compiled(template).render(**bounded))


# A conditional template as data: text, ``(name,)`` for ``{{ name }}``, or
# ``(branches, otherwise)`` for an if block, where each branch is
# ``((name, operator, value), parts)`` (operator "" tests truth).
_Condition = tuple[str, str, str]
_Part = str | tuple[str] | tuple[list[tuple[_Condition, list[Any]]], list[Any]]


_MISSING = object()
# Words jinja2 reads as constants or operators, not as variable names.
_NOT_NAMES = frozenset(
    {"true", "false", "none", "True", "False", "None", "and", "or", "not", "in", "is"}
)


@lru_cache(maxsize=4096)
def _conditional(template: str) -> list[_Part] | None:
    """The parts of a template in the conditional subset; None: use jinja2.

    NOTE: the subset is rendered exactly as jinja2 renders it; anything
    else (filters, loops, comparisons of two names, whitespace control,
    comments, a carriage return that jinja2 would normalise) goes to jinja2.
    """
    if "\r" in template:
        return None
    if template.endswith("\n"):
        template = template[:-1]  # NOTE: jinja2's keep_trailing_newline=False
    root: list[_Part] = []
    # Open if blocks: (branches, the else parts, the enclosing parts).
    stack: list[tuple[list[tuple[_Condition, list[Any]]], list[Any], list[Any]]] = []
    parts = root
    at = 0
    for tag in re.finditer(_TAG, template):
        text = template[at : tag.start()]
        if re.search(_JINJA_MARKUP, text):
            return None
        if text:
            parts.append(text)
        at = tag.end()
        if tag["var"]:
            if tag["var"] in _NOT_NAMES:
                return None
            parts.append((tag["var"],))
            continue
        statement, condition = tag["statement"], tag["condition"]
        if statement in ("if", "elif"):
            match = re.fullmatch(_CONDITION, condition)
            if match is None or match["name"] in _NOT_NAMES:
                return None
            test = (match["name"], match["operator"] or "", match["value"] or "")
            if statement == "if":
                stack.append(([], [], parts))
            elif not stack or parts is stack[-1][1]:
                return None  # NOTE: elif outside an if, or after its else
            branches = stack[-1][0]
            parts = []
            branches.append((test, parts))
        elif condition:
            return None
        elif statement == "else":
            if not stack or parts is stack[-1][1]:
                return None
            parts = stack[-1][1]
        else:  # endif
            if not stack:
                return None
            branches, otherwise, parts = stack.pop()
            parts.append((branches, otherwise))
    tail = template[at:]
    if stack or re.search(_JINJA_MARKUP, tail):
        return None
    if tail:
        parts.append(tail)
    return root


def _render_parts(parts: list[_Part], args: dict[str, Any], out: list[str]) -> None:
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif len(part) == 1:
            value = args.get(part[0], _MISSING)
            out.append("" if value is _MISSING else str(value))
        else:
            branches, otherwise = part
            chosen = otherwise
            for test, body in branches:
                if _holds(test, args):
                    chosen = body
                    break
            _render_parts(chosen, args, out)


def _holds(test: _Condition, args: dict[str, Any]) -> bool:
    """A condition as jinja2 evaluates it (a missing name is undefined)."""
    name, operator, value = test
    if name not in args:
        return operator == "!="
    if not operator:
        return bool(args[name])
    return bool(args[name] == value) == (operator == "==")


@lru_cache(maxsize=4096)
def _simple_parts(template: str) -> tuple[str, ...] | None:
    """A plain template cut at its ``{{ name }}``: text, name, text, ... (else None).

    NOTE: cut once per template, so that rendering a finding's message is
    a join: what ``re.sub`` with a function gives, without a regex pass and
    a Python call per variable.
    """
    if not is_simple(template):
        return None
    return tuple(re.split(_SIMPLE_PART, template))


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _short(str(value))


def _bounded(value: Any) -> Any:
    """``value``, or its text cut short when that is longer than an argument may be.

    Numbers, booleans and None are kept (templates compare them) unless
    their text is too long.
    """
    if isinstance(value, str):
        return _short(value)
    if value is None or isinstance(value, bool | float):
        return value
    if isinstance(value, int) and value.bit_length() < 1_500:  # < 452 digits
        return value
    return _short(str(value))


def _short(text: str) -> str:
    """``text``, cut to ``MAX_ARG_CHARS`` characters with an ellipsis."""
    if len(text) <= MAX_ARG_CHARS:
        return text
    return text[: MAX_ARG_CHARS - 1] + "…"

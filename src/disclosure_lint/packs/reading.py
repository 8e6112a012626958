"""Reading pack YAML: bounded in size and depth, errors at ``file:line:col``."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .discover import MAX_FILE_BYTES
from .model import PackError

MAX_NODES = 200_000
MAX_DEPTH = 64


def _read_yaml(path: Path) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise PackError(f"{path}: pack file too large ({size} bytes)")
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise PackError(f"{path}: not UTF-8") from None
    except OSError as exc:
        raise PackError(f"{path}: cannot read: {exc.strerror}") from None
    _check_flow_depth(text, path)
    yaml = YAML(typ="rt", pure=True)
    try:
        data = yaml.load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise PackError(f"{where}: invalid YAML: {problem}") from None
    except RecursionError:
        raise PackError(f"{path}: YAML nested too deeply") from None
    _check_size(data, path)
    return data


_FLOW_TOKEN = re.compile(r"""'(?:[^']|'')*'|"(?:[^"\\]|\\.)*"|[\[\]{}]""")


def _check_flow_depth(text: str, path: Path) -> None:
    """Reject ``[[[[...]]]]`` before parsing.

    NOTE: ruamel.yaml takes seconds to fail on flow collections nested a few
    thousand deep (block nesting fails fast); brackets inside quoted scalars
    do not count.
    """
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    depth = 0
    for token in _FLOW_TOKEN.finditer(text):
        bracket = token.group()
        if bracket in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, token.start()) + 1
                raise PackError(
                    f"{path}:{line}: YAML nested deeper than {MAX_DEPTH} levels"
                )
        elif bracket in "]}":
            depth = max(0, depth - 1)


def _check_size(data: Any, path: Path) -> None:
    """Reject alias bombs and deep nesting before anything walks the data."""
    count = 0
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise PackError(
                f"{path}: too many YAML nodes (> {MAX_NODES}; alias expansion?)"
            )
        if depth > MAX_DEPTH:
            raise PackError(f"{path}: YAML nested deeper than {MAX_DEPTH} levels")
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)


def _plain(node: Any) -> Any:
    """Ruamel round-trip nodes to plain dict / list / str / int / float / bool."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if type(node).__name__ == "ScalarBoolean":
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return str(node)


def _as_mapping(node: Any, path: Path, what: str) -> Mapping[str, Any]:
    if not isinstance(node, dict):
        raise PackError(f"{path}: {what} must be a mapping")
    return node


def _required_str(node: Mapping[str, Any], key: str, path: Path) -> str:
    value = node.get(key)
    if not isinstance(value, str) or not value.strip():
        raise PackError(
            f"{_where(path, node, key)}: '{key}' must be a non-empty string"
        )
    return value


def _where_value(path: Path, node: Any, wanted: str | None) -> str | None:
    """``file:line:col`` of the value ``wanted`` in ``node`` (at any depth)."""
    if wanted is None:
        return None
    stack = [node]
    while stack:
        item = stack.pop()
        values = item.items() if isinstance(item, dict) else enumerate(item)
        for key, value in values:
            if isinstance(value, dict | list):
                stack.append(value)
            elif value == wanted:
                # NOTE: a regex in a list (no key) is located by the list.
                return _where(path, item, str(key), value=isinstance(item, dict))
    return None


def _where(path: Path, node: Any, key: str, value: bool = False) -> str:
    """``file:line:col`` of ``key`` in ``node`` (of its value if ``value``)."""
    lc = getattr(node, "lc", None)
    if lc is not None:
        try:
            line, col = lc.value(key) if value else lc.key(key)
            return f"{path}:{line + 1}:{col + 1}"
        except (KeyError, TypeError):
            line, col = lc.line, lc.col
            return f"{path}:{line + 1}:{col + 1}"
    return str(path)


def _check_keys(
    node: Mapping[str, Any], allowed: Mapping[str, str], path: Path, what: str
) -> None:
    for key in node:
        if key not in allowed:
            raise PackError(
                f"{_where(path, node, str(key))}: unknown key '{key}' in {what}"
                f"{_suggest(str(key), allowed)}"
            )


def _suggest(word: str, choices: Iterable[str]) -> str:
    import difflib  # NOTE: only for a bad pack; not on every start

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""

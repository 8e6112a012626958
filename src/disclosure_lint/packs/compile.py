"""Compile one rule file (``<ID>.yaml``): keys, kind, params, message, examples."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..document.findings import Category, Severity
from .model import PackError, Rule
from .reading import (
    _as_mapping,
    _check_keys,
    _plain,
    _read_yaml,
    _required_str,
    _suggest,
    _where,
    _where_value,
)

RULE_KEYS = {
    "id": "stable id: category prefix + number",
    "name": "kebab-case name of the problem",
    "kind": "the rule kind that evaluates it",
    "category": "one of " + ", ".join(c.value for c in Category),
    "severity": "error, warning or info",
    "summary": "one line: what is wrong",
    "message": "message template, {zh: ..., en: ...}",
    "rationale": "why it matters (Chinese; explain, pack pages)",
    "rationale_en": "why it matters, in English (explain --lang en)",
    "source": "the legal or format source",
    "params": "kind parameters",
    "examples": "passing and failing texts with expected LINE:COL ID",
    "aliases": "old ids of this rule",
}
REQUIRED_RULE_KEYS = (
    "id",
    "name",
    "kind",
    "category",
    "severity",
    "summary",
    "message",
)
EXAMPLE_KEYS = {
    "name",
    "text",
    "expect",
    "year",
    "edition",
    "path",
    "previous",
    "previous_path",
}
_ID = re.compile(r"^[A-Z]{2}\d{3}$")
_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


def _compile_rule(path: Path, pack: str) -> Rule:
    from ..kinds import KINDS
    from ..regex.guard import RegexRejected

    node = _as_mapping(_read_yaml(path), path, "rule")
    _check_keys(node, RULE_KEYS, path, "rule")
    for key in REQUIRED_RULE_KEYS:
        if key not in node:
            raise PackError(f"{path}:1:1: missing required key '{key}'")
    rule_id = _required_str(node, "id", path)
    if not _ID.match(rule_id):
        raise PackError(
            f"{_where(path, node, 'id')}: id '{rule_id}' is not like 'ST001'"
        )
    if path.stem != rule_id:
        raise PackError(f"{path}: file name must be the rule id ('{rule_id}.yaml')")
    name = _required_str(node, "name", path)
    if not _NAME.match(name):
        raise PackError(
            f"{_where(path, node, 'name')}: name '{name}' is not kebab-case"
        )
    kind_name = _required_str(node, "kind", path)
    if kind_name not in KINDS:
        raise PackError(
            f"{_where(path, node, 'kind', value=True)}: unknown kind '{kind_name}'"
            f"{_suggest(kind_name, KINDS)}"
        )
    category = _enum(node, "category", Category, path)
    severity = _enum(node, "severity", Severity, path)
    message = _compile_message(node, path)
    kind = KINDS[kind_name]
    params_node = node.get("params") or {}
    params_node = _as_mapping(params_node, path, "params")
    _check_keys(
        params_node, {k: p.help for k, p in kind.params.items()}, path, "params"
    )
    params: dict[str, Any] = {}
    for key, spec in kind.params.items():
        if key in params_node:
            params[key] = _check_param(params_node, key, spec.type, path)
        elif spec.required:
            raise PackError(f"{_where(path, node, 'params')}: missing param '{key}'")
        else:
            params[key] = spec.default
    try:
        kind.prepare(params)
    except RegexRejected as exc:
        where = _where_value(path, params_node, exc.pattern)
        raise PackError(f"{where or _where(path, node, 'params')}: {exc}") from None
    except (ValueError, re.error) as exc:
        raise PackError(f"{_where(path, node, 'params')}: {exc}") from None
    examples = _compile_examples(node, path)
    return Rule(
        id=rule_id,
        name=name,
        kind=kind_name,
        category=category,
        severity=severity,
        summary=str(node["summary"]),
        message=message,
        rationale=str(node.get("rationale", "")),
        source=str(node.get("source", "")),
        params=params,
        examples=examples,
        aliases=[str(a) for a in node.get("aliases") or []],
        pack=pack,
        file=path.name,
        rationale_en=str(node.get("rationale_en", "")),
    )


def _compile_message(node: Mapping[str, Any], path: Path) -> dict[str, str]:
    from .messages import TemplateError
    from .templates import validate

    raw = node["message"]
    message = {"zh": raw, "en": raw} if isinstance(raw, str) else _plain(raw)
    if not isinstance(message, dict) or "zh" not in message:
        raise PackError(f"{_where(path, node, 'message')}: message needs a 'zh' text")
    for lang, template in message.items():
        if lang not in ("zh", "en"):
            raise PackError(
                f"{_where(path, node, 'message')}: unknown language '{lang}'"
            )
        try:
            validate(str(template))
        except TemplateError as exc:
            raise PackError(f"{_where(path, node, 'message')}: {exc}") from None
    message.setdefault("en", message["zh"])
    return {k: str(v) for k, v in message.items()}


def _compile_examples(node: Mapping[str, Any], path: Path) -> list[dict[str, Any]]:
    examples = node.get("examples") or []
    if not isinstance(examples, list):
        raise PackError(f"{_where(path, node, 'examples')}: examples must be a list")
    out = []
    for item in examples:
        item_map = _as_mapping(item, path, "example")
        _check_keys(item_map, {k: "" for k in EXAMPLE_KEYS}, path, "example")
        if "text" not in item_map or "expect" not in item_map:
            raise PackError(f"{path}: each example needs 'text' and 'expect'")
        out.append(_plain(item_map))
    return out


def _check_param(node: Mapping[str, Any], key: str, type_name: str, path: Path) -> Any:
    value = _plain(node[key])
    expected: dict[str, type | tuple[type, ...]] = {
        "str": str,
        "regex": str,
        "template": str,
        "int": int,
        "bool": bool,
        "list": list,
        "dict": dict,
    }
    py_type = expected.get(type_name, object)
    if not isinstance(value, py_type) or (
        type_name == "int" and isinstance(value, bool)
    ):
        raise PackError(
            f"{_where(path, node, key)}: param '{key}' must be a {type_name}"
        )
    if type_name == "regex":
        from ..regex.guard import RegexRejected, check_regex, trusting_now

        try:
            if trusting_now():
                check_regex(str(value))
            else:
                # NOTE: the kind compiles it for RE2, with the flags it uses.
                re.compile(str(value))
        except RegexRejected as exc:
            raise PackError(f"{_where(path, node, key)}: {exc}") from None
        except (re.error, RecursionError, OverflowError) as exc:
            raise PackError(
                f"{_where(path, node, key)}: invalid regex: {exc}"
            ) from None
    return value


def _enum(node: Mapping[str, Any], key: str, enum: Any, path: Path) -> Any:
    value = str(node[key])
    try:
        return enum(value)
    except ValueError:
        choices = [e.value for e in enum]
        raise PackError(
            f"{_where(path, node, key, value=True)}: {key} '{value}' is not one of "
            f"{', '.join(choices)}{_suggest(value, choices)}"
        ) from None

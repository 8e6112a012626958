"""Message templates: the jinja2-free renderer agrees with jinja2 exactly."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import nodes

from disclosure_lint.packs.discover import bundled_rules_dir
from disclosure_lint.packs.load import load_packset
from disclosure_lint.packs.messages import (
    MAX_ARG_CHARS,
    MAX_MESSAGE_CHARS,
    TemplateError,
    _compiled,
    _conditional,
    _environment,
    is_simple,
    render,
)
from disclosure_lint.packs.model import PackError
from disclosure_lint.packs.templates import _Cost, validate


def jinja2_render(template: str, args: dict[str, Any]) -> str:
    """What the sandboxed jinja2 environment makes of the template."""
    return str(_compiled(template).render(**args))


def bundled_templates(packset) -> list[str]:
    return sorted(
        {
            template
            for pack in packset.packs.values()
            for rule in pack.rules
            for template in rule.message.values()
            if not is_simple(template)
        }
    )


def test_every_bundled_conditional_template_avoids_jinja2(packset) -> None:
    templates = bundled_templates(packset)
    assert templates, "the bundled packs have conditional messages"
    outside = [t for t in templates if _conditional(t) is None]
    assert not outside, f"rendered by jinja2 (slow to import): {outside}"


ARG_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(["table", "row", "column", "max", "min", "too-many", ""]),
    st.text(max_size=12),
)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_bundled_templates_render_as_jinja2_does(packset, data) -> None:
    template = data.draw(st.sampled_from(bundled_templates(packset)))
    names = sorted(set(_names(template)))
    args = data.draw(
        st.dictionaries(st.sampled_from(names), ARG_VALUES, max_size=len(names))
    )
    assert render(template, args) == jinja2_render(template, args)


def _names(template: str) -> list[str]:
    return re.findall(r"[A-Za-z_][A-Za-z0-9_]*", template)


@pytest.mark.parametrize(
    "template",
    [
        "{% if a %}A{{ b }}{% endif %}tail",
        "{% if a == 'x' %}1{% elif a != \"y\" %}2{% else %}3{% endif %}",
        "{% if a %}{% if b %}ab{% else %}a{% endif %}{% elif b %}b{% endif %}",
        "{%if a%}{{a}}{%else%}-{%endif%}",
        "{% if a %}x{% endif %}\n",
        "line\n{% if a %}x{% endif %}\n\n",
        "{{ a }}{% if nope == 'x' %}no{% endif %}{% if nope != 'x' %}!{% endif %}",
    ],
)
@pytest.mark.parametrize(
    "args",
    [{}, {"a": "x"}, {"a": "y", "b": 0}, {"a": 1.0, "b": "b"}, {"a": None, "b": True}],
)
def test_conditional_subset_matches_jinja2(template: str, args: dict[str, Any]) -> None:
    assert _conditional(template) is not None
    assert render(template, args) == jinja2_render(template, args)


@pytest.mark.parametrize(
    "template",
    [
        "{{ a | upper }}{% if a %}x{% endif %}",  # a filter
        "{% for x in a %}{{ x }}{% endfor %}",  # a loop
        "{% if a == b %}same{% endif %}",  # two names compared
        "{% if true %}t{% endif %}{{ a }}",  # a constant, not a name
        "{%- if a %}x{% endif -%}",  # whitespace control
        "{# note #}{% if a %}x{% endif %}",  # a comment
        "{% if a %}x\r\ny{% endif %}",  # newlines jinja2 normalises
        "{% if a %}x{% else %}y{% elif b %}z{% endif %}",  # malformed: left to jinja2
        "{% if a %}x",  # unclosed
    ],
)
def test_outside_the_subset_goes_to_jinja2(template: str) -> None:
    assert _conditional(template) is None


def test_conditional_message_does_not_import_jinja2() -> None:
    code = (
        "import sys\n"
        "from disclosure_lint.packs.messages import render\n"
        'print(render("{% if whole %}all: {{ d }}{% else %}{{ r }}{% endif %}",'
        " {'whole': False, 'r': 3}))\n"
        "assert 'jinja2' not in sys.modules, 'jinja2 was imported'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "3\n"


# --------------------------------------------------------------------------
# Templates whose output or work could explode are refused at pack load


def _rule_with_message(tmp_path, message: str) -> Path:
    pack = tmp_path / "local"
    pack.mkdir()
    (pack / "pack.yaml").write_text(
        "name: local\nextends: [gov-annual-2021]\n", encoding="utf-8"
    )
    (pack / "TY901.yaml").write_text(
        "id: TY901\nname: local-typo\nkind: substitution\ncategory: typo\n"
        "severity: warning\nsummary: local typo\n"
        f"message: {message}\n"
        "params:\n  pairs: [{wrong: 甲乙, right: 乙甲}]\n",
        encoding="utf-8",
    )
    return pack


CHAINED_REPLACE = "{{ wrong" + "|replace('', 'abcdefgh')" * 9 + " }}"


@pytest.mark.parametrize(
    ("template", "reason"),
    [
        (CHAINED_REPLACE, "can render up to"),
        ("{{ wrong" + "|replace('甲', '甲甲')" * 8 + " }}", "can render up to"),
        ("{{ wrong|join('--')|join('--')|join('--') }}", "can render up to"),
        ("{{ wrong" + "|upper|lower" * 4 + " }}", "can render up to"),
        ("{% for a in wrong %}{% for b in wrong %}{% endfor %}{% endfor %}", "steps"),
        ("{% for a in wrong %}{{ wrong }}{% endfor %}", "can render up to"),
        ("{{ " + "wrong ~ " * 24 + "wrong }}", "can render up to"),
        ("{{ [wrong, wrong]|join }}", "renders or nests a list"),
        ("{{ wrong|list|string }}", "filter 'list'"),
        ("x" * 10_001, "can render up to"),
    ],
)
def test_templates_that_can_explode_are_refused_at_load(
    tmp_path, template, reason
) -> None:
    pack = _rule_with_message(tmp_path, json.dumps(template, ensure_ascii=False))
    with pytest.raises(PackError) as info:
        load_packset([bundled_rules_dir(), pack], use_cache=False)
    message = str(info.value)
    assert reason in message and "\n" not in message
    assert re.search(r"TY901\.yaml:7:1: ", message), message


def test_a_pack_with_an_exploding_template_fails_the_cli_quickly(tmp_path) -> None:
    pack = _rule_with_message(tmp_path, json.dumps(CHAINED_REPLACE))
    (tmp_path / "d.txt").write_text("甲乙" * 250 + "\n", encoding="utf-8")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, "-m", "disclosure_lint", "d.txt", "--packs", str(pack)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 2
    assert "TY901.yaml:7:1: template can render up to" in done.stderr


def test_bundled_templates_fit_the_bounds(packset) -> None:
    for rule in packset.all_rules():
        for template in rule.message.values():
            validate(template)


def test_long_numbers_are_cut_like_text() -> None:
    rendered = render("{{ n|string }}{% if n %}!{% endif %}", {"n": 10**1000})
    assert len(rendered) <= MAX_ARG_CHARS + 1


# Templates from the allowed grammar; whatever validate accepts must render
# within the bound with every argument as long (and as expandable) as it may be.
_NAMES = st.sampled_from(["a", "b"])
_CONSTS = st.sampled_from(["''", "'x'", "'ab'", "'ΐΐ'", "'-'", "1"])
_FILTERS = st.one_of(
    st.sampled_from(
        [
            "upper",
            "lower",
            "title",
            "capitalize",
            "trim",
            "first",
            "last",
            "string",
            "length",
            "int",
            "float",
            "abs",
            "round",
            "join",
        ]
    ),
    st.builds(lambda c: f"join({c})", _CONSTS),
    st.builds(lambda c: f"default({c})", _CONSTS),
    st.builds(lambda o, n: f"replace({o}, {n})", _CONSTS, _CONSTS),
)


@st.composite
def _expressions(draw, depth: int = 0) -> str:
    base = draw(st.one_of(_NAMES, _CONSTS))
    for _ in range(draw(st.integers(0, 4))):
        base = f"{base}|{draw(_FILTERS)}"
    if depth < 2 and draw(st.booleans()):
        other = draw(_expressions(depth + 1))
        base = f"{base} ~ ({other})"
    return base


@st.composite
def _templates(draw) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["out", "for", "if", "text"]))
        if kind == "text":
            parts.append("t")
        elif kind == "out":
            parts.append("{{ " + draw(_expressions()) + " }}")
        elif kind == "if":
            parts.append("{% if a %}{{ " + draw(_expressions()) + " }}{% endif %}")
        else:
            body = "{{ " + draw(_expressions()) + " ~ c }}"
            parts.append("{% for c in " + draw(_NAMES) + " %}" + body + "{% endfor %}")
    return "".join(parts)


@settings(max_examples=300, deadline=None)
@given(template=_templates(), char=st.sampled_from(["ΐ", "ß", "x", "\x00", "İ"]))
def test_accepted_templates_render_within_the_bound(template: str, char: str) -> None:
    try:
        validate(template)
    except TemplateError:
        return
    try:
        rendered = render(template, {"a": char * MAX_ARG_CHARS, "b": "ß" * 500})
    except (TypeError, ValueError, jinja2.UndefinedError):
        # e.g. abs() of a text, first of an empty text: not what this test is about
        return
    bound, _work = _Cost(nodes).of(_environment().parse(template).body)
    assert len(rendered) <= bound <= MAX_MESSAGE_CHARS


@pytest.mark.parametrize(
    ("template", "char"),
    [
        ("{{ a|replace('x', 'abc') }}", "x"),
        ("{{ a|replace('', 'ab') }}", "x"),
        ("{{ a|replace(b, 'ab') }}", "x"),
        ("{{ a|join('ab') }}", "x"),
        ("{{ a|upper }}", "ΐ"),
        ("{{ a|lower|title }}", "İ"),
        ("{{ a|default('x') ~ b }}", "x"),
        ("{% for c in a %}{{ c|replace('x', 'yy') }}{% endfor %}", "x"),
        ("{% for c in ['ab', a] %}{{ c }}{% endfor %}", "x"),
    ],
)
def test_worst_cases_render_within_their_bound(template: str, char: str) -> None:
    validate(template)
    rendered = render(template, {"a": char * MAX_ARG_CHARS, "b": ""})
    bound, _work = _Cost(nodes).of(_environment().parse(template).body)
    assert len(rendered) <= bound

"""Message templates: the jinja2-free renderer agrees with jinja2 exactly."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure_lint.messages import _compiled, _conditional, is_simple, render


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
    import re

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
        "from disclosure_lint.messages import render\n"
        'print(render("{% if whole %}all: {{ d }}{% else %}{{ r }}{% endif %}",'
        " {'whole': False, 'r': 3}))\n"
        "assert 'jinja2' not in sys.modules, 'jinja2 was imported'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "3\n"

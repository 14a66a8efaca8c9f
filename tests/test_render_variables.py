"""Renderer.variables finds the names jinja2.meta.find_undeclared_variables finds, and the code
it generates on the way is the code Environment.compile generates (validate generates each
template's code once, for both)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import builtin_pack
from jinja2 import meta

from invitepack.pack.limits import Limits
from invitepack.pack.template import load_template
from invitepack.render.renderer import Renderer

SOURCES = [
    "Hi {{ name }}",
    "{% set greeting = 'Hi' %}{{ greeting }} {{ name }}, {{ missing | default('x') }}",
    "{% for item in items %}{{ loop.index }} {{ item }} {{ outer }}{% endfor %}",
    "{% if a %}{{ b }}{% elif c %}{{ d ~ e }}{% else %}{{ range(3) | join(',') }}{% endif %}",
    "{% for a in xs %}{% for b in ys %}{{ loop.cycle(p, q) }}{{ a }}{% endfor %}{% endfor %}",
    "{% with w = v %}{{ w }} {{ u }}{% endwith %}{{ w }}",
    "{% for k in range(n) %}{% set t = k %}{{ t }}{% endfor %}{{ t }}",
    "{{ (1 if flag else 2) + count }} {{ 'a' * 3 }} {{ '%s' % word }}",
    "{% if x is defined %}{{ x }}{% endif %}{{ y[0] }}",
    '{{ name | upper | trim }}{% set n2 = name ~ "!" %}{{ n2 }}{{ loop }}',
]


def _renderer() -> Renderer:
    return Renderer(None, Limits())


@pytest.mark.parametrize("source", SOURCES)
def test_the_names_are_those_meta_finds(source):
    renderer = _renderer()
    expected = meta.find_undeclared_variables(renderer.parse(source, Path("t.md"), 1))
    assert renderer.variables(source, Path("t.md"), 1) == expected


@pytest.mark.parametrize("source", SOURCES)
def test_the_code_is_what_compile_generates(source):
    renderer = _renderer()
    tree = renderer.parse(source, Path("t.md"), 1)
    generated, _ = renderer.env.generate_tracked(tree, "t.md")
    assert generated == renderer.env.compile(tree, filename="t.md", raw=True)


def test_the_builtin_templates_render_alike_either_way():
    for path in sorted(builtin_pack().glob("*-*.md")):
        template = load_template(path, Limits())
        tracked, plain = _renderer(), _renderer()
        names = tracked.variables(template.body, template.path, template.body_line)
        tree = plain.parse(template.body, template.path, template.body_line)
        assert names == meta.find_undeclared_variables(tree), path.name
        for example in template.examples:
            assert tracked.render(template, example, strict=True) == plain.render(
                template, example, strict=True
            ), path.name

"""The static half of the sandbox: an allow-list walk over a parsed template.

`unsafe_constructs` runs before a template is compiled. Only an allow-list of statements and
expressions passes: variables, `{% if %}`, `{% for %}`, `{% set x = ... %}`, `{% with %}`,
blocks, the allowed filters, `range()` and `loop`. Everything else is refused with its line,
which covers every known sandbox-escape family (dunder walks, `|attr`, str.format, `self`,
`super`, helper globals) and the constructs that capture output into one unbounded string
(macros, `{% call %}`, `{% filter %}`, block `{% set %}`). Includes and extends need a
literal, plain name that stays inside the pack after resolving symlinks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from jinja2 import nodes

from invitepack.errors import Location, UnsafeTemplateError

ALLOWED_FILTERS = (
    "capitalize",
    "count",
    "d",
    "default",
    "first",
    "join",
    "last",
    "length",
    "lower",
    "title",
    "trim",
    "truncate",
    "upper",
    "wordcount",
)
# Globals that have served as escape routes or that a note has no use for.
FORBIDDEN_NAMES = frozenset(
    {
        "self",
        "super",
        "cycler",
        "joiner",
        "lipsum",
        "namespace",
        "dict",
        "caller",
        "varargs",
        "kwargs",
    }
)
# The public attributes of a for loop's `loop` variable: the only attributes a template reads.
LOOP_ATTRIBUTES = frozenset(
    {
        "index",
        "index0",
        "revindex",
        "revindex0",
        "first",
        "last",
        "length",
        "depth",
        "depth0",
        "previtem",
        "nextitem",
        "cycle",
        "changed",
    }
)
# Everything a note template may contain; other nodes are refused by name.
_ALLOWED_NODES = (
    nodes.Template,
    nodes.Output,
    nodes.TemplateData,
    nodes.If,
    nodes.For,
    nodes.Assign,
    nodes.With,
    nodes.Block,
    nodes.Include,
    nodes.Extends,
    nodes.Const,
    nodes.Name,
    nodes.Tuple,
    nodes.List,
    nodes.Keyword,
    nodes.CondExpr,
    nodes.Filter,
    nodes.Test,
    nodes.Call,
    nodes.Getattr,
    nodes.Getitem,
    nodes.Slice,
    nodes.Concat,
    nodes.Compare,
    nodes.Operand,
    nodes.BinExpr,
    nodes.UnaryExpr,
)
_STATEMENT_NAMES = {
    nodes.Macro: "{% macro %}",
    nodes.CallBlock: "{% call %}",
    nodes.FilterBlock: "{% filter %}",
    nodes.AssignBlock: "{% set %}...{% endset %}",
    nodes.Import: "{% import %}",
    nodes.FromImport: "{% from ... import %}",
    nodes.ScopedEvalContextModifier: "{% autoescape %}",
    nodes.NSRef: "namespace assignment",
    nodes.Dict: "a {...} mapping",
}
_STATEMENT_HINT = (
    "a note template uses variables, {% if %}, {% for %}, {% set x = ... %}, {% include %} and the"
    " allowed filters; macros, mappings and blocks that capture output are not needed for a note"
)
# Include names: relative, lower-case ASCII path segments that do not start with a dot.
_INCLUDE_NAME = re.compile(r"(?:[a-z0-9_-][a-z0-9_.-]*/)*[a-z0-9_-][a-z0-9_.-]*")


def inside(root: Path, name: str) -> Path | None:
    """root/name with symlinks resolved, or None when that leaves root or is no valid path."""
    try:
        candidate = (root / name).resolve()
    except (OSError, ValueError, RuntimeError):  # a NUL byte, a name too long, a symlink loop
        return None
    return candidate if candidate.is_relative_to(root) else None


def unsafe_constructs(
    tree: nodes.Template, path: Path | None, first_line: int, root: Path | None
) -> list[UnsafeTemplateError]:
    """Every construct in a parsed template that the sandbox refuses, each with its line;
    root is the pack folder includes must stay in (None: no includes). Refused calls come
    last: what is called (an attribute, a filter, a helper) says more about the attempt."""
    found = sorted(_walk(tree, path, first_line - 1, root), key=lambda pair: pair[0])
    return [problem for _, problem in found]


def _walk(
    tree: nodes.Node, path: Path | None, offset: int, root: Path | None
) -> Iterator[tuple[bool, UnsafeTemplateError]]:
    def refuse(
        node: nodes.Node, what: str, hint: str, is_call: bool = False
    ) -> tuple[bool, UnsafeTemplateError]:
        where = Location(path, (node.lineno or 1) + offset, None)
        return is_call, UnsafeTemplateError(f"unsafe template construct: {what}", where, hint)

    for node in tree.find_all(nodes.Node):
        if not isinstance(node, _ALLOWED_NODES):
            yield refuse(
                node, _STATEMENT_NAMES.get(type(node), type(node).__name__), _STATEMENT_HINT
            )
        elif isinstance(node, nodes.Getattr):
            if not (_is_loop(node.node) and node.attr in LOOP_ATTRIBUTES):
                yield refuse(
                    node,
                    f"attribute access .{node.attr}",
                    "use a filter (e.g. |upper) instead of attributes or methods",
                )
        elif isinstance(node, nodes.Getitem) and not _is_index(node.arg):
            key = (
                f"[{node.arg.value!r}]"
                if isinstance(node.arg, nodes.Const)
                else "with a computed key"
            )
            yield refuse(
                node,
                f"item access {key}",
                "variables are plain values: use them directly, or index text by number, "
                "e.g. name[0]",
            )
        elif isinstance(node, nodes.Filter):
            if node.name not in ALLOWED_FILTERS:
                yield refuse(
                    node, f"filter |{node.name}", f"allowed filters: {', '.join(ALLOWED_FILTERS)}"
                )
            elif any(keyword.key == "attribute" for keyword in node.kwargs):
                yield refuse(
                    node,
                    f"|{node.name}(attribute=...)",
                    "variables are plain values with no attributes",
                )
        elif isinstance(node, nodes.Name) and node.name in FORBIDDEN_NAMES:
            yield refuse(
                node, f"the name {node.name!r}", "templates may use only their declared variables"
            )
        elif isinstance(node, nodes.Call) and not _is_callable(node.node):
            yield refuse(
                node,
                "calling something other than range(), loop() or loop.cycle()",
                "use filters to shape values",
                is_call=True,
            )
        elif isinstance(node, (nodes.Include, nodes.Extends)):
            problem = _include_problem(node.template, root)
            if problem:
                yield refuse(
                    node,
                    problem,
                    "name a file inside the pack literally, e.g. {% include 'parts/signoff.txt' %}",
                )


def _is_loop(node: nodes.Expr) -> bool:
    return isinstance(node, nodes.Name) and node.name == "loop"


def _is_callable(node: nodes.Expr) -> bool:
    if isinstance(node, nodes.Name):
        return node.name in ("range", "loop")
    return (
        isinstance(node, nodes.Getattr)
        and _is_loop(node.node)
        and node.attr in ("cycle", "changed")
    )


def _is_index(node: nodes.Expr | None) -> bool:
    """A literal integer (or a slice of them): text and lists are indexed by position only."""
    if node is None:
        return True
    if isinstance(node, nodes.Neg):
        node = node.node
    if isinstance(node, nodes.Slice):
        return _is_index(node.start) and _is_index(node.stop) and _is_index(node.step)
    return isinstance(node, nodes.Const) and type(node.value) is int


def _include_problem(template: nodes.Expr, root: Path | None) -> str | None:
    if not (isinstance(template, nodes.Const) and isinstance(template.value, str)):
        return "include/extends of a computed name"
    name = template.value
    if not _INCLUDE_NAME.fullmatch(name):
        return (
            f"include/extends of {name!r}: names are plain relative paths inside the pack "
            "([a-z0-9_-] and '/')"
        )
    if root is None or inside(root, name) is None:
        return f"include/extends of {name!r}, which is outside the pack (after resolving symlinks)"
    return None

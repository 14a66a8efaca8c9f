"""The Jinja2 sandbox templates run in, and the static refusal of unsafe constructs.

Three layers, so that a hostile template from a shared repo can neither run code nor hang:
1. `unsafe_constructs` walks the parsed template before it is compiled and refuses every known
   sandbox-escape family (dunder walks, `|attr`, str.format, `self`, helper globals) and any
   include/import that is not a literal name inside the pack.
2. The environment has the constant-folding optimizer off (Jinja would otherwise evaluate
   `{{ 'A' * 10**9 }}` at compile time), a short list of filters and no helper globals, and it
   intercepts `*`, `**` and `%` to refuse results past the output bound.
3. Rendering streams into a bounded buffer under a wall-clock timer (see render.py).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, StrictUndefined, TemplateNotFound, nodes
from jinja2.filters import FILTERS
from jinja2.runtime import Context, LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment

from invitepack.errors import LimitExceededError, Location, UnsafeTemplateError
from invitepack.limits import Limits

# Filters that shape short text and cannot amplify it.
ALLOWED_FILTERS = (
    "capitalize", "count", "d", "default", "first", "join", "last", "length",
    "lower", "title", "trim", "truncate", "upper", "wordcount",
)
# Globals that have served as escape routes or that a note has no use for.
FORBIDDEN_NAMES = frozenset({"self", "cycler", "joiner", "lipsum", "namespace", "dict", "caller", "varargs", "kwargs"})
_FORMAT_WIDTH = re.compile(r"%[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


class PackLoader(BaseLoader):
    """Loads included templates by literal name, only from inside the pack (symlinks resolved)."""

    def __init__(self, root: Path):
        self.root = root.resolve()

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Any]:
        path = inside(self.root, template)
        if path is None or not path.is_file():
            raise TemplateNotFound(template)
        text = path.read_text(encoding="utf-8")
        return text, str(path), lambda: True


def inside(root: Path, name: str) -> Path | None:
    """root/name with symlinks resolved, or None when that leaves root."""
    candidate = (root / name).resolve()
    return candidate if candidate.is_relative_to(root) else None


class OutreachSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, with bounded arithmetic and string building."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self, limits: Limits, loader: BaseLoader | None = None):
        super().__init__(
            loader=loader,
            undefined=StrictUndefined,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            optimized=False,  # no compile-time constant folding: see module docstring
        )
        self.limits = limits
        self.filters = {name: FILTERS[name] for name in ALLOWED_FILTERS}
        self.globals = {"range": self._bounded_range}

    def _bounded_range(self, *args: int) -> range:
        result = range(*args)
        if len(result) > self.limits.max_range:
            raise LimitExceededError(
                f"limit exceeded: range() of {len(result):,} items (max_range is {self.limits.max_range:,})"
            )
        return result

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        # Templates get plain values; the only attributes worth reading are a loop's.
        return isinstance(obj, LoopContext) and not attr.startswith("_")

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            self._check_power(left, right)
        elif operator == "*":
            self._check_repeat(left, right)
        elif operator == "%" and isinstance(left, str):
            self._check_format(left, right)
        return super().call_binop(context, operator, left, right)

    def _too_big(self, what: str) -> LimitExceededError:
        return LimitExceededError(
            f"limit exceeded: {what}",
            hint="templates are for short notes; raise limits in the config only if this is intended",
        )

    def _check_power(self, base: Any, exponent: Any) -> None:
        if isinstance(base, (int, float)) and isinstance(exponent, (int, float)) and exponent > 0:
            bits = abs(exponent) * math.log2(abs(base) + 1)
            if bits > self.limits.max_power_bits:
                raise self._too_big(f"{base!r} ** {exponent!r} is too large a number")

    def _check_repeat(self, left: Any, right: Any) -> None:
        for seq, count in ((left, right), (right, left)):
            if isinstance(seq, (str, list, tuple)) and isinstance(count, int):
                if len(seq) * count > self.limits.max_output_chars:
                    raise self._too_big(f"repeating a value {count:,} times")

    def _check_format(self, fmt: str, args: Any) -> None:
        for match in _FORMAT_WIDTH.finditer(fmt):
            for number in match.groups():
                if number == "*" or (number and int(number) > self.limits.max_output_chars):
                    raise self._too_big(f"format width {number} in {match.group(0)!r}")


def unsafe_constructs(tree: nodes.Template, path: Path | None, first_line: int) -> list[UnsafeTemplateError]:
    """Every construct in a parsed template that the sandbox refuses, each with its line."""
    return list(_walk(tree, path, first_line - 1))


def _walk(tree: nodes.Node, path: Path | None, offset: int) -> Iterator[UnsafeTemplateError]:
    def refuse(node: nodes.Node, what: str, hint: str) -> UnsafeTemplateError:
        return UnsafeTemplateError(
            f"unsafe template construct: {what}", Location(path, (node.lineno or 1) + offset, None), hint
        )

    for node in tree.find_all(nodes.Node):
        if isinstance(node, nodes.Getattr):
            if not (isinstance(node.node, nodes.Name) and node.node.name == "loop" and not node.attr.startswith("_")):
                yield refuse(node, f"attribute access .{node.attr}", "use a filter (e.g. |upper) instead of attributes or methods")
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            yield refuse(node, f"item access [{node.arg.value!r}]", "variables are plain values: use them directly")
        elif isinstance(node, nodes.Filter) and node.name not in ALLOWED_FILTERS:
            yield refuse(node, f"filter |{node.name}", f"allowed filters: {', '.join(ALLOWED_FILTERS)}")
        elif isinstance(node, nodes.Name) and node.name in FORBIDDEN_NAMES:
            yield refuse(node, f"the name {node.name!r}", "templates may use only their declared variables")
        elif isinstance(node, (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
            if not (isinstance(node.template, nodes.Const) and isinstance(node.template.value, str)):
                yield refuse(node, "include/import/extends of a computed name", "name the file literally, e.g. {% include 'signoff.txt' %}")

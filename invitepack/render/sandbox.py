"""The Jinja2 sandbox templates run in: bounded arithmetic and string building, and includes
only from inside the pack.

Three layers, so that a hostile template from a shared repo can neither run code nor hang:
1. `unsafe_constructs` (allowlist.py) walks the parsed template before it is compiled and
   refuses everything outside an allow-list, with its line; `parse_source` here applies it to
   every file a template includes or extends too. Invisible and control characters in the
   source are refused as well: they would reach recipients unseen.
2. The environment has the constant-folding optimizer off (Jinja would otherwise evaluate
   `{{ 'A' * 10**9 }}` at compile time), a short list of filters and no helper globals, and
   it refuses, before building it, any value past the output bound: `*`, `**`, `+`, `%` and
   `~` are intercepted, as are `join` and printing a value.
3. Compiling and rendering run under a wall-clock timer (see renderer.py). The timer can only
   interrupt Python code; the bounds of layer 2 keep every single C-level step small.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from types import CodeType
from typing import Any

from jinja2 import BaseLoader, StrictUndefined, TemplateNotFound, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.filters import FILTERS
from jinja2.idtracking import VAR_LOAD_RESOLVE
from jinja2.runtime import Context, LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment

from invitepack.errors import LimitExceededError, LoadError, Location, UnsafeTemplateError
from invitepack.pack.limits import Limits
from invitepack.pack.textfile import read_text
from invitepack.render.allowlist import ALLOWED_FILTERS, LOOP_ATTRIBUTES, inside, unsafe_constructs
from invitepack.render.values import unsafe_character

# printf-style conversions with their width and precision; `%%` is a literal percent sign.
_FORMAT_SPEC = re.compile(r"%(?:%|[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?)")


class PackLoader(BaseLoader):
    """Loads included templates by literal name, only from inside the pack (symlinks resolved),
    as UTF-8 within the file size limit."""

    def __init__(self, root: Path, max_bytes: int):
        self.root = root.resolve()
        self.max_bytes = max_bytes

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = inside(self.root, template)
        if path is None or not path.is_file():
            raise TemplateNotFound(template)
        return read_text(path, self.max_bytes, "included template"), str(path), lambda: True


def _size(value: Any) -> int:
    """About how many characters str(value) has, found without building the string."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, (list, tuple)):
        return 2 + sum(_size(item) + 2 for item in value)
    if isinstance(value, int):
        return value.bit_length() // 3 + 2
    return 32


def _short(value: Any) -> str:
    """A number as a diagnostic shows it: long ones cut."""
    text = repr(value)
    return text if len(text) <= 20 else f"{text[:17]}..."


class _BoundedCodeGenerator(CodeGenerator):
    """Compiles `a ~ b` to a call the environment bounds: Jinja's own str_join is not one of
    the operators a sandbox can intercept."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.concat_bounded((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class _TrackingCodeGenerator(_BoundedCodeGenerator):
    """Generates a template's code and notes on the way every name it looks up from the
    values, as jinja2.meta.find_undeclared_variables does with a generation of its own."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.undeclared: set[str] = set()

    def enter_frame(self, frame: Frame) -> None:
        super().enter_frame(frame)
        for action, name in frame.symbols.loads.values():
            if action == VAR_LOAD_RESOLVE and name not in self.environment.globals:
                self.undeclared.add(name)


class OutreachSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, with bounded arithmetic and string building."""

    intercepted_binops = frozenset({"+", "*", "**", "%"})
    code_generator_class = _BoundedCodeGenerator

    def __init__(self, limits: Limits, root: Path | None = None):
        super().__init__(
            loader=PackLoader(root, limits.max_file_bytes) if root else None,
            undefined=StrictUndefined,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            # An included file's last line break is part of it ("Best,\nAda\n" then more
            # text); the note as a whole is stripped after rendering.
            keep_trailing_newline=True,
            optimized=False,  # no compile-time constant folding: see module docstring
            finalize=self._finalize,
        )
        self.limits = limits
        self.root = root.resolve() if root else None
        self.filters = {name: FILTERS[name] for name in ALLOWED_FILTERS} | {"join": self._join}
        self.globals = {"range": self._bounded_range}

    # --- static checks -------------------------------------------------------------------

    def parse_source(
        self, source: str, path: Path | None, first_line: int = 1, including: tuple[Path, ...] = ()
    ) -> nodes.Template:
        """Parse template source and refuse what the sandbox does not allow, with file and line;
        then do the same for every file it includes or extends. `including` is the chain of
        files that led here, so that an include cycle is refused rather than recursed into."""
        found = unsafe_character(source, multiline=True)
        if found:
            index, kind = found
            char = source[index]
            line = source.count("\n", 0, index) + first_line
            column = index - source.rfind("\n", 0, index)
            raise UnsafeTemplateError(
                f"unsafe template construct: {kind} U+{ord(char):04X} "
                f"{unicodedata.name(char, '')}".rstrip(),
                Location(path, line, column),
                "remove it: it would reach the recipient unseen, or make the text read "
                "differently than it runs",
            )
        tree = super()._parse(source, None, str(path) if path else None)
        problems = unsafe_constructs(tree, path, first_line, self.root)
        if problems:
            raise problems[0]
        chain = (*including, path) if path else including
        # One walk of the tree; includes are checked before extends, each in document order.
        included: list[nodes.Include | nodes.Extends] = sorted(
            tree.find_all((nodes.Include, nodes.Extends)),
            key=lambda node: isinstance(node, nodes.Extends),
        )
        for node in included:
            name = node.template.as_const()  # a literal: unsafe_constructs refuses computed names
            self._check_included(name, Location(path, node.lineno + first_line - 1, None), chain)
        return tree

    def generate_tracked(self, tree: nodes.Template, filename: str) -> tuple[str, set[str]]:
        """The Python source `compile(tree, filename=filename)` would compile, and the names
        the template looks up from its values: one code generation for what validate needs
        twice (the names for its rules, the code to render the examples)."""
        source = StringIO()
        generator = _TrackingCodeGenerator(self, None, filename, source, optimized=self.optimized)
        generator.visit(tree)
        return source.getvalue(), generator.undeclared

    def compile_generated(self, source: str, filename: str) -> CodeType:
        """Compile what generate_tracked made, as `compile` compiles what it generates
        (Jinja's `_compile` is its hook for that)."""
        return self._compile(source, filename)

    def _check_included(self, name: str, where: Location, including: tuple[Path, ...]) -> None:
        assert self.loader is not None, "unsafe_constructs refuses includes without a pack"
        try:
            source, filename, _ = self.loader.get_source(self, name)
        except TemplateNotFound:
            raise LoadError(
                f"included file not found: {name!r}",
                where,
                "name a file inside the pack, relative to its pack.yaml",
            ) from None
        path = Path(filename or name)
        if path in including:
            chain = " -> ".join(p.name for p in (*including, path))
            raise LoadError(
                f"include cycle: {chain}",
                where,
                "a template may not include itself, directly or through others",
            )
        self.parse_source(source, path, 1, including)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """Every template the environment compiles from source (an included file, at render
        time) passes the same checks as the bodies that Renderer.parse checks up front."""
        return self.parse_source(source, Path(filename) if filename else None)

    # --- runtime bounds ------------------------------------------------------------------

    def _too_big(self, what: str) -> LimitExceededError:
        return LimitExceededError(
            f"limit exceeded: {what}",
            hint="templates are for short notes; raise [limits] in the config only if this is "
            "intended",
        )

    def _bound(self, size: int, what: str) -> None:
        if size > self.limits.max_output_chars:
            raise self._too_big(
                f"{what} would make {size:,} characters (max_output_chars is "
                f"{self.limits.max_output_chars:,})"
            )

    def _finalize(self, value: Any) -> Any:
        self._bound(_size(value), "printing a value")
        return value

    def concat_bounded(self, parts: tuple[Any, ...]) -> str:
        """`a ~ b ~ ...`, refused before it is built when it would pass the output bound."""
        self._bound(sum(_size(part) for part in parts), "joining text with ~")
        return "".join(map(str, parts))

    def _join(self, value: Any, d: Any = "") -> str:
        """|join, refused before it is built when it would pass the output bound."""
        items, separator = list(value), str(d)
        self._bound(sum(_size(item) for item in items) + len(separator) * len(items), "|join")
        return separator.join(map(str, items))

    def _bounded_range(self, *args: int) -> range:
        result = range(*args)
        try:
            too_many = len(result) > self.limits.max_range
        except OverflowError:  # more items than a machine word can count
            too_many = True
        if too_many:
            raise self._too_big(
                f"range({', '.join(map(str, args))}) has more than "
                f"{self.limits.max_range:,} items (max_range)"
            )
        return result

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        # Templates get plain values; the only attributes worth reading are a loop's.
        return isinstance(obj, LoopContext) and attr in LOOP_ATTRIBUTES

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            self._check_power(left, right)
        elif operator == "*":
            self._check_product(left, right)
        elif (
            operator == "+"
            and isinstance(left, (str, list, tuple))
            and isinstance(right, (str, list, tuple))
        ):
            self._bound(_size(left) + _size(right), "adding two values")
        elif operator == "%" and isinstance(left, str):
            self._check_format(left, right)
        return super().call_binop(context, operator, left, right)

    def _check_bits(self, bits: float, what: str) -> None:
        if bits > self.limits.max_number_bits:
            raise self._too_big(
                f"{what} is too large a number (max_number_bits is {self.limits.max_number_bits:,})"
            )

    def _check_power(self, base: Any, exponent: Any) -> None:
        if isinstance(base, (int, float)) and isinstance(exponent, (int, float)) and exponent > 0:
            try:
                bits = exponent * math.log2(abs(base) + 1)
            except OverflowError:  # an exponent too large for a float
                bits = math.inf
            self._check_bits(bits, f"{_short(base)} ** {_short(exponent)}")

    def _check_product(self, left: Any, right: Any) -> None:
        for seq, count in ((left, right), (right, left)):
            if isinstance(seq, (str, list, tuple)) and isinstance(count, int):
                self._bound(_size(seq) * count, f"repeating a value {count:,} times")
        if isinstance(left, int) and isinstance(right, int):
            self._check_bits(abs(left).bit_length() + abs(right).bit_length(), "the product")

    def _check_format(self, fmt: str, args: Any) -> None:
        # A width after a mapping key ('%(a)99999s') hides from _FORMAT_SPEC, but needs a
        # mapping to format with, and templates cannot build one (mappings are refused).
        size = len(fmt) + _size(args)
        for match in _FORMAT_SPEC.finditer(fmt):
            for number in match.groups():
                if number == "*" or (number and len(number) > 9):
                    raise self._too_big(f"the format width or precision in {match.group(0)[:20]!r}")
                size += int(number or 0)
        self._bound(size, "%-formatting")

"""Rendering a template with a user's values, in the sandbox and within bounds."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import TemplateError, TemplateSyntaxError, nodes
from jinja2 import Template as JinjaTemplate
from jinja2.exceptions import SecurityError, TemplateNotFound, UndefinedError

from invitepack.errors import InvitepackError, LimitExceededError, LoadError, Location, UnsafeTemplateError
from invitepack.limits import Limits
from invitepack.message import Message
from invitepack.pack import Template
from invitepack.sandbox import OutreachSandbox, PackLoader, inside, unsafe_constructs
from invitepack.schemas import variables_validator
from invitepack.values import prepare_values

if TYPE_CHECKING:
    from jsonschema.protocols import Validator


@contextmanager
def time_limit(seconds: float, what: str) -> Iterator[None]:
    """Interrupt Python-level work that runs longer than `seconds` (Unix main thread only;
    C-level work that could run long is refused before it starts, see sandbox.py)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise LimitExceededError(
            f"limit exceeded: {what} took longer than {seconds:g} s",
            hint="simplify the template, or raise limits.render_seconds in the config",
        )

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Renderer:
    """Compiles and renders a pack's templates; compiled templates are cached per instance."""

    def __init__(self, root: Path | None, limits: Limits | None = None):
        self.limits = limits or Limits()
        self.root = root.resolve() if root else None
        self.env = OutreachSandbox(self.limits, PackLoader(self.root) if self.root else None)
        self._compiled: dict[tuple[Path, str], JinjaTemplate] = {}
        self._validators: dict[Path, Validator] = {}

    def parse(self, source: str, path: Path | None, first_line: int) -> nodes.Template:
        """Parse template source (no compiling) and refuse unsafe constructs, with their lines."""
        try:
            tree = self.env.parse(source)
        except TemplateSyntaxError as exc:
            raise LoadError(
                f"template syntax error: {exc.message}",
                Location(path, (exc.lineno or 1) + first_line - 1, None),
                hint="check that every {{ }}, {% %} and {# #} is closed and every {% if %} has its {% endif %}",
            ) from None
        except RecursionError:
            raise LimitExceededError("limit exceeded: the template is nested too deeply", Location(path, first_line, None)) from None
        problems = unsafe_constructs(tree, path, first_line)
        problems += self._includes_outside(tree, path, first_line)
        if problems:
            raise problems[0]
        return tree

    def _includes_outside(self, tree: nodes.Template, path: Path | None, first_line: int) -> list[UnsafeTemplateError]:
        found = []
        for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
            name = getattr(node.template, "value", None)
            if isinstance(name, str) and (self.root is None or inside(self.root, name) is None):
                found.append(
                    UnsafeTemplateError(
                        f"unsafe template construct: {name!r} is outside the pack",
                        Location(path, node.lineno + first_line - 1, None),
                        "include only files inside the pack folder",
                    )
                )
        return found

    def compile(self, source: str, path: Path, first_line: int) -> JinjaTemplate:
        """A compiled template for source at path, cached; unsafe constructs are refused first."""
        key = (path, source)
        if key not in self._compiled:
            tree = self.parse(source, path, first_line)
            with time_limit(self.limits.render_seconds, "compiling the template"):
                code = self.env.compile(tree, filename=str(path))
            self._compiled[key] = self.env.template_class.from_code(self.env, code, self.env.make_globals(None))
        return self._compiled[key]

    def _run(self, compiled: JinjaTemplate, values: dict[str, Any], path: Path, first_line: int) -> str:
        parts: list[str] = []
        size = 0
        try:
            with time_limit(self.limits.render_seconds, "rendering the template"):
                for chunk in compiled.generate(values):
                    size += len(chunk)
                    if size > self.limits.max_output_chars:
                        raise LimitExceededError(
                            f"limit exceeded: the rendered text passed {self.limits.max_output_chars:,} characters",
                            Location(path, first_line, None),
                        )
                    parts.append(chunk)
        except InvitepackError:
            raise
        except UndefinedError as exc:
            raise LoadError(
                f"the template uses an undeclared variable: {exc.message}",
                Location(path, first_line, None),
                hint="declare it under `variables.properties` in the front matter",
            ) from None
        except SecurityError as exc:
            raise UnsafeTemplateError(f"unsafe template construct: {exc}", Location(path, first_line, None)) from None
        except TemplateNotFound as exc:
            raise LoadError(f"included file not found: {exc.name}", Location(path, first_line, None)) from None
        except RecursionError:
            raise LimitExceededError("limit exceeded: the template recursed too deeply", Location(path, first_line, None)) from None
        except (TemplateError, TypeError, ValueError, ArithmeticError) as exc:
            raise LoadError(f"the template failed to render: {exc}", Location(path, first_line, None)) from None
        return "".join(parts).strip()

    def render_body(self, template: Template, values: dict[str, Any]) -> str:
        """Render a template's body with values as given, skipping validation (worst-case proofs)."""
        compiled = self.compile(template.body, template.path, template.body_line)
        return self._run(compiled, values, template.path, template.body_line)

    def render(
        self, template: Template, given: dict[str, Any], *, account: str = "free", label: str | None = None, redact: bool = False
    ) -> Message:
        """Validate `given` against the template's variables and render body and subject.

        With `redact`, errors name variables and constraints but never echo the values
        (batch reports must not repeat people's personal data)."""
        if template.path not in self._validators:
            self._validators[template.path] = variables_validator(template.variables)
        values = prepare_values(template, given, self.limits, self._validators[template.path], redact=redact)
        body = self.render_body(template, values)
        subject = None
        if template.subject is not None:
            line = template.location("subject").line or 1
            compiled = self.compile(template.subject, template.path, line)
            subject = " ".join(self._run(compiled, values, template.path, line).split())
        return Message(
            body=body,
            channel=template.channel,
            account=account,
            scenario=template.scenario,
            subject=subject,
            template=template,
            path=template.path,
            first_line=template.body_line,
            label=label,
            values=values,
        )

"""Rendering a template with a user's values, in the sandbox and within bounds."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Template as JinjaTemplate
from jinja2 import TemplateError, TemplateSyntaxError, nodes
from jinja2.exceptions import SecurityError, TemplateNotFound, UndefinedError

from invitepack.errors import (
    InvitepackError,
    LimitExceededError,
    LoadError,
    Location,
    UnsafeTemplateError,
)
from invitepack.pack.limits import Limits
from invitepack.pack.schemas import variables_validator
from invitepack.pack.template import Template
from invitepack.render.message import Message
from invitepack.render.sandbox import OutreachSandbox
from invitepack.render.timer import one_timer, time_limit

__all__ = ["Renderer", "one_timer", "time_limit"]  # the timers live in timer.py
from invitepack.render.values import prepare_values

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

    from invitepack.pack.workspace import Workspace


def _located(exc: InvitepackError, where: Location) -> InvitepackError:
    """The error, given a location when it has none (limits raised deep in the sandbox)."""
    if exc.location is None:
        exc.location = where
    return exc


class Renderer:
    """Compiles and renders a pack's templates; compiled templates are cached per instance."""

    def __init__(self, root: Path | None, limits: Limits | None = None):
        self.limits = limits or Limits()
        self.root = root.resolve() if root else None
        self.env = OutreachSandbox(self.limits, self.root)
        self._compiled: dict[tuple[Path, str], JinjaTemplate] = {}
        self._parsed: dict[tuple[Path | None, str, int], nodes.Template] = {}
        self._generated: dict[tuple[Path, str], str] = {}  # by `variables`, for `compile`
        self._validators: dict[Path, Validator] = {}

    @classmethod
    def for_workspace(cls, workspace: Workspace) -> Renderer:
        """A renderer for the workspace's pack, within its configured limits."""
        return cls(workspace.pack.root, workspace.config.limits)

    def parse(self, source: str, path: Path | None, first_line: int) -> nodes.Template:
        """Parse template source (no compiling) and refuse unsafe constructs, with their lines,
        in it and in every file it includes. Cached: validate parses, then compiles."""
        key = (path, source, first_line)
        if key not in self._parsed:
            self._parsed[key] = self._parse(source, path, first_line)
        return self._parsed[key]

    def _parse(self, source: str, path: Path | None, first_line: int) -> nodes.Template:
        where = Location(path, first_line, None)
        try:
            with time_limit(self.limits.compile_seconds, "parsing the template", "compile_seconds"):
                return self.env.parse_source(source, path, first_line)
        except TemplateSyntaxError as exc:
            if exc.filename and exc.filename != str(path):  # in an included file
                where = Location(Path(exc.filename), exc.lineno, None)
            else:
                where = Location(path, (exc.lineno or 1) + first_line - 1, None)
            raise LoadError(
                f"template syntax error: {exc.message}",
                where,
                hint="check that every {{ }}, {% %} and {# #} is closed and every {% if %} "
                "has its {% endif %}",
            ) from None
        except InvitepackError as exc:
            raise _located(exc, where) from None
        except RecursionError:
            raise LimitExceededError(
                "limit exceeded: the template is nested too deeply", where
            ) from None

    def variables(self, source: str, path: Path, first_line: int) -> set[str]:
        """The names template source looks up from its values (what
        jinja2.meta.find_undeclared_variables finds), parsed as `parse` parses; the code
        generated on the way is kept for `compile`."""
        tree = self.parse(source, path, first_line)
        generated, names = self.env.generate_tracked(tree, str(path))
        self._generated[(path, source)] = generated
        return names

    def compile(self, source: str, path: Path, first_line: int) -> JinjaTemplate:
        """A compiled template for source at path, cached; unsafe constructs are refused first."""
        key = (path, source)
        if key not in self._compiled:
            tree = self.parse(source, path, first_line)
            generated = self._generated.pop(key, None)
            where = Location(path, first_line, None)
            try:
                with time_limit(
                    self.limits.compile_seconds, "compiling the template", "compile_seconds"
                ):
                    code = (
                        self.env.compile(tree, filename=str(path))
                        if generated is None
                        else self.env.compile_generated(generated, str(path))
                    )
            except InvitepackError as exc:
                raise _located(exc, where) from None
            except (RecursionError, MemoryError, SyntaxError):  # Python's own nesting limits
                raise LimitExceededError(
                    "limit exceeded: the template is nested too deeply to compile", where
                ) from None
            self._compiled[key] = self.env.template_class.from_code(
                self.env, code, self.env.make_globals(None)
            )
        return self._compiled[key]

    def _template_line(self, exc: BaseException, path: Path, first_line: int) -> Location:
        """Where in the template an error was raised: Jinja rewrites tracebacks so that template
        code shows as frames of the template's file (an included file's as its own)."""
        where = Location(path, first_line, None)
        frame = exc.__traceback__
        while frame is not None:
            filename = frame.tb_frame.f_code.co_filename
            if filename == str(path):
                where = Location(path, frame.tb_lineno + first_line - 1, None)
            elif self.root and Path(filename).is_relative_to(self.root):
                where = Location(Path(filename), frame.tb_lineno, None)
            frame = frame.tb_next
        return where

    def _run(
        self, compiled: JinjaTemplate, values: dict[str, Any], path: Path, first_line: int
    ) -> str:
        parts: list[str] = []
        size = 0
        try:
            with time_limit(self.limits.render_seconds, "rendering the template", "render_seconds"):
                for chunk in compiled.generate(values):
                    size += len(chunk)
                    if size > self.limits.max_output_chars:
                        raise LimitExceededError(
                            "limit exceeded: the rendered text passed "
                            f"{self.limits.max_output_chars:,} characters",
                            Location(path, first_line, None),
                        )
                    parts.append(chunk)
        except InvitepackError as exc:
            raise _located(exc, self._template_line(exc, path, first_line)) from None
        except UndefinedError as exc:
            raise LoadError(
                f"the template uses an undeclared variable: {exc.message}",
                self._template_line(exc, path, first_line),
                hint="declare it under `variables.properties` in the front matter",
            ) from None
        except SecurityError as exc:
            raise UnsafeTemplateError(
                f"unsafe template construct: {exc}", self._template_line(exc, path, first_line)
            ) from None
        except TemplateNotFound as exc:
            raise LoadError(
                f"included file not found: {exc.name}", self._template_line(exc, path, first_line)
            ) from None
        except RecursionError as exc:
            raise LimitExceededError(
                "limit exceeded: the template recursed too deeply",
                self._template_line(exc, path, first_line),
            ) from None
        except MemoryError as exc:
            raise LimitExceededError(
                "limit exceeded: rendering ran out of memory",
                self._template_line(exc, path, first_line),
            ) from None
        except (TemplateError, TypeError, ValueError, ArithmeticError) as exc:
            raise LoadError(
                f"the template failed to render: {exc}", self._template_line(exc, path, first_line)
            ) from None
        # The fixed text of a template may be NFD; values are NFC, and so is the note.
        return unicodedata.normalize("NFC", "".join(parts).strip())

    def render_body(self, template: Template, values: dict[str, Any]) -> str:
        """Render a template's body with values as given, unvalidated (for worst-case proofs)."""
        compiled = self.compile(template.body, template.path, template.body_line)
        return self._run(compiled, values, template.path, template.body_line)

    def render_subject(self, template: Template, values: dict[str, Any]) -> str | None:
        """Render a template's subject on one line (None without one), skipping validation."""
        if template.subject is None:
            return None
        line = template.location("subject").line or 1
        compiled = self.compile(template.subject, template.path, line)
        return " ".join(self._run(compiled, values, template.path, line).split())

    def render(
        self,
        template: Template,
        given: dict[str, Any],
        *,
        account: str = "free",
        label: str | None = None,
        redact: bool = False,
        strict: bool = False,
        origin: Location | None = None,
    ) -> Message:
        """Validate `given` against the template's variables and render body and subject.

        `origin` is where the values came from (a batch row's line in its data file), for the
        findings' locations. With `redact`, errors name variables and constraints but never
        echo the values (batch reports must not repeat people's personal data). With
        `strict`, values are also held to their `maxLength` (validate does this for a
        template's examples)."""
        if template.path not in self._validators:
            self._validators[template.path] = variables_validator(template.variables)
        with time_limit(
            self.limits.render_seconds, "checking the values", "render_seconds"
        ):  # patterns
            values = prepare_values(
                template,
                given,
                self.limits,
                self._validators[template.path],
                redact=redact,
                strict=strict,
            )
        body = self.render_body(template, values)
        subject = self.render_subject(template, values)
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
            origin=origin,
            values=values,
        )

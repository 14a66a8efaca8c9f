"""The rule and finding records every checker produces and every reporter consumes."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from invitepack.checks.regexes import compiled
from invitepack.errors import Location
from invitepack.severities import SEVERITIES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from invitepack.render.message import Message

CODE_PATTERN = compiled(r"^[A-Z]{1,4}[0-9]{3}$")
NAME_PATTERN = compiled(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Rule:
    """A rule a plugin provides: `code` (prefix + three digits), kebab-case `name`, default
    `severity`, a one-line `summary`, the `rationale` that `invitepack rules CODE` prints, and
    a fix `hint`. `scope` says what it judges: a message or a template."""

    code: str
    name: str
    severity: str
    summary: str
    rationale: str
    hint: str
    scope: str = "message"

    def __post_init__(self) -> None:
        if not CODE_PATTERN.match(self.code):
            raise ValueError(
                f"rule code {self.code!r} must be a prefix of capitals and three digits, "
                "e.g. ACME101"
            )
        if not NAME_PATTERN.match(self.name):
            raise ValueError(f"rule name {self.name!r} must be kebab-case, e.g. missing-purpose")
        if self.severity not in SEVERITIES:
            raise ValueError(f"rule severity {self.severity!r} must be error, warning or info")
        if self.scope not in ("message", "template"):
            raise ValueError(f"rule scope {self.scope!r} must be message or template")

    def at(
        self,
        location: Location,
        message: str,
        *,
        hint: str | None = None,
        span: tuple[int, int] | None = None,
        excerpt: str | None = None,
    ) -> Finding:
        """A finding of this rule at a location."""
        # Finding(code, name, severity, message, location, hint, span, excerpt), without its
        # frozen __init__ (ten object.__setattr__ calls): the same fields, in order.
        finding = _new(Finding)
        finding.__dict__.update(
            code=self.code,
            name=self.name,
            severity=self.severity,
            message=message,
            location=location,
            hint=hint or self.hint,
            span=span,
            excerpt=excerpt,
            label=None,
            plugin=None,
        )
        return finding

    def on(
        self,
        note: Message,
        message: str,
        *,
        span: tuple[int, int] | None = None,
        hint: str | None = None,
    ) -> Finding:
        """A finding of this rule in a note; span is (start, end) offsets in the body."""
        excerpt = note.body[span[0] : span[1]] if span else None
        return self.at(
            note.locate(span[0] if span else None), message, hint=hint, span=span, excerpt=excerpt
        )


@dataclass(frozen=True)
class Finding:
    """One problem found: which rule, how bad, what and where, and how to fix it."""

    code: str
    name: str
    severity: str
    message: str
    location: Location
    hint: str | None = None
    span: tuple[int, int] | None = None
    excerpt: str | None = None
    label: str | None = None  # which rendering, e.g. "example 2"
    plugin: str | None = field(default=None, compare=False)

    def with_context(self, label: str | None, plugin: str | None) -> Finding:
        label, plugin = self.label or label, self.plugin or plugin
        if label == self.label and plugin == self.plugin:
            return self  # frozen: the same finding
        if type(self) is not Finding:  # a subclass keeps its type and fields
            return replace(self, label=label, plugin=plugin)
        # What Finding(...) with the same fields makes, without its frozen __init__ (ten
        # object.__setattr__ calls): a copy of the fields, label and plugin replaced.
        copy = _new(Finding)
        fields = copy.__dict__
        fields.update(self.__dict__)
        fields["label"] = label
        fields["plugin"] = plugin
        return copy

    def sort_key(self) -> tuple[str, int, int, str]:
        loc = self.location
        return (str(loc.path or ""), loc.line or 0, loc.column or 0, self.code)


_new = object.__new__

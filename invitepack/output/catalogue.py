"""The catalogue: a static site of a pack's templates, each example rendered as its recipient
sees it, with its budget, findings and verdict, for people who review templates without
reading Jinja. `build_catalogue` gathers what the pages show; `write_site` writes them.

The site is plain files (HTML, one stylesheet, one small script) that open from the file
system and publish as they are. Every value and every piece of template text reaches the
page through Jinja's autoescaping, and Markdown (descriptions, guidance, the changelog)
through markdown-it with raw HTML turned off, so a pack cannot put markup on the page.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from invitepack.checks.findings import Finding
from invitepack.errors import InvitepackError, Location
from invitepack.pack.changelog import ChangeEntry, changelog_entries
from invitepack.pack.channels import ACCOUNT_TIERS, Channel, utf16_length
from invitepack.pack.files import umask_mode
from invitepack.pack.resources import data_file
from invitepack.pack.template import Template
from invitepack.render.message import Message
from invitepack.severities import SEVERITY_RANK

if TYPE_CHECKING:
    from invitepack.checks.checker import Checker
    from invitepack.checks.results import Outcome
    from invitepack.checks.verdict import Verdict
    from invitepack.pack.workspace import Workspace
    from invitepack.render.renderer import Renderer

MARKER = ".invitepack-catalogue"
ASSETS = ("catalogue.css", "catalogue.js")


@dataclass(frozen=True)
class Meter:
    """One budget bar: `used` characters (UTF-16 units) of `limit`, for an account tier
    (None when the tiers share the limit, or for a subject)."""

    used: int
    limit: int | None
    account: str | None = None
    what: str = "body"  # or "subject"
    soft: bool = False  # a display length (email subjects), not a hard limit

    @property
    def over_by(self) -> int:
        return max(0, self.used - self.limit) if self.limit is not None else 0

    @property
    def level(self) -> str:
        """ok, near (past 90%) or over: the bar's colour."""
        if self.over_by:
            return "over"
        return "near" if self.limit is not None and self.used > 0.9 * self.limit else "ok"


@dataclass(frozen=True)
class ExampleView:
    """One example as rendered and judged, or the error that kept it from rendering."""

    number: int
    values: dict[str, Any]
    message: Message | None
    meters: list[Meter] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    verdict: Verdict | None = None  # send or revise, with its reasons (None: did not render)

    @property
    def worst(self) -> str | None:
        """The worst severity among the findings, or None when there are none."""
        for severity in ("error", "warning", "info"):
            if any(f.severity == severity for f in self.findings):
                return severity
        return None


@dataclass(frozen=True)
class WorstCase:
    """The longest body the template can render (every variable at its maxLength, optional
    ones filled and empty), as rule IP708 measures it; `unbounded` names variables with no
    maxLength, for which nothing can be proved."""

    length: int | None
    limit: int | None
    account: str = "free"  # the tier the limit is for: a premium variant's is premium
    unbounded: list[str] = field(default_factory=list)

    @property
    def meter(self) -> Meter | None:
        if self.length is None:
            return None
        return Meter(self.length, self.limit, self.account if self.limit is not None else None)


@dataclass(frozen=True)
class TemplateView:
    """Everything a template's page shows."""

    template: Template
    channel: Channel | None
    worst_case: WorstCase
    examples: list[ExampleView]
    findings: list[Finding]
    changes: list[ChangeEntry]

    @property
    def slug(self) -> str:
        return f"t/{self.template.id}.html"


@dataclass(frozen=True)
class Catalogue:
    """A pack's catalogue, ready to write."""

    pack_name: str
    pack_version: str
    pack_description: str
    templates: list[TemplateView]
    problems: list[str] = field(default_factory=list)  # examples that did not render, for stderr


def build_catalogue(workspace: Workspace) -> tuple[Catalogue, Outcome]:
    """Render and check every example of every template of the workspace's pack.

    The returned outcome carries plugin failures (exit 2); findings are kept per example."""
    from invitepack.checks.checker import build_checker
    from invitepack.checks.plugins import local_plugin_files
    from invitepack.pack.manifest import manifest_data
    from invitepack.render.renderer import Renderer

    pack = workspace.pack
    renderer = Renderer(pack.root, workspace.config.limits)
    manifest = {} if pack.builtin else manifest_data(pack.root, workspace.config.limits)
    checker = build_checker(
        workspace, local_plugin_files(pack.root, manifest), manifest.get("settings"), renderer
    )
    outcome = checker.outcome("template")
    ordered = sorted(
        pack.templates.values(), key=lambda t: (t.scenario, t.channel, t.variant or "", t.id)
    )
    views = [
        _template_view(t, workspace.channels.get(t.channel), checker, renderer, outcome)
        for t in ordered
    ]
    problems = [
        f"{view.template.path}: example {example.number} does not render: {example.error}"
        for view in views
        for example in view.examples
        if example.error
    ]
    description = " ".join(str(pack.manifest.get("description", "")).split())
    return Catalogue(pack.name, pack.version, description, views, problems), outcome


def _template_view(
    template: Template,
    channel: Channel | None,
    checker: Checker,
    renderer: Renderer,
    outcome: Outcome,
) -> TemplateView:
    from invitepack.checks.suppress import apply, suppressions

    active = suppressions(template)
    error = None
    try:
        found = checker.selection.keep(outcome.take(checker.template_findings(template)))
    except InvitepackError as exc:  # a safety bound hit while checking the template
        found, error = [], exc.message
    examples = [
        _example_view(template, channel, number, values, checker, renderer, outcome, active)
        for number, values in enumerate(template.examples, start=1)
    ]
    if error:
        examples = [replace(e, error=e.error or error) for e in examples]
    return TemplateView(
        template=template,
        channel=channel,
        worst_case=worst_case(template, channel, renderer),
        examples=examples,
        findings=apply(found, active, checker.selection.rules),
        changes=changelog_entries(template, renderer.limits.max_file_bytes),
    )


def _example_view(
    template: Template,
    channel: Channel | None,
    number: int,
    values: dict[str, Any],
    checker: Checker,
    renderer: Renderer,
    outcome: Outcome,
    active: list[Any],
) -> ExampleView:
    from invitepack.checks.suppress import apply

    try:
        # As validate renders it: a premium variant on a premium account, values held to
        # their maxLength.
        message = renderer.render(
            template,
            values,
            account=template.account or "free",
            label=f"example {number}",
            strict=True,
        )
    except InvitepackError as exc:
        return ExampleView(
            number, values, None, error=exc.message + (f" ({exc.hint})" if exc.hint else "")
        )
    message = replace(message, origin=template.location("examples", number - 1))
    found = checker.selection.keep(outcome.take(checker.message_findings(message)))
    found = apply(found, active, checker.selection.rules)
    # The same verdict `validate` gives the example: from its findings after suppressions.
    verdict = checker.give_verdict(message, found, outcome)
    found.sort(key=lambda f: -SEVERITY_RANK[f.severity])  # errors first, as the reasons are
    return ExampleView(number, values, message, meters(message, channel), found, verdict=verdict)


def meters(message: Message, channel: Channel | None) -> list[Meter]:
    """The budget bars of a rendered message: one per account tier when the tiers' limits
    differ (a LinkedIn invitation: free 200, premium 300), else one; and the subject's."""
    used = message.length
    found: list[Meter] = []
    limits = {tier: channel.limit_for(tier) for tier in ACCOUNT_TIERS} if channel else {}
    distinct = set(limits.values())
    if not limits or distinct == {None}:
        found.append(Meter(used, None))
    elif len(distinct) == 1:
        found.append(Meter(used, distinct.pop()))
    else:
        found += [Meter(used, limit, tier) for tier, limit in limits.items()]
    if message.subject is not None:
        cap = channel.subject_limit or channel.subject_display if channel else None
        soft = channel is not None and channel.subject_limit is None
        found.append(Meter(utf16_length(message.subject), cap, None, "subject", soft))
    return found


def worst_case(template: Template, channel: Channel | None, renderer: Renderer) -> WorstCase:
    """The template's longest possible body against its channel's limit for the account it
    is written for (a premium variant's: premium; any other: free), as IP708 proves it."""
    from invitepack.checks.rules.templates import _longest  # the same longest values as IP708

    account = template.account or "free"
    limit = channel.limit_for(account) if channel else None
    properties: dict[str, Any] = template.variables.get("properties", {})
    sources = [(template.body, template.body_line)]
    if template.subject is not None:
        sources.append((template.subject, template.location("subject").line or 1))
    try:
        used: set[str] = set()
        for source, line in sources:
            used |= renderer.variables(source, template.path, line)
        unbounded = [
            name
            for name, spec in properties.items()
            if name in used
            and spec.get("type", "string") == "string"
            and not {"maxLength", "enum", "const"} & set(spec)
        ]
        if unbounded:
            return WorstCase(None, limit, account, unbounded)
        full = {name: _longest(spec) for name, spec in properties.items()}
        sparse = {
            name: (value if name in template.required else "") for name, value in full.items()
        }
        longest = max(
            utf16_length(renderer.render_body(template, values)) for values in (full, sparse)
        )
    except InvitepackError:
        return WorstCase(None, limit, account)  # the examples show the same failure
    return WorstCase(longest, limit, account)


def render_pages(catalogue: Catalogue) -> dict[str, str]:
    """Every page and asset of the site, by relative path."""
    import jinja2

    from invitepack import __version__

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(data_file("catalogue")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["markdown"] = _markdown
    env.globals["channel_label"] = _channel_label
    common = {"catalogue": catalogue, "invitepack_version": __version__}
    pages = {"index.html": env.get_template("index.html").render(common, root="")}
    for view in catalogue.templates:
        pages[view.slug] = env.get_template("template.html").render(common, root="../", view=view)
    for name in ASSETS:
        pages[f"assets/{name}"] = data_file(f"catalogue/{name}").read_text(encoding="utf-8")
    return pages


def _markdown(text: str) -> Any:
    """Markdown as HTML; raw HTML in the text is shown as text and unsafe links are dropped."""
    from markdown_it import MarkdownIt
    from markupsafe import Markup

    return Markup(MarkdownIt("commonmark", {"html": False, "linkify": False}).render(str(text)))


def _channel_label(channel_id: str) -> str:
    return {
        "linkedin-invite": "Invitation",
        "linkedin-message": "Message",
        "linkedin-inmail": "InMail",
        "email": "Email",
    }.get(channel_id, channel_id)


def write_site(catalogue: Catalogue, out: Path, *, force: bool = False) -> None:
    """Write the site into `out`: staged in a sibling folder, then moved into place, so that
    a reader never sees half a catalogue. An existing folder is replaced only when it is empty,
    or with `force` when it holds a catalogue written earlier (never a folder of other files)."""
    existing = _existing(out, force)
    stage: Path | None = None
    old: Path | None = None
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp"))
        for rel, text in render_pages(catalogue).items():
            target = stage / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        (stage / MARKER).write_text(
            f"{catalogue.pack_name} {catalogue.pack_version}\n", encoding="utf-8"
        )
        stage.chmod(umask_mode(0o777))  # mkdtemp's folder is private; the site is to be read
        if existing:
            old = out.with_name(f".{out.name}.{os.getpid()}.old")
            os.rename(out, old)
        os.rename(stage, out)
        stage = None
    except OSError as exc:
        if old is not None and not out.exists():
            os.rename(old, out)
            old = None
        raise InvitepackError(
            f"cannot write the catalogue: {exc.strerror or exc}",
            Location(out),
            hint="choose a folder you can write to with --out",
        ) from None
    finally:
        for leftover in (stage, old):
            if leftover is not None:
                shutil.rmtree(leftover, ignore_errors=True)


def _existing(out: Path, force: bool) -> bool:
    """Whether `out` holds a catalogue to replace; an error when it must be left alone."""
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise InvitepackError(
            "--out must be a folder, and this is a file or a link",
            Location(out),
            hint="give a new folder, e.g. --out site",
        )
    if not out.exists() or not any(out.iterdir()):
        return out.exists()
    if not (out / MARKER).is_file():
        raise InvitepackError(
            "the folder is not empty and is not a catalogue invitepack wrote: it is left alone",
            Location(out),
            hint="give a new or empty folder with --out (--force replaces an earlier catalogue)",
        )
    if not force:
        raise InvitepackError(
            "the folder holds a catalogue written earlier",
            Location(out),
            hint="pass --force to replace it",
        )
    return True

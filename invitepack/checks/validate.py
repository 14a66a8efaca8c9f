"""Validating a pack, or some of its template files: load, check templates, render every
example and check the result, then apply suppressions. What the pre-commit hooks run."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from invitepack.checks import corerules as rules
from invitepack.checks.checker import Checker, build_checker
from invitepack.checks.findings import Finding
from invitepack.checks.plugins import local_plugin_files
from invitepack.checks.results import Outcome
from invitepack.checks.suppress import apply, suppressions, unused
from invitepack.errors import (
    LimitExceededError,
    LoadError,
    Location,
    UnsafeTemplateError,
    VariableError,
)
from invitepack.pack.loader import Pack, duplicate_ids
from invitepack.pack.manifest import MANIFEST, read_manifest, templates_folder
from invitepack.pack.template import (
    Template,
    is_template_file,
    markdown_files,
    read_template,
    template_files,
)
from invitepack.pack.workspace import Workspace
from invitepack.render.message import Message
from invitepack.render.renderer import Renderer
from invitepack.render.timer import one_timer


def validate(
    workspace: Workspace, paths: list[Path] | None = None, base: str | None = None
) -> Outcome:
    """Validate the workspace's pack: every template, or only `paths` (no pack-wide rules).

    A whole pack's templates are compared with `base` (a git commit, e.g. a pull request's
    merge base) for version bumps, or with HEAD when it is None; when there is nothing to
    compare with, the outcome's notices say so. A `base` that cannot be read raises LoadError.
    """
    from invitepack.checks.baseline import find_baseline
    from invitepack.checks.rules.versions import VERSION_NOT_BUMPED

    root = workspace.pack_root.resolve()
    limits = workspace.config.limits
    try:
        manifest, manifest_problems = read_manifest(root, limits)
    except LoadError as exc:
        manifest, manifest_problems = {}, [exc]
    problems_found = [
        rules.INVALID_MANIFEST.at(
            problem.location or Location(root / MANIFEST), problem.message, hint=problem.hint
        )
        for problem in manifest_problems
    ]
    renderer = Renderer(root, limits)
    checker = build_checker(
        workspace, local_plugin_files(root, manifest), manifest.get("settings"), renderer
    )
    outcome = checker.outcome("template")
    outcome.findings += problems_found
    whole_pack = paths is None
    if whole_pack and (base is not None or checker.selection.enabled(VERSION_NOT_BUMPED.code)):
        baseline, notice = find_baseline(root, base)
        checker.context = replace(checker.context, baseline=baseline)
        if notice and checker.selection.enabled(VERSION_NOT_BUMPED.code):
            outcome.notices.append(notice)
    if whole_pack:
        files = template_files(root, manifest)
    else:
        # The pre-commit hook passes every changed Markdown file: keep the pack's templates.
        folder = templates_folder(root, manifest)
        files = [p for p in _named_files(paths or []) if is_template_file(p, folder)]
    loaded: list[Template] = []
    for path in files:
        template, problems = read_template(path, limits)
        outcome.findings += [
            rules.INVALID_TEMPLATE.at(p.location or Location(path), p.message, hint=p.hint)
            for p in problems
        ]
        if template is not None:
            loaded.append(template)
    if whole_pack:
        outcome.findings += [
            rules.DUPLICATE_ID.at(p.location or Location(root), p.message, hint=p.hint)
            for p in duplicate_ids(loaded)
        ]
        if manifest and not manifest_problems:
            pack = Pack(root, manifest, {t.id: t for t in loaded})
            outcome.findings += checker.selection.keep(outcome.take(checker.pack_findings(pack)))
    # One timer for every template's bounded steps, each bounded as alone: a time_limit a
    # step costs two system calls and two signal-handler swaps, twenty of them a template.
    with one_timer(limits.step_seconds):
        for template in loaded:
            outcome.findings += validate_template(
                template, checker, renderer, workspace.account, outcome
            )
            outcome.checked += 1
    outcome.findings = checker.selection.keep(outcome.findings)
    return outcome


def _named_files(paths: list[Path]) -> list[Path]:
    """The files named on the command line, a folder standing for the Markdown files under
    it. A path that does not exist is an error: "0 templates checked" would be a false pass
    for a mistyped name."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += markdown_files(path)
        elif path.exists():
            files.append(path)
        else:
            raise LoadError(
                "no such file",
                Location(path),
                hint="give the path of a template file, or no path to validate the whole pack",
            )
    return files


def validate_template(
    template: Template, checker: Checker, renderer: Renderer, account: str, outcome: Outcome
) -> list[Finding]:
    """One template's findings, suppressions applied: template rules, then every example
    rendered and checked (labelled "example N"). What `validate` and the language server run."""
    try:
        found = outcome.take(checker.template_findings(template))
    except LimitExceededError as exc:
        outcome.errors.append(exc)
        return []
    rendered: list[Message] = []  # the examples that rendered, each of which gets a verdict
    if not {f.code for f in found} & rules.BLOCKING:
        for index, example in enumerate(template.examples):
            try:
                # A premium variant is checked against the premium limit whatever the
                # workspace's account; examples are held to their maxLength (strict).
                message = renderer.render(
                    template,
                    example,
                    account=template.account or account,
                    label=f"example {index + 1}",
                    strict=True,
                )
            except VariableError as exc:
                found.append(
                    rules.INVALID_EXAMPLE.at(
                        template.location("examples", index), f"example {index + 1}: {exc.message}"
                    )
                )
                continue
            except LimitExceededError as exc:
                outcome.errors.append(exc)
                continue
            except UnsafeTemplateError as exc:
                found.append(
                    rules.UNSAFE_TEMPLATE.at(
                        exc.location or template.location(), exc.message, hint=exc.hint
                    )
                )
                continue
            except LoadError as exc:
                found.append(
                    rules.TEMPLATE_SYNTAX.at(
                        exc.location or template.location(), exc.message, hint=exc.hint
                    )
                )
                continue
            message = replace(message, origin=template.location("examples", index))
            found += outcome.take(checker.message_findings(message))
            rendered.append(message)
    active = suppressions(template)
    found = apply(found, active, checker.selection.rules)
    for message in rendered:
        example_found = checker.selection.keep(f for f in found if f.label == message.label)
        checker.give_verdict(message, example_found, outcome)
    return found + unused(active, rules.UNUSED_SUPPRESSION, checker.selection.rules)

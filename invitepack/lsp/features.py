"""What the server answers besides diagnostics: hover, completion, code actions, and each
example's budget as a code lens and an inlay hint. Pure functions of a file's lines and its
last analysis; positions are (line, column) in code points, converted by the server."""

from __future__ import annotations

import re
from typing import Any

from lsprotocol import types

from invitepack.checks.corerules import (
    INVALID_MANIFEST,
    INVALID_TEMPLATE,
    TEMPLATE_SYNTAX,
    UNUSED_SUPPRESSION,
)
from invitepack.checks.rules.versions import VERSION_NOT_BUMPED
from invitepack.lsp.diagnostics import Analysis, Problem
from invitepack.lsp.packstate import PackState
from invitepack.lsp.sourcemap import Point

SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}
SOURCE = "invitepack"
# Nothing to suppress: the file does not parse, or the finding is about a suppression.
_NOT_SUPPRESSIBLE = {
    INVALID_TEMPLATE.code,
    INVALID_MANIFEST.code,
    TEMPLATE_SYNTAX.code,
    UNUSED_SUPPRESSION.code,
}
_VERSION_LINE = re.compile(
    r"^version:\s*(?P<quote>[\"']?)(?P<version>\d+\.\d+\.\d+[^\"'\s#]*)(?P=quote)"
)


def _range(start: Point, end: Point) -> types.Range:
    return types.Range(
        start=types.Position(line=start[0], character=start[1]),
        end=types.Position(line=end[0], character=end[1]),
    )


def _contains(problem: Problem, line: int, column: int) -> bool:
    return (
        (problem.start[0], problem.start[1]) <= (line, column) <= (problem.end[0], problem.end[1])
    )


def fences(lines: list[str]) -> tuple[int, int] | None:
    """The 0-based lines of a template's opening and closing '---', or None."""
    if not lines or lines[0].rstrip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return 0, index
    return None


# --- diagnostics ---------------------------------------------------------------------------


def diagnostic(problem: Problem, uri: str) -> types.Diagnostic:
    """A problem as an LSP diagnostic (range in code points)."""
    related = [
        types.DiagnosticRelatedInformation(
            location=types.Location(uri=uri, range=_range(point, point)), message=text
        )
        for point, text in problem.related
    ]
    return types.Diagnostic(
        range=_range(problem.start, problem.end),
        message=problem.text,
        severity=SEVERITY.get(problem.severity, types.DiagnosticSeverity.Error),
        code=problem.code,
        source=SOURCE,
        related_information=related or None,
        data={"name": problem.name, "hint": problem.hint},
    )


# --- hover ---------------------------------------------------------------------------------


def explain_rule(state: PackState, code: str, hint: str | None = None) -> str | None:
    """What `invitepack rules CODE` prints, as Markdown; the finding's own hint when it differs."""
    known = state.checker.plugins.rules.get(code) if state.checker else None
    if known is None:
        return None
    rule, plugin = known
    text = (
        f"**{rule.code} {rule.name}** ({rule.severity}, {rule.scope} rule, from {plugin})"
        f"\n\n{rule.summary}\n\n{rule.rationale}\n\n**Fix:** {rule.hint}"
    )
    if hint and hint != rule.hint:
        text += f"\n\n**Here:** {hint}"
    return text


def _word_at(line: str, column: int) -> tuple[str, int, int] | None:
    for match in re.finditer(r"[A-Za-z_]\w*", line):
        if match.start() <= column <= match.end():
            return match.group(0), match.start(), match.end()
    return None


def _in_jinja(line: str, column: int) -> bool:
    return any(m.start() < column < m.end() for m in re.finditer(r"\{[{%].*?(?:[}%]\}|$)", line))


def describe_variable(name: str, spec: dict[str, Any], required: bool) -> str:
    """A variable's description and limits, as Markdown."""
    facts = [spec.get("type", "string"), "required" if required else "optional"]
    if "maxLength" in spec:
        facts.append(f"{spec.get('minLength', 0)}-{spec['maxLength']} characters (UTF-16 units)")
    elif spec.get("type", "string") == "string" and "enum" not in spec:
        facts.append("no maxLength: nothing proves the note fits")
    if "enum" in spec:
        facts.append("one of " + ", ".join(map(str, spec["enum"])))
    if spec.get("multiline"):
        facts.append("may span lines")
    text = f"**{name}** ({', '.join(facts)})\n\n{spec.get('description', '')}"
    if "pattern" in spec:
        text += f"\n\npattern: `{spec['pattern']}`"
    return text


def hover(
    analysis: Analysis, state: PackState, lines: list[str], line: int, column: int
) -> types.Hover | None:
    """Rule explanations for the diagnostics under the cursor, and a variable's description."""
    parts = []
    seen = set()
    for problem in analysis.problems:
        if problem.code and problem.code not in seen and _contains(problem, line, column):
            seen.add(problem.code)
            explained = explain_rule(state, problem.code, problem.hint)
            if explained:
                parts.append(explained)
    text = lines[line] if line < len(lines) else ""
    word = _word_at(text, column)
    in_template = (
        analysis.body_line is not None and line >= analysis.body_line - 1
    ) or text.startswith("subject:")
    if word and word[0] in analysis.properties and in_template and _in_jinja(text, column):
        required = word[0] in (analysis.template.required if analysis.template else [])
        parts.append(describe_variable(word[0], analysis.properties[word[0]], required))
    if not parts:
        return None
    return types.Hover(
        contents=types.MarkupContent(
            kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)
        )
    )


# --- completion ----------------------------------------------------------------------------


def _parents(lines: list[str], line: int, top: int) -> list[str]:
    """The YAML keys enclosing a line of front matter, outermost first (block style)."""
    current = lines[line]
    indent = len(current) - len(current.lstrip()) if current.strip() else len(current)
    keys: list[str] = []
    for number in range(line - 1, top, -1):
        text = lines[number]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        own = len(text) - len(text.lstrip())
        key = re.match(r"\s*([\w-]+):", text)
        if own < indent and key:
            keys.insert(0, key.group(1))
            indent = own
        if own == 0:
            break
    return keys


def _items(
    names: list[str],
    kind: types.CompletionItemKind,
    docs: dict[str, str] | None = None,
    suffix: str = "",
) -> list[types.CompletionItem]:
    return [
        types.CompletionItem(
            label=name,
            kind=kind,
            insert_text=name + suffix,
            documentation=(docs or {}).get(name) or None,
        )
        for name in names
    ]


def completion(
    analysis: Analysis | None, state: PackState, lines: list[str], line: int, column: int
) -> list[types.CompletionItem]:
    """Variables inside {{ }} and {% %}; front matter keys, channels, scenarios and variable
    keywords in the front matter."""
    from invitepack.pack.schemas import load_schema

    text = lines[line] if line < len(lines) else ""
    before = text[:column]
    bounds = fences(lines)
    properties = analysis.properties if analysis else {}
    in_body = bounds is not None and line > bounds[1]
    if (in_body or before.startswith("subject:")) and re.search(r"\{[{%](?:(?![}%]\}).)*$", before):
        docs = {name: str(spec.get("description", "")) for name, spec in properties.items()}
        return _items(sorted(properties), types.CompletionItemKind.Variable, docs)
    if bounds is None or not bounds[0] < line < bounds[1]:
        return []
    schema = load_schema("template")
    value = re.match(r"^(\w+):\s*(\S*)$", before)
    if value and value.group(1) == "channel":
        return _items(sorted(state.channels), types.CompletionItemKind.EnumMember)
    if value and value.group(1) == "scenario":
        return _items(state.scenarios(), types.CompletionItemKind.EnumMember)
    if ":" in before and not before.rstrip().endswith(("{", ",")):
        return []
    parents = _parents(lines, line, bounds[0])
    flow = re.match(r"^\s*(\w+):\s*\{", before)
    if flow:
        parents = [*parents, flow.group(1)]
    if not parents and not before.strip(" \t").strip():
        present = {
            m.group(1) for m in (re.match(r"^([\w-]+):", t) for t in lines[1 : bounds[1]]) if m
        }
        keys = [k for k in schema["properties"] if k not in present]
        docs = {k: str(v.get("description", "")) for k, v in schema["properties"].items()}
        return _items(keys, types.CompletionItemKind.Property, docs, ": ")
    if parents == ["variables"]:
        spec = schema["$defs"]["variables"]["properties"]
        return _items(list(spec), types.CompletionItemKind.Property, {}, ": ")
    if len(parents) == 3 and parents[:2] == ["variables", "properties"]:
        spec = schema["$defs"]["variable"]["properties"]
        docs = {k: str(v.get("description", "")) for k, v in spec.items()}
        return _items(list(spec), types.CompletionItemKind.Property, docs, ": ")
    return []


# --- code actions --------------------------------------------------------------------------


def _version_edit(lines: list[str], part: str) -> tuple[types.Range, str, str] | None:
    bounds = fences(lines)
    if bounds is None:
        return None
    for number in range(bounds[0] + 1, bounds[1]):
        match = _VERSION_LINE.match(lines[number])
        if match:
            major, minor, patch = (int(x) for x in re.findall(r"\d+", match.group("version"))[:3])
            new = {
                "major": f"{major + 1}.0.0",
                "minor": f"{major}.{minor + 1}.0",
                "patch": f"{major}.{minor}.{patch + 1}",
            }[part]
            quote = match.group("quote") or '"'
            start, end = (
                match.start("version") - len(match.group("quote")),
                match.end("version") + len(match.group("quote")),
            )
            return _range((number, start), (number, end)), f"{quote}{new}{quote}", new
    return None


def code_actions(
    analysis: Analysis, lines: list[str], uri: str, diagnostics: list[types.Diagnostic]
) -> list[types.CodeAction]:
    """Suppress a finding in this template; bump the version when the bump rule fires;
    remove a suppression that suppresses nothing."""
    actions: list[types.CodeAction] = []
    for diag in diagnostics:
        code = str(diag.code) if diag.code is not None else None
        if diag.source != SOURCE or code is None:
            continue
        if code == VERSION_NOT_BUMPED.code and analysis.kind == "template":
            parts = ["major"] if "major" in diag.message else ["patch", "minor", "major"]
            for index, part in enumerate(parts):
                edit = _version_edit(lines, part)
                if edit:
                    actions.append(
                        _action(
                            f"Bump the version to {edit[2]} ({part})",
                            uri,
                            edit[0],
                            edit[1],
                            diag,
                            preferred=index == 0,
                        )
                    )
        if code == UNUSED_SUPPRESSION.code:
            start, end = diag.range.start, diag.range.end
            whole = (
                lines[start.line][: start.character].strip() == ""
                and lines[start.line][end.character :].strip() == ""
            )
            target = (
                types.Range(
                    start=types.Position(line=start.line, character=0),
                    end=types.Position(line=start.line + 1, character=0),
                )
                if whole
                else diag.range
            )
            actions.append(
                _action("Remove the unused suppression", uri, target, "", diag, preferred=True)
            )
        if (
            code not in _NOT_SUPPRESSIBLE
            and analysis.kind == "template"
            and analysis.body_line is not None
        ):
            name = (diag.data or {}).get("name") if isinstance(diag.data, dict) else None
            comment = f"{{# invitepack: disable={code} explain why #}}\n"
            where = types.Position(line=analysis.body_line - 1, character=0)
            title = f"Disable {code}{f' ({name})' if name else ''} in this template"
            actions.append(_action(title, uri, types.Range(start=where, end=where), comment, diag))
    return actions


def _action(
    title: str,
    uri: str,
    where: types.Range,
    text: str,
    diag: types.Diagnostic,
    preferred: bool = False,
) -> types.CodeAction:
    return types.CodeAction(
        title=title,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diag],
        is_preferred=preferred or None,
        edit=types.WorkspaceEdit(changes={uri: [types.TextEdit(range=where, new_text=text)]}),
    )


# --- budgets -------------------------------------------------------------------------------


def code_lenses(analysis: Analysis) -> list[types.CodeLens]:
    """ "example 2: 187/200" above each example (a label: its command does nothing)."""
    return [
        types.CodeLens(
            range=_range((b.line, 0), (b.line, 0)), command=types.Command(title=b.title, command="")
        )
        for b in analysis.budgets
    ]


def inlay_hints(
    analysis: Analysis, lines: list[str], first: int, last: int
) -> list[types.InlayHint]:
    """The same budgets at the end of each example's line, for editors without code lenses."""
    hints = []
    for budget in analysis.budgets:
        if first <= budget.line <= last and budget.line < len(lines):
            hints.append(
                types.InlayHint(
                    position=types.Position(line=budget.line, character=len(lines[budget.line])),
                    label=budget.title,
                    padding_left=True,
                )
            )
    return hints

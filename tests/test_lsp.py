"""`invitepack lsp` driven by a real LSP client over stdio (pytest-lsp), on a small pack of
the test's own, written to tmp_path."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

pytest_lsp = pytest.importorskip("pytest_lsp")
pytest.importorskip("pygls")

from lsprotocol import types  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402

pytestmark = pytest.mark.asyncio

MANIFEST = """\
name: lsp-test-pack
version: "1.0.0"
description: A pack for language server tests
invitepack: ">=0.1"
"""

FRONT_MATTER = """\
---
id: {id}
version: "1.0.0"
scenario: seeking-work
channel: linkedin-invite
title: Seeking work
description: Ask who to talk to about work.
guidance: Use it when you are looking for work.
variables:
  type: object
  properties:
    name: {{type: string, description: "Your first name, e.g. Ada", minLength: 1, maxLength: 20}}
    field: {{type: string, description: "Your field, e.g. data engineering", minLength: 1, maxLength: 30}}
    detail: {{type: string, description: "What you saw of theirs, e.g. your post on dbt tests", minLength: 1, maxLength: 60}}
  required: [name, field, detail]
examples:
  - {{name: Ada, field: data engineering, detail: your post on testing dbt models}}
  - {{name: Sam, field: product design, detail: your talk on accessible forms}}
---
"""  # noqa: E501 - variables on one line each, as authors write them
GOOD_BODY = (
    "Hi, I'm {{ name }}, looking for work in {{ field }}. "
    "I enjoyed {{ detail }}. Who would be the right person to talk to?\n"
)
PLACEHOLDER_BODY = (
    "Hi [Name], I'm {{ name }}, looking for work in {{ field }}.\n"
    "I enjoyed {{ detail }}. Who would be the right person to talk to?\n"
)
PLACEHOLDER_LINE = 19  # 0-based: the first body line, the one with [Name]


def template_text(template_id: str, body: str) -> str:
    return FRONT_MATTER.format(id=template_id) + body


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    root = tmp_path / "pack"
    (root / "templates").mkdir(parents=True)
    (root / "pack.yaml").write_text(MANIFEST, encoding="utf-8")
    return root


@pytest_lsp.fixture(
    config=ClientServerConfig(
        server_command=[sys.executable, "-m", "invitepack", "lsp"],
        server_env={**os.environ, "INVITEPACK_NO_ENTRY_POINTS": "1"},
    ),
)
async def client(lsp_client: LanguageClient, pack: Path):  # type: ignore[no-untyped-def]
    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        """Accept the server's file watchers, as VS Code does."""

    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=pack.as_uri(),
            initialization_options={"debounceMs": 50},
        )
    )
    yield
    await lsp_client.shutdown_session()


def open_template(client: LanguageClient, pack: Path, template_id: str, text: str) -> str:
    """Write the template to the pack and open it in the editor; its URI."""
    path = pack / "templates" / f"{template_id}.md"
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="markdown", version=1, text=text
            )
        )
    )
    return uri


def change(client: LanguageClient, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def diagnostics(
    client: LanguageClient,
    uri: str,
    wanted: Callable[[Sequence[types.Diagnostic]], bool],
    timeout: float = 5.0,
) -> Sequence[types.Diagnostic]:
    """The file's diagnostics once `wanted` holds for them (at most `timeout` seconds)."""

    async def wait() -> Sequence[types.Diagnostic]:
        while True:
            if uri in client.diagnostics and wanted(client.diagnostics[uri]):
                return client.diagnostics[uri]
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    return await asyncio.wait_for(wait(), timeout)


def codes(found: Sequence[types.Diagnostic]) -> set[str]:
    return {str(d.code) for d in found}


def has(code: str) -> Callable[[Sequence[types.Diagnostic]], bool]:
    return lambda found: code in codes(found)


def lacks(code: str) -> Callable[[Sequence[types.Diagnostic]], bool]:
    return lambda found: code not in codes(found)


async def test_placeholder_reported_at_its_body_line_then_cleared(
    client: LanguageClient, pack: Path
) -> None:
    uri = open_template(
        client, pack, "placeholder-invite", template_text("placeholder-invite", PLACEHOLDER_BODY)
    )
    found = await diagnostics(client, uri, has("IP501"), timeout=5.0)
    ip501 = [d for d in found if d.code == "IP501"]
    assert len(ip501) == 1, found  # both examples leave it: one diagnostic naming both
    assert ip501[0].range.start.line == PLACEHOLDER_LINE
    assert (ip501[0].range.start.character, ip501[0].range.end.character) == (
        3,
        9,
    )  # exactly "[Name]"
    assert "example 1" in ip501[0].message and "example 2" in ip501[0].message

    change(
        client,
        uri,
        2,
        template_text("placeholder-invite", PLACEHOLDER_BODY.replace("Hi [Name], ", "Hi, ")),
    )
    found = await diagnostics(client, uri, lacks("IP501"))
    assert "IP501" not in codes(found)


async def test_hover_on_a_diagnostic_shows_the_rule_rationale(
    client: LanguageClient, pack: Path
) -> None:
    uri = open_template(
        client, pack, "hover-invite", template_text("hover-invite", PLACEHOLDER_BODY)
    )
    await diagnostics(client, uri, has("IP501"))
    result = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=PLACEHOLDER_LINE, character=5),
        )
    )
    assert result is not None
    text = result.contents.value  # type: ignore[union-attr]
    assert "IP501 leftover-placeholder" in text
    assert "nobody read it before sending" in text  # the rationale, as `invitepack rules IP501`
    assert "**Fix:**" in text


async def test_hover_on_a_variable_shows_description_and_limit(
    client: LanguageClient, pack: Path
) -> None:
    uri = open_template(
        client, pack, "variable-invite", template_text("variable-invite", GOOD_BODY)
    )
    await diagnostics(client, uri, lambda found: True)
    column = GOOD_BODY.index("{{ field }}") + 4
    result = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=PLACEHOLDER_LINE, character=column),
        )
    )
    assert result is not None
    text = result.contents.value  # type: ignore[union-attr]
    assert (
        "**field**" in text
        and "Your field, e.g. data engineering" in text
        and "1-30 characters" in text
    )


async def test_disable_action_applied_silences_the_finding(
    client: LanguageClient, pack: Path
) -> None:
    text = template_text("suppress-invite", PLACEHOLDER_BODY)
    uri = open_template(client, pack, "suppress-invite", text)
    found = await diagnostics(client, uri, has("IP501"))
    ip501 = [d for d in found if d.code == "IP501"]
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=ip501[0].range,
            context=types.CodeActionContext(diagnostics=ip501),
        )
    )
    assert actions
    disable = next(
        a
        for a in actions
        if isinstance(a, types.CodeAction) and a.title.startswith("Disable IP501")
    )
    assert disable.edit is not None and disable.edit.changes is not None
    (edit,) = disable.edit.changes[uri]
    assert edit.new_text.startswith("{# invitepack: disable=IP501 ")
    lines = text.split("\n")
    at = edit.range.start
    lines[at.line] = lines[at.line][: at.character] + edit.new_text + lines[at.line][at.character :]
    edited = "\n".join(lines)
    change(client, uri, 2, edited)
    found = await diagnostics(client, uri, lacks("IP501"))
    assert not {"IP501", "IP712", "IP702"} & codes(found), found


async def test_completion_offers_the_template_variables(client: LanguageClient, pack: Path) -> None:
    body = "Hi, I'm {{ \n"
    uri = open_template(client, pack, "complete-invite", template_text("complete-invite", body))
    await diagnostics(client, uri, lambda found: True)
    result = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=PLACEHOLDER_LINE, character=len(body) - 1),
        )
    )
    assert result is not None
    items = result.items if isinstance(result, types.CompletionList) else result
    assert {"name", "field", "detail"} <= {item.label for item in items}


async def test_broken_yaml_header_is_a_diagnostic_not_a_crash(
    client: LanguageClient, pack: Path
) -> None:
    broken = template_text("broken-invite", GOOD_BODY).replace(
        "title: Seeking work", "title: [Seeking work"
    )
    uri = open_template(client, pack, "broken-invite", broken)
    found = await diagnostics(client, uri, has("IP700"))
    (problem,) = [d for d in found if d.code == "IP700"]
    assert "invalid YAML" in problem.message
    assert 5 <= problem.range.start.line <= 9  # at the YAML problem, not the top of the file
    # Still alive, and still analysing: a fix clears it.
    change(client, uri, 2, template_text("broken-invite", GOOD_BODY))
    found = await diagnostics(client, uri, lacks("IP700"))
    assert "IP700" not in codes(found)


async def test_budget_lens_for_each_example(client: LanguageClient, pack: Path) -> None:
    uri = open_template(client, pack, "budget-invite", template_text("budget-invite", GOOD_BODY))
    await diagnostics(client, uri, lambda found: True)
    lenses = await client.text_document_code_lens_async(
        types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    titles = [lens.command.title for lens in lenses or [] if lens.command]
    assert len(titles) == 2
    assert titles[0].startswith("example 1: ") and titles[0].split(": ")[1].split()[0].endswith(
        "/200"
    )
    assert [lens.range.start.line for lens in lenses or []] == [
        16,
        17,
    ]  # the lines of the two examples

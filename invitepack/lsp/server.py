"""`invitepack lsp`: the language server, over stdio, built on pygls.

Files of a pack (its pack.yaml and its templates) are analysed when opened and, debounced,
as they change; the results are kept per file for hover, code actions and budgets. The
pack's config, manifest and local plugins are reloaded when they change (a watched-file
notification, a save, or a stale time stamp noticed at the next analysis). Analysis runs on
the server's main thread, where invitepack's time limits apply.
"""

from __future__ import annotations

import asyncio
import traceback
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from invitepack import __version__
from invitepack.lsp import features
from invitepack.lsp.diagnostics import Analysis, Problem, analyse
from invitepack.lsp.packstate import PackState, PackStates

DEFAULT_DEBOUNCE = 0.2  # seconds of quiet typing before a change is analysed
IDLE = 1.0  # seconds of quiet before the pack-wide rules run again
_SETTINGS_FILES = ("pack.yaml", "invitepack.toml", "pyproject.toml")


class InvitepackServer(LanguageServer):
    """The server's state: pack states, the last analysis of each open file, pending changes."""

    def __init__(self) -> None:
        super().__init__(
            "invitepack",
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
        )
        self.states = PackStates()
        self.analyses: dict[str, tuple[Analysis, PackState]] = {}
        self.pending: dict[str, asyncio.TimerHandle] = {}
        self.pending_full: dict[str, asyncio.TimerHandle] = {}
        self.debounce = DEFAULT_DEBOUNCE

    def log(self, message: str, kind: types.MessageType = types.MessageType.Log) -> None:
        """A line in the client's log for this server (window/logMessage)."""
        self.window_log_message(types.LogMessageParams(type=kind, message=message))

    def path_of(self, uri: str) -> Path | None:
        path = to_fs_path(uri) if uri.startswith("file:") else None
        return Path(path) if path else None

    def schedule(self, uri: str, delay: float, full: bool = False) -> None:
        """Analyse a file after `delay` seconds without further changes. A change gets a quick
        analysis, then, once typing has paused for IDLE seconds, a full one (with the
        pack-wide rules, which run git)."""
        for pending in (self.pending, self.pending_full):
            if uri in pending:
                pending.pop(uri).cancel()
        if delay <= 0:
            self.refresh(uri, full)
        else:
            loop = asyncio.get_running_loop()
            self.pending[uri] = loop.call_later(delay, self.refresh, uri, full)
        if not full:
            loop = asyncio.get_running_loop()
            self.pending_full[uri] = loop.call_later(max(delay, IDLE), self.refresh, uri, True)

    def refresh(self, uri: str, full: bool = True) -> None:
        """Analyse a file now and publish its diagnostics. Never raises."""
        (self.pending_full if full else self.pending).pop(uri, None)
        path = self.path_of(uri)
        if path is None or uri not in self.workspace.text_documents:
            return  # closed in the meantime, or not a file
        document = self.workspace.get_text_document(uri)
        state: PackState | None = None
        try:
            state = self.states.for_file(path)
            if state is None or not (path.name == "pack.yaml" or state.owns_template(path)):
                self.analyses.pop(uri, None)
                return
            previous = None if full else self.analyses.get(uri, (None, None))[0]
            analysis = analyse(state, path, document.source, previous)
        except Exception as exc:  # noqa: BLE001 - a half-typed file must not take the server down
            self.log(
                f"invitepack could not analyse {path}:\n{''.join(traceback.format_exception(exc))}",
                types.MessageType.Error,
            )
            analysis = Analysis(path, "template", document.source.split("\n"))
            analysis.problems.append(
                Problem(
                    "error",
                    f"invitepack could not analyse this file ({type(exc).__name__}): "
                    "see the language server's log",
                    *analysis.line_range(0),
                )
            )
            state = None
        for line in analysis.log:
            self.log(line, types.MessageType.Warning)
        if state is not None:
            self.analyses[uri] = (analysis, state)
        diagnostics = []
        for problem in analysis.problems:
            diag = features.diagnostic(problem, uri)
            diag.range = document.position_codec.range_to_client_units(document.lines, diag.range)
            diagnostics.append(diag)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=uri, diagnostics=diagnostics, version=document.version
            )
        )

    def refresh_all(self) -> None:
        """Reload every pack and analyse every open file again (settings changed)."""
        self.states.forget()
        for uri in list(self.workspace.text_documents):
            self.refresh(uri)

    def current(self, uri: str) -> tuple[Analysis, PackState, Any] | None:
        """The last analysis of an open file, its pack, and the document."""
        found = self.analyses.get(uri)
        if found is None:
            return None
        return found[0], found[1], self.workspace.get_text_document(uri)


def build_server() -> InvitepackServer:
    """A server with every feature registered (nothing happens at import time)."""
    server = InvitepackServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: InvitepackServer, params: types.InitializeParams) -> None:
        options = (
            params.initialization_options if isinstance(params.initialization_options, dict) else {}
        )
        if isinstance(options.get("debounceMs"), (int, float)):
            ls.debounce = max(0.0, float(options["debounceMs"]) / 1000)

    @server.feature(types.INITIALIZED)
    async def initialized(ls: InvitepackServer, params: types.InitializedParams) -> None:
        watched = (
            ls.client_capabilities.workspace
            and ls.client_capabilities.workspace.did_change_watched_files
        )
        if not (watched and watched.dynamic_registration):
            return  # stale settings are still noticed at the next analysis
        watchers = [types.FileSystemWatcher(glob_pattern=f"**/{name}") for name in _SETTINGS_FILES]
        registration = types.Registration(
            id="invitepack-settings",
            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
        )
        try:
            await ls.client_register_capability_async(
                types.RegistrationParams(registrations=[registration])
            )
        except Exception as exc:  # noqa: BLE001
            ls.log(f"could not watch settings files: {exc}", types.MessageType.Warning)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: InvitepackServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, 0, full=True)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: InvitepackServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, ls.debounce)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: InvitepackServer, params: types.DidSaveTextDocumentParams) -> None:
        path = ls.path_of(params.text_document.uri)
        if path is not None and path.name in _SETTINGS_FILES:
            ls.refresh_all()
        else:
            ls.schedule(params.text_document.uri, 0, full=True)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: InvitepackServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        for pending in (ls.pending, ls.pending_full):
            if uri in pending:
                pending.pop(uri).cancel()
        ls.analyses.pop(uri, None)
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched(ls: InvitepackServer, params: types.DidChangeWatchedFilesParams) -> None:
        ls.log("settings changed: reloading packs")
        ls.refresh_all()

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: InvitepackServer, params: types.HoverParams) -> types.Hover | None:
        found = ls.current(params.text_document.uri)
        if found is None:
            return None
        analysis, state, document = found
        where = document.position_from_client_units(params.position)
        return features.hover(
            analysis, state, document.source.split("\n"), where.line, where.character
        )

    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=["{", " ", "%"])
    )
    def completion(ls: InvitepackServer, params: types.CompletionParams) -> types.CompletionList:
        found = ls.current(params.text_document.uri)
        items: list[types.CompletionItem] = []
        if found is not None:
            analysis, state, document = found
            where = document.position_from_client_units(params.position)
            items = features.completion(
                analysis, state, document.source.split("\n"), where.line, where.character
            )
        return types.CompletionList(is_incomplete=False, items=items)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    def code_action(ls: InvitepackServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        found = ls.current(params.text_document.uri)
        if found is None:
            return []
        analysis, _, document = found
        return features.code_actions(
            analysis,
            document.source.split("\n"),
            params.text_document.uri,
            list(params.context.diagnostics),
        )

    @server.feature(types.TEXT_DOCUMENT_CODE_LENS)
    def code_lens(ls: InvitepackServer, params: types.CodeLensParams) -> list[types.CodeLens]:
        found = ls.current(params.text_document.uri)
        return features.code_lenses(found[0]) if found else []

    @server.feature(types.TEXT_DOCUMENT_INLAY_HINT)
    def inlay_hint(ls: InvitepackServer, params: types.InlayHintParams) -> list[types.InlayHint]:
        found = ls.current(params.text_document.uri)
        if found is None:
            return []
        analysis, _, document = found
        hints = features.inlay_hints(
            analysis, document.source.split("\n"), params.range.start.line, params.range.end.line
        )
        for hint in hints:
            hint.position = document.position_to_client_units(hint.position)
        return hints

    return server


def serve() -> None:
    """Run the server over stdin and stdout until the client says exit."""
    build_server().start_io()

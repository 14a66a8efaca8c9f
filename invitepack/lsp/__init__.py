"""The language server for template authors (`invitepack lsp`, the `lsp` extra).

sourcemap: where rendered text came from in a template; diagnostics: a file's findings
placed at the range that caused them; packstate: a pack's settings, reloaded when they
change; features: hover, completion, code actions, budgets; server: the pygls wiring.
Only `features` and `server` import pygls and lsprotocol.
"""

"""The layout is the architecture: each layer imports only from the layers before it."""

from __future__ import annotations

import ast

from conftest import REPO

# In order: a module may import from its own layer and the layers before it.
LAYERS = ["errors", "pack", "render", "checks", "testing", "output", "lsp", "cli"]
BOTTOM = {"errors", "records", "severities"}  # top-level modules every layer may use


def _layer(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "invitepack" or len(parts) < 2:
        return None
    if parts[1] in BOTTOM:
        return "errors"
    return parts[1] if parts[1] in LAYERS else None


def _imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name


def test_each_layer_imports_only_from_the_layers_before_it():
    package = REPO / "invitepack"
    wrong = []
    for path in sorted(package.rglob("*.py")):
        if "data" in path.relative_to(package).parts:
            continue  # the scaffold's plugin is a plugin: it imports from `invitepack`
        own = _layer("invitepack." + ".".join(path.relative_to(package).with_suffix("").parts))
        if own is None:
            continue
        for line, module in _imports(path):
            used = _layer(module)
            if used is not None and LAYERS.index(used) > LAYERS.index(own):
                wrong.append(f"{path.relative_to(REPO)}:{line} ({own}) imports {module} ({used})")
    assert not wrong, "\n".join(wrong)

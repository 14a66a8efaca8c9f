"""Time from an edit to its diagnostics in `invitepack lsp`, for a template of the built-in pack.

Starts the server over stdio as an editor would, opens a built-in template, then sends
edits (a word added to the body, then removed, alternately) and times each one from the
`didChange` to the `publishDiagnostics` for that version. The debounce is set to 0 through
the initialization options, so the figure is what comes after the debounce: analysing the
template (front matter, schema, syntax, safety, variables, worst case, every example
rendered and checked) and the round trip over stdio. Target: under 100 ms. The debounce in
an editor adds its own delay on top (200 ms by default).

The pack-wide rules (the version-bump rule runs git three times) are left out of the quick
analysis of each change and run on open, on save and after a second without changes; the
script times saves too, which run the full analysis.

Run: python bench/bench_lsp.py [--edits 30] [--template ID]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

TARGET_MS = 100.0


class Server:
    """A minimal JSON-RPC client over the server's stdin and stdout."""

    def __init__(self) -> None:
        env = {**os.environ, "INVITEPACK_NO_ENTRY_POINTS": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "invitepack", "lsp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=None if os.environ.get("BENCH_DEBUG") else subprocess.DEVNULL,
            env=env,
        )
        self.next_id = 0

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def receive(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        length = 0
        while line := self.process.stdout.readline().strip():
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        message: dict[str, Any] = json.loads(self.process.stdout.read(length))
        if os.environ.get("BENCH_DEBUG"):
            print(str(message)[:200], file=sys.stderr)
        return message

    def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        while True:
            message = self.receive()
            if message.get("id") == self.next_id and "method" not in message:
                return message.get("result")

    def diagnostics(self, uri: str, version: int) -> list[Any]:
        while True:
            message = self.receive()
            if message.get("method") == "textDocument/publishDiagnostics":
                params = message["params"]
                if params["uri"] == uri and params.get("version") == version:
                    return list(params["diagnostics"])

    def close(self) -> None:
        self.request("shutdown", None)
        self.send({"method": "exit"})
        self.process.wait(timeout=30)


def builtin_template(wanted: str | None) -> Path:
    """A template file of the built-in pack: the one asked for, or the first invite."""
    from invitepack.pack.limits import Limits
    from invitepack.pack.manifest import read_manifest
    from invitepack.pack.resources import bundled_dir
    from invitepack.pack.template import template_files

    root = bundled_dir("templates")
    manifest, _ = read_manifest(root, Limits())
    files = template_files(root, manifest)
    if wanted:
        return next(p for p in files if p.stem == wanted)
    return next((p for p in files if p.stem.endswith("-invite")), files[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=30, help="edits to time (default 30)")
    parser.add_argument("--template", help="a built-in template id (default: the first invite)")
    args = parser.parse_args()
    path = builtin_template(args.template)
    text = path.read_text(encoding="utf-8")
    uri = path.resolve().as_uri()
    server = Server()
    server.request(
        "initialize",
        {
            "processId": os.getpid(),
            "rootUri": path.parent.resolve().as_uri(),
            "capabilities": {},
            "initializationOptions": {"debounceMs": 0},
        },
    )
    server.send({"method": "initialized", "params": {}})
    started = time.perf_counter()
    document = {"uri": uri, "languageId": "markdown", "version": 1, "text": text}
    server.send({"method": "textDocument/didOpen", "params": {"textDocument": document}})
    first = server.diagnostics(uri, 1)
    cold = (time.perf_counter() - started) * 1000
    times = []
    for version in range(2, args.edits + 2):
        edited = text.rstrip("\n") + (" Thanks.\n" if version % 2 == 0 else "\n")
        started = time.perf_counter()
        server.send(
            {
                "method": "textDocument/didChange",
                "params": {
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [{"text": edited}],
                },
            }
        )
        server.diagnostics(uri, version)
        times.append((time.perf_counter() - started) * 1000)
    saves = []
    for _ in range(max(args.edits // 3, 3)):
        started = time.perf_counter()
        server.send({"method": "textDocument/didSave", "params": {"textDocument": {"uri": uri}}})
        server.diagnostics(uri, args.edits + 1)
        saves.append((time.perf_counter() - started) * 1000)
    server.close()
    saves.sort()
    times.sort()
    median = statistics.median(times)
    p90 = times[int(len(times) * 0.9) - 1]
    verdict = "met" if median < TARGET_MS else "missed"
    print(f"template: {path.name} ({len(first)} diagnostics on open)")
    print(f"open (pack, config and plugins loaded, first analysis): {cold:.0f} ms")
    print(
        f"change -> diagnostics, after the debounce, {len(times)} edits: "
        f"median {median:.1f} ms, p90 {p90:.1f} ms, best {times[0]:.1f} ms "
        f"(target < {TARGET_MS:.0f} ms: {verdict})"
    )
    print(
        f"save -> diagnostics, full analysis with the pack-wide rules (git), {len(saves)} saves: "
        f"median {statistics.median(saves):.1f} ms, best {saves[0]:.1f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

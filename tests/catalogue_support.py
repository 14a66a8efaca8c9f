"""What the catalogue tests share: packs to build from, the CLI's own answers to compare
with (`list`, `show` and `render --format json`), and a plain html.parser reading of a page."""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from conftest import MANIFEST

from invitepack.cli import cli as invitepack_cli

SCRIPT = "<script>document.title='PWNED'</script>"
IMG = "<img src=x onerror=\"document.title='PWNED';alert('img')\">"
SVG = "</textarea><svg onload=alert('svg')>"
_IMG_SINGLE = IMG.replace('"', "'")  # for a YAML string in double quotes
_IMG_ESCAPED = IMG.replace('"', '\\"')

# Every piece of text a pack controls carries markup: front matter, values, body, changelog.
HOSTILE_TEMPLATE = f"""\
---
id: hostile-invite
version: "1.0.0"
scenario: genuine-networking
channel: linkedin-invite
title: "Hello {SCRIPT}"
description: "Says {_IMG_ESCAPED} hello. [click me](javascript:alert('link'))"
guidance: "Use {SCRIPT} with care, `<b>code</b>`."
variables:
  type: object
  properties:
    recipient:
      type: string
      description: "Their name {SCRIPT}"
      maxLength: 90
      examples: ["{_IMG_SINGLE}"]
    detail:
      type: string
      description: "What you saw"
      maxLength: 90
  required: [recipient, detail]
  additionalProperties: false
examples:
  - recipient: "{SCRIPT}"
    detail: "{_IMG_ESCAPED}"
  - recipient: "Priya"
    detail: "your post about {SVG}"
---
Hi {{{{ recipient }}}}, I enjoyed {{{{ detail }}}} <b>bold</b> <script>alert('body')</script>.
"""
HOSTILE_CHANGELOG = f"""\
# Changelog

## 1.0.0 {SCRIPT}

- `hostile-invite`: first version {IMG} and [a link](javascript:alert('changelog')).
- `hostile-invite-other`: another template.
"""


def hostile_pack(make_pack: Any) -> Path:
    """A pack whose every text tries to run script in the catalogue."""
    return make_pack(
        {"hostile-invite.md": HOSTILE_TEMPLATE, "CHANGELOG.md": HOSTILE_CHANGELOG},
        manifest=MANIFEST.replace("A pack for tests", f"A pack {SCRIPT} {IMG}"),
        name="hostile",
    )


def invoke(*args: str) -> str:
    """Run an invitepack command in-process (as the console script would, but without paying
    for a new interpreter each time) and return its stdout; it must succeed."""
    env = {"INVITEPACK_NO_ENTRY_POINTS": "1"}
    result = CliRunner().invoke(invitepack_cli, list(args), env=env, catch_exceptions=False)
    assert result.exit_code in (0, 1), f"invitepack {' '.join(args)}: {result.output}"
    return result.stdout


def listed(pack: str, *filters: str) -> list[dict[str, Any]]:
    """`invitepack list --format json`: the templates the catalogue must show."""
    return list(
        json.loads(invoke("list", "--pack", pack, "--format", "json", *filters))["templates"]
    )


@cache
def rendered(pack: str) -> dict[tuple[str, int], dict[str, Any]]:
    """(template id, example number) -> what `render --format json` prints for the example
    (account, length, limit, verdict), rendered on the account the template is written for:
    premium for a `variant: premium` template, else free. Cached: the browser tests ask too."""
    found: dict[tuple[str, int], dict[str, Any]] = {}
    for row in listed(pack):
        shown = json.loads(invoke("show", row["id"], "--pack", pack, "--format", "json"))
        account = row["variant"] if row["variant"] in ("free", "premium") else "free"
        args = [row["id"], "--pack", pack, "--account", account, "--format", "json"]
        for number in range(1, len(shown["examples"]) + 1):
            found[(row["id"], number)] = json.loads(
                invoke("render", *args, "--example", str(number))
            )
    return found


@cache
def channel_limits() -> dict[str, dict[str, int] | None]:
    """Each channel's body limit per account tier, from `invitepack channels --format json`."""
    channels = json.loads(invoke("channels", "--format", "json"))["channels"]
    return {c["id"]: c["body_limit"] for c in channels}


def expected_limit(example: dict[str, Any], account: str | None) -> int | None:
    """The limit a budget bar for `account` shows (None: one bar for every tier)."""
    if account is None or account == example["account"]:
        return example["limit"]
    return (channel_limits()[example["channel"]] or {}).get(account)


def build_site(cli: Any, pack: str | Path, out: Path, *extra: str) -> None:
    """`invitepack catalogue` through the real console script; it must succeed."""
    result = cli("catalogue", "--pack", str(pack), "--out", str(out), *extra)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


@dataclass
class Page(HTMLParser):
    """A page read with html.parser: its elements, text, template ids and budget bars."""

    tags: Counter[str] = field(default_factory=Counter)
    template_ids: list[str] = field(default_factory=list)
    scripts: list[dict[str, str | None]] = field(default_factory=list)
    urls: list[tuple[str, str]] = field(default_factory=list)  # (tag, href or src)
    handlers: list[str] = field(default_factory=list)  # on* attributes
    meters: list[dict[str, Any]] = field(default_factory=list)
    verdicts: dict[int, str] = field(default_factory=dict)  # example number -> send / revise
    reasons: dict[int, list[str]] = field(default_factory=dict)  # example number -> rule codes
    text: list[str] = field(default_factory=list)
    title: str = ""
    _example: int | None = None
    _in_title: bool = False

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        self.tags[tag] += 1
        self._in_title = tag == "title"
        self.handlers += [name for name, _ in attrs if name.startswith("on")]
        if "data-template-id" in attr:
            self.template_ids.append(str(attr["data-template-id"]))
        if "data-example" in attr:
            self._example = int(str(attr["data-example"]))
            self.verdicts[self._example] = str(attr.get("data-verdict"))
            self.reasons[self._example] = []
        if "data-reason" in attr and self._example is not None:
            self.reasons[self._example].append(str(attr["data-reason"]))
        if tag == "script":
            self.scripts.append(attr)
        for key in ("href", "src"):
            if attr.get(key):
                self.urls.append((tag, str(attr[key])))
        if "data-budget" in attr:
            limit = attr.get("data-limit")
            self.meters.append(
                {
                    "example": self._example,
                    "what": attr["data-budget"],
                    "account": attr.get("data-account") or None,
                    "length": int(str(attr["data-length"])),
                    "limit": int(limit) if limit else None,
                }
            )

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in_title:
            self.title += data

    @property
    def all_text(self) -> str:
        return " ".join(" ".join(self.text).split())


def read_page(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def chromium_executable() -> str | None:
    """A Chromium for Playwright to drive: $INVITEPACK_CHROMIUM, else Debian's
    chromium-headless-shell or chromium (Playwright's own download does not work offline)."""
    import shutil

    candidates = [
        os.environ.get("INVITEPACK_CHROMIUM", ""),
        "/usr/lib/chromium/chromium-headless-shell",
        shutil.which("chromium-headless-shell") or "",
        "/usr/lib/chromium/chromium",
        shutil.which("chromium") or "",
    ]
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)

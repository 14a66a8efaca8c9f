"""Keep what is generated from invitepack/data/channels.toml in step with it.

    python scripts/sync_schemas.py            # rewrites what is out of step
    python scripts/sync_schemas.py --check    # exit 1 if anything is out of step

- The template schema's `channel` is an enum of the channels, so that editors and
  check-jsonschema know them without invitepack. Only that one line of
  schemas/template.schema.json is rewritten; the rest of the hand-formatted file is left as it
  is.
- invitepack/data/channels.json holds the same data as the TOML, which stays the file people
  edit (it keeps the sources of the figures in comments): every `check` reads the channels at
  start-up, and importing tomllib and parsing costs a cold run far more than json (already
  loaded for the verdict's weights) reading the same data.
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHANNELS = REPO / "invitepack" / "data" / "channels.toml"
SCHEMA = REPO / "schemas" / "template.schema.json"
CHANNELS_JSON = REPO / "invitepack" / "data" / "channels.json"
_ENUM = re.compile(r'("channel": \{\n(?:[^\n]*\n)*?\s*"enum": )(\[[^\]]*\])')


def channel_data() -> dict:
    with CHANNELS.open("rb") as handle:
        return tomllib.load(handle)


def channel_ids() -> list[str]:
    """The channel ids of invitepack's channel data, sorted."""
    return sorted(channel_data())


def channels_json() -> str:
    """channels.json's text: the TOML's data, in its order, with a line saying where from."""
    data = {"about": "Generated from channels.toml by scripts/sync_schemas.py: edit that file."}
    return json.dumps({**data, "channels": channel_data()}, indent=2, ensure_ascii=False) + "\n"


def synced(text: str) -> str:
    """The schema text with the channel enum made from the channel data."""
    updated, count = _ENUM.subn(lambda m: m.group(1) + json.dumps(channel_ids()), text, count=1)
    if count != 1:
        raise SystemExit(f"{SCHEMA}: no `channel` enum found to rewrite")
    return updated


def main(argv: list[str]) -> int:
    text = SCHEMA.read_text(encoding="utf-8")
    wanted = {SCHEMA: synced(text), CHANNELS_JSON: channels_json()}
    stale = [
        path
        for path, content in wanted.items()
        if not path.exists() or path.read_text(encoding="utf-8") != content
    ]
    if "--check" in argv:
        for path in stale:
            print(f"{path.name} is out of step with channels.toml: run scripts/sync_schemas.py")
        return 1 if stale else 0
    for path in stale:
        path.write_text(wanted[path], encoding="utf-8")
        print(f"updated {path.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

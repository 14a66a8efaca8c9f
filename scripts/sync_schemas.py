"""Keep the shipped schemas in step with invitepack's data.

    python scripts/sync_schemas.py            # rewrites the enum in schemas/template.schema.json
    python scripts/sync_schemas.py --check    # exit 1 if the file is out of step

The template schema's `channel` is an enum of the channels in invitepack/data/channels.toml,
so that editors and check-jsonschema know them without invitepack. Only that one line is
rewritten; the rest of the hand-formatted file is left as it is.
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
_ENUM = re.compile(r'("channel": \{\n(?:[^\n]*\n)*?\s*"enum": )(\[[^\]]*\])')


def channel_ids() -> list[str]:
    """The channel ids of invitepack's channel data, sorted."""
    with CHANNELS.open("rb") as handle:
        return sorted(tomllib.load(handle))


def synced(text: str) -> str:
    """The schema text with the channel enum made from the channel data."""
    updated, count = _ENUM.subn(lambda m: m.group(1) + json.dumps(channel_ids()), text, count=1)
    if count != 1:
        raise SystemExit(f"{SCHEMA}: no `channel` enum found to rewrite")
    return updated


def main(argv: list[str]) -> int:
    text = SCHEMA.read_text(encoding="utf-8")
    updated = synced(text)
    if "--check" in argv:
        if updated != text:
            print(f"{SCHEMA.name} is out of step with channels.toml: run scripts/sync_schemas.py")
            return 1
        return 0
    if updated != text:
        SCHEMA.write_text(updated, encoding="utf-8")
        print(f"updated {SCHEMA.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The blind reader test of the built-in pack: its rendered examples mixed with good real notes.

    python scripts/blind_reading.py make OUT_DIR KEY_FILE   # notes.md for readers, the key apart
    python scripts/blind_reading.py score OUT_DIR KEY_FILE  # after readers wrote rater-*.yaml

`make` renders every example of the built-in pack, adds real notes that both labellers judged
"send" (tests/data/real/), shuffles them and writes OUT_DIR/notes.md, numbered, with nothing
that says which is which; the key goes to KEY_FILE, which readers must not see (keep it
outside OUT_DIR). Each reader writes OUT_DIR/rater-N.yaml: one entry per note, in order, with
`n`, `accept` (yes/no: would accept or reply), `natural` (1-5) and `template` (yes/no: reads
like a mass mail). `score` unblinds: accept rate, naturalness and template feel for the pack
against the real notes, and per scenario.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "data" / "real"
REAL_NOTES = 45
SEED = 11


def _invitepack(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "invitepack", *args], capture_output=True, text=True, check=False
    )


def pack_examples() -> list[dict[str, str]]:
    """Every example of the built-in pack, rendered as the recipient sees it."""
    listing = json.loads(_invitepack("list", "--format", "json").stdout)
    items = []
    for template in listing["templates"]:
        account = "premium" if template["variant"] == "premium" else "free"
        n = 1
        while True:
            args = ["render", template["id"], "--example", str(n), "--format", "json"]
            result = _invitepack(*args, "--account", account)
            if result.returncode not in (0, 1) or not result.stdout.strip():
                break
            note = json.loads(result.stdout)
            subject = f"Subject: {note['subject']}\n\n" if note.get("subject") else ""
            items.append(
                {
                    "kind": "pack",
                    "ref": f"{template['id']}#{n}",
                    "scenario": note["scenario"],
                    "channel": note["channel"],
                    "text": subject + note["body"],
                }
            )
            n += 1
    return items


def good_real_notes() -> list[dict[str, str]]:
    """Real notes both readers labelled "send", without placeholders, of a readable length."""
    notes = [n for p in sorted(REAL.glob("raw-*.yaml")) for n in yaml.safe_load(p.read_text())]
    second = {
        e["id"]: e["verdict"] for e in yaml.safe_load((REAL / "second-opinion.yaml").read_text())
    }
    good = [
        n
        for n in notes
        if n["verdict"] == "send"
        and second.get(n["id"]) == "send"
        and "placeholder" not in (n.get("problems") or [])
        and len(n["text"]) < 1200
    ]
    random.Random(SEED).shuffle(good)
    return [
        {
            "kind": "real",
            "ref": n["id"],
            "scenario": n["scenario"],
            "channel": n["channel"],
            "text": n["text"],
        }
        for n in good[:REAL_NOTES]
    ]


def make(out: Path, key_file: Path) -> None:
    items = pack_examples() + good_real_notes()
    random.Random(SEED).shuffle(items)
    out.mkdir(parents=True, exist_ok=True)
    lines = ["# Notes to rate\n", "Each note below was received by someone; channel says where.\n"]
    for i, item in enumerate(items, 1):
        lines.append(f"## Note {i}\nchannel: {item['channel']}\n\n{item['text']}\n")
    (out / "notes.md").write_text("\n".join(lines), encoding="utf-8")
    key = [
        {"n": i, **{k: it[k] for k in ("kind", "ref", "scenario", "channel")}}
        for i, it in enumerate(items, 1)
    ]
    key_file.write_text(json.dumps(key, indent=1), encoding="utf-8")
    print(f"{len(items)} notes: {sum(i['kind'] == 'pack' for i in items)} from the pack")


def _yes(value: object) -> bool:
    return value is True or str(value).lower() == "yes"


def score(out: Path, key_file: Path) -> None:
    key = {k["n"]: k for k in json.loads(key_file.read_text(encoding="utf-8"))}
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    for rater in sorted(out.glob("rater-*.yaml")):
        for entry in yaml.safe_load(rater.read_text(encoding="utf-8")):
            item = key[entry["n"]]
            groups = [item["kind"]] + (
                [f"pack: {item['scenario']}"] if item["kind"] == "pack" else []
            )
            for group in groups:
                t = totals[group]
                t[0] += 1
                t[1] += _yes(entry["accept"])
                t[2] += int(entry["natural"])
                t[3] += _yes(entry["template"])
    print(f"{'group':34} {'ratings':>7} {'accept':>6} {'natural':>7} {'template':>8}")
    for group, (n, accept, natural, template) in sorted(totals.items()):
        print(f"{group:34} {int(n):7} {accept / n:6.2f} {natural / n:7.2f} {template / n:8.2f}")


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("make", "score"):
        sys.exit(__doc__)
    {"make": make, "score": score}[sys.argv[1]](Path(sys.argv[2]), Path(sys.argv[3]))

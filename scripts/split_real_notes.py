"""Split the real labelled notes into development and test halves, once, before any tuning.

    python scripts/split_real_notes.py      # writes tests/data/real/split.yaml

Stratified by scenario and verdict, with a fixed seed: within each (scenario, verdict) group
the notes are shuffled and dealt alternately, so both halves hold the same mix. Notes added
later go to whichever half the script deals them to; notes already split keep their half.
"""

from __future__ import annotations

import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from verdict_quality import REAL, all_notes

SPLIT = REAL / "split.yaml"
SEED = 20261129


def deal(notes: list[dict], existing: dict[str, list[str]]) -> dict[str, list[str]]:
    """The halves with every note not yet in them dealt in; the notes already split keep their
    half. Pure, so a dealing can be tried before it is written (fit_verdict.py --deal)."""
    placed = set(existing["dev"]) | set(existing["test"])
    halves = {"dev": list(existing["dev"]), "test": list(existing["test"])}
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for note in notes:
        if note["id"] not in placed:
            groups[(note["scenario"], note["verdict"])].append(note["id"])
    rng = random.Random(SEED)
    for key in sorted(groups):
        members = sorted(groups[key])
        rng.shuffle(members)
        for i, note_id in enumerate(members):
            halves["dev" if i % 2 == 0 else "test"].append(note_id)
    return {"dev": sorted(halves["dev"]), "test": sorted(halves["test"])}


def current_split() -> dict[str, list[str]]:
    """split.yaml as it stands, or empty halves before the first split."""
    if not SPLIT.exists():
        return {"dev": [], "test": []}
    return yaml.safe_load(SPLIT.read_text(encoding="utf-8"))


def repeated_ids(notes: list[dict]) -> list[str]:
    """Ids more than one note carries: dealt in, such a note would count in both halves."""
    counts = Counter(note["id"] for note in notes)
    return sorted(note_id for note_id, count in counts.items() if count > 1)


def main() -> int:
    notes = all_notes()
    if twice := repeated_ids(notes):
        print(f"duplicate ids in raw files: {', '.join(twice)}", file=sys.stderr)
        return 1
    halves = deal(notes, current_split())
    header = (
        "# Which real notes are for development (tuning, fitting) and which for testing only.\n"
        "# Made by scripts/split_real_notes.py before any tuning; never move a note between "
        "halves.\n"
    )
    SPLIT.write_text(
        header + yaml.safe_dump(halves, sort_keys=False),
        encoding="utf-8",
    )
    print(f"dev {len(halves['dev'])}, test {len(halves['test'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

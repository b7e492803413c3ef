"""Embedding speed by the word pieces a chunk's vector is made of (DOCUMENT_TOKENS), in one run.

    python bench/embed_window.py [--corpora handbook sdist] [--tokens 128 256] [--chunks 600] [--rounds 3]

Takes the texts the vector pass embeds (``embed_text``: heading trail, then text) from each corpus's finished
store (bench/stores.py), a spread sample of ``--chunks`` of them, and embeds them with the offline MiniLM
model once per window and round, the windows alternating (A B A B) so a shared machine's drift falls on
both. Prints chunks per second of CPU time and of wall time (the median round), and how many texts the
shorter window cuts. The model runs on all cores, as the vector pass does.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from stores import DEFAULT_ROOT, ready_store  # noqa: E402

from jupyter_docchat import DocIndex  # noqa: E402
from jupyter_docchat.store import embeddings  # noqa: E402
from jupyter_docchat.types import embed_text  # noqa: E402


def texts_of(root: Path, corpus: str, count: int) -> list[str]:
    index = DocIndex(ready_store(root, corpus))
    rows = index.catalog.db.execute("SELECT heading, source, text FROM chunks WHERE collection=? ORDER BY id",
                                    (index.collection,)).fetchall()
    index.close()
    texts = sorted({embed_text(h, s, t) for h, s, t in rows})
    step = max(len(texts) // count, 1)
    return texts[::step][:count]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--corpora", nargs="+", default=["handbook", "sdist"])
    parser.add_argument("--tokens", nargs="+", type=int, default=[128, 256])
    parser.add_argument("--chunks", type=int, default=600, help="texts per corpus")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    model = embeddings.MiniLMEmbeddings()
    model.embed_documents(["warm up the documents' session"])
    texts = [t for corpus in args.corpora for t in texts_of(args.root, corpus, args.chunks)]
    pieces = [len(e.ids) for e in model._tokenizer.encode_batch(texts)]
    print(f"{len(texts)} texts of {', '.join(args.corpora)}: word pieces median {statistics.median(pieces):.0f}, "
          + ", ".join(f"over {n}: {sum(p > n for p in pieces) / len(pieces):.0%}" for n in args.tokens))
    cpu: dict[int, list[float]] = {n: [] for n in args.tokens}
    wall: dict[int, list[float]] = {n: [] for n in args.tokens}
    for round_ in range(args.rounds):
        for tokens in args.tokens if round_ % 2 == 0 else reversed(args.tokens):
            embeddings.DOCUMENT_TOKENS = tokens
            started, used = time.perf_counter(), time.process_time()
            for start in range(0, len(texts), 32):  # the vector pass's batches (indexing/fill.py BATCH)
                model.embed_documents(texts[start : start + 32])
            wall[tokens].append(time.perf_counter() - started)
            cpu[tokens].append(time.process_time() - used)
    for tokens in args.tokens:
        print(f"{tokens} word pieces: {len(texts) / statistics.median(cpu[tokens]):.1f} chunks per CPU-second, "
              f"{len(texts) / statistics.median(wall[tokens]):.1f} chunks/s wall (median of {args.rounds} rounds; "
              f"CPU s {', '.join(f'{s:.1f}' for s in cpu[tokens])})")


if __name__ == "__main__":
    main()

"""Hybrid search latency on one store larger than any single corpus: several corpora in one collection.

    python bench/stores.py                         # once
    python bench/scale.py [--corpora sqlite django] [--root DIR]

Builds (or updates) DIR/scale-NAME+NAME/store from a folder linking the corpora side by side. The first
corpus's store is copied in first, so its vectors are reused; the others are embedded (about 4 minutes
for django on 2 cores). Then asks every question of those corpora the way bench/retrieval.py does and
prints the chunk count, p50 and p90 latency of the shipped hybrid, and R@1 / R@5 / MRR@10 per corpus,
beside the same figures on each corpus's own store from the same run (the baseline).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from corpus import questions_file  # noqa: E402
from retrieval import evaluate, fmt, load, queries_for  # noqa: E402
from stores import DEFAULT_ROOT, store_of  # noqa: E402

from jupyter_docchat import DocIndex, IndexOptions  # noqa: E402
from jupyter_docchat.retrieval.fusion import SHIPPED  # noqa: E402


def combined(root: Path, corpora: list[str]) -> DocIndex:
    work = root / f"scale-{'+'.join(corpora)}"
    folder = work / "corpus"
    folder.mkdir(parents=True, exist_ok=True)
    for corpus in corpora:
        link = folder / corpus
        if not link.exists():
            link.symlink_to(root / corpus / "corpus" / corpus, target_is_directory=True)
    store = work / "store"
    if not store.exists():
        shutil.copytree(store_of(root, corpora[0]), store)
    index = DocIndex(store)
    report = index.update(folder, IndexOptions(follow_links=True))
    print(report.summary(), flush=True)
    return index


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--corpora", nargs="+", default=["sqlite", "django"])
    args = parser.parse_args()
    big = combined(args.root, args.corpora)
    big.search("warm up", k=1)
    chunks = big.catalog.chunk_count(big.collection)
    print(f"\none store: {', '.join(args.corpora)}: {len(big.catalog.files(big.collection))} files, {chunks} chunks")
    print(f"{'corpus':10}{'store':>12}{'chunks':>8}{'R@1 R@5 MRR':>20}{'p50 ms':>8}{'p90 ms':>8}")
    for corpus in args.corpora:
        questions = load(questions_file(corpus))
        queries = queries_for(questions)
        own = DocIndex(store_of(args.root, corpus))
        own.search("warm up", k=1)
        for label, index in (("own", own), ("combined", big)):
            results, times = evaluate(index, questions, queries, "hybrid", SHIPPED)
            times_ms = sorted(t * 1000 for t in times)
            print(f"{corpus:10}{label:>12}{index.catalog.chunk_count(index.collection):>8}{fmt(results['all']):>20}"
                  f"{statistics.median(times_ms):8.1f}{times_ms[int(0.9 * (len(times_ms) - 1))]:8.1f}")
        own.close()
    big.close()


if __name__ == "__main__":
    main()

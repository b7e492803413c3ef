"""The joined-words levers (Fusion.joined_words, joined_weight) on the TUNING halves, each against the shipped set in
the same process: R@1 / R@5 of the lexical side and of the hybrid, the questions each lever moved, and the CPU time
of a lexical search with and without the joins (alternated, so the machine's load falls on both alike).

    python bench/joined_words.py [--corpora sqlite django ...] [--root DIR]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import halves  # noqa: E402
from corpus import questions_file  # noqa: E402
from retrieval import cache_query_embeddings, load, queries_for, records  # noqa: E402
from stores import DEFAULT_ROOT, bench_corpora, ready_store  # noqa: E402

from jupyter_docchat import DocIndex  # noqa: E402
from jupyter_docchat.retrieval.fusion import SHIPPED  # noqa: E402

SETS = [("shipped", SHIPPED), ("joined words", SHIPPED.but(joined_words=True)),
        ("  + joined ranking 1", SHIPPED.but(joined_words=True, joined_weight=1.0)),
        ("  + joined ranking 2", SHIPPED.but(joined_words=True, joined_weight=2.0))]


def lexical_cpu_ms(index: DocIndex, queries: list[list[tuple[str, float]]]) -> tuple[float, float]:
    """p50 CPU ms of the lexical side's search of each query, without and with the joins, alternated."""
    times: dict[bool, list[float]] = {False: [], True: []}
    for _ in range(2):
        for qs in queries:
            for on in (False, True):
                started = time.process_time()
                index.search(qs, k=10, mode="lexical", fusion=SHIPPED.but(joined_words=on))
                times[on].append((time.process_time() - started) * 1000)
    return statistics.median(times[False]), statistics.median(times[True])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--corpora", nargs="+", default=bench_corpora())
    args = parser.parse_args()
    table: dict[str, dict[str, tuple[float, float]]] = {}
    for corpus in args.corpora:
        path = questions_file(corpus)
        questions = halves.select(load(path), path, "tune")
        queries = queries_for(questions)
        index = DocIndex(ready_store(args.root, corpus))
        index.search("warm up", k=1)
        cache_query_embeddings(index)
        modes = [(f"lexical {label}", "lexical", fusion) for label, fusion in SETS[:2]] + \
                [(f"hybrid {label}", "hybrid", fusion) for label, fusion in SETS]
        recs = records(index, questions, queries, modes, timed=False)
        off, on = lexical_cpu_ms(index, queries)
        joined = sum(bool(index.catalog.joined_terms(q["question"])) for q in questions)
        index.close()
        table[corpus] = {}
        print(f"\n## {corpus}: {len(questions)} tuning questions, {joined} with a join the index holds; "
              f"lexical search p50 CPU {off:.2f} ms without the joins, {on:.2f} ms with")
        for label, _, _ in modes:
            r1, r5 = (statistics.mean(recs[q["id"]]["scores"][label][at] for q in questions) for at in (0, 1))
            table[corpus][label] = (r1, r5)
            base = "lexical shipped" if label.startswith("lexical") else "hybrid shipped"
            moved = [f"{q['id']} R@1 {recs[q['id']]['scores'][base][0]:.0f}->{recs[q['id']]['scores'][label][0]:.0f} "
                     f"R@5 {recs[q['id']]['scores'][base][1]:.0f}->{recs[q['id']]['scores'][label][1]:.0f}"
                     for q in questions if recs[q["id"]]["scores"][label][:2] != recs[q["id"]]["scores"][base][:2]]
            print(f"{label:32} R@1 {r1:.3f} R@5 {r5:.3f}" + (f"   moved: {'; '.join(moved)}" if moved else ""))
    print("\n## All tuning halves: R@1 / R@5")
    labels = list(next(iter(table.values())))
    print(f"{'':32}" + "".join(f"{c:>14}" for c in table) + f"{'mean':>14}")
    for label in labels:
        cells = "".join(f"{table[c][label][0]:7.3f}{table[c][label][1]:7.3f}" for c in table)
        means = [statistics.mean(table[c][label][at] for c in table) for at in (0, 1)]
        print(f"{label:32}{cells}{means[0]:7.3f}{means[1]:7.3f}")


if __name__ == "__main__":
    main()

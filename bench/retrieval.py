"""Retrieval quality and latency at file level, without any LLM.

    python bench/retrieval.py --store DIR [--questions bench/heldout.jsonl]

DIR is a store built by ``python bench/index.py --keep DIR`` (or ``docchat --store DIR index ...``)
over the corpus the questions are about. Prints R@1, R@5 and MRR@10 overall and by kind for dense
only, lexical only and the hybrid that %%ask uses (with the no-model follow-up rewrite), mean and
p50 retrieval latency, then the same for each lever tried, measured in this run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

sys.path.insert(0, str(Path(__file__).parent))

from jupyter_docchat import DocIndex, search  # noqa: E402
from jupyter_docchat.conversation import heuristic_standalone, retrieval_queries  # noqa: E402

MODES = ["dense", "lexical", "hybrid"]
KINDS = ["all", "fact", "how-to", "paraphrase", "follow-up"]


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def ranked_files(index: DocIndex, queries: list[tuple[str, float]], mode: str) -> list[str]:
    files: list[str] = []
    for hit in index.search(queries, k=40, mode=mode):
        if hit.source not in files:
            files.append(hit.source)
    return files[:10]


def score(files: list[str], expected: list[str]) -> tuple[float, float, float]:
    first = next((rank for rank, f in enumerate(files, 1) if f in expected), None)
    return (1.0 if first == 1 else 0.0, 1.0 if first and first <= 5 else 0.0, 1.0 / first if first else 0.0)


def evaluate(index: DocIndex, questions: list[dict], mode: str, rewrite: bool = True) -> tuple[dict, list[float]]:
    by_kind: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    latencies: list[float] = []
    previous: dict[str, str] = {}
    for q in questions:
        question = q["question"]
        past = [(previous[q["pair"]], "")] if q.get("pair") in previous else []
        standalone = heuristic_standalone(question, past) if mode == "hybrid" and rewrite else question
        queries = retrieval_queries(question, standalone, rewritten_by_model=False)
        started = time.perf_counter()
        files = ranked_files(index, queries, mode)
        latencies.append(time.perf_counter() - started)
        result = score(files, q["files"])
        by_kind[q["kind"]].append(result)
        by_kind["all"].append(result)
        if q.get("pair"):
            previous[q["pair"]] = question
    return {kind: tuple(sum(r[i] for r in rows) / len(rows) for i in range(3)) for kind, rows in by_kind.items()}, latencies


@contextmanager
def patched(**values: object) -> Iterator[None]:
    saved = {name: getattr(search, name) for name in values}
    for name, value in values.items():
        setattr(search, name, value)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(search, name, value)


def neighbour_boost(index: DocIndex, weight: float = 0.3):
    """A lever tried instead of file evidence: credit a chunk with its best neighbour's score."""
    def boost(scores: dict[str, float], source_of: dict[str, str], *_: object) -> dict[str, float]:
        rows = index.catalog.chunk_rows(list(scores))
        at = {(m["source"], m.get("chunk_index", 0)): scores[i] for i, (_, m) in rows.items()}
        out = {}
        for chunk_id, value in scores.items():
            meta = rows.get(chunk_id, ("", {}))[1]
            where = (meta.get("source"), meta.get("chunk_index", 0))
            out[chunk_id] = value + weight * max(at.get((where[0], where[1] - 1), 0.0), at.get((where[0], where[1] + 1), 0.0))
        return out
    return boost


def levers(index: DocIndex) -> list[tuple[str, dict, bool]]:
    """(label, search-module settings, follow-up rewrite) of each lever measured against the shipped hybrid."""
    return [
        ("no file evidence (plain RRF)", {"FILE_WEIGHT": 0.0}, True),
        ("file evidence weight 0.2", {"FILE_WEIGHT": 0.2}, True),
        ("file evidence weight 1.0", {"FILE_WEIGHT": 1.0}, True),
        ("file evidence top 3", {"FILE_TOP": 3}, True),
        ("neighbours instead of file", {"file_evidence": neighbour_boost(index)}, True),
        ("lexical weight x0.5", {"LEXICAL_WEIGHT": 0.5}, True),
        ("lexical weight x2", {"LEXICAL_WEIGHT": 2.0}, True),
        ("RRF k=20", {"RRF_K": 20}, True),
        ("no follow-up rewrite", {}, False),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", required=True, type=Path)
    parser.add_argument("--questions", type=Path, default=Path(__file__).parent / "questions.jsonl")
    args = parser.parse_args()
    questions = load(args.questions)
    index = DocIndex(args.store / "store" if (args.store / "store").is_dir() else args.store)
    index.search("warm up", k=1)
    chunks = index.catalog.chunk_count(index.collection)
    print(f"{len(questions)} questions over {len(index.catalog.files(index.collection))} files, {chunks} chunks")
    print(f"{'mode':8} {'kind':11} {'n':>3} {'R@1':>6} {'R@5':>6} {'MRR@10':>7}")
    shipped = {}
    for mode in MODES:
        results, latencies = evaluate(index, questions, mode)
        shipped[mode] = results
        for kind in KINDS:
            if kind in results:
                n = sum(1 for q in questions if kind == "all" or q["kind"] == kind)
                r1, r5, mrr = results[kind]
                print(f"{mode:8} {kind:11} {n:>3} {r1:6.3f} {r5:6.3f} {mrr:7.3f}")
        ms = [x * 1000 for x in latencies]
        print(f"{mode:8} latency: mean {statistics.mean(ms):.1f} ms, p50 {statistics.median(ms):.1f} ms")
    base = shipped["hybrid"]["all"]
    print(f"\nlevers (hybrid; shipped: R@1 {base[0]:.3f} R@5 {base[1]:.3f} MRR@10 {base[2]:.3f})")
    for label, settings, rewrite in levers(index):
        with patched(**settings):
            results, _ = evaluate(index, questions, "hybrid", rewrite)
        line = "  ".join(f"{kind} R@1 {results[kind][0]:.3f} R@5 {results[kind][1]:.3f}"
                         for kind in ("all", "paraphrase", "follow-up") if kind in results)
        print(f"  {label:30} {line}  MRR@10 {results['all'][2]:.3f}  (R@1 {results['all'][0] - base[0]:+.3f})")


if __name__ == "__main__":
    main()

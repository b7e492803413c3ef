"""Retrieval quality and latency on bench/questions.jsonl, at file level, without any LLM.

    python bench/retrieval.py --store DIR      # DIR as given to: python bench/index.py --keep DIR

Prints R@1, R@5 and MRR@10 overall and by kind for dense only, lexical only, and the hybrid
that %%ask uses (with the no-model follow-up heuristic), plus mean and p50 retrieval latency.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from jupyter_docchat import DocIndex, search  # noqa: E402
from jupyter_docchat.conversation import heuristic_standalone, retrieval_queries  # noqa: E402

MODES = ["dense", "lexical", "hybrid"]
# Fusion settings tried besides the shipped one: (label, dense weight, lexical weight, RRF k).
VARIANTS = [("hybrid lex x0.5", 1.0, 0.5, 60), ("hybrid lex x2", 1.0, 2.0, 60), ("hybrid k=20", 1.0, 1.0, 20)]


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


def evaluate(index: DocIndex, questions: list[dict], mode: str) -> tuple[dict, list[float]]:
    by_kind: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    latencies: list[float] = []
    previous: dict[str, str] = {}
    for q in questions:
        question = q["question"]
        past = [(previous[q["pair"]], "")] if q.get("pair") in previous else []
        standalone = heuristic_standalone(question, past) if mode == "hybrid" else question
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
    for mode in MODES:
        results, latencies = evaluate(index, questions, mode)
        for kind in ["all", "fact", "how-to", "paraphrase", "follow-up"]:
            if kind in results:
                n = sum(1 for q in questions if kind == "all" or q["kind"] == kind)
                r1, r5, mrr = results[kind]
                print(f"{mode:8} {kind:11} {n:>3} {r1:6.3f} {r5:6.3f} {mrr:7.3f}")
        ms = [x * 1000 for x in latencies]
        print(f"{mode:8} latency: mean {statistics.mean(ms):.1f} ms, p50 {statistics.median(ms):.1f} ms")
    shipped = (search.DENSE_WEIGHT, search.LEXICAL_WEIGHT, search.RRF_K)
    for label, dense_w, lexical_w, rrf_k in VARIANTS:
        search.DENSE_WEIGHT, search.LEXICAL_WEIGHT, search.RRF_K = dense_w, lexical_w, rrf_k
        results, _ = evaluate(index, questions, "hybrid")
        line = "  ".join(f"{kind} R@1 {r[0]:.3f} R@5 {r[1]:.3f}" for kind, r in results.items()
                         if kind in ("all", "paraphrase"))
        print(f"{label:16} {line}")
    search.DENSE_WEIGHT, search.LEXICAL_WEIGHT, search.RRF_K = shipped


if __name__ == "__main__":
    main()

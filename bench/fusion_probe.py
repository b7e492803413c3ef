"""Fusion levers tried fast, and collection signals that might set the fusion's weights (tuning halves only).

    python bench/fusion_probe.py [--corpora ...]            # lever families on cached rankings
    python bench/fusion_probe.py --signals [--corpora ...]  # per-collection signals against each side's recall

Every question's dense and lexical lists are read from the store once; then each lever runs
``hybrid_search`` itself (the code path of a search) on those lists, so a family of 30 levers on the
eight corpora takes seconds. It prints R@1 / R@5 per corpus and bench/retrieval.py's keep rule.

``--signals`` measures, per collection and without questions, what the fusion2 brief proposed as the
weights' source: pseudo-queries made from the collection's own chunks (30 words from a chunk's middle
with every other word dropped; the same window with its rarer half of words dropped, as a paraphrase
keeps the common ones; the chunk's last heading), each run through dense-only and lexical-only search
(a hit: the first source is the chunk's file), and the share of identifiers in the text. Beside each
signal, its rank correlation over the corpora with the tuning half's dense-minus-lexical R@1 and R@5:
a signal that could weight the sides must order the corpora as the questions do.

Figures to report come from bench/retrieval.py; this only narrows what goes into its lever table.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

import halves  # noqa: E402
from corpus import questions_file  # noqa: E402
from retrieval import keep_verdict, load, queries_for, score  # noqa: E402
from stores import DEFAULT_ROOT, bench_corpora, ready_store  # noqa: E402

from jupyter_docchat import DocIndex  # noqa: E402
from jupyter_docchat.index import _StoreRankings  # noqa: E402
from jupyter_docchat.retrieval.fusion import ADAPTIVE, AGREED, CONFIRMED, SHIPPED, Fusion  # noqa: E402
from jupyter_docchat.retrieval.identifiers import identifiers  # noqa: E402
from jupyter_docchat.retrieval.search import hybrid_search  # noqa: E402

SIGNAL_CHUNKS = 60  # pseudo-queries per collection: chunks of more than 300 characters, by text hash
DENSITY_CHUNKS = 400  # chunks read for the identifier share


class Cached:
    """A ``search.Retriever`` that remembers each answer of the store's (rankings do not change between levers)."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.memo = inner, {}

    def _get(self, name: str, *args: Any) -> Any:
        if (name, *args) not in self.memo:  # the store's methods take lists: tuples only to be hashable here
            self.memo[(name, *args)] = getattr(self.inner, name)(*[list(a) if isinstance(a, tuple) else a for a in args])
        return self.memo[(name, *args)]

    def filled_share(self) -> float:
        return 1.0

    def dense(self, query: str, limit: int) -> list:
        return self._get("dense", query, limit)

    def lexical(self, query: str, limit: int) -> list:
        return self._get("lexical", query, limit)

    def term_coverage(self, query: str, ids: list[str]) -> dict:
        return self._get("term_coverage", query, tuple(ids))

    def phrase_matches(self, words: list[str], query: str, limit: int) -> list:
        return self._get("phrase_matches", tuple(words), query, limit)

    def sources_of(self, ids: list[str]) -> dict:
        self._fill("src", ids, self.inner.sources_of)
        return {i: self.memo[("src", i)] for i in ids if self.memo[("src", i)] is not None}

    def pages_of(self, ids: list[str]) -> dict:
        self._fill("page", ids, self.inner.pages_of)
        return {i: self.memo[("page", i)] for i in ids if self.memo[("page", i)] is not None}

    def rows(self, ids: list[str]) -> dict:
        self._fill("row", ids, self.inner.rows)
        return {i: self.memo[("row", i)] for i in ids if self.memo[("row", i)] is not None}

    def _fill(self, kind: str, ids: list[str], read: Any) -> None:
        missing = [i for i in ids if (kind, i) not in self.memo]
        if missing:
            got = read(missing)
            for i in missing:
                self.memo[(kind, i)] = got.get(i)


def levers() -> list[tuple[str, Fusion]]:
    """The families tried on the fusion2 branch (bench/README.md), each against the shipped set."""
    out = [("plain RRF", Fusion()), ("fusion.ADAPTIVE", ADAPTIVE), ("fusion.AGREED", AGREED)]
    for dense_weight in (1.0, 1.25, 1.5, 1.75, 3.0):
        for k in (5, 10, 20, 60):
            out.append((f"dense {dense_weight} k{k}", SHIPPED.but(dense_weight=dense_weight, rrf_k=k)))
    for depth in (1, 2, 3, 5, 10):
        for sides in ("dense", "lexical", "dense,lexical"):
            out.append((f"confirmed {sides} {depth}", SHIPPED.but(confirmed_depth=depth, confirmed_sides=sides)))
    for k in (10, 15):
        for dedupe in (0, 30):
            out.append((f"CONFIRMED k{k} dedupe{dedupe}", CONFIRMED.but(rrf_k=k, dedupe=dedupe)))
    out.append(("dense first", SHIPPED.but(dense_first_at=1)))
    for dense_weight, lexical_weight in ((0.5, 0.5), (0.6, 0.4), (0.7, 0.3)):
        convex = SHIPPED.but(method="convex", dense_weight=dense_weight, lexical_weight=lexical_weight)
        out.append((f"convex {dense_weight}/{lexical_weight}", convex))
        out.append((f"convex {dense_weight}/{lexical_weight} confirmed 3", convex.but(confirmed_depth=3)))
    return out


def recall(store: Cached, questions: list[dict], queries: list, fusion: Fusion, mode: str = "hybrid") -> tuple[float, float]:
    """Mean R@1 and R@5 of one mode and fusion over the questions."""
    scores = [score([h.source for h in hybrid_search(store, qs, 10, mode, fusion=fusion)], q["files"])
              for q, qs in zip(questions, queries)]
    return statistics.mean(s[0] for s in scores), statistics.mean(s[1] for s in scores)


def open_store(root: Path, corpus: str) -> tuple[DocIndex, Cached]:
    index = DocIndex(ready_store(root, corpus))
    index.ensure_ready()
    return index, Cached(_StoreRankings(index))


def lever_table(root: Path, corpora: list[str]) -> None:
    table: dict[str, dict[str, tuple]] = {}
    sizes: dict[str, tuple[int]] = {}
    for corpus in corpora:
        path = questions_file(corpus)
        questions = halves.select(load(path), path, "tune")
        queries = queries_for(questions)
        sizes[corpus] = (len(questions),)
        index, store = open_store(root, corpus)
        for label, mode, fusion in [("(dense)", "dense", SHIPPED), ("(lexical)", "lexical", SHIPPED),
                                    ("(shipped)", "hybrid", SHIPPED)] + [(n, "hybrid", f) for n, f in levers()]:
            table.setdefault(label, {})[corpus] = recall(store, questions, queries, fusion, mode)
        index.close()
    sides = {side: table[f"({side})"] for side in ("dense", "lexical")}
    print(f"{'lever (tuning halves)':34}" + "".join(f"{c:>12}" for c in corpora) + "  mean R@1 R@5  keep rule")
    for label, by in table.items():
        verdict = "" if label in ("(dense)", "(lexical)") else keep_verdict(corpora, by, table["(shipped)"], sides, sizes)
        print(f"{label:34}" + "".join(f"{by[c][0]:6.3f}{by[c][1]:6.3f}" for c in corpora)
              + f"  {statistics.mean(by[c][0] for c in corpora):.3f} {statistics.mean(by[c][1] for c in corpora):.3f}  {verdict}")


def signals(index: DocIndex, store: Cached) -> dict[str, float]:
    """The collection's signals: each side's share of pseudo-queries whose first source is their chunk's file."""
    rows = index.catalog.db.execute(
        "SELECT source, heading, text FROM chunks WHERE collection=? AND length(text) > 300 ORDER BY text_hash LIMIT ?",
        (index.collection, SIGNAL_CHUNKS)).fetchall()
    found: dict[str, list[float]] = {}

    def frequency(word: str) -> int:
        if ("df", word) not in store.memo:
            store.memo[("df", word)] = index.catalog.db.execute(
                "SELECT COUNT(*) FROM chunks_fts WHERE chunks_fts MATCH ?", ('"' + word + '"',)).fetchone()[0]
        return store.memo[("df", word)]

    for source, heading, text in rows:
        words = text.split()
        window = words[max(0, len(words) // 2 - 15): len(words) // 2 + 15]
        content = sorted(dict.fromkeys(re.findall(r"[A-Za-z]{3,}", " ".join(window))), key=frequency)
        probes = {"every other word": " ".join(window[::2]), "common words only": " ".join(content[len(content) // 2:]),
                  "last heading": (heading or "").split(" > ")[-1]}
        for kind, query in probes.items():
            if query.strip():
                for side in ("dense", "lexical"):
                    first = getattr(store, side)(query, 1)
                    hit = bool(first) and store.sources_of([first[0][0]]).get(first[0][0]) == source
                    found.setdefault(f"{kind}: {side}", []).append(float(hit))
    out = {name: statistics.mean(values) for name, values in found.items()}
    for kind in ("every other word", "common words only", "last heading"):
        out[f"{kind}: dense / lexical"] = out[f"{kind}: dense"] / max(out[f"{kind}: lexical"], 1e-9)
    texts = [t for (t,) in index.catalog.db.execute("SELECT text FROM chunks WHERE collection=? ORDER BY text_hash LIMIT ?",
                                                    (index.collection, DENSITY_CHUNKS)).fetchall()]
    density = [len(identifiers(t)) / max(len(t.split()), 1) for t in texts]
    out["identifiers per word"] = statistics.mean(density)
    out["chunks with > 5 % identifiers"] = statistics.mean(d > 0.05 for d in density)
    return out


def signal_table(root: Path, corpora: list[str]) -> None:
    table: dict[str, dict[str, float]] = {}
    gaps: dict[str, list[float]] = {"R@1": [], "R@5": []}
    for corpus in corpora:
        path = questions_file(corpus)
        questions = halves.select(load(path), path, "tune")
        queries = queries_for(questions)
        index, store = open_store(root, corpus)
        table[corpus] = signals(index, store)
        dense, lexical = recall(store, questions, queries, SHIPPED, "dense"), recall(store, questions, queries, SHIPPED, "lexical")
        gaps["R@1"].append(dense[0] - lexical[0])
        gaps["R@5"].append(dense[1] - lexical[1])
        index.close()
    print(f"{'signal (no questions)':36}" + "".join(f"{c:>9}" for c in corpora) + "   rank corr. with dense - lexical R@1, R@5")
    for name in table[corpora[0]]:
        values = [table[c][name] for c in corpora]
        print(f"{name:36}" + "".join(f"{v:9.3f}" for v in values)
              + "".join(f"{_rank_correlation(values, gaps[at]):+9.2f}" for at in ("R@1", "R@5")))
    for at in ("R@1", "R@5"):
        print(f"{'tuning half: dense - lexical ' + at:36}" + "".join(f"{v:+9.3f}" for v in gaps[at]))


def _rank_correlation(a: list[float], b: list[float]) -> float:
    """Spearman's: the correlation of the ranks (ties broken by position)."""
    def ranks(values: list[float]) -> list[float]:
        order = sorted(range(len(values)), key=lambda i: values[i])
        out = [0.0] * len(values)
        for rank, i in enumerate(order):
            out[i] = float(rank)
        return out
    return statistics.correlation(ranks(a), ranks(b))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--corpora", nargs="+", default=bench_corpora())
    parser.add_argument("--signals", action="store_true", help="the per-collection signals instead of the lever table")
    args = parser.parse_args()
    (signal_table if args.signals else lever_table)(args.root, args.corpora)


if __name__ == "__main__":
    main()

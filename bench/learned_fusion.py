"""A learned fusion of the dense and lexical rankings, fitted on the tuning halves and gated once on the test halves.

    python bench/learned_fusion.py cache [--corpora ...]   # one child process per corpus: rankings and features
    python bench/learned_fusion.py cv                      # leave one corpus out on the tuning halves
    python bench/learned_fusion.py fit                     # the weights, from the eight tuning halves pooled
    python bench/learned_fusion.py check                   # the replayed shipped fusion against the recorded run
    python bench/learned_fusion.py gate                    # ONCE: CHOSEN on the test halves and the held-out sets

``cache`` asks every question of a corpus (both halves; a held-out set whole) in a fresh process, in the order
and with the modes of bench/retrieval.py's child run (dense, lexical, plain RRF, shipped), so the rankings are
the ones behind the bench's figures; it keeps, per question, each query's dense and lexical lists as the shipped
search read them, every candidate's file, page and row, and the share of the query's words (by rarity) each
candidate holds (``term_coverage``). Everything else runs ``hybrid_search`` itself on those cached answers.
"""

from __future__ import annotations

import argparse
import pickle
import statistics
import subprocess
import sys
from pathlib import Path
import math
from typing import Any, NamedTuple

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

import halves  # noqa: E402
from corpus import questions_file  # noqa: E402
from retrieval import MODES, load, queries_for, score  # noqa: E402
from stores import DEFAULT_ROOT, ready_store  # noqa: E402

from jupyter_docchat import DocIndex  # noqa: E402
from jupyter_docchat.index import _StoreRankings  # noqa: E402
import jupyter_docchat.retrieval.search as search  # noqa: E402
from jupyter_docchat.retrieval.fusion import SHIPPED, confidence, fuse  # noqa: E402
from jupyter_docchat.retrieval.identifiers import identifiers  # noqa: E402
from jupyter_docchat.retrieval.search import hybrid_search  # noqa: E402

CACHE = Path("/tmp/fusion3")
DEVELOPMENT = ["sqlite", "handbook", "django", "latex", "git", "sphinx", "sdist", "mixed"]
HELD_OUT = ["jinja", "mpich", "nut"]


LEARNED_FEATURES = (
    "dense rank", "lexical rank", "dense score", "lexical score", "dense score x dense gap",
    "lexical score x lexical gap", "words held", "in both", "dense rank x words sure", "lexical rank x words sure",
    "lexical rank x identifier", "dense first", "lexical first",
)
LEARNED_RANK_K = 20  # a rank's feature: LEARNED_RANK_K / (LEARNED_RANK_K + rank)


class Learned(NamedTuple):
    """A learned fusion: the weights of LEARNED_FEATURES; ``rank`` 0: the fused score is exp (or, ``linear``, the
    value) of the learned score, replacing the RRF step; else the learned order is one more RRF ranking of that
    weight beside the shipped dense and lexical ones. The file levers of fusion.SHIPPED follow as shipped."""

    weights: tuple[float, ...]
    rank: float = 0.0
    linear: bool = False


def learned_features(dense: list[tuple[str, float]], lexical: list[tuple[str, float]], held: dict[str, float],
                     named: bool) -> dict[str, list[float]]:
    """Per candidate of one query (a chunk either ranking holds), its LEARNED_FEATURES: each side's rank (as
    K / (K + rank), 0 when absent) and min-max normalised score, the score times how far the side's first stands
    out of its first ten (``fusion.confidence``), the share of the query's words (by rarity) the chunk holds
    (``held``, the store's term_coverage), whether both sides hold it, each side's rank times the words its
    lexical first holds, the lexical rank when the query names an identifier (``named``), whether a side put it first."""

    def ranked(pairs: list[tuple[str, float]]) -> tuple[dict[str, float], dict[str, float], float]:
        if not pairs:
            return {}, {}, 0.0
        values = [s for _, s in pairs]
        low, span = min(values), (max(values) - min(values)) or 1.0
        ranks = {i: LEARNED_RANK_K / (LEARNED_RANK_K + n) for n, (i, _) in reversed(list(enumerate(pairs, 1)))}
        scores: dict[str, float] = {}
        for i, s in pairs:
            scores.setdefault(i, (s - low) / span)
        return ranks, scores, confidence(pairs)

    d_rank, d_score, d_gap = ranked(dense)
    l_rank, l_score, l_gap = ranked(lexical)
    sure = held.get(lexical[0][0], 0.0) if lexical else 0.0
    d_first = dense[0][0] if dense else None
    l_first = lexical[0][0] if lexical else None
    out = {}
    for i in dict.fromkeys([i for i, _ in dense] + [i for i, _ in lexical]):
        dr, lr, ds, ls = d_rank.get(i, 0.0), l_rank.get(i, 0.0), d_score.get(i, 0.0), l_score.get(i, 0.0)
        out[i] = [dr, lr, ds, ls, ds * d_gap, ls * l_gap, held.get(i, 0.0), float(i in d_rank and i in l_rank),
                  dr * sure, lr * sure, lr * float(named), float(i == d_first), float(i == l_first)]
    return out


_CONTEXT: dict = {}  # the question being replayed: each query's held words and identifier flag, and the Learned


def _learned_fuse(dense: list, lexical: list, weights: list[float], fusion: Any, filled: float = 1.0,
                  coverage: Any = None, exact: Any = None) -> dict[str, float]:
    """fusion.fuse, with the learned fusion of _CONTEXT in place of the RRF step or as one more ranking."""
    learned: Learned = _CONTEXT["learned"]
    scores: dict[str, float] = {}
    for n, w in enumerate(weights):
        d = dense[n] if n < len(dense) else []
        lx = lexical[n] if n < len(lexical) else []
        for i, f in learned_features(d, lx, _CONTEXT["held"][n], _CONTEXT["named"][n]).items():
            scores[i] = scores.get(i, 0.0) + w * sum(a * b for a, b in zip(learned.weights, f))
    if not scores:
        return {}
    if not learned.rank:
        top = max(scores.values())
        return {i: max(s, 0.0) if learned.linear else math.exp(s - top) for i, s in scores.items()}
    extra = [(sorted(scores, key=lambda i: -scores[i]), learned.rank * sum(weights))]
    return fuse(dense, lexical, weights, fusion, filled, coverage, list(exact or []) + extra)


class Recorder:
    """A ``search.Retriever`` over the real store that remembers what one question's searches read."""

    def __init__(self, inner: Any, shared: dict) -> None:
        self.inner, self.shared, self.calls = inner, shared, {"dense": {}, "lexical": {}}

    def filled_share(self) -> float:
        return self.shared.setdefault("filled", self.inner.filled_share())

    def dense(self, query: str, limit: int) -> list:
        out = self.inner.dense(query, limit)
        self.calls["dense"][(query, limit)] = out
        return out

    def lexical(self, query: str, limit: int) -> list:
        out = self.inner.lexical(query, limit)
        self.calls["lexical"][(query, limit)] = out
        return out

    def term_coverage(self, query: str, ids: list[str]) -> dict:
        return self.inner.term_coverage(query, ids)

    def phrase_matches(self, words: list[str], query: str, limit: int) -> list:
        return self.inner.phrase_matches(words, query, limit)

    def sources_of(self, ids: list[str]) -> dict:
        return self._read("src", ids, self.inner.sources_of)

    def pages_of(self, ids: list[str]) -> dict:
        return self._read("page", ids, self.inner.pages_of)

    def rows(self, ids: list[str]) -> dict:
        return self._read("row", ids, self.inner.rows)

    def _read(self, kind: str, ids: list[str], read: Any) -> dict:
        memo = self.shared.setdefault(kind, {})
        missing = [i for i in ids if i not in memo]
        if missing:
            got = read(missing)
            for i in missing:
                memo[i] = got.get(i)
        return {i: memo[i] for i in ids if memo[i] is not None}


class Replay:
    """A ``search.Retriever`` answering from one question's cached searches (bench-exact, no store)."""

    def __init__(self, shared: dict, calls: dict) -> None:
        self.shared, self.calls = shared, calls

    def filled_share(self) -> float:
        return self.shared["filled"]

    def dense(self, query: str, limit: int) -> list:
        return self.calls["dense"][(query, limit)]

    def lexical(self, query: str, limit: int) -> list:
        return self.calls["lexical"][(query, limit)]

    def term_coverage(self, query: str, ids: list[str]) -> dict:
        held = self.calls["coverage"][query]
        return {i: held.get(i, 0.0) for i in ids}

    def sources_of(self, ids: list[str]) -> dict:
        return {i: self.shared["src"][i] for i in ids if self.shared["src"].get(i) is not None}

    def pages_of(self, ids: list[str]) -> dict:
        return {i: self.shared["page"][i] for i in ids if self.shared["page"].get(i) is not None}

    def rows(self, ids: list[str]) -> dict:
        return {i: self.shared["row"][i] for i in ids if self.shared["row"].get(i) is not None}


def cache_corpus(corpus: str, root: Path) -> None:
    """In this process: every question of the corpus, as bench/retrieval.py's child asks them, recorded."""
    path = questions_file(corpus)
    questions = halves.select(load(path), path, "all")
    split = {q["id"]: h for h in ("tune", "test") for q in
             (questions if path.resolve().parent.name == "holdout" and h == "test" else
              [] if path.resolve().parent.name == "holdout" else halves.select(questions, path, h))}
    queries = queries_for(questions)
    index = DocIndex(ready_store(root, corpus))
    index.search("warm up", k=1)
    shared: dict = {}
    root_dir = index.ensure_ready()
    out = []
    recorded: dict[str, dict] = {}
    scores: dict[str, dict] = {q["id"]: {} for q in questions}
    for label, mode, fusion in MODES:
        for q, qs in zip(questions, queries):
            index.ensure_ready()
            rec = Recorder(_StoreRankings(index), shared)
            hits = hybrid_search(rec, qs, 10, mode, root=root_dir, fusion=fusion)
            scores[q["id"]][label] = score([h.source for h in hits], q["files"])
            if label == "shipped":
                recorded[q["id"]] = rec.calls
    for q, qs in zip(questions, queries):
        calls = recorded[q["id"]]
        candidates = sorted({i for side in ("dense", "lexical") for pairs in calls[side].values() for i, _ in pairs})
        rec = Recorder(_StoreRankings(index), shared)
        rec.sources_of(candidates), rec.pages_of(candidates), rec.rows(candidates)
        calls["coverage"] = {query: index.catalog.term_coverage(index.collection, query, candidates) for query, _ in qs}
        out.append({"id": q["id"], "half": split.get(q["id"], "test"), "files": q["files"], "kind": q["kind"],
                    "ident": bool(q.get("ident")), "queries": qs, "calls": calls, "scores": scores[q["id"]]})
    index.close()
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / f"{corpus}.pkl", "wb") as f:
        pickle.dump({"corpus": corpus, "root": root_dir, "shared": shared, "questions": out}, f)
    print(f"{corpus}: {len(out)} questions cached", flush=True)


def open_cache(corpus: str) -> dict:
    with open(CACHE / f"{corpus}.pkl", "rb") as f:
        return pickle.load(f)


def replay(cache: dict, learned: Learned | None, half: str) -> dict[str, tuple[float, float, float]]:
    """Each question of the half: (R@1, R@5, RR) of ``hybrid_search`` (fusion.SHIPPED, with ``learned`` when
    given) on the cached answers."""
    out = {}
    for q in cache["questions"]:
        if half != "all" and q["half"] != half:
            continue
        store = Replay(cache["shared"], q["calls"])
        if learned is None:
            hits = hybrid_search(store, q["queries"], 10, "hybrid", root=cache["root"], fusion=SHIPPED)
        else:
            _CONTEXT.update(learned=learned, held=[q["calls"]["coverage"][query] for query, _ in q["queries"]],
                            named=[bool(identifiers(query)) for query, _ in q["queries"]])
            search.fuse = _learned_fuse
            try:
                hits = hybrid_search(store, q["queries"], 10, "hybrid", root=cache["root"], fusion=SHIPPED)
            finally:
                search.fuse = fuse
        out[q["id"]] = score([h.source for h in hits], q["files"])
    return out


def check(corpora: list[str]) -> None:
    """The replayed shipped fusion against the recorded one, question by question."""
    for corpus in corpora:
        cache = open_cache(corpus)
        got = replay(cache, None, "all")
        bad = [q["id"] for q in cache["questions"] if got[q["id"]] != tuple(q["scores"]["shipped"])]
        for half in ("tune", "test"):
            qs = [q for q in cache["questions"] if q["half"] == half]
            if qs:
                means = {label: [statistics.mean(q["scores"][label][at] for q in qs) for at in (0, 1)]
                         for label in ("dense", "lexical", "shipped")}
                print(f"{corpus:9} {half}: " + "  ".join(f"{k} {v[0]:.3f}/{v[1]:.3f}" for k, v in means.items()), end="")
                print(f"  replay {statistics.mean(got[q['id']][0] for q in qs):.3f}/{statistics.mean(got[q['id']][1] for q in qs):.3f}")
        print(f"{corpus:9} replay differs on {len(bad)} questions {bad[:5]}")


def matrices(cache: dict, half: str) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per question of the half: its candidates' features (summed over its queries by weight) and whether each
    candidate's file answers it."""
    out = []
    src = cache["shared"]["src"]
    for q in cache["questions"]:
        if q["half"] != half:
            continue
        summed: dict[str, np.ndarray] = {}
        for query, weight in q["queries"]:
            d = next((v for (text, _), v in q["calls"]["dense"].items() if text == query), [])
            lx = next((v for (text, _), v in q["calls"]["lexical"].items() if text == query), [])
            features = learned_features(d, lx, q["calls"]["coverage"][query], bool(identifiers(query)))
            for i, f in features.items():
                summed[i] = summed.get(i, 0.0) + weight * np.array(f)
        ids = list(summed)
        if not ids:
            continue
        y = np.array([src.get(i) in q["files"] for i in ids], dtype=float)
        out.append((np.array([summed[i] for i in ids]), y))
    return out


def loss(data: list[tuple[np.ndarray, np.ndarray]], w: np.ndarray) -> float:
    total = 0.0
    for X, y in data:
        s = X @ w
        top = s.max()
        total += np.log(np.exp(s - top).sum()) - np.log((np.exp(s - top) * y).sum())
    return total / len(data)


def prior(data: list[tuple[np.ndarray, np.ndarray]], mask: np.ndarray) -> np.ndarray:
    """The shipped RRF's weights (dense rank 2, lexical rank 1) at the scale that fits the data best."""
    shape = np.zeros(len(mask))
    shape[0], shape[1] = 2.0, 1.0
    kept = [(X, y) for X, y in data if y.any()]
    return min((a * shape for a in (0.5, 1, 2, 4, 8, 16)), key=lambda w: loss(kept, w))


def fit(data: list[tuple[np.ndarray, np.ndarray]], mask: np.ndarray, lam: float, steps: int = 600,
        start: np.ndarray | None = None, nonnegative: bool = False) -> np.ndarray:
    """Weights maximising, over the questions with an answering candidate, the log of the softmax probability
    of the answering candidates (the chance the first is right), less ``lam`` x |w - start|^2 x questions
    (``start``: zero, or the shipped RRF's weights); Adam, projected on w >= 0 when ``nonnegative``."""
    w0 = np.zeros(int(mask.sum())) if start is None else start[mask].copy()
    data = [(X[:, mask], y) for X, y in data if y.any()]
    w = w0.copy()
    m, v = np.zeros_like(w), np.zeros_like(w)
    n = len(data)
    for t in range(1, steps + 1):
        grad = 2 * lam * n * (w - w0)
        for X, y in data:
            s = X @ w
            p = np.exp(s - s.max())
            p /= p.sum()
            pos = p * y
            pos /= pos.sum()
            grad += X.T @ (p - pos)
        grad /= n
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad ** 2
        w -= 0.05 * (m / (1 - 0.9 ** t)) / (np.sqrt(v / (1 - 0.999 ** t)) + 1e-8)
        if nonnegative:
            w = np.maximum(w, 0.0)
    full = np.zeros(len(mask))
    full[mask] = w
    return full


def summary(results: dict[str, dict[str, tuple]], ids: dict[str, list[str]]) -> dict[str, tuple[float, float]]:
    return {c: tuple(statistics.mean(results[c][i][at] for i in ids[c]) for at in (0, 1)) for c in results}


SUBSETS = {
    "ranks+scores": [0, 1, 2, 3],
    "+gaps": [0, 1, 2, 3, 4, 5],
    "+held": [0, 1, 2, 3, 6],
    "+gaps+held": [0, 1, 2, 3, 4, 5, 6],
    "+gaps+held+both": [0, 1, 2, 3, 4, 5, 6, 7],
    "+gaps+held+sure": [0, 1, 2, 3, 4, 5, 6, 8, 9],
    "+gaps+held+ident": [0, 1, 2, 3, 4, 5, 6, 10],
    "all": list(range(len(LEARNED_FEATURES))),
}
OUTPUTS = {"replace RRF": 0.0, "one more ranking x1": 1.0, "one more ranking x2": 2.0, "one more ranking x3": 3.0}
# (learned_rank, learned_linear, start at the shipped weights, nonnegative)
HOW = {"replace RRF": (0.0, False, False, False), "one more ranking x1": (1.0, False, False, False),
       "one more ranking x2": (2.0, False, False, False), "one more ranking x3": (3.0, False, False, False),
       "exp, from shipped": (0.0, False, True, False), "linear, from shipped": (0.0, True, True, True)}


def rule(figures: tuple, dense: tuple, lexical: tuple) -> list[str]:
    return [f"R@{(1, 5)[at]}" for at in (0, 1) if figures[at] + 1e-9 < max(dense[at], lexical[at]) - 0.02]


def side_figures(cache: dict, half: str) -> dict[str, tuple[float, float]]:
    qs = [q for q in cache["questions"] if q["half"] == half]
    return {label: tuple(statistics.mean(q["scores"][label][at] for q in qs) for at in (0, 1)) for label in ("dense", "lexical", "shipped")}


def cross_validate(subsets: list[str], lams: list[float], outputs: list[str]) -> None:
    """Leave one development corpus out: fit on the other seven tuning halves, read on its tuning half."""
    caches = {c: open_cache(c) for c in DEVELOPMENT}
    data = {c: matrices(caches[c], "tune") for c in DEVELOPMENT}
    sides = {c: side_figures(caches[c], "tune") for c in DEVELOPMENT}
    head = f"{'variant (tuning halves, leave one corpus out)':46}" + "".join(f"{c:>12}" for c in DEVELOPMENT) + "   mean R@1 R@5  rule fails"
    print(head)
    for label in ("dense", "lexical", "shipped"):
        by = {c: sides[c][label] for c in DEVELOPMENT}
        fails = [f"{c} {r}" for c in DEVELOPMENT for r in rule(by[c], sides[c]["dense"], sides[c]["lexical"])]
        print(f"{'(' + label + ')':46}" + "".join(f"{by[c][0]:6.3f}{by[c][1]:6.3f}" for c in DEVELOPMENT)
              + f"   {statistics.mean(by[c][0] for c in DEVELOPMENT):.3f} {statistics.mean(by[c][1] for c in DEVELOPMENT):.3f}"
              + ("  " + ", ".join(fails) if label == "shipped" else ""), flush=True)
    for subset in subsets:
        mask = np.zeros(len(LEARNED_FEATURES), dtype=bool)
        mask[SUBSETS[subset]] = True
        for lam in lams:
            weights = {}
            for output in outputs:
                rank, linear, start, nonneg = HOW[output]
                key = (start, nonneg)
                if key not in weights:
                    weights[key] = {}
                    for c in DEVELOPMENT:
                        train = [m for o in DEVELOPMENT if o != c for m in data[o]]
                        weights[key][c] = fit(train, mask, lam, start=prior(train, mask) if start else None, nonnegative=nonneg)
                by = {}
                for c in DEVELOPMENT:
                    got = replay(caches[c], Learned(tuple(float(x) for x in weights[key][c]), rank, linear), "tune")
                    by[c] = tuple(statistics.mean(v[at] for v in got.values()) for at in (0, 1))
                fails = [f"{c} {r}" for c in DEVELOPMENT for r in rule(by[c], sides[c]["dense"], sides[c]["lexical"])]
                print(f"{subset + ' l=' + str(lam) + ' ' + output:46}" + "".join(f"{by[c][0]:6.3f}{by[c][1]:6.3f}" for c in DEVELOPMENT)
                      + f"   {statistics.mean(by[c][0] for c in DEVELOPMENT):.3f} {statistics.mean(by[c][1] for c in DEVELOPMENT):.3f}"
                      + f"  {len(fails)}: " + ", ".join(fails), flush=True)


CHOSEN = ("+gaps+held+both", 0.01, "one more ranking x2")  # by cross_validate on the tuning halves (bench/README.md)


def fit_all(subset: str, lam: float, output: str) -> tuple[float, ...]:
    """The weights from the eight tuning halves pooled (what fusion.py would hold)."""
    _, _, start, nonneg = HOW[output]
    mask = np.zeros(len(LEARNED_FEATURES), dtype=bool)
    mask[SUBSETS[subset]] = True
    train = [m for c in DEVELOPMENT for m in matrices(open_cache(c), "tune")]
    w = fit(train, mask, lam, start=prior(train, mask) if start else None, nonnegative=nonneg)
    return tuple(round(float(x), 3) for x in w)


def gate(weights: tuple[float, ...], output: str, halves_: list[str]) -> None:
    """Per corpus and half: dense, lexical, shipped (as recorded) and the learned fusion (replayed), and the rule."""
    rank, linear, _, _ = HOW[output]
    learned = Learned(weights, rank, linear)
    for half in halves_:
        corpora = DEVELOPMENT + (HELD_OUT if half == "test" else [])
        print(f"\n## {half} halves{' and held-out sets' if half == 'test' else ''}: R@1/R@5")
        print(f"{'corpus':9}{'n':>4}{'dense':>13}{'lexical':>13}{'shipped':>13}{'learned':>13}  rule shipped / learned   R@1, R@5 questions won-lost")
        means: dict[str, list] = {k: [] for k in ("dense", "lexical", "shipped", "learned")}
        holds = {"shipped": 0, "learned": 0}
        for c in corpora:
            cache = open_cache(c)
            qs = [q for q in cache["questions"] if q["half"] == half]
            got = replay(cache, learned, half)
            fig = side_figures(cache, half)
            fig["learned"] = tuple(statistics.mean(got[q["id"]][at] for q in qs) for at in (0, 1))
            for k in means:
                means[k].append(fig[k])
            rules = {k: rule(fig[k], fig["dense"], fig["lexical"]) for k in ("shipped", "learned")}
            for k in holds:
                holds[k] += not rules[k]
            moves = []
            for at in (0, 1):
                won = sum(got[q["id"]][at] > q["scores"]["shipped"][at] for q in qs)
                lost = sum(got[q["id"]][at] < q["scores"]["shipped"][at] for q in qs)
                moves.append(f"+{won}-{lost}")
            print(f"{c:9}{len(qs):4}" + "".join(f"  {fig[k][0]:.3f}/{fig[k][1]:.3f}" for k in ("dense", "lexical", "shipped", "learned"))
                  + f"  {','.join(rules['shipped']) or 'holds'} / {','.join(rules['learned']) or 'holds'}   {' '.join(moves)}")
        print(f"{'mean':13}" + "".join(f"  {statistics.mean(v[0] for v in means[k]):.3f}/{statistics.mean(v[1] for v in means[k]):.3f}"
                                        for k in means) + f"  rule holds on {holds['shipped']} / {holds['learned']} of {len(corpora)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["cache", "cache-one", "check", "cv", "fit", "gate"])
    parser.add_argument("--subsets", nargs="+", default=list(SUBSETS))
    parser.add_argument("--lams", nargs="+", type=float, default=[0.001, 0.01, 0.1])
    parser.add_argument("--outputs", nargs="+", default=list(HOW))
    parser.add_argument("--corpora", nargs="+", default=DEVELOPMENT + HELD_OUT)
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    args = parser.parse_args()
    if args.command == "cache":
        for corpus in args.corpora:  # one fresh process each, as bench/vs.py runs them
            subprocess.run([sys.executable, __file__, "cache-one", "--corpora", corpus, "--root", str(args.root)], check=True)
    elif args.command == "cache-one":
        cache_corpus(args.corpora[0], args.root)
    elif args.command == "check":
        check(args.corpora)
    elif args.command == "fit":
        subset, lam, output = CHOSEN
        weights = fit_all(subset, lam, output)
        print(f"{subset} l={lam} {output}: " + ", ".join(f"{n} {w}" for n, w in zip(LEARNED_FEATURES, weights)))
        print(f"learned={weights!r}")
        gate(weights, output, ["tune"])
    elif args.command == "gate":
        subset, lam, output = CHOSEN
        gate(fit_all(subset, lam, output), output, ["tune", "test"])
    elif args.command == "cv":
        cross_validate(args.subsets, args.lams, args.outputs)


if __name__ == "__main__":
    main()

"""Fusion lever families chosen by leaving one corpus out, on the tuning halves (issue 24 item 2, branch fusion4).

    python bench/fusion_loo.py collect --corpora sqlite handbook ...   # per corpus: every setting's per-question hits
    python bench/fusion_loo.py folds [--corpora ...]                    # the leave-one-corpus-out table

With ~20 questions a half, a setting chosen on the tuning halves of all corpora fits them (bench/README.md: the
adaptive levers won 17 and lost 3 there, won 7 and lost 21 on the test halves). Here each family's setting is
chosen on all corpora but one and read on that one's tuning half, once per corpus: a family counts only if the
setting chosen without a corpus never breaks issue 24's rule there (hybrid >= max(dense, lexical) - 0.02 at R@1
and R@5) where the shipped fusion holds it, and lifts it where the shipped one fails.

The choice on the other corpora: fewest (corpus, R@k) where the rule fails, then the highest mean of R@1 and R@5.

``collect`` runs ``hybrid_search`` (the code path of a search) on the store's rankings read once per question
(``fusion_probe.Cached``) and writes, per corpus, each setting's R@1 and R@5 per question to
``--out``/CORPUS.json; ``folds`` reads those files, so corpora can be collected as their stores are ready.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import halves  # noqa: E402
from corpus import questions_file  # noqa: E402
from fusion_probe import open_store  # noqa: E402
from retrieval import RULE_MARGIN, load, queries_for, score  # noqa: E402
from stores import DEFAULT_ROOT  # noqa: E402

from jupyter_docchat.retrieval.fusion import SHIPPED, Fusion  # noqa: E402
from jupyter_docchat.retrieval.search import hybrid_search  # noqa: E402
from jupyter_docchat.types import SearchMode  # noqa: E402

OUT = Path("/tmp/fusion-loo")
DEVELOPMENT = ["sqlite", "handbook", "django", "latex", "sphinx", "sdist", "mixed", "pyfai"]  # git is held out


def families() -> dict[str, list[tuple[str, Fusion]]]:
    """Each family: its settings (the shipped fusion among them where the family holds it), few parameters each."""
    out: dict[str, list[tuple[str, Fusion]]] = {}
    out["dense weight"] = [(f"dw {w:g}", SHIPPED.but(dense_weight=w)) for w in (0.5, 0.75, 1, 1.25, 1.5, 2, 2.5, 3, 4)]
    out["rrf k"] = [(f"k {k}", SHIPPED.but(rrf_k=k)) for k in (5, 10, 20, 40, 60, 100)]
    out["dense weight x k"] = [(f"dw {w:g} k {k}", SHIPPED.but(dense_weight=w, rrf_k=k))
                               for w in (1, 1.5, 2, 3) for k in (5, 10, 20, 60)]
    out["agreed first"] = [("off", SHIPPED)] + [
        (f"{sides} {d}", SHIPPED.but(confirmed_depth=d, confirmed_sides=sides))
        for sides in ("dense", "lexical", "dense,lexical", "lexical,dense") for d in (1, 2, 3, 5)]
    out["convex"] = [("rrf", SHIPPED)] + [(f"convex {w:.1f}", SHIPPED.but(method="convex", dense_weight=w, lexical_weight=1 - w))
                                          for w in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)]
    out["rare identifier"] = [("off", SHIPPED)] + [
        (f"<= {n} x {m:g}", SHIPPED.but(rare_identifier=n, rare_lexical=m))
        for n in (1, 3, 5, 10, 20, 50) for m in (1.5, 2, 3, 4)]
    return out


def collect(root: Path, corpus: str, out: Path) -> None:
    path = questions_file(corpus)
    questions = halves.select(load(path), path, "tune")
    queries = queries_for(questions)
    index, store = open_store(root, corpus)
    record: dict[str, dict[str, list[list[float]]]] = {"ids": [q["id"] for q in questions]}  # type: ignore[dict-item]

    def run(mode: SearchMode, fusion: Fusion) -> list[list[float]]:
        return [list(score([h.source for h in hybrid_search(store, qs, 10, mode, fusion=fusion)], q["files"])[:2])
                for q, qs in zip(questions, queries)]

    record["sides"] = {"dense": run("dense", SHIPPED), "lexical": run("lexical", SHIPPED), "shipped": run("hybrid", SHIPPED)}
    for family, settings in families().items():
        record[family] = {label: run("hybrid", fusion) for label, fusion in settings}
    index.close()
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{corpus}.json").write_text(json.dumps(record))
    print(f"{corpus}: {len(questions)} tuning questions", flush=True)


def means(hits: list[list[float]]) -> tuple[float, float]:
    return statistics.mean(h[0] for h in hits), statistics.mean(h[1] for h in hits)


def fails(r: tuple[float, float], sides: dict[str, tuple[float, float]]) -> list[int]:
    """The R@k (0: R@1, 1: R@5) at which issue 24's rule fails."""
    return [at for at in (0, 1) if r[at] + 1e-9 < max(sides["dense"][at], sides["lexical"][at]) - RULE_MARGIN]


def folds(out: Path, corpora: list[str]) -> None:
    data = {c: json.loads((out / f"{c}.json").read_text()) for c in corpora}
    sides = {c: {s: means(data[c]["sides"][s]) for s in ("dense", "lexical")} for c in corpora}
    shipped = {c: means(data[c]["sides"]["shipped"]) for c in corpora}
    print("tuning halves: dense / lexical / shipped (R@1 R@5), rule")
    for c in corpora:
        f = fails(shipped[c], sides[c])
        print(f"  {c:9} n={len(data[c]['ids']):3}  {sides[c]['dense'][0]:.3f} {sides[c]['dense'][1]:.3f}  "
              f"{sides[c]['lexical'][0]:.3f} {sides[c]['lexical'][1]:.3f}  {shipped[c][0]:.3f} {shipped[c][1]:.3f}  "
              + ("fails " + ",".join(f"R@{(1, 5)[a]}" for a in f) if f else "holds"))
    for family in families():
        print(f"\n{family}")
        table = {c: {label: means(hits) for label, hits in data[c][family].items()} for c in corpora}
        # The shipped setting first: among equals the choice stays where it is.
        labels = sorted(table[corpora[0]], key=lambda label: dict(families()[family])[label] != SHIPPED)
        verdicts = []
        gain = [0.0, 0.0]
        for held in corpora:
            train = [c for c in corpora if c != held]

            def key(label: str) -> tuple[int, float]:
                broken = sum(len(fails(table[c][label], sides[c])) for c in train)
                return (-broken, statistics.mean((table[c][label][0] + table[c][label][1]) / 2 for c in train))

            chosen = max(labels, key=key)
            r, base = table[held][chosen], shipped[held]
            before, after = set(fails(base, sides[held])), set(fails(r, sides[held]))
            broke, lifted = after - before, before - after
            verdict = ("BREAKS " + ",".join(f"R@{(1, 5)[a]}" for a in sorted(broke)) if broke else
                       "lifts " + ",".join(f"R@{(1, 5)[a]}" for a in sorted(lifted)) if lifted else
                       "still fails" if after else "holds")
            verdicts.append(verdict)
            hits, shipped_hits = data[held][family][chosen], data[held]["sides"]["shipped"]
            won = sum(h[0] > b[0] for h, b in zip(hits, shipped_hits))
            lost = sum(h[0] < b[0] for h, b in zip(hits, shipped_hits))
            verdict += f"  (first sources won {won}, lost {lost})"
            gain[0] += r[0] - base[0]
            gain[1] += r[1] - base[1]
            print(f"  without {held:9} chose {chosen:16} -> {held}: {r[0]:.3f} {r[1]:.3f} (shipped {base[0]:.3f} "
                  f"{base[1]:.3f}; train rule failures {-key(chosen)[0]})  {verdict}")
        counts = not any(v.startswith("BREAKS") for v in verdicts) and any(v.startswith("lifts") for v in verdicts)
        print(f"  held-out mean change R@1 {gain[0] / len(corpora):+.3f} R@5 {gain[1] / len(corpora):+.3f}; "
              f"{'COUNTS' if counts else 'does not count'}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=("collect", "folds"))
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--corpora", nargs="+", default=DEVELOPMENT)
    args = parser.parse_args()
    if args.what == "collect":
        for corpus in args.corpora:
            collect(args.root, corpus, args.out)
    else:
        folds(args.out, args.corpora)


if __name__ == "__main__":
    main()

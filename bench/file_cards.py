"""A lever measured and dropped: a file card (file name and headings, embedded once per file) fused at
file level, as issue 15 suggested. Not in the product; this script is how it was measured.

    python bench/file_cards.py [sqlite handbook django latex git]

Per corpus, the shipped hybrid (w=0.0, the baseline from the same run) and the same with each chunk
credited w / (20 + rank of its file's card among the 10 best cards), R@1 / R@5 / MRR@10 over all
questions and R@5 over the paraphrases. Cards are built from the store's headings (PDF pages have
none: their card is the file name) and embedded with the store's own model.
"""
import sys
from collections import defaultdict
from pathlib import Path, PurePosixPath

sys.path.insert(0, str(Path(__file__).parent))
import numpy as np  # noqa: E402
from stores import DEFAULT_ROOT, store_of  # noqa: E402
from corpus import questions_file  # noqa: E402
from retrieval import load, queries_for, score  # noqa: E402
from jupyter_docchat import DocIndex  # noqa: E402
from jupyter_docchat.types import HeadingTrail  # noqa: E402
from jupyter_docchat.retrieval.fusion import SHIPPED, fuse, ranked_ids, unanimous_first  # noqa: E402


def cards(index):
    rows = index.catalog.db.execute("SELECT source, heading FROM chunks WHERE collection = ?", (index.collection,)).fetchall()
    heads = defaultdict(dict)
    for source, heading in rows:
        for part in HeadingTrail.of(heading or "").parts:
            part = part.strip()
            if part and not part.startswith("page "):
                heads[source].setdefault(part, None)
    sources = sorted({s for s, _ in rows})
    texts = [PurePosixPath(s).stem.replace("-", " ").replace("_", " ") + ". " + "; ".join(list(heads[s])[:40]) for s in sources]
    vecs = np.array(index.embedder().embed_documents(texts), dtype=np.float32)
    return sources, vecs


def run(name, weights=(0.0, 0.5, 1.0, 2.0), top=10, k=20):
    index = DocIndex(store_of(DEFAULT_ROOT, name))
    qs = load(questions_file(name))
    queries = queries_for(qs)
    sources, vecs = cards(index)
    res = {w: defaultdict(list) for w in weights}
    for q, qq in zip(qs, queries):
        dense = [index.vectors().query(index.embedder().embed_query(t), 30) for t, _ in qq]
        lex = [index.catalog.lexical(index.collection, t, 30) for t, _ in qq]
        ws = [w for _, w in qq]
        qv = np.array(index.embedder().embed_query(qq[0][0]), dtype=np.float32)
        sims = vecs @ qv
        order = np.argsort(-sims)[:top]
        card_rank = {sources[i]: r for r, i in enumerate(order)}
        for w in weights:
            fused = fuse(dense, lex, ws, SHIPPED, 1.0)
            source_of = index.catalog.sources_of(index.collection, list(fused))
            if w:
                fused = {c: s + w / (k + card_rank[source_of[c]] + 1) if source_of.get(c) in card_rank else s for c, s in fused.items()}
            best = ranked_ids(fused, 10, SHIPPED, source_of, unanimous_first(dense + lex))[:10]
            files = [source_of[c] for c in best]
            r = score(files, q["files"])
            res[w][q["kind"]].append(r); res[w]["all"].append(r)
    for w in weights:
        a = res[w]["all"]; p = res[w]["paraphrase"]
        print(name, f"w={w}", "all R@1 %.3f R@5 %.3f MRR %.3f" % tuple(sum(x[i] for x in a)/len(a) for i in range(3)),
              "| para R@5 %.3f" % (sum(x[1] for x in p)/len(p)))

if __name__ == "__main__":
    for name in sys.argv[1:] or ["sqlite", "handbook", "django", "latex", "git"]:
        run(name)

"""Peak memory while indexing 50 MB and 200 MB of text: it should stay about the same.

    python bench/memory.py [--sizes 50 200]

Each size is indexed in a fresh child process. The embedding model is replaced by a fast
bag-of-words hashing embedder (384 dimensions, like MiniLM) so that the run measures the
pipeline's memory (reading, chunking, batching, Chroma and SQLite writes) in minutes rather
than the hours MiniLM would need on 2 cores; the model's own footprint is constant.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = ("bank deposit rate bond loss risk liquidity capital reserve loan market yield treasury asset credit equity "
         "insurance regulator run panic fund interest duration portfolio hedge board audit policy supervisor merger "
         "bridge auction share price dividend ledger branch teller vault mortgage").split()


def make_text(folder: Path, megabytes: int, file_kb: int = 200) -> None:
    rng = random.Random(megabytes)
    folder.mkdir(parents=True)
    for n in range(megabytes * 1024 // file_kb):
        paragraphs, size = [], 0
        while size < file_kb * 1024:
            para = " ".join(rng.choice(WORDS) for _ in range(100)) + f" {n}-{size}."
            paragraphs.append(para)
            size += len(para) + 2
        (folder / f"doc{n:05d}.txt").write_text("\n\n".join(paragraphs))


def child(folder: str, store: str) -> None:
    import numpy as np
    from langchain_core.embeddings import Embeddings

    import jupyter_docchat.index as index_module
    from jupyter_docchat import DocIndex

    class HashEmbeddings(Embeddings):
        name, max_tokens = "minilm", 256

        def count_tokens(self, texts):
            return [len(t) // 5 for t in texts]

        def embed_documents(self, texts):
            out = np.zeros((len(texts), 384), dtype=np.float32)
            for row, text in enumerate(texts):
                for word in text.split():
                    out[row, int(hashlib.md5(word.encode()).hexdigest()[:6], 16) % 384] += 1.0
            out /= np.clip(np.linalg.norm(out, axis=1, keepdims=True), 1e-9, None)
            return out.tolist()

        def embed_query(self, text):
            return self.embed_documents([text])[0]

    index_module.make_embeddings = lambda *a, **k: HashEmbeddings()
    started = time.perf_counter()
    report = DocIndex(store).update(folder)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"chunks": report.chunks_total, "seconds": time.perf_counter() - started, "peak_mb": peak}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--child", nargs=2)
    args = parser.parse_args()
    if args.child:
        return child(*args.child)
    work = Path(tempfile.mkdtemp(prefix="docchat-mem-"))
    results = {}
    for size in args.sizes:
        make_text(work / f"text{size}", size)
        done = subprocess.run([sys.executable, __file__, "--child", str(work / f"text{size}"), str(work / f"store{size}")],
                              capture_output=True, text=True, check=True)
        results[size] = json.loads(done.stdout.strip().splitlines()[-1])
        r = results[size]
        print(f"{size} MB of text: {r['chunks']} chunks in {r['seconds']:.0f} s, peak RSS {r['peak_mb']:.0f} MB")
    if len(results) >= 2:
        small, large = results[min(results)], results[max(results)]
        print(f"peak RSS ratio {max(results)} MB / {min(results)} MB: {large['peak_mb'] / small['peak_mb']:.2f}  (about 1 is bounded)")


if __name__ == "__main__":
    main()

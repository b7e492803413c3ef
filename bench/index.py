"""Index a real third-party corpus and compare with the raw embedding time of the same chunks.

    python bench/index.py [--max-files N]

Prints files, chunks, seconds per stage, chunks/s, peak RSS, the ratio of the total index
time to embedding the same chunks with the same model in this process (target <= 1.10),
and the time of a second run with nothing changed (target <= 2 s for about 1,400 files).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from corpus import build  # noqa: E402

from jupyter_docchat import DocIndex  # noqa: E402
from jupyter_docchat.chunking import Chunker  # noqa: E402
from jupyter_docchat.embeddings import make_embeddings  # noqa: E402
from jupyter_docchat.readers import UnreadableFile, read_sections  # noqa: E402
from jupyter_docchat.scan import scan_folder  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-files", type=int, default=0, help="index an even sample of this many files")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep the store (for bench/retrieval.py)")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="docchat-bench-"))
    if (work / "corpus").exists():
        raise SystemExit(f"{work} already holds a corpus: pass an empty or new folder")
    folder = build(work / "corpus", args.max_files)
    model = make_embeddings("minilm")
    model.embed_documents(["warm up"])

    index = DocIndex(work / "store")
    started = time.perf_counter()
    report = index.update(folder)
    total = time.perf_counter() - started
    rss_index = peak_rss_mb()

    started = time.perf_counter()
    again = DocIndex(work / "store").update(folder)
    second = time.perf_counter() - started

    # Baseline: the same chunks, embedded alone with the same model and batch size.
    chunker = Chunker(800, 100, model.count_tokens, model.max_tokens)
    texts = []
    for rel, path in scan_folder(folder):
        data = path.read_bytes()
        try:
            texts += [c.embed_text for c in chunker.chunk(rel, "x", read_sections(path, data))]
        except UnreadableFile:
            pass
    started = time.perf_counter()
    for i in range(0, len(texts), 64):
        model.embed_documents(texts[i : i + 64])
    raw = time.perf_counter() - started

    files = report.added + report.updated + report.unchanged
    print(f"corpus: {files} files ({sum(report.skipped.values())} skipped), {report.chunks_total} chunks "
          f"({report.embedded} embedded, {report.reused} reused: identical texts share one vector)")
    print("stages (s): " + ", ".join(f"{k} {v:.1f}" for k, v in sorted(report.stages.items())))
    print(f"index: {total:.1f} s, {report.chunks_total / total:.1f} chunks/s, peak RSS {rss_index:.0f} MB")
    print(f"raw embedding of the same {len(texts)} chunks: {raw:.1f} s, {len(texts) / raw:.1f} chunks/s")
    print(f"ratio index / raw embedding: {total / raw:.3f}  (target <= 1.10)")
    print(f"second run, nothing changed: {second:.2f} s for {again.unchanged} files  (target <= 2 s)")
    print(f"store: {work}")


if __name__ == "__main__":
    main()

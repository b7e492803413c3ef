"""Index a real third-party corpus; compare with raw embedding and with the LangChain way, in one run.

    python bench/index.py [--max-files N] [--keep DIR] [--no-seed]

Prints files, chunks, seconds per stage, when keyword search was ready, chunks/s, peak RSS, and:
- the ratio of the total index time to embedding the same chunks alone with the same model in this
  process (target <= 1.10);
- the ratio to the seed's way: LangChain's DirectoryLoader (BSHTMLLoader) with
  RecursiveCharacterTextSplitter and ``Chroma.from_documents``, same model (needs the ``bench``
  extra: langchain-community);
- the time of a second run with nothing changed.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from corpus import CORPORA, build  # noqa: E402

from jupyter_docchat import DocIndex  # noqa: E402
from jupyter_docchat.types import embed_text  # noqa: E402
from jupyter_docchat.store.embeddings import make_embeddings  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def raw_embedding(index: DocIndex, model) -> tuple[float, int]:
    """Embed exactly the texts the index embedded, in one call (sorted by length inside the model)."""
    rows = index.catalog.db.execute("SELECT heading, source, text FROM chunks WHERE collection=?", (index.collection,))
    texts = sorted({embed_text(h, s, t) for h, s, t in rows})  # distinct texts: the index embeds each once
    started = time.perf_counter()
    model.embed_documents(texts)
    return time.perf_counter() - started, len(texts)


def seed_way(folder: Path, model, work: Path) -> tuple[float, int]:
    """LangChain's DirectoryLoader + RecursiveCharacterTextSplitter + Chroma.from_documents."""
    import chromadb
    from langchain_chroma import Chroma
    from langchain_community.document_loaders import BSHTMLLoader, DirectoryLoader
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    warnings.filterwarnings("ignore")
    started = time.perf_counter()
    docs = DirectoryLoader(str(folder), glob="**/*.html", loader_cls=BSHTMLLoader,
                           loader_kwargs={"open_encoding": "utf-8"}).load()
    chunks = RecursiveCharacterTextSplitter(chunk_size=800, chunk_overlap=100).split_documents(docs)
    Chroma.from_documents(chunks, model, persist_directory=str(work / "seed-chroma"),
                          client_settings=chromadb.Settings(anonymized_telemetry=False))
    return time.perf_counter() - started, len(chunks)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-files", type=int, default=0, help="index an even sample of this many files")
    parser.add_argument("--corpus", default="dev", choices=sorted(CORPORA))
    parser.add_argument("--keep", type=Path, help="work in this folder and keep the store (for bench/retrieval.py)")
    parser.add_argument("--no-seed", action="store_true", help="skip the LangChain baseline")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="docchat-bench-"))
    if (work / "corpus").exists():
        raise SystemExit(f"{work} already holds a corpus: pass an empty or new folder")
    folder = build(work / "corpus", args.max_files, args.corpus)
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

    raw, distinct = raw_embedding(index, model)

    files = report.added + report.updated + report.unchanged
    print(f"corpus: {files} files ({sum(report.skipped.values())} skipped), {report.chunks_total} chunks "
          f"({report.embedded} embedded, {report.reused} reused: identical texts share one vector)")
    print("stages (s, summed over threads): " + ", ".join(f"{k} {v:.1f}" for k, v in sorted(report.stages.items())))
    print(f"keyword search ready after {report.lexical_seconds:.1f} s")
    print(f"index: {total:.1f} s, {report.chunks_total / total:.1f} chunks/s, peak RSS {rss_index:.0f} MB")
    print(f"raw embedding of the same {distinct} distinct chunk texts: {raw:.1f} s, {distinct / raw:.1f} chunks/s")
    print(f"ratio index / raw embedding: {total / raw:.3f}  (target <= 1.10)")
    print(f"second run, nothing changed: {second:.2f} s for {again.unchanged} files")
    if not args.no_seed:
        seed, seed_chunks = seed_way(folder, model, work)
        print(f"seed way (DirectoryLoader + RecursiveCharacterTextSplitter + Chroma.from_documents): {seed:.1f} s "
              f"for {seed_chunks} chunks, {seed_chunks / seed:.1f} chunks/s")
        print(f"ratio index / seed way: {total / seed:.3f} (time), "
              f"{(report.chunks_total / total) / (seed_chunks / seed):.2f}x the seed's chunks/s")
    print(f"store: {work}")


if __name__ == "__main__":
    main()

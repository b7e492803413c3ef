"""Peak memory while indexing 50 MB and 200 MB of text: it should stay about the same.

    python bench/memory.py [--sizes 50 200] [--server]

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


def child(folder: str, store: str, server: str = "") -> None:
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
    report = DocIndex(store, server=server).update(folder)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"chunks": report.chunks_total, "seconds": time.perf_counter() - started, "peak_mb": peak}))


def start_chroma(path: Path) -> tuple[subprocess.Popen, str]:
    import socket
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    exe = str(Path(sys.executable).parent / "chroma")
    proc = subprocess.Popen([exe, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1)
            return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.2)
    raise SystemExit("chroma run did not start")


def peak_of(pid: int) -> float:
    """A live process's peak resident memory in MB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--server", action="store_true", help="store the vectors in a `chroma run` server")
    parser.add_argument("--child", nargs="+")
    args = parser.parse_args()
    if args.child:
        return child(*args.child)
    work = Path(tempfile.mkdtemp(prefix="docchat-mem-"))
    results = {}
    for size in args.sizes:
        make_text(work / f"text{size}", size)
        cmd = [sys.executable, __file__, "--child", str(work / f"text{size}"), str(work / f"store{size}")]
        server = start_chroma(work / f"chroma{size}") if args.server else None
        try:
            done = subprocess.run(cmd + ([server[1]] if server else []), capture_output=True, text=True, check=True)
            server_peak = peak_of(server[0].pid) if server else 0.0
        finally:
            if server:
                server[0].terminate()
                server[0].wait()
        results[size] = json.loads(done.stdout.strip().splitlines()[-1])
        r = results[size]
        extra = f", Chroma server peak {server_peak:.0f} MB" if server else ""
        print(f"{size} MB of text: {r['chunks']} chunks in {r['seconds']:.0f} s, indexing process peak RSS {r['peak_mb']:.0f} MB{extra}")
    if len(results) >= 2:
        small, large = results[min(results)], results[max(results)]
        print(f"peak RSS ratio {max(results)} MB / {min(results)} MB: {large['peak_mb'] / small['peak_mb']:.2f}  (about 1 is bounded)")


if __name__ == "__main__":
    main()

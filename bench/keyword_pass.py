"""Time the keyword pass (read, split, FTS5) of a fresh index: when %docchat_index lets you ask.

    python bench/keyword_pass.py [--corpora sqlite handbook ...] [--root DIR]

Copies each corpus (as bench/stores.py does) and indexes it into a new temporary store with the
vector pass deferred (the notebook's background mode), so the figure is the time until keyword
search covers every chunk. Run it on two checkouts to compare (the same corpora, machine and run).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from corpus import DEVELOPMENT, build  # noqa: E402

from jupyter_docchat import DocIndex  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpora", nargs="+", default=list(DEVELOPMENT))
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="docchat-keyword-"))
    try:
        total_mb = total_s = 0.0
        for corpus in args.corpora:
            folder = build(work / corpus / "corpus", corpus=corpus)
            size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6
            index = DocIndex(work / corpus / "store")
            started = time.perf_counter()
            report = index.update(folder, background=True, background_min=0)
            seconds = report.lexical_seconds or (time.perf_counter() - started)
            index.close()  # the deferred vector pass is not part of this figure
            print(f"{corpus}: {size:.1f} MB, {report.chunks_total} chunks, keyword search ready after {seconds:.1f} s "
                  f"({size / seconds:.2f} MB/s)", flush=True)
            total_mb, total_s = total_mb + size, total_s + seconds
        print(f"all: {total_mb:.1f} MB in {total_s:.1f} s ({total_mb / total_s:.2f} MB/s)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Build or update one store per benchmark corpus, for bench/retrieval.py and bench/answers.py.

    python bench/stores.py [--root DIR] [CORPUS ...]     # default: every corpus, DIR ~/.cache/docchat-bench

Each corpus is copied to DIR/NAME/corpus/NAME/ and indexed into DIR/NAME/store, so the question
files name sources as NAME/path. A second run only re-indexes what changed (nothing, usually).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from corpus import DEVELOPMENT, HELD_OUT, build  # noqa: E402

from jupyter_docchat import DocIndex  # noqa: E402

DEFAULT_ROOT = Path.home() / ".cache" / "docchat-bench"


def store_of(root: Path, corpus: str) -> Path:
    return root / corpus / "store"


def ensure_store(root: Path, corpus: str) -> DocIndex:
    work = root / corpus
    folder = work / "corpus"
    if not (folder / corpus).is_dir():
        build(folder, corpus=corpus)
    index = DocIndex(work / "store")
    started = time.perf_counter()
    report = index.update(folder)
    print(f"{corpus}: {report.summary()} ({time.perf_counter() - started:.0f} s)", flush=True)
    return index


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpora", nargs="*", default=[*DEVELOPMENT, *HELD_OUT])
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    args = parser.parse_args()
    for corpus in args.corpora:
        ensure_store(args.root, corpus).close()


if __name__ == "__main__":
    main()

"""What the freshness check before each question costs when nothing changed.

    python bench/freshness.py [--files 1400]

Makes a folder of small Markdown files, indexes it (keyword pass; vectors in the background, then
stopped), and times DocIndex.refresh() with nothing changed (median of 20) beside a whole extractive
%ask-equivalent question (Conversation.ask, which runs the same check first) on the same index.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from jupyter_docchat import DocIndex
from jupyter_docchat.qa.conversation import Conversation
from jupyter_docchat.settings import Settings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=1400)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="docchat-fresh-"))
    try:
        folder = work / "docs"
        for n in range(args.files):
            sub = folder / f"part{n // 100}"
            sub.mkdir(parents=True, exist_ok=True)
            (sub / f"note{n}.md").write_text(f"# Note {n}\n\nNote {n} records the balance of account {n * 7}.\n")
        index = DocIndex(work / "store")
        index.update(folder, background=True)
        index.stop_filling()
        index.refresh()  # warm the file-system cache as a kernel would have it
        checks = []
        for _ in range(20):
            started = time.perf_counter()
            assert index.refresh() is None
            checks.append(time.perf_counter() - started)
        conversation = Conversation(index, Settings(store=work / "store", model="extractive"))
        asks = []
        for n in range(5):
            started = time.perf_counter()
            conversation.ask(f"What is the balance recorded in note {n * 13}?", [])
            asks.append(time.perf_counter() - started)
        check, whole = statistics.median(checks) * 1000, statistics.median(asks) * 1000
        print(f"{args.files} files, nothing changed: freshness check p50 {check:.1f} ms (target 50 ms); "
              f"a whole extractive ask with the check p50 {whole:.0f} ms; the check is {check / whole:.0%} of it")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

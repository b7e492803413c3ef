"""A walk's questions asked of its folder, offline, in a fresh store: what bench/sheets_walk.py, bench/mail_walk.py and
bench/api_walk.py print as "ask" (each question's expected words FOUND or not in the answer, its first sources).

A walk is a folder of a shape nobody tuned on and questions written before the first run; these figures are read by
hand (right, partly, wrong), not pass/fail.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Sequence

Question = tuple[str, Sequence[str], str]  # the question, the words its answer must hold, where they stand


def ask(folder: Path, questions: Sequence[Question]) -> None:
    from jupyter_docchat import DocIndex

    with tempfile.TemporaryDirectory() as store, DocIndex(Path(store) / "store") as index:
        started = time.process_time()
        report = index.update(folder)
        print(report)
        for rel, why in report.skipped_files:
            print(f"  skipped {rel}: {why}")
        print(f"indexed in {time.process_time() - started:.1f} CPU-s")
        for n, (question, words, source) in enumerate(questions, 1):
            try:
                answer = index.ask(question)
            except Exception as exc:  # noqa: BLE001 - a folder none of whose files is read: every question is wrong
                print(f"\nQ{n}. {question}\n  expect {list(words)} from {source}: no answer ({exc})")
                continue
            cited = [f"{s.file} ({s.location})" for s in answer.sources]
            found = all(word.lower() in answer.text.lower() for word in words)
            print(f"\nQ{n}. {question}\n  expect {list(words)} from {source}: {'FOUND' if found else 'not found'}")
            print("  answer: " + " ".join(answer.text.split())[:400])
            print("  sources: " + "; ".join(cited[:5]))


def main(doc: str | None, folder: Path, make: Callable[[Path], None], questions: Sequence[Question]) -> None:
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["make", "ask"])
    parser.add_argument("--folder", type=Path, default=folder)
    args = parser.parse_args()
    make(args.folder) if args.what == "make" else ask(args.folder, questions)


if __name__ == "__main__":
    sys.exit("run a walk: bench/sheets_walk.py, bench/mail_walk.py or bench/api_walk.py")

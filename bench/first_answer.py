"""Time to the first answer on a fresh 25 MB folder: %docchat_index returns once keyword search is
ready, %ask answers at once, and the vectors fill in behind.

    python bench/first_answer.py [--keep DIR] [--baseline]

Runs the magics in a real IPython shell on a fresh copy of the development corpus (Debian's
sqlite3-doc and debian-handbook, 893 HTML files). Prints when keyword search was ready, when the
first answer came, how many of a sample of questions found their file in the top 5 while vectors
were missing and after they were filled, when the last vector was stored, and that a second run
changes nothing. ``--baseline`` also times a blocking index of the same folder in this process
(the time a first answer had to wait before).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from corpus import CORPORA, build, questions_file  # noqa: E402

SAMPLE = 8  # questions asked while vectors fill (every n-th non-follow-up question of the dev corpora's files)


def sample_questions() -> list[dict]:
    questions = [json.loads(line) for name in CORPORA["dev"] for line in questions_file(name).read_text().splitlines()
                 if line]
    singles = [q for q in questions if q["kind"] != "follow-up"]
    return singles[:: max(len(singles) // SAMPLE, 1)][:SAMPLE]


def ask_all(ip, questions: list[dict]) -> tuple[int, list[float], list[int]]:
    found, seconds, waiting = 0, [], []
    for q in questions:
        started = time.perf_counter()
        result = ip.run_line_magic("ask", f"--model extractive {q['question']}")
        seconds.append(time.perf_counter() - started)
        turn = ip.user_ns["docchat_history"][-1]
        waiting.append(turn["vectors_waiting"])
        files = []
        for source in turn["sources"]:
            if source["source"] not in files:
                files.append(source["source"])
        found += any(f in q["files"] for f in files[:5])
        assert result is not None
    return found, seconds, waiting


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", type=Path)
    parser.add_argument("--baseline", action="store_true", help="also time a blocking index (about 12 more minutes)")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="docchat-first-"))
    folder = build(work / "corpus")
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6

    from IPython.core.interactiveshell import InteractiveShell

    ip = InteractiveShell.instance()
    ip.run_line_magic("load_ext", "docchat")
    ip.run_line_magic("config", f"DocChat.store = {str(work / 'store')!r}")
    questions = sample_questions()
    magics = ip.magics_manager.registry["DocChat"]

    started = time.perf_counter()
    ip.run_line_magic("docchat_index", f"{folder} --background --quiet")
    ready = time.perf_counter() - started
    found_early, ask_seconds, waiting = ask_all(ip, questions[:1])
    first_answer = time.perf_counter() - started
    more, seconds, more_waiting = ask_all(ip, questions[1:])
    found_early += more
    ask_seconds += seconds
    waiting += more_waiting
    job = next(index.job for index in magics._indexes.values() if index.job is not None)
    while job.is_alive():
        job.join(60)
        print(f"  {time.perf_counter() - started:6.0f} s: {job.done} of {job.total} vectors")
    complete = time.perf_counter() - started
    index = next(iter(magics._indexes.values()))
    chunks = index.catalog.chunk_count(index.collection)
    assert job.state == "done" and index.vectors_waiting() == 0 and index.vectors().count() == chunks
    found_late, late_seconds, _ = ask_all(ip, questions)

    again_started = time.perf_counter()
    ip.run_line_magic("docchat_index", f"{folder} --wait --quiet")
    again = time.perf_counter() - again_started

    print(f"folder: {size:.1f} MB, {chunks} chunks")
    print(f"keyword search ready (%docchat_index returned): {ready:.1f} s")
    print(f"first answer: {first_answer:.1f} s after starting %docchat_index  (target about 30 s)")
    print(f"answers while vectors were missing ({min(waiting)}-{max(waiting)} chunks without one): "
          f"{found_early}/{len(questions)} found their file in the top 5, {1000 * sum(ask_seconds) / len(ask_seconds):.0f} ms each")
    print(f"all vectors stored: {complete:.1f} s ({job.total / job.seconds:.1f} chunks/s in the background); "
          f"then {found_late}/{len(questions)} found their file, {1000 * sum(late_seconds) / len(late_seconds):.0f} ms each")
    print(f"ratio first answer / all vectors: {first_answer / complete:.3f}")
    print(f"second %docchat_index, nothing changed: {again:.1f} s")
    if args.baseline:
        ip.run_line_magic("config", f"DocChat.store = {str(work / 'baseline-store')!r}")
        started = time.perf_counter()
        ip.run_line_magic("docchat_index", f"{folder} --wait --quiet")
        ask_all(ip, questions[:1])
        blocking = time.perf_counter() - started
        print(f"baseline, blocking index then first answer: {blocking:.1f} s; "
              f"ratio two-pass / blocking: {first_answer / blocking:.3f}")


if __name__ == "__main__":
    main()

"""The questions' ONNX session: one thread (the previous setting) against every core with sleeping threads
(the shipped one), both measured in this run, idle and while the documents' session embeds.

    python bench/query_session.py [--units 20] [--repeats 8]

Prints, for each setting, the median time to embed one question's answer units (the extractive answer's
work) with nothing else running and while a background thread embeds 128 long passages, and how long
that background pass took. Synthetic texts: no store is needed.
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time
from typing import Any

from jupyter_docchat.store import embeddings


def units(n: int, salt: int) -> list[str]:
    return [f"answer unit {i} of question {salt} " * (3 + i % 12) for i in range(n)]


def measure(model: Any, session: Any, n: int, repeats: int) -> dict[str, float]:
    model._query_session = session
    docs = [("word " * 200) + str(i) for i in range(128)]

    def ask_times(offset: int) -> float:
        times = []
        for r in range(repeats):
            started = time.perf_counter()
            model.embed_queries(units(n, offset + r))
            times.append(time.perf_counter() - started)
        return statistics.median(times) * 1000

    idle = ask_times(0)
    fill: list[float] = []

    def background() -> None:
        started = time.perf_counter()
        model.embed_documents(docs)
        fill.append(time.perf_counter() - started)

    worker = threading.Thread(target=background)
    worker.start()
    time.sleep(0.5)  # the documents' session is running when the questions come
    busy = ask_times(1000)
    worker.join()
    return {"idle": idle, "busy": busy, "fill": fill[0]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=8)
    args = parser.parse_args()
    model = embeddings.MiniLMEmbeddings()
    model.embed_documents(["warm up"])
    settings = [("one thread (before)", embeddings._session(1)),
                ("all cores, no spinning (shipped)", embeddings._session(model._threads, spin=False))]
    print(f"{args.units} answer units per question, median of {args.repeats}; background: 128 passages of ~200 words")
    print(f"{'query session':34}{'idle ms':>9}{'during fill ms':>16}{'fill s':>8}")
    for label, session in settings:
        r = measure(model, session, args.units, args.repeats)
        print(f"{label:34}{r['idle']:>9.0f}{r['busy']:>16.0f}{r['fill']:>8.1f}")


if __name__ == "__main__":
    main()

"""How many answer units per run of the questions' ONNX session: the shipped batch size against others,
on the units real questions embed.

    python bench/stores.py                               # once
    python bench/unit_batches.py [--corpora latex sqlite django] [--sizes 16 8 6 5] [--rounds 2]

Per corpus it asks every question through %%ask in extractive mode, keeping the lists of units the
answer embedded, then times embedding each list again on the questions' session with each batch size
(the vector cache is bypassed), in rounds so that drift hits every size alike. Prints the median and
mean milliseconds per question for each size, the shipped one (embeddings.QUERY_BATCH) marked.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import answers  # noqa: E402
from corpus import questions_file  # noqa: E402
from stores import DEFAULT_ROOT, store_of  # noqa: E402

from jupyter_docchat import DocIndex  # noqa: E402
from jupyter_docchat.qa import extractive  # noqa: E402
from jupyter_docchat.store import embeddings  # noqa: E402


def unit_lists(ip: object, corpus: str, root: Path) -> list[list[str]]:
    """The texts the extractive answer embedded, one list per question (the question and its units)."""
    seen: list[list[str]] = []
    real = extractive.vectors

    def spy(texts: list[str], embed: extractive.Embed) -> list[list[float]]:
        if len(texts) > 1:
            seen.append(list(texts))
        return real(texts, embed)

    extractive.vectors = spy  # type: ignore[assignment]
    try:
        answers.run(ip, store_of(root, corpus), answers.load(questions_file(corpus)))
    finally:
        extractive.vectors = real  # type: ignore[assignment]
    return seen


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--corpora", nargs="+", default=["latex", "sqlite", "django"])
    parser.add_argument("--sizes", nargs="+", type=int, default=[16, 8, embeddings.QUERY_BATCH, 5])
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    sizes = list(dict.fromkeys(args.sizes))
    ip = answers.shell()
    for corpus in args.corpora:
        lists = unit_lists(ip, corpus, args.root)
        index = DocIndex(store_of(args.root, corpus))
        model = index.embedder()
        tokens = [len(e.ids) for texts in lists for e in model._tokenizer.encode_batch(texts)]
        print(f"\n## {corpus}: {len(lists)} questions, {statistics.mean(len(t) for t in lists):.1f} units each, "
              f"{statistics.mean(tokens):.0f} tokens per unit on average (longest {max(tokens)})")
        times: dict[int, list[float]] = {size: [] for size in sizes}
        for _ in range(args.rounds):
            for size in sizes:
                for texts in lists:
                    started = time.perf_counter()
                    model._by_length(texts, size, query=True)
                    times[size].append(time.perf_counter() - started)
        for size in sizes:
            mark = "  (shipped)" if size == embeddings.QUERY_BATCH else ""
            print(f"batch {size:3}: median {statistics.median(times[size]) * 1000:6.1f} ms, "
                  f"mean {statistics.mean(times[size]) * 1000:6.1f} ms per question{mark}")
        index.close()


if __name__ == "__main__":
    main()

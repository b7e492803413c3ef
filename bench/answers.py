"""Do offline answers quote what answers the question? Every corpus's questions through %%ask.

    python bench/stores.py                       # once
    python bench/answers.py [--root DIR] [--corpora ...] [--local N [--gguf PATH ...]]

Runs %%ask in a real IPython shell in extractive mode (no model) on each corpus's store, with the
questions of bench/questions/NAME.jsonl (follow-up pairs asked in turn, every other question with an
empty history), and on the quickstart's example folder. Per corpus it prints:
  answered  share of answers of at most 1,200 characters holding every answer keyword;
  ceiling   share whose sources hold every keyword (retrieval's part: no extract can beat it);
  ratio     answered / ceiling (the target is 0.85);
  p50 ms    time per ask (the target is 150 ms);
and the same for the previous extractive answer (sentences of six words or more, scored by shared
words) on the same sources in the same run, as the baseline. --set NAME=VALUE tries a lever (a
constant of jupyter_docchat/qa/extractive.py, answer_units.py or sections.py) against the shipped figures of another run. --local N also asks the first N
questions of each corpus extractively, with --model local (SmolLM2) and with each --gguf PATH, without a target; beside
answered / ceiling / p50 it gives "written": the share of answers the model wrote (the rest were set aside
for the extractive answer because they looped or cited no source).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import baseline_extractive  # noqa: E402
from corpus import DEVELOPMENT, HELD_OUT, questions_file  # noqa: E402
from stores import DEFAULT_ROOT, store_of  # noqa: E402

from jupyter_docchat.qa import answer_units, extractive, sections  # noqa: E402
from jupyter_docchat.types import Hit  # noqa: E402

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "documents"
MAX_CHARS = 1200


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def shell() -> object:
    from IPython.core.interactiveshell import InteractiveShell

    ip = InteractiveShell.instance()
    ip.run_line_magic("load_ext", "docchat")
    ip.run_line_magic("config", "DocChat.model = 'extractive'")
    ip.run_line_magic("config", "DocChat.progress = False")
    return ip


def holds(text: str, keywords: list[str]) -> bool:
    return all(k.lower() in text.lower() for k in keywords)


def answer_body(answer: str) -> str:
    """The answer without its closing notice (which names no fact)."""
    return answer.split("\n\n*Extractive answer", 1)[0]


def run(ip: object, store: Path, questions: list[dict], model: str = "extractive") -> dict:
    ip.run_line_magic("config", f"DocChat.store = {str(store)!r}")
    ip.run_line_magic("config", f"DocChat.model = {model!r}")
    history = ip.user_ns["docchat_history"]
    answered = ceiling = baseline = written = 0
    times: list[float] = []
    misses: list[str] = []
    for q in questions:
        if not (q.get("pair") and q["id"].endswith("b")):
            history.clear()
        started = time.perf_counter()
        result = ip.run_cell(f"%%ask --no-stream\n{q['question']}", silent=True)
        times.append(time.perf_counter() - started)
        if result.error_in_exec:
            raise result.error_in_exec
        turn = history[-1]
        written += turn["model"] != "extractive"
        body = answer_body(turn["answer"])
        sources = " ".join(s["text"] for s in turn["sources"])
        hit = len(body) <= MAX_CHARS and holds(body, q["keywords"])
        answered += hit
        ceiling += holds(sources, q["keywords"])
        if not hit and holds(sources, q["keywords"]):
            misses.append(q["id"])
        hits = [Hit(id=str(s["n"]), text=s["text"], source=s["source"], heading=s.get("heading", "")) for s in turn["sources"]]
        old = baseline_extractive.extractive_answer(q["question"], hits, context=turn["standalone"])
        baseline += len(old) <= MAX_CHARS + 400 and holds(old.split("\n\n*For written", 1)[0], q["keywords"])
    n = len(questions)
    return {"n": n, "answered": answered / n, "ceiling": ceiling / n, "baseline": baseline / n,
            "p50": statistics.median(times) * 1000, "misses": misses, "written": written / n}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--corpora", nargs="+", default=["quickstart", *DEVELOPMENT, *HELD_OUT])
    parser.add_argument("--local", type=int, default=0, help="also ask the first N questions with --model local")
    parser.add_argument("--gguf", action="append", default=[], metavar="PATH",
                        help="with --local N, another local model to ask them with (gguf:PATH)")
    parser.add_argument("--sections", action="store_true",
                        help="ask bench/questions/sections/NAME.jsonl instead: questions about a whole short "
                             "section, each answer keyword from another part of it")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="try a lever: a constant of jupyter_docchat.qa.extractive, e.g. SUPPORT_SHARE=0.65, "
                             "or of answer_units or sections, e.g. answer_units.TITLE_LINES=False, sections.SECTION_CHARS=0")
    args = parser.parse_args()
    for assignment in args.set:
        name, _, value = assignment.partition("=")
        prefix, _, short = name.rpartition(".")
        module = {"answer_units": answer_units, "sections": sections}.get(prefix, extractive)
        name = short
        if not hasattr(module, name):
            parser.error(f"{module.__name__} has no {name}")
        kind = type(getattr(module, name)) if getattr(module, name) is not None else int
        parsed = None if value == "None" else value == "True" if kind is bool else kind(value)
        setattr(module, name, parsed)
        print(f"lever: {module.__name__}.{name} = {getattr(module, name)!r}")
    ip = shell()
    work = Path(tempfile.mkdtemp(prefix="docchat-answers-"))
    rows = {}
    try:
        for corpus in args.corpora:
            if args.sections and not (questions_file(corpus).parent / "sections" / f"{corpus}.jsonl").exists():
                continue
            if corpus == "quickstart":
                store = work / "quickstart"
                ip.run_line_magic("docchat_index", f"{EXAMPLES} --store {store} --quiet")
            else:
                store = store_of(args.root, corpus)
            path = questions_file(corpus)
            questions = load(path.parent / "sections" / path.name if args.sections else path)
            rows[corpus] = run(ip, store, questions)
            for model in (["extractive", "local", *(f"gguf:{p}" for p in args.gguf)] if args.local else []):
                rows[corpus].setdefault("local", {})[model] = run(ip, store, questions[: args.local], model=model)
            r = rows[corpus]
            print(f"{corpus}: answered {r['answered']:.3f}, ceiling {r['ceiling']:.3f}, baseline {r['baseline']:.3f}, "
                  f"p50 {r['p50']:.0f} ms; missed with the fact in the sources: {', '.join(r['misses']) or 'none'}",
                  flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\n{'corpus':12}{'n':>4}{'answered':>10}{'ceiling':>9}{'ratio':>7}{'baseline':>10}{'base ratio':>11}{'p50 ms':>8}"
          + ("   then per local model: answered / ceiling / written / p50 ms" if args.local else ""))
    for corpus, r in rows.items():
        ratio = r["answered"] / r["ceiling"] if r["ceiling"] else float("nan")
        base = r["baseline"] / r["ceiling"] if r["ceiling"] else float("nan")
        extra = "".join(f"   {model}: {m['answered']:.3f} / {m['ceiling']:.3f} / {m['written']:.3f} / {m['p50']:.0f}"
                        for model, m in r.get("local", {}).items())
        print(f"{corpus + (' (held out)' if corpus in HELD_OUT else ''):12}{r['n']:>4}{r['answered']:>10.3f}"
              f"{r['ceiling']:>9.3f}{ratio:>7.2f}{r['baseline']:>10.3f}{base:>11.2f}{r['p50']:>8.0f}{extra}")


if __name__ == "__main__":
    main()

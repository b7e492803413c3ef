"""Do offline answers quote what answers the question? Every corpus's questions through %%ask.

    python bench/answers.py [--half test|tune|all] [--vs REV|none] [--corpora ...] [--local N [--gguf PATH ...]]
                            [--root DIR]

Runs %%ask in a real IPython shell in extractive mode (no model) on each corpus's store (built on demand
for this version's store format, bench/stores.py), with the questions of bench/questions/NAME.jsonl in
the chosen half (bench/halves.py; follow-up pairs asked in turn, every other question with an empty
history), and on the quickstart's example folder. Per corpus it prints:
  answered  share of answers of at most 1,200 characters holding every answer keyword;
  ceiling   share whose sources hold every keyword (retrieval's part: no extract can beat it);
  ratio     answered / ceiling (issue 24's rule: at least 0.80 on every corpus);
  p50 ms    time per ask;
and the previous extractive answer (sentences of six words or more, scored by shared words) on the same
sources in the same run, as the baseline. Beside each figure, in parentheses, the same figure of
another commit (--vs, default the parent commit: bench/vs.py) from the same run. Then issue 24's two
rules as lines (not pass/fail): answers >= 0.80 x ceiling, and the hybrid search's R@1 and R@5 at least
max(dense, lexical) - 0.02 on the same questions.

--set NAME=VALUE tries a lever (a field of jupyter_docchat/qa/answer_levers.py's AnswerLevers: the
shell's %%ask answers with dataclasses.replace(SHIPPED, NAME=VALUE)); a lever is chosen on the tuning half, so --set makes --half default to tune, and --vs
default to HEAD (the same code without the lever). --local N also asks the first N questions of the
half of each corpus extractively, with --model local (SmolLM2) and with each --gguf PATH, without a
target; beside answered / ceiling / p50 it gives "written": the share of answers the model wrote (the
rest were set aside for the extractive answer because they looped or cited no source).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import baseline_extractive  # noqa: E402
import halves  # noqa: E402
import retrieval  # noqa: E402
import vs  # noqa: E402
from corpus import questions_file  # noqa: E402
from stores import DEFAULT_ROOT, bench_corpora, ready_store  # noqa: E402

from jupyter_docchat import DocIndex  # noqa: E402
try:
    from jupyter_docchat.qa.answer_levers import SHIPPED, AnswerLevers  # noqa: E402
except ImportError:  # another commit's package (--vs), from before the levers were one record
    SHIPPED = AnswerLevers = None  # type: ignore[assignment,misc]
from jupyter_docchat.types import Hit  # noqa: E402

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "documents"
MAX_CHARS = 1200
RATIO_RULE = 0.80  # issue 24: answers >= 0.80 x the ceiling on every corpus
RULE_MODES = [("dense", "dense", None), ("lexical", "lexical", None), ("shipped", "hybrid", None)]


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def shell(levers: AnswerLevers | None = None) -> object:
    from IPython.core.interactiveshell import InteractiveShell

    ip = InteractiveShell.instance()
    ip.run_line_magic("load_ext", "docchat")
    if levers is not None and levers != SHIPPED:
        ip.magics_manager.registry["DocChat"].answer_levers = levers
    ip.run_line_magic("config", "DocChat.model = 'extractive'")
    ip.run_line_magic("config", "DocChat.progress = False")
    return ip


def holds(text: str, keywords: list[str]) -> bool:
    return all(k.lower() in text.lower() for k in keywords)


def answer_body(answer: str) -> str:
    """The answer without its closing notice (which names no fact)."""
    return answer.split("\n\n*Extractive answer", 1)[0]


def run(ip: object, store: Path, questions: list[dict], model: str = "extractive") -> dict[str, dict]:
    """What each question scored, by id: answered, ceiling, baseline, written (booleans) and ms."""
    ip.run_line_magic("config", f"DocChat.store = {str(store)!r}")
    ip.run_line_magic("config", f"DocChat.model = {model!r}")
    history = ip.user_ns["docchat_history"]
    out = {}
    for q in questions:
        if not (q.get("pair") and q["id"].endswith("b")):
            history.clear()
        started = time.perf_counter()
        result = ip.run_cell(f"%%ask --no-stream\n{q['question']}", silent=True)
        ms = (time.perf_counter() - started) * 1000
        if result.error_in_exec:
            raise result.error_in_exec
        turn = history[-1]
        body = answer_body(turn["answer"])
        sources = " ".join(s["text"] for s in turn["sources"])
        hits = [Hit(id=str(s["n"]), text=s["text"], source=s["source"], heading=s.get("heading", "")) for s in turn["sources"]]
        old = baseline_extractive.extractive_answer(q["question"], hits, context=turn["standalone"])
        out[q["id"]] = {"answered": len(body) <= MAX_CHARS and holds(body, q["keywords"]),
                        "ceiling": holds(sources, q["keywords"]), "ms": ms,
                        "written": turn.get("model", model) != "extractive",
                        "baseline": len(old) <= MAX_CHARS + 400 and holds(old.split("\n\n*For written", 1)[0], q["keywords"])}
    return out


def rule_records(store: Path, questions: list[dict]) -> dict[str, dict]:
    """R@1 / R@5 / RR of dense, lexical and hybrid search on the same questions, for the fusion rule."""
    index = DocIndex(store)
    try:
        return retrieval.records(index, questions, retrieval.queries_for(questions), RULE_MODES, timed=False)
    finally:
        index.close()


def summary(records: dict[str, dict], questions: list[dict]) -> dict:
    rows = [records[q["id"]] for q in questions]
    n = len(rows)
    share = {key: sum(r.get(key, False) for r in rows) / n for key in ("answered", "ceiling", "baseline", "written")}
    return {"n": n, **share, "p50": statistics.median(r["ms"] for r in rows),
            "ratio": share["answered"] / share["ceiling"] if share["ceiling"] else float("nan"),
            "base ratio": share["baseline"] / share["ceiling"] if share["ceiling"] else float("nan"),
            "misses": [q["id"] for q, r in zip(questions, rows) if r["ceiling"] and not r["answered"]]}


def measure(ip: object, store: Path, questions: list[dict]) -> dict:
    # The searches first, as bench/retrieval.py makes them in a fresh process: its rule lines and these agree.
    return {"retrieval": rule_records(store, questions), "answers": run(ip, store, questions)}


def store_for(ip: object, corpus: str, root: Path, work: Path) -> Path:
    if corpus != "quickstart":
        return ready_store(root, corpus)
    store = work / "quickstart"
    ip.run_line_magic("docchat_index", f"{EXAMPLES} --store {store} --quiet")
    return store


def emit_run(args: argparse.Namespace, paths: dict[str, Path], half: str) -> None:
    """A child run (bench/vs.py): ask each corpus's questions and write what each scored."""
    ip = shell(args.levers)
    work = Path(tempfile.mkdtemp(prefix="docchat-answers-"))
    try:
        emitted = {corpus: measure(ip, store_for(ip, corpus, args.root, work), halves.select(load(path), path, half))
                   for corpus, path in paths.items()}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    vs.emit(args.emit, emitted)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--corpora", nargs="+", default=["quickstart", *bench_corpora()])
    parser.add_argument("--half", choices=halves.CHOICES, default=None,
                        help="the questions asked: the test half (default), the tuning half (default with --set), or all")
    parser.add_argument("--local", type=int, default=0, help="also ask the first N questions with --model local")
    parser.add_argument("--gguf", action="append", default=[], metavar="PATH",
                        help="with --local N, another local model to ask them with (gguf:PATH)")
    parser.add_argument("--sections", action="store_true",
                        help="ask bench/questions/sections/NAME.jsonl instead: questions about a whole short "
                             "section, each answer keyword from another part of it")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="try a lever: a field of AnswerLevers (jupyter_docchat/qa/answer_levers.py), "
                             "e.g. support_share=0.65 or section_chars=0")
    vs.add_arguments(parser)
    args = parser.parse_args()
    half = args.half or ("all" if args.emit else "tune" if args.set else "test")
    args.levers = levers_of(parser, args.set)
    if args.set and not args.emit:
        print(f"levers: {args.levers}")
    paths = {corpus: questions_file(corpus) for corpus in args.corpora}
    if args.sections:
        paths = {corpus: path.parent / "sections" / path.name for corpus, path in paths.items()}
    paths = {corpus: path for corpus, path in paths.items() if path.exists()}
    if args.emit:
        emit_run(args, paths, half)
        return
    if args.set and half == "test":
        print("note: levers are chosen on the tuning half; this run shows the test half")
    # A lever is weighed against the same code without it: HEAD, unless --vs says otherwise.
    other = vs.open_other(args.vs or ("HEAD" if args.set else None), False)
    sections_arg = ["--sections"] if args.sections else []
    # Every question, as REV's child asks them: a process's searches depend slightly on what it embedded before.
    mine_args = [*sections_arg, *(f"--set={a}" for a in args.set)]
    rows, old_rows = {}, {}
    try:
        for corpus, path in paths.items():
            questions = halves.select(load(path), path, half)
            mine = vs.here("answers.py", corpus, args.root, mine_args)["corpora"][corpus]
            rows[corpus] = {**summary(mine["answers"], questions), "rule": mine["retrieval"],
                            "ids": [q["id"] for q in questions]}
            if other:
                theirs = vs.results(other, "answers.py", corpus, path, args.root, sections_arg)["corpora"][corpus]
                old_rows[corpus] = {**summary(theirs["answers"], questions), "rule": theirs["retrieval"]}
            r = rows[corpus]
            print(f"{corpus}: answered {r['answered']:.3f}, ceiling {r['ceiling']:.3f}, baseline {r['baseline']:.3f}, "
                  f"p50 {r['p50']:.0f} ms; missed with the fact in the sources: {', '.join(r['misses']) or 'none'}",
                  flush=True)
        if args.local:
            ask_locally(args, paths, half, rows)
    finally:
        if other:
            other.close()
    print_table(rows, old_rows, half, other, args.local)
    print_rules(rows, old_rows, half, other)


def levers_of(parser: argparse.ArgumentParser, assignments: list[str]) -> AnswerLevers | None:
    """The shipped levers with each NAME=VALUE of --set replaced, the value read as the field's type."""
    if not assignments:
        return None
    kinds = {f.name: type(getattr(SHIPPED, f.name)) for f in dataclasses.fields(AnswerLevers)}
    changes: dict[str, object] = {}
    for assignment in assignments:
        name, _, value = assignment.partition("=")
        if name not in kinds:
            parser.error(f"AnswerLevers has no {name} (it has {', '.join(kinds)})")
        kind = kinds[name]
        changes[name] = value.lower() in ("1", "true", "yes") if kind is bool else kind(value)
    return dataclasses.replace(SHIPPED, **changes)


def spec_levers(parser: argparse.ArgumentParser, spec: str) -> AnswerLevers:
    """The levers of a sweep's variant, NAME=VALUE pairs separated by commas (levers_of each); "" the shipped ones."""
    return levers_of(parser, [pair for pair in spec.split(",") if pair]) or SHIPPED


def ask_locally(args: argparse.Namespace, paths: dict[str, Path], half: str, rows: dict) -> None:
    """The first N questions of each corpus extractively and with each local model, in this process."""
    ip = shell(args.levers)
    work = Path(tempfile.mkdtemp(prefix="docchat-answers-"))
    try:
        for corpus, path in paths.items():
            questions = halves.select(load(path), path, half)[: args.local]
            store = store_for(ip, corpus, args.root, work)
            for model in ["extractive", "local", *(f"gguf:{p}" for p in args.gguf)]:
                rows[corpus].setdefault("local", {})[model] = summary(run(ip, store, questions, model=model), questions)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _beside(value: float, old: dict | None, key: str, form: str = ".3f") -> str:
    mine = format(value, form)
    return f"{mine} ({format(old[key], form)})" if old else mine


def print_table(rows: dict, old_rows: dict, half: str, other: vs.Other | None, local: int) -> None:
    vs_note = f"; in parentheses {other.label}'s, run now" if other else ""
    cached = f" (or cached: {', '.join(sorted(other.cached))})" if other and other.cached else ""
    print(f"\n## Offline answers, {halves.label(half)}{vs_note}{cached}")
    print(f"{'corpus':12}{'n':>4}{'answered':>16}{'ceiling':>16}{'ratio':>14}{'baseline ratio':>16}{'p50 ms':>12}"
          + ("   then per model, first N: answered / ceiling / written / p50 ms" if local else ""))
    for corpus, r in rows.items():
        old = old_rows.get(corpus)
        extra = "".join(f"   {model}: {m['answered']:.3f} / {m['ceiling']:.3f} / {m['written']:.3f} / {m['p50']:.0f}"
                        for model, m in r.get("local", {}).items())
        print(f"{corpus:12}{r['n']:>4}{_beside(r['answered'], old, 'answered'):>16}"
              f"{_beside(r['ceiling'], old, 'ceiling'):>16}{_beside(r['ratio'], old, 'ratio', '.2f'):>14}"
              f"{_beside(r['base ratio'], old, 'base ratio', '.2f'):>16}{_beside(r['p50'], old, 'p50', '.0f'):>12}{extra}")


def print_rules(rows: dict, old_rows: dict, half: str, other: vs.Other | None) -> None:
    """Issue 24's rules, as lines to read (a bench is not a test)."""
    print(f"\n## Issue 24's rules, {halves.label(half)}" + (f" ({other.label}'s verdict in parentheses)" if other else ""))

    def verdict(ok: bool) -> str:
        return "holds" if ok else "FAILS"

    for corpus, r in rows.items():
        old = old_rows.get(corpus)
        mine = verdict(r["ratio"] >= RATIO_RULE)
        print(f"answers >= {RATIO_RULE:.2f} x ceiling, {corpus}: ratio {_beside(r['ratio'], old, 'ratio', '.2f')}: {mine}"
              + (f" ({verdict(old['ratio'] >= RATIO_RULE)})" if old else ""))
    for corpus, r in rows.items():
        old = old_rows.get(corpus)
        print(retrieval.rule_line(corpus, r["rule"], old["rule"] if old else None, r["ids"]))


if __name__ == "__main__":
    main()

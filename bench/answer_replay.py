"""Answer levers replayed on what ``%%ask`` handed the offline answer: one search per question, many variants.

    python bench/answer_replay.py [--half tune|test|all] [--corpora ...] [--set 'NAME=VALUE[,NAME=VALUE]' ...]
                                  [--misses] [--show ID ...] [--save FILE | --load FILE]

Each question of the half is asked once through ``%%ask`` in extractive mode (bench/answers.py's shell, follow-up
pairs in turn), and the arguments ``Conversation`` passes ``extractive_answer`` (the question, its sources, the
standalone question it continues, the session's embedder) are recorded. Each variant (``dataclasses.replace`` of
``answer_levers.SHIPPED``, as ``bench/answers.py --set`` makes one) is then answered again on those arguments in the
same process: the search, the slow part, is not repeated, and every variant reads the same sources. The shipped
levers are replayed first; a replayed answer that differs from the one ``%%ask`` gave is reported (it would mean
the replay is not what the bench measures). Per variant: answered / ceiling per corpus and the questions won and lost
against the shipped levers. ``--misses`` dumps each question whose sources hold its keywords and whose answer does
not: the answer, the ten best units with their scores, the units holding a keyword and the sources. ``--show ID``
prints each variant's answer to those questions.

``--save FILE`` keeps what was recorded (a pickle of the questions, the answers %%ask gave and the extractor's arguments;
the session's embedder as the name of the store's embeddings); ``--load FILE`` replays it without asking again (a sweep of
levers on the nine tuning halves: about 20 s of CPU, against 3 minutes to record). A file made by another version of the
package is only as good as its sources: the first (shipped) replay says where its answers differ.

A figure to report is bench/answers.py's (its children, its --vs commit); this script is for choosing what to run
there. Levers are chosen on the tuning half.
"""

from __future__ import annotations

import argparse
import pickle
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import answers  # noqa: E402
import halves  # noqa: E402
from corpus import questions_file  # noqa: E402
from stores import DEFAULT_ROOT, bench_corpora  # noqa: E402

import jupyter_docchat.qa.conversation as conversation  # noqa: E402
from jupyter_docchat.qa import extractive  # noqa: E402
from jupyter_docchat.qa.answer_levers import SHIPPED, AnswerLevers  # noqa: E402


@dataclass
class Asked:
    """One question as %%ask answered it, and what its extractive answer was made from (None: a section's overview)."""
    corpus: str
    question: dict
    body: str
    ceiling: bool
    call: tuple | None


def answered(body: str, keywords: list[str]) -> bool:
    return len(body) <= answers.MAX_CHARS and answers.holds(body, keywords)


def record(corpora: list[str], half: str, root: Path) -> list[Asked]:
    """Ask every question once, keeping what each extractive answer was made from."""
    calls: list[tuple] = []
    original = conversation.extractive_answer

    def recording(question, hits, why="", context="", embed=None, levers=SHIPPED):  # type: ignore[no-untyped-def]
        calls.append((question, hits, why, context, embed))
        return original(question, hits, why, context=context, embed=embed, levers=levers)

    conversation.extractive_answer = recording
    ip = answers.shell()
    work = Path(tempfile.mkdtemp(prefix="docchat-replay-"))
    asked = []
    try:
        for corpus in corpora:
            path = questions_file(corpus)
            store = answers.store_for(ip, corpus, root, work)
            ip.run_line_magic("config", f"DocChat.store = {str(store)!r}")
            history = ip.user_ns["docchat_history"]
            for q in halves.select(answers.load(path), path, half):
                if not (q.get("pair") and q["id"].endswith("b")):
                    history.clear()
                calls.clear()
                result = ip.run_cell(f"%%ask --no-stream\n{q['question']}", silent=True)
                if result.error_in_exec:
                    raise result.error_in_exec
                turn = history[-1]
                sources = " ".join(s["text"] for s in turn["sources"])
                asked.append(Asked(corpus, q, answers.answer_body(turn["answer"]), answers.holds(sources, q["keywords"]),
                                   calls[-1] if calls else None))
    finally:
        conversation.extractive_answer = original
    return asked


def save(asked: list[Asked], path: Path) -> None:
    """What was recorded, the embedder as its name (a session does not pickle)."""
    owners = {getattr(getattr(a.call[4], "__self__", None), "name", None) for a in asked if a.call and a.call[4]}
    if len(owners) > 1 or None in owners:
        raise SystemExit(f"--save: the answers were embedded by {owners}, not one named embedder")
    embeddings = owners.pop() if owners else None
    # plain tuples: the script runs as __main__, and a pickled Asked would name a class no other process has
    rows = [(a.corpus, a.question, a.body, a.ceiling, None if a.call is None else (*a.call[:4], a.call[4] is not None))
            for a in asked]
    path.write_bytes(pickle.dumps({"embeddings": embeddings, "asked": rows}))


def load(path: Path) -> list[Asked]:
    """``save``'s records, each with the embeddings it was recorded with, made again."""
    from jupyter_docchat.store.embeddings import make_embeddings

    data = pickle.loads(path.read_bytes())  # a file this script wrote: not for files from elsewhere
    embedder = make_embeddings(data["embeddings"])
    embed = getattr(embedder, "embed_queries", None) or embedder.embed_documents
    return [Asked(corpus, question, body, ceiling, None if call is None else (*call[:4], embed if call[4] else None))
            for corpus, question, body, ceiling, call in data["asked"]]


def replayed(a: Asked, levers: AnswerLevers) -> str:
    if a.call is None:
        return a.body
    question, hits, why, context, embed = a.call
    return answers.answer_body(extractive.extractive_answer(question, hits, why, context=context, embed=embed,
                                                            levers=levers))


def dump_miss(a: Asked) -> None:
    q = a.question
    print("=" * 100)
    print(f"{a.corpus} {q['id']}: {q['question']} | keywords: {q['keywords']}")
    print("--- answer:\n" + a.body)
    if a.call is None:
        return
    question, hits, _, context, embed = a.call
    ranked = extractive.rank_units(question, hits, context, embed)

    def line(c: extractive.Candidate) -> str:
        return (f"{c.score:.3f} (words {c.lexical:.3f}, meaning {c.meaning:.3f}, bonus {c.bonus:+.3f}) "
                f"[{c.source}.{c.position} {c.unit.kind}] {c.unit.text[:200]!r}")

    print("--- the ten best units:")
    for c in ranked[:10]:
        print("  " + line(c))
    print("--- units holding a keyword:")
    for rank, c in enumerate(ranked):
        held = [k for k in q["keywords"] if k.lower() in c.unit.quoted.lower()]
        if held:
            print(f"  #{rank} {held} " + line(c) + (f" intro {c.unit.intro[:60]!r}" if c.unit.intro else ""))
    print("--- sources:")
    for n, hit in enumerate(hits, 1):
        print(f"  [{n}] {hit.source} | {hit.heading[:100]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--half", choices=halves.CHOICES, default="tune")
    parser.add_argument("--corpora", nargs="+", default=["quickstart", *bench_corpora()])
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--set", action="append", default=[], dest="variants", metavar="NAME=VALUE[,NAME=VALUE]")
    parser.add_argument("--misses", action="store_true", help="dump the shipped levers' misses with the fact in the sources")
    parser.add_argument("--show", nargs="*", default=[], metavar="ID", help="print each variant's answer to these questions")
    parser.add_argument("--save", type=Path, help="keep what was recorded in this file")
    parser.add_argument("--load", type=Path, help="replay what --save kept instead of asking again")
    args = parser.parse_args()
    asked = load(args.load) if args.load else record(args.corpora, args.half, args.root)
    if args.save:
        save(asked, args.save)
    shipped = {(a.corpus, a.question["id"]): answered(a.body, a.question["keywords"]) for a in asked}
    for spec in ["", *args.variants]:
        levers = answers.spec_levers(parser, spec)
        counts: dict[str, list[int]] = {}
        won, lost = [], []
        for a in asked:
            key = (a.corpus, a.question["id"])
            body = replayed(a, levers)
            ok = answered(body, a.question["keywords"])
            if not spec and body != a.body:
                print(f"replay differs from %%ask: {a.corpus} {key[1]}")
            if spec and key[1] in args.show:
                print(f"--- {a.corpus} {key[1]} with {spec}:\n{body}\n")
            count = counts.setdefault(a.corpus, [0, 0])
            count[0] += ok
            count[1] += a.ceiling
            won += [f"{a.corpus} {key[1]}"] if ok and not shipped[key] else []
            lost += [f"{a.corpus} {key[1]}"] if shipped[key] and not ok else []
        total = sum(n for n, _ in counts.values())
        print(f"{spec or 'shipped':44} {total:4} | " + "  ".join(f"{c} {n}/{m}" for c, (n, m) in counts.items()), flush=True)
        if spec:
            print(f"    won {', '.join(won) or 'none'}; lost {', '.join(lost) or 'none'}", flush=True)
    if args.misses:
        for a in asked:
            if a.ceiling and not shipped[(a.corpus, a.question["id"])]:
                dump_miss(a)


if __name__ == "__main__":
    main()

"""Several answer levers on one half in one shell: answered / ceiling per corpus for each variant, and the
questions each won or lost against the shipped levers.

    python bench/answer_sweep.py [--half tune|test|all] [--corpora ...] --set 'NAME=VALUE[,NAME=VALUE]' [--set ...]

Each variant is ``dataclasses.replace`` of ``answer_levers.SHIPPED`` (as ``bench/answers.py --set`` makes one),
asked through ``%%ask`` in extractive mode with bench/answers.py's ``run``; the shipped levers first. Faster
than one ``answers.py --set`` run per variant (one shell, one store per corpus, no second commit), for
choosing which variants to run through ``answers.py`` on the tuning half. Levers are chosen on the tuning half.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import answers  # noqa: E402
import halves  # noqa: E402
from corpus import questions_file  # noqa: E402
from stores import DEFAULT_ROOT, bench_corpora, ready_store  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", action="append", default=[], dest="variants", metavar="NAME=VALUE[,NAME=VALUE]",
                        help="a variant: fields of AnswerLevers (jupyter_docchat/qa/answer_levers.py); repeat for more")
    parser.add_argument("--half", choices=halves.CHOICES, default="tune")
    parser.add_argument("--corpora", nargs="+", default=bench_corpora(), choices=bench_corpora())
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    args = parser.parse_args()
    ip = answers.shell()
    magics = ip.magics_manager.registry["DocChat"]
    sets = {}
    for corpus in args.corpora:
        path = questions_file(corpus)
        sets[corpus] = (ready_store(args.root, corpus), halves.select(answers.load(path), path, args.half))
    base: dict[str, set[str]] = {}
    for spec in ["", *args.variants]:
        magics.answer_levers = answers.spec_levers(parser, spec)
        row, won_lost, answered, ceiling = [], [], 0, 0
        held: dict[str, set[str]] = {}
        for corpus, (store, questions) in sets.items():
            scored = answers.run(ip, store, questions)
            held[corpus] = {q for q, r in scored.items() if r["answered"]}
            a, c = len(held[corpus]), sum(r["ceiling"] for r in scored.values())
            answered, ceiling = answered + a, ceiling + c
            row.append(f"{corpus} {a}/{c}")
            if spec and (held[corpus] != base[corpus]):
                won_lost.append(f"{corpus}: won {sorted(held[corpus] - base[corpus])}, lost {sorted(base[corpus] - held[corpus])}")
        if not spec:
            base = held
        print(f"{spec or 'shipped':40} {answered}/{ceiling} | " + "  ".join(row), flush=True)
        for line in won_lost:
            print("    " + line, flush=True)


if __name__ == "__main__":
    main()

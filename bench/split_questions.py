"""Split every question set of bench/questions/ into a tuning half and a test half, once.

    python bench/split_questions.py [--check]

Levers are chosen on the tuning halves; the figures reported are the test halves' (bench/halves.py
reads the split). The split is kept in bench/questions/split.json and never redone: a run gives a
half only to the questions that have none yet (a new set, or questions added to a set), so the
halves of the questions already split stay where they are. ``--check`` changes nothing and exits 1
when a question has no half.

How a batch of new questions is split: a follow-up pair (questions sharing ``pair``) is one unit and
goes to one half whole. Units are grouped by kind and shuffled with a generator seeded by the recorded
seed, the set's name and the batch's ids; in each group those naming an identifier (``ident``) come
first. Each unit goes to the half with fewer questions of its group so far (then, for a unit naming
an identifier, fewer such questions; then fewer questions in all; then at random). Both halves get
about as many questions of each kind and as many naming identifiers, and a rerun gives the same split.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

QUESTIONS = Path(__file__).resolve().parent / "questions"
SPLIT_FILE = QUESTIONS / "split.json"
HALVES = ("tune", "test")
SEED = 20261124  # drawn once, when the first sets were split; recorded so anyone can redo the split


def set_name(path: Path, questions_dir: Path = QUESTIONS) -> str:
    """``sqlite`` for questions/sqlite.jsonl, ``sections/sqlite`` for questions/sections/sqlite.jsonl."""
    return path.relative_to(questions_dir).with_suffix("").as_posix()


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def question_sets(questions_dir: Path = QUESTIONS) -> dict[str, list[dict]]:
    # bench/questions/holdout/ is held out whole: no halves (halves.py asks every question of it as a test).
    return {set_name(p, questions_dir): load(p) for p in sorted(questions_dir.rglob("*.jsonl"))
            if p.relative_to(questions_dir).parts[0] != "holdout"}


def units(questions: list[dict]) -> list[list[dict]]:
    """Questions that must share a half: each follow-up pair together, every other question alone."""
    pairs: dict[str, list[dict]] = {}
    out: list[list[dict]] = []
    for q in questions:
        if q.get("pair"):
            if q["pair"] not in pairs:
                pairs[q["pair"]] = []
                out.append(pairs[q["pair"]])
            pairs[q["pair"]].append(q)
        else:
            out.append([q])
    return out


def stratum(unit: list[dict]) -> str:
    return unit[0]["kind"]


def names_identifier(unit: list[dict]) -> bool:
    return any(q.get("ident") for q in unit)


def split_new(name: str, questions: list[dict], halves: dict[str, str], seed: int = SEED) -> dict[str, str]:
    """Halves for the questions of one set that have none in ``halves`` (question id -> half); the others keep theirs."""
    new = [u for u in units(questions) if not any(q["id"] in halves for q in u)]
    if not new:
        return {}
    by_id = {q["id"]: q for q in questions}
    total = Counter(halves[i] for i in halves if i in by_id)
    per_stratum = Counter((stratum([by_id[i]]), halves[i]) for i in halves if i in by_id)
    idents = Counter(halves[i] for i in halves if i in by_id and by_id[i].get("ident"))
    batch = ",".join(sorted(q["id"] for u in new for q in u))
    rng = random.Random(f"{seed}/{name}/{batch}")
    assigned: dict[str, str] = {}
    for group in sorted({stratum(u) for u in new}):
        members = [u for u in new if stratum(u) == group]
        rng.shuffle(members)
        members.sort(key=lambda u: not names_identifier(u))  # those naming one alternate first: both halves get some
        for unit in members:
            # Ties go to the half with fewer questions naming an identifier (for such a unit), then fewer in all.
            half = min(HALVES, key=lambda h: (per_stratum[group, h], idents[h] if names_identifier(unit) else 0,
                                              total[h], rng.random()))
            for q in unit:
                assigned[q["id"]] = half
            per_stratum[group, half] += len(unit)
            total[half] += len(unit)
            idents[half] += sum(1 for q in unit if q.get("ident"))
    return assigned


def read_split(path: Path = SPLIT_FILE) -> dict:
    if path.exists():
        return json.loads(path.read_text())
    return {"seed": SEED, "sets": {}}


def write_split(split: dict, path: Path = SPLIT_FILE) -> None:
    split["about"] = ("Which half each question of bench/questions/ is in: tune (levers are chosen on it) or test "
                      "(figures are reported on it). Written by bench/split_questions.py; never edit a half by hand.")
    path.write_text(json.dumps(split, indent=1, sort_keys=True) + "\n")


def update(split: dict, sets: dict[str, list[dict]]) -> dict[str, dict[str, str]]:
    """Give a half to every question without one, in place; returns what was added, set by set."""
    added: dict[str, dict[str, str]] = {}
    for name, questions in sets.items():
        ids = [q["id"] for q in questions]
        if len(set(ids)) != len(ids):
            dup = sorted(i for i, n in Counter(ids).items() if n > 1)
            raise SystemExit(f"{name}: question ids must be unique within a set ({', '.join(dup)})")
        halves = split["sets"].setdefault(name, {})
        new = split_new(name, questions, halves, split["seed"])
        halves.update(new)
        if new:
            added[name] = new
    return added


def split_pairs_apart(split: dict, sets: dict[str, list[dict]]) -> list[str]:
    """Pairs whose questions are in different halves (only a hand edit can do that)."""
    bad = []
    for name, questions in sets.items():
        halves = split["sets"].get(name, {})
        for unit in units(questions):
            if len({halves.get(q["id"]) for q in unit}) > 1:
                bad.append(f"{name}/{unit[0]['pair']}")
    return bad


def report(split: dict, sets: dict[str, list[dict]]) -> None:
    print(f"{'set':22}{'tune':>6}{'test':>6}   by kind (tune/test), ident (tune/test)")
    for name, questions in sets.items():
        halves = split["sets"].get(name, {})
        count = Counter(halves.get(q["id"], "none") for q in questions)
        kinds = sorted({q["kind"] for q in questions})
        by_kind = ", ".join(f"{k} {sum(1 for q in questions if q['kind'] == k and halves.get(q['id']) == 'tune')}/"
                            f"{sum(1 for q in questions if q['kind'] == k and halves.get(q['id']) == 'test')}"
                            for k in kinds)
        ident = [sum(1 for q in questions if q.get("ident") and halves.get(q["id"]) == h) for h in HALVES]
        missing = f"  ({count['none']} without a half)" if count["none"] else ""
        print(f"{name:22}{count['tune']:>6}{count['test']:>6}   {by_kind}; ident {ident[0]}/{ident[1]}{missing}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a question has no half")
    args = parser.parse_args()
    split = read_split()
    sets = question_sets()
    stale = {name: sorted(set(halves) - {q["id"] for q in sets.get(name, [])})
             for name, halves in split["sets"].items()}
    if args.check:
        missing = [f"{name}/{q['id']}" for name, qs in sets.items() for q in qs
                   if q["id"] not in split["sets"].get(name, {})]
        apart = split_pairs_apart(split, sets)
        report(split, sets)
        for line in ([f"no half: {', '.join(missing)} (run python bench/split_questions.py)"] if missing else []) + (
                [f"follow-up pairs split apart: {', '.join(apart)}"] if apart else []):
            print(line)
        return 1 if missing or apart else 0
    added = update(split, sets)
    for name, gone in stale.items():
        for qid in gone:  # a question taken out of its file: its half goes with it
            del split["sets"][name][qid]
        if gone:
            print(f"{name}: forgot {len(gone)} questions no longer in the file ({', '.join(gone)})")
        if not split["sets"][name]:
            del split["sets"][name]
    for name, new in added.items():
        print(f"{name}: split {len(new)} new questions "
              f"({sum(1 for h in new.values() if h == 'tune')} tune, {sum(1 for h in new.values() if h == 'test')} test)")
    if not added and not any(stale.values()):
        print("every question already has its half; nothing changed")
    write_split(split)
    report(split, sets)
    return 0


if __name__ == "__main__":
    sys.exit(main())

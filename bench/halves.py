"""The tuning and test halves of the question sets (bench/questions/split.json, written by split_questions.py).

Levers are chosen on the tuning half; the figures reported are the test half's. ``--half`` of the
benches takes tune, test or all.
"""

from __future__ import annotations

from pathlib import Path

from split_questions import QUESTIONS, read_split, set_name

CHOICES = ("test", "tune", "all")


def select(questions: list[dict], path: Path, half: str) -> list[dict]:
    """The questions of ``path`` (a file of bench/questions/) in ``half``, in file order."""
    if path.resolve().parent.name == "holdout":
        # Held out whole: every question is a test question, and no lever may be chosen on them.
        if half == "tune":
            raise SystemExit(f"{path.name}: a held-out set has no tuning half (levers are never chosen on it)")
        return questions
    if half == "all":
        return questions
    halves = read_split()["sets"].get(set_name(path.resolve(), QUESTIONS), {})
    missing = [q["id"] for q in questions if q["id"] not in halves]
    if missing:
        raise SystemExit(f"{path.name}: {len(missing)} questions have no half yet ({', '.join(missing[:5])}...): "
                         "run python bench/split_questions.py")
    return [q for q in questions if halves[q["id"]] == half]


def label(half: str) -> str:
    return {"test": "test half", "tune": "tuning half", "all": "all questions"}[half]

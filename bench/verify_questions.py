"""Check a question file of bench/questions/ against its installed corpus.

Every expected file must exist; the first (primary) file must hold every answer keyword, and each
other file, which answers equally well in its own words, at least one of them.

    python bench/verify_questions.py --questions bench/questions/django.jsonl [--candidates]

It also lists, for each question, the other files whose text holds every keyword: candidates to open
and add when they answer equally well.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from corpus import SOURCES, ensure_installed, source_files  # noqa: E402

from jupyter_docchat.indexing.readers import read_sections  # noqa: E402


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def text_of(rel: str) -> str:
    name, sub = rel.split("/", 1)
    path = SOURCES[name][1] / sub
    return "\n".join(s.text for s in read_sections(path, path.read_bytes()))


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("--candidates", action="store_true", help="list other files holding every keyword")
    args = parser.parse_args()
    questions = load(args.questions)
    names = sorted({f.split("/", 1)[0] for q in questions for f in q["files"]})
    ensure_installed(tuple(names))
    problems = 0
    if args.candidates:
        show_candidates(questions, names)
    for q in questions:
        for position, rel in enumerate(q["files"]):
            try:
                text = text_of(rel).lower()
            except FileNotFoundError:
                print(f"{q['id']}: missing file {rel}")
                problems += 1
                continue
            missing = [k for k in q["keywords"] if k.lower() not in text]
            if missing and (position == 0 or len(missing) == len(q["keywords"])):
                print(f"{q['id']}: {rel} lacks {missing}")
                problems += 1
    kinds = {}
    for q in questions:
        kinds[q["kind"]] = kinds.get(q["kind"], 0) + 1
    print(f"{len(questions)} questions {kinds}: {problems} problems")
    return 1 if problems else 0


def show_candidates(questions: list[dict], names: list[str]) -> None:
    texts = {}
    for name in names:
        root = SOURCES[name][1]
        for path in source_files(name):  # the files the bench indexes, of the corpus's own type
            rel = f"{name}/{path.relative_to(root).as_posix()}"
            texts[rel] = text_of(rel).lower()
    for q in questions:
        others = [rel for rel, text in texts.items()
                  if rel not in q["files"] and all(k.lower() in text for k in q["keywords"])]
        print(f"{q['id']}: {len(others)} other files hold every keyword: {', '.join(others[:8])}")


if __name__ == "__main__":
    sys.exit(main())

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
from functools import lru_cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from corpus import corpus_bytes, corpus_files, ensure_installed  # noqa: E402

from jupyter_docchat.indexing.readers import UnreadableFile, read_sections, reader_for  # noqa: E402


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


@lru_cache(maxsize=None)
def sources_of(name: str) -> dict[str, Path]:
    return dict(corpus_files(name))


def text_of(rel: str) -> str:
    name, sub = rel.split("/", 1)
    src = sources_of(name).get(sub)
    if src is None:
        raise FileNotFoundError(rel)
    return "\n".join(s.text for s in read_sections(Path(sub), corpus_bytes(sub, src)))


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
        for sub in sources_of(name):  # every file of the corpus that some reader reads
            if reader_for(Path(sub)) is not None:
                rel = f"{name}/{sub}"
                try:
                    texts[rel] = text_of(rel).lower()
                except UnreadableFile as error:
                    print(f"{rel}: unreadable ({error})")
    for q in questions:
        others = [rel for rel, text in texts.items()
                  if rel not in q["files"] and all(k.lower() in text for k in q["keywords"])]
        print(f"{q['id']}: {len(others)} other files hold every keyword: {', '.join(others[:8])}")


if __name__ == "__main__":
    sys.exit(main())

"""Check a question file of bench/questions/ against its installed corpus.

Every expected file must exist; the first (primary) file must hold every answer keyword, and each
other file, which answers equally well in its own words, at least one of them. A paraphrase question
(kind "paraphrase") must share few words with the passage that answers it: at most PARAPHRASE_SHARE of
its content words are in that passage, which is the chunk (as the indexer cuts it, with its heading
trail) holding the most answer keywords in any expected file, the one sharing the most words when
several tie. A question marked ``"ident"`` names an identifier (option, function, setting, command):
``"ident": "NAME"`` names it, and NAME must be in the question and, verbatim, in the primary file;
``"ident": true`` needs an identifier-shaped word of the question (``--port``, ``SECRET_KEY``,
``all.equal``, ``\\usepackage``, ``row_number()``) that the primary file holds verbatim.

    python bench/verify_questions.py --questions bench/questions/django.jsonl [--candidates] [--overlap]

It prints the set's counts: questions by kind, the share of paraphrases and of identifier questions
(issue 24 asks for a third and a fifth). ``--overlap`` prints each question's share of words in its
passage; ``--candidates`` lists, for each question, the other files whose text holds every keyword:
candidates to open and add when they answer equally well.
"""

from __future__ import annotations

import json
import re
import sys
from functools import lru_cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from corpus import CORPORA, corpus_bytes, corpus_files, ensure_installed  # noqa: E402

from jupyter_docchat.indexing.chunking import Chunker  # noqa: E402
from jupyter_docchat.indexing.readers import UnreadableFile, read_as, read_sections, reader_for, unpacked  # noqa: E402
from jupyter_docchat.indexing.user_file import MAX_FILE_BYTES  # noqa: E402
from jupyter_docchat.settings import DEFAULT_CHUNK_OVERLAP, DEFAULT_CHUNK_SIZE  # noqa: E402

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "documents"
PARAPHRASE_SHARE = 0.5  # a paraphrase shares at most half its content words with the answering passage
_STOP = frozenset(
    "a about after all also an and any are as at be s t been before being between both but by can could did do "
    "does each either else for from get got had has have how i if in into is it its just let like may me "
    "might more most much must my need no not now of off on once one only or other our out over own same "
    "shall should so some such than that the their them then there these they this those through to too "
    "under until up us very was way we were what when where whether which while who whom whose why will "
    "with without would yes you your".split())
_WORD = re.compile(r"[a-z0-9]+")
# --port, SECRET_KEY, all.equal, \usepackage, row_number(), PRAGMA-style capitals, CamelCase, dotted names
_IDENT = re.compile(r"--?[A-Za-z][\w-]*|\\[A-Za-z@]+|\b\w+\(\)|\b[A-Za-z]\w*[_.:]\w[\w.:]*|\b[A-Z][A-Z0-9_]{2,}\b"
                    r"|\b[a-z]+[A-Z]\w*\b|\b[A-Z][a-z]+[A-Z]\w*\b")


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


@lru_cache(maxsize=None)
def sources_of(name: str) -> dict[str, Path]:
    return dict(corpus_files(name))


def is_corpus(name: str) -> bool:
    return name in CORPORA and CORPORA[name] == (name,)


@lru_cache(maxsize=64)
def sections_of(rel: str) -> tuple:
    """A corpus file (NAME/path) as the corpus folder holds it, or a file of the quickstart's example folder."""
    name, sub = rel.split("/", 1) if "/" in rel else ("", rel)
    if not is_corpus(name):
        path = EXAMPLES / rel
        return tuple(read_sections(path, path.read_bytes()))
    src = sources_of(name).get(sub)
    if src is None:
        raise FileNotFoundError(rel)
    # A file the corpus holds gzipped (Debian's README.gz, changelog.html.gz) is read as the indexer reads it.
    return tuple(read_sections(*unpacked(Path(sub), corpus_bytes(sub, src), MAX_FILE_BYTES)))


def text_of(rel: str) -> str:
    return "\n".join(s.text for s in sections_of(rel))


@lru_cache(maxsize=64)
def passages(rel: str) -> tuple[str, ...]:
    """The file's chunks as the indexer cuts them, each with its heading trail."""
    chunks = Chunker(DEFAULT_CHUNK_SIZE, DEFAULT_CHUNK_OVERLAP).chunk(rel, "", list(sections_of(rel)))
    return tuple(f"{c.heading}\n{c.text}" for c in chunks)


def stem(word: str) -> str:
    """A word without its plural, -ing, -ed or final e: "stored", "storing" and "stores" are all "stor"."""
    if len(word) <= 4:
        return word
    if word.endswith("ies"):
        word = word[:-3] + "y"
    elif word.endswith(("sses", "xes", "ches", "shes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


def words(text: str) -> set[str]:
    """Content words, stemmed ("indexes" and "indexing" both count as "index")."""
    return {stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP}


def shared(question: str, passage: str) -> float:
    asked = words(question)
    return len(asked & words(passage)) / len(asked) if asked else 0.0


def answering_passage(q: dict) -> tuple[str, float]:
    """The expected files' chunk that holds the most keywords (ties: the most shared words) and its share."""
    best: tuple[int, float, str] = (-1, 0.0, "")
    for rel in q["files"]:
        try:
            chunks = passages(rel)
        except (FileNotFoundError, KeyError):
            continue
        for passage in chunks:
            found = sum(k.lower() in passage.lower() for k in q["keywords"])
            share = shared(q["question"], passage)
            best = max(best, (found, share, passage))
    return best[2], best[1]


def identifier_problem(q: dict) -> str:
    """Why an ``ident`` question does not show the identifier it names in its primary file ("" when it does)."""
    text = text_of(q["files"][0])
    if isinstance(q["ident"], str):
        if q["ident"] not in q["question"]:
            return f"ident {q['ident']!r} is not in the question"
        return "" if q["ident"] in text else f"ident {q['ident']!r} is not in {q['files'][0]}"
    shaped = [m.group(0).rstrip(".:") for m in _IDENT.finditer(q["question"])]
    if any(s in text for s in shaped):
        return ""
    return f"no identifier-shaped word of the question in {q['files'][0]} ({shaped or 'none'}): name it, \"ident\": \"NAME\""


# The kinds the bench breaks its figures down by (bench/retrieval.py's columns).
KINDS = ("fact", "how-to", "paraphrase", "follow-up")


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("--candidates", action="store_true", help="list other files holding every keyword")
    parser.add_argument("--overlap", action="store_true", help="print each question's share of words in its passage")
    args = parser.parse_args()
    questions = load(args.questions)
    names = sorted({f.split("/", 1)[0] for q in questions for f in q["files"] if is_corpus(f.split("/", 1)[0])})
    ensure_installed(tuple(names))
    problems = paraphrases = 0
    if args.candidates:
        show_candidates(questions, names)
    for q in questions:
        if q["kind"] not in KINDS:
            print(f"{q['id']}: kind {q['kind']!r} is none of {', '.join(KINDS)}")
            problems += 1
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
        passage, share = answering_passage(q)
        if args.overlap:
            print(f"{q['id']} {q['kind']:10} shares {share:.2f} of its words with its passage: {q['question']}")
        if q["kind"] == "paraphrase" and share > PARAPHRASE_SHARE:
            print(f"{q['id']}: note: a paraphrase sharing {share:.2f} of its words with its passage (over "
                  f"{PARAPHRASE_SHARE}: not counted as one) {sorted(words(q['question']) & words(passage))}")
        else:
            paraphrases += q["kind"] == "paraphrase"
        if q.get("ident") and (why := identifier_problem(q)):
            print(f"{q['id']}: {why}")
            problems += 1
    kinds: dict[str, int] = {}
    for q in questions:
        kinds[q["kind"]] = kinds.get(q["kind"], 0) + 1
    n = len(questions)
    ident = sum(1 for q in questions if q.get("ident"))
    print(f"{n} questions {kinds}; paraphrases sharing at most {PARAPHRASE_SHARE} of their words {paraphrases / n:.2f} "
          f"(a third: {paraphrases * 3 >= n}), naming an identifier {ident / n:.2f} (a fifth: {ident * 5 >= n}): "
          f"{problems} problems")
    return 1 if problems else 0


def show_candidates(questions: list[dict], names: list[str]) -> None:
    texts = {}
    for name in names:
        for sub in sources_of(name):  # every file of the corpus that some reader reads
            if reader_for(read_as(Path(sub))) is not None:
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

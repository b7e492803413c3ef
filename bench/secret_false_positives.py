"""How often key_guard.without_secrets changes ordinary text: code cells, their outputs and Markdown cells of the bench's
notebook corpora, and the text files of its documentation corpora. None of them holds a secret, so every change is a
false positive. Prints the count of texts changed per corpus and, with --show, each change.

    PYTHONPATH=. python bench/secret_false_positives.py [--corpora notebooks pyfai ...] [--show]
"""

from __future__ import annotations

import argparse
import difflib
import gzip
import json
from pathlib import Path

from stores import DEFAULT_ROOT  # bench/ is the script's folder, first on the path

from jupyter_docchat.qa.key_guard import NOT_SHOWN, without_secrets

NOTEBOOKS = ("notebooks", "pyfai", "pomegranate", "pyswarms")
DOCUMENTS = ("django", "sdist", "handbook", "drf")
_TEXT_SUFFIXES = (".txt", ".md", ".rst", ".py", ".html", ".cfg", ".toml", ".ini", ".yml", ".yaml")


def _read(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return data.decode("utf-8", "replace")


def notebook_texts(path: Path) -> list[str]:
    try:
        cells = json.loads(_read(path)).get("cells", [])
    except (ValueError, OSError):
        return []
    texts = []
    for cell in cells:
        join = lambda v: "".join(v) if isinstance(v, list) else str(v or "")  # noqa: E731
        texts.append(join(cell.get("source")))
        for output in cell.get("outputs", []) or []:
            texts.append(join(output.get("text")))
            texts.append(join((output.get("data") or {}).get("text/plain")))
            texts.append(f"{output.get('ename', '')}: {output.get('evalue', '')}")
    return [t for t in texts if t.strip(": ")]


def corpus_texts(name: str) -> list[tuple[str, str]]:
    root = DEFAULT_ROOT / name / "corpus"
    found = []
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        plain = path.name[:-3] if path.name.endswith(".gz") else path.name
        if plain.endswith(".ipynb"):
            found += [(str(path.relative_to(root)), t) for t in notebook_texts(path)]
        elif name not in NOTEBOOKS and plain.endswith(_TEXT_SUFFIXES) and path.stat().st_size < 2_000_000:
            found.append((str(path.relative_to(root)), _read(path)))
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpora", nargs="*", default=[*NOTEBOOKS, *DOCUMENTS])
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args()
    total = changed_total = 0
    for name in args.corpora:
        texts = corpus_texts(name)
        changed = 0
        for where, text in texts:
            after = without_secrets(text)
            if after != text:
                changed += 1
                if args.show:
                    for line in difflib.unified_diff(text.splitlines(), after.splitlines(), lineterm="", n=0):
                        if line.startswith("+") and NOT_SHOWN in line:
                            print(f"  {name}/{where}: {line[1:].strip()[:160]}")
        total += len(texts)
        changed_total += changed
        print(f"{name}: {changed} of {len(texts)} texts changed")
    print(f"all: {changed_total} of {total} texts changed")


if __name__ == "__main__":
    main()

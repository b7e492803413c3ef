"""The questions whose answer is a table (``"table": true`` in bench/questions/), asked offline.

    python bench/table_answers.py [--root DIR]

For each: does the offline answer hold every answer keyword, do its five sources, and does it quote the
table with its header (a pipe table, "header: value" lines, or a PDF's table as a block under its caption).
All halves: there are few such questions, and this is a check of issue 23's "table questions quoted whole",
not a figure levers are chosen on.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from corpus import questions_file  # noqa: E402
from stores import DEFAULT_ROOT, bench_corpora, ready_store  # noqa: E402

from jupyter_docchat import DocIndex  # noqa: E402


CAPTIONED = re.compile(r"^Table \d+[:.].*\n\n```", re.M)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    args = parser.parse_args()
    held = sources_held = with_header = total = 0
    for corpus in bench_corpora():
        questions = [json.loads(line) for line in questions_file(corpus).read_text().splitlines() if line.strip()]
        table_questions = [q for q in questions if q.get("table")]
        if not table_questions:
            continue
        index = DocIndex(ready_store(args.root, corpus))
        for q in table_questions:
            answer = index.ask(q["question"], model="extractive")
            text = answer.text.lower()
            sources = " ".join(s.text for s in answer.sources).lower()
            ok = all(k.lower() in text for k in q["keywords"])
            ceiling = all(k.lower() in sources for k in q["keywords"])
            # a PDF's table comes as its caption over a block of its row lines (answer_units.caption_table)
            header = "|" in answer.text or text.count(": ") >= len(q["keywords"]) or bool(CAPTIONED.search(answer.text))
            held, sources_held, with_header, total = held + ok, sources_held + ceiling, with_header + header, total + 1
            print(f"{corpus}/{q['id']}: answer holds the keywords {ok}, sources {ceiling}, quoted as a table {header}")
        index.close()
    print(f"\n{held} of {total} answers hold every keyword (sources: {sources_held}); {with_header} quote a table")


if __name__ == "__main__":
    main()

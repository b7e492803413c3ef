"""What each bench store holds that a user would call junk, and what it failed to read (issue 23's "done when").

    python bench/store_check.py [--root DIR] [CORPUS ...]

Per corpus, on the store of the package's format (bench/stores.py): chunks from a documentation build's
search index, theme assets, source maps, minified files, a site's 404 page, Sphinx's generated index pages or
`_sources/` twins; headings and texts still holding a permalink mark; gzipped pages read (readers version 5); the PDFs of the corpus folder against the PDFs with chunks (and those named as
skipped, with why); files named as copies; chunks whose text stands word for word in 20 files or more (a theme's
chrome on every page, readers 24, or a manual's own boilerplate section). A count, not a pass/fail test.
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from stores import DEFAULT_ROOT, bench_corpora, store_of  # noqa: E402

from jupyter_docchat.indexing.skips import rendered_page  # noqa: E402

JUNK = {
    "search index": re.compile(r"(^|/)(searchindex\.js|search_index\.json)$"),
    "theme assets": re.compile(r"(^|/)_static/"),
    "source maps": re.compile(r"\.map$"),
    "minified": re.compile(r"\.min\.(js|css)$"),
    "404 pages": re.compile(r"(^|/)404\.html?$"),
    "index pages": re.compile(r"(^|/)(genindex(-all)?|search|py-modindex)\.html$"),
}
_SOURCES = re.compile(r"^(.*?)_sources/(.+)$")
PERMALINK = re.compile(r"[¶§🔗]|Permalink to this")


def check(root: Path, corpus: str) -> dict[str, object]:
    path = store_of(root, corpus) / "docchat.sqlite"
    db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        sources = [s for (s,) in db.execute("SELECT source FROM chunks")]
        headings = db.execute("SELECT heading, text FROM chunks").fetchall()
        copies = db.execute("SELECT count(*) FROM file_texts WHERE copy_of IS NOT NULL AND copy_of != ''").fetchone()[0]
        everywhere = db.execute("SELECT count(*), count(DISTINCT text) FROM chunks WHERE text IN (SELECT text FROM "
                                "chunks GROUP BY text HAVING count(DISTINCT source) >= 20)").fetchone()
    finally:
        db.close()
    out: dict[str, object] = {"chunks": len(sources)}
    folder = root / corpus / "corpus"
    for name, pattern in JUNK.items():
        out[name] = sum(1 for s in sources if pattern.search(s))
    # A twin is junk when its page was rendered and is read (a gzipped page, changelog.html.gz, is read since
    # readers version 5); without its page, the twin is the only copy of the text.
    twins = [m for s in sources if (m := _SOURCES.match(s))]
    out["_sources twins (page there)"] = sum(
        1 for m in twins if rendered_page(folder / m[1], m[2]) is not None)
    out["_sources (no page)"] = sum(1 for m in twins if rendered_page(folder / m[1], m[2]) is None)
    out["permalink in heading"] = sum(1 for h, _ in headings if PERMALINK.search(h or ""))
    out["permalink in text"] = sum(1 for _, t in headings if PERMALINK.search(t or ""))
    gzipped = {p.relative_to(folder).as_posix() for p in folder.rglob("*.gz")}
    out["gzipped read / in folder"] = f"{len(gzipped & set(sources))} / {len(gzipped)}"
    pdfs = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.suffix.lower() == ".pdf"}
    read = {s for s in sources if s.lower().endswith(".pdf")}
    out["PDFs read / in folder"] = f"{len(read & pdfs)} / {len(pdfs)}"
    out["copies named"] = copies
    out["same text in >= 20 files (texts)"] = f"{everywhere[0]} ({everywhere[1]})"
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpora", nargs="*", default=bench_corpora())
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    args = parser.parse_args()
    rows = {c: check(args.root, c) for c in args.corpora if c != "quickstart" and store_of(args.root, c).exists()}
    keys = list(next(iter(rows.values())))
    print("| corpus | " + " | ".join(keys) + " |")
    print("|---" * (len(keys) + 1) + "|")
    for corpus, row in rows.items():
        print(f"| {corpus} | " + " | ".join(str(row[k]) for k in keys) + " |")


if __name__ == "__main__":
    main()

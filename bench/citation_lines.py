"""Do an HTML page's chunks cite the lines they come from? A check on the bench's stores.

    python bench/citation_lines.py [--corpora sqlite django ...] [--format FORMAT ...] [--pages N]

For N pages (seeded) of each corpus's store, each chunk's cited lines are read from the page itself (a gzipped
one unpacked): how many chunks cite a line past the page's end, and how many hold a word of five letters or
more of their first line within three lines of their cited start. --format names the stores to read (default:
the package's own; give an older one, e.g. r5-c800.100-minilm256-s4, to see it beside). Not a pass/fail test:
a page's first line of text may come from markup lines away from it.
"""

from __future__ import annotations

import argparse
import gzip
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from stores import DEFAULT_ROOT, package_format  # noqa: E402

from jupyter_docchat import DocIndex  # noqa: E402

_PAGE = re.compile(r"\.html?(\.gz)?$")
_LINES = re.compile(r"lines? (\d+)(?:-(\d+))?")


def check(store: Path, pages: int) -> tuple[int, int, int, int]:
    """(pages read, chunks, chunks citing past the page's end, chunks holding a word near their start)."""
    index = DocIndex(store)
    try:
        names = sorted(f for f in index.catalog.files(index.collection) if _PAGE.search(f))
        names = random.Random(1).sample(names, min(pages, len(names)))
        total = past = near = 0
        for name in names:
            hits = index.file_chunks(name)
            if not hits:
                continue
            data = Path(hits[0].path).read_bytes()
            lines = (gzip.decompress(data) if name.endswith(".gz") else data).decode("utf-8", "replace").split("\n")
            for hit in hits:
                cited = _LINES.match(hit.location)
                if not cited:
                    continue
                start, end = int(cited[1]), int(cited[2] or cited[1])
                total += 1
                past += end > len(lines)
                words = re.findall(r"[A-Za-z]{5,}", hit.text.split("\n")[0])[:3]
                window = " ".join(lines[max(start - 4, 0):start + 3])
                near += bool(words) and any(word in window for word in words)
        return len(names), total, past, near
    finally:
        index.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpora", nargs="+", default=["sqlite", "handbook", "django", "git", "sphinx"])
    parser.add_argument("--format", nargs="+", default=[package_format()], dest="formats")
    parser.add_argument("--pages", type=int, default=60)
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    args = parser.parse_args()
    for corpus in args.corpora:
        for fmt in args.formats:
            store = args.root / corpus / "stores" / fmt
            if not (store / "docchat.sqlite").exists():
                print(f"{corpus} {fmt}: no store (python bench/stores.py {corpus} builds this version's)")
                continue
            pages, total, past, near = check(store, args.pages)
            print(f"{corpus} {fmt}: {total} chunks of {pages} pages; {past} cite past the page's end; "
                  f"{near} ({near / max(total, 1):.0%}) hold a word of their first line within 3 lines of their start")


if __name__ == "__main__":
    main()

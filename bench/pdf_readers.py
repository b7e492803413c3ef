"""PDF text extraction: PDFium (pypdfium2, shipped) against pypdf (the fallback), speed and text quality.

    python bench/pdf_readers.py [--pdf FILE ...]

On the latex corpus (bench/corpus.py: texlive-latex-base-doc's guides and LaTeX News) and on
LaTeX's source2e.pdf (1,221 pages, not part of that corpus), reads every page with each engine
(``readers.pdf.pdf_pages``, the text then cleaned as the reader cleans it) and prints, per engine:
- CPU seconds and pages per second (CPU time: the machine may be shared);
- pages with text;
- words intact: of the words of three or more letters, the share that are whole words of MiniLM's
  vocabulary (a word cut in two, run into its neighbour or spelled with a ligature is not);
- and between the engines: pages whose text best matches the same page of the other (pages right),
  and the mean overlap of their word sets per page.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from corpus import ensure_installed, source_files  # noqa: E402

from jupyter_docchat.indexing.readers.clean import clean_text  # noqa: E402
from jupyter_docchat.indexing.readers.pdf import ENGINES, pdf_pages  # noqa: E402
from jupyter_docchat.store.token_counts import TOKENIZER_DIR  # noqa: E402

SOURCE2E = Path("/usr/share/doc/texlive-doc/latex/base/source2e.pdf")
WORD = re.compile(r"[^\W\d_]{3,}")


def vocabulary() -> set[str]:
    return {w for w in (TOKENIZER_DIR / "vocab.txt").read_text().split() if not w.startswith("##")}


def words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)]


def read(path: Path, engine: str) -> tuple[list[str], float]:
    data = path.read_bytes()
    started = time.process_time()
    pages = [clean_text(page) for page in pdf_pages(data, engine)]
    return pages, time.process_time() - started


def compare(name: str, files: list[Path], vocab: set[str]) -> None:
    got = {engine: [read(f, engine) for f in files] for engine in ENGINES}
    for engine in ENGINES:
        pages = [p for doc, _ in got[engine] for p in doc]
        seconds = sum(s for _, s in got[engine])
        found = [w for p in pages for w in words(p)]
        intact = sum(w in vocab for w in found) / max(len(found), 1)
        print(f"{name:10} {engine:7} {len(pages):6} pages {seconds:7.2f} CPU s {len(pages) / seconds:8.1f} pages/s  "
              f"{sum(bool(p.strip()) for p in pages):6} with text  {len(found):8} words, {intact:.1%} intact", flush=True)
    right = total = 0
    overlap = 0.0
    for (a_doc, _), (b_doc, _) in zip(got[ENGINES[0]], got[ENGINES[1]]):
        a_sets = [set(words(p)) for p in a_doc]
        b_sets = [set(words(p)) for p in b_doc]
        for n, a in enumerate(a_sets):
            if not a:
                continue
            scores = [len(a & b) / len(a | b) if a | b else 0.0 for b in b_sets[max(0, n - 2): n + 3]]
            best = max(range(len(scores)), key=scores.__getitem__) + max(0, n - 2) if scores else -1
            right += best == n
            overlap += len(a & b_sets[n]) / len(a | b_sets[n]) if n < len(b_sets) and a | b_sets[n] else 0.0
            total += 1
    print(f"{name:10} between: {right}/{total} pages best match the same page; mean word-set overlap {overlap / max(total, 1):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pdf", nargs="*", type=Path, default=[], help="more PDFs, each compared on its own")
    args = parser.parse_args()
    ensure_installed(("latex",))
    vocab = vocabulary()
    compare("latex", source_files("latex"), vocab)
    for path in [SOURCE2E, *args.pdf]:
        if path.exists():
            compare(path.stem[:10], [path], vocab)


if __name__ == "__main__":
    main()

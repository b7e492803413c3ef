"""What PDFium gives for a PDF page holding a table: its text lines, and its text runs with their boxes.

    python bench/pdf_tables.py [--root DIR] [PDF PAGE ...]

By default the two tables of the mixed corpus that the table questions ask about (bench/questions/mixed.jsonl,
m11 and m13): glpk.pdf's msg_lev values (page 41) and siunitx.pdf's Table 1, the SI base units (page 8).
For each page: the lines of the text around the table, then the text runs (PDFium's rectangles) of those
lines with their left edges, which is what a reader would cluster into columns. A look, not a figure.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from stores import DEFAULT_ROOT  # noqa: E402

DEFAULT = [("mixed/glpk.pdf", 41, "GLP_MSG_OFF"), ("mixed/siunitx.pdf", 8, "\\ampere")]


def show(pdf_path: Path, page_number: int, needle: str, lines_around: int = 6) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(pdf_path)
    page = pdf[page_number - 1].get_textpage()
    text = page.get_text_range().replace("\r\n", "\n")
    lines = text.split("\n")
    at = next((n for n, line in enumerate(lines) if needle in line), 0)
    chosen = lines[max(at - 3, 0): at + lines_around]
    print(f"== {pdf_path.name} p. {page_number}: text lines")
    for line in chosen:
        print(f"   {line}")
    print("   text runs (top, left, right, text):")
    runs = []
    for n in range(page.count_rects()):
        left, bottom, right, top = page.get_rect(n)
        run = page.get_text_bounded(left, bottom, right, top).strip()
        if any(run and run in line for line in chosen):
            runs.append((round(top), round(left), round(right), run))
    for run in sorted(runs, key=lambda r: (-r[0], r[1]))[:24]:
        print(f"   {run}")
    pdf.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("pages", nargs="*", help="PDF PAGE pairs (default: the mixed corpus's two tables)")
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    args = parser.parse_args()
    if args.pages:
        pairs = [(Path(p), int(n), "") for p, n in zip(args.pages[::2], args.pages[1::2])]
    else:
        pairs = [(args.root / rel.split("/")[0] / "corpus" / rel, n, needle) for rel, n, needle in DEFAULT]
    for path, number, needle in pairs:
        show(path, number, needle)


if __name__ == "__main__":
    main()

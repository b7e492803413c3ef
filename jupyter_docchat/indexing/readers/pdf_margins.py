"""A PDF's running heads and feet: the lines a document prints at the top or bottom of most of its pages.

"Network UPS Tools User Manual 26 / 123", "LaTeX News, Issue 32, June 2020", "Page 4 of 9" or a page number
alone are no part of what the page says: kept, every chunk of the manual shares them, a question that names the
manual matches all of its pages alike, and an answer can quote one as a sentence.
"""

from __future__ import annotations

import math
import re
from collections import Counter

# How many lines at each end of a page may be a running head or foot (a title over a page number, say).
EDGE_LINES = 2
# A line is running when its shape stands at an edge of at least this share of the pages with text, and of
# at least MIN_PAGES of them: a chapter's own running head (on its ten pages of a 300-page book) stays.
RUNNING_SHARE = 0.3
MIN_PAGES = 3
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_NUMBER = re.compile(r"\d+")


# A running line holds a page number, or that and the count of pages or an issue's: a line of more numbers is a
# table's row that ends page after page (a report's "2021-03-04 12 34.5"), whose numbers are what it says.
MAX_NUMBERS = 2


def _shape(line: str) -> str:
    """A line as it repeats from page to page: its numbers (the page's, an issue's) and its spacing aside; a line
    of more than MAX_NUMBERS numbers is its own shape."""
    words = " ".join(line.split())
    if len(_NUMBER.findall(words)) > MAX_NUMBERS:
        return words
    return _NUMBER.sub("#", words).casefold()


def _edges(lines: list[str]) -> list[int]:
    filled = [n for n, line in enumerate(lines) if line.strip()]
    return sorted(set(filled[:EDGE_LINES] + filled[-EDGE_LINES:]))


def without_running_lines(pages: list[str]) -> list[str]:
    """``pages`` without the lines at their edges that most pages share; a page with none of them unchanged."""
    split = [_LINE_BREAK.split(page) for page in pages]
    with_text = sum(1 for page in pages if page.strip())
    need = max(MIN_PAGES, math.ceil(RUNNING_SHARE * with_text))
    if with_text < need:
        return pages
    seen: Counter[str] = Counter()
    for lines in split:
        seen.update({_shape(lines[n]) for n in _edges(lines)})
    running = {shape for shape, count in seen.items() if count >= need}
    if not running:
        return pages
    out = []
    for page, lines in zip(pages, split):
        dropped = {n for n in _edges(lines) if _shape(lines[n]) in running}
        out.append("\n".join(line for n, line in enumerate(lines) if n not in dropped) if dropped else page)
    return out

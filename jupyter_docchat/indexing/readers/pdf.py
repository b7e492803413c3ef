"""PDF: one section per page with text, by PDFium (pypdfium2), or pypdf when PDFium cannot open the file.

PDFium reads a page about 11 times faster than pypdf with the same words (bench/pdf_readers.py), so
a 1,200-page manual takes seconds rather than minutes; where it took out a hyphen at a line's end it
leaves U+FFFE, which clean_text drops, so the word is whole ("en-/vironment" is "environment"). Each page read is a progress tick: the read
time limit counts from the last one, so a long PDF is read however long it takes as long as pages come.
"""

from __future__ import annotations

import io
import logging
import re
import threading
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from jupyter_docchat.indexing.read_progress import tick
from jupyter_docchat.indexing.readers.base import UnreadableFile
from jupyter_docchat.types import Section

ENGINES = ("pdfium", "pypdf")
_PDFIUM = threading.Lock()  # PDFium is not thread-safe; a refresh may read beside the kernel's own update


def read_pdf(path: Path, data: bytes) -> list[Section]:
    # The pages' numbers first: a number after a page's last break is then the page's own text ("COVID-" over "19"
    # ending a page, read "COVID19" when a number there was taken for the page's; probe 26).
    pages = _keep_compound_hyphens(_without_page_numbers(_without_running_heads(pdf_pages(data))))
    return [Section(text, 1, f"page {n}", page=n, kind="pdf") for n, text in enumerate(pages, 1) if text.strip()]


# (?<!\s): the white space before the number is matched from its start only (from each of its characters, a
# page of 8,000 blank lines took 7.5 s; probe 23).
# After a page's last word broken at a line's end, PDFium writes the number with no line break: "inter\ufffe12" (probe 24).
_LAST_NUMBER = re.compile(r"(?:\A|(?<!\s)\s*[\r\n]|(?<=\ufffe))[ \t]*(\d{1,5})\s*\Z")


def _without_page_numbers(pages: list[str]) -> list[str]:
    """Each page without its number, where most pages end with a line holding theirs alone (glpk.pdf's 177 pages
    each closed their last chunk with it, quoted as part of the last sentence: "... set to DBL_MAX. 127")."""
    ends = [(n, match) for n, page in enumerate(pages) if (match := _LAST_NUMBER.search(page))]
    offsets = Counter(int(match[1]) - n for n, match in ends)
    if len(pages) < 2 or not offsets:
        return pages
    offset, count = offsets.most_common(1)[0]
    if count < 2 or count * 2 < len(pages):  # one of two pages is no "most": a 2-page table's last value (probe 23)
        return pages
    pages = list(pages)
    for n, match in ends:
        if int(match[1]) - n == offset:
            pages[n] = pages[n][: match.start()]
    return pages


# A page's first line, and the page's number at its start or end: a book's running head ("Chapter 5: MPFR Interface 15"
# over odd pages, "24 GNU MPFR 4.2.0" over even ones, as texinfo.tex and LaTeX's book classes print them), or the number
# alone over a chapter's first page.
_FIRST_LINE = re.compile(r"\A\s*([^\r\n]*)")


def _head_number(line: str) -> tuple[int, str] | None:
    """The number a first line starts or ends with (up to 5 ASCII digits), and its other words; None without one.
    By words, not a pattern: "(.*?)\\s+(\\d+)" tried every split of a long line of spaces."""
    words = line.split()
    for at, others in ((0, words[1:]), (-1, words[:-1])):
        if words and words[at].isascii() and words[at].isdigit() and len(words[at]) <= 5:
            return int(words[at]), " ".join(others)
    return None


def _without_running_heads(pages: list[str]) -> list[str]:
    """Each page without its running head: a first line holding the page's number (counted from the pages' most
    common offset, as _without_page_numbers counts them) and, beside it, nothing or words that head another page too.
    MPFR's manual as texinfo.tex prints it opened each page's first passage so ("Chapter 5: MPFR Interface 15 precision,
    but previously initialized variables are unaffected."), quoted in answers and matched by every question naming
    the manual (walk 30). A first line whose words head no other page is the page's own text."""
    heads = []
    for n, page in enumerate(pages):
        line = _FIRST_LINE.match(page)
        found = _head_number(line[1]) if line else None
        if found:
            heads.append((n, found[0] - n, found[1]))
    offsets = Counter(offset for _, offset, _ in heads)
    if len(pages) < 3 or not offsets:
        return pages
    offset, count = offsets.most_common(1)[0]
    if count < 3 or count * 3 < len(pages):
        return pages
    words = Counter(rest for _, at, rest in heads if at == offset and rest)
    pages = list(pages)
    for n, at, rest in heads:
        line = _FIRST_LINE.match(pages[n])
        if at == offset and (not rest or words[rest] >= 2) and line is not None:
            pages[n] = pages[n][line.end():]
    return pages


_LAST_WORD, _FIRST_WORD = re.compile(r"\w+\Z"), re.compile(r"\w+")
_COMPOUND = re.compile(r"\w+(?:-\w+)*")


def _breaks(parts: list[str]) -> list[tuple[str, str]]:
    """For each break between a page's ``parts`` (the page cut at U+FFFE), the word ending there and the word
    starting after it (("", "") where either is missing)."""
    out = []
    for left, right in zip(parts, parts[1:]):
        head, tail = _LAST_WORD.search(left[-60:]), _FIRST_WORD.match(right)
        out.append((head[0], tail[0]) if head and tail else ("", ""))
    return out


def _keep_compound_hyphens(pages: list[str]) -> list[str]:
    """PDFium marks every hyphen ending a line U+FFFE, a compound's own too: glpk.pdf's "interior-point" and
    "non-basic" became "interiorpoint" and "nonbasic" where a line broke them (walk 23). A break whose hyphenated
    word the document writes more often than the joined one, or one before a digit, keeps its hyphen; the others are
    joined."""
    if not any("\ufffe" in page for page in pages):
        return pages
    split = [page.split("\ufffe") for page in pages]
    breaks = [_breaks(parts) for parts in split]
    # Only the words broken are counted, in one pass over the text: a regex over every word was a fifth of reading.
    broken = {f"{head}-{tail}".lower() for page_breaks in breaks for head, tail in page_breaks if head}
    wanted = broken | {word.replace("-", "") for word in broken}
    counts = Counter(word for word in _COMPOUND.findall("\n".join(pages).lower()) if word in wanted)
    mended = []
    for parts, page_breaks in zip(split, breaks):
        out = [parts[0]]
        for (head, tail), right in zip(page_breaks, parts[1:]):
            word = f"{head}-{tail}".lower()
            # A hyphen before a digit is the author's: no word is hyphenated there ("COVID-19" read "COVID19", "Form
            # W-2" "Form W2", and a search for "COVID-19" missed them; probe 24). The page's number, which PDFium joins
            # to the page's last word when a line break cut it ("inter\ufffe12"), is gone already (read_pdf).
            digit = tail[:1].isdigit()
            kept = digit or counts[word] > counts[word.replace("-", "")]
            out.append("-" if head and kept else "\ufffe")
            out.append(right)
        mended.append("".join(out))
    return mended


def pdf_pages(data: bytes, engine: str = "") -> list[str]:
    """The text of each page. ``engine`` forces one of ENGINES; by default PDFium, and pypdf for a file
    PDFium cannot open (pypdf repairs some broken files PDFium refuses)."""
    if engine == "pypdf":
        return _pypdf_pages(data)
    try:
        return _pdfium_pages(data)
    except UnreadableFile as exc:
        if engine == "pdfium" or exc.reason == "encrypted PDF":
            raise
        return _pypdf_pages(data)


def _pdfium_pages(data: bytes) -> list[str]:
    try:
        import pypdfium2 as pdfium
    except ImportError as exc:  # pragma: no cover - a dependency, but pypdf still reads without it
        raise UnreadableFile("PDFium missing") from exc
    with _PDFIUM:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            reason = "encrypted PDF" if "password" in str(exc).lower() else f"unreadable PDF ({exc})"
            raise UnreadableFile(reason) from exc
        try:
            pages, count = [], len(document)
            for number in range(count):
                page = document[number]
                try:
                    textpage = page.get_textpage()
                    pages.append(textpage.get_text_range())
                    textpage.close()
                finally:
                    page.close()
                tick(number + 1, count, "pages")
            return pages
        except pdfium.PdfiumError as exc:
            raise UnreadableFile(f"unreadable PDF ({exc})") from exc
        finally:
            document.close()


@contextmanager
def _quiet_logger(name: str) -> Iterator[None]:
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _pypdf_pages(data: bytes) -> list[str]:
    from pypdf import PdfReader

    with _quiet_logger("pypdf"):  # broken files are reported in our summary, not as stray log lines
        try:
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise UnreadableFile("encrypted PDF")
            pages, count = [], len(reader.pages)
            for number, page in enumerate(reader.pages, 1):
                pages.append(page.extract_text() or "")
                tick(number, count, "pages")
            return pages
        except UnreadableFile:
            raise
        except Exception as exc:  # pypdf raises a wide variety on broken files (PdfReadError, KeyError, ...)
            raise UnreadableFile(f"unreadable PDF ({type(exc).__name__})") from exc

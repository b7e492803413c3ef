"""What every reader shares: decoding bytes that may be in any encoding, telling binary from text,
the heading trail, and the error a reader raises for a file it cannot read at all."""

from __future__ import annotations

import codecs
import re
from functools import lru_cache

from jupyter_docchat.indexing.readers.clean import clean_text
from jupyter_docchat.safe_text import cut
from jupyter_docchat.types import SHEET_SUFFIXES, HeadingTrail

# Office's zip packages, read by python-docx and python-pptx (the optional extras): a Word document and a deck, each
# also with macros (.docm, .pptm), which hold the same document beside a macro project that is never read.
DOCX_EXTS = (".docx", ".docm")
PPTX_EXTS = (".pptx", ".pptm")
OFFICE_EXTS = DOCX_EXTS + PPTX_EXTS
# Workbooks, read by python-calamine (the optional "sheets" extra): Excel's (.xls the binary 97-2003 one) and
# OpenDocument's. Binary files all: the reader looks at them itself (readers/sheets.py).
SHEET_EXTS = SHEET_SUFFIXES
# Books and LibreOffice's files, zips read with lxml (readers/epub.py, readers/odf.py); OpenDocument's flat XML twins
# (.fodt, .fodp) are text, read by the same reader.
EPUB_EXTS = (".epub",)
ODT_EXTS, ODP_EXTS = (".odt", ".fodt"), (".odp", ".fodp")
# Office 97-2003's binary files, OLE compound files read with olefile (readers/legacy_office.py): a Word document, a
# deck and a slide show (a deck that opens playing).
DOC_EXTS, PPT_EXTS = (".doc",), (".ppt", ".pps")
# Every zip package a reader reads: NUL bytes are no sign of a binary file in them (nor in a workbook, SHEET_EXTS).
ZIP_EXTS = OFFICE_EXTS + EPUB_EXTS + (".odt", ".odp")


class UnreadableFile(Exception):
    """The file cannot be read at all; ``reason`` is short and user-facing."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)


def _bom_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark names, or the UTF-16 of a text written without one (``_utf16_without_bom``)."""
    return next((encoding for bom, encoding in _BOMS if data.startswith(bom)), None) or _utf16_without_bom(data)


# Of the first bytes' pairs, the share whose one byte is NUL, in a Latin text in UTF-16 (most of them: its letters are
# below U+0100), and the most whose other byte is (U+4E00 and a few others: far fewer).
_UTF16_NUL_SHARE, _UTF16_OTHER_SHARE = 0.3, 0.05
_TEXT_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")


def _utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" for a text in UTF-16 without a byte-order mark (PowerShell's ``Out-File -Encoding
    Unicode`` piped through a tool that drops it, an export of a Windows program): its NUL bytes made it binary, and it
    was skipped (probe 27's leftover). Only when one byte of many pairs is NUL, the other almost never, and the text
    then holds hardly any control character: a binary file of 16-bit numbers reads as controls."""
    head = data[:8192]
    pairs = len(head) // 2
    if pairs < 4 or b"\x00" not in head:
        return None
    odd, even = head[1:2 * pairs:2].count(0), head[0:2 * pairs:2].count(0)
    if odd >= _UTF16_NUL_SHARE * pairs and even <= _UTF16_OTHER_SHARE * pairs:
        encoding = "utf-16-le"
    elif even >= _UTF16_NUL_SHARE * pairs and odd <= _UTF16_OTHER_SHARE * pairs:
        encoding = "utf-16-be"
    else:
        return None
    text = head[:2 * pairs].decode(encoding, errors="replace")
    return encoding if len(_TEXT_CONTROLS.findall(text)) <= 0.01 * len(text) else None


def decode(data: bytes) -> str:
    """Decode bytes without ever failing: a BOM's UTF-16/32, then UTF-8 (a few bad bytes in it read as cp1252),
    cp1252 (its five undefined bytes as Latin-1); then ``clean_text``."""
    return clean_text(_decode(data))


def decode_uncleaned(data: bytes) -> str:
    """``decode`` without ``clean_text``: for a format whose blank lines are its structure (a transcript's cues), which
    a line of control characters alone, cleaned to nothing, would cut; its text is cleaned as read (read_sections)."""
    return _decode(data)


def _decode(data: bytes) -> str:
    encoding = _bom_encoding(data)
    if encoding:
        return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    mostly = _mostly_utf8(data)
    if mostly is not None:
        return mostly
    # The five bytes cp1252 leaves undefined are read as Latin-1 (control characters, cleaned away) one by one: the
    # whole file read as Latin-1 lost every curly quote, dash and euro sign of it for one such byte (probe 14).
    return data.decode("cp1252", errors="docchat-cp1252")


def _as_cp1252(exc: UnicodeError) -> tuple[str, int]:
    """A codecs error handler: the bytes UTF-8 cannot read, read as cp1252 (Latin-1 where cp1252 has none)."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start:exc.end]
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in bad), exc.end


codecs.register_error("docchat-cp1252", _as_cp1252)


def _mostly_utf8(data: bytes) -> str | None:
    """``data`` as UTF-8, its few bad bytes read as cp1252, when more of its non-ASCII letters are good UTF-8
    than bytes are bad (None otherwise: a cp1252 file's every accent is a bad byte). A UTF-8 file with one bad
    byte (a log cut mid-character by a crash or ``head -c``, a Latin-1 "£" pasted in) was read whole as cp1252:
    every accented or non-Latin letter mojibake ("café" as "cafÃ©"), and a search for its words found nothing."""
    replaced = data.decode("utf-8-sig", errors="replace")
    bad = replaced.count("\ufffd") - data.count("\ufffd".encode())
    good = len(replaced) - len(replaced.encode("ascii", errors="ignore")) - bad
    if good <= bad:
        return None
    return data.decode("utf-8-sig", errors="docchat-cp1252")


# Bytes no text file holds (tab, newlines, form feed and escape are text); images, archives and
# compiled files are full of them even where they hold no NUL.
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27)) + b"\x7f"


def looks_binary(data: bytes) -> bool:
    if _bom_encoding(data):
        return False
    head = data[:8192]
    if b"\x00" in head:
        return True
    if not head:
        return False
    try:  # valid UTF-8 is text, whatever control characters it holds (a terminal escape is ASCII)
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return False
    except UnicodeDecodeError:
        pass
    controls = len(head) - len(head.translate(None, _CONTROL))
    return controls / len(head) > 0.02


MAX_HEADING_CHARS = 120


class HeadingStack:
    """The chain of headings above the current line, by level, as a reader meets them.

    Levels may skip (a page whose first heading is an h2), so the trail is a
    stack popped to the new level rather than a list indexed by it.
    """

    def __init__(self, root: str = "") -> None:
        self.root = short_heading(root)
        self._stack: list[tuple[int, str]] = []
        self._first = ""  # the page's first heading: the one a title may merely repeat
        # Set by a reader when text stood under the title alone, before the first heading: that heading is then a
        # section of the page ("Path validations" under the page "Path"), not its title repeated.
        self.title_has_text = False

    def enter(self, level: int, text: str, cleaned: bool = False) -> str:
        """The trail with ``text`` at ``level``; ``cleaned``: its marks already taken off (a Markdown heading's,
        whose "`#` comments" keeps its "#": cleaned again, it lost it, probe 13), so only cut to length."""
        while self._stack and self._stack[-1][0] >= level:
            self._stack.pop()
        heading = cut(" ".join(text.split()), MAX_HEADING_CHARS, at_word=True) if cleaned else short_heading(text)
        self._stack.append((level, heading))
        self._first = self._first or heading
        return self.text

    @property
    def text(self) -> str:
        parts = [t for _, t in self._stack if t]
        if self.root and not (parts and self._repeats_root(parts[0])):
            parts.insert(0, self.root)
        return str(HeadingTrail(tuple(parts)))

    def _repeats_root(self, top: str) -> bool:
        """Whether the trail's top heading stands for the title: the page's first heading, when nothing stood under
        the title before it, in other words ("1. Installation" under "Installation"), or any in the title's own
        words. Another that only shares some ("Custom Routers" on the page "Routers") is a section of the page,
        under its title: the page's sections have one trail."""
        if top == self._first:
            # After text of the title's own, only a heading in none but the title's words restates it ("C/C++
            # Interface For SQLite Version 3" under the page "... Version 3 (old)").
            return _words_within(top, self.root) if self.title_has_text else _same_heading(self.root, top)
        return _same_words(self.root, top)


def short_heading(text: str) -> str:
    """A heading fit for a trail: one line, without permalink marks, at most MAX_HEADING_CHARS (broken
    markup can make one huge)."""
    return cut(clean_heading(text), MAX_HEADING_CHARS, at_word=True)


# Documentation generators end (or start) each heading with a link to itself: Sphinx's and MkDocs' "¶",
# rustdoc's "§", GitHub-style "#", "🔗". Read as text they get into every heading trail ("Quickstart¶ >
# Debug Mode¶") and into the words of the heading. "#" and "§" only count apart from a word ("C#" stays).
_MARKS = "¶🔗⚓⁋\u200b\ufeff"
LEADING_MARKS = re.compile(rf"^\s*(?:[{_MARKS}]|[#§∞]+(?=\s))+\s*")
PERMALINK_TITLE = re.compile(
    r"\s*\b(?:permalink to this|link to this|direct link to(?: this)?|permanent link to this)"
    r" (?:headline|heading|definition|section|table|code|image|equation|term)\b\s*|\s*\bpermanent link\s*$", re.I)


def clean_heading(text: str) -> str:
    """A heading's text on one line, without the permalink marks and "Permalink to this headline" titles
    that documentation generators put around it."""
    text = " ".join(text.split())
    # Every title the pattern removes says "link"; in ASCII only these letters spell it under re.I (elsewhere "ı" and
    # "K", the Kelvin sign, do too): most headings are spared the search, a tenth of the time a page's headings took.
    if not text.isascii() or "link" in text.lower():
        text = PERMALINK_TITLE.sub(" ", text)
    return LEADING_MARKS.sub("", without_trailing_marks(text)).strip()


def only_marks(text: str) -> bool:
    """Whether a link's text is nothing but a permalink mark (or nothing at all)."""
    text = " ".join(text.split())
    return not LEADING_MARKS.sub("", without_trailing_marks(f" {text} ")).strip(" #§∞")


_SIGNS = "#§∞"


def without_trailing_marks(text: str) -> str:
    """``text`` less the marks that end it: each a mark of _MARKS (glued to the word or not) or a run of "#", "§"
    or "∞" apart from it, with the white space around them. Read from the end: the pattern it replaces
    (``(?:\\s*[MARKS]|\\s+[#§∞]+)+\\s*$``) was tried from every position, a heading of " #" repeated took
    minutes for 80 kB."""
    end, removed = len(text), False
    while True:
        stop = end
        while stop and text[stop - 1].isspace():
            stop -= 1
        if stop and text[stop - 1] in _MARKS:
            end, removed = stop - 1, True
            continue
        start = stop
        while start and text[start - 1] in _SIGNS:
            start -= 1
        if start < stop and start and text[start - 1].isspace():
            end, removed = start - 1, True
            continue
        return text[:stop] if removed else text


_WORDS = re.compile(r"[^\W_]+")


@lru_cache(maxsize=2048)
def _word_set(text: str) -> frozenset[str]:
    """A heading's words, compared below for every heading of a page against the same title: remembered (a twentieth
    of reading a folder of small pages)."""
    return frozenset(_WORDS.findall(text.lower()))


def _same_heading(a: str, b: str) -> bool:
    """A page title that merely repeats the first heading (often with a section number) is left out."""
    words_a, words_b = _word_set(a), _word_set(b)
    return bool(words_a) and bool(words_b) and (words_a <= words_b or words_b <= words_a)


def _same_words(a: str, b: str) -> bool:
    words_a = _word_set(a)
    return bool(words_a) and words_a == _word_set(b)


def _words_within(a: str, b: str) -> bool:
    words_a = _word_set(a)
    return bool(words_a) and words_a <= _word_set(b)

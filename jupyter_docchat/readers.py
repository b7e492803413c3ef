"""Turn one file into sections of text that remember where they came from.

A reader never raises for bad content it can work around (odd encodings,
broken markup); it raises :class:`UnreadableFile` for a file it cannot read at
all (a corrupt or encrypted PDF), so the caller can skip and name it.
"""

from __future__ import annotations

import codecs
import logging
import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

TEXT_EXTS = {".txt", ".text"}
MARKDOWN_EXTS = {".md", ".markdown"}
RST_EXTS = {".rst"}
HTML_EXTS = {".html", ".htm", ".xhtml"}
CODE_EXTS = {
    ".py", ".js", ".ts", ".java", ".go", ".rs", ".c", ".h", ".cpp", ".hpp", ".cc",
    ".r", ".jl", ".sh", ".sql",
}
SUPPORTED_EXTS = TEXT_EXTS | MARKDOWN_EXTS | RST_EXTS | HTML_EXTS | CODE_EXTS | {".pdf", ".ipynb", ".docx"}


class UnreadableFile(Exception):
    """The file cannot be read at all; ``reason`` is short and user-facing."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Section:
    text: str
    start_line: int = 1
    heading: str = ""
    page: int | None = None
    cell: int | None = None
    kind: str = "text"


_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)


def _bom_encoding(data: bytes) -> str | None:
    return next((encoding for bom, encoding in _BOMS if data.startswith(bom)), None)


def decode(data: bytes) -> str:
    """Decode bytes without ever failing: a BOM's UTF-16/32, then UTF-8, cp1252, latin-1."""
    encoding = _bom_encoding(data)
    if encoding:
        return data.decode(encoding, errors="replace")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1", errors="replace")


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


class HeadingTrail:
    """The chain of headings above the current line, by level.

    Levels may skip (a page whose first heading is an h2), so the trail is a
    stack popped to the new level rather than a list indexed by it.
    """

    def __init__(self, root: str = "") -> None:
        self.root = short_heading(root)
        self._stack: list[tuple[int, str]] = []

    def enter(self, level: int, text: str) -> str:
        while self._stack and self._stack[-1][0] >= level:
            self._stack.pop()
        self._stack.append((level, short_heading(text)))
        return self.text

    @property
    def text(self) -> str:
        parts = [t for _, t in self._stack if t]
        if self.root and not (parts and _same_heading(self.root, parts[0])):
            parts.insert(0, self.root)
        return " > ".join(parts)


def short_heading(text: str) -> str:
    """A heading fit for a trail: one line, at most MAX_HEADING_CHARS (broken markup can make one huge)."""
    text = " ".join(text.split())
    if len(text) <= MAX_HEADING_CHARS:
        return text
    return text[: MAX_HEADING_CHARS].rsplit(" ", 1)[0] + "…"


def _same_heading(a: str, b: str) -> bool:
    """A page title that merely repeats the first heading (often with a section number) is left out."""
    words_a, words_b = (set(re.findall(r"[^\W_]+", s.lower())) for s in (a, b))
    return bool(words_a) and bool(words_b) and (words_a <= words_b or words_b <= words_a)


def read_text(path: Path, data: bytes) -> list[Section]:
    return [Section(decode(data))]


_ATX = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


def read_markdown(path: Path, data: bytes) -> list[Section]:
    """Split at ATX headings outside fenced code, keeping the heading trail."""
    lines = decode(data).splitlines()
    sections: list[Section] = []
    trail = HeadingTrail()
    heading, start, buf, in_fence = "", 1, [], False

    def flush() -> None:
        if "".join(buf).strip():
            sections.append(Section("\n".join(buf), start, heading, kind="markdown"))

    for number, line in enumerate(lines, 1):
        if _FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else _ATX.match(line)
        if match:
            flush()
            heading = trail.enter(len(match.group(1)), match.group(2))
            start, buf = number, []
        buf.append(line)
    flush()
    return sections


_RST_UNDERLINE = re.compile(r"^([=\-~^\"'`#*+<>:._])\1{2,}\s*$")


def read_rst(path: Path, data: bytes) -> list[Section]:
    """Split at reST section titles (a line underlined by punctuation)."""
    lines = decode(data).splitlines()
    sections: list[Section] = []
    levels: list[str] = []  # underline characters in the order the document first uses them
    trail = HeadingTrail()
    heading, start, buf = "", 1, []
    number = 0
    while number < len(lines):
        line = lines[number]
        nxt = lines[number + 1] if number + 1 < len(lines) else ""
        if line.strip() and not _RST_UNDERLINE.match(line) and _RST_UNDERLINE.match(nxt) and len(nxt.strip()) >= len(line.strip()):
            if "".join(buf).strip():
                sections.append(Section("\n".join(buf), start, heading, kind="rst"))
            char = nxt.strip()[0]
            if char not in levels:
                levels.append(char)
            heading = trail.enter(levels.index(char) + 1, line.strip())
            start, buf = number + 1, [line, nxt]
            number += 2
            continue
        buf.append(line)
        number += 1
    if "".join(buf).strip():
        sections.append(Section("\n".join(buf), start, heading, kind="rst"))
    return sections


def read_html(path: Path, data: bytes) -> list[Section]:
    from .html_text import html_sections

    return html_sections(decode(data))


def read_pdf(path: Path, data: bytes) -> list[Section]:
    with _quiet_logger("pypdf"):  # broken files are reported in our summary, not as stray log lines
        return _read_pdf(data)


@contextmanager
def _quiet_logger(name: str) -> Iterator[None]:
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _read_pdf(data: bytes) -> list[Section]:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableFile("encrypted PDF")
        pages = [page.extract_text() or "" for page in reader.pages]
    except UnreadableFile:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise UnreadableFile(f"unreadable PDF ({type(exc).__name__})") from exc
    except Exception as exc:  # pypdf raises a wide variety on broken files
        raise UnreadableFile(f"unreadable PDF ({type(exc).__name__})") from exc
    return [Section(text, 1, f"page {n}", page=n, kind="pdf") for n, text in enumerate(pages, 1) if text.strip()]


def read_notebook(path: Path, data: bytes) -> list[Section]:
    import nbformat

    try:
        nb = nbformat.reads(decode(data), as_version=4)
    except Exception as exc:
        raise UnreadableFile(f"unreadable notebook ({type(exc).__name__})") from exc
    sections = []
    heading = ""
    for number, cell in enumerate(nb.cells, 1):
        source = cell.get("source", "")
        if cell.cell_type == "markdown":
            for line in source.splitlines():
                match = _ATX.match(line)
                if match:
                    heading = match.group(2)
                    break
        if cell.cell_type in ("markdown", "code") and source.strip():
            sections.append(Section(source, 1, heading, cell=number, kind=cell.cell_type))
    return sections


def read_code(path: Path, data: bytes) -> list[Section]:
    return [Section(decode(data), 1, "", kind="code")]


def read_docx(path: Path, data: bytes) -> list[Section]:
    try:
        import docx  # python-docx, the optional "docx" extra
    except ImportError as exc:
        raise UnreadableFile("needs the docx extra: pip install 'jupyter-docchat[docx]'") from exc
    import io

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise UnreadableFile(f"unreadable .docx ({type(exc).__name__})") from exc
    sections: list[Section] = []
    heading, buf = "", []
    for para in document.paragraphs:
        if para.style is not None and para.style.name.lower().startswith("heading") and para.text.strip():
            if "".join(buf).strip():
                sections.append(Section("\n".join(buf), 1, heading, kind="docx"))
            heading, buf = para.text.strip(), []
        buf.append(para.text)
    if "".join(buf).strip():
        sections.append(Section("\n".join(buf), 1, heading, kind="docx"))
    return sections


def reader_for(path: Path) -> Callable[[Path, bytes], list[Section]] | None:
    ext = path.suffix.lower()
    if ext in TEXT_EXTS:
        return read_text
    if ext in MARKDOWN_EXTS:
        return read_markdown
    if ext in RST_EXTS:
        return read_rst
    if ext in HTML_EXTS:
        return read_html
    if ext == ".pdf":
        return read_pdf
    if ext == ".ipynb":
        return read_notebook
    if ext == ".docx":
        return read_docx
    if ext in CODE_EXTS:
        return read_code
    return None


def read_sections(path: Path, data: bytes) -> list[Section]:
    """Sections of one file; raises UnreadableFile for unsupported or broken files."""
    reader = reader_for(path)
    if reader is None:
        raise UnreadableFile("unsupported type")
    if path.suffix.lower() not in {".pdf", ".docx"} and looks_binary(data):
        raise UnreadableFile("binary")
    return reader(path, data)

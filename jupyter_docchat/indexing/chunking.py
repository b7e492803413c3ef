"""Split sections into chunks: structure first (sections), then size."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any, Callable, Iterable, Iterator

from jupyter_docchat.errors import DocChatError
from jupyter_docchat.indexing.read_progress import tick
from jupyter_docchat.types import Chunk, Section

# Characters handed to the splitter at once: a large section is cut in pieces at paragraph breaks, so the
# reading of one large file ticks its progress (read_progress) and no splitter call grows with the file.
WINDOW = 256 * 1024
# Names of langchain_text_splitters.Language members; the splitters load on first use, not with
# %load_ext (LangChain's import is most of the extension's start-up time otherwise).
_LANGUAGES = {
    ".py": "PYTHON", ".js": "JS", ".ts": "TS", ".java": "JAVA", ".go": "GO", ".rs": "RUST", ".c": "C", ".h": "C",
    ".cpp": "CPP", ".hpp": "CPP", ".cc": "CPP", ".md": "MARKDOWN", ".rst": "RST",
}


class Chunker:
    """Sections to chunks of at most ``chunk_size`` characters and the model's token window."""

    def __init__(self, chunk_size: int, chunk_overlap: int,
                 count_tokens: Callable[[list[str]], list[int]] | None = None, max_tokens: int = 0) -> None:
        if chunk_size < 50:
            raise DocChatError(f"chunk size must be at least 50 characters, not {chunk_size}")
        if not 0 <= chunk_overlap < chunk_size:
            raise DocChatError(f"chunk overlap must be between 0 and the chunk size ({chunk_size}), not {chunk_overlap}")
        self.chunk_size, self.chunk_overlap = chunk_size, chunk_overlap
        self.count_tokens, self.max_tokens = count_tokens, max_tokens
        self._splitters: dict[str, Any] = {}

    def _splitter(self, ext: str) -> Any:
        if ext not in self._splitters:
            from langchain_text_splitters import Language, RecursiveCharacterTextSplitter

            args = dict(chunk_size=self.chunk_size, chunk_overlap=self.chunk_overlap, add_start_index=True)
            lang = _LANGUAGES.get(ext)
            self._splitters[ext] = (RecursiveCharacterTextSplitter.from_language(Language[lang], **args) if lang
                                    else RecursiveCharacterTextSplitter(**args))
        return self._splitters[ext]

    def chunk(self, source: str, file_hash: str, sections: Iterable[Section]) -> list[Chunk]:
        ext = PurePosixPath(source).suffix.lower()
        pieces: list[tuple[Section, str, int]] = []
        merged = _merge_small(list(sections), self.chunk_size)
        total, done = sum(len(section.text) for section in merged), 0
        for section in merged:
            text = section.text
            if len(text) <= self.chunk_size:
                pieces.append((section, text.strip("\n"), section.start_line + _leading_newlines(text)))
                done += len(text)
                tick(done, total, "characters")
                continue
            lines = _LineCounter(text)
            for start, window in _windows(text, WINDOW):
                for doc in self._splitter(ext).create_documents([window]):
                    offset = start + max(doc.metadata.get("start_index", 0), 0)
                    line = section.start_line + lines.before(offset) + _leading_newlines(doc.page_content)
                    pieces.append((section, doc.page_content.strip("\n"), line))
                done += len(window)
                tick(done, total, "characters")
        pieces = [p for p in pieces if p[1].strip()]
        if self.count_tokens and self.max_tokens and pieces:
            pieces = self._fit_window(pieces)
        return [
            Chunk(text, source, file_hash, i, s.heading, s.page, s.cell, line, line + text.count("\n"), s.kind)
            for i, (s, text, line) in enumerate(pieces)
        ]

    def _fit_window(self, pieces: list[tuple[Section, str, int]]) -> list[tuple[Section, str, int]]:
        """Halve any piece the model would truncate, so nothing is silently cut. The pieces to count at one
        depth go to the tokenizer in one batch: a large file costs a few calls, not one per halving."""
        check = [True] * len(pieces)
        while any(check):
            asked = [n for n, c in enumerate(check) if c]
            counts = self.count_tokens([f"{pieces[n][0].heading}\n{pieces[n][1]}" for n in asked])
            over = {n for n, count in zip(asked, counts) if count > self.max_tokens and len(pieces[n][1]) >= 40}
            halved: list[tuple[Section, str, int]] = []
            check = []
            for n, (section, text, line) in enumerate(pieces):
                if n not in over:
                    halved.append((section, text, line))
                    check.append(False)
                    continue
                left, right = _halve(text)
                halved += [(section, left.rstrip("\n"), line), (section, right, line + left.count("\n"))]
                check += [True, True]
            pieces = halved
        return pieces


def _merge_small(sections: list[Section], limit: int) -> list[Section]:
    """Join neighbouring short sections of the same page/cell kind so chunks aren't just a heading."""
    merged: list[Section] = []
    for section in sections:
        last = merged[-1] if merged else None
        if (last is not None and last.page == section.page and last.cell is None and section.cell is None
                and len(last.text) + len(section.text) + 1 <= limit // 2):
            gap = max(section.start_line - last.start_line - last.text.count("\n") - 1, 0)
            last.text = last.text + "\n" * (gap + 1) + section.text
        else:
            merged.append(Section(section.text, section.start_line, section.heading, section.page, section.cell, section.kind))
    return merged


def _windows(text: str, size: int) -> Iterator[tuple[int, str]]:
    """``text`` in pieces of about ``size`` characters, cut at a paragraph break where there is one in the
    piece's second half (else a line break, a space), so no chunk spans two pieces it would have kept whole."""
    start = 0
    while len(text) - start > size:
        end = start + size
        for sep in ("\n\n", "\n", " "):
            cut = text.rfind(sep, start + size // 2, end)
            if cut > 0:
                end = cut + len(sep)
                break
        yield start, text[start:end]
        start = end
    yield start, text[start:]


class _LineCounter:
    """Line breaks before an offset, counted on from the last offset asked: chunks come in order, so a
    section costs one pass however many chunks it has (counting from 0 each time was quadratic)."""

    def __init__(self, text: str) -> None:
        self.text, self.offset, self.lines = text, 0, 0

    def before(self, offset: int) -> int:
        if offset < self.offset:  # not in order (the splitter could not place a chunk): count afresh
            self.offset, self.lines = 0, 0
        self.lines += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return self.lines


def _leading_newlines(text: str) -> int:
    return len(text) - len(text.lstrip("\n"))


def _halve(text: str) -> tuple[str, str]:
    middle = len(text) // 2
    for sep in ("\n\n", "\n", ". ", " "):
        cut = text.rfind(sep, 0, middle + len(text) // 4)
        if cut > len(text) // 4:
            cut += len(sep)
            return text[:cut], text[cut:]
    return text[:middle], text[middle:]

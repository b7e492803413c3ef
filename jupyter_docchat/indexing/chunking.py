"""Split sections into chunks: structure first (sections), then size."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any, Callable, Iterable

from jupyter_docchat.settings import check_chunking
from jupyter_docchat.types import Chunk, Section

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
        check_chunking(chunk_size, chunk_overlap)
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
        for section in _merge_small(list(sections), self.chunk_size):
            text = section.text
            if len(text) <= self.chunk_size:
                pieces.append((section, text.strip("\n"), section.start_line + _leading_newlines(text)))
                continue
            for doc in self._splitter(ext).create_documents([text]):
                offset = doc.metadata.get("start_index", 0)
                offset = max(offset, 0)
                line = section.start_line + text.count("\n", 0, offset) + _leading_newlines(doc.page_content)
                pieces.append((section, doc.page_content.strip("\n"), line))
        pieces = [p for p in pieces if p[1].strip()]
        if self.count_tokens and self.max_tokens:
            pieces = self._fit_window(pieces)
        return [
            Chunk(text, source, file_hash, i, s.heading, s.page, s.cell, line, line + text.count("\n"), s.kind)
            for i, (s, text, line) in enumerate(pieces)
        ]

    def _fit_window(self, pieces: list[tuple[Section, str, int]]) -> list[tuple[Section, str, int]]:
        """Halve any piece the model would truncate, so nothing is silently cut."""
        counts = self.count_tokens([f"{s.heading}\n{t}" for s, t, _ in pieces]) if pieces else []
        out: list[tuple[Section, str, int]] = []
        for (section, text, line), count in zip(pieces, counts):
            if count <= self.max_tokens or len(text) < 40:
                out.append((section, text, line))
                continue
            left, right = _halve(text)
            out.extend(self._fit_window([(section, left.rstrip("\n"), line),
                                         (section, right, line + left.count("\n"))]))
        return out


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

"""Text longer than a chunk cut at the most structural separator it holds, as LangChain's
``RecursiveCharacterTextSplitter`` cuts it (``keep_separator=True``, ``strip_whitespace=True``).

The same algorithm and the same separators, so every chunk of a store stays what it was
(tests/test_text_splitter.py checks the two agree on random text for every format), without importing
LangChain where files are read: ``langchain_text_splitters`` loads ``langchain_core`` and pydantic, 0.2 s of
every reading worker's start and of a small folder's whole keyword pass (bench/keyword_pass.py).
"""

from __future__ import annotations

import re
from collections import deque
from functools import lru_cache

_LINES = ("\n\n", "\n", " ", "")

# LangChain's separators by language (``RecursiveCharacterTextSplitter.get_separators_for_language``),
# regular expressions, most structural first. Perl has none there (LangChain raises, and a .pl file stopped
# the whole index): it is cut as plain text.
_CODE: dict[str, tuple[str, ...]] = {
    "PYTHON": ("\nclass ", "\ndef ", "\n\tdef ", *_LINES),
    "JS": ("\nfunction ", "\nconst ", "\nlet ", "\nvar ", "\nclass ", "\nif ", "\nfor ", "\nwhile ", "\nswitch ",
           "\ncase ", "\ndefault ", *_LINES),
    "TS": ("\nenum ", "\ninterface ", "\nnamespace ", "\ntype ", "\nclass ", "\nfunction ", "\nconst ", "\nlet ",
           "\nvar ", "\nif ", "\nfor ", "\nwhile ", "\nswitch ", "\ncase ", "\ndefault ", *_LINES),
    "JAVA": ("\nclass ", "\npublic ", "\nprotected ", "\nprivate ", "\nstatic ", "\nif ", "\nfor ", "\nwhile ",
             "\nswitch ", "\ncase ", *_LINES),
    "GO": ("\nfunc ", "\nvar ", "\nconst ", "\ntype ", "\nif ", "\nfor ", "\nswitch ", "\ncase ", *_LINES),
    "RUST": ("\nfn ", "\nconst ", "\nlet ", "\nif ", "\nwhile ", "\nfor ", "\nloop ", "\nmatch ", *_LINES),
    "C": ("\nclass ", "\nvoid ", "\nint ", "\nfloat ", "\ndouble ", "\nif ", "\nfor ", "\nwhile ", "\nswitch ",
          "\ncase ", *_LINES),
    "MARKDOWN": ("\n#{1,6} ", "```\n", "\n\\*\\*\\*+\n", "\n---+\n", "\n___+\n", *_LINES),
    "RST": ("\n=+\n", "\n-+\n", "\n\\*+\n", "\n\n.. *\n\n", *_LINES),
    "LATEX": ("\n\\\\chapter{", "\n\\\\section{", "\n\\\\subsection{", "\n\\\\subsubsection{",
              "\n\\\\begin{enumerate}", "\n\\\\begin{itemize}", "\n\\\\begin{description}", "\n\\\\begin{list}",
              "\n\\\\begin{quote}", "\n\\\\begin{quotation}", "\n\\\\begin{verse}", "\n\\\\begin{verbatim}",
              "\n\\\\begin{align}", "$$", "$", " ", ""),
    "RUBY": ("\ndef ", "\nclass ", "\nif ", "\nunless ", "\nwhile ", "\nfor ", "\ndo ", "\nbegin ", "\nrescue ",
             *_LINES),
    "PHP": ("\nfunction ", "\nclass ", "\nif ", "\nforeach ", "\nwhile ", "\ndo ", "\nswitch ", "\ncase ", *_LINES),
    "KOTLIN": ("\nclass ", "\npublic ", "\nprotected ", "\nprivate ", "\ninternal ", "\ncompanion ", "\nfun ",
               "\nval ", "\nvar ", "\nif ", "\nfor ", "\nwhile ", "\nwhen ", "\nelse ", *_LINES),
    "SWIFT": ("\nfunc ", "\nclass ", "\nstruct ", "\nenum ", "\nif ", "\nfor ", "\nwhile ", "\ndo ", "\nswitch ",
              "\ncase ", *_LINES),
    "SCALA": ("\nclass ", "\nobject ", "\ndef ", "\nval ", "\nvar ", "\nif ", "\nfor ", "\nwhile ", "\nmatch ",
              "\ncase ", *_LINES),
    "CSHARP": ("\ninterface ", "\nenum ", "\ndelegate ", "\nevent ", "\nclass ", "\nabstract ", "\npublic ",
               "\nprotected ", "\nprivate ", "\nstatic ", "\nreturn ", "\nif ", "\ncontinue ", "\nfor ", "\nforeach ",
               "\nwhile ", "\nswitch ", "\nbreak ", "\ncase ", "\nelse ", "\ntry ", "\nthrow ", "\nfinally ",
               "\ncatch ", *_LINES),
    "LUA": ("\nlocal ", "\nfunction ", "\nif ", "\nfor ", "\nwhile ", "\nrepeat ", *_LINES),
    "HASKELL": ("\nmain :: ", "\nmain = ", "\nlet ", "\nin ", "\ndo ", "\nwhere ", "\n:: ", "\n= ", "\ndata ",
                "\nnewtype ", "\ntype ", "\nmodule ", "\nimport ", "\nqualified ", "\nimport qualified ", "\nclass ",
                "\ninstance ", "\ncase ", "\n| ", "\n= {", "\n, ", *_LINES),
}
_CODE["CPP"] = _CODE["C"]

LANGUAGES = frozenset(_CODE)


class RecursiveSplitter:
    """Cuts text into pieces of at most ``chunk_size`` characters (unless no separator allows it), each
    overlapping the one before by up to ``chunk_overlap``; a separator stays at the start of what follows it."""

    def __init__(self, chunk_size: int, chunk_overlap: int, language: str | None = None) -> None:
        self.chunk_size, self.chunk_overlap = chunk_size, chunk_overlap
        code = _CODE.get(language or "")
        # Plain text's separators are literal strings; a language's are regular expressions.
        self._separators = [_compiled(s) for s in code] if code else [_compiled(re.escape(s)) for s in _LINES]

    def split_text(self, text: str) -> list[str]:
        return self._split(text, self._separators)

    def _split(self, text: str, separators: list[re.Pattern[str] | None]) -> list[str]:
        chunks: list[str] = []
        separator, rest = separators[-1], []
        for i, candidate in enumerate(separators):
            if candidate is None:  # "": any character
                separator = None
                break
            if candidate.search(text):
                separator, rest = candidate, separators[i + 1:]
                break
        good: list[str] = []
        for piece in _split_keeping(text, separator):
            if len(piece) < self.chunk_size:
                good.append(piece)
                continue
            if good:
                chunks.extend(self._merge(good))
                good = []
            chunks.extend(self._split(piece, rest) if rest else [piece])
        if good:
            chunks.extend(self._merge(good))
        return chunks

    def _merge(self, splits: list[str]) -> list[str]:
        """Neighbouring splits joined up to the chunk size, the last ``chunk_overlap`` characters carried on."""
        docs: list[str] = []
        current: deque[str] = deque()  # LangChain's list, sliced from the front: quadratic in a line of characters
        total = 0
        for piece in splits:
            size = len(piece)
            if total + size > self.chunk_size:
                if current:
                    _keep(docs, "".join(current))
                    while total > self.chunk_overlap or (total + size > self.chunk_size and total > 0):
                        total -= len(current.popleft())
            current.append(piece)
            total += size
        _keep(docs, "".join(current))
        return docs


@lru_cache(maxsize=None)
def _compiled(pattern: str) -> re.Pattern[str] | None:
    return re.compile(pattern) if pattern else None


def _split_keeping(text: str, separator: re.Pattern[str] | None) -> list[str]:
    """``text`` cut before each match of ``separator`` (the match starting the next piece), or into
    characters; empty pieces dropped."""
    if separator is None:
        return list(text)
    parts = re.split(f"({separator.pattern})", text)
    splits = [parts[0]] + [parts[i] + parts[i + 1] for i in range(1, len(parts) - 1, 2)]
    return [s for s in splits if s]


def _keep(docs: list[str], text: str) -> None:
    text = text.strip()
    if text:
        docs.append(text)

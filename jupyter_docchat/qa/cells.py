"""This notebook's cells as sources: the session's code (``In``) with its text results (``Out``), and the
Markdown cells of the saved notebook when the front-end says which file it is.

Cells are ranked by the same hybrid search as documents (``retrieval.search``), over a small
in-memory ``Retriever``: FTS5 in an in-memory SQLite for words, and vectors made on the fly by the
query session and kept in ``vector_cache``, so a cell is embedded once per kernel. A long notebook
has only ``DENSE_CELLS`` of its cells ranked by meaning for a question (those sharing its words, then
the newest), so its cost grows with its length only by reading it and ranking by words.
"""

from __future__ import annotations

import functools
import json
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from jupyter_docchat.errors import DocChatError
from jupyter_docchat.paths import user_path
from jupyter_docchat.qa.key_guard import secret_values, shown_by_reading, without_secrets
from jupyter_docchat.qa.time_budget import OutOfTime, within
from jupyter_docchat.qa.variables import shown_value
from jupyter_docchat.qa.vector_cache import Embed, cosine, vectors
from jupyter_docchat.retrieval.fusion import Fusion
from jupyter_docchat.retrieval.search import hybrid_search
from jupyter_docchat.store.records import ChunkRow
from jupyter_docchat.store.terms import fts_match
from jupyter_docchat.safe_text import clean_text, cut, safe_repr
from jupyter_docchat.types import Hit

CELL_CHARS = 1500  # a cell's code and result, as a source
RESULT_CHARS = 500
RESULT_SECONDS = 1.0  # for a result's repr: one that never returns shows its type
NEWEST_CELLS = 300  # a long session's older cells are left out (each new cell costs an embedding once)
# Cells that ask docchat something are the conversation, not a source.
_OWN_MAGICS = re.compile(
    r"get_ipython\(\)\.run_(line|cell)_magic\(['\"](ask|docchat\w*)['\"]|^\s*%%?(ask|docchat)"
    r"|run_line_magic\(['\"]load_ext['\"], ['\"](docchat|jupyter_docchat)['\"]|run_line_magic\(['\"]config['\"], ['\"]DocChat",
    re.M)
# Cells are few and short: the file levers that help on documents have nothing to act on.
CELL_FUSION = Fusion(rrf_k=20)
# Cells embedded for one query at most (about 15 s the first time on two shared cores, nothing once cached).
DENSE_CELLS = 400
EMBED_BATCH = 32  # cells embedded between two ticks of the progress bar


@dataclass
class Cell:
    label: str  # "cell [12]" or "markdown cell 4"
    text: str
    number: int


def session_cells(inputs: Sequence[str], outputs: Mapping[int, Any], skip: int | None = None,
                  printed: Mapping[str, str] | None = None) -> list[Cell]:
    """Code cells run in this session (``In[n]`` with ``Out[n]``), newest last; ``skip`` is the asking cell.
    ``printed``: what the saved notebook shows a cell of the same code printed (``saved_printed``)."""
    kept = [(number, code) for number, code in enumerate(inputs)
            if number and number != skip and isinstance(code, str) and code.strip() and not _OWN_MAGICS.search(code)]
    kept = kept[-NEWEST_CELLS:]
    secrets = cell_secrets(inputs)
    cells = []
    for number, code in kept:  # only these pay for a repr of their result
        text = code.strip()
        if number in outputs:
            # hidden before it is cut: a key cut in two at the end was shown in part
            result = _result(outputs[number])
            text += "\n# result:\n" + cut(without_secrets(result, secrets | shown_by_reading(code, result)), RESULT_CHARS)
        # IPython keeps a cell's result, not what it printed: a loss or a count a loop printed was only in the saved
        # notebook's outputs, and "--notebook" answered without it.
        if shown := (printed or {}).get(code.strip()):
            text += "\n# printed:\n" + cut(without_secrets(shown, secrets | shown_by_reading(code, shown)), RESULT_CHARS)
        cells.append(Cell(f"cell [{number}]", clean_text(cut(without_secrets(text, secrets), CELL_CHARS)), number))
    return cells


def cell_secrets(inputs: Sequence[Any]) -> set[str]:
    """The strings the session's cells give to a secret's name (``key_guard.secret_values``), every cell's: a key set
    in cell 5 and shown again in the result of cell 900 was quoted."""
    return {value for code in inputs if isinstance(code, str) for value in _secrets_of(code)}


@functools.lru_cache(maxsize=8192)
def _secrets_of(code: str) -> frozenset[str]:
    # A cell's code does not change: each question of a long session looked at all its cells again (a second for
    # 5,000 cells of a kilobyte)
    return frozenset(secret_values(code))


def _result(value: Any) -> str:
    try:
        return within(RESULT_SECONDS, lambda: safe_repr(shown_value(value)))
    except OutOfTime:
        return f"<{type(value).__name__} whose repr did not finish>"


def notebook_markdown_cells(path: str | Path, secrets: Iterable[str] = ()) -> list[Cell]:
    """The Markdown cells of the saved notebook at ``path`` (nothing when it cannot be read), without ``secrets`` (the
    session's cells') nor the strings its own code cells give to a secret's name: a Markdown note repeating the key a
    code cell set ("The client uses the key sk-...") was quoted whole (probe 28)."""
    saved = _saved_cells(Path(path))
    hidden = set(secrets) | {value for cell in saved if isinstance(cell, dict) and cell.get("cell_type") == "code"
                             for value in secret_values(_source(cell))}
    cells = []
    for number, cell in enumerate(saved, 1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "markdown":
            continue
        text = clean_text(_source(cell)).strip()
        if text:
            cells.append(Cell(f"markdown cell {number}", cut(without_secrets(text, hidden), CELL_CHARS), number))
    return cells


# A line IPython runs as a shell command or a magic ("!cat config.ini", "files = !ls", "%timeit f()").
_SHELL_OR_MAGIC = re.compile(r"^\s*(?:[!%]|\w+\s*=\s*[!%])", re.M)


def saved_printed(path: str | Path, as_run: Callable[[str], str] | None = None) -> dict[str, str]:
    """What each code cell of the saved notebook at ``path`` printed or displayed (standard output and error, a
    ``display()``'s text, an error's line; not its result, which ``Out`` holds), by the cell's code as ``In`` holds
    it: ``as_run`` is the shell's translation of a cell with shell commands or magics (``In`` holds
    "get_ipython().system('ls')" for "!ls": the output of such a cell was never found, probe 30)."""
    try:
        stat = Path(path).stat()
    except OSError:
        return {}
    return dict(_printed(Path(path), stat.st_mtime_ns, stat.st_size, as_run))


@functools.lru_cache(maxsize=2)
def _printed(path: Path, mtime_ns: int, size: int, as_run: Callable[[str], str] | None) -> dict[str, str]:
    """saved_printed's outputs, once per change of the file: every question with --notebook asked for them, 0.26 CPU-s
    each on a notebook of 5,000 code cells (probe 30)."""
    from jupyter_docchat.indexing.readers.notebook_outputs import outputs_text

    # Each code's outputs, as many as cells of that code: two cells of one code ("print(loss)" after each of two
    # fits) printed different things, and the last one's was quoted under both session cells of that code (probe 30).
    # Which one a session cell is cannot be told: such a code has none.
    printed: dict[str, set[str]] = {}
    for cell in _read_cells(path, mtime_ns, size):
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            outputs = cell.get("outputs")
            outputs = outputs if isinstance(outputs, list) else []
            shown = [out for out in outputs if isinstance(out, dict) and out.get("output_type") != "execute_result"]
            # cleaned by the reader, as an indexed notebook's outputs are (session_cells cleans the cell's text again)
            printed.setdefault(_as_in(_source(cell), as_run), set()).add(outputs_text(shown, RESULT_CHARS).strip())
    return {code: next(iter(texts)) for code, texts in printed.items() if len(texts) == 1 and next(iter(texts))}


def _as_in(source: str, as_run: Callable[[str], str] | None) -> str:
    if as_run is not None and _SHELL_OR_MAGIC.search(source):
        try:
            return as_run(source).strip()
        except Exception:  # a cell the shell cannot translate: it never ran as such either
            return source.strip()
    return source.strip()


def _source(cell: Mapping[str, Any]) -> str:
    """A saved cell's code or text, read as the indexer reads it: a broken cell's source (a number, a list holding one)
    is nothing, not its repr. Imported here: the readers' package is not loaded until a notebook is asked about."""
    from jupyter_docchat.indexing.readers.notebook_outputs import joined_text

    return joined_text(cell.get("source"))


def _saved_cells(path: Path) -> list:
    """A saved notebook's cells. Version 4 is read as the JSON it is: nbformat's validation takes
    seconds on a notebook of 20,000 cells and is not needed to find Markdown; older ones are converted.
    Read once for a question's Markdown cells and printed outputs, again once the file changes."""
    try:
        stat = path.stat()
    except OSError:
        return []
    return _read_cells(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=2)
def _read_cells(path: Path, mtime_ns: int, size: int) -> list:
    try:
        data = json.loads(path.read_bytes())
        if isinstance(data, dict) and data.get("nbformat") == 4:
            cells = data.get("cells")
            return cells if isinstance(cells, list) else []
        import nbformat

        return nbformat.read(str(path), as_version=4).cells
    except Exception:  # not saved yet, not a notebook, too deeply nested: the session's cells still count
        return []


def notebook_path(namespace: Mapping[str, Any], environ: Mapping[str, str], cwd: str | Path) -> Path | None:
    """The notebook file this kernel runs, as the front-end told it: ipykernel's ``__session__`` (or
    ``__vsc_ipynb_file__`` in VS Code), else Jupyter Server's ``JPY_SESSION_NAME``."""
    for candidate in (namespace.get("__session__"), namespace.get("__vsc_ipynb_file__"), environ.get("JPY_SESSION_NAME")):
        if isinstance(candidate, str) and candidate.endswith(".ipynb"):
            try:
                path = user_path(candidate)
            except DocChatError:  # under no user's home: not this kernel's notebook
                continue
            path = path if path.is_absolute() else Path(cwd) / path
            if path.is_file():
                return path
    return None


class CellRetriever:
    """A ``retrieval.search.Retriever`` over cells, held in memory for one question."""

    def __init__(self, cells: list[Cell], embed: Embed, progress: bool = False) -> None:
        self.cells = {f"cell:{c.number}:{c.label}": c for c in cells}
        self._embed, self._progress = embed, progress
        self._db = sqlite3.connect(":memory:")
        self._db.execute("CREATE VIRTUAL TABLE cells USING fts5 (id UNINDEXED, text, tokenize='porter unicode61')")
        self._db.executemany("INSERT INTO cells VALUES (?, ?)", [(i, c.text) for i, c in self.cells.items()])

    def filled_share(self) -> float:
        return 1.0

    def dense(self, query: str, limit: int) -> list[tuple[str, float]]:
        ids = self._dense_pool(query)
        if not ids:
            return []
        found = self._vectors([self.cells[i].text for i in ids])
        q = vectors([query], self._embed)[0]
        scored = sorted(((i, cosine(q, v)) for i, v in zip(ids, found)), key=lambda p: -p[1])
        return scored[:limit]

    def _dense_pool(self, query: str) -> list[str]:
        """The cells ranked by meaning: all of a notebook of up to DENSE_CELLS; of a longer one, those
        that share the question's words, then the newest."""
        ids = list(self.cells)
        if len(ids) <= DENSE_CELLS:
            return ids
        pool = dict.fromkeys(i for i, _ in self.lexical(query, DENSE_CELLS // 2))
        for i in reversed(ids):  # session cells (newest last) follow the saved notebook's
            if len(pool) >= DENSE_CELLS:
                break
            pool.setdefault(i)
        return list(pool)

    def _vectors(self, texts: list[str]) -> list[list[float]]:
        """``vectors`` of the cells, in batches under a progress bar when there are many to embed."""
        if self._progress and len(texts) > EMBED_BATCH:
            from tqdm.auto import tqdm

            with tqdm(total=len(texts), desc="docchat: embedding this notebook's cells", unit="cell", leave=False) as bar:
                for start in range(0, len(texts), EMBED_BATCH):
                    bar.update(len(vectors(texts[start:start + EMBED_BATCH], self._embed)))
        return vectors(texts, self._embed)

    def lexical(self, query: str, limit: int) -> list[tuple[str, float]]:
        match = fts_match(query)
        if not match:
            return []
        rows = self._db.execute("SELECT id, bm25(cells) FROM cells WHERE cells MATCH ? ORDER BY bm25(cells) LIMIT ?",
                                (match, limit)).fetchall()
        return [(r[0], -r[1]) for r in rows]

    def sources_of(self, ids: list[str]) -> dict[str, str]:
        return {i: i for i in ids}

    def pages_of(self, ids: list[str]) -> dict[str, int]:
        return {}

    def close(self) -> None:
        self._db.close()

    def rows(self, ids: list[str]) -> dict[str, ChunkRow]:
        return {i: ChunkRow(self.cells[i].text, {"source": self.cells[i].label}) for i in ids if i in self.cells}


def cell_hits(cells: list[Cell], queries: list[tuple[str, float]], embed: Embed, k: int = 3,
              progress: bool = False) -> list[Hit]:
    """The ``k`` cells that best match the queries, as hits cited by their label."""
    if not cells or k <= 0:
        return []
    retriever = CellRetriever(cells, embed, progress)
    try:
        hits = hybrid_search(retriever, queries, k, "hybrid", fusion=CELL_FUSION)
    finally:
        retriever.close()
    for hit in hits:
        cell = retriever.cells[hit.id]
        hit.source, hit.heading, hit.origin, hit.path = "this notebook", cell.label, "cell", ""
        hit.end_line = cell.text.count("\n") + 1
    return hits

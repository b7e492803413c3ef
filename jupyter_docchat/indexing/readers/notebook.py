"""Jupyter notebooks: one section per Markdown or code cell (code fenced, with what it printed), under the last
Markdown heading above it."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any

from jupyter_docchat.indexing.readers.base import UnreadableFile, decode
from jupyter_docchat.indexing.readers.clean import shorten_runs
from jupyter_docchat.indexing.readers.markdown import (collection_paused, heading_text, parse_blocks, shown_markdown,
                                                       top_headings)
from jupyter_docchat.indexing.readers.notebook_outputs import data_cell, joined_text, kept_lines, output_chars, outputs_text
from jupyter_docchat.safe_text import fenced, fences_closed
from jupyter_docchat.types import CODELESS_OUTPUT_LABEL, OUTPUT_LABEL, HeadingTrail, Section

# The lines that can make a titled heading outside a list or a quote: an ATX line with text, a setext underline.
# markdown-it says which of them are headings; a cell with none of them is not parsed at all, and a parse stops
# not far below them. (A cell of "\n# " repeated, empty headings, took markdown-it 6 s a megabyte.)
# A title is any character but white space further on the line: markdown-it reads "# \u00a0Results" and
# "# \u3000結果" (a no-break or ideographic space pasted after the "# ") as headings, which "[ \t]+\S" missed
# (probe 19). One space, then a look ahead: the line is scanned once, however long its run of spaces. An HTML heading
# element opens a line too (markdown.top_headings reads it as a heading; probe 31).
_MAY_HEAD = re.compile(r"^ {0,3}(?:#{1,6}[ \t](?=[^\n]*?\S)|(?:=+|-+)[ \t]*$|<[hH][1-6]\b)", re.MULTILINE)


def read_notebook(path: Path, data: bytes) -> list[Section]:
    text = decode(data)
    cells = _cells_of_version_4(text)
    if cells is None:
        _check_json(text)
        cells = _cells_by_nbformat(text)
    return _sections(cells)


_LFS_POINTER = "version https://git-lfs.github.com/spec/"
# Git's three marker lines, each looked for once (one pattern across them backtracked over the file from each "<<<<<<<").
_CONFLICT_LINES = (re.compile(r"^<{7}(?: |$)", re.MULTILINE), re.compile(r"^={7}$", re.MULTILINE),
                   re.compile(r"^>{7}(?: |$)", re.MULTILINE))


def _check_json(text: str) -> None:
    """Raise UnreadableFile, saying why, for a file that is no JSON: nbformat reads a notebook with Python's json too and
    refuses what it refuses. Each was "unreadable notebook (NotJSONError)", after importing nbformat (0.14 CPU-s): a
    Git LFS pointer checked out without its notebook, a merge conflict left in one, an empty file (probe 35)."""
    import json

    if not text.strip():
        raise UnreadableFile("unreadable notebook (empty file)")
    if text.startswith(_LFS_POINTER):
        raise UnreadableFile("a Git LFS pointer, not the notebook (git lfs pull fetches it)")
    try:
        json.loads(text)
    except RecursionError:
        raise UnreadableFile("unreadable notebook (JSON nested too deep)") from None
    except ValueError:
        if all(marker.search(text) for marker in _CONFLICT_LINES):
            raise UnreadableFile("unreadable notebook (an unresolved merge conflict: <<<<<<< lines)") from None
        raise UnreadableFile("unreadable notebook (not JSON)") from None


def _cells_of_version_4(text: str) -> list[tuple[object, str, object]] | None:
    """(type, source, outputs) of each cell of a notebook of format 4 (what Jupyter has written since 2015), read from
    its JSON as nbformat would give them; None for anything else. Importing nbformat took 1.2 CPU-s (its jsonschema
    builds IRI grammars), most of reading a folder of 76 notebooks in one process (bench/keyword_pass.py: 0.64 MB/s),
    and it checks each notebook against its schema only to log what fails."""
    import json

    try:
        nb = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(nb, dict) or nb.get("nbformat") != 4 or not isinstance(nb.get("cells"), list):
        return None
    cells = [cell if isinstance(cell, dict) else {} for cell in nb["cells"]]
    return [(cell.get("cell_type"), joined_text(cell.get("source", "")), cell.get("outputs")) for cell in cells]


def _cells_by_nbformat(text: str) -> list[tuple[object, str, object]]:
    """Cells of an older notebook (format 3's worksheets, "input" and "pyout"), as nbformat converts it to format 4."""
    import warnings

    from jupyter_docchat.store.chroma_import import iri_grammars_deferred

    with iri_grammars_deferred():  # nbformat's jsonschema: its IRI grammars cost a second to build
        import nbformat

    try:
        with warnings.catch_warnings():  # cells without ids and the like: the notebook reads all the same
            warnings.simplefilter("ignore")
            notebook = nbformat.reads(text, as_version=4)
    except Exception as exc:
        return _cells_as_written(text, exc)
    else:
        # Without its "nbformat" version nbformat takes a file for version 3, whose code cells hold "input":
        # every code cell of {"cells": [...]} as a script writes it was read empty (probe 14).
        # A source nbformat leaves as it is, when the notebook fails its schema (null, a number, an object): a string
        # all the same, as a notebook nbformat refuses has (its .strip() stopped the whole folder's index, probe 30).
        return ([(cell.get("cell_type"), joined_text(cell.get("source", "")), cell.get("outputs")) for cell in notebook.cells]
                if '"nbformat"' in text else _cells_as_written(text, None))


def _sections(cells: list[tuple[object, str, object]]) -> list[Section]:
    sections = []
    heading = ""
    for number, (cell_type, source, outputs) in enumerate(cells, 1):
        if cell_type == "markdown" and source.strip():
            for part, title, env, line in _parts(shown_markdown(source)):
                if title:
                    heading = str(HeadingTrail((heading_text(title, env),)))  # one level, whatever ">" it holds
                if part.strip():
                    sections.append(Section(fences_closed(part), line, heading, cell=number, kind=cell_type))
        elif cell_type == "code":
            # Fenced, as Jupyter's own Markdown export writes a code cell: joined under the Markdown cell before
            # it (chunking), it reads as a block under its introduction, not as more of the paragraph.
            code = fenced(kept_lines(shorten_runs(source.rstrip())) if data_cell(source) else source.rstrip()) \
                if source.strip() else ""
            printed = outputs_text(outputs, output_chars(source))
            # A block of its own under "Output:", as the answer quotes it: not more of the code. A cell whose code was
            # cleared keeps its output (a notebook saved for its results, a tool's cell of output alone): it was
            # left out whole (probe 29). Its label says so: under "Output:" an answer would quote it as the output
            # of the code cell above.
            label = OUTPUT_LABEL if code else CODELESS_OUTPUT_LABEL
            text = "\n\n".join(filter(None, [code, f"{label}\n\n{fenced(printed)}" if printed else ""]))
            if text:
                sections.append(Section(text, 0, heading, cell=number, kind=cell_type))
    return sections


def _parts(source: str) -> list[tuple[str, str, dict[str, Any], int]]:
    """A Markdown cell cut at its titled headings: (text, its title or "" above the first, link reference
    definitions, first line from 1). Text above a cell's first heading belongs to the heading before the cell, and
    the cells after it to its last heading: a whole cell under its first heading cited "Setup" for the lines above
    it, and the code below "## Fit" in the same cell as "## Load" (probe 28). A title with nothing under it in the
    cell ("# Naive Bayes" over "## Different distributions") heads no piece of its own: it goes with the next, as
    a title alone is joined with what it heads in a page.

    Only a cell of a few heading-like lines is parsed whole for its headings: a cell of thousands ("\n# a"
    repeated) is cut at its first only, which the reader finds without parsing the rest (see _first_head)."""
    text = source.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) <= _PARSED_WHOLE and 1 < sum(1 for _ in islice(_MAY_HEAD.finditer(text), _HEAD_LINES + 1)) <= _HEAD_LINES:
        env: dict[str, Any] = {}
        heads = [head for head in top_headings(parse_blocks(text, env, front_matter=False)) if head[2].strip()]
    else:
        head, env = _first_head(source)
        heads = [head] if head else []
    if not heads or (len(heads) == 1 and heads[0][0] == 0):
        return [(source, heads[0][2] if heads else "", env, 1)]
    lines = text.split("\n")
    parts: list[tuple[str, str, dict[str, Any], int]] = []
    if heads[0][0] > 0:
        parts.append(("\n".join(lines[:heads[0][0]]), "", env, 1))
    start = heads[0][0]
    for n, head in enumerate(heads):
        end = heads[n + 1][0] if n + 1 < len(heads) else len(lines)
        if n + 1 < len(heads) and not "\n".join(lines[head[0] + head[3]:end]).strip():
            continue  # a title alone: it opens the next piece, under that piece's title
        parts.append(("\n".join(lines[start:end]), head[2], env, start + 1))
        start = end
    return parts


# A cell parsed whole for its headings: at most this long, with at most this many lines that may make a heading.
_PARSED_WHOLE = 100_000
_HEAD_LINES = 64


def _first_title(source: str) -> tuple[str, dict[str, Any]]:
    """The first heading with a title in a Markdown cell, as written, and the link reference definitions it may use
    (see _first_head)."""
    head, env = _first_head(source)
    return (head[2] if head else ""), env


def _first_head(source: str) -> tuple[tuple[int, int, str, int] | None, dict[str, Any]]:
    """The first heading with a title in a Markdown cell, as markdown-it reads it in a .md file (never a fenced
    block's or an HTML block's line, a setext title too), as written, and the link reference definitions it may use.

    The lines down to twice the first that may make a heading are parsed first: an ATX title there is the cell's
    (it ends any paragraph, table or link reference definition above it, whatever lies below). Otherwise the cell
    is parsed, block by block, each block's tokens final once pushed, down to the block after its first titled
    top-level heading or to the first block below the last line that may make one (_MAY_HEAD): once at most. It was
    parsed twice as far each time until its title was settled, two to three parses of a cell of lines that look
    like headings and are none ("- x\n  # a\n" repeated: 20 s/MB)."""
    text = source.replace("\r\n", "\n").replace("\r", "\n")  # markdown-it's lines
    found = _MAY_HEAD.search(text)
    if found is None:
        return None, {}
    last = found
    for last in _MAY_HEAD.finditer(text, found.end()):
        pass
    last_line = text.count("\n", 0, last.start())
    first_line = text.count("\n", 0, found.start())
    cut = _offset(text, 2 * (first_line + 1), found.start())
    if cut < len(text):
        env: dict[str, Any] = {}
        heads = _titled_heads(text[:cut], env, last_line)
        if heads and heads[0][3] == 1:
            return heads[0], _with_definitions(text, heads[0], env)
    env = {}
    heads = _titled_heads(text, env, last_line)
    return (heads[0], _with_definitions(text, heads[0], env)) if heads else (None, env)


def _titled_heads(text: str, env: dict[str, Any], last: int) -> list[tuple[int, int, str, int]]:
    return [head for head in top_headings(_parse_to_title(text, env, last)) if head[2].strip()]


def _with_definitions(text: str, head: tuple[int, int, str, int], env: dict[str, Any]) -> dict[str, Any]:
    """The definitions a title's reference links may use, when some are below where the parse stopped, their label
    ending "]:" (the whole cell parsed for them)."""
    if "[" in head[2] and text.find("]:", _offset(text, head[0])) >= 0:
        parse_blocks(text, env, front_matter=False)
    return env


class _Stop(Exception):
    """The parse has gone as far as a cell's title needs: its tokens so far."""

    def __init__(self, tokens: list[Any]) -> None:
        super().__init__()
        self.tokens = tokens


def _parse_to_title(text: str, env: dict[str, Any], last: int) -> list[Any]:
    """``text``'s block tokens down to its first titled top-level heading and the block after, or to the first
    top-level block below line ``last``."""
    env[_LAST] = last
    try:
        with collection_paused():
            return _title_parser().parse(text, env)
    except _Stop as stop:
        return stop.tokens
    finally:
        del env[_LAST]


_LAST = "docchat last line that may head"  # the parse's env, which a rule sees (the parser is shared by threads)


def _stop(state: Any, line: int, end: int, silent: bool) -> bool:
    """A block rule tried first at each block: matches none, and stops the parse at a top-level block that starts
    below a titled top-level heading or below the last line that may make one."""
    if state.level == 0 and not silent:
        tokens = state.tokens
        if line > state.env[_LAST] or (
                len(tokens) >= 2 and tokens[-1].type == "heading_close" and tokens[-1].level == 0
                and tokens[-2].content.strip()):
            raise _Stop(tokens)
    return False


@lru_cache(maxsize=1)
def _title_parser() -> Any:
    """markdown-it as the Markdown reader parses a cell (markdown._block_parser without front matter), with _stop."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark").enable("table").disable("inline")
    parser.block.ruler.before("table", "docchat_stop", _stop)
    return parser


def _offset(text: str, line: int, at: int = 0) -> int:
    """Where line ``line`` (from 0) of ``text`` starts (``len(text)`` past its end), looked for from ``at``, the
    start of a line before it."""
    for _ in range(line - text.count("\n", 0, at)):
        at = text.find("\n", at) + 1
        if at == 0:
            return len(text)
    return at


def _cells_as_written(text: str, refused: Exception | None) -> list[tuple[object, str, object]]:
    """(type, source, outputs) of each cell of a notebook nbformat refuses for its schema (a cell without metadata,
    an output of an unknown type: what tools other than Jupyter write) or that says no format version, read from
    the JSON as it is."""
    import json

    try:
        nb = json.loads(text)
    except (ValueError, RecursionError):
        raise UnreadableFile(f"unreadable notebook ({type(refused).__name__})") from refused
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if cells is None and isinstance(nb, dict) and isinstance(nb.get("worksheets"), list) and nb["worksheets"]:
        # nbformat 3: every worksheet's cells, one after another, as nbformat converts them (only the first's were
        # read, the rest of a notebook it refused for one odd cell left out without a word; probe 35)
        sheets = [sheet.get("cells") for sheet in nb["worksheets"] if isinstance(sheet, dict)]
        lists = [sheet for sheet in sheets if isinstance(sheet, list)]
        cells = [cell for sheet in lists for cell in sheet] if lists else None
    if not isinstance(cells, list):
        raise UnreadableFile("not a notebook (no list of cells)") from refused
    read: list[tuple[object, str, object]] = []
    for cell in cells:
        cell = cell if isinstance(cell, dict) else {}
        source = cell.get("source", cell.get("input", ""))  # nbformat 3 calls a code cell's source "input"
        if cell.get("cell_type") == "heading":
            read.append(("markdown", _heading_cell(joined_text(source), cell.get("level")), None))
        else:
            read.append((cell.get("cell_type"), joined_text(source), cell.get("outputs")))
    return read


def _heading_cell(source: str, level: object) -> str:
    """A heading cell of nbformat 3 as the Markdown heading nbformat makes of it ("#" times its level, its lines
    joined): its title was left out, and the cells under it cited the heading above it (probe 35)."""
    hashes = min(max(level, 1), 6) if isinstance(level, int) else 1  # a level past 6 is no heading in Markdown
    return "#" * hashes + " " + " ".join(source.splitlines())



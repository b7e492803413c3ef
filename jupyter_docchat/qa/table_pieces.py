"""A source that is a piece of a long table, read with the pieces of that table on either side of it.

A table longer than a chunk is cut at its rows, each piece under the table's introduction and header
(indexing/table_chunks.py). A question that names one row ("Which pytest version does the pytest-xdist
plugin require?") retrieves the pieces whose rows share its words most (pytest-xdist-forked,
pytest-xdist-tracker), and the row itself can stand last in the piece before them: an alphabetical table
puts a name just before the names it is a prefix of. Offline, such a source is read with the pieces before
and after it in its file, as one table, so the answer's units hold those rows too.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable

from jupyter_docchat.table_text import cells_of, find_tables, head_size
from jupyter_docchat.types import Hit


def _tables(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    lines = text.rstrip("\n").split("\n")
    return lines, find_tables(lines)


def _header(lines: list[str], table: tuple[int, int]) -> tuple[str, ...]:
    start, end = table
    return tuple(cells_of(lines[start])) if head_size(lines[start:end]) else ()


def _ends_with_table(text: str) -> tuple[str, ...] | None:
    """The header of the table a piece ends with (its last line a row), or None."""
    lines, tables = _tables(text)
    if not tables or tables[-1][1] != len(lines):
        return None
    return _header(lines, tables[-1]) or None


def _rows_after_head(text: str) -> tuple[tuple[str, ...], list[str]] | None:
    """The header of the table a piece opens with (below its repeated introduction), and the piece's lines
    from that table's first row on; None when the piece does not open with a table that has a header."""
    lines, tables = _tables(text)
    if not tables:
        return None
    start, end = tables[0]
    above = [line for line in lines[:start] if line.strip()]
    head = head_size(lines[start:end])
    if not head or len(above) > 2:  # more than an introduction above it: the table starts in this piece
        return None
    return _header(lines, tables[0]), lines[start + head:]


def _rows_of(text: str) -> list[str]:
    opened = _rows_after_head(text)
    return opened[1] if opened else text.split("\n")


def _joined(before: Hit | None, hit: Hit, after: Hit | None) -> Hit:
    text, start, end, explain_note = hit.text, hit.start_line, hit.end_line, []
    if before is not None:
        text = before.text.rstrip("\n") + "\n" + "\n".join(_rows_of(hit.text))
        start = before.start_line
        explain_note.append("the piece of its table before it")
    if after is not None:
        text = text.rstrip("\n") + "\n" + "\n".join(_rows_of(after.text))
        end = after.end_line
        explain_note.append("the piece after it")
    pages = {h.page for h in (before, hit, after) if h is not None}
    explain = dict(hit.explain, levers=[*hit.explain.get("levers", []), f"read with {' and '.join(explain_note)}"]) \
        if hit.explain else None
    return replace(hit, text=text, start_line=start, end_line=end, page=hit.page if len(pages) == 1 else None,
                   explain=explain)


def with_table_neighbours(hits: list[Hit], file_chunks: Callable[[str], list[Hit]],
                          withheld: Callable[[Hit], bool] = lambda c: False) -> list[Hit]:
    """``hits`` with each document source that is a piece of a table cut across chunks joined by the pieces of
    the same table right before and after it in its file (those not already among the sources, nor ``withheld``:
    a piece holding a configured key stays out, as a retrieved one would)."""
    shown = {h.id for h in hits}
    chunks_of: dict[str, list[Hit]] = {}
    out = []
    for hit in hits:
        if hit.origin != "document" or "|" not in hit.text:
            out.append(hit)
            continue
        opens = _rows_after_head(hit.text)
        ends = _ends_with_table(hit.text)
        placed = _place(hit, chunks_of, file_chunks) if opens is not None or ends is not None else None
        if placed is None:
            out.append(hit)
            continue
        chunks, where = placed
        before = chunks[where - 1] if where > 0 else None
        after = chunks[where + 1] if where + 1 < len(chunks) else None
        before, after = (None if c is None or withheld(c) else c for c in (before, after))
        if before is None or before.id in shown or opens is None or _ends_with_table(before.text) != opens[0]:
            before = None
        after_opens = _rows_after_head(after.text) if after is not None and after.id not in shown else None
        if ends is None or after_opens is None or after_opens[0] != ends:
            after = None
        # Each piece was checked alone: a key written across their rows is whole only once they are joined.
        for pair in ((before, after), (before, None), (None, after)):
            if pair[0] is None and pair[1] is None:
                continue
            joined = _joined(pair[0], hit, pair[1])
            if not withheld(joined):
                shown.update(c.id for c in pair if c is not None)  # a piece between two sources joins one
                out.append(joined)
                break
        else:
            out.append(hit)
    return out


# "(Table 1)", "listed in Table 2.", "Table 1 presents an overview": a sentence naming a table by its number; a
# line opening with "Table 1:" or "Table 1." is the table's caption, not a reference to it.
_NAMES_TABLE = re.compile(r"\bTable\s+(\d+(?:\.\d+)*)\b")
_AFTER_CAPTION = re.compile(r"\s*[:.](?:\s|$)")


def _line_opens_at(text: str, at: int) -> bool:
    """Whether only spaces and tabs stand between the start of ``text``'s line and ``at``. Read back from ``at``:
    a pattern searched from the text's start for each "Table N" took quadratic time (23 s for 270 kB)."""
    while at and text[at - 1] in " \t":
        at -= 1
    return at == 0 or text[at - 1] == "\n"


def _named(text: str) -> list[str]:
    """The numbers of the tables ``text`` names, in order, each once (captions left out)."""
    out = []
    for match in _NAMES_TABLE.finditer(text):
        caption = _line_opens_at(text, match.start()) and _AFTER_CAPTION.match(text, match.end())
        if not caption and match[1] not in out:
            out.append(match[1])
    return out
NAMED_NEAR = 2  # the table a sentence names stands within this many chunks of it (a manual numbers tables anew per part)
NAMED_MOST = 2  # chunks joined to one source: its named tables' (more would crowd out what the source says)


def with_named_tables(hits: list[Hit], file_chunks: Callable[[str], list[Hit]],
                      withheld: Callable[[Hit], bool] = lambda c: False) -> list[Hit]:
    """``hits`` with each document source that names a table by its number ("the seven base units (Table 1)")
    joined by the chunk of its file, near it, where that table stands under its caption ("Table 1: ..."): the
    page's layout put the table in another chunk than the sentence naming it. Chunks already among the
    sources, or ``withheld``, are not joined."""
    shown = {h.id for h in hits}
    chunks_of: dict[str, list[Hit]] = {}
    out = []
    for hit in hits:
        numbers = _named(hit.text) if hit.origin == "document" else []
        numbers = [n for n in numbers if not _caption(n).search(hit.text)]
        placed = _place(hit, chunks_of, file_chunks) if numbers else None
        if placed is None:
            out.append(hit)
            continue
        chunks, where = placed
        joined: dict[int, Hit] = {}
        for number in numbers:
            caption = _caption(number)
            near = [n for n in range(max(where - NAMED_NEAR, 0), min(where + NAMED_NEAR + 1, len(chunks)))
                    if n != where and caption.search(chunks[n].text)]
            if not near:
                continue
            n = min(near, key=lambda n: abs(n - where))
            if chunks[n].id not in shown and not withheld(chunks[n]) and len(joined) < NAMED_MOST:
                joined[n] = chunks[n]
        if not joined:
            out.append(hit)
            continue
        read = _with_chunks(hit, where, joined)
        if withheld(read):  # a key cut across the chunks, whole once they are joined
            out.append(hit)
            continue
        shown.update(c.id for c in joined.values())
        out.append(read)
    return out


def _caption(number: str) -> re.Pattern[str]:
    return re.compile(rf"^\s*Table\s+{re.escape(number)}\s*[:.](?:\s|$)", re.M)


def _with_chunks(hit: Hit, where: int, joined: dict[int, Hit]) -> Hit:
    """``hit`` (the ``where``-th chunk of its file) and the ``joined`` chunks, as one source in the file's order."""
    parts = sorted({**joined, where: hit}.items())
    pages = {c.page for _, c in parts}
    explain = dict(hit.explain, levers=[*hit.explain.get("levers", []), "read with the table it names"]) \
        if hit.explain else None
    return replace(hit, text="\n\n".join(c.text.strip("\n") for _, c in parts),
                   start_line=min(c.start_line for _, c in parts), end_line=max(c.end_line for _, c in parts),
                   page=hit.page if len(pages) == 1 else None, explain=explain)


def _place(hit: Hit, chunks_of: dict[str, list[Hit]],
           file_chunks: Callable[[str], list[Hit]]) -> tuple[list[Hit], int] | None:
    """The chunks of ``hit``'s file in order (read once per file and kept in ``chunks_of``) and where ``hit``
    stands among them; None when it was replaced since it was retrieved."""
    if hit.source not in chunks_of:
        chunks_of[hit.source] = file_chunks(hit.source)
    chunks = chunks_of[hit.source]
    where = next((n for n, c in enumerate(chunks) if c.id == hit.id), None)
    return None if where is None else (chunks, where)

"""Which paragraphs of a Word 97-2003 .doc are headings, and of what level ([MS-DOC]): each paragraph names its style
(an istd) in its properties, stored in 512-byte pages (PapxFkp) of the WordDocument stream that the table stream's
PlcBtePapx lists; the style sheet (STSH) gives each style its built-in identifier (sti), 1 to 9 for "heading 1" to
"heading 9" whatever the style's name in the Office's language, 62 for the Title.

Bounded as word97 is: every page, offset and count is checked against its stream, the pages read at most once each.
Anything that does not read leaves the paragraphs plain (no headings), never the document unread.
"""

from __future__ import annotations

import bisect
import struct

from jupyter_docchat.indexing.readers.word97 import Piece, fib_pair, fib_pairs

_STSHF, _PLCF_BTE_PAPX = 1, 13  # fibRgFcLcb97's pairs: the style sheet, the paragraphs' property pages
_PAGE = 512
_HEADINGS = {sti: sti for sti in range(1, 10)}
_TITLE_STI = 62
_MAX_STYLES = 4096


def heading_levels(word: bytes, table: bytes) -> dict[int, int]:
    """Each heading style's istd -> its level (the Title 1, "heading N" N + 1, so a Title heads the headings)."""
    sheet = _table_part(word, table, _STSHF, 4)
    if not sheet:
        return {}
    header = struct.unpack_from("<H", sheet, 0)[0]  # cbStshi
    if 2 + header > len(sheet) or header < 4:
        return {}
    count = min(struct.unpack_from("<H", sheet, 2)[0], _MAX_STYLES)  # cstd
    levels: dict[int, int] = {}
    offset = 2 + header
    for istd in range(count):
        if offset + 2 > len(sheet):
            break
        std_size = struct.unpack_from("<H", sheet, offset)[0]
        if std_size >= 2 and offset + 2 + std_size <= len(sheet):
            sti = struct.unpack_from("<H", sheet, offset + 2)[0] & 0x0FFF
            if sti in _HEADINGS:
                levels[istd] = _HEADINGS[sti] + 1
            elif sti == _TITLE_STI:
                levels[istd] = 1
        offset += 2 + std_size
    return levels


def heading_marks(word: bytes, table: bytes, pieces: tuple[Piece, ...], levels: dict[int, int]) -> dict[int, int]:
    """The character position of each heading paragraph's mark -> its level: the runs of paragraph properties whose
    style is a heading, their byte ranges turned into positions through the pieces."""
    if not levels or not pieces:
        return {}
    ranges = [(first, end, levels[istd]) for first, end, papx in paragraph_runs(word, table)
              if (istd := struct.unpack_from("<H", papx, 0)[0]) in levels]
    return run_marks(pieces, ranges)


def paragraph_runs(word: bytes, table: bytes) -> list[tuple[int, int, bytes]]:
    """The runs of paragraph properties of the document: (first byte, end byte, properties) of each run that has
    any, the properties its style's istd (2 bytes) then its grpprl; each page read once, each checked against the
    stream."""
    plc = _table_part(word, table, _PLCF_BTE_PAPX, 8)
    if not plc:
        return []
    count = (len(plc) - 4) // 8
    pages = sorted({struct.unpack_from("<I", plc, 4 * (count + 1) + 4 * n)[0] & 0x3FFFFF for n in range(count)})
    runs: list[tuple[int, int, bytes]] = []
    for page in pages:
        start = page * _PAGE
        if start + _PAGE > len(word):
            continue
        runs += _page_runs(word[start:start + _PAGE])
    return runs


def _table_part(word: bytes, table: bytes, index: int, least: int) -> bytes:
    """The part of the table stream the FIB's pair ``index`` places, when it lies in the stream and holds at least
    ``least`` bytes; else b""."""
    pairs_at, pairs = fib_pairs(word)
    if pairs <= index:
        return b""
    at, size = fib_pair(word, pairs_at, index)
    if at < 0 or size < least or at + size > len(table):
        return b""
    return table[at:at + size]


def _page_runs(page: bytes) -> list[tuple[int, int, bytes]]:
    """A PapxFkp's runs: crun (its last byte), crun+1 byte offsets, crun BxPap of 13 bytes (the first a PapxInFkp's
    offset in words), each PapxInFkp a size then its properties, the style's istd first."""
    runs = page[_PAGE - 1]
    if 4 * (runs + 1) + 13 * runs > _PAGE - 1:
        return []
    fcs = struct.unpack_from(f"<{runs + 1}I", page, 0)
    out = []
    for n in range(runs):
        where = 2 * page[4 * (runs + 1) + 13 * n]
        if where == 0 or where + 3 > _PAGE - 1:
            continue  # no properties: the Normal style
        size = page[where]
        # cb words less a byte, or (cb 0) the next byte's words: the istd and the grpprl
        properties, length = (where + 2, 2 * page[where + 1]) if size == 0 else (where + 1, 2 * size - 1)
        papx = page[properties:min(properties + length, _PAGE - 1)]
        if len(papx) >= 2 and fcs[n] < fcs[n + 1]:
            out.append((fcs[n], fcs[n + 1], papx))
    return out


def run_marks(pieces: tuple[Piece, ...], ranges: list[tuple[int, int, int]]) -> dict[int, int]:
    """The paragraph marks of runs (first byte, end byte, value), as character positions -> the value: each run's
    bytes found in the pieces that store them (a run's last character is its paragraph's mark)."""
    spans = sorted((p.offset, p.offset + (p.end - p.start) * (1 if p.compressed else 2), p) for p in pieces)
    starts = [span[0] for span in spans]
    marks: dict[int, int] = {}
    for first, end, level in ranges:
        n = bisect.bisect_right(starts, end - 1) - 1
        if n < 0:
            continue
        low, high, piece = spans[n]
        if not low <= end - 1 < high:
            continue
        width = 1 if piece.compressed else 2
        last = piece.start + (end - width - low) // width  # the run's last character: its paragraph mark
        marks[last] = level
    return marks

"""The text a Word 97-2003 .doc keeps as deleted by tracked changes ([MS-DOC] 2.4.7, sprmCFRMarkDel): still in the
document's characters, shown struck through while changes are tracked, gone once they are accepted. Its runs of
character properties (ChpxFkp pages of the WordDocument stream, which the table stream's PlcBteChpx lists; each run a
byte range with a grpprl) say which characters are deleted.

The deleted words were read as the document's ("The budget is 40 herrings42 herrings a week", probe 40): a document
reads as Word shows it with the changes accepted, as a .docx's does (its w:del runs are left out). Bounded as
word97_styles is: every page and offset is checked against its stream, each page read once.
"""

from __future__ import annotations

import bisect
import struct

from jupyter_docchat.indexing.readers.word97 import Piece, fib_pair, fib_pairs
from jupyter_docchat.indexing.readers.word97_sprms import operand_byte

_PLCF_BTE_CHPX = 12  # fibRgFcLcb97's pair of the character properties' page list
_PAGE = 512
_SPRM_C_F_R_MARK_DEL = 0x0800


def deleted_spans(word: bytes, table: bytes, pieces: tuple[Piece, ...]) -> list[tuple[int, int]]:
    """The character positions (start, end) of the text marked deleted, in order."""
    if not pieces:
        return []
    pairs_at, pairs = fib_pairs(word)
    if pairs <= _PLCF_BTE_CHPX:
        return []
    at, size = fib_pair(word, pairs_at, _PLCF_BTE_CHPX)
    if at < 0 or size < 8 or at + size > len(table):
        return []
    plc = table[at:at + size]
    count = (len(plc) - 4) // 8
    pages = sorted({struct.unpack_from("<I", plc, 4 * (count + 1) + 4 * n)[0] & 0x3FFFFF for n in range(count)})
    ordered = sorted(pieces, key=lambda p: p.offset)
    lows = [p.offset for p in ordered]
    spans: list[tuple[int, int]] = []
    for page in pages:
        start = page * _PAGE
        if start + _PAGE <= len(word):
            for first, end in _deleted_runs(word[start:start + _PAGE]):
                spans += _positions(ordered, lows, first, end)
    return sorted(spans)


def _deleted_runs(page: bytes) -> list[tuple[int, int]]:
    """A ChpxFkp's runs whose properties mark them deleted: crun (its last byte), crun+1 byte offsets, crun bytes
    each a Chpx's offset in words, each Chpx a size byte and its grpprl."""
    runs = page[_PAGE - 1]
    if 4 * (runs + 1) + runs > _PAGE - 1:
        return []
    fcs = struct.unpack_from(f"<{runs + 1}I", page, 0)
    out = []
    for n in range(runs):
        where = 2 * page[4 * (runs + 1) + n]
        if where == 0 or where + 1 >= _PAGE - 1 or fcs[n] >= fcs[n + 1]:
            continue
        grpprl = page[where + 1:min(where + 1 + page[where], _PAGE - 1)]
        if operand_byte(grpprl, _SPRM_C_F_R_MARK_DEL) == 1:
            out.append((fcs[n], fcs[n + 1]))
    return out


def _positions(ordered: list[Piece], lows: list[int], first: int, end: int) -> list[tuple[int, int]]:
    """The character positions of bytes ``first`` to ``end`` of the WordDocument stream, in every piece storing
    some of them (``ordered``: the pieces by their offsets, ``lows``; a run is in one piece or a few beside each other)."""
    spans = []
    for piece in ordered[max(bisect.bisect_right(lows, first) - 1, 0):]:
        if piece.offset >= end:
            break
        width = 1 if piece.compressed else 2
        low, high = piece.offset, piece.offset + (piece.end - piece.start) * width
        a, b = max(first, low), min(end, high)
        if a < b:
            spans.append((piece.start + (a - low) // width, piece.start + -(-(b - low) // width)))
    return spans

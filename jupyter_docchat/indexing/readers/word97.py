"""The text of a Word 97-2003 .doc, as its streams store it ([MS-DOC]): the File Information Block (FIB) at the head of
the WordDocument stream names the table stream ("0Table" or "1Table") and where in it the piece table (Clx) lies; each
piece is a run of character positions stored at an offset of the WordDocument stream, as cp1252 bytes ("compressed")
or UTF-16LE. The document's stories follow one another in character positions: the main text, then the footnotes,
headers, comments, endnotes and text boxes, each as long as the FIB counts.

Raw characters only: Word's marks in them (paragraphs, cells, fields) are read by word97_marks. A hostile file is
bounded by its own streams: every offset and length is checked against the stream it points into, the pieces are at
most as many as the Clx has room for, and the text no longer than the WordDocument stream (a character takes a byte
at least).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from jupyter_docchat.indexing.readers.base import UnreadableFile

_WORD_IDENT = 0xA5EC  # FibBase.wIdent: a Word binary document
_ENCRYPTED, _WHICH_TABLE, _OBFUSCATED = 0x0100, 0x0200, 0x8000  # FibBase's flags (its 11th and 12th bytes)
_FIB_BASE = 32
_CCP_TEXT = 3  # fibRgLw's longs: cbMac, two product versions, then the stories' lengths
# The stories after the main text, in the order their characters follow it (FibRgLw97): footnotes, headers, (a
# reserved count), comments, endnotes, text boxes, header text boxes.
_STORY_COUNTS = (4, 5, 6, 7, 8, 9, 10)
STORIES = ("footnotes", "headers", "", "comments", "endnotes", "text boxes", "header text boxes")
_CLX_PAIR = 33  # FibRgFcLcb97: the 34th (offset, size) pair is fcClx / lcbClx
_PRC, _PCDT = 0x01, 0x02
_PCD_SIZE = 8
_MAX_PRCS = 100_000  # property modifiers before the piece table: each takes 3 bytes at least, a hostile Clx many


@dataclass(frozen=True)
class WordText:
    """A document's characters in position order, and where each story ends in them (the main text's first)."""

    text: str
    main: int  # characters of the main text
    stories: tuple[tuple[str, int, int], ...]  # (name, start, end) of each non-empty story after the main text
    pieces: tuple[Piece, ...] = ()


def encrypted(word: bytes) -> bool:
    """Whether the WordDocument stream ``word`` says its document is encrypted or obfuscated (a password to open)."""
    return len(word) >= 12 and bool(struct.unpack_from("<H", word, 10)[0] & (_ENCRYPTED | _OBFUSCATED))


def table_stream_name(word: bytes) -> str:
    """The table stream the FIB names: "1Table" or "0Table"."""
    _check_fib(word)
    return "1Table" if struct.unpack_from("<H", word, 10)[0] & _WHICH_TABLE else "0Table"


def word_text(word: bytes, table: bytes) -> WordText:
    """The characters of the document whose WordDocument stream is ``word`` and table stream ``table``. Raises
    UnreadableFile for a FIB or piece table that does not read."""
    _check_fib(word)
    counts, clx_at, clx_size = _fib_fields(word)
    if clx_size <= 0 or clx_at < 0 or clx_at + clx_size > len(table):
        raise UnreadableFile("unreadable .doc (no piece table)")
    pieces = _pieces(table[clx_at:clx_at + clx_size])
    text = _piece_text(word, pieces)
    main = min(counts[_CCP_TEXT], len(text))
    stories, at = [], main
    for name, index in zip(STORIES, _STORY_COUNTS):
        count = counts[index] if index < len(counts) else 0
        end = min(at + max(count, 0), len(text))
        if name and end > at:
            stories.append((name, at, end))
        at = end
    return WordText(text, main, tuple(stories), tuple(pieces))


def _check_fib(word: bytes) -> None:
    if len(word) < _FIB_BASE + 2 or struct.unpack_from("<H", word, 0)[0] != _WORD_IDENT:
        raise UnreadableFile("unreadable .doc (no Word 97-2003 document in it)")


def _fib_fields(word: bytes) -> tuple[list[int], int, int]:
    """The FIB's story lengths (fibRgLw, signed longs) and the piece table's offset and size in the table stream."""
    counts, pairs_at, pairs = _fib_parts(word)
    if pairs <= _CLX_PAIR:
        raise UnreadableFile("unreadable .doc (FIB cut short)")
    clx_at, clx_size = fib_pair(word, pairs_at, _CLX_PAIR)
    return counts, clx_at, clx_size


def _fib_parts(word: bytes) -> tuple[list[int], int, int]:
    """The story lengths, and where the (offset, size) pairs of fibRgFcLcb start and how many there are."""
    at = _FIB_BASE
    csw = struct.unpack_from("<H", word, at)[0]
    at += 2 + 2 * csw
    if at + 2 > len(word):
        raise UnreadableFile("unreadable .doc (FIB cut short)")
    cslw = struct.unpack_from("<H", word, at)[0]
    at += 2
    if cslw <= _CCP_TEXT or at + 4 * cslw + 2 > len(word):
        raise UnreadableFile("unreadable .doc (FIB cut short)")
    counts = list(struct.unpack_from(f"<{cslw}i", word, at))
    at += 4 * cslw
    pairs = struct.unpack_from("<H", word, at)[0]
    at += 2
    pairs = min(pairs, (len(word) - at) // 8)
    return counts, at, pairs


def fib_pair(word: bytes, pairs_at: int, index: int) -> tuple[int, int]:
    """The (offset, size) pair ``index`` of fibRgFcLcb (its count checked by the caller)."""
    offset, size = struct.unpack_from("<iI", word, pairs_at + 8 * index)
    return offset, size


def fib_pairs(word: bytes) -> tuple[int, int]:
    """Where fibRgFcLcb's pairs start and how many the stream holds."""
    _, at, pairs = _fib_parts(word)
    return at, pairs


@dataclass(frozen=True)
class Piece:
    start: int  # character position where the piece starts
    end: int
    offset: int  # byte offset in the WordDocument stream
    compressed: bool  # cp1252, a byte a character (else UTF-16LE)


def _pieces(clx: bytes) -> list[Piece]:
    """The pieces of a Clx: its property modifiers (Prc) skipped, then the piece table (Pcdt): n+1 character
    positions and n piece descriptors."""
    at = 0
    for _ in range(_MAX_PRCS):
        if at >= len(clx) or clx[at] != _PRC:
            break
        if at + 3 > len(clx):
            break
        size = struct.unpack_from("<h", clx, at + 1)[0]
        at += 3 + max(size, 0)
    if at + 5 > len(clx) or clx[at] != _PCDT:
        raise UnreadableFile("unreadable .doc (no piece table)")
    size = struct.unpack_from("<I", clx, at + 1)[0]
    plc = clx[at + 5:at + 5 + size]
    count = (len(plc) - 4) // (4 + _PCD_SIZE)
    if count <= 0 or size < 4 + count * (4 + _PCD_SIZE):
        raise UnreadableFile("unreadable .doc (no piece table)")
    positions = struct.unpack_from(f"<{count + 1}I", plc, 0)
    pieces: list[Piece] = []
    descriptors = 4 * (count + 1)
    for n in range(count):
        start, end = positions[n], positions[n + 1]
        if end < start or (pieces and start < pieces[-1].end):
            raise UnreadableFile("unreadable .doc (piece table out of order)")
        fc = struct.unpack_from("<I", plc, descriptors + n * _PCD_SIZE + 2)[0]
        compressed = bool(fc & 0x4000_0000)
        fc &= 0x3FFF_FFFF
        pieces.append(Piece(start, end, fc // 2 if compressed else fc, compressed))
    return pieces


def _piece_text(word: bytes, pieces: list[Piece]) -> str:
    """The pieces' characters in order. A piece that points past the stream's end is read as far as the stream goes:
    a document cut short keeps what it holds. No more characters than the stream has bytes: positions spanning more
    are a hostile file's, and would have the reader allocate gigabytes."""
    budget = len(word)
    parts: list[str] = []
    for piece in pieces:
        count = min(piece.end - piece.start, budget)
        if count <= 0:
            if budget <= 0:
                break
            continue
        budget -= count
        if piece.compressed:
            raw = word[piece.offset:piece.offset + count]
            parts.append(raw.decode("cp1252", errors="docchat-cp1252"))
        else:
            raw = word[piece.offset:piece.offset + 2 * count]
            parts.append(raw[:len(raw) // 2 * 2].decode("utf-16-le", errors="replace"))
    return "".join(parts)

"""Where a Word 97-2003 .doc's table rows end ([MS-DOC] 2.4.3 Overview of Tables): a cell's text ends at "\\x07", and
so does its row, at a mark of its own after the last cell's; what tells the row's mark from an empty cell's is its
paragraph's properties, which hold sprmPFTtp (the table's terminating paragraph), not the characters. Read from the
property runs word97_styles lists, each run's grpprl walked by word97_sprms.

A row whose middle cell was empty ended there: "Harbour seal | | North bay" was read as two rows, the second "North
bay"; a first cell of two paragraphs ended the table at its first (probe 40). Its paragraphs are told from the
paragraphs around the table by their sprmPFInTable.
"""

from __future__ import annotations

from dataclasses import dataclass

from jupyter_docchat.indexing.readers.word97 import Piece
from jupyter_docchat.indexing.readers.word97_sprms import operand_byte
from jupyter_docchat.indexing.readers.word97_styles import paragraph_runs, run_marks

_SPRM_P_F_IN_TABLE = 0x2416  # the paragraph is in a table: a cell's (its last one ends at the cell's mark)
_SPRM_P_F_TTP = 0x2417  # the paragraph ends a row of a table at depth 1


@dataclass(frozen=True)
class TableMarks:
    rows: set[int]  # the positions of the "\\x07" marks that end rows
    cell_paragraphs: set[int]  # the positions of the "\r" marks of paragraphs in a cell, before its last


def table_marks(word: bytes, table: bytes, pieces: tuple[Piece, ...]) -> TableMarks:
    """Where the document's table rows end, and which of its paragraph marks are a cell's paragraphs'."""
    if not pieces:
        return TableMarks(set(), set())
    rows, cells = [], []
    for first, end, papx in paragraph_runs(word, table):
        if operand_byte(papx[2:], _SPRM_P_F_TTP) == 1:
            rows.append((first, end, 1))
        elif operand_byte(papx[2:], _SPRM_P_F_IN_TABLE) == 1:
            cells.append((first, end, 1))
    return TableMarks(set(run_marks(pieces, rows)), set(run_marks(pieces, cells)))

"""Where a Word 97-2003 .doc's table rows end ([MS-DOC] 2.4.3 Overview of Tables): a cell's text ends at "\\x07", and
so does its row, at a mark of its own after the last cell's; what tells the row's mark from an empty cell's is its
paragraph's properties, which hold sprmPFTtp (the table's terminating paragraph), not the characters. Read from the
property runs word97_styles lists, each run's grpprl walked by word97_sprms.

A row whose middle cell was empty ended there: "Harbour seal | | North bay" was read as two rows, the second "North
bay" (probe 40).
"""

from __future__ import annotations

from jupyter_docchat.indexing.readers.word97 import Piece
from jupyter_docchat.indexing.readers.word97_sprms import operand_byte
from jupyter_docchat.indexing.readers.word97_styles import paragraph_runs, run_marks

_SPRM_P_F_TTP = 0x2417  # the paragraph ends a row of a table at depth 1


def row_marks(word: bytes, table: bytes, pieces: tuple[Piece, ...]) -> set[int]:
    """The character positions of the marks that end table rows (each a "\\x07" in the text)."""
    if not pieces:
        return set()
    ranges = [(first, end, 1) for first, end, papx in paragraph_runs(word, table)
              if operand_byte(papx[2:], _SPRM_P_F_TTP) == 1]
    return set(run_marks(pieces, ranges))

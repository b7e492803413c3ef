"""A Word 97-2003 grpprl walked sprm by sprm ([MS-DOC] 2.2.5.1): an operand's size is given by its sprm's spra bits,
or, for the variable ones, by its first byte (two for sprmTDefTable; sprmPChgTabs's 255 says two counted lists of tab
stops follow). A grpprl is read within its own bytes, never past them: one cut short ends the walk.
"""

from __future__ import annotations

import struct

_SPRM_T_DEF_TABLE = 0xD608  # its operand's size is 2 bytes: the bytes after it, plus 1
_SPRM_P_CHG_TABS = 0xC615
_FIXED = {0: 1, 1: 1, 2: 2, 3: 4, 4: 2, 5: 2, 7: 3}  # operand bytes by spra (the sprm's top three bits)
_VARIABLE = 6


def operand_byte(grpprl: bytes, wanted: int) -> int | None:
    """The first byte of the last operand of sprm ``wanted`` in ``grpprl`` (a later one overrides an earlier one);
    None where it is not set."""
    found = None
    at = 0
    while at + 2 <= len(grpprl):
        sprm = struct.unpack_from("<H", grpprl, at)[0]
        at += 2
        size = _operand_size(sprm, grpprl, at)
        if size is None or at + size > len(grpprl):
            break
        if sprm == wanted:
            found = grpprl[at]
        at += size
    return found


def _operand_size(sprm: int, grpprl: bytes, at: int) -> int | None:
    """The bytes of the operand at ``at``; None where they cannot be told (the grpprl is cut)."""
    spra = sprm >> 13
    if spra != _VARIABLE:
        return _FIXED[spra]
    if sprm == _SPRM_T_DEF_TABLE:
        return struct.unpack_from("<H", grpprl, at)[0] + 1 if at + 2 <= len(grpprl) else None
    if at >= len(grpprl):
        return None
    size = grpprl[at]
    if sprm == _SPRM_P_CHG_TABS and size == 255:
        deleted = at + 1
        if deleted >= len(grpprl):
            return None
        added = deleted + 1 + 4 * grpprl[deleted]  # cTabs, then each stop's position and its close zone
        if added >= len(grpprl):
            return None
        return added + 1 + 3 * grpprl[added] - at  # cTabs, then each stop's position and its descriptor
    return 1 + size

"""The title an Office 97-2003 file's SummaryInformation stream holds ([MS-OLEPS]): a property set whose first section
maps property ids to offsets; the title is id 2, a string in the set's code page (VT_LPSTR) or UTF-16 (VT_LPWSTR).

Read here, not with olefile's get_metadata: it reads every property, and a broken set's vector of a count in the
billions held it for minutes (a .doc cut at the wrong byte stopped its worker). Every offset and count is checked
against the stream.
"""

from __future__ import annotations

import codecs
import struct

_TITLE, _CODE_PAGE = 2, 1
_LPSTR, _LPWSTR, _I2 = 0x1E, 0x1F, 0x02
_FIRST_SECTION = 44  # the header (28 bytes), then the first section's FMTID (16) and offset (4)
_MAX_TITLE = 4096  # bytes: a title is a line


def summary_title(stream: bytes) -> str:
    """The title, "" when the stream holds none or does not read."""
    if len(stream) < _FIRST_SECTION + 4:
        return ""
    section = struct.unpack_from("<I", stream, _FIRST_SECTION)[0]
    if section + 8 > len(stream):
        return ""
    count = min(struct.unpack_from("<I", stream, section + 4)[0], (len(stream) - section - 8) // 8)
    offsets = dict(struct.unpack_from("<II", stream, section + 8 + 8 * n) for n in range(count))
    encoding = "cp1252"
    page = _value(stream, section, offsets.get(_CODE_PAGE))
    if page is not None and page[0] == _I2 and len(page[1]) >= 2:
        number = struct.unpack_from("<H", page[1])[0]
        encoding = "utf-8" if number == 65001 else f"cp{number}"
        try:
            codecs.lookup(encoding)
        except LookupError:
            encoding = "cp1252"
    title = _value(stream, section, offsets.get(_TITLE))
    if title is None or len(title[1]) < 4:
        return ""
    kind, payload = title
    length = struct.unpack_from("<I", payload)[0]
    if kind == _LPSTR:
        text = payload[4:4 + min(length, _MAX_TITLE)].decode(encoding, errors="replace")
    elif kind == _LPWSTR:
        raw = payload[4:4 + 2 * min(length, _MAX_TITLE)]
        text = raw[:len(raw) // 2 * 2].decode("utf-16-le", errors="replace")
    else:
        return ""
    return text.split("\x00", 1)[0]


def _value(stream: bytes, section: int, offset: int | None) -> tuple[int, bytes] | None:
    """A property's type and the bytes after it (up to _MAX_TITLE and the stream's end)."""
    if offset is None or section + offset + 4 > len(stream):
        return None
    at = section + offset
    kind = struct.unpack_from("<H", stream, at)[0]
    return kind, stream[at + 4:at + 8 + 2 * _MAX_TITLE]

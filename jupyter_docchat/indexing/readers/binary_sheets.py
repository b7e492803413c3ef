"""What the binary workbooks (.xlsb, Excel 97-2003's .xls) hold that calamine does not give: their formulas' errors
(#DIV/0!, #REF!, #N/A, which calamine gives as empty cells, where Excel shows the error), their numbers' formats
(percent, currency, thousands, times: calamine gives 0.125 where Excel shows "12.5%"; rendered by sheet_formats and
number_formats as an .xlsx's are), and an .xlsb sheet's extent
before calamine reads it: calamine holds a sheet as a dense grid of the rows and columns its cells span, and an .xlsb
is a zip like an .xlsx (a few kB of records can place one cell at A1 and one at XFD1048576: 17 billion cells).

.xlsb: each sheet's part is a run of records (MS-XLSB 2.1.4: a type and a size, each in 7-bit groups), a row's header
giving the row, each cell record its column. .xls: the BIFF8 records of the "Workbook" stream of an OLE file (olefile,
when installed; without it the errors stay empty, as calamine gives them); its sheets cannot outgrow the limit
(65,536 rows by 256 columns).
"""

from __future__ import annotations

import io
import struct
import zipfile
from dataclasses import dataclass, field
from typing import IO, Iterator

from jupyter_docchat.indexing.readers.base import UnreadableFile
from jupyter_docchat.indexing.readers.package_xml import part_xml
from jupyter_docchat.indexing.readers.sheet_formats import BookStyles, SheetFormats, book_styles

# Excel's error codes (MS-XLS 2.5.97.2 BErr; the same in .xlsb)
ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?", 0x24: "#NUM!",
          0x2A: "#N/A", 0x2B: "#GETTING_DATA"}

# .xlsb record types (MS-XLSB 2.3.2)
_ROW_HEADER, _CELL_ERROR, _FORMULA_ERROR = 0x0000, 0x0003, 0x000B
_VALUE_CELLS = frozenset(range(0x0002, 0x000B))  # the cells calamine keeps: a number to a formula's truth value
_CELL_RK, _CELL_REAL, _FORMULA_NUMBER = 0x0002, 0x0005, 0x0009  # the number cells, their style beside the column
_FORMAT_RECORD, _XF_RECORD, _BEGIN_CELL_XFS, _END_CELL_XFS = 0x002C, 0x002F, 0x0269, 0x026A  # xl/styles.bin's
_WORKBOOK_PROPERTIES = 0x0099  # BrtWbProp: its first bit, the 1904 date system
_END_SHEET_DATA = 0x0092
_BUNDLE_SHEET = 0x009C
_LAST_ROW = 0x0010_0000  # calamine stops a sheet at a row past Excel's last


@dataclass
class BinarySheet:
    """An .xlsb sheet's extent (rows and columns its cells span), its error cells, by (row from 1, column from 0), and
    its number cells' formats (None when no style of the workbook formats a number shown here)."""

    rows: int = 0
    columns: int = 0
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    formats: SheetFormats | None = None


def xlsb_sheets(package: zipfile.ZipFile) -> tuple[dict[str, BinarySheet], list[BinarySheet]]:
    """Each sheet of an .xlsb by its name (as its workbook names it), and the sheets' parts no name leads to (a
    workbook whose records or relationships do not read: calamine may still find them)."""
    named: dict[str, BinarySheet] = {}
    names = {part: name for name, part in _xlsb_parts(package).items()}
    unnamed: list[BinarySheet] = []
    styles = _xlsb_styles(package)
    for part in package.namelist():
        if part.startswith("xl/worksheets/") and part.endswith(".bin"):
            with package.open(part) as stream:
                sheet = _xlsb_sheet(stream, styles)
            if part in names:
                named[names[part]] = sheet
            else:
                unnamed.append(sheet)
    return named, unnamed


_BLOCK = 4 * 1024 * 1024


def _records(stream: IO[bytes]) -> Iterator[tuple[int, bytes]]:
    """The records of an .xlsb part: (type, payload); stops at the part's end or at a record cut short. Read a block
    at a time (a sheet's part may unpack to hundreds of MB), parsed by index: a byte at a time from the stream took as
    long as calamine's whole read."""
    data, at = b"", 0
    while True:
        if len(data) - at < 16:  # a record's head (type and size) is at most 6 bytes
            data, at = data[at:] + stream.read(_BLOCK), 0
            if at >= len(data):
                return
        kind = data[at]
        at += 1
        if kind & 0x80:
            if at >= len(data):
                return
            kind = (kind & 0x7F) | ((data[at] & 0x7F) << 7)
            at += 1
        size = shift = 0
        for _ in range(4):
            if at >= len(data):
                return
            byte = data[at]
            at += 1
            size |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        if at + size > len(data):
            data, at = data[at:] + stream.read(max(_BLOCK, size)), 0
            if size > len(data):
                return
        yield kind, data[at:at + size]
        at += size


def _xlsb_sheet(stream: IO[bytes], styles: BookStyles | None = None) -> BinarySheet:
    sheet = BinarySheet(formats=SheetFormats(styles) if styles else None)
    row = 0
    low_row, high_row, low_column, high_column = 1 << 32, -1, 1 << 32, -1
    for kind, payload in _records(stream):
        if kind == _ROW_HEADER and len(payload) >= 4:
            row = struct.unpack_from("<I", payload)[0]
            if row > _LAST_ROW:
                break
        elif kind in _VALUE_CELLS and len(payload) >= 4:
            column = struct.unpack_from("<I", payload)[0]
            low_row, high_row = min(low_row, row), max(high_row, row)
            low_column, high_column = min(low_column, column), max(high_column, column)
            if kind == _CELL_ERROR and len(payload) >= 9:
                sheet.errors[(row + 1, column)] = ERRORS.get(payload[8], "#ERROR")
            elif sheet.formats is not None and (value := _xlsb_number(kind, payload)) is not None:
                sheet.formats.cell(row + 1, column, struct.unpack_from("<I", payload, 4)[0] & 0xFF_FFFF, value)
        elif kind == _FORMULA_ERROR and len(payload) >= 9:  # calamine leaves the cell out: it spans nothing
            sheet.errors[(row + 1, struct.unpack_from("<I", payload)[0])] = ERRORS.get(payload[8], "#ERROR")
        elif kind == _END_SHEET_DATA:
            break
    if high_row >= 0:
        sheet.rows, sheet.columns = high_row - low_row + 1, high_column - low_column + 1
    return sheet


def _xlsb_number(kind: int, payload: bytes) -> float | None:
    """A number cell's value (its style at bytes 4-6 of its Cell): an RK number, a float, a formula's float."""
    if kind == _CELL_RK and len(payload) >= 12:
        return _rk(struct.unpack_from("<I", payload, 8)[0])
    if kind in (_CELL_REAL, _FORMULA_NUMBER) and len(payload) >= 16:
        return float(struct.unpack_from("<d", payload, 8)[0])
    return None


def _xlsb_styles(package: zipfile.ZipFile) -> BookStyles | None:
    """An .xlsb's number formats (xl/styles.bin's BrtFmt records, the number format of each cell style's BrtXF in its
    cellXfs) and its date system (xl/workbook.bin's BrtWbProp), as sheet_formats.book_styles reads them."""
    try:
        styles = package.read("xl/styles.bin")
        book = package.read("xl/workbook.bin")
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):  # no styles: the values as calamine gives them
        return None
    codes: dict[int, str] = {}
    formats: list[int] = []
    in_cells = False
    for kind, payload in _records(io.BytesIO(styles)):
        if kind == _FORMAT_RECORD and len(payload) >= 6:
            code, _ = _wide(payload, 2)
            if code is not None:
                codes[struct.unpack_from("<H", payload)[0]] = code
        elif kind in (_BEGIN_CELL_XFS, _END_CELL_XFS):
            in_cells = kind == _BEGIN_CELL_XFS
        elif kind == _XF_RECORD and in_cells and len(payload) >= 4:
            formats.append(struct.unpack_from("<H", payload, 2)[0])
    date1904 = False
    for kind, payload in _records(io.BytesIO(book)):
        if kind == _WORKBOOK_PROPERTIES and len(payload) >= 4:
            date1904 = bool(struct.unpack_from("<I", payload)[0] & 1)
            break
    return book_styles(formats, codes, date1904)


def _xlsb_parts(package: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's name -> its part, from xl/workbook.bin's sheet records and their relationships."""
    try:
        book = package.read("xl/workbook.bin")
        rels = part_xml(package, "xl/_rels/workbook.bin.rels")
    except (KeyError, UnreadableFile):  # no workbook, or relationships that do not parse safely
        return {}
    if rels is None:
        return {}
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter("{*}Relationship", "Relationship")}
    out: dict[str, str] = {}
    for kind, payload in _records(io.BytesIO(book)):
        if kind != _BUNDLE_SHEET:
            continue
        relation, at = _wide(payload, 8)
        name, _ = _wide(payload, at)
        target = targets.get(relation, "")
        if name is not None and target:
            out[name] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return out


def _wide(payload: bytes, at: int) -> tuple[str | None, int]:
    """An XLWideString at ``at``: its text and where it ends (None for none: a null string's length is 0xFFFFFFFF)."""
    if len(payload) < at + 4:
        return None, len(payload)
    count = struct.unpack_from("<I", payload, at)[0]
    end = at + 4 + 2 * count
    if count == 0xFFFF_FFFF or end > len(payload):
        return None, at + 4
    return payload[at + 4:end].decode("utf-16-le", "replace"), end


# .xls BIFF8 record types (MS-XLS 2.3)
_BOF, _BOUND_SHEET, _FORMULA, _BOOL_ERR = 0x0809, 0x0085, 0x0006, 0x0205


def xls_sheets(data: bytes) -> tuple[dict[str, dict[tuple[int, int], str]], dict[str, SheetFormats]]:
    """Each sheet of an .xls -> its cells holding an error, by (row from 1, column from 0): a constant error
    (BOOLERR) or a formula's cached error (FORMULA), biff_errors; and each sheet -> its number cells' formats,
    biff_formats. Both empty without olefile or for a stream it cannot read."""
    biff = _workbook_stream(data)
    return (biff_errors(biff), biff_formats(biff)) if biff else ({}, {})


def _workbook_stream(data: bytes) -> bytes:
    try:
        import olefile
    except ImportError:
        return b""
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            stream = next((name for name in ("Workbook", "Book") if ole.exists(name)), None)
            return ole.openstream(stream).read() if stream is not None else b""
    except (OSError, ValueError, IndexError, struct.error):  # olefile's errors on a broken file; calamine names it
        return b""


# .xls BIFF8 records that give a cell's style (its XF's index) and number (MS-XLS 2.4)
_FORMAT, _XF, _DATE1904, _NUMBER, _RK, _MULRK = 0x041E, 0x00E0, 0x0022, 0x0203, 0x027E, 0x00BD


def biff_formats(biff: bytes) -> dict[str, SheetFormats]:
    """Each sheet of a BIFF8 workbook stream -> its number cells under a format shown here (percent, currency,
    thousands, a time; a date serial calamine reads wrong), as sheet_formats reads an .xlsx's: the workbook's FORMAT
    records (its own codes) and XF records (each style's format), then each sheet's NUMBER, RK, MULRK and FORMULA
    cells. calamine gives their values alone ("0.125" where Excel shows "12.5%")."""
    sheets: dict[int, str] = {}
    codes: dict[int, str] = {}
    formats: list[int] = []
    date1904 = False
    styles: BookStyles | None = None
    out: dict[str, SheetFormats] = {}
    current: SheetFormats | None = None
    at = 0
    while at + 4 <= len(biff):
        kind, size = struct.unpack_from("<HH", biff, at)
        payload = biff[at + 4:at + 4 + size]
        at += 4 + size
        if kind == _BOF:
            name = sheets.get(at - 4 - size)
            if name is not None and styles is None:
                styles = book_styles(formats, codes, date1904)
                if styles is None:  # no style formats a number shown here: the sheets are calamine's alone
                    return {}
            current = out.setdefault(name, SheetFormats(styles)) if name is not None and styles else None
        elif kind == _BOUND_SHEET and len(payload) >= 8:
            name = _short_string(payload, 6)
            if name is not None:
                sheets[struct.unpack_from("<I", payload)[0]] = name
        elif kind == _FORMAT and len(payload) >= 5:
            code = _unicode_string(payload, 2)
            if code is not None:
                codes[struct.unpack_from("<H", payload)[0]] = code
        elif kind == _XF and len(payload) >= 4:
            formats.append(struct.unpack_from("<H", payload, 2)[0])
        elif kind == _DATE1904 and len(payload) >= 2:
            date1904 = struct.unpack_from("<H", payload)[0] == 1
        elif current is not None and len(payload) >= 10:
            for row, column, style, value in _number_cells(kind, payload):
                current.cell(row + 1, column, style, value)
    return {name: formats for name, formats in out.items() if formats.starts or formats.fixed}


def _number_cells(kind: int, payload: bytes) -> Iterator[tuple[int, int, int, float]]:
    """The number cells of a BIFF8 record: (row, column, style, value), row and column from 0."""
    if kind == _NUMBER and len(payload) >= 14:
        yield struct.unpack_from("<HHHd", payload)
    elif kind == _RK:
        row, column, style, rk = struct.unpack_from("<HHHI", payload)
        yield row, column, style, _rk(rk)
    elif kind == _MULRK and len(payload) >= 12:
        row, first = struct.unpack_from("<HH", payload)
        for n in range((len(payload) - 6) // 6):
            style, rk = struct.unpack_from("<HI", payload, 4 + 6 * n)
            yield row, first + n, style, _rk(rk)
    elif kind == _FORMULA and len(payload) >= 14 and payload[12:14] != b"\xff\xff":  # a number as its result
        yield struct.unpack_from("<HHHd", payload)


def _rk(rk: int) -> float:
    """An RK number (MS-XLS 2.5.218): a 30-bit integer or a float's high 30 bits, divided by 100 if so flagged."""
    value = float((rk if rk < 1 << 31 else rk - (1 << 32)) >> 2) if rk & 2 else \
        struct.unpack("<d", struct.pack("<Q", (rk & 0xFFFF_FFFC) << 32))[0]
    return value / 100 if rk & 1 else value


def _unicode_string(payload: bytes, at: int) -> str | None:
    """An XLUnicodeString (a FORMAT's code): its length in two bytes, a flag for two bytes a character, the
    characters."""
    if len(payload) < at + 3:
        return None
    count, wide = struct.unpack_from("<H", payload, at)[0], payload[at + 2] & 1
    text = payload[at + 3:at + 3 + count * (2 if wide else 1)]
    return text.decode("utf-16-le" if wide else "latin-1", "replace")


def biff_errors(biff: bytes) -> dict[str, dict[tuple[int, int], str]]:
    """The error cells of each sheet of a BIFF8 workbook stream (xls_errors)."""
    sheets: dict[int, str] = {}  # a sheet's BOF offset -> its name
    out: dict[str, dict[tuple[int, int], str]] = {}
    current: dict[tuple[int, int], str] | None = None
    at = 0
    while at + 4 <= len(biff):
        kind, size = struct.unpack_from("<HH", biff, at)
        payload = biff[at + 4:at + 4 + size]
        if kind == _BOF:
            name = sheets.get(at)
            current = out.setdefault(name, {}) if name is not None else None
        elif kind == _BOUND_SHEET and len(payload) >= 8:
            name = _short_string(payload, 6)
            if name is not None:
                sheets[struct.unpack_from("<I", payload)[0]] = name
        elif current is not None and kind == _BOOL_ERR and len(payload) >= 8 and payload[7] == 1:
            row, column = struct.unpack_from("<HH", payload)
            current[(row + 1, column)] = ERRORS.get(payload[6], "#ERROR")
        elif current is not None and kind == _FORMULA and len(payload) >= 14:
            result = payload[6:14]
            if result[6:8] == b"\xff\xff" and result[0] == 2:  # a formula whose result is an error
                row, column = struct.unpack_from("<HH", payload)
                current[(row + 1, column)] = ERRORS.get(result[2], "#ERROR")
        at += 4 + size
    return {name: errors for name, errors in out.items() if errors}


def _short_string(payload: bytes, at: int) -> str | None:
    """A ShortXLUnicodeString (a sheet's name): its length, a flag for two bytes a character, the characters."""
    if len(payload) < at + 2:
        return None
    count, wide = payload[at], payload[at + 1] & 1
    text = payload[at + 2:at + 2 + count * (2 if wide else 1)]
    return text.decode("utf-16-le" if wide else "latin-1", "replace")

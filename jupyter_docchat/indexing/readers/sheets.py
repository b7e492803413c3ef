"""Workbooks (.xlsx, .xlsm, .xlsb, .xls, .ods; python-calamine, the optional "sheets" extra): a sheet a section under
the trail "book.xlsx > Sheet name", its rows a table as the CSV reader writes one (jupyter_docchat.table_text): a row a
line under its header, so a chunk of rows keeps the names of its columns, and the chunker (table_chunks) keeps a table
that fits in one chunk. A section's lines map to the sheet's rows (Section.line_map), so a chunk is cited "Sales rows
4-40" (types.Hit.location), as the user finds them in Excel.

What the sheet shows, not what it stores: a date as a date (not Excel's serial 45123), a number to 15 digits (0.3, not
0.30000000000000004) or under its cell's number format ("12.5%", "$1,234.50": sheet_formats, number_formats; an .ods
cell as LibreOffice wrote its text), TRUE and FALSE, a formula's value as the file last saved it (calamine reads the
cached value; a file whose formulas were never computed, as some generators write them, shows them empty), a formula's
error as its error ("#DIV/0!", read from the file: calamine gives none; binary_sheets for .xls and .xlsb). A merged
cell's text fills the cells it covers: a region merged down its rows names each row, and a group header merged across
("Size" over "min" and "max") names both columns of the header row below it ("Size min", "Size max").

The header is the first of the sheet's first rows that fills half its columns and is mostly text; rows above it (a
title, a note on the source) are lines of their own before the table, its introduction. A sheet without such a row is
headed by its column letters, as Excel shows it, and a column its header leaves unnamed by its letter. A sheet of one
column is its lines, not a table of one column.

Hidden sheets are read, their first line saying so: what a user hides is most often a lookup table or the data a chart
is drawn from, the numbers they ask about, and they chose to index the file; the line tells them why the sheet is not
in the tabs they see. Empty sheets and chart sheets give no section: nothing in them to find.

Bounds: a zip workbook is unpacked within office_package's limits first; an .xlsx sheet's extent is read from its cells'
references before calamine reads it (an .xlsb's from its records, binary_sheets), since calamine holds a sheet as a
dense grid of its extent (a 9 kB file with a cell at A1 and one at XFD1048576 aborted the process: 17 billion cells); a
sheet over CELL_LIMIT is named and left out, the others read. The text of a workbook stops at TEXT_LIMIT, as a CSV's
bytes stop at the file limit.
"""

from __future__ import annotations

import datetime
import io
import math
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

from jupyter_docchat.indexing.readers import number_formats
from jupyter_docchat.indexing.readers.base import UnreadableFile, short_heading
from jupyter_docchat.indexing.readers.binary_sheets import xls_sheets, xlsb_sheets
from jupyter_docchat.indexing.readers.delimited import SECTION_CHARS
from jupyter_docchat.indexing.readers.office_package import TOTAL_LIMIT, ole_file, refuse_encrypted, unpacked_names
from jupyter_docchat.indexing.readers.office_tables import distinct_cells
from jupyter_docchat.indexing.readers.sheet_formats import SheetFormats, column_number, read_styles
from jupyter_docchat.table_text import escape_cell, table_lines
from jupyter_docchat.types import HeadingTrail, Section

# Cells of a sheet's extent (rows times columns) calamine may hold: 2**24, a million rows of 16 columns, about 0.5 GB
# at calamine's 30 bytes a cell (measured: 5.2 million cells, 175 MB).
CELL_LIMIT = 1 << 24
TEXT_LIMIT = 64 * 1024 * 1024  # characters of a workbook's text: as the bytes of a CSV read (user_file.MAX_FILE_BYTES)
HEADER_ROWS = 10  # the header is looked for among the sheet's first rows that hold something
HIDDEN_LINE = "(A hidden sheet: Excel and LibreOffice show it only once it is unhidden.)"
_SHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml")
# A cell's reference (r="B12"), its row and its column; a row's own r="12" holds no letter. Found by the literal r="
# (a fast search; an attribute whose name merely ends in r can only make the extent seem larger, never hide a cell).
_CELL_ROW = re.compile(rb'r="[A-Z]{1,3}([0-9]{1,7})"')
_NARROW_COLUMN = re.compile(rb'r="([A-Z])[0-9]')
_WIDE_COLUMN = re.compile(rb'r="([A-Z]{2,3})[0-9]')
_BLOCK = 4 * 1024 * 1024


@dataclass
class _Budget:
    """The characters of text the workbook may still give."""

    left: int = field(default_factory=lambda: TEXT_LIMIT)


@dataclass
class _Shown:
    """What a sheet shows that calamine does not give, read from its XML: by (row from 1, column from 0)."""

    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # an error a formula gave (calamine: empty)
    fixed: dict[tuple[int, int], str] = field(default_factory=dict)  # a cell's text as shown, calamine's replaced
    formats: SheetFormats | None = None  # the number formats of its cells


@dataclass
class _Row:
    number: int  # the sheet's row number, from 1
    cells: list[str]
    text: list[bool] = field(default_factory=list)  # which cells hold text (not a number, date or truth value)
    own: int = 0  # the cells filled in the file, not by a merged cell above or beside them


def read_workbook(path: Path, data: bytes) -> list[Section]:
    try:
        import python_calamine  # the optional "sheets" extra
    except ImportError as exc:
        raise UnreadableFile("needs the sheets extra: pip install 'jupyter-docchat[sheets]'") from exc
    suffix = path.suffix.lower().lstrip(".") or "xlsx"
    if ole_file(data):
        refuse_encrypted(data, suffix)  # an encrypted .xlsx is an OLE file; an unencrypted one is an .xls
        too_large: dict[str, str] = {}
        errors, formats_of = xls_sheets(data)
        shown = {name: _Shown(errors=sheet_errors) for name, sheet_errors in errors.items()}
        for name, formats in formats_of.items():
            sheet = shown.setdefault(name, _Shown())
            sheet.formats, sheet.fixed = formats, formats.fixed
    else:
        # A zip bomb raises; a file that is no zip is named by calamine. A sheet's XML is far larger than a document's
        # for its text (a reference and a value element each cell: 42 MB for 16 MB of text), and calamine reads it as it
        # goes, not as a tree: a workbook's text parts may unpack to the whole package's limit.
        unpacked_names(data, suffix, TOTAL_LIMIT)
        too_large, shown = _oversized_sheets(data)
    book = _calamine(suffix, lambda: python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)))
    sections: list[Section] = []
    budget = _Budget()
    name = short_heading(path.name)
    with book:
        for number, meta in enumerate(book.sheets_metadata):
            sheet_name = short_heading(meta.name) or f"Sheet {number + 1}"
            trail = str(HeadingTrail((name, sheet_name)))  # a " > " in a sheet's name ("Q1 > Q2") is no level
            if meta.name in too_large:
                sections.append(Section(f"{sheet_name}: {too_large[meta.name]}, not read", 1, trail, apart=True))
                continue
            hidden = str(meta.visible).rsplit(".", 1)[-1] != "Visible"
            sheet = _calamine(suffix, lambda: book.get_sheet_by_index(number))
            sheet_shown = shown.get(meta.name) or _Shown()
            sections += _sheet_sections(trail, sheet, hidden, budget, suffix, sheet_shown)
            if budget.left <= 0:  # said where it stops, as the sheet's last line: the user knows what was not read
                last = sections[-1].line_map[-1] if sections and sections[-1].line_map else 1
                sections.append(Section(f"(Read up to here: {TEXT_LIMIT:,} characters of text, as much as docchat reads "
                                        "of a workbook.)", last, trail, line_map=(last,), apart=True))
                break
    return sections


def _calamine(suffix: str, call: Any) -> Any:
    """``call()``, calamine's errors (and a panic of its Rust code, which Python raises as a BaseException) as
    UnreadableFile: a password on a legacy .xls is named, any other fault the file's alone."""
    import python_calamine

    try:
        return call()
    except python_calamine.PasswordError:
        raise UnreadableFile(f"password-protected .{suffix}: save it without a password to index it") from None
    except (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError):
        raise
    except BaseException as exc:  # noqa: B036 - pyo3's PanicException derives from BaseException
        raise UnreadableFile(f"unreadable .{suffix} ({type(exc).__name__})") from None


def _oversized_sheets(data: bytes) -> tuple[dict[str, str], dict[str, _Shown]]:
    """The sheets of an .xlsx/.xlsm whose extent is over CELL_LIMIT -> what it is ("1048576 rows by 16384 columns"),
    read from the references of their cells (the <dimension> element may be missing or wrong); and what each sheet
    shows that calamine does not give (its cells holding an error, _error_cells; its number formats; an .ods cell's
    text as LibreOffice shows it). By sheet name."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        return {}, {}
    found: dict[str, str] = {}
    shown: dict[str, _Shown] = {}
    with package:
        if "content.xml" in package.namelist() and not any(_SHEET_PART.fullmatch(n) for n in package.namelist()):
            from lxml import etree

            try:
                with package.open("content.xml") as stream:
                    extents, texts = _ods_extents(stream)
            except (ValueError, etree.XMLSyntaxError):  # calamine names what is wrong with it
                return {}, {}
            found = {name: f"{rows} rows by {columns} columns, too large to read"
                     for name, (rows, columns) in extents.items() if rows * columns > CELL_LIMIT}
            if found:  # calamine reads every sheet of an .ods when it opens the file: none can be left out alone
                name, what = next(iter(found.items()))
                raise UnreadableFile(f"a sheet of {what} ({name})")
            return {}, {name: _Shown(fixed=fixed) for name, fixed in texts.items() if fixed}
        parts = [info for info in package.infolist() if _SHEET_PART.fullmatch(info.filename)]
        if not parts:
            return _xlsb_sheets(package)
        names = _sheet_parts(package)
        styles = read_styles(package)
        for info in parts:
            sheet = _Shown(formats=SheetFormats(styles) if styles else None)
            with package.open(info) as stream:
                rows, columns = _extent(stream, sheet)
            if sheet.formats:
                sheet.fixed = sheet.formats.fixed  # the date serials calamine reads wrong, as Excel shows them
            if info.filename in names:
                shown[names[info.filename]] = sheet
            if rows * columns > CELL_LIMIT:
                what = f"{rows} rows by {columns} columns, too large to read"
                if info.filename not in names:  # a sheet not known by its name cannot be left out alone
                    raise UnreadableFile(f"a sheet of {what}")
                found[names[info.filename]] = what
    return found, shown


def _xlsb_sheets(package: zipfile.ZipFile) -> tuple[dict[str, str], dict[str, _Shown]]:
    """An .xlsb's sheets over CELL_LIMIT and their errors, as _oversized_sheets gives them for an .xlsx."""
    found: dict[str, str] = {}
    shown: dict[str, _Shown] = {}
    named, unnamed = xlsb_sheets(package)
    for sheet in unnamed:  # a sheet not known by its name cannot be left out alone
        if sheet.rows * sheet.columns > CELL_LIMIT:
            raise UnreadableFile(f"a sheet of {sheet.rows} rows by {sheet.columns} columns, too large to read")
    for name, sheet in named.items():
        if sheet.rows * sheet.columns > CELL_LIMIT:
            found[name] = f"{sheet.rows} rows by {sheet.columns} columns, too large to read"
        shown[name] = _Shown(errors=sheet.errors, fixed=sheet.formats.fixed if sheet.formats else {},
                             formats=sheet.formats)
    return found, shown


def _extent(stream: IO[bytes], shown: _Shown) -> tuple[int, int]:
    """The rows and columns a sheet's cells span, from their references (A1, in any attribute order), read a block at a
    time: a sheet's part may unpack to hundreds of MB. Matched by kind, not cell by cell in Python: rows by their
    numbers, columns of one letter as a set (the usual sheet), of two or three only when there are any (0.34 s for
    150,000 rows of 4 cells, 0.73 cell by cell). What the sheet shows that calamine does not give is read into
    ``shown`` on the way."""
    low_row, high_row, wide = 1 << 30, 0, 0
    letters: set[bytes] = set()
    tail = b""
    while block := stream.read(_BLOCK):
        # A cell cut by the block's end is read whole with the next (its reference, error, format and value)
        cut = block.rfind(b"<c ")
        cut = cut if cut >= 0 else block.rfind(b"<")
        text, tail = (tail + block[:cut], block[cut:]) if cut >= 0 else (b"", tail + block)
        low_row, high_row, wide = _refs(text, low_row, high_row, letters, wide)
        _error_cells(text, shown.errors)
        if shown.formats:
            shown.formats.scan(text)
    low_row, high_row, wide = _refs(tail, low_row, high_row, letters, wide)
    _error_cells(tail, shown.errors)
    if shown.formats:
        shown.formats.scan(tail)
    if not high_row:
        return 0, 0
    columns = [column_number(letter) for letter in letters]
    return high_row - low_row + 1, max([*columns, wide]) - min([*columns, wide or 1 << 30]) + 1


# A cell holding an error, as Excel and XlsxWriter write one: its reference, t="e", and the error's text as its value
# ("#DIV/0!", "#REF!", "#N/A"). calamine gives such a cell as empty; Excel shows the error.
_ERROR_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^>]*?\st="e"[^>]*>(?:<f[^>]*/>|<f[^>]*>[^<]*</f>)?<v>(#[^<]{1,20})</v>')


def _error_cells(text: bytes, errors: dict[tuple[int, int], str]) -> None:
    """The error cells of ``text`` (a block of a sheet's XML, cut before a cell) into ``errors``: (row from 1, column
    from 0) -> text."""
    if b't="e"' not in text:
        return
    for letters, row, value in _ERROR_CELL.findall(text):
        errors[(int(row), column_number(letters) - 1)] = value.decode("utf-8", "replace")


_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


_ODS_CALC = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"
_ODS_TEXT_NS = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_ODS_TEXT, _ODS_SPACE = f"{_ODS_TEXT_NS}p", f"{_ODS_TEXT_NS}s"
_ODS_SHOWN = ("percentage", "currency")
ODS_TEXTS = 1 << 20  # cells of an .ods whose shown text is kept: a tiny file repeats one cell a million times


def _ods_extents(stream: IO[bytes]) -> tuple[dict[str, tuple[int, int]], dict[str, dict[tuple[int, int], str]]]:
    """Each sheet of an OpenDocument spreadsheet's content.xml -> the rows and columns its cells span once their
    repeats are counted: LibreOffice writes a run of like rows or cells once, with number-rows-repeated and
    number-columns-repeated, and calamine spreads the ones that hold something into a dense grid (a 2 kB file of one
    cell repeated over 100,000 rows and 1,000 columns aborted the process). Empty runs (a sheet's trailing empty rows,
    written as 1,048,553 of them) are not counted: calamine keeps them out of the grid too.

    And each sheet's cells whose text, as LibreOffice wrote what it shows, says more than calamine's value: a
    percentage ("12.50%" for 0.125), a currency ("1 234,50 €"), a number under a style (decimals, thousands), a
    formula's error ("#DIV/0!", which calamine gives as empty); by (row from 1, column from 0)."""
    from lxml import etree

    extents: dict[str, tuple[int, int]] = {}
    texts: dict[str, dict[tuple[int, int], str]] = {}
    sheet: dict[tuple[int, int], str] = {}
    kept = 0
    row = height = width = 0
    for event, element in etree.iterparse(stream, events=("start", "end"), huge_tree=True):
        tag = element.tag
        if event == "start":
            if tag == f"{_ODS_TABLE}table":
                row = height = width = 0
                sheet = {}
            continue
        if tag == f"{_ODS_TABLE}table-row":
            column = last = 0
            repeats = int(element.get(f"{_ODS_TABLE}number-rows-repeated", "1") or 1)
            for cell in element:
                span = int(cell.get(f"{_ODS_TABLE}number-columns-repeated", "1") or 1)
                if kept < ODS_TEXTS and (text := _ods_shown(cell)) is not None:
                    for r in range(row + 1, row + 1 + min(repeats, ODS_TEXTS)):
                        for c in range(column, column + min(span, ODS_TEXTS)):
                            sheet[(r, c)] = text
                    kept += min(repeats, ODS_TEXTS) * min(span, ODS_TEXTS)
                column += span
                if cell.get(f"{_ODS_OFFICE}value-type") is not None or len(cell):
                    last = column
            row += repeats
            if last:
                height, width = row, max(width, last)
            element.clear()
            while element.getprevious() is not None:  # the rows read: a sheet of a million rows is not held
                del element.getparent()[0]
        elif tag == f"{_ODS_TABLE}table":
            name = element.get(f"{_ODS_TABLE}name", "")
            extents[name] = (height, width)
            texts[name] = sheet
            element.clear()
    return extents, texts


def _ods_shown(cell: Any) -> str | None:
    """The text LibreOffice shows in an .ods cell, when calamine's value says less (_ods_extents); else None."""
    kind = cell.get(f"{_ODS_OFFICE}value-type")
    error = cell.get(f"{_ODS_CALC}value-type") == "error"
    if not error and kind not in _ODS_SHOWN and not (kind == "float" and cell.get(f"{_ODS_TABLE}style-name")):
        return None
    for space in cell.iter(_ODS_SPACE):  # <text:s text:c="2"/>: spaces LibreOffice writes as an element ("1 234 €")
        count = space.get(f"{_ODS_TEXT_NS}c", "1")
        space.text = " " * min(int(count) if count.isdigit() else 1, 8)
    text = "\n".join("".join(p.itertext()) for p in cell.iterfind(_ODS_TEXT)).strip()
    if not text or not any(ch.isdigit() for ch in text) and not error:
        return None
    if kind == "float" and not error:
        try:
            if _shown(float(cell.get(f"{_ODS_OFFICE}value", "nan"))) == text:
                return None  # shown as calamine gives it
        except ValueError:
            return None
    return text


def _refs(text: bytes, low_row: int, high_row: int, letters: set[bytes], wide: int) -> tuple[int, int, int]:
    rows = list(map(int, _CELL_ROW.findall(text)))
    if rows:
        low_row, high_row = min(low_row, min(rows)), max(high_row, max(rows))
    letters.update(_NARROW_COLUMN.findall(text))
    wide = max([wide, *(column_number(letter) for letter in _WIDE_COLUMN.findall(text))])
    return low_row, high_row, wide


def _sheet_parts(package: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet part's name in the zip -> the sheet's name, from the workbook and its relationships."""
    from lxml import etree

    try:
        book = etree.fromstring(package.read("xl/workbook.xml"))
        rels = etree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, etree.XMLSyntaxError):
        return {}
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    out: dict[str, str] = {}
    for sheet in book.iter("{*}sheet"):
        rid = next((value for key, value in sheet.attrib.items() if key.endswith("}id")), None)
        target = targets.get(rid, "")
        out[target.lstrip("/") if target.startswith("/") else f"xl/{target}"] = sheet.get("name", "")
    return out


def _sheet_sections(trail: str, sheet: Any, hidden: bool, budget: _Budget, suffix: str,
                    shown: _Shown) -> list[Section]:
    start = sheet.start
    if start is None:
        return []  # an empty sheet, a chart sheet
    # calamine's rows start at the sheet's first row, empty ones above its cells too, and its columns at its first
    # column that holds something (python-calamine 0.9): a row is its number, a column is counted from ``left``.
    left = start[1]
    merged = [((r0, c0 - left), (r1, c1 - left)) for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or ()]
    rows = _filled(_rows(sheet, merged, suffix, budget, shown, left))
    head: list[_Row] = []
    for row in rows:
        head.append(row)
        if len(head) == HEADER_ROWS:
            break
    if not head:
        return []
    intro = [HIDDEN_LINE] if hidden else []
    intro_rows = [head[0].number] if hidden else []
    width = max(len(row.cells) for row in head)
    if _one_column(head):
        return _line_sections(trail, intro, intro_rows, head, rows)
    at = _header_at(head, width)
    if at is None:
        header_cells = [_letters(left + k) for k in range(width)]
        header_row = head[0].number
        body: Iterable[_Row] = _chain(head, rows)
        titles: list[_Row] = []
    else:
        above = head[at - 1] if at else None
        upper = above if above and above.number == head[at].number - 1 and _spans(merged, above) else None
        header_cells = _header(upper, head[at])
        header_row = head[at].number
        titles = head[:at - 1] if upper else head[:at]
        body = _chain(head[at + 1:], rows)
    for row in titles:
        intro.append(escape_cell(" ".join(distinct_cells(row.cells))))  # one line: a title's line breaks are layout
        intro_rows.append(row.number)
    # A column the header leaves unnamed (a wide table's spacer, a header cell left blank) is named by its letter, as
    # the sheet without a header is: each value of a row still says which column it is in.
    header = [escape_cell(cell) if cell.strip() else _letters(left + k) for k, cell in enumerate(header_cells)]
    return _table_sections(trail, intro, intro_rows, header, header_row, body)


def _rows(sheet: Any, merged: list[tuple[tuple[int, int], tuple[int, int]]], suffix: str,
          budget: _Budget, shown: _Shown, left: int) -> Iterator[_Row]:
    """The sheet's rows, as shown, a merged cell's text in each cell it covers, an error ("#DIV/0!") where a formula
    gave one, a number under its format ("12.5%"); until the budget is spent."""
    # Merged ranges by their first row, each filled as the rows it covers come (a range starts at or above them).
    by_row: dict[int, list[tuple[int, int, int, str]]] = {}
    open_ranges: list[tuple[int, int, int, str]] = []  # (last row, first column, last column, text)
    iterator = _calamine(suffix, sheet.iter_rows)
    for (r0, c0), (r1, c1) in merged:
        by_row.setdefault(r0, []).append((r1, c0, c1, ""))
    for n, values in enumerate(iterator):
        cells = [_shown(value) for value in values]
        text = [isinstance(value, str) for value in values]
        if shown.formats and shown.formats.starts:
            _formatted(cells, values, n + 1, left, shown.formats)
        for fixes, empty_only in ((shown.errors, True), (shown.fixed, False)):
            if fixes:
                for k, cell in enumerate(cells):
                    if (not cell or not empty_only) and (fix := fixes.get((n + 1, left + k))):
                        cells[k] = fix
        own = sum(1 for cell in cells if cell.strip())
        for r1, c0, c1, _ in by_row.pop(n, ()):
            if 0 <= c0 < len(cells) and cells[c0]:
                open_ranges.append((r1, c0, c1, cells[c0]))
        if open_ranges:
            open_ranges = [span for span in open_ranges if span[0] >= n]
            for _, c0, c1, value in open_ranges:
                for k in range(max(c0, 0), min(c1 + 1, len(cells))):
                    if not cells[k]:
                        cells[k], text[k] = value, True
        budget.left -= sum(len(cell) + 3 for cell in cells)
        yield _Row(n + 1, cells, text, own)
        if budget.left <= 0:
            return


def _formatted(cells: list[str], values: list[Any], row: int, left: int, formats: SheetFormats) -> None:
    """The numbers of a row under their cells' formats, where a format is rendered (number_formats)."""
    for k, value in enumerate(values):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            code = formats.code(row, left + k)
            if code is not None and (text := number_formats.shown(code, float(value))) is not None:
                cells[k] = text
        elif isinstance(value, (datetime.timedelta, datetime.datetime, datetime.time)):
            code = formats.code(row, left + k)
            if code is not None and number_formats.is_time(code) \
                    and (text := number_formats.clock(code, _days(value))) is not None:
                cells[k] = text


def _days(value: datetime.timedelta | datetime.datetime | datetime.time) -> float:
    """A time calamine read, as the serial a time format shows: a duration's days, a date and time's (or a time's)
    fraction of its day (a time format shows no date; an elapsed one is read by calamine as a duration)."""
    if isinstance(value, datetime.timedelta):
        return value.total_seconds() / 86400
    clock = value.time() if isinstance(value, datetime.datetime) else value
    return (clock.hour * 3600 + clock.minute * 60 + clock.second + clock.microsecond / 1e6) / 86400


def _filled(rows: Iterator[_Row]) -> Iterator[_Row]:
    """The rows that show something: a cell of spaces shows nothing."""
    return (row for row in rows if any(cell.strip() for cell in row.cells))


def _chain(first: list[_Row], rest: Iterator[_Row]) -> Iterator[_Row]:
    yield from first
    yield from rest


def _one_column(head: list[_Row]) -> bool:
    """Whether the sheet's first rows hold something in one column only: a sheet of notes, a list."""
    return len({k for row in head for k, cell in enumerate(row.cells) if cell}) == 1


def _header_at(head: list[_Row], width: int) -> int | None:
    """Which of the first rows is the header: the first that fills half the columns or more, two at least, most of
    them text. None when no row does (a sheet of numbers alone). A title merged across the table fills one cell."""
    for n, row in enumerate(head):
        filled = [k for k, cell in enumerate(row.cells) if cell]
        if row.own >= max(2, (width + 1) // 2) and 2 * sum(row.text[k] for k in filled) > len(filled):
            return n
    return None


def _spans(merged: list[tuple[tuple[int, int], tuple[int, int]]], row: _Row) -> bool:
    """Whether a merged cell spans columns in ``row``: a group header over the header row."""
    index = row.number - 1
    return any(r0 <= index <= r1 and c1 > c0 for (r0, c0), (r1, c1) in merged)


def _header(upper: _Row | None, row: _Row) -> list[str]:
    if upper is None:
        return row.cells
    width = max(len(upper.cells), len(row.cells))
    pad = [*upper.cells, *[""] * (width - len(upper.cells))], [*row.cells, *[""] * (width - len(row.cells))]
    return [" ".join(distinct_cells([a, b])) for a, b in zip(*pad)]


def _table_sections(trail: str, intro: list[str], intro_rows: list[int], header: list[str], header_row: int,
                    body: Iterable[_Row]) -> list[Section]:
    """The sheet's table in sections of SECTION_CHARS at most, each under the header, each line mapped to its row."""
    sections: list[Section] = []
    batch: list[_Row] = []
    size = 0

    def flush() -> None:
        first = not sections
        lines = (intro if first else []) + table_lines(header, [[escape_cell(cell) for cell in row.cells] for row in batch])
        head_at = header_row if first or not batch else batch[0].number  # a later section's header: at its first row
        rows = (intro_rows if first else []) + [head_at, head_at] + [row.number for row in batch]
        sections.append(Section("\n".join(lines), rows[0], trail, line_map=tuple(rows), apart=True))
        batch.clear()

    for row in body:
        batch.append(row)
        size += sum(len(cell) + 3 for cell in row.cells)
        if size > SECTION_CHARS:
            flush()
            size = 0
    if batch or not sections:
        flush()
    return sections


def _line_sections(trail: str, intro: list[str], intro_rows: list[int], head: list[_Row],
                   rows: Iterator[_Row]) -> list[Section]:
    """A sheet of one column (notes, a list): its cells a line each, in sections of SECTION_CHARS."""
    sections: list[Section] = []
    lines, numbers, size = list(intro), list(intro_rows), 0
    for row in _chain(head, rows):
        for cell in distinct_cells(row.cells):
            for line in cell.splitlines() or [""]:  # a cell's own lines (Alt+Enter), each cited at its row
                lines.append(line)
                numbers.append(row.number)
                size += len(line) + 1
        if size > SECTION_CHARS:
            sections.append(Section("\n".join(lines), numbers[0], trail, line_map=tuple(numbers), apart=True))
            lines, numbers, size = [], [], 0
    if lines:
        sections.append(Section("\n".join(lines), numbers[0], trail, line_map=tuple(numbers), apart=True))
    return sections


def _letters(column: int) -> str:
    """Excel's name of the 0-based ``column``: A, Z, AA."""
    name = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        name = chr(65 + rest) + name
    return name


def _shown(value: Any) -> str:
    """A cell's value as a spreadsheet shows it by default."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(value, ".15g")  # Excel shows 15 significant digits: 0.1 + 0.2 is 0.3
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec=_timespec(value.second, value.microsecond))
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return value.isoformat(timespec=_timespec(value.second, value.microsecond))
    if isinstance(value, datetime.timedelta):
        seconds = round(value.total_seconds())
        sign, seconds = ("-" if seconds < 0 else ""), abs(seconds)
        return f"{sign}{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"  # Excel's [h]:mm:ss
    return str(value)


def _timespec(second: int, microsecond: int) -> str:
    return "minutes" if not second and not microsecond else "seconds"

"""Workbooks made in a test: .xlsx by XlsxWriter (formulas with their computed values, merged cells, hidden and chart
sheets, as Excel saves them) and .ods written as LibreOffice writes its cells. No binary is committed."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Callable
from xml.sax.saxutils import escape

# A lone surrogate cannot be written in UTF-8: Excel writes it as its escape _xD800_. XlsxWriter escapes "_x" itself,
# so a surrogate is written as a private-use character of plane 15 first and turned into the escape in the package.
_PLANE15 = 0xF0000
_MARKED = re.compile("[\U000f0000-\U000f07ff]")


def xlsx_bytes(build: Callable, *, raw: bool = True) -> bytes:
    """An .xlsx made by ``build(workbook)``; strings are written as they are (no number, formula or link guessed)."""
    import xlsxwriter

    out = io.BytesIO()
    options = {"in_memory": True}
    if raw:
        options.update(strings_to_numbers=False, strings_to_formulas=False, strings_to_urls=False)
    book = xlsxwriter.Workbook(out, options)
    build(book)
    book.close()
    return _surrogates_escaped(out.getvalue())


def marked(text: str) -> str:
    """``text`` with its lone surrogates marked for ``xlsx_bytes`` to write as Excel's escapes."""
    return "".join(chr(_PLANE15 + ord(c) - 0xD800) if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)


def as_excel_writes(text: str) -> str:
    """What a file holds of ``text``: its lone surrogates as Excel's escapes (calamine reads them as written)."""
    return "".join(f"_x{ord(c):04X}_" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)


def _surrogates_escaped(data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for info in source.infolist():
            part = source.read(info.filename)
            if info.filename.endswith(".xml"):
                text = part.decode("utf-8")
                part = _MARKED.sub(lambda m: f"_x{ord(m[0]) - _PLANE15 + 0xD800:04X}_", text).encode("utf-8")
            package.writestr(info.filename, part)
    return out.getvalue()


def ods_bytes(sheets: dict[str, list[list[object]]], rows_xml: str = "") -> bytes:
    """An OpenDocument spreadsheet: each sheet's rows of cells (a float, or text; None for an empty cell), and
    ``rows_xml`` (rows as written, repeats and all) after the last sheet's."""
    def cell(value: object) -> str:
        if value is None:
            return "<table:table-cell/>"
        if isinstance(value, float):
            return (f'<table:table-cell office:value-type="float" office:value="{value!r}">'
                    f"<text:p>{value:g}</text:p></table:table-cell>")
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'

    tables = "".join(
        f'<table:table table:name="{escape(name)}">'
        + "".join(f"<table:table-row>{''.join(cell(v) for v in row) or '<table:table-cell/>'}</table:table-row>"
                  for row in rows) + "</table:table>" for name, rows in sheets.items())
    if rows_xml:
        tables = tables[:-len("</table:table>")] + rows_xml + "</table:table>"
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
               'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" '
               'office:version="1.2"><office:body>'
               f"<office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        package.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        package.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _record(kind: int, payload: bytes = b"") -> bytes:
    """An .xlsb record (MS-XLSB 2.1.4): its type and size in 7-bit groups, then its payload."""
    head = bytes([kind]) if kind < 0x80 else bytes([(kind & 0x7F) | 0x80, kind >> 7])
    size, out = len(payload), bytearray()
    while True:
        out.append((size & 0x7F) | (0x80 if size > 0x7F else 0))
        size >>= 7
        if not size:
            break
    return head + bytes(out) + payload


def _wide(text: str) -> bytes:
    return len(text).to_bytes(4, "little") + text.encode("utf-16-le")


XLSB_ERRORS = {"#NULL!": 0x00, "#DIV/0!": 0x07, "#VALUE!": 0x0F, "#REF!": 0x17, "#NAME?": 0x1D, "#NUM!": 0x24,
               "#N/A": 0x2A}


def xlsb_bytes(sheets: dict[str, list[tuple]], date1904: bool = False) -> bytes:
    """An .xlsb as Excel lays one out (no binary committed): each sheet's cells (row and column from 0, a value: text,
    a float, an error as "#DIV/0!", or ("=", "#REF!") for a formula whose cached result is that error; a fourth item,
    a number format's code, styles the cell: "0.0%"), in row order. Cells go where they are placed, whatever the
    dimension record says (written as the cells' extent)."""
    import struct

    codes = sorted({cell[3] for cells in sheets.values() for cell in cells if len(cell) > 3})
    style = {code: n for n, code in enumerate(codes, 1)}  # a cell style for each code; 0 is General
    rels, book = [], bytearray(_record(0x83))  # BrtBeginBook
    book += _record(0x99, struct.pack("<II", 1 if date1904 else 0, 0) + _wide(""))  # BrtWbProp: f1904, a theme
    book += _record(0x8F)  # BrtBeginBundleShs
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for n, (name, cells) in enumerate(sheets.items(), 1):
            book += _record(0x9C, struct.pack("<II", 0, n) + _wide(f"rId{n}") + _wide(name))  # BrtBundleSh
            rels.append(f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                        f'relationships/worksheet" Target="worksheets/sheet{n}.bin"/>')
            rows = [cell[0] for cell in cells] or [0]
            columns = [cell[1] for cell in cells] or [0]
            part = bytearray(_record(0x81))  # BrtBeginSheet
            part += _record(0x94, struct.pack("<IIII", min(rows), max(rows), min(columns), max(columns)))  # BrtWsDim
            part += _record(0x91)  # BrtBeginSheetData
            row = None
            for r, c, value, *code in cells:
                if r != row:
                    part += _record(0x00, struct.pack("<IIHBBBI", r, 0, 300, 0, 0, 0, 0))  # BrtRowHdr
                    row = r
                cell = struct.pack("<II", c, style[code[0]] if code else 0)
                if isinstance(value, tuple):  # BrtFmlaError: the error, flags, an empty formula
                    part += _record(0x0B, cell + bytes([XLSB_ERRORS[value[1]]]) + b"\x00\x00" + struct.pack("<II", 0, 0))
                elif isinstance(value, str) and value in XLSB_ERRORS:
                    part += _record(0x03, cell + bytes([XLSB_ERRORS[value]]))  # BrtCellError
                elif isinstance(value, str):
                    part += _record(0x06, cell + _wide(value))  # BrtCellSt
                else:
                    part += _record(0x05, cell + struct.pack("<d", float(value)))  # BrtCellReal
            part += _record(0x92) + _record(0x82)  # BrtEndSheetData, BrtEndSheet
            package.writestr(f"xl/worksheets/sheet{n}.bin", bytes(part))
        book += _record(0x90) + _record(0x9D, b"\x00" * 16) + _record(0x84)  # BrtEndBundleShs, BrtCalcProp, end
        package.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                         '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                         '<Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/>'
                         '</Types>')
        package.writestr("xl/workbook.bin", bytes(book))
        if codes:
            package.writestr("xl/styles.bin", _xlsb_styles(codes))
            rels.append('<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                        'relationships/styles" Target="styles.bin"/>')
        package.writestr("xl/_rels/workbook.bin.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                         + "".join(rels) + "</Relationships>")
    return out.getvalue()


def xls_bytes(build: Callable, errors: dict[tuple[int, int], str] | None = None) -> bytes:
    """An Excel 97-2003 .xls made by ``build(workbook)`` (xlwt), each formula at ``errors``' (row, column) from 0
    saved with that error as its cached result, as Excel saves a formula that gives one (xlwt saves none)."""
    import re
    import struct

    import xlwt

    book = xlwt.Workbook()
    build(book)
    out = io.BytesIO()
    book.save(out)
    data = bytearray(out.getvalue())
    for (row, column), error in (errors or {}).items():
        # The FORMULA record (type 6): row, column, style, then its 8-byte cached result; an error is 2, 0, code,
        # 0, 0, 0, 0xFFFF (MS-XLS 2.5.133 FormulaValue). A small file's stream is laid out whole, in order.
        found = re.search(re.escape(b"\x06\x00") + b".." + re.escape(struct.pack("<HH", row, column)), data, re.S)
        assert found, (row, column)
        at = found.start() + 10
        data[at:at + 8] = bytes([2, 0, XLSB_ERRORS[error], 0, 0, 0, 0xFF, 0xFF])
    return bytes(data)


def _xlsb_styles(codes: list[str]) -> bytes:
    """An .xlsb's xl/styles.bin: a number format for each of ``codes`` (ids from 164, as Excel numbers its own) and a
    cell style for each (from 1; style 0 is General)."""
    import struct

    part = bytearray(_record(0x116))  # BrtBeginStyleSheet
    part += _record(0x267, struct.pack("<I", len(codes)))  # BrtBeginFmts
    for n, code in enumerate(codes):
        part += _record(0x2C, struct.pack("<H", 164 + n) + _wide(code))  # BrtFmt
    part += _record(0x268)  # BrtEndFmts
    part += _record(0x272, struct.pack("<I", 1))  # BrtBeginCellStyleXFs, its Normal style, BrtEndCellStyleXFs
    part += _record(0x2F, struct.pack("<HHHHHBBHH", 0xFFFF, 0, 0, 0, 0, 0, 0, 0, 0)) + _record(0x273)
    part += _record(0x269, struct.pack("<I", len(codes) + 1))  # BrtBeginCellXFs
    for number in [0, *range(164, 164 + len(codes))]:
        part += _record(0x2F, struct.pack("<HHHHHBBHH", 0, number, 0, 0, 0, 0, 0, 0, 0))  # BrtXF
    part += _record(0x26A) + _record(0x117)  # BrtEndCellXFs, BrtEndStyleSheet
    return bytes(part)

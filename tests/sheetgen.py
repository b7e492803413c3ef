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

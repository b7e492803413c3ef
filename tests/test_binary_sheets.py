"""The binary workbooks (helper sheets36): a formula's error (#DIV/0!, #REF!, #N/A) in an .xls or .xlsb read as an
empty cell, where Excel shows the error (an .xlsx's were shown since walk 34, an .ods's since test_sheet_formats);
and an .xlsb had no extent check before calamine read it: a few hundred bytes placing a cell at A1 and one at
XFD1048576 made calamine ask for a grid of 17 billion cells, which aborts the process. Every file is made here: the
.xls by xlwt (a formula's cached error written in as Excel saves it), the .xlsb record by record (sheetgen.xlsb_bytes).
"""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheetgen import XLSB_ERRORS, xls_bytes, xlsb_bytes

from jupyter_docchat import DocIndex
from jupyter_docchat.indexing.readers import UnreadableFile, read_sections
from jupyter_docchat.indexing.readers.binary_sheets import biff_errors, xlsb_sheets

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _checks(book) -> None:
    import xlwt

    sheet = book.add_sheet("Checks")
    for column, name in enumerate(["Test", "Result", "Lookup"]):
        sheet.write(0, column, name)
    sheet.write(1, 0, "ratio")
    sheet.write(1, 1, xlwt.Formula("1/0"))  # saved with #DIV/0! as its result (xls_bytes)
    sheet.write(2, 0, "lookup")
    sheet.row(2).set_cell_error(2, 0x2A)  # a constant error: #N/A
    sheet.write(3, 0, "link")
    sheet.write(3, 1, xlwt.Formula("1+1"))  # saved with #REF! as its result
    sheet.write(4, 0, "fine")
    sheet.write(4, 1, 42)
    other = book.add_sheet("Other")
    other.write(0, 0, "Key")
    other.write(0, 1, "Value")
    other.write(1, 0, "v")
    other.row(1).set_cell_error(1, 0x0F)  # #VALUE!


def test_an_xls_formulas_errors_read_as_excel_shows_them() -> None:
    data = xls_bytes(_checks, {(1, 1): "#DIV/0!", (3, 1): "#REF!"})
    checks, other = read_sections(Path("qa.xls"), data)
    assert checks.text.splitlines()[2:] == ["| ratio | #DIV/0! | |", "| lookup | | #N/A |", "| link | #REF! | |",
                                            "| fine | 42 | |"]
    assert checks.line_map == (1, 1, 2, 3, 4, 5)
    assert other.text.splitlines()[2:] == ["| v | #VALUE! |"]


def test_an_xlsb_formulas_errors_read_as_excel_shows_them() -> None:
    data = xlsb_bytes({"Checks": [(0, 0, "Test"), (0, 1, "Result"), (1, 0, "ratio"), (1, 1, ("=", "#DIV/0!")),
                                  (2, 0, "lookup"), (2, 1, "#N/A"), (3, 0, "link"), (3, 1, ("=", "#REF!")),
                                  (4, 0, "fine"), (4, 1, 42.0)]})
    [section] = read_sections(Path("qa.xlsb"), data)
    assert section.text.splitlines()[2:] == ["| ratio | #DIV/0! |", "| lookup | #N/A |", "| link | #REF! |",
                                             "| fine | 42 |"]


def test_an_xlsb_sheet_spanning_too_many_cells_is_named_the_others_read() -> None:
    data = xlsb_bytes({"Bomb": [(0, 0, "a"), (1_048_575, 16_383, "z")],
                       "Prices": [(0, 0, "Item"), (0, 1, "Price"), (1, 0, "tea"), (1, 1, 2.5)]})
    assert len(data) < 2000
    bomb, prices = read_sections(Path("b.xlsb"), data)
    assert bomb.text == "Bomb: 1048576 rows by 16384 columns, too large to read, not read"
    assert prices.text.splitlines()[2] == "| tea | 2.5 |"


def test_an_xlsb_sheet_within_the_limit_is_read_whole() -> None:
    cells = [(0, 0, "Row"), (0, 1, "Value")] + [(r, c, float(r)) for r in range(1, 2001) for c in (0, 1)]
    named, unnamed = xlsb_sheets(zipfile.ZipFile(io.BytesIO(xlsb_bytes({"Data": cells}))))
    [sheet] = named.values()
    assert not unnamed
    assert (sheet.rows, sheet.columns) == (2001, 2)
    sections = read_sections(Path("d.xlsb"), xlsb_bytes({"Data": cells}))
    assert sections[-1].text.splitlines()[-1] == "| 2000 | 2000 |"


def test_a_question_about_an_error_in_a_legacy_workbook_is_answered_with_it(tmp_path: Path) -> None:
    folder = tmp_path / "qa"
    folder.mkdir()
    (folder / "checks.xls").write_bytes(xls_bytes(_checks, {(1, 1): "#DIV/0!", (3, 1): "#REF!"}))
    with DocIndex(tmp_path / "store") as index:
        index.update(folder)
        answer = index.ask("What is the Result of the ratio test?")
    assert "#DIV/0!" in answer.text, answer.text


def _records(items: list[tuple[int, bytes]]) -> bytes:
    out = bytearray()
    for kind, payload in items:
        out += struct.pack("<HH", kind, len(payload)) + payload
    return bytes(out)


_BIFF_RECORD = st.tuples(st.sampled_from([0x0809, 0x0085, 0x0006, 0x0205, 0x000A, 0x1234]),
                         st.binary(max_size=30))


@PROPERTY
@given(records=st.lists(_BIFF_RECORD, max_size=12), tail=st.binary(max_size=5))
def test_any_biff_stream_gives_error_cells_or_none_never_an_exception(records, tail: bytes) -> None:
    found = biff_errors(_records(records) + tail)
    assert all(isinstance(text, str) and row >= 1 for errors in found.values() for (row, _), text in errors.items())


@PROPERTY
@given(part=st.binary(max_size=200), book=st.binary(max_size=100))
def test_any_xlsb_parts_give_extents_or_nothing_never_an_exception(part: bytes, book: bytes) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("xl/workbook.bin", book)
        package.writestr("xl/_rels/workbook.bin.rels", '<Relationships><Relationship Id="rId1" '
                         'Target="worksheets/sheet1.bin"/></Relationships>')
        package.writestr("xl/worksheets/sheet1.bin", part)
    named, unnamed = xlsb_sheets(zipfile.ZipFile(io.BytesIO(out.getvalue())))
    for sheet in [*named.values(), *unnamed]:
        assert sheet.rows >= 0 and sheet.columns >= 0


@PROPERTY
@given(cells=st.lists(st.tuples(st.integers(0, 60), st.integers(0, 8),
                                st.one_of(st.sampled_from(sorted(XLSB_ERRORS)), st.floats(-1e6, 1e6),
                                          st.text("abc xyz", min_size=1, max_size=8))),
                      min_size=1, max_size=30, unique_by=lambda cell: cell[:2]))
def test_every_xlsb_error_cell_is_shown_at_its_row(cells) -> None:
    cells = sorted(cells, key=lambda cell: cell[:2])
    try:
        sections = read_sections(Path("r.xlsb"), xlsb_bytes({"S": cells}))
    except UnreadableFile:
        pytest.fail("an .xlsb of a few cells is readable")
    text = "\n".join(section.text for section in sections)
    for row, _, value in cells:
        if isinstance(value, str) and value in XLSB_ERRORS:
            assert value in text
            assert any(row + 1 in section.line_map for section in sections)


@pytest.mark.parametrize("rels", ["<Relationships/>", '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;'
                                  '&a;&a;&a;&a;&a;">]><Relationships>&b;</Relationships>', "not xml"])
def test_an_xlsb_bomb_its_workbook_does_not_name_is_refused_whole(rels: str) -> None:
    source = zipfile.ZipFile(io.BytesIO(xlsb_bytes({"Bomb": [(0, 0, "a"), (1_048_575, 16_383, "z")]})))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for info in source.infolist():
            package.writestr(info.filename, rels if info.filename.endswith(".rels") else source.read(info.filename))
    with pytest.raises(UnreadableFile, match=r"a sheet of 1048576 rows by 16384 columns, too large to read"):
        read_sections(Path("b.xlsb"), out.getvalue())


# Number formats (issue 23, leftovers 40): calamine gives an .xls cell's value alone ("0.125"); Excel shows it under
# its format ("12.5%"), as an .xlsx's has been shown since sheets35 (sheet_formats, number_formats).
def _budget(book) -> None:
    import datetime

    import xlwt

    sheet = book.add_sheet("Budget")
    for column, name in enumerate(["Item", "Share", "Cost", "Units", "Due", "Time"]):
        sheet.write(0, column, name)
    share, cost = xlwt.easyxf(num_format_str="0.0%"), xlwt.easyxf(num_format_str='"$"#,##0.00')
    units, due = xlwt.easyxf(num_format_str="#,##0"), xlwt.easyxf(num_format_str="yyyy-mm-dd")
    clock = xlwt.easyxf(num_format_str="h:mm")
    for row, (item, values) in enumerate([("rent", (0.125, 1234.5, 1234567, datetime.date(2024, 3, 8), 0.5)),
                                          ("food", (0.3, 12, 50, 0, 1.25))], 1):
        sheet.write(row, 0, item)
        for column, (value, style) in enumerate(zip(values, (share, cost, units, due, clock)), 1):
            sheet.write(row, column, value, style)
    sheet.write(3, 0, "total")
    sheet.write(3, 2, xlwt.Formula("C2+C3"), cost)  # its result written in below, as Excel saves it


def _with_result(data: bytes, row: int, column: int, value: float) -> bytes:
    """The .xls with the FORMULA at (row, column) saved with ``value`` as its cached result (xlwt saves none)."""
    import re

    found = re.search(re.escape(b"\x06\x00") + b".." + re.escape(struct.pack("<HH", row, column)), data, re.S)
    assert found
    at = found.start() + 10
    return data[:at] + struct.pack("<d", value) + data[at + 8:]


def test_an_xls_cells_number_format_is_shown_as_excel_shows_it() -> None:
    (section,) = read_sections(Path("budget.xls"), _with_result(xls_bytes(_budget), 3, 2, 1246.5))
    assert section.text.splitlines()[2:] == ["| rent | 12.5% | $1,234.50 | 1,234,567 | 2024-03-08 | 12:00 |",
                                             "| food | 30.0% | $12.00 | 50 | 1900-01-00 | 6:00 |",
                                             "| total | | $1,246.50 | | | |"]


_CODES = ["0.0%", "0%", '"$"#,##0.00', "#,##0", "0.00", "0.00E+00", "# ?/?", "[h]:mm", '#,##0.00 "€"']


@PROPERTY
@given(code=st.sampled_from(_CODES), value=st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).map(
    lambda value: round(value, 4)))
def test_any_formatted_xls_number_reads_as_the_same_xlsx_number(code: str, value: float) -> None:
    """The .xls reads its format through number_formats as an .xlsx does: the same text for the same code."""
    from jupyter_docchat.indexing.readers import number_formats

    def build(book) -> None:
        import xlwt

        sheet = book.add_sheet("S")
        sheet.write(0, 0, "Name")
        sheet.write(0, 1, "Value")
        sheet.write(1, 0, "x")
        sheet.write(1, 1, value, xlwt.easyxf(num_format_str=code))

    (section,) = read_sections(Path("n.xls"), xls_bytes(build))
    expected = number_formats.clock(code, value) if number_formats.is_time(code) else number_formats.shown(code, value)
    if expected is None or (number_formats.is_time(code) and value < 0):
        return  # what calamine gives stands (a negative duration is no time it reads)
    assert section.text.splitlines()[2] == f"| x | {expected} |".replace("|  |", "| |")


@PROPERTY
@given(records=st.lists(st.tuples(st.sampled_from([0x0809, 0x0085, 0x041E, 0x00E0, 0x0022, 0x0203, 0x027E, 0x00BD,
                                                   0x0006]), st.binary(max_size=30)), max_size=14),
       tail=st.binary(max_size=5))
def test_any_biff_stream_gives_formats_or_none_never_an_exception(records, tail: bytes) -> None:
    from jupyter_docchat.indexing.readers.binary_sheets import biff_formats

    for formats in biff_formats(_records(records) + tail).values():
        assert all(row >= 1 for row, _ in formats.fixed)


def test_an_xlsb_cells_number_format_is_shown_as_excel_shows_it() -> None:
    data = xlsb_bytes({"Budget": [(0, 0, "Item"), (0, 1, "Share"), (0, 2, "Cost"), (0, 3, "Due"), (0, 4, "Time"),
                                  (1, 0, "rent"), (1, 1, 0.125, "0.0%"), (1, 2, 1234.5, '"$"#,##0.00'),
                                  (1, 3, 45359.0, "yyyy-mm-dd"), (1, 4, 0.5, "h:mm"),
                                  (2, 0, "food"), (2, 1, 0.3, "0.0%"), (2, 2, 1234567.0, "#,##0"),
                                  (2, 3, 0.0, "yyyy-mm-dd"), (2, 4, 1.25, "[h]:mm")]})
    (section,) = read_sections(Path("budget.xlsb"), data)
    assert section.text.splitlines()[2:] == ["| rent | 12.5% | $1,234.50 | 2024-03-08 | 12:00 |",
                                             "| food | 30.0% | 1,234,567 | 1900-01-00 | 30:00 |"]


def test_an_xlsb_in_the_1904_date_system_shows_its_day_0() -> None:
    data = xlsb_bytes({"S": [(0, 0, "Name"), (0, 1, "Day"), (1, 0, "start"), (1, 1, 0.0, "yyyy-mm-dd")]}, date1904=True)
    (section,) = read_sections(Path("d.xlsb"), data)
    assert section.text.splitlines()[2] == "| start | 1904-01-01 |"


@PROPERTY
@given(code=st.sampled_from(_CODES), value=st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).map(
    lambda value: round(value, 4)))
def test_any_formatted_xlsb_number_reads_as_the_same_xlsx_number(code: str, value: float) -> None:
    from jupyter_docchat.indexing.readers import number_formats

    data = xlsb_bytes({"S": [(0, 0, "Name"), (0, 1, "Value"), (1, 0, "x"), (1, 1, value, code)]})
    (section,) = read_sections(Path("n.xlsb"), data)
    expected = number_formats.clock(code, value) if number_formats.is_time(code) else number_formats.shown(code, value)
    if expected is None or (number_formats.is_time(code) and value < 0):
        return  # what calamine gives stands
    assert section.text.splitlines()[2] == f"| x | {expected} |"


@PROPERTY
@given(styles=st.lists(st.tuples(st.sampled_from([0x2C, 0x2F, 0x269, 0x26A, 0x99, 0x05]), st.binary(max_size=24)),
                       max_size=10), part=st.binary(max_size=120))
def test_any_xlsb_styles_give_formats_or_none_never_an_exception(styles, part: bytes) -> None:
    import sheetgen

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("xl/workbook.bin", b"".join(sheetgen._record(kind, payload) for kind, payload in styles))
        package.writestr("xl/styles.bin", b"".join(sheetgen._record(kind, payload) for kind, payload in styles))
        package.writestr("xl/worksheets/sheet1.bin", sheetgen._record(0, bytes(16)) + part)
    named, unnamed = xlsb_sheets(zipfile.ZipFile(io.BytesIO(out.getvalue())))
    for sheet in [*named.values(), *unnamed]:
        assert sheet.formats is None or all(row >= 1 for row, _ in sheet.formats.fixed)

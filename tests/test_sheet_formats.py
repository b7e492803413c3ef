"""Numbers as the sheet shows them (helper sheets36): a cell formatted as a percent, a currency, fixed decimals,
thousands, scientific or a fraction was read as its raw value ("What was the growth in Q3?" quoted 0.125 where the
sheet shows 12.5%). An .xlsx cell's format is read from the workbook's styles beside calamine; an .ods cell's from the
text LibreOffice wrote of it. Dates in the 1904 system, serial 0, Excel's 29 February 1900 and negative serials are
right or named, never a wrong date. Every workbook is made here (XlsxWriter; an .ods as LibreOffice writes its cells).
"""

from __future__ import annotations

import io
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sheetgen import ods_bytes, xlsx_bytes

from jupyter_docchat import DocIndex
from jupyter_docchat.indexing.readers import read_sections
from jupyter_docchat.indexing.readers.number_formats import shown

PROPERTY = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _growth(book) -> None:
    fmt = {code: book.add_format({"num_format": code}) for code in (
        "0.0%", '"$"#,##0.00', '#,##0.00\\ "€"', "0.00", "0.00E+00", "# ?/?", "#,##0", "000-0000")}
    sheet = book.add_worksheet("Quarters")
    sheet.write_row(0, 0, ["Quarter", "Growth", "Revenue", "Revenue EU", "Ratio", "Particles", "Share", "Units",
                           "Phone"])
    for r, (quarter, growth, revenue) in enumerate([("Q1", 0.05, 1234.5), ("Q2", -0.0345, 99.0),
                                                    ("Q3", 0.125, 1000000.0)], 1):
        sheet.write(r, 0, quarter)
        sheet.write_number(r, 1, growth, fmt["0.0%"])
        sheet.write_number(r, 2, revenue, fmt['"$"#,##0.00'])
        sheet.write_number(r, 3, revenue, fmt['#,##0.00\\ "€"'])
        sheet.write_number(r, 4, 3.1, fmt["0.00"])
        sheet.write_number(r, 5, 12345.678 * r, fmt["0.00E+00"])
        sheet.write_number(r, 6, 1.25, fmt["# ?/?"])
        sheet.write_number(r, 7, 1234567 * r, fmt["#,##0"])
        sheet.write_number(r, 8, 5551234, fmt["000-0000"])  # digits split by a literal: not rendered, the value kept
    sheet.write(4, 0, "Note")
    sheet.write_string(4, 1, "n/a", fmt["0.0%"])  # text under a percent format stays text
    sheet.write_number(5, 0, 7, book.add_format({"num_format": "[$€-407] #,##0.00;[Red]-[$€-407] #,##0.00"}))
    sheet.write_number(5, 1, -2500, book.add_format({"num_format": '"$"#,##0.00_);\\("$"#,##0.00\\)'}))
    sheet.write_number(5, 2, 0.3333333333, book.add_format({"num_format": 10}))  # a built-in format: 0.00%


def test_numbers_read_as_the_sheet_shows_them_percent_currency_decimals_scientific_fractions() -> None:
    [section] = read_sections(Path("growth.xlsx"), xlsx_bytes(_growth))
    lines = section.text.splitlines()
    assert lines[0] == ("| Quarter | Growth | Revenue | Revenue EU | Ratio | Particles | Share | Units | Phone |")
    assert lines[2] == "| Q1 | 5.0% | $1,234.50 | 1,234.50 € | 3.10 | 1.23E+04 | 1 1/4 | 1,234,567 | 5551234 |"
    assert lines[3] == "| Q2 | -3.5% | $99.00 | 99.00 € | 3.10 | 2.47E+04 | 1 1/4 | 2,469,134 | 5551234 |"
    assert lines[4] == ("| Q3 | 12.5% | $1,000,000.00 | 1,000,000.00 € | 3.10 | 3.70E+04 | 1 1/4 | 3,703,701 "
                        "| 5551234 |")
    assert lines[5].startswith("| Note | n/a |")
    assert lines[6].startswith("| € 7.00 | ($2,500.00) | 33.33% |")
    assert section.line_map == (1, 1, 2, 3, 4, 5, 6)  # each row still cited at its own row


def test_a_question_about_a_percent_cell_is_answered_with_the_percent(tmp_path: Path) -> None:
    folder = tmp_path / "finance"
    folder.mkdir()
    (folder / "growth.xlsx").write_bytes(xlsx_bytes(_growth))
    with DocIndex(tmp_path / "store") as index:
        index.update(folder)
        answer = index.ask("What was the growth in Q3?")
    assert "12.5%" in answer.text and "0.125" not in answer.text, answer.text


def _dates(book) -> None:
    day, stamp = book.add_format({"num_format": "yyyy-mm-dd"}), book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    clock = book.add_format({"num_format": "hh:mm"})
    sheet = book.add_worksheet("Log")
    sheet.write_row(0, 0, ["Event", "When"])
    for r, (event, serial, fmt) in enumerate([("start", 0, day), ("leap", 60, day), ("next", 61, day),
                                              ("before", -3, day), ("noon", 0.5, stamp), ("lunch", 0.5, clock),
                                              ("first", 1, day), ("eve", 59, day)], 1):
        sheet.write(r, 0, event)
        sheet.write_number(r, 1, serial, fmt)


def test_dates_near_the_1900_epoch_are_shown_as_excel_shows_them_or_named_never_a_wrong_date() -> None:
    [section] = read_sections(Path("log.xlsx"), xlsx_bytes(_dates))
    cells = dict(re.findall(r"^\| (\w+) \| (.*?) \|$", section.text, re.M))
    assert cells == {"Event": "When", "start": "1900-01-00", "leap": "1900-02-29", "next": "1900-03-01",
                     "before": "-3 (a date before 1900: Excel shows #####)", "noon": "1900-01-00 12:00",
                     "lunch": "12:00", "first": "1900-01-01", "eve": "1900-02-28"}


def test_dates_of_a_1904_workbook_are_its_own() -> None:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "date_1904": True})
    import datetime

    sheet = book.add_worksheet("Mac")
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, ["Event", "When"])
    sheet.write(1, 0, "launch")
    sheet.write_datetime(1, 1, datetime.datetime(2020, 3, 1), day)
    sheet.write(2, 0, "epoch")
    sheet.write_number(2, 1, 0, day)
    sheet.write(3, 0, "leap")
    sheet.write_number(3, 1, 60, day)  # 1904-03-01: 1904's February had 29 days
    sheet.write(4, 0, "before")
    sheet.write_number(4, 1, -1, day)
    book.close()
    [section] = read_sections(Path("mac.xlsx"), out.getvalue())
    cells = dict(re.findall(r"^\| (\w+) \| (.*?) \|$", section.text, re.M))
    assert cells == {"Event": "When", "launch": "2020-03-01", "epoch": "1904-01-01", "leap": "1904-03-01",
                     "before": "-1 (a date before 1904: Excel shows #####)"}


_ODS_ROW = ('<table:table-row><table:table-cell office:value-type="string"><text:p>Q3</text:p></table:table-cell>'
            '<table:table-cell table:style-name="ce1" office:value-type="percentage" office:value="0.125" '
            'calcext:value-type="percentage"><text:p>12.50%</text:p></table:table-cell>'
            '<table:table-cell table:style-name="ce2" office:value-type="currency" office:currency="EUR" '
            'office:value="1234.5" calcext:value-type="currency"><text:p>1<text:s/>234,50<text:s/>€</text:p></table:table-cell>'
            '<table:table-cell table:style-name="ce3" office:value-type="float" office:value="3.1" '
            'calcext:value-type="float"><text:p>3.10</text:p></table:table-cell>'
            '<table:table-cell table:formula="of:=1/0" office:value-type="float" office:value="0" '
            'calcext:value-type="error"><text:p>#DIV/0!</text:p></table:table-cell>'
            '<table:table-cell table:style-name="ce3" office:value-type="float" office:value="7" '
            'calcext:value-type="float"><text:p>7</text:p></table:table-cell></table:table-row>')


def test_an_ods_cell_reads_as_libreoffice_shows_it_a_formula_error_as_its_error() -> None:
    data = ods_bytes({"Quarters": [["Quarter", "Growth", "Revenue", "Ratio", "Check", "Units"],
                                   ["Q2", 0.25, 99.0, 2.0, 1.0, 3.0]]}, _ODS_ROW)
    [section] = read_sections(Path("growth.ods"), data)
    lines = section.text.splitlines()
    assert lines[2] == "| Q2 | 0.25 | 99 | 2 | 1 | 3 |"  # no style, no type to render: the value as it was
    assert lines[3] == "| Q3 | 12.50% | 1 234,50 € | 3.10 | #DIV/0! | 7 |"  # calamine gave 0.125, 1234.5, 3.1, 0


def test_an_ods_cell_repeated_across_columns_and_rows_keeps_its_text_at_each() -> None:
    row = ('<table:table-row table:number-rows-repeated="2"><table:table-cell office:value-type="string">'
           '<text:p>x</text:p></table:table-cell><table:table-cell table:number-columns-repeated="2" '
           'office:value-type="percentage" office:value="0.5"><text:p>50%</text:p></table:table-cell></table:table-row>')
    [section] = read_sections(Path("r.ods"), ods_bytes({"S": [["Name", "A", "B"]]}, row))
    assert section.text.splitlines()[2:] == ["| x | 50% | 50% |", "| x | 50% | 50% |"]


def _rounded(value: float, places: int) -> str:
    return format(Decimal(format(value, ".15g")).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP), "f")


@PROPERTY
@given(value=st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), places=st.integers(0, 6))
@example(value=2.675, places=2)
@example(value=0.125, places=2)
def test_fixed_decimals_round_half_away_from_zero_from_fifteen_digits(value: float, places: int) -> None:
    code = "0." + "0" * places if places else "0"
    expected = _rounded(abs(value), places)
    negative = value < 0 and any(ch in "123456789" for ch in expected)
    assert shown(code, value) == ("-" if negative else "") + expected
    grouped = shown("#,##0" + code[1:], value)
    assert grouped is not None and grouped.replace(",", "") == ("-" if negative else "") + expected


@PROPERTY
@given(value=st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), places=st.integers(0, 4))
def test_a_percent_is_the_value_times_a_hundred(value: float, places: int) -> None:
    text = shown("0" + ("." + "0" * places if places else "") + "%", value)
    assert text is not None and text.endswith("%")
    assert abs(float(text[:-1]) - value * 100) <= 0.5 * 10 ** -places + 1e-9 * abs(value * 100)


_FORMAT_PIECE = st.sampled_from(["0", "#", "?", ".", ",", "%", "E+", "E-", "/", " ", '"$"', '"€"', "\\ ", "_)", "* ",
                                 "[Red]", "[$€-407]", "[>100]", ";", "@", "yyyy", "mm", "General", "(", ")", "-",
                                 "8", "[h]"])


@PROPERTY
@given(code=st.lists(_FORMAT_PIECE, max_size=12).map("".join),
       value=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**20, 10**20).map(float)))
def test_any_format_code_gives_text_or_none_never_an_error(code: str, value: float) -> None:
    text = shown(code, value)
    assert text is None or isinstance(text, str)


@pytest.mark.parametrize("code", ["[Red]0.00", "0.00;[Red]0.00", "0.00_);[Red]\\(0.00\\)"])
def test_a_colour_is_no_text_a_negative_section_shows_its_own_sign(code: str) -> None:
    assert shown(code, 2) == "2.00"
    assert shown(code, -2) == {"[Red]0.00": "-2.00", "0.00;[Red]0.00": "2.00", "0.00_);[Red]\\(0.00\\)": "(2.00)"}[code]


def _wide(book) -> None:
    sheet = book.add_worksheet("Wide")
    sheet.write_row(0, 0, ["Station", "Jan", None, "Mar", None, "May"])  # header cells left blank
    sheet.write_row(1, 0, ["Hilltop", 3.1, 4.2, 5.3, 6.4, 7.5])
    years = book.add_worksheet("Years")
    years.write_row(0, 0, ["Region", 2019, 2020, 2021])  # a header of numbers: no names but the years
    years.write_row(1, 0, ["North", 10, 11, 12])


def test_a_column_the_header_leaves_unnamed_is_named_by_its_letter() -> None:
    wide, years = read_sections(Path("wide.xlsx"), xlsx_bytes(_wide))
    assert wide.text.splitlines() == ["| Station | Jan | C | Mar | E | May |", "|---|---|---|---|---|---|",
                                      "| Hilltop | 3.1 | 4.2 | 5.3 | 6.4 | 7.5 |"]
    # A row of numbers is no header: the sheet is headed by its letters, the years a row under them.
    assert years.text.splitlines()[0] == "| A | B | C | D |"
    assert years.text.splitlines()[2:] == ["| Region | 2019 | 2020 | 2021 |", "| North | 10 | 11 | 12 |"]


def _excel_1900(serial: int) -> str:
    """What Excel shows of a whole serial under yyyy-mm-dd in the 1900 system (its day 0 and 29 February 1900)."""
    import datetime

    if serial < 0:
        return f"{serial} (a date before 1900: Excel shows #####)"
    if serial in (0, 60):
        return {0: "1900-01-00", 60: "1900-02-29"}[serial]
    start = datetime.date(1899, 12, 31) if serial < 60 else datetime.date(1899, 12, 30)
    return (start + datetime.timedelta(days=serial)).isoformat()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(serials=st.lists(st.integers(-400, 800), min_size=1, max_size=12))
@example(serials=[0, 59, 60, 61, -1])
def test_a_date_serial_is_shown_as_excel_shows_it_never_a_wrong_date(serials: list[int]) -> None:
    def build(book) -> None:
        day = book.add_format({"num_format": "yyyy-mm-dd"})
        sheet = book.add_worksheet("Days")
        sheet.write_row(0, 0, ["Row", "Day"])
        for n, serial in enumerate(serials, 1):
            sheet.write_string(n, 0, f"r{n}")
            sheet.write_number(n, 1, serial, day)

    [section] = read_sections(Path("days.xlsx"), xlsx_bytes(build))
    shown_days = re.findall(r"^\| r\d+ \| (.*?) \|$", section.text, re.M)
    assert shown_days == [_excel_1900(serial) for serial in serials]


@PROPERTY
@given(cells=st.lists(st.tuples(st.integers(1, 300), st.integers(0, 5), st.sampled_from(["0.0%", "0.00", "#,##0"])),
                      max_size=60, unique_by=lambda cell: cell[:2]))
def test_a_cells_format_is_found_at_its_row_and_column_whatever_the_runs(cells) -> None:
    from jupyter_docchat.indexing.readers.sheet_formats import BookStyles, SheetFormats

    formats = SheetFormats(BookStyles({}, {}))
    for row, column, code in sorted(cells):
        formats._add(row, column, code)
    placed = {(row, column): code for row, column, code in cells}
    for row in range(0, 302):
        for column in range(0, 6):
            assert formats.code(row, column) == placed.get((row, column))


@PROPERTY
@given(value=st.floats(allow_nan=False, allow_infinity=False), code=st.sampled_from(["0.00E+00", "##0.0E+0", "0E+0"]))
@example(value=9.996, code="0.00E+00")
@example(value=999999.0, code="##0.0E+0")
@example(value=5e-324, code="0.00E+00")
def test_scientific_reads_back_as_the_value_to_its_digits(value: float, code: str) -> None:
    text = shown(code, value)
    assert text is not None
    mantissa, exponent = text.split("E")
    assert 0 <= abs(float(mantissa)) < (1000 if code.startswith("##0") else 10)
    error = abs(Decimal(text) - Decimal(value))  # in decimal: 1.80E+308 is past a float
    assert error <= Decimal("0.051").scaleb(int(exponent)) * (10 if code == "0E+0" else 1)


@pytest.mark.parametrize("block", [37, 64, 101])
def test_a_cell_cut_by_a_blocks_end_keeps_its_format_and_date(monkeypatch, block: int) -> None:
    from jupyter_docchat.indexing.readers import sheets

    whole = [read_sections(Path("log.xlsx"), xlsx_bytes(_dates))[0].text,
             read_sections(Path("growth.xlsx"), xlsx_bytes(_growth))[0].text]
    monkeypatch.setattr(sheets, "_BLOCK", block)  # a sheet's XML read in blocks this small: most cells cut
    assert [read_sections(Path("log.xlsx"), xlsx_bytes(_dates))[0].text,
            read_sections(Path("growth.xlsx"), xlsx_bytes(_growth))[0].text] == whole
    assert "1900-02-29" in whole[0] and "12.5%" in whole[1]

"""A folder of spreadsheets as data scientists and researchers keep them (walk 33: statsmodels' datasets saved as
workbooks, bench/sheets_walk.py): .xlsx, .xlsm, .xlsb, .xls and .ods were "unsupported type", and of 14 questions about
them one was answered (from a CSV exported beside its workbook). Read by python-calamine (the "sheets" extra), a sheet is
a section under "book.xlsx > Sheet", its rows a table under its header, cited "Sheet rows 4-40". The workbooks here are
made in the test by XlsxWriter (formulas with their values, merged cells, hidden and chart sheets) and as LibreOffice
writes an .ods.
"""

from __future__ import annotations

import datetime
import io
import re
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ask
from sheetgen import as_excel_writes, marked, ods_bytes, xlsx_bytes
from test_reading_properties import ANY_CHAR, chunker, storable

from jupyter_docchat import DocIndex
from jupyter_docchat.indexing.chunking import Chunker
from jupyter_docchat.indexing.readers import UnreadableFile, read_sections
from jupyter_docchat.indexing.readers.clean import clean_text
from jupyter_docchat.indexing.readers.delimited import SECTION_CHARS
from jupyter_docchat.types import Hit


def survey(book) -> None:
    """A field survey's workbook: a title and a source note over a header under a merged group header, dates,
    a formula, a hidden sheet of codes, an empty sheet and a chart sheet."""
    bold, day = book.add_format({"bold": True}), book.add_format({"num_format": "dd/mm/yyyy"})
    sheet = book.add_worksheet("Plots")
    sheet.merge_range("A1:E1", "Soil survey, Lower Vale, spring 2024", bold)
    sheet.write("A2", "Source: field notebook 3")
    sheet.merge_range("C4:D4", "Moisture (%)", bold)
    sheet.write_row("A5", ["Plot", "Sampled", "min", "max", "Crop"], bold)
    rows = [("P1", datetime.datetime(2024, 4, 2), 0.1 + 0.2, 31.5, "barley"),
            ("P2", datetime.datetime(2024, 4, 3, 14, 30), 12.25, 40, "clover"),
            ("P3", datetime.datetime(2024, 4, 5), 9, 28.125, "fallow")]
    for n, (plot, when, low, high, crop) in enumerate(rows):
        sheet.write(5 + n, 0, plot)
        sheet.write_datetime(5 + n, 1, when, day)
        sheet.write_row(5 + n, 2, [low, high, crop])
    sheet.write_formula("D9", "=MAX(D6:D8)", None, 40)  # row 8 left empty: the total stands apart
    sheet.write("A9", "Highest")
    codes = book.add_worksheet("Codes")
    codes.write_row("A1", ["Crop", "Code"])
    codes.write_row("A2", ["barley", "HV-2"])
    codes.hide()
    book.add_worksheet("Empty")
    chart = book.add_chart({"type": "column"})
    chart.add_series({"values": "=Plots!$D$6:$D$8"})
    book.add_chartsheet("Chart").set_chart(chart)


def lines_at(sections) -> dict[tuple[str, int], list[str]]:
    """Each (sheet, row) -> the lines read at it."""
    out: dict[tuple[str, int], list[str]] = {}
    for section in sections:
        sheet = section.heading.split(" > ")[-1]
        for line, row in zip(section.text.split("\n"), section.line_map, strict=True):
            out.setdefault((sheet, row), []).append(line)
    return out


def test_a_sheet_is_a_table_under_its_header_its_title_and_note_above_it() -> None:
    sections = read_sections(Path("survey.xlsx"), xlsx_bytes(survey))
    assert [s.heading for s in sections] == ["survey.xlsx > Plots", "survey.xlsx > Codes"]
    plots = sections[0]
    assert plots.text.split("\n") == [
        "Soil survey, Lower Vale, spring 2024",  # merged across five cells: said once
        "Source: field notebook 3",
        "| Plot | Sampled | Moisture (%) min | Moisture (%) max | Crop |",
        "|---|---|---|---|---|",
        "| P1 | 2024-04-02 | 0.3 | 31.5 | barley |",
        "| P2 | 2024-04-03 14:30 | 12.25 | 40 | clover |",
        "| P3 | 2024-04-05 | 9 | 28.125 | fallow |",
        "| Highest | | | 40 | |",  # the formula's value as Excel saved it
    ]
    assert plots.line_map == (1, 2, 5, 5, 6, 7, 8, 9)


def test_a_hidden_sheet_is_read_and_said_to_be_hidden_an_empty_or_chart_sheet_gives_nothing() -> None:
    codes = read_sections(Path("survey.xlsx"), xlsx_bytes(survey))[1]
    assert codes.text.split("\n")[0].startswith("(A hidden sheet")
    assert "| barley | HV-2 |" in codes.text.split("\n")


def test_a_chunk_is_cited_by_its_sheet_and_rows() -> None:
    sections = read_sections(Path("survey.xlsx"), xlsx_bytes(survey))
    chunks = Chunker(1000, 200).chunk("survey.xlsx", "hash", sections)
    assert [(c.heading, c.start_line, c.end_line) for c in chunks] == [
        ("survey.xlsx > Plots", 1, 9), ("survey.xlsx > Codes", 1, 2)]  # a table that fits: one chunk
    hits = [Hit.from_row(c.id, c.text, c.metadata()) for c in chunks]
    assert [h.location for h in hits] == ["Plots rows 1-9", "Codes rows 1-2"]
    assert Hit("x", "", "a.ods", heading="a.ods > Totals", start_line=4, end_line=4).location == "Totals row 4"


def test_a_long_sheet_is_cut_at_its_rows_each_piece_under_the_header_and_cited_by_its_rows() -> None:
    def build(book) -> None:
        sheet = book.add_worksheet("Log")
        sheet.write_row(0, 0, ["Station", "Reading", "Note"])
        for n in range(1, 8001):
            sheet.write_row(n, 0, [f"S{n}", n * 1.5, "steady flow at the weir, gauge clean"])

    sections = read_sections(Path("log.xlsx"), xlsx_bytes(build))
    assert len(sections) > 1 and all(len(s.text) < 2 * SECTION_CHARS for s in sections)
    at = lines_at(sections)
    for n in (1, 4000, 8000):
        assert f"| S{n} | {n * 1.5:g} | steady flow at the weir, gauge clean |" in at[("Log", n + 1)]
    for chunk in Chunker(400, 80).chunk("log.xlsx", "hash", sections):
        lines = chunk.text.split("\n")
        assert lines[0] == "| Station | Reading | Note |"  # each piece under the header
        first = int(re.match(r"\| S(\d+) ", lines[2])[1]) + 1
        last = int(re.match(r"\| S(\d+) ", lines[-1])[1]) + 1
        assert (chunk.start_line, chunk.end_line) in ((first, last), (1, last)), chunk


def test_a_sheet_of_numbers_alone_is_headed_by_its_column_letters_a_sheet_of_notes_is_its_lines() -> None:
    def build(book) -> None:
        book.add_worksheet("Raw").write_row("C3", [1.5, 2, 3])
        notes = book.add_worksheet("Readme")
        notes.write("A1", "Calibrated on 2 April.\nGauge 3 replaced.")
        notes.write("A3", "Units: mm")

    sections = read_sections(Path("raw.xlsx"), xlsx_bytes(build))
    assert sections[0].text.split("\n") == ["| C | D | E |", "|---|---|---|", "| 1.5 | 2 | 3 |"]
    assert sections[0].line_map == (3, 3, 3)
    assert sections[1].text.split("\n") == ["Calibrated on 2 April.", "Gauge 3 replaced.", "Units: mm"]
    assert sections[1].line_map == (1, 1, 3)


def test_an_opendocument_spreadsheet_reads_as_a_workbook() -> None:
    data = ods_bytes({"Rainfall": [["Monthly rainfall (mm)"], [], ["Month", "Vale", "Ridge"],
                                   ["April", 41.5, 0.1 + 0.2], ["May", 38.0, 12.0]]})
    (section,) = read_sections(Path("rain.ods"), data)
    assert section.heading == "rain.ods > Rainfall"
    assert section.text.split("\n") == ["Monthly rainfall (mm)", "| Month | Vale | Ridge |", "|---|---|---|",
                                        "| April | 41.5 | 0.3 |", "| May | 38 | 12 |"]
    assert section.line_map == (1, 3, 3, 4, 5)


def test_a_merged_cell_down_the_rows_names_each_row() -> None:
    def build(book) -> None:
        sheet = book.add_worksheet("Yield")
        sheet.write_row("A1", ["Field", "Year", "t/ha"])
        sheet.merge_range("A2:A3", "North")
        sheet.write_row("B2", [2023, 6.1])
        sheet.write_row("B3", [2024, 5.8])

    (section,) = read_sections(Path("yield.xlsx"), xlsx_bytes(build))
    assert section.text.split("\n")[2:] == ["| North | 2023 | 6.1 |", "| North | 2024 | 5.8 |"]


def _encrypted_workbook() -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(xlsx_bytes(survey))).encrypt("pw123", encrypted)
    return encrypted.getvalue()


def test_a_password_protected_broken_or_bombing_workbook_is_named_in_one_line() -> None:
    with pytest.raises(UnreadableFile, match=r"^password-protected \.xlsx \(encrypted\): save it without a password"):
        read_sections(Path("budget.xlsx"), _encrypted_workbook())
    for name in ("a.xlsx", "a.ods", "a.xls", "a.xlsb"):
        with pytest.raises(UnreadableFile, match=r"^unreadable \.(xlsx|ods|xls|xlsb) \(\w+\)$"):
            read_sections(Path(name), b"PK\x03\x04 not a zip at all")
    from test_probe34 import with_member

    bomb = with_member(xlsx_bytes(survey), "xl/worksheets/sheet1.xml", 257 * 1024 * 1024)
    with pytest.raises(UnreadableFile, match=r"^zip bomb: unpacks to over 256 MB$"):
        read_sections(Path("survey.xlsx"), bomb)


def test_a_sheet_whose_cells_span_too_many_rows_and_columns_is_named_the_others_read() -> None:
    """Two cells, A1 and XFD1048576: calamine holds a sheet as a grid of its extent, and 17 billion cells aborted the
    process (a kernel gone) for a file of 6 kB."""
    def build(book) -> None:
        book.add_worksheet("Notes").write_row("A1", ["Plot", "Crop"])
        sparse = book.add_worksheet("Sparse")
        sparse.write("A1", "corner")
        sparse.write("XFD1048576", "far corner")

    sections = read_sections(Path("sparse.xlsx"), xlsx_bytes(build))
    assert [(s.heading, s.text) for s in sections] == [
        ("sparse.xlsx > Notes", "| Plot | Crop |\n|---|---|"),
        ("sparse.xlsx > Sparse", "Sparse: 1048576 rows by 16384 columns, too large to read, not read")]


def test_an_opendocument_sheet_of_a_cell_repeated_over_too_many_rows_is_named_its_trailing_empty_rows_are_not() -> None:
    """An .ods writes a run of like rows or cells once, repeated: a cell of 2 kB repeated over 100,000 rows and 1,000
    columns was a grid calamine could not hold (the process aborted). LibreOffice ends every sheet so, with a million
    empty rows: those are nothing."""
    cell = '<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'
    bomb = (f'<table:table-row table:number-rows-repeated="100000">'
            f'<table:table-cell table:number-columns-repeated="999"/>{cell}</table:table-row>')
    with pytest.raises(UnreadableFile, match=r"^a sheet of 100001 rows by 1000 columns, too large to read \(S\)$"):
        read_sections(Path("bomb.ods"), ods_bytes({"S": [["Plot", "Crop"]]}, bomb))
    trailing = ('<table:table-row table:number-rows-repeated="1048575">'
                '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>')
    (section,) = read_sections(Path("rain.ods"), ods_bytes({"S": [["Plot", "Crop"], ["P1", "barley"]]}, trailing))
    assert section.text == "| Plot | Crop |\n|---|---|\n| P1 | barley |"


def test_a_workbook_past_the_text_limit_is_read_up_to_it_and_says_so(monkeypatch) -> None:
    from jupyter_docchat.indexing.readers import sheets

    def build(book) -> None:
        sheet = book.add_worksheet("Log")
        sheet.write_row(0, 0, ["Station", "Reading"])
        for n in range(1, 2001):
            sheet.write_row(n, 0, [f"S{n}", n])
        book.add_worksheet("Later").write_row(0, 0, ["never", "read"])

    monkeypatch.setattr(sheets, "TEXT_LIMIT", 5000)
    sections = read_sections(Path("log.xlsx"), xlsx_bytes(build))
    assert [s.heading for s in sections] == ["log.xlsx > Log"] * 2
    last = sections[0].line_map[-1]
    assert 200 < last < 2001 and f"| S{last - 1} | {last - 1} |" in sections[0].text
    assert sections[1].text == "(Read up to here: 5,000 characters of text, as much as docchat reads of a workbook.)"
    assert sections[1].line_map == (last,)


def test_without_the_extra_a_workbook_is_named_with_the_install_line(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "python_calamine", None)
    with pytest.raises(UnreadableFile, match=r"^needs the sheets extra: pip install 'jupyter-docchat\[sheets\]'$"):
        read_sections(Path("survey.xlsx"), xlsx_bytes(survey))


def test_a_csv_exported_beside_its_workbook_is_read_once_from_the_workbook(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "survey.xlsx").write_bytes(xlsx_bytes(survey))
    (folder / "survey.csv").write_text("Plot,Crop\nP1,barley\n")
    (folder / "budget.xlsx").write_bytes(_encrypted_workbook())
    (folder / "budget.csv").write_text("Item,Amount\nSeed,420\n")  # its workbook gives nothing: the export is read
    with DocIndex(tmp_path / "store") as index:
        report = index.update(folder)
        assert ("survey.csv", "built from survey.xlsx") in report.skipped_files
        assert set(index.catalog.files(index.collection)) == {"survey.xlsx", "budget.csv"}
        hit = index.search("clover P2 moisture", k=1, mode="lexical")[0]
        assert (hit.source, hit.location) == ("survey.xlsx", "Plots rows 1-9")


def test_a_researcher_asks_about_a_row_of_a_workbook_in_the_shell(ip, tmp_path: Path) -> None:
    folder = tmp_path / "fieldwork"
    folder.mkdir()
    (folder / "survey.xlsx").write_bytes(xlsx_bytes(survey))
    (folder / "rain.ods").write_bytes(ods_bytes({"Rainfall": [["Month", "Vale"], ["April", 41.5], ["May", 38.0]]}))
    ip.run_line_magic("docchat_index", f'"{folder}" --quiet --wait')
    ask(ip, "What crop grew on plot P3?", "--no-stream")
    turn = ip.user_ns["docchat_history"][-1]
    assert "fallow" in turn["answer"]
    assert any(s["source"] == "survey.xlsx" and s["location"] == "Plots rows 1-9" for s in turn["sources"]), turn
    ask(ip, "How much rain fell on the Vale in April?", "--no-stream")
    turn = ip.user_ns["docchat_history"][-1]
    assert "41.5" in turn["answer"]
    assert any(s["source"] == "rain.ods" and s["location"] == "Rainfall rows 1-3" for s in turn["sources"]), turn


_WORD = re.compile(r"[A-Za-z0-9]+")
CELL = st.one_of(st.none(), st.text(ANY_CHAR, max_size=30), st.text(st.sampled_from("ab |:-x"), max_size=12),
                 st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
                 st.integers(-10**9, 10**9))
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(grid=st.lists(st.one_of(st.just([]), st.lists(CELL, min_size=1, max_size=5)), min_size=1, max_size=25),
       ods=st.booleans())
def test_random_cells_are_all_read_at_their_rows(grid: list[list[object]], ods: bool) -> None:
    """Text with surrogates, NUL and control characters, numbers, empty rows: each cell's words are read on a line of
    its row, and each chunk is cited by rows that hold what it quotes."""
    if ods:  # XML 1.0 holds no NUL, control character or lone surrogate, and OpenDocument has no escape for them
        grid = [[_xml_legal(v) if isinstance(v, str) else v for v in row] for row in grid]
        data = ods_bytes({"S": [[float(v) if isinstance(v, (int, float)) else v for v in row] for row in grid]})
        name = "r.ods"
    else:
        def build(book) -> None:
            sheet = book.add_worksheet("S")
            for r, row in enumerate(grid):
                for c, value in enumerate(row):
                    if isinstance(value, str):
                        sheet.write_string(r, c, marked(value))
                    elif value is not None:
                        sheet.write_number(r, c, value)
        data, name = xlsx_bytes(build), "r.xlsx"
    sections = read_sections(Path(name), data)
    at = lines_at(sections)
    for r, row in enumerate(grid, 1):
        for value in row:
            if isinstance(value, str):
                # As every reader's text is cleaned: a terminal's escape (ESC and the character after it) is dropped.
                words = _WORD.findall(clean_text(as_excel_writes(value)))
            elif value is None:
                words = []
            else:
                # The number the file holds: XlsxWriter writes 16 significant digits ("%.16G"), and a value whose 17th
                # matters (2.8952994578795352e-307) is another number in the file, shown to 15 digits as written there.
                held = float(value) if ods else float(f"{float(value):.16g}")
                words = [f"{held:.15g}" if not held.is_integer() else str(int(held))]
            line = " ".join(at.get(("S", r), []))
            for word in words:
                assert word in line, (word, r, at)
    filled = {r for r, row in enumerate(grid, 1) if any(v is not None and (not isinstance(v, str) or v.strip())
                                                         for v in row)}
    assert {row for section in sections for row in section.line_map} <= filled
    for chunk in chunker(120).chunk(name, "hash", sections):
        assert storable(chunk.text) and storable(chunk.heading)
        assert chunk.start_line <= chunk.end_line and {chunk.start_line, chunk.end_line} <= filled
    assert filled or not sections


def _xml_legal(text: str) -> str:
    return "".join(c for c in text if c in "\t\n" or 0x20 <= ord(c) <= 0xD7FF or 0xE000 <= ord(c) <= 0xFFFD
                   or ord(c) >= 0x10000)

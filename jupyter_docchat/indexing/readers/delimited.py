"""CSV and TSV files: a table, as the readers write every table (jupyter_docchat.table_text): the first
record is the header, each other record a row under it, so a chunk of rows keeps the names of its columns.

The dialect (delimiter, quoting) is sniffed by the csv module on the file's first lines; a file it cannot
parse as a table (a field over the csv module's limit, broken quoting) is read as plain text.

Line numbers: a table line stands at its file line. The delimiter line under the header is not in the
file, so a section starts two lines above its first row (the header, then the delimiter), and the first
section starts at line 0 (chunking counts a chunk from line 1). A section ends at SECTION_CHARS, which
keeps the work per section bounded, and the next begins under the header again, at its own line. Blank
lines between rows keep their lines too (FILLED_BLANKS): the csv module skips them, and a table written
without them cited every row after one a line early. A record that spans lines (a quoted line break) is
written a table line for each of its file lines, a cell's lines under each other, as a grid table is:
counted a line a record, the rows after the first such record were cited thousands of lines early in a
file where every record holds one.

A file may hold more than one table, a gap of blank lines apart (a spreadsheet of several, saved as CSV): a
record below blank lines whose width no record of the table above has is the header of a new table, not a row
under the first one's (below one or two blank lines, only when each of its cells is a name). A record below such a gap of a width the table has is a new
header only when it reads as one where rows cannot (``_heads_a_table``): the header above again, or names
(text, no two alike) with text in a column where every row of the table above and the record below it hold
numbers. Ordinary rows after a gap, words in a column of words, stay rows. A first line "sep=;" is how Excel
names the delimiter: it is the dialect, not a record.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Callable

from jupyter_docchat.indexing.readers.base import decode
from jupyter_docchat.indexing.readers.text import read_text
from jupyter_docchat.table_text import escape_cell, table_lines
from jupyter_docchat.types import Section

SNIFF_CHARS = 4096  # the sniffer's regular expressions backtrack: a bounded sample keeps it quick
SECTION_CHARS = 256 * 1024  # as chunking.WINDOW
# Blank lines (or empty records) between two rows, up to this many, are written as empty rows: the table has no
# other line to give them, and without one every row after them was cited a line early for each. More start a
# new section, its header and delimiter on the last two of them, the rest blank: a long gap is not a run of
# empty rows.
FILLED_BLANKS = 2
_DELIMITERS = ",;\t|"
# Excel's first line naming the delimiter ("sep=;"; some tools quote it). A quote or a word character would
# be no delimiter a table is written with.
_SEP_LINE = re.compile(r'"?sep=(\t|[^\s"\w])"?[ \t]*(?:\n|$)')
# What a table writes where a number is missing: a row holding one is a row, not names over numbers.
_MISSING = {"n/a", "na", "n.a.", "#n/a", "nan", "null", "none", "nil", "missing", "unknown", "tbd", "tba", "?", "-", "—"}
_NAME = re.compile(r"[^\W\d_]")  # a letter: a column's name holds one
# A cell that is a number as tables write them: 4.1, -3, 1,200, 12%, 1e-5, $3.50 (the header of such a column is
# a word).
_NUMBER = re.compile(r"[-+]?[$€£¥]?(?:\d[\d,_ ]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?%?")


def read_delimited(path: Path, data: bytes) -> list[Section]:
    text = decode(data)
    sep = _SEP_LINE.match(text)
    try:
        if sep:
            return _table_sections(text[sep.end():], type("sep", (csv.excel,), {"delimiter": sep[1]}), 2)
        return _table_sections(text, _dialect(text, path.suffix.lower()))
    except csv.Error:
        return read_text(path, data)


def _dialect(text: str, ext: str) -> type[csv.Dialect] | csv.Dialect:
    sample = text[:SNIFF_CHARS]
    if len(text) > SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=_DELIMITERS)
    except csv.Error:
        return _by_header(sample, ext)
    # The sniffer guesses doublequote from a pattern a quoted "" seldom fits, and without it (the sniffer sets
    # no escape character) a quote inside a field ends the field early: the rest of the file misread. A
    # doubled quote is how CSV writers (RFC 4180) escape one.
    dialect.doublequote = True
    return dialect


def _table_sections(text: str, dialect: type[csv.Dialect] | csv.Dialect, line: int = 1) -> list[Section]:
    """The tables of ``text``, whose first line is file line ``line``."""
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    # Each record with the line after it, read ahead: a header below a gap is told by the record under it too.
    records = [(record, reader.line_num) for record in reader]
    header: list[str] | None = None
    header_at = 0  # the header's file line
    shown = False  # whether a section holds the header's table yet
    widths: set[int] = set()  # how many cells the records of the header's table have
    numbers: set[int] | None = None  # the columns every row of the header's table holds a number in (None: no row yet)
    sections: list[Section] = []
    rows: list[list[str]] = []
    first = size = 0  # file line of the section's first row; its characters so far

    def flush() -> None:
        nonlocal shown
        if rows and header is not None:
            sections.append(Section("\n".join(table_lines(header, rows)), first - 2))
            shown = True
        rows.clear()

    def header_alone() -> None:
        # A table of no rows, or a note below a table that only a new table's header can be: its own section.
        if header is not None and any(header) and not shown:
            # The rule under the header is no line of the file: cited as the header's, not the line below it (past
            # the end of a CSV of a header alone; probe 16).
            sections.append(Section("\n".join(table_lines(header, [])), header_at, line_map=(header_at, header_at)))

    offset = line - 1  # the csv module counts the lines of ``text``
    after = 0  # file line after the last record read
    for n, (record, line_num) in enumerate(records):
        cells = [escape_cell(cell) for cell in record]
        starts, line = line, line_num + 1 + offset
        if not any(cells) and (header is not None or len(cells) < 2):
            continue  # a blank line or an empty row; a header of empty names (",,") is still the header
        gap = starts - after > FILLED_BLANKS
        # Below one blank line or two, a record of a width no record above has, a name in each of its cells, heads a
        # table too: a sheet's tables a row apart read as one, the second's rows under the first's names ("fruit:
        # Rome; qty: Italy", probe 14). A row of the table with a cell missing has an empty cell, or a number.
        beside = starts > after and len(cells) not in widths and all(
            _NAME.search(cell) and not _NUMBER.fullmatch(cell) for cell in cells)
        if header is None or beside or (gap and (len(cells) not in widths
                                                 or _heads_a_table(cells, header, numbers, lambda: _next_record(records, n)))):
            flush()
            header_alone()
            header, header_at, shown, widths, after, numbers = cells, starts, False, {len(cells)}, line, None
            continue
        widths.add(len(cells))
        numeric = {k for k, cell in enumerate(cells) if _NUMBER.fullmatch(cell)}
        numbers = numeric if numbers is None else numbers & numeric
        blanks = starts - after if rows else 0
        if size > SECTION_CHARS or blanks > FILLED_BLANKS:
            flush()
        if rows:
            rows.extend([[]] * blanks)  # a table line for each blank line, so the rows under them keep their lines
            size += blanks * (2 * len(header) + 1)
        else:
            first, size = starts, 0
        span = line - starts
        table_rows = [cells] if span <= 1 else _file_lines(record, span)
        rows.extend(table_rows)
        size += sum(len(cell) + 3 for row in table_rows for cell in row)
        after = line
    flush()
    header_alone()
    return sections


def _heads_a_table(cells: list[str], header: list[str], numbers: set[int] | None,
                   record_below: Callable[[], list[str]]) -> bool:
    """Whether ``cells``, below a gap and as wide as a row of the table above, heads a table of its own: it is
    that table's header again, or it reads as a header where no row can. Names (each with a letter and no
    number, no two alike) over numbers: in every column where each row above holds a number under a header's
    word, it holds a word and the record below it (``record_below()``, read only when it counts) a number. A row of
    words, words in a column of words, or a missing number's mark (n/a), stays a row."""
    if cells == header:
        return True
    if not numbers or any(not _NAME.search(cell) or _NUMBER.fullmatch(cell) or cell.casefold() in _MISSING
                          for cell in cells):
        return False
    if len({cell.casefold() for cell in cells}) < len(cells):
        return False
    below = [escape_cell(cell) for cell in record_below()]
    columns = [k for k in numbers if k < len(header) and not _NUMBER.fullmatch(header[k])]
    return bool(columns) and all(k < len(cells) and k < len(below) and _NUMBER.fullmatch(below[k]) for k in columns)


def _next_record(records: list[tuple[list[str], int]], n: int) -> list[str]:
    """The first record after the n-th that is not blank ([] at the end). Not a slice of the rest: a file of many
    gaps would copy it at each."""
    return next((records[m][0] for m in range(n + 1, len(records)) if any(cell.strip() for cell in records[m][0])), [])


def _file_lines(record: list[str], span: int) -> list[list[str]]:
    """A record that spans lines as table rows, one for each of the ``span`` (2 or more) file lines it takes:
    a cell's k-th line in the k-th row. The csv module writes a record's fields one after another, so a
    record of two cells that hold line breaks spans more lines than either: the rows left over are empty."""
    parts = [cell.split("\n") for cell in record]
    rows = [[escape_cell(lines[k]) if k < len(lines) else "" for lines in parts] for k in range(span - 1)]
    rows.append([escape_cell(" ".join(lines[span - 1:])) for lines in parts])  # a cell of more lines ends here
    return rows


def _by_header(sample: str, ext: str) -> type[csv.Dialect]:
    """The dialect when the sniffer finds none (a quoted field with a delimiter or "" in it throws its counts
    off): the delimiter the header line holds most of, a header seldom holding quotes; else the extension's."""
    header = sample.split("\n", 1)[0]
    delimiter = max(_DELIMITERS, key=header.count)
    if not header.count(delimiter):
        return csv.excel_tab if ext == ".tsv" else csv.excel
    return type("by_header", (csv.excel,), {"delimiter": delimiter})

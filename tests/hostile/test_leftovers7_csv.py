"""Leftover 7.1: a CSV's second table below a gap, as wide as the first, was shown under the first table's
header (its own header read as a row). A record below a gap heads a table when it reads as a header where no
row can: the header above again, or names over numbers. Ordinary rows after blank lines stay rows."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from test_csv_gaps import cited_rows

from jupyter_docchat.indexing.chunking import Chunker
from jupyter_docchat.indexing.readers import READERS_VERSION, read_sections
from jupyter_docchat.table_text import is_delimiter

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _tables(text: str, name: str = "t.csv") -> list[str]:
    return [section.text for section in read_sections(Path(name), text.encode())]


def _cited(text: str, name: str = "t.csv", size: int = 200) -> dict[tuple[str, ...], list[int]]:
    chunks = [(c.text, c.start_line, c.end_line)
              for c in Chunker(size, 20).chunk(name, "h", read_sections(Path(name), text.encode()))]
    return cited_rows(chunks)


def test_a_second_table_as_wide_as_the_first_has_its_own_header() -> None:
    text = "city,rate\noslo,4.1\nbergen,3.9\n\n\n\ncountry,population\nnorway,5.4\nsweden,10.5\n"
    assert _tables(text) == ["| city | rate |\n|---|---|\n| oslo | 4.1 |\n| bergen | 3.9 |",
                             "| country | population |\n|---|---|\n| norway | 5.4 |\n| sweden | 10.5 |"]
    assert _cited(text)[("sweden", "10.5")] == [9]
    assert ("country", "population") not in _cited(text)  # a header, not a row


def test_the_header_written_again_below_a_gap_heads_its_rows_and_is_no_row() -> None:
    text = "city,rate\noslo,4.1\n\n\n\ncity,rate\nalta,2.7\n"
    assert _tables(text) == ["| city | rate |\n|---|---|\n| oslo | 4.1 |", "| city | rate |\n|---|---|\n| alta | 2.7 |"]
    assert _cited(text) == {("oslo", "4.1"): [2], ("alta", "2.7"): [7]}


def test_ordinary_rows_after_blank_lines_stay_rows() -> None:
    numbers = "city,rate\noslo,4.1\n\n\n\ntromso,5.2\nalta,2.7\n"  # a number where the rows hold numbers
    words = "city,country\noslo,norway\n\n\n\nlund,sweden\nturku,finland\n"  # words over words: no way to tell
    note = "city,rate\noslo,4.1\n\n\n\nn/a,unknown\n"  # no number below it: nothing says it heads one
    missing = "region,amount\nnorth,100\n\n\n\nsouth,n/a\neast,200\n"  # a missing number is no column's name
    for text in (numbers, words, note, missing):
        assert all(t.startswith(("| city | rate |", "| city | country |", "| region | amount |"))
                   for t in _tables(text)), text
    assert _cited(numbers) == {("oslo", "4.1"): [2], ("tromso", "5.2"): [6], ("alta", "2.7"): [7]}
    assert _cited(words)[("lund", "sweden")] == [6]
    assert _cited(note)[("n/a", "unknown")] == [6]
    assert _cited(missing)[("south", "n/a")] == [6]


def test_a_record_with_a_cell_that_is_no_name_is_a_row() -> None:
    text = "city,rate\noslo,4.1\n\n\n\ntotal,-\nalta,2.7\n"  # "-" is no column's name
    assert len(_tables(text)) == 2 and all(t.startswith("| city | rate |") for t in _tables(text))


def test_the_readers_version_is_raised_for_the_new_reading() -> None:
    assert READERS_VERSION >= 14


NAME = st.text(st.sampled_from("abcdefghxyz"), min_size=1, max_size=6)
WORD = st.text(st.sampled_from("abcxyz ."), min_size=1, max_size=6).map(lambda c: " ".join(c.split())).filter(bool)
NUMBER = st.one_of(st.integers(-999, 99_999).map(str), st.floats(0, 1000, allow_nan=False).map(lambda f: f"{f:.2f}"))


@SETTINGS
@given(data=st.data(), width=st.integers(2, 4), delimiter=st.sampled_from([",", ";", "\t"]),
       chunk_size=st.sampled_from([120, 300, 800]))
def test_tables_of_one_width_with_names_over_numbers_each_have_their_header(data, width: int, delimiter: str,
                                                                            chunk_size: int) -> None:
    """Tables as a spreadsheet saves them: a key column of words, the others numbers, a header of names. Each
    table's header heads it, below however many blank lines (3 or more), and each row is cited at its line."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    headers, rows_at = [], {}
    for t in range(data.draw(st.integers(2, 3))):
        if t:
            out.write("\n" * data.draw(st.integers(3, 6)))
        names = data.draw(st.lists(NAME, min_size=width, max_size=width, unique_by=str.casefold))
        header = tuple(f"h{t}{name}" for name in names)
        writer.writerow(header)
        headers.append(header)
        for r in range(data.draw(st.integers(1, 6))):
            out.write("\n" * data.draw(st.sampled_from([0, 0, 1, 2])))
            row = (f"r{t}{r}{data.draw(WORD)}", *(data.draw(NUMBER) for _ in range(width - 1)))
            writer.writerow(row)
            rows_at[row] = out.getvalue().count("\n")
    text = out.getvalue()
    name = "t.tsv" if delimiter == "\t" else "t.csv"
    sections = read_sections(Path(name), text.encode())
    assert all(s.text.startswith("|") for s in sections), text
    chunks = [(c.text, c.start_line, c.end_line) for c in Chunker(chunk_size, 40).chunk(name, "h", sections)]
    cited = cited_rows(chunks)
    for row, line in rows_at.items():
        assert set(cited.get(row, [])) == {line}, (row, line, text, chunks)
    heads = {tuple(c.strip() for c in lines[i].strip("|").split("|"))
             for text_, _, _ in chunks for lines in [text_.split("\n")]
             for i in range(len(lines) - 1) if is_delimiter(lines[i + 1])}
    assert set(headers) <= heads
    assert not set(headers) & set(cited)  # no header is cited as a row
    event(f"width {width}")


@SETTINGS
@given(data=st.data(), width=st.integers(1, 4))
def test_a_row_with_a_number_where_the_rows_hold_numbers_is_never_a_header(data, width: int) -> None:
    """Below any gap, a record that holds a number in a column where every row above holds one is a row."""
    header = [f"h{k}" for k in range(width)]
    above = [[data.draw(NUMBER) for _ in range(width)] for _ in range(data.draw(st.integers(1, 4)))]
    row = [data.draw(st.one_of(WORD, NAME)) for _ in range(width)]
    row[data.draw(st.integers(0, width - 1))] = data.draw(NUMBER)
    lines = [",".join(header), *(",".join(r) for r in above)]
    text = "\n".join(lines) + "\n" * data.draw(st.integers(3, 7)) + ",".join(row) + "\n"
    tables = _tables(text)
    assert all(t.startswith("| " + " | ".join(header) + " |") for t in tables), tables

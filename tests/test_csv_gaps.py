"""Blank lines between a CSV's rows: each row is cited at its own file line, however many blank lines (or
empty records) come before it, and a chunk's table lines stand at the lines its start and end name."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from conftest import write_tree
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from jupyter_docchat import DocIndex, IndexOptions
from jupyter_docchat.indexing.chunking import Chunker, _merge_small
from jupyter_docchat.indexing.readers import read_sections
from jupyter_docchat.table_text import cells_of, is_delimiter, is_table_line
from jupyter_docchat.types import Section

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def row_lines(text: str, delimiter: str = ",") -> dict[tuple[str, ...], int]:
    """Each data row of a CSV held on one line (its cells) -> its file line (rows taken to be unique)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    found: dict[tuple[str, ...], int] = {}
    line = 1
    for n, record in enumerate(reader):
        if n and any(record) and reader.line_num == line:
            found[tuple(" ".join(cell.split()) for cell in record)] = line
        line = reader.line_num + 1
    return found


def cited_rows(chunks: list[tuple[str, int, int]]) -> dict[tuple[str, ...], list[int]]:
    """Each table row in the chunks -> the file lines the chunks cite it at. A chunk's last line stands at its
    end line (its first lines may repeat a table's head from above), so its i-th line at end - (last - i)."""
    cited: dict[tuple[str, ...], list[int]] = {}
    for text, start, end in chunks:
        lines = text.split("\n")
        for i, line in enumerate(lines):
            header = i + 1 < len(lines) and is_delimiter(lines[i + 1])  # a table's head, perhaps repeated
            if is_table_line(line) and not is_delimiter(line) and not header:
                at = end - (len(lines) - 1 - i)
                assert start <= at <= end, (text, start, end)
                cited.setdefault(tuple(cells_of(line)), []).append(at)
    return cited


def assert_each_row_at_its_line(text: str, chunks: list[tuple[str, int, int]], delimiter: str = ",") -> None:
    cited = cited_rows(chunks)
    for cells, line in row_lines(text, delimiter).items():
        assert cells in cited, (cells, chunks)
        assert set(cited[cells]) == {line}, (cells, line, cited[cells], chunks)


def assert_one_header_a_table(chunks: list[tuple[str, int, int]], header: str) -> None:
    """The header opens each table it heads: never a line of a table after a row (one table, two heads)."""
    for text, _, _ in chunks:
        lines = text.split("\n")
        for above, line in zip(lines, lines[1:]):
            assert not (line == header and is_table_line(above)), text


def indexed(tmp_path: Path, files: dict[str, str], chunk_size: int = 800) -> DocIndex:
    index = DocIndex(tmp_path / "store", collection="docs")
    index.update(write_tree(tmp_path / "data", files), IndexOptions(chunk_size=chunk_size, chunk_overlap=50))
    return index


def chunks_of(index: DocIndex, source: str) -> list[tuple[str, int, int]]:
    return [(hit.text, hit.start_line, hit.end_line) for hit in index.file_chunks(source)]


GAPS = {
    "one.csv": "city,rate\noslo,4.1\nbergen,3.9\n\ntromso,5.2\nalta,2.7\n",
    "three.csv": "city,rate\noslo,4.1\nbergen,3.9\n\n\n\ntromso,5.2\nalta,2.7\n",
    "two.csv": "city,rate\noslo,4.1\n\n\nbergen,3.9\ntromso,5.2\n",
    "several.csv": "city,rate\n\noslo,4.1\n\nbergen,3.9\n\n\ntromso,5.2\n\n\n\n\nalta,2.7\n,\nnarvik,1.1\n\n",
    "units.tsv": "unit\tsymbol\nampere\tA\n\nkelvin\tK\n\n\n\n\nmole\tmol\n",
}


def test_rows_after_blank_lines_are_cited_at_their_own_lines(tmp_path: Path) -> None:
    index = indexed(tmp_path, GAPS)
    for name, text in GAPS.items():
        delimiter = "\t" if name.endswith(".tsv") else ","
        chunks = chunks_of(index, name)
        assert_each_row_at_its_line(text, chunks, delimiter)
        assert_one_header_a_table(chunks, chunks[0][0].split("\n")[0])
    tromso = index.search("tromso", k=1, mode="lexical")[0]
    assert tromso.start_line <= GAPS[tromso.source].split("\n").index("tromso,5.2") + 1 <= tromso.end_line
    index.close()


def test_a_csv_with_a_blank_line_between_every_row_is_still_a_few_chunks(tmp_path: Path) -> None:
    """As a CSV written on Windows without newline="" reads ("\\r\\r\\n"): each row its own chunk would bury them."""
    text = "item,count\n" + "".join(f"item{n},{n * 7}\n\n" for n in range(60))
    index = indexed(tmp_path, {"stock.csv": text})
    chunks = chunks_of(index, "stock.csv")
    assert_each_row_at_its_line(text, chunks)
    assert len(chunks) <= 6, len(chunks)
    index.close()


def test_a_long_gap_puts_no_run_of_empty_lines_in_a_chunk(tmp_path: Path) -> None:
    text = "item,count\nplum,3\n" + "\n" * 10_000 + "pear,4\n" + "\n" * 3_000 + "fig,5\n"
    index = indexed(tmp_path, {"gap.csv": text}, chunk_size=20_000)
    chunks = chunks_of(index, "gap.csv")
    assert_each_row_at_its_line(text, chunks)
    assert all("\n\n\n" not in chunk for chunk, _, _ in chunks)
    index.close()


def test_a_csv_without_gaps_reads_as_before() -> None:
    text = "city,rate\noslo,4.1\nbergen,3.9\n"
    sections = read_sections(Path("t.csv"), text.encode())
    assert [(s.text, s.start_line) for s in sections] == [
        ("| city | rate |\n|---|---|\n| oslo | 4.1 |\n| bergen | 3.9 |", 0)]


CELL = st.text(st.sampled_from("abcxyz019 ."), min_size=1, max_size=10).map(str.strip).filter(bool)


def words_only(row: list[str] | tuple[str, ...]) -> bool:
    """Whether every cell of a row holds a letter: below a gap, such a row may read as a new table's header."""
    return all(any(ch.isalpha() for ch in cell) for cell in row)
# A quoted cell of two lines or more, perhaps a blank one among them; its Q is in no other cell, so no line of
# it reads as a one-line row.
LINES = st.lists(CELL, min_size=2, max_size=3).map(lambda lines: "\n".join(f"Q{line}" for line in lines))
SPLIT = st.lists(CELL, min_size=2, max_size=2).map(lambda lines: f"Q{lines[0]}\n\nQ{lines[1]}")


@SETTINGS
@given(width=st.integers(1, 4), data=st.data(), delimiter=st.sampled_from([",", "\t"]),
       chunk_size=st.sampled_from([120, 300, 800]))
def test_any_csv_with_blank_lines_cites_every_row_at_its_line(width: int, data, delimiter: str,
                                                               chunk_size: int) -> None:
    header = data.draw(st.lists(CELL, min_size=width, max_size=width, unique=True))
    cell = st.one_of(CELL, CELL, CELL, CELL, CELL, LINES, SPLIT) if data.draw(st.booleans()) else CELL
    row = st.lists(cell, min_size=width, max_size=width).filter(lambda row: row != header)
    rows = data.draw(st.lists(row, min_size=1, max_size=40, unique_by=tuple))
    # Not a gap over a row of words alone: under rows of numbers, such a row heads a table (test_leftovers7_csv).
    blanks = [data.draw(st.sampled_from([0, 0, 0, 1, 2] if words_only(row) else [0, 0, 0, 1, 2, 3, 4, 7]))
              for row in rows]
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    for row, blank in zip(rows, blanks):
        stream.write("\n" * blank)
        writer.writerow(row)
    text = stream.getvalue()
    name = "t.tsv" if delimiter == "\t" else "t.csv"
    sections = read_sections(Path(name), text.encode())
    chunks = [(c.text, c.start_line, c.end_line) for c in Chunker(chunk_size, 40).chunk(name, "hash", sections)]
    if not all(s.text.startswith("|") for s in sections):
        event("read as text")
        return  # the sniffer took another dialect and the file was read as text: no table to check
    event(f"checked, multi-line cells: {'Q' in text}, gaps: {chr(10) * 2 in text}")
    assert_each_row_at_its_line(text, chunks, delimiter)


def test_only_a_table_far_below_is_kept_apart() -> None:
    """A page's sections far apart in its markup (HTML's, often) are joined as before; a table more than two
    blank lines below is not, so the blank lines stay out of the chunk."""
    table = "| unit | symbol |\n|---|---|\n| mole | mol |"
    near = _merge_small([Section("Units", 1), Section(table, 4)], 800)
    assert [(s.text, s.start_line) for s in near] == [("Units\n\n\n" + table, 1)]
    far = _merge_small([Section("Units", 1), Section(table, 5)], 800)
    assert [(s.text, s.start_line) for s in far] == [("Units", 1), (table, 5)]
    prose = _merge_small([Section("Units", 1), Section("The mole counts.", 90)], 800)
    assert [(s.text, s.start_line) for s in prose] == [("Units" + "\n" * 89 + "The mole counts.", 1)]

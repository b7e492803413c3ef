"""Issue 23's newest reading surfaces tried as a hostile user would (probe4): gzipped pages, CSV read as
a table, .log read as text, a site's 404.html, through DocIndex.update and search as a user meets them."""

from __future__ import annotations

import gzip
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from conftest import write_tree

from jupyter_docchat import DocIndex, IndexOptions
from jupyter_docchat.indexing.readers.clean import clean_text


def _texts(index: DocIndex, query: str) -> list[tuple[str, str]]:
    return [(hit.source, hit.text) for hit in index.search(query, k=3, mode="lexical")]


def test_terminal_colour_codes_in_a_log_leave_no_residue(tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / "server.log").write_bytes(b"\x1b[32mINFO\x1b[0m server started\n"
                                        b"\x1b[1;31mERROR\x1b[0m disk \x1b[4mfull\x1b[24m on /var\n"
                                        b"\x1b]0;title\x07plain tail line\n")
    index = DocIndex(tmp_path / "store")
    index.update(folder)
    hits = _texts(index, "ERROR disk full")
    assert hits and hits[0] == ("server.log", "INFO server started\nERROR disk full on /var\nplain tail line")
    index.close()


_CSI = st.builds(lambda params, final: f"\x1b[{params}{final}",
                 st.text(alphabet="0123456789;?", max_size=8), st.sampled_from("mKHJABCDGfhlsu"))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_characters="\x1b")), _CSI,
       st.text(alphabet=st.characters(blacklist_characters="\x1b")))
def test_a_terminal_escape_anywhere_is_dropped_whole(before: str, escape: str, after: str) -> None:
    assert clean_text(before + escape + after) == clean_text(before + after)


def test_a_users_own_404_page_outside_a_site_is_indexed(tmp_path: Path) -> None:
    folder = write_tree(tmp_path / "essays", {
        "notes.md": "# Notes\n\nThe heron nests by the lake.\n",
        "404.html": "<h1>On 404</h1><p>An essay about the number four hundred and four and cranes.</p>",
    })
    index = DocIndex(tmp_path / "store")
    report = index.update(folder)
    assert set(index.catalog.files(index.collection)) == {"notes.md", "404.html"}
    assert not report.skipped_files
    index.close()


def test_an_include_glob_with_a_leading_double_star_matches_at_the_top_too(tmp_path: Path) -> None:
    folder = write_tree(tmp_path / "site", {
        "index.html": "<h1>Home</h1><p>The vault opens at nine.</p>",
        "404.html": "<h1>404</h1><p>Page not found, herons.</p>",
        "guide/index.html": "<h1>Guide</h1><p>The guide.</p>",
        "guide/404.html": "<h1>404</h1><p>Page not found, cranes.</p>",
    })
    index = DocIndex(tmp_path / "store")
    report = index.update(folder, IndexOptions(includes=["**/404.html"]))
    assert {"404.html", "guide/404.html"} <= set(index.catalog.files(index.collection)), report.skipped_files
    again = index.update(folder, IndexOptions(excludes=["**/404.html"]))
    assert not {"404.html", "guide/404.html"} & set(index.catalog.files(index.collection)), again.skipped_files
    index.close()


def test_an_empty_gz_is_named_as_empty_text_not_a_broken_gzip(tmp_path: Path) -> None:
    folder = tmp_path / "pkg"
    folder.mkdir()
    (folder / "empty.txt.gz").write_bytes(b"")
    (folder / "blank.txt.gz").write_bytes(gzip.compress(b""))
    (folder / "empty.txt").write_bytes(b"")
    report = DocIndex(tmp_path / "store").update(folder)
    assert sorted(report.skipped_files) == [("blank.txt.gz", "no text"), ("empty.txt", "no text"),
                                            ("empty.txt.gz", "no text")]


def test_a_csv_header_of_empty_names_stays_the_header(tmp_path: Path) -> None:
    folder = write_tree(tmp_path / "data", {"export.csv": ",,\nplum,7,red\npear,3,green\n", "blank.csv": ",,\n,,\n"})
    index = DocIndex(tmp_path / "store")
    report = index.update(folder)
    assert report.skipped_files == [("blank.csv", "no text")]
    hits = _texts(index, "plum")
    assert hits and hits[0][0] == "export.csv"
    lines = hits[0][1].splitlines()
    assert lines[1] == "|---|---|---|" and lines[2:] == ["| plum | 7 | red |", "| pear | 3 | green |"]
    index.close()


def test_rows_after_records_with_line_breaks_are_cited_at_their_own_lines(tmp_path: Path) -> None:
    records = "".join(f'{n},"first line of item {n}\nsecond line\nthird",CODE{n:05d}\n' for n in range(400))
    folder = write_tree(tmp_path / "data", {"items.csv": "id,desc,code\n" + records})
    index = DocIndex(tmp_path / "store")
    index.update(folder)
    hits = index.search("CODE00399", k=1, mode="lexical")
    assert hits and hits[0].source == "items.csv"
    assert hits[0].start_line <= 2 + 3 * 399 <= hits[0].end_line == 1 + 3 * 400  # the record's lines, the file's last
    index.close()


_CELL = st.text(alphabet=st.sampled_from("ab ,;\"\n"), max_size=12)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_CELL, _CELL), min_size=1, max_size=30), st.sampled_from([",", ";", "\t"]))
def test_every_record_of_a_csv_is_cited_at_its_own_lines(records: list[tuple[str, str]], delimiter: str) -> None:
    import csv
    import io

    from jupyter_docchat.indexing.chunking import Chunker
    from jupyter_docchat.indexing.readers import read_sections

    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(["key", "one", "two"])
    where = {}  # a record's marker -> (its first file line, its last)
    for n, (one, two) in enumerate(records):
        first = out.getvalue().count("\n") + 1
        writer.writerow([f"k{n}x", one, two])
        where[f"k{n}x"] = (first, out.getvalue().count("\n"))
    text = out.getvalue()
    chunks = Chunker(200, 40).chunk("t.csv", "hash", read_sections(Path("t.csv"), text.encode()))
    for marker, (first, last) in where.items():
        holding = [c for c in chunks if f"| {marker} |" in c.text]
        assert len(holding) == 1 and holding[0].start_line <= first <= holding[0].end_line, (marker, first, last)
    assert max(c.end_line for c in chunks) == text.count("\n")


def test_quoted_fields_with_doubled_quotes_and_delimiters_are_read_as_the_csv_module_writes_them(
        tmp_path: Path) -> None:
    folder = write_tree(tmp_path / "data", {
        "notes.csv": 'id,note\n1,"a ""quoted, word"""\n2,"b, c"\n',  # the sniffer guesses no doubled quotes
        "semi.csv": 'a;b\n1;"plums ""pears; figs"" limes"\n2;q\n',  # the sniffer finds no delimiter at all
    })
    index = DocIndex(tmp_path / "store")
    index.update(folder)
    texts = dict(_texts(index, "quoted word") + _texts(index, "plums pears figs limes"))
    assert texts["notes.csv"] == '| id | note |\n|---|---|\n| 1 | a "quoted, word" |\n| 2 | b, c |'
    assert texts["semi.csv"] == '| a | b |\n|---|---|\n| 1 | plums "pears; figs" limes |\n| 2 | q |'
    index.close()


def test_a_log_with_a_run_of_nul_bytes_is_read_and_a_binary_named_log_is_not(tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    folder.mkdir()
    # a log written up to a crash: the file system kept its length but not its last blocks (zeros), then on
    (folder / "app.log").write_bytes(b"10:00 service started\n" + b"\x00" * 4096 + b"10:05 otters restarted it\n")
    (folder / "image.log").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    index = DocIndex(tmp_path / "store")
    report = index.update(folder)
    assert report.skipped_files == [("image.log", "binary")]
    hits = index.search("otters restarted", k=1, mode="lexical")
    assert hits and hits[0].source == "app.log" and hits[0].end_line == 2
    index.close()


def test_a_glob_starting_with_globstar_takes_the_top_folders_files_too(tmp_path: Path) -> None:
    """Left by probe 4: ``--glob '**/*.md'`` took sub/b.md but not the top's a.md (fnmatch wants a "/")."""
    from jupyter_docchat import DocIndex
    from jupyter_docchat.indexing.index_options import IndexOptions

    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "a.md").write_text("# Top\n\nThe top file.\n")
    (docs / "sub" / "b.md").write_text("# Sub\n\nThe file below.\n")
    (docs / "c.txt").write_text("Not markdown.\n")
    index = DocIndex(tmp_path / "store")
    try:
        index.update(docs, IndexOptions(globs=["**/*.md"]))
        assert sorted(index.catalog.files(index.collection)) == ["a.md", "sub/b.md"]
    finally:
        index.close()

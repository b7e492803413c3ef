"""Probe 36: a researcher's folder of workbooks, e-books and LibreOffice files, made hostile. Keys written in a sheet's
cells, a sheet named with the trail's " > ", an EPUB whose page names are written unescaped, an image or a cp1252 page
in its spine, a billion-laughs OPF, an .odt of lists nested a thousand deep. Every file is made here (XlsxWriter, zips
laid out as EPUB and OpenDocument say)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookgen import epub_bytes, odf_bytes, xhtml
from conftest import ask, sent_and_shown
from sheetgen import xlsx_bytes

from jupyter_docchat import DocIndex
from jupyter_docchat.indexing.readers import UnreadableFile, read_sections
from jupyter_docchat.qa.key_guard import NOT_SHOWN, without_secrets
from jupyter_docchat.table_text import escape_cell, table_lines
from jupyter_docchat.types import HeadingTrail, Hit

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --- Workbooks --------------------------------------------------------------------------------------------------

AWS = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ9pLx3vT"
GITHUB = "Zq8vT3xP9mLk2WnR7bYc4HsD1fGj6KtA"
STRIPE = "Hx7qR2pL9vK3mN8bT4wY6cZ1dF5gJ0sA"


def _settings_book(book) -> None:
    config = book.add_worksheet("Config")
    for n, row in enumerate([["setting", "value"], ["region", "eu-west-1"], ["aws_secret_access_key", AWS],
                             ["github_token", GITHUB], ["password", "hunter2hunter2"], ["retries", "12345678"]]):
        config.write_row(n, 0, row)
    services = book.add_worksheet("Services")
    for n, row in enumerate([["service", "api key", "owner"], ["stripe", STRIPE, "Ana"], ["maps", "see the vault", "Bo"]]):
        services.write_row(n, 0, row)


def test_keys_in_a_workbooks_cells_are_not_shown_by_docchat_search(tmp_path: Path, capsys) -> None:
    from jupyter_docchat import cli

    folder = tmp_path / "lab"
    folder.mkdir()
    (folder / "deploy.xlsx").write_bytes(xlsx_bytes(_settings_book))
    store = tmp_path / "store"
    assert cli.main(["--store", str(store), "index", str(folder)]) in (0, None)
    capsys.readouterr()
    for query in ("aws_secret_access_key github_token password region", "stripe api key owner vault"):
        assert cli.main(["--store", str(store), "search", "--mode", "lexical", query]) in (0, None)
        out = capsys.readouterr().out
        assert NOT_SHOWN in out, out
        assert AWS not in out and GITHUB not in out and STRIPE not in out and "hunter2hunter2" not in out
    # What is no key stays: a region, a count, words in a key's column.
    assert cli.main(["--store", str(store), "search", "--mode", "lexical", "region retries vault"]) in (0, None)
    out = capsys.readouterr().out
    assert "eu-west-1" in out and "12345678" in out and "see the vault" in out


def test_keys_in_a_workbooks_cells_are_never_sent_to_the_model_nor_kept_in_the_history(ip, fake, tmp_path: Path) -> None:
    folder = tmp_path / "lab"
    folder.mkdir()
    (folder / "deploy.xlsx").write_bytes(xlsx_bytes(_settings_book))
    ip.run_line_magic("config", f"DocChat.base_url = {fake.url!r}")
    ip.run_line_magic("config", "DocChat.api_key = 'sk-test-KEY-12345'")
    ip.run_line_magic("docchat_index", f'"{folder}" --quiet --wait')
    ask(ip, "What is the aws_secret_access_key and the github_token in the Config sheet?", "--no-stream")
    ask(ip, "Which api key does the stripe service use?", "--no-stream")
    sent, shown = sent_and_shown(ip, fake, tmp_path)
    assert "aws_secret_access_key" in sent and "stripe" in sent and NOT_SHOWN in sent  # the rows went, their keys not
    assert all(key not in shown for key in (AWS, GITHUB, STRIPE, "hunter2hunter2"))


_SECRET_NAMES = st.sampled_from(["aws_secret_access_key", "api key", "API Key (prod)", "github_token", "Password",
                                 "client secret", "Token"])
# A key as a service makes one: random letters and digits, both in it, no character the most of it.
_KEYS = st.text(st.sampled_from("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"), min_size=24,
                max_size=40).filter(lambda k: len(set(k)) >= 12 and any(c.isdigit() for c in k)
                                    and any(c.isalpha() for c in k))
_WORDS = st.text(st.sampled_from("abcdefgh ijklm"), max_size=20)
_PLAIN = st.one_of(_WORDS, st.integers(0, 10**9).map(str), st.dates().map(str), st.floats(0, 1e6).map(str))


@PROPERTY
@given(name=_SECRET_NAMES, key=_KEYS, rows=st.lists(st.lists(_PLAIN, min_size=2, max_size=2), max_size=5),
       form=st.sampled_from(["row", "first row", "column"]))
def test_a_key_in_a_tables_row_or_column_is_not_shown(name: str, key: str, rows: list[list[str]], form: str) -> None:
    """As the workbook, .docx and .odt readers write a table: by its name in the cell before it (in the header too,
    where a sheet of pairs with no header puts its first), or under a header."""
    if form == "column":
        lines = table_lines(["service", escape_cell(name)], [*rows, ["prod", key]])
    elif form == "first row":  # a sheet of pairs with no header: its first pair heads the table
        lines = table_lines([escape_cell(name), key], rows)
    else:
        lines = table_lines(["setting", "value"], [*rows, [escape_cell(name), key]])
    text = "\n".join(lines)
    shown = without_secrets(text)
    assert key not in shown and NOT_SHOWN in shown


@PROPERTY
@given(header=st.lists(st.sampled_from(["Plot", "Crop", "Key", "Tokens", "Notes", "Date", "Count"]), min_size=2,
                       max_size=4), rows=st.lists(st.lists(_PLAIN, min_size=4, max_size=4), max_size=6))
def test_a_table_of_words_numbers_and_dates_is_shown_as_written(header: list[str], rows: list[list[str]]) -> None:
    text = "\n".join(table_lines(header, [[escape_cell(c) for c in row[:len(header)]] for row in rows]))
    assert without_secrets(text) == text


def test_a_formulas_error_is_shown_as_excel_shows_it_at_its_cell() -> None:
    def book(b) -> None:
        sheet = b.add_worksheet("Yield")  # the table starts at C4: rows and columns counted from the sheet's corner
        sheet.write_row(3, 2, ["plot", "grain", "area", "per ha"])
        for r, (plot, grain, area) in enumerate([("P1", 12.0, 3.0), ("P2", 8.0, 0.0), ("P3", 9.0, 2.0)], 4):
            sheet.write_row(r, 2, [plot, grain, area])
            value = "#DIV/0!" if area == 0 else grain / area
            sheet.write_formula(r, 5, f"=D{r + 1}/E{r + 1}", None, value)
        sheet.write_formula(7, 5, "=#REF!*2", None, "#REF!")
        sheet.write_string(7, 2, "P4")

    [section] = read_sections(Path("yield.xlsx"), xlsx_bytes(book))
    lines = dict(zip(section.text.split("\n"), section.line_map))
    assert lines["| P2 | 8 | 0 | #DIV/0! |"] == 6 and lines["| P1 | 12 | 3 | 4 |"] == 5  # was "| P2 | 8 | 0 | |"
    assert lines["| P4 | | | #REF! |"] == 8


def test_a_sheet_named_with_the_trails_separator_is_one_level_cited_by_its_name() -> None:
    def book(b) -> None:
        sheet = b.add_worksheet("Q1 > Q2")
        for n, row in enumerate([["Plot", "Yield"], ["P1", 4.5], ["P2", 3.9]]):
            sheet.write_row(n, 0, row)

    [section] = read_sections(Path("harvest > 2024.xlsx"), xlsx_bytes(book))
    assert HeadingTrail.of(section.heading).parts == ("harvest \u203a 2024.xlsx", "Q1 \u203a Q2")
    hit = Hit("1", section.text, "harvest > 2024.xlsx", heading=section.heading, start_line=1, end_line=3)
    assert hit.location == "Q1 \u203a Q2 rows 1-3"  # was "Q2 rows 1-3": the sheet's name cut at its " > "


def test_a_sheet_of_500_columns_keeps_its_header_each_value_chunked_under_its_columns_name(tmp_path: Path) -> None:
    from jupyter_docchat.indexing.read_file import ChunkerSpec, read_one
    from jupyter_docchat.settings import DEFAULT_CHUNK_OVERLAP, DEFAULT_CHUNK_SIZE, DEFAULT_EMBEDDINGS

    def book(b) -> None:
        sheet = b.add_worksheet("Survey")
        sheet.write_row(0, 0, ["respondent", *(f"q{n}" for n in range(1, 500))])
        for r in range(1, 6):
            sheet.write_row(r, 0, [f"R{r}", *(f"a{r}x{n}" for n in range(1, 500))])

    path = tmp_path / "survey.xlsx"
    path.write_bytes(xlsx_bytes(book))
    [section] = read_sections(path, path.read_bytes())
    assert section.text.split("\n")[1] == "|" + "---|" * 500  # was cut to 40 characters: no header, no table
    result = read_one("survey.xlsx", path, ChunkerSpec(DEFAULT_CHUNK_SIZE, DEFAULT_CHUNK_OVERLAP, DEFAULT_EMBEDDINGS))
    pairs = {line: (chunk.start_line, chunk.end_line) for chunk in result.chunks for line in chunk.text.split("\n")}
    assert pairs["q321: a4x321"] == (5, 5) and pairs["q499: a5x499"] == (6, 6)  # each value by its column's name


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(columns=st.integers(80, 300), value=st.text(st.sampled_from("abcdefgh 0123456789"), min_size=6, max_size=60)
       .filter(lambda v: len(v.strip()) >= 6), first=st.integers(1, 3000))
def test_every_value_of_a_row_too_wide_for_a_chunk_is_chunked_under_its_columns_name(columns: int, value: str,
                                                                                     first: int) -> None:
    """A row longer than a chunk is written as its pairs, and the chunker halves a piece the embedding model would cut:
    a wide row's pieces are halved as the row they are."""
    from jupyter_docchat.indexing.read_file import ChunkerSpec
    from jupyter_docchat.settings import DEFAULT_CHUNK_OVERLAP, DEFAULT_CHUNK_SIZE, DEFAULT_EMBEDDINGS
    from jupyter_docchat.types import Section

    header = ["id", *(f"c{n}" for n in range(1, columns))]
    cells = ["w" * first, *(f"{value.strip()} {n}" for n in range(1, columns))]
    text = "\n".join(table_lines(header, [cells, ["next", *(["y"] * (columns - 1))]]))
    chunker = ChunkerSpec(DEFAULT_CHUNK_SIZE, DEFAULT_CHUNK_OVERLAP, DEFAULT_EMBEDDINGS).build()
    chunks = chunker.chunk("t.csv", "hash", [Section(text, 1, "t.csv", line_map=(1, 1, 2, 3), apart=True)])
    found = "\n".join(chunk.text for chunk in chunks)
    for n in range(1, columns):
        assert f"c{n}: {cells[n]}" in found, n


def test_a_delimiter_row_is_no_run_to_shorten_a_run_of_dashes_is() -> None:
    from jupyter_docchat.indexing.readers.clean import shorten_runs

    delimiter = "|" + "---|" * 100
    assert shorten_runs(f"| a |\n{delimiter}\n| b |") == f"| a |\n{delimiter}\n| b |"
    assert "characters left out" in shorten_runs("-" * 400) and "characters left out" in shorten_runs("|" + "ab|" * 100)


# --- EPUB -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["ch%201.xhtml", "a#b.xhtml", "my chapter.xhtml", "章 一.xhtml", "100%.xhtml"])
def test_a_page_whose_file_name_is_written_unescaped_is_read_under_its_chapter(name: str) -> None:
    pages = [(name, xhtml("<h1>Lobes</h1><p>Foliose lichens have lobes.</p>"))]
    sections = read_sections(Path("b.epub"), epub_bytes("Lichens", pages, toc={name: "2. Foliose"}))
    assert [(s.heading, s.page) for s in sections] == [("Lichens > 2. Foliose > Lobes", 1)]
    assert "Foliose lichens have lobes." in sections[0].text


@PROPERTY
@given(name=st.text(st.sampled_from("ab %#?&;=+~!$'()[]@,1章é-_."), min_size=1, max_size=12))
def test_any_page_file_name_is_read(name: str) -> None:
    """Written into the OPF as it is (XML-escaped only), as converters write it: the page is read, whatever URL
    reading would make of its "%", "#" or "?"."""
    name = f"{name}.xhtml"
    sections = read_sections(Path("b.epub"), epub_bytes("B", [(name, xhtml("<p>Words of the only page.</p>"))]))
    assert "Words of the only page." in "\n".join(s.text for s in sections)


def _with_spine(data: bytes, items: str, refs: str) -> bytes:
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for info in source.infolist():
            part = source.read(info.filename)
            if info.filename.endswith(".opf"):
                part = part.replace(b"</manifest>", items.encode() + b"</manifest>").replace(
                    b"</spine>", refs.encode() + b"</spine>")
            package.writestr(info.filename, part)
    return out.getvalue()


def test_a_spine_of_an_image_a_missing_page_the_same_page_twice_and_files_outside_the_book_reads_the_book(
        tmp_path: Path) -> None:
    secret = tmp_path / "private.txt"
    secret.write_text("PRIVATE-MARKER")
    book = epub_bytes("B", [("ch1.xhtml", xhtml("<h1>One</h1><p>First chapter words.</p>"))])
    book = _with_spine(book, (
        '<item id="img" href="images/cover.png" media-type="application/xhtml+xml"/>'  # an image called a page
        '<item id="gone" href="text/nothere.xhtml" media-type="application/xhtml+xml"/>'
        f'<item id="up" href="../../../../../..{secret}" media-type="application/xhtml+xml"/>'
        f'<item id="abs" href="file://{secret}" media-type="application/xhtml+xml"/>'),
        '<itemref idref="img"/><itemref idref="gone"/><itemref idref="p0"/><itemref idref="up"/><itemref idref="abs"/>')
    sections = read_sections(Path("b.epub"), book)
    assert [(s.heading, s.page, s.text) for s in sections] == [("B > One", 1, "One\n\nFirst chapter words.")]


def _rewritten(data: bytes, parts: dict[str, bytes | None]) -> bytes:
    """The zip ``data`` with ``parts`` written anew (None: left out)."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for info in source.infolist():
            part = parts.get(info.filename, source.read(info.filename))
            if part is not None:
                package.writestr(info.filename, part)
    return out.getvalue()


@pytest.mark.parametrize("container", [None, "../../etc/passwd", "/OEBPS/missing.opf"])
def test_a_book_whose_container_is_missing_or_names_a_part_it_lacks_is_read_by_its_own_opf(container: str | None) -> None:
    book = epub_bytes("Lichens", [("ch1.xhtml", xhtml("<h1>Crust</h1><p>Crustose lichens.</p>"))])
    written = None if container is None else (
        '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
        f'<rootfiles><rootfile full-path="{container}" media-type="application/oebps-package+xml"/></rootfiles>'
        "</container>").encode()
    sections = read_sections(Path("b.epub"), _rewritten(book, {"META-INF/container.xml": written}))
    assert [(s.heading, s.text) for s in sections] == [("Lichens > Crust", "Crust\n\nCrustose lichens.")]


def test_a_spine_reading_the_opf_or_ncx_as_a_page_reads_the_book_alone() -> None:
    book = epub_bytes("B", [("ch1.xhtml", xhtml("<h1>One</h1><p>First chapter words.</p>"))], version=2)
    book = _with_spine(book, '<item id="me" href="content.opf" media-type="application/xhtml+xml"/>'
                             '<item id="toc2" href="toc.ncx" media-type="application/xhtml+xml"/>',
                       '<itemref idref="me"/><itemref idref="toc2"/>')
    sections = read_sections(Path("b.epub"), book)
    assert [(s.heading, s.text) for s in sections] == [("B > One", "One\n\nFirst chapter words.")]  # no "urn:uuid:1"


def test_a_cp1252_page_without_an_xml_header_reads_its_accents_a_declared_encoding_is_kept() -> None:
    cp1252 = "<html><body><p>Caf\xe9 \u201cnoir\u201d, cr\xe8me br\xfbl\xe9e.</p></body></html>".encode("cp1252")
    latin = ('<?xml version="1.0" encoding="ISO-8859-1"?><html xmlns="http://www.w3.org/1999/xhtml"><body>'
             "<p>Na\xefve \xe0 la carte.</p></body></html>").encode("latin-1")
    sjis = ('<?xml version="1.0" encoding="Shift_JIS"?><html xmlns="http://www.w3.org/1999/xhtml"><body>'
            "<p>日本語のテキスト</p></body></html>").encode("shift_jis")
    sections = read_sections(Path("b.epub"), epub_bytes("B", [("a.xhtml", cp1252), ("b.xhtml", latin),
                                                             ("c.xhtml", sjis)]))
    assert [s.text for s in sections] == ["Caf\xe9 \u201cnoir\u201d, cr\xe8me br\xfbl\xe9e.", "Na\xefve \xe0 la carte.",
                                          "日本語のテキスト"]


_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE {root} [<!ENTITY a "aaaaaaaaaa">'
           + "".join(f'<!ENTITY {b} "{("&" + a + ";") * 10}">' for a, b in zip("abcdefgh", "bcdefghi")) + "]>")


def test_a_billion_laughs_opf_or_page_is_named_in_one_line() -> None:
    book = epub_bytes("Book", [("ch1.xhtml", xhtml("<p>Words.</p>"))])
    source, out = zipfile.ZipFile(io.BytesIO(book)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for info in source.infolist():
            part = source.read(info.filename)
            if info.filename.endswith(".opf"):  # was read as a book of no pages: the OPF cut at its title's "&i;"
                part = part.replace(b'<?xml version="1.0"?>', _LAUGHS.format(root="package").encode()).replace(
                    b"<dc:title>Book", b"<dc:title>&i;Book")
            package.writestr(info.filename, part)
    page = _LAUGHS.format(root="html") + '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>&i; x</p></body></html>'
    for data in (out.getvalue(), epub_bytes("B", [("ch1.xhtml", page)])):
        with pytest.raises(UnreadableFile, match="billion-laughs"):
            read_sections(Path("b.epub"), data)


def test_an_external_entity_or_dtd_never_reads_a_local_file(tmp_path: Path) -> None:
    secret = tmp_path / "private.txt"
    secret.write_text("PRIVATE-MARKER")
    doctype = f'<!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}"><!ENTITY % p SYSTEM "file://{secret}"> %p;]>'
    pages = [("a.xhtml", f'<?xml version="1.0"?>{doctype}<html xmlns="http://www.w3.org/1999/xhtml"><body>'
                         "<p>Before &xxe; after.</p></body></html>"),
             ("b.xhtml", f'<?xml version="1.0"?><!DOCTYPE html SYSTEM "file://{secret}"><html '
                         'xmlns="http://www.w3.org/1999/xhtml"><body><p>Second.</p></body></html>')]
    text = "\n".join(s.text for s in read_sections(Path("b.epub"), epub_bytes("B", pages)))
    assert "PRIVATE-MARKER" not in text and "Before" in text and "Second." in text
    flat = odf_bytes("text", "<text:p>a &xxe; b</text:p>", flat=True).split(b"?>", 1)[1]
    sections = read_sections(Path("n.fodt"), b'<?xml version="1.0"?>' + doctype.replace("html", "x", 1).encode() + flat)
    assert "PRIVATE-MARKER" not in "\n".join(s.text for s in sections)


# --- OpenDocument -----------------------------------------------------------------------------------------------

def _nested_lists(depth: int) -> bytes:
    body = "".join(f'<text:list text:style-name="L1"><text:list-item><text:p>level {i}</text:p>' for i in range(depth))
    return odf_bytes("text", body + "</text:list-item></text:list>" * depth)


def test_lists_nested_500_deep_are_read_a_thousand_or_more_are_named_in_one_line() -> None:
    [section] = read_sections(Path("deep.odt"), _nested_lists(500))
    assert section.text.split("\n")[-1] == " " * 998 + "- level 499"
    for depth in (1010, 3000):  # past Python's recursion, and past libxml2's 2,048 levels (was cut there in silence)
        with pytest.raises(UnreadableFile, match="nested too deep"):
            read_sections(Path("deep.odt"), _nested_lists(depth))


def test_a_folder_of_hostile_files_is_indexed_each_bad_one_named_the_rest_read(tmp_path: Path) -> None:
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "deep.odt").write_bytes(_nested_lists(1010))
    (folder / "laughs.epub").write_bytes(epub_bytes("B", [("c.xhtml", _LAUGHS.format(root="html")
                                                           + "<html><body><p>&i;</p></body></html>")]))
    cut = xlsx_bytes(_settings_book)
    (folder / "budget.xlsx").write_bytes(cut[:len(cut) // 2])
    (folder / "budget.csv").write_text("Item,Amount\nSeed,420\n")  # its workbook is broken: the export is read
    (folder / "deploy.xlsx").write_bytes(xlsx_bytes(_settings_book))
    with DocIndex(tmp_path / "store") as index:
        report = index.update(folder)
        skipped = dict(report.skipped_files)
        assert skipped["deep.odt"] == "unreadable .odt (its lists or sections are nested too deep to read)"
        assert "billion-laughs" in skipped["laughs.epub"] and "\n" not in skipped["laughs.epub"]
        assert skipped["budget.xlsx"] == "unreadable .xlsx (CalamineError)"
        assert set(index.catalog.files(index.collection)) == {"budget.csv", "deploy.xlsx"}

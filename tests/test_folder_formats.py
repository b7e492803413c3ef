"""Files real folders hold beside the usual formats: pages a package ships gzipped, CSV and TSV tables,
logs, and the page-not-found page of a site build (issue 23, what was left)."""

from __future__ import annotations

import csv
import gzip
import io
import json
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from conftest import write_tree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jupyter_docchat import DocIndex, IndexOptions
from jupyter_docchat.indexing.chunking import Chunker
from jupyter_docchat.indexing.readers import UnreadableFile, read_sections
from jupyter_docchat.indexing.scan import scan_folder

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PAGE = ("<html><body><h1>Changelog</h1><h2>pytest 7.2.0</h2><p>The tmpdir fixture now warns when the "
        "basetemp folder is shared between workers.</p></body></html>")


def sources(index: DocIndex) -> set[str]:
    return set(index.catalog.files(index.collection))


def write_bytes(folder: Path, files: dict[str, bytes]) -> Path:
    for rel, data in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
    return folder


def test_gzipped_pages_are_read_as_the_page_and_a_bomb_or_broken_file_is_named(tmp_path: Path) -> None:
    # A bomb: 80 MB of zeros (over the 64 MB limit) in about 80 KB of gzip.
    bomb = gzip.compress(b"\0" * (80 * 1024 * 1024), compresslevel=9)
    folder = write_bytes(tmp_path / "docs", {
        "changelog.html.gz": gzip.compress(PAGE.encode()),
        "notes.txt.gz": gzip.compress(b"The vault opens at nine on weekdays.\n"),
        # two gzip members, as `cat a.gz b.gz` makes
        "guide.md.gz": gzip.compress(b"# Guide\n\nThe reserve ratio is ten percent.\n") + gzip.compress(b"\nSecond member.\n"),
        "bomb.txt.gz": bomb,
        "cut.txt.gz": gzip.compress(b"A line cut short. " * 200)[:-40],
        "fake.md.gz": b"this is not gzip at all",
        "archive.tar.gz": gzip.compress(b"not a document"),
    })
    assert len(bomb) < 200_000
    index = DocIndex(tmp_path / "store", collection="docs")
    report = index.update(folder)
    assert sources(index) == {"changelog.html.gz", "notes.txt.gz", "guide.md.gz"}
    skipped = dict(report.skipped_files)
    assert skipped["bomb.txt.gz"] == "gzip bomb: unpacks to over 64 MB"
    assert skipped["cut.txt.gz"] == "broken gzip (cut short)"
    assert skipped["fake.md.gz"] == "broken gzip"
    assert skipped["archive.tar.gz"] == "unsupported type"
    hits = index.search("tmpdir basetemp shared between workers", k=3, mode="lexical")
    assert hits and hits[0].source == "changelog.html.gz" and "<h2>" not in hits[0].text  # read as HTML
    assert hits[0].heading.startswith("Changelog")
    guide = index.search("reserve ratio percent", k=3, mode="lexical")
    assert guide[0].source == "guide.md.gz" and guide[0].heading == "Guide"
    assert any("Second member" in h.text for h in index.search("second member", k=3, mode="lexical"))
    index.close()


def test_the_sources_twin_of_a_gzipped_sphinx_page_is_skipped(tmp_path: Path) -> None:
    folder = write_tree(tmp_path / "html", {
        "objects.inv": "x", "searchindex.js": "Search.setIndex({})", "index.html": "<h1>Home</h1>",
        "_sources/changelog.rst.txt": "Changelog\n=========\n", "_sources/index.rst.txt": "Home\n====\n",
        "_sources/orphan.rst.txt": "Orphan\n======\n",
    })
    (folder / "changelog.html.gz").write_bytes(gzip.compress(PAGE.encode()))
    scan = scan_folder(folder)
    assert [rel for rel, _ in scan.files] == ["changelog.html.gz", "index.html", "objects.inv", "_sources/orphan.rst.txt"]
    assert ("_sources/changelog.rst.txt", "source of a rendered page") in scan.skipped


@SETTINGS
@given(data=st.binary(max_size=2000))
def test_random_bytes_named_gz_are_read_or_named_never_an_error(data: bytes) -> None:
    from jupyter_docchat.indexing.readers import unpacked

    for name in ("page.html.gz", "notes.txt.gz", "table.csv.gz"):
        try:
            path, text = unpacked(Path(name), data, 10_000)
            read_sections(path, text)
        except UnreadableFile as exc:
            assert exc.reason and "\n" not in exc.reason


@SETTINGS
@given(text=st.binary(max_size=3000), cut=st.integers(0, 3000), members=st.integers(1, 3))
def test_gzip_round_trips_and_a_truncated_or_oversized_one_is_named(text: bytes, cut: int, members: int) -> None:
    from jupyter_docchat.indexing.readers.gzipped import gunzip

    packed = gzip.compress(text) * members
    assert gunzip(packed, 10_000) == text * members
    if cut < len(packed) and cut % len(gzip.compress(text)) != 0:  # a cut inside a member, not between two
        with pytest.raises(UnreadableFile) as caught:
            gunzip(packed[:cut], 10_000)
        assert caught.value.reason.startswith("broken gzip")
    if text:
        with pytest.raises(UnreadableFile, match="gzip bomb"):
            gunzip(packed, len(text) * members - 1)


def test_a_huge_gzip_member_is_stopped_at_the_limit_not_unpacked_whole() -> None:
    from jupyter_docchat.indexing.readers.gzipped import gunzip

    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    bomb = b"".join(packer.compress(b"\0" * 1024 * 1024) for _ in range(512)) + packer.flush()  # 512 MB
    with pytest.raises(UnreadableFile, match="gzip bomb"):
        gunzip(bomb, 4 * 1024 * 1024)


RATES = "region,rate,since\nnorth,4.5%,2021\nsouth,3.9%,2019\n\"east, coast\",5.1%,2022\n"


def test_csv_and_tsv_are_read_as_tables_and_a_log_as_text(tmp_path: Path) -> None:
    folder = write_tree(tmp_path / "data", {
        "rates.csv": RATES,
        "semicolons.csv": "name;colour;size\nplum;purple;small\nmelon;green;large\n",
        "units.tsv": "unit\tsymbol\nampere\tA\nkelvin\tK\n",
        "server.log": "2024-05-01 12:00:01 INFO vault opened by the night porter\n",
    })
    index = DocIndex(tmp_path / "store", collection="docs")
    report = index.update(folder)
    assert sources(index) == {"rates.csv", "semicolons.csv", "units.tsv", "server.log"}, report.skipped_files
    rates = index.search("east coast rate", k=1, mode="lexical")[0]
    assert rates.source == "rates.csv"
    assert rates.text.split("\n") == ["| region | rate | since |", "|---|---|---|", "| north | 4.5% | 2021 |",
                                      "| south | 3.9% | 2019 |", "| east, coast | 5.1% | 2022 |"]
    assert (rates.start_line, rates.end_line) == (1, 4)
    melon = index.search("melon", k=1, mode="lexical")[0]
    assert "| melon | green | large |" in melon.text.split("\n") and "| name | colour | size |" in melon.text
    assert "| kelvin | K |" in index.search("kelvin", k=1, mode="lexical")[0].text
    assert "night porter" in index.search("night porter", k=1, mode="lexical")[0].text
    # The offline answer quotes a row with its header.
    answer = index.ask("What is the rate of the east coast region?", model="extractive")
    assert "5.1%" in answer.text and "rate: 5.1%" in answer.text
    index.close()


def test_a_long_csv_is_cut_at_rows_each_chunk_under_its_header(tmp_path: Path) -> None:
    rows = "".join(f"item{n},{n * 7},batch {n % 13}\n" for n in range(1200))
    folder = write_tree(tmp_path / "data", {"stock.csv": "item,count,batch\n" + rows})
    index = DocIndex(tmp_path / "store", collection="docs")
    index.update(folder)
    chunks = index.catalog.chunk_count("docs")
    assert chunks > 20
    for hit in index.search("item1118", k=1, mode="lexical") + index.search("item17", k=1, mode="lexical"):
        lines = hit.text.split("\n")
        assert lines[:2] == ["| item | count | batch |", "|---|---|---|"]
        first_row = int(lines[2].split()[1].removeprefix("item"))  # item N stands at file line N + 2
        assert hit.start_line == (1 if first_row == 0 else first_row + 2)
        assert hit.end_line == first_row + len(lines) - 1
    index.close()


CELL = st.text(st.sampled_from("abcxyz019 ."), min_size=1, max_size=12).map(str.strip).filter(bool)


@SETTINGS
@given(width=st.integers(2, 5), records=st.data(), delimiter=st.sampled_from([",", "\t", ";"]),
       name=st.sampled_from(["t.csv", "t.tsv"]))
def test_a_csv_read_keeps_every_row_under_its_header_at_its_own_line(width: int, records, delimiter: str,
                                                                     name: str) -> None:
    rows = records.draw(st.lists(st.lists(CELL, min_size=width, max_size=width), min_size=1, max_size=60))
    stream = io.StringIO()
    csv.writer(stream, delimiter=delimiter, lineterminator="\n").writerows(rows)
    sections = read_sections(Path(name), stream.getvalue().encode())
    chunks = Chunker(200, 40).chunk(name, "hash", sections)
    rows = [[" ".join(cell.split()) for cell in row] for row in rows]  # a cell's white space is evened out
    header = "| " + " | ".join(rows[0]) + " |"
    number = 1  # file line of the last row seen: the chunks hold the rows in order, each once
    for chunk in chunks:
        lines = chunk.text.split("\n")
        assert lines[:2] == [header, "|" + "---|" * width] and chunk.start_line >= 1
        for line in lines[2:]:
            number += 1
            assert [c.strip() for c in line.strip("|").split("|")] == rows[number - 1]
            assert chunk.start_line <= number <= chunk.end_line
    assert number == len(rows)


@SETTINGS
@given(text=st.text(max_size=2000), name=st.sampled_from(["t.csv", "t.tsv"]))
def test_any_text_named_csv_is_read_never_an_error(text: str, name: str) -> None:
    try:
        sections = read_sections(Path(name), text.encode("utf-8", "surrogatepass"))
    except UnreadableFile as exc:
        assert exc.reason == "binary"
        return
    for chunk in Chunker(200, 40).chunk(name, "hash", sections):
        assert chunk.start_line >= 1 and chunk.end_line >= chunk.start_line


def test_a_csv_the_csv_module_cannot_parse_is_read_as_text() -> None:
    huge_field = "name,notes\nplum,\"" + "x" * 200_000 + "\"\n"  # over csv.field_size_limit()
    sections = read_sections(Path("t.csv"), huge_field.encode())
    assert sections and sections[0].text.startswith("name,notes")


def test_a_sites_404_page_is_skipped_named_and_can_be_included(tmp_path: Path) -> None:
    folder = write_tree(tmp_path / "site", {
        "index.html": "<h1>Home</h1><p>The vault opens at nine.</p>",
        "404.html": "<h1>404</h1><p>Page not found. Home Guide Reference</p>",
        "search/search_index.json": "{}", "sitemap.xml": "<urlset/>",
    })
    index = DocIndex(tmp_path / "store", collection="docs")
    report = index.update(folder)
    assert sources(index) == {"index.html"}
    assert ("404.html", "page-not-found page of a site build") in report.skipped_files
    assert "1 page-not-found page of a site build" in report.summary()
    index.update(folder, IndexOptions(includes=["404.html"]))
    assert sources(index) == {"index.html", "404.html"}
    index.close()
    done = subprocess.run([sys.executable, "-m", "jupyter_docchat.cli", "index", str(folder), "--json"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["added"] == 1


def test_rotated_logs_are_read_as_logs(tmp_path: Path) -> None:
    line = "2024-05-0{} 12:00:01 INFO vault opened by porter {}\n"
    folder = write_bytes(tmp_path / "logs", {
        "app.log": line.format(4, "delta").encode(), "app.log.1": line.format(3, "gamma").encode(),
        "app.log.2.gz": gzip.compress(line.format(2, "beta").encode()), "app.log-20240501": line.format(1, "alpha").encode(),
        "app.log.bak": b"not rotated by any tool we know", "backlog.1": b"a man page section, say",
    })
    index = DocIndex(tmp_path / "store", collection="logs")
    report = index.update(folder)
    assert sources(index) == {"app.log", "app.log.1", "app.log.2.gz", "app.log-20240501"}
    assert dict(report.skipped_files) == {"app.log.bak": "unsupported type", "backlog.1": "unsupported type"}
    for name, word in (("app.log.1", "gamma"), ("app.log.2.gz", "beta"), ("app.log-20240501", "alpha")):
        hit = index.search(f"porter {word}", k=1, mode="lexical")[0]
        assert (hit.source, hit.start_line) == (name, 1) and word in hit.text
    index.close()


def test_a_gzipped_404_page_beside_a_gzipped_index_is_skipped(tmp_path: Path) -> None:
    folder = write_bytes(tmp_path / "site", {
        "index.html.gz": gzip.compress(b"<h1>Home</h1><p>The vault opens at nine.</p>"),
        "404.html.gz": gzip.compress(b"<h1>404</h1><p>Page not found.</p>"),
        "own/404.html.gz": gzip.compress(b"<h1>Error 404</h1><p>Our proxy's page, which the user wrote.</p>"),
    })
    scan = scan_folder(folder)
    assert [rel for rel, _ in scan.files] == ["index.html.gz", "own/404.html.gz"]
    assert ("404.html.gz", "page-not-found page of a site build") in scan.skipped


def test_a_structured_log_of_json_lines_is_read_not_skipped_as_machine_length(tmp_path: Path) -> None:
    """Each line a JSON record of 600 characters or more: machine-length, mostly not words, as minified code is;
    but a log is the user's records, never build output. The same lines in a .txt are still skipped."""
    record = {"ts": "2024-05-01T12:00:01Z", "level": "ERROR", "logger": "vault.door",
              "msg": "the night porter could not open the vault", "trace": ["frame_%d" % n for n in range(40)]}
    lines = "".join(json.dumps({**record, "seq": n}) + "\n" for n in range(30))
    assert min(len(line) for line in lines.splitlines()) > 500
    folder = write_tree(tmp_path / "logs", {"service.log": lines, "service.log.1": lines.replace("night", "day"),
                                            "dump.txt": lines})
    index = DocIndex(tmp_path / "store", collection="logs")
    report = index.update(folder)
    assert sources(index) == {"service.log", "service.log.1"}
    assert dict(report.skipped_files) == {"dump.txt": "machine-length lines"}
    hit = index.search("night porter could not open the vault", k=1, mode="lexical")[0]
    assert hit.source == "service.log" and '"level": "ERROR"' in hit.text
    index.close()

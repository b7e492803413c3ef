"""Probe 5: rotated logs and a site's gzipped 404 page.

Python's own TimedRotatingFileHandler names its old logs ``app.log.2024-12-01`` (by the day) or
``app.log.2024-12-01_13-05-09`` (by the second, minute or hour), and logrotate's hourly dateext
``app.log-2024120113``: all were skipped as of an unsupported type while ``app.log.1`` was read.
A 404.html beside an INDEX.HTML was kept, though a 404.HTML beside an index.html is skipped.
"""

from __future__ import annotations

import gzip
import logging
import logging.handlers
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from jupyter_docchat import DocIndex
from jupyter_docchat.indexing.reading import ChunkerSpec, read_one
from jupyter_docchat.indexing.readers import format_suffix, reader_for
from jupyter_docchat.indexing.readers.gzipped import read_as
from jupyter_docchat.indexing.readers.manpage import read_manpage
from jupyter_docchat.indexing.scan import scan_folder
from jupyter_docchat.indexing.skips import NOT_FOUND_PAGE, SkipRules

SPEC = ChunkerSpec(800, 100, "minilm")


def rotate_with_python(folder: Path, when: str, word: str) -> str:
    """The name Python's TimedRotatingFileHandler gives a log it rotates (``when``: S, M, H or MIDNIGHT),
    holding one line with ``word``."""
    handler = logging.handlers.TimedRotatingFileHandler(folder / f"{word}.log", when=when, delay=True)
    try:
        handler.emit(logging.makeLogRecord({"msg": f"2024-12-01 13:05:09 INFO vault opened by porter {word}"}))
        handler.doRollover()
    finally:
        handler.close()
    (rotated,) = [p.name for p in folder.iterdir() if p.name.startswith(f"{word}.log.")]
    return rotated


def test_logs_rotated_by_python_and_hourly_logrotate_are_read_and_cited(tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    folder.mkdir()
    names = {word: rotate_with_python(folder, when, word)
             for word, when in (("seconds", "S"), ("minutes", "M"), ("hours", "H"), ("days", "MIDNIGHT"))}
    (folder / "app.log-2024120113").write_text("starting\n2024-12-01 13:00:00 INFO vault opened by porter hourly\n")
    names["hourly"] = "app.log-2024120113"
    index = DocIndex(tmp_path / "store")
    report = index.update(folder)
    try:
        assert report.skipped_files == [], report.summary()
        for word, name in names.items():
            hit = index.search(f"porter {word}", k=1, mode="lexical")[0]
            lines = (1, 2) if word == "hourly" else (1, 1)
            assert (hit.source, hit.start_line, hit.end_line) == (name, *lines) and word in hit.text
    finally:
        index.close()


@pytest.mark.parametrize("name", ["app.log.bak", "app.log.12345", "app.log.2024-12-01_13-05-09-11",
                                  "app.log.20241201", "app.log-2024120"])
def test_names_no_rotation_gives_stay_unsupported(name: str) -> None:
    assert reader_for(Path(name)) is None, format_suffix(Path(name))


@pytest.mark.parametrize("name", ["app.logs.1", "catalog.1"])
def test_a_log_named_like_a_manual_page_is_not_read_as_a_log(tmp_path: Path, name: str) -> None:
    """Since walk 40 "catalog.1" is a manual page's name: its reader reads roff and names anything else, so a log so
    named is still no rotated log, and is named "unsupported type" rather than read."""
    assert reader_for(Path(name)) is read_manpage
    path = tmp_path / name
    path.write_text("2024-12-01 12:00:00 INFO porter opened the vault\n")
    assert read_one(name, path, SPEC).skipped == "unsupported type"


# A rotated name as logrotate or Python writes one, in any case, perhaps gzipped.
_STAMPS = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31))
_ROTATIONS = st.one_of(
    st.integers(1, 9999).map(lambda n: f".{n}"),  # logrotate, RotatingFileHandler
    st.tuples(_STAMPS, st.sampled_from(["-%Y%m%d", "-%Y%m%d%H", ".%Y-%m-%d", ".%Y-%m-%d_%H", ".%Y-%m-%d_%H-%M",
                                        ".%Y-%m-%d_%H-%M-%S"])).map(lambda t: t[0].strftime(t[1])),
)
_NAMES = st.tuples(st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,10}", fullmatch=True),
                   st.sampled_from([".log", ".LOG", ".Log"]), _ROTATIONS, st.sampled_from(["", ".gz", ".GZ"]))


@settings(max_examples=25, deadline=None)
@given(parts=_NAMES)
def test_any_rotated_log_is_read_as_a_log_even_cut_by_a_crash(tmp_path_factory, parts) -> None:
    """A log cut by a crash holds a run of NULs, which only a log may hold: read as a log, it is kept,
    and its lines are counted as the file's."""
    name = "".join(parts)
    text = b"2024-12-01 boot alpha\n" + b"\x00" * 600 + b"\n2024-12-01 crash omega\n"
    path = tmp_path_factory.mktemp("rot") / name
    path.write_bytes(gzip.compress(text) if parts[-1] else text)
    assert format_suffix(read_as(path)) == ".log"
    result = read_one(name, path, SPEC)
    assert not result.skipped and result.chunks, result.skipped
    (chunk,) = result.chunks
    assert (chunk.start_line, chunk.end_line) == (1, 3) and chunk.text.endswith("crash omega")


def test_a_404_page_beside_an_index_page_in_capitals_is_skipped_and_can_be_included(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "INDEX.HTML.GZ").write_bytes(gzip.compress(b"<h1>Home</h1><p>The vault opens at nine.</p>"))
    (site / "404.html.gz").write_bytes(gzip.compress(b"<h1>404</h1><p>Page not found.</p>"))
    scan = scan_folder(site)
    assert [rel for rel, _ in scan.files] == ["INDEX.HTML.GZ"] and scan.skipped == [("404.html.gz", NOT_FOUND_PAGE)]
    included = scan_folder(site, rules=SkipRules(includes=("404.html.gz",)))
    assert [rel for rel, _ in included.files] == ["404.html.gz", "INDEX.HTML.GZ"] and included.skipped == []


# Names a folder of logs and site pages holds, and odd ones: a stem, then suffixes real and not.
_STEMS = st.sampled_from(["app", "404", "index", "INDEX", "a b", "\u00e9t\u00e9", "\u202eapp", "x.", "-"])
_SUFFIXES = st.sampled_from([".log", ".LOG", ".1", ".gz", ".GZ", "-20241201", ".2024-12-01", "_13", ".html", ".htm",
                             ".txt", ".md", ".99999", ".0", "."])
_FILE_NAMES = st.builds(lambda stem, suffixes: stem + "".join(suffixes), _STEMS, st.lists(_SUFFIXES, max_size=3))


@settings(max_examples=30, deadline=None)
@given(names=st.lists(_FILE_NAMES, min_size=1, max_size=4, unique=True))
def test_every_file_of_a_scan_is_read_or_named_with_its_reason(tmp_path_factory, names: list[str]) -> None:
    """The scan names every visible file, kept or skipped; a kept one is read when its name (gzipped or not)
    has a reader, and skipped as of an unsupported type when it has none: never dropped without a word."""
    folder = tmp_path_factory.mktemp("names")
    page = b"2024-12-01 12:00:00 INFO porter opened the vault\n<p>The vault opens at nine.</p>\n"
    for name in names:
        (folder / name).write_bytes(gzip.compress(page) if name.lower().endswith(".gz") else page)
    scan = scan_folder(folder)
    assert {rel for rel, _ in scan.files} | {rel for rel, _ in scan.skipped} == set(names)
    for rel, path in scan.files:
        result = read_one(rel, path, SPEC)
        # A manual page's name (app.1) has a reader that reads roff only: this page is none, so it is named.
        if reader_for(read_as(path)) in (None, read_manpage):
            assert result.skipped == "unsupported type", (rel, result.skipped)
        else:
            assert not result.skipped and result.chunks and result.chunks[0].start_line == 1, (rel, result.skipped)

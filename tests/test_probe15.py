"""Probe 15: an outside tester's failures in today's chunking, HTML reading, evaluation and fusion changes."""

from __future__ import annotations

from pathlib import Path

from jupyter_docchat.indexing.chunking import Chunker
from jupyter_docchat.indexing.readers import read_sections

BODY = "The function returns the parsed configuration as a dictionary keyed by section name. " * 12


def chunks_of(name: str, text: str, size: int = 800) -> list:
    return Chunker(size, 100).chunk(name, "hash", read_sections(Path(name), text.encode()))


def test_a_short_section_keeps_its_heading_over_a_long_sibling() -> None:
    # "Limits" and its small table were joined to "Usage" below as a title alone, the table cited as Usage.
    text = "# Guide\n\n## Limits\n\n| key | max |\n|---|---|\n| a | 1 |\n\n## Usage\n\n" + BODY + "\n"
    chunks = chunks_of("guide.md", text)
    table = [c for c in chunks if "| a | 1 |" in c.text]
    assert table and all("Usage" not in c.heading for c in table)
    assert all(c.heading == "Guide > Usage" for c in chunks if "parsed configuration" in c.text)


def test_a_title_alone_still_joins_the_section_under_it() -> None:
    text = "Changelog\n=========\n\nVersion 8.1.4\n-------------\n\n" + BODY + "\n"
    chunks = chunks_of("CHANGES.rst", text)
    assert chunks[0].text.startswith("Changelog\n=========") and "parsed" in chunks[0].text
    assert chunks[0].heading == "Changelog > Version 8.1.4"


def test_an_html_title_alone_joins_without_the_markup_lines_between() -> None:
    # The h1 alone, 200 empty divs above the h2: joined with 400 blank lines, cited from 2 to 403.
    body = "<p>" + "The server reads its configuration from the file named on the command line. " * 12 + "</p>\n"
    page = "<html><body>\n<h1>Manual</h1>\n" + "<div>\n</div>\n" * 200 + "<h2>Config</h2>\n" + body + "</body></html>\n"
    chunks = chunks_of("manual.html", page)
    first = chunks[0]
    assert first.text.startswith("Manual\n") and "\n\n\n" not in first.text and "Config" in first.text
    lines = page.split("\n")
    assert "Manual" in lines[first.start_line - 1]
    assert first.text.split("\n")[-1][:40] in lines[first.end_line - 1]

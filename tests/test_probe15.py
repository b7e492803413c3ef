"""Probe 15: an outside tester's failures in today's chunking, HTML reading, evaluation and fusion changes."""

from __future__ import annotations

from pathlib import Path

from jupyter_docchat.indexing.chunking import Chunker
from jupyter_docchat.indexing.readers import read_sections
from jupyter_docchat.types import HeadingTrail

from conftest import chunks_of

BODY = "The function returns the parsed configuration as a dictionary keyed by section name. " * 12


def test_a_short_section_keeps_its_heading_over_a_long_sibling() -> None:
    # "Limits" and its small table were joined to "Usage" below as a title alone, the table cited as Usage.
    text = "# Guide\n\n## Limits\n\n| key | max |\n|---|---|\n| a | 1 |\n\n## Usage\n\n" + BODY + "\n"
    chunks = chunks_of("guide.md", text)
    table = [c for c in chunks if "| a | 1 |" in c.text]
    assert table and all("Usage" not in c.heading for c in table)
    assert all(c.heading == "Guide > Usage" for c in chunks if "parsed configuration" in c.text)


def test_a_short_passage_under_a_title_keeps_its_heading_over_a_title_and_its_long_subsection() -> None:
    # "Limits" and its one line were short enough to pass for a title alone: joined with "Usage" and the long
    # "Flying" under it, the line was cited as "Guide > Usage > Flying".
    text = "# Guide\n\n## Limits\n\nUp to 3.\n\n## Usage\n\n### Flying\n\n" + BODY + "\n"
    chunks = chunks_of("guide.md", text)
    assert [c.heading for c in chunks if "Up to 3." in c.text] == ["Guide > Limits"]
    assert chunks[1].heading == "Guide > Usage > Flying" and chunks[1].text.startswith("## Usage\n\n### Flying")
    # Titles alone over it still join it, whatever markup and labels their titles hold.
    text = "(guide)=\n# Guide\n\n## **Usage** of `cfg`\n\n### Flying\n\n" + BODY + "\n"
    chunks = chunks_of("guide.md", text)
    # (A MyST target, "(guide)=", is no text of the page: walk 38.)
    assert chunks[0].text.startswith("# Guide\n\n## **Usage**") and chunks[0].heading == "Guide > Usage of cfg > Flying"
    assert chunks[0].start_line == 2


def test_each_release_of_a_changelog_is_cited_under_its_own_title() -> None:
    # A release of one short change ("### Fixed" and "- A fix" on the next line) was short enough to pass for a
    # title: the next release's title and changes were joined under it, and cited as the earlier release.
    releases = [("1.2.1", "Fixed", "Correct the sign of a negative exponent"), ("1.2.0", "Changed", "Drop Python 3.7"),
                ("1.1.9", "Fixed", "Spacing around symbols in text mode")]
    text = "# Changelog\n\n" + "".join(f"## [{v}] - 2022-05-03\n\n### {kind}\n- {change}\n\n"
                                     for v, kind, change in releases)
    chunks = chunks_of("CHANGELOG.md", text)
    for version, kind, change in releases:
        [chunk] = [c for c in chunks if change in c.text]
        release, cited = HeadingTrail.of(f"Changelog > [{version}] - 2022-05-03"), HeadingTrail.of(chunk.heading)
        assert cited.holds(release) or release.holds(cited), (version, chunk.heading)  # its own, or above it


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


PARA = "The quick brown fox jumps over the lazy dog while the server restarts. " * 3


def test_a_page_whose_content_is_a_note_box_keeps_its_sections() -> None:
    # <div class="note"> round the whole page: its h1 and h2s were read as lines, the page one section unheaded.
    page = (f"<html><body><div class='note'>\n<h1>Install</h1>\n<p>{PARA}</p>\n<h2>Linux</h2>\n<p>{PARA}</p>\n"
            f"<h2>Windows</h2>\n<p>{PARA}</p></div></body></html>")
    headings = [s.heading for s in read_sections(Path("install.html"), page.encode())]
    assert headings == ["Install", "Install > Linux", "Install > Windows"]


def test_a_note_box_label_is_still_a_line_inside_nested_boxes() -> None:
    page = (f"<html><body><h1>Top</h1><div class='warning'><div class='note'><h3>Note</h3><p>inner</p></div>"
            f"<h3>Warning</h3><p>{PARA}</p></div><h2>After</h2><p>{PARA}</p></body></html>")
    sections = read_sections(Path("top.html"), page.encode())
    assert [s.heading for s in sections] == ["Top", "Top > After"]
    assert "Note" in sections[0].text and "Warning" in sections[0].text


def test_an_expected_file_holding_the_key_is_refused_not_printed(tmp_path: Path) -> None:
    # The key pasted into "expected" was written in the report's HTML and JSON, named as a file not in the index.
    import pytest

    from jupyter_docchat import DocIndex
    from jupyter_docchat.retrieval.evaluation import EvalFileError

    from conftest import write_tree

    key = "sk-proj-ABCDEFGHIJKLMNOPQRSTUVWXYZ123456"
    docs = write_tree(tmp_path / "docs", {"bees.md": "# Bees\n\nHoneybees dance to show where the flowers are."})
    index = DocIndex(tmp_path / "store", api_key=key)
    index.update(docs)
    questions = [{"question": "Why do bees dance?", "expected": ["bees.md"]},
                 {"question": "Where are the flowers?", "expected": [f"{key}/bees.md"]}]
    with pytest.raises(EvalFileError) as caught:
        index.evaluate(questions)
    assert "question 2" in str(caught.value) and key not in str(caught.value)
    assert index.evaluate(questions[:1]).unindexed == []


def test_a_sentence_copied_from_a_bigger_page_ranked_above_it_is_still_a_repeat(tmp_path: Path) -> None:
    # near_bigger counted the shared triples against the bigger chunk in both orders: a one-sentence copy.md below
    # the page it was copied from (over 3.3 times its size) was no longer moved, the passage shown twice.
    from jupyter_docchat import DocIndex
    from jupyter_docchat.retrieval.fusion import SHIPPED

    from conftest import write_tree

    sentence = ("The walrus ferry leaves the northern harbour at seven every morning and returns from the island at "
                "six in the evening, weather permitting.")
    steps = " ".join(f"Stop {n} of the walrus ferry tour passes the {word} where tour guides tell of {n * 7} shipwrecks."
                     for n, word in enumerate(["lighthouse", "pier", "seal rocks", "old fort", "bird cliffs", "mill",
                                               "chapel", "quarry"], 1))
    files = {"tour.md": f"# Walrus ferry tour\n\n{sentence} {steps}\n", "copy.md": f"# Times\n\n{sentence}\n"}
    files.update({f"other{n}.md": f"# Other {n}\n\nUnrelated notes about trains and buses, number {n}.\n"
                  for n in range(6)})
    folder = write_tree(tmp_path / "docs", files)
    with DocIndex(tmp_path / "store") as index:
        index.update(folder)
        question = "walrus ferry tour stops shipwrecks lighthouse harbour morning"
        plain = [h.source for h in index.search(question, k=9, fusion=SHIPPED.but(near_repeat=0.0))]
        assert plain.index("tour.md") < plain.index("copy.md")  # the page first, the copy below it
        shown = [h.source for h in index.search(question, k=9)]  # every chunk: the copy moved last, not dropped
        assert shown[-1] == "copy.md" and len(shown) == 9, shown


def test_a_small_chunk_size_is_kept_when_every_piece_is_short() -> None:
    # chunk_size 50 (the least allowed): every piece was under 80 characters, a sliver, and they were joined one to
    # the next: the whole section was one chunk of 9,697 characters, the code file one of 8,477.
    notes = "# Notes\n\n" + "\n\n".join(f"Paragraph {i} says a short thing about ferries." for i in range(200)) + "\n"
    code = "".join(f"def g{i}():\n    return {i}\n\n\n" for i in range(300))
    for name, text in (("notes.md", notes), ("tools.py", code)):
        for size in (50, 80, 100):
            chunks = Chunker(size, 10).chunk(name, "hash", read_sections(Path(name), text.encode()))
            assert len(chunks) > 50 and max(len(c.text) for c in chunks) <= size + size // 10, (name, size)
            lines = text.split("\n")
            for c in chunks:
                assert c.text.split("\n")[0].strip() in lines[c.start_line - 1]
                assert c.text.split("\n")[-1].strip() in lines[c.end_line - 1]

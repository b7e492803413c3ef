"""Probe 10: a Sphinx page source copied as Sphinx writes it ("guide.rst.txt", "intro.md.txt": a build's _sources/,
or the rst/ folder Debian ships beside the HTML, as python-pytest-doc does) was read as plain text: one section
with no heading trail, and answers quoting reStructuredText's underlines ("The ``tmp_path`` fixture ------")."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest
from conftest import write_tree

from jupyter_docchat import DocIndex
from jupyter_docchat.indexing.readers import format_suffix

RST = ("How to use temporary files\n==========================\n\nIntro text.\n\n"
       "The tmp_path fixture\n--------------------\n\nThe tmp_path fixture returns a pathlib.Path to a fresh folder.\n\n"
       "The tmpdir fixture\n------------------\n\nThe tmpdir fixture returns a legacy py.path object.\n")


@pytest.mark.parametrize(("name", "suffix"), [("guide.rst.txt", ".rst"), ("intro.md.txt", ".md"), ("GUIDE.RST.TXT", ".rst"),
                                             ("notes.txt", ".txt"), ("version.1.txt", ".txt"), (".rst.txt", ".txt"),
                                             ("a.markdown.txt", ".markdown")])
def test_a_page_source_is_read_as_its_own_format(name: str, suffix: str) -> None:
    assert format_suffix(PurePosixPath(name)) == suffix


def test_a_page_source_has_its_sections(tmp_path: Path) -> None:
    docs = write_tree(tmp_path / "rst", {"how-to/tmp_path.rst.txt": RST})
    with DocIndex(tmp_path / "store") as index:
        index.update(docs)
        chunks = index.file_chunks("how-to/tmp_path.rst.txt")
        assert chunks[0].heading.startswith("How to use temporary files")  # was "": no heading as text
        answer = index.ask("What does the tmp_path fixture return?")
        assert "returns a pathlib.Path" in answer.text and "-----" not in answer.text
        first = answer.sources[0]
        lines = (docs / first.file).read_text().splitlines()
        start, end = (int(n) for n in first.location.removeprefix("lines ").split("-"))
        assert "The tmp_path fixture returns a pathlib.Path" in "\n".join(lines[start - 1:end])


def test_a_section_titles_underline_is_no_unit_of_an_answer() -> None:
    from jupyter_docchat.qa.answer_units import split_units

    text = ("=======\nOverview\n=======\n\nThe overview says little.\n\nThe tmp_path fixture\n--------------------\n\n"
            "It returns a pathlib.Path.\n\nSetext in Markdown\n------------------\n\nA line.\n")
    units = split_units(text)
    assert all(set(u.text.strip()) - set("=-") for u in units), [u.text for u in units]
    assert [u.text for u in units if "returns" in u.text][0].startswith("It returns")
    assert any(u.section == "The tmp_path fixture" for u in units)

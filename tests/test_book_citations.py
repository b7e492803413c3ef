"""A book whose chapter is named as the book itself (systemd's HACKING.md as an EPUB: the book "Hacking on systemd",
its first chapter "Hacking on systemd") was cited "part 2" (helper sheets36; 10 chunks of the books folder): the
trail names the book once, and no reader finds a "part 2" in the book. Such a page is cited by the book's name, as
its contents list it; a chapter named by some of the book's words ("Systemd", a chapter of it) keeps its own name.
Every book is made here (bookgen.epub_bytes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bookgen import epub_bytes, xhtml

from jupyter_docchat import DocIndex
from jupyter_docchat.indexing.readers import read_sections


def _hacking(version: int) -> bytes:
    pages = [("hacking.xhtml", xhtml("<h1>Hacking on systemd</h1><p>We welcome all contributions to systemd. "
                                     "Build clean OS images with mkosi before you send a pull request.</p>")),
             ("style.xhtml", xhtml("<h1>Coding style</h1><p>Indent with eight spaces, never tabs.</p>")),
             ("notes.xhtml", xhtml("<p>Release notes are kept in NEWS, one entry for each change.</p>"))]
    return epub_bytes("Hacking on systemd", pages, version=version,
                      toc={"hacking.xhtml": "Hacking on systemd", "style.xhtml": "Coding style",
                           "notes.xhtml": "Systemd"})


@pytest.mark.parametrize("version", [2, 3])
def test_a_chapter_named_as_the_book_is_cited_by_that_name_a_chapter_of_some_of_its_words_by_its_own(
        version: int, tmp_path: Path) -> None:
    sections = read_sections(Path("hacking.epub"), _hacking(version))
    assert [(s.heading, s.page) for s in sections] == [
        ("Hacking on systemd", 1), ("Hacking on systemd > Coding style", 2), ("Hacking on systemd > Systemd", 3)]
    folder = tmp_path / "books"
    folder.mkdir()
    (folder / "hacking.epub").write_bytes(_hacking(version))
    with DocIndex(tmp_path / "store") as index:
        index.update(folder)
        hits = index.search("mkosi tabs NEWS", k=5, mode="lexical")
    cited = {word: hit.location for hit in hits for word in ("mkosi", "tabs", "NEWS") if word in hit.text}
    assert cited == {"mkosi": "Hacking on systemd", "tabs": "Coding style", "NEWS": "Systemd"}, cited

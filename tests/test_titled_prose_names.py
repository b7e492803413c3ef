"""A README, CHANGES or changelog without a suffix that is written with underlined titles is read at its titles.

Debian installs upstream's changelog.rst as /usr/share/doc/PKG/changelog.gz (dh_installchangelogs), and READMEs
without their suffix: python-mako-doc's changelog.gz was read as one section of text, 103 chunks without a heading
trail. One that opens with no title is read as before; a Makefile or LICENSE is never read as reST.
"""

from __future__ import annotations

import gzip
from pathlib import Path

from jupyter_docchat.indexing.chunking import Chunker
from jupyter_docchat.indexing.readers import read_sections, unpacked

ENTRY = ("    .. change::\n        :tags: bug, lexer\n\n        Fixed issue in lexer where the regexp used to match"
         " tags would not correctly\n        interpret quoted sections individually.\n\n")
CHANGELOG = ("\n=========\nChangelog\n=========\n\n1.2\n===\n\n.. changelog::\n    :version: 1.2.4\n\n"
             + ENTRY * 3 + "1.1\n===\n\n.. changelog::\n    :version: 1.1.6\n\n" + ENTRY * 3)


def test_a_suffixless_changelog_in_rest_is_read_at_its_titles() -> None:
    sections = read_sections(Path("changelog"), CHANGELOG.encode())
    assert [s.heading for s in sections] == ["Changelog", "Changelog > 1.2", "Changelog > 1.1"]
    assert sections[2].text.startswith("1.1\n===")
    assert sections[2].start_line == CHANGELOG.split("\n").index("1.1") + 1


def test_a_gzipped_one_as_debian_installs_it_too() -> None:
    path, data = unpacked(Path("changelog.gz"), gzip.compress(CHANGELOG.encode()), 1 << 20)
    chunks = Chunker(800, 100).chunk("changelog.gz", "hash", read_sections(path, data))
    assert {c.heading for c in chunks} == {"Changelog > 1.2", "Changelog > 1.1"}


def test_one_without_a_title_and_other_names_read_as_text() -> None:
    plain = "2024-05-01  Ana\n\n\t* Fixed the lexer.\n\n2024-04-01  Ana\n\n\t* First release.\n"
    assert [s.heading for s in read_sections(Path("ChangeLog"), plain.encode())] == [""]
    makefile = "all\n---\n\nbuild:\n\tcc -o x x.c\n"
    assert [s.heading for s in read_sections(Path("Makefile"), makefile.encode())] == [""]
    license_ = "MIT License\n===========\n\nPermission is hereby granted, free of charge.\n"
    assert [s.heading for s in read_sections(Path("LICENSE"), license_.encode())] == [""]
    assert [s.heading for s in read_sections(Path("notes.txt"), CHANGELOG.encode())] == [""]

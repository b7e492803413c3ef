"""Debian's license file, /usr/share/doc/PKG/copyright, is read as text, as a checkout's LICENSE is.

Indexing an installed manual (python-mako-doc's /usr/share/doc/python-mako-doc) named it "unsupported type", and
"What license is Mako under?" was answered from a changelog entry about Pygments.
"""

from __future__ import annotations

from pathlib import Path

from jupyter_docchat.indexing.readers import format_suffix, read_sections, reader_for

COPYRIGHT = """Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: mako
Source: https://github.com/sqlalchemy/mako

Files: *
Copyright: 2006-2022 the Mako authors and contributors
License: Expat

License: Expat
 Permission is hereby granted, free of charge, to any person obtaining a copy
 of this software and associated documentation files (the "Software"), to deal
 in the Software without restriction.
"""


def test_a_debian_copyright_file_is_read_as_text() -> None:
    path = Path("usr/share/doc/python-mako-doc/copyright")
    assert format_suffix(path) == ".txt" and reader_for(path) is not None
    text = "\n".join(section.text for section in read_sections(path, COPYRIGHT.encode()))
    assert "License: Expat" in text and "2006-2022 the Mako authors" in text


def test_a_copyright_with_a_suffix_is_read_by_its_suffix() -> None:
    assert format_suffix(Path("copyright.html")) == ".html"
    assert reader_for(Path("copyright.png")) is None

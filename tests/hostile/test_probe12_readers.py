"""Probe 12: readers. A UTF-8 file with one bad byte (a log cut mid-character by a crash or `head -c`, a stray
Latin-1 byte pasted in) was decoded whole as cp1252: every accented or non-Latin letter became mojibake, and a
search for "café" found nothing."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings, strategies as st

from jupyter_docchat import DocIndex
from jupyter_docchat.indexing.readers import decode, read_sections

TEXT = "# Café\n\nLe café est très bon à Zürich. 日本語のテキストです。\n"


def test_a_utf8_file_cut_mid_character_keeps_its_letters() -> None:
    data = (TEXT + "The end: é").encode("utf-8")[:-1]  # the last letter's second byte lost
    text = "".join(s.text for s in read_sections(Path("notes.md"), data))
    assert "café est très bon à Zürich" in text and "日本語" in text


def test_a_utf8_file_with_a_stray_latin1_byte_keeps_its_letters() -> None:
    data = TEXT.encode("utf-8") + b"price: 5\xa3\n"  # a pound sign pasted from a Latin-1 file
    text = decode(data)
    assert "café est très bon" in text and "price: 5" in text


def test_a_cp1252_file_is_still_read_as_cp1252() -> None:
    assert decode("Le café est très bon, “quoted” – 5 €\n".encode("cp1252")) == "Le café est très bon, “quoted” – 5 €\n"


def test_a_search_finds_the_words_of_a_file_cut_mid_character(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "app.log").write_bytes(("2026-12-05 INFO Zürich café reopened\n" * 3 + "2026-12-05 ERROR é").encode()[:-1])
    with DocIndex(tmp_path / "store") as index:
        index.update(docs)
        hits = index.search("Zürich café", k=1, mode="lexical")
    assert hits and "Zürich café" in hits[0].text


@settings(max_examples=200, deadline=None)
@given(text=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=200),
       junk=st.binary(min_size=1, max_size=2), at=st.floats(0, 1))
def test_a_utf8_text_with_a_byte_or_two_gone_wrong_keeps_the_rest(text, junk, at) -> None:
    # any text whose non-ASCII letters outnumber the bad bytes: the letters around them are read as written
    data = text.encode("utf-8")
    cut = len(text[: int(at * len(text))].encode("utf-8"))
    broken = data[:cut] + junk + data[cut:]
    multibyte = sum(1 for c in text if ord(c) > 127)
    try:
        broken.decode("utf-8")
        return  # still valid: nothing to see
    except UnicodeDecodeError:
        pass
    if multibyte > 2 * len(junk):
        decoded = decode(broken)
        head, tail = decode(data[:cut]), decode(data[cut:])
        # each side of the bad bytes as it was written (the clean-up of white space and controls aside)
        assert head.strip()[:-1] in decoded and tail.strip()[1:] in decoded


def _page(body: str) -> str:
    return "".join(s.text for s in read_sections(Path("page.html"), f"<html><body>{body}</body></html>".encode()))


def test_a_line_break_tag_in_a_code_block_breaks_the_line() -> None:
    # <pre>ls -la<br>cd /srv</pre> (a wiki's, a mail's or Word's code block) was read "ls -lacd /srv"
    text = _page("<h1>Setup</h1><pre>ls -la<br>cd /srv<br/>make install</pre><p>Then reboot.</p>")
    assert "ls -la\ncd /srv\nmake install" in text


def test_a_line_break_tag_in_a_heading_parts_its_words() -> None:
    # <h1>Release<br>notes</h1> was the heading "Releasenotes": the trail and a search for "release notes" missed it
    sections = read_sections(Path("page.html"), b"<h1>Release<br>notes</h1><p>The first release.</p>")
    assert sections[0].heading == "Release notes" and "Releasenotes" not in "".join(s.text for s in sections)


def test_the_lines_below_a_code_block_with_line_break_tags_keep_their_file_lines(tmp_path: Path) -> None:
    page = "<html><body><h1>Setup</h1>\n<pre>ls<br>cd /srv<br>make</pre>\n<p>filler</p>\n" + "<p>para</p>\n" * 40 \
           + "<h2>Walrus</h2>\n<p>The walrus ferry leaves at noon.</p>\n</body></html>\n"
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.html").write_text(page)
    with DocIndex(tmp_path / "store") as index:
        index.update(tmp_path / "docs")
        hit = next(h for h in index.file_chunks("page.html") if "walrus ferry" in h.text)
    walrus = next(n for n, line in enumerate(page.split("\n"), 1) if "walrus ferry" in line)
    assert hit.start_line <= walrus == hit.end_line  # the breaks the tags make are no lines of the file


_TAGS = st.sampled_from(["span", "b", "code", "a", "em", "br", "i"])
_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="<>&"), max_size=12)


@st.composite
def _fragments(draw, depth: int = 0) -> str:
    out = []
    for _ in range(draw(st.integers(0, 4))):
        if depth < 3 and draw(st.booleans()):
            tag = draw(_TAGS)
            out.append(f"<{tag}>" if tag == "br" else f"<{tag}>{draw(_fragments(depth + 1))}</{tag}>")
        else:
            out.append(draw(_TEXT))
    return "".join(out)


@settings(max_examples=200, deadline=None)
@given(inner=_fragments())
def test_a_code_blocks_text_is_its_text_with_a_line_break_for_each_br(inner) -> None:
    # whatever the markup inside a <pre>: its parts, joined by line breaks, are the text lxml reads there, and
    # there is one line break more for each <br>
    from lxml import etree

    from jupyter_docchat.indexing.readers.html import _broken_text
    from jupyter_docchat.indexing.readers.html_tables import text_content

    doc = etree.fromstring(f"<html><body><pre>{inner}</pre></body></html>".encode(), etree.HTMLParser(encoding="utf-8"))
    pre = doc.find(".//pre")
    parts = _broken_text(pre)
    assert "".join(parts) == text_content(pre)
    assert len(parts) == 1 + len(pre.findall(".//br"))

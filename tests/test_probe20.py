"""Probe 20: an outside tester's failures in the newest changes: the chunking of a short passage under a title
(``_title_alone``, ``_title_over``), redirect notices known at read time, Pygments' line numbers left out of HTML."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import chunks_of, grows_linearly, write_tree
from hypothesis import given, settings
from hypothesis import strategies as st

from jupyter_docchat import DocIndex
from jupyter_docchat.indexing.chunking import Chunker
from jupyter_docchat.indexing.readers import read_sections
from jupyter_docchat.indexing.readers.html import html_sections
from jupyter_docchat.types import HeadingTrail

BODY = "The function returns the parsed configuration as a dictionary keyed by section name. " * 12


# -- chunking: a short passage under a title, a title alone -------------------------------------------------------

def test_a_passage_right_under_its_title_is_not_a_title_alone() -> None:
    # With no blank line between the title and its one line (Markdown and reST allow it, LaTeX does not care), the
    # section was one short block holding its title's words, taken for a title alone: "Up to 3." was joined with
    # "Usage" and the long "Flying" under it and cited as "Guide > Usage > Flying", the failure readers 27 fixed.
    for name, text in (
            ("guide.md", "# Guide\n\n## Limits\nUp to 3.\n\n## Usage\n\n### Flying\n\n" + BODY + "\n"),
            ("guide.rst", "Guide\n=====\n\nLimits\n------\nUp to 3.\n\nUsage\n-----\n\nFlying\n~~~~~~\n\n" + BODY + "\n"),
            ("guide.tex", "\\section{Guide}\n\n\\subsection{Limits}\nUp to 3.\n\n\\subsection{Usage}\n\n"
                          "\\subsubsection{Flying}\n\n" + BODY + "\n")):
        chunks = chunks_of(name, text)
        assert [c.heading for c in chunks if "Up to 3." in c.text] == ["Guide > Limits"], (name, chunks)
        flying = [c for c in chunks if "parsed configuration" in c.text]
        assert flying and all(c.heading == "Guide > Usage > Flying" for c in flying), name
    # A LaTeX title's \label below it is still a title alone: it joins what it heads.
    text = "\\section{Guide}\n\n\\subsection{Usage}\n\\label{sec:usage}\n\n\\subsubsection{Flying}\n\n" + BODY + "\n"
    chunks = chunks_of("guide.tex", text)
    assert chunks[0].text.startswith("\\section{Guide}") and "\\label{sec:usage}" in chunks[0].text
    assert chunks[0].heading == "Guide > Usage > Flying"


def test_a_title_of_marks_alone_joins_what_it_heads() -> None:
    # A title with no letters ("🚀", "...") has no words to find in its text: it was read as a short passage, and the
    # titles above it ended there, a chunk "# Guide\n\n## 🚀" with nothing of its own (readers 27's _title_alone).
    for title in ("🚀", "...", "★ ★"):
        text = f"# Guide\n\n## {title}\n\n### Flying\n\n" + BODY + "\n"
        chunks = chunks_of("guide.md", text)
        assert chunks[0].text.startswith(f"# Guide\n\n## {title}\n\n### Flying\n\nThe function"), (title, chunks[0].text)
        assert all(c.heading == f"Guide > {title} > Flying" for c in chunks), title
        page = (f"<html><head><title>Guide</title></head><body><h1>Guide</h1>\n<h2>{title}</h2>\n<h3>Flying</h3>\n"
                f"<p>{BODY}</p></body></html>")
        chunks = chunks_of("guide.html", page)
        assert chunks[0].text.startswith(f"Guide\n\n{title}\n\nFlying"), (title, chunks[0].text)


def test_a_title_written_with_escapes_or_entities_joins_what_it_heads() -> None:
    for source, title in (("foo\\_bar", "foo_bar"), ("Caf&eacute; menu", "Café menu")):
        chunks = chunks_of("guide.md", f"# Guide\n\n## {source}\n\n### Flying\n\n" + BODY + "\n")
        assert chunks[0].text.startswith(f"# Guide\n\n## {source}\n\n### Flying"), chunks[0].text
        assert chunks[0].heading == f"Guide > {title} > Flying"


def test_a_short_passage_with_a_title_alone_under_it_keeps_its_heading() -> None:
    # "Start the engine." and the empty "Checklist" under it were cited as "Launch > Checklist": a chunk opening with a
    # short passage was taken to open with a title alone, and named after the one section it was joined with.
    text = "# Launch\n\nStart the engine.\n\n## Checklist\n\n# Landing\n\n" + BODY + "\n"
    chunks = chunks_of("flight.md", text)
    assert [c.heading for c in chunks if "Start the engine." in c.text] == ["Launch"]
    # A title alone joined with the one section it heads still takes that section's trail.
    text = "# Launch\n\n## Checklist\n\nFuel, flaps, trim.\n\n# Landing\n\n" + BODY + "\n"
    chunks = chunks_of("flight.md", text)
    assert [c.heading for c in chunks if "Fuel, flaps" in c.text] == ["Launch > Checklist"]


TITLES = ["Usage", "Limits", "**Bold** title", "`code` call", "[Link](http://x.org) here", "🚀", "限制 条件",
          "שלום עולם", "...", "Flying", "Version 1.2.0", "Setup & config"]
SECTION = st.tuples(st.integers(1, 4), st.sampled_from(TITLES), st.booleans(),
                    st.lists(st.sampled_from([1, 3, 40, 120]), max_size=2))


def _markdown(sections: list) -> str:
    lines, level = [], 0
    for n, (depth, title, tight, paragraphs) in enumerate(sections):
        level = min(depth, level + 1)
        lines.append("#" * level + " " + title)
        for p, words in enumerate(paragraphs):
            if not (tight and p == 0):  # tight: the passage right under its title, no blank line between
                lines.append("")
            lines.append(f"tok{n}x{p} " + " ".join(["word"] * words) + ".")
        lines.append("")
    return "\n".join(lines)


@settings(max_examples=100, deadline=None)
@given(st.lists(SECTION, min_size=2, max_size=8))
def test_chunks_keep_every_passage_once_at_its_lines_under_a_heading_that_holds_it(sections: list) -> None:
    """Over random titles (markup, emoji, CJK, RTL, punctuation) and passages: every passage is in one chunk, each
    chunk's first and last lines are cited at their file lines, and a chunk cited under a section after its first
    (a title alone joined to what it heads) is cited under a section with a passage in it, whose trail holds every
    passage of the chunk above it: none is cited under a sibling's subsection ("Limits", "Up to 3." as "Usage >
    Flying") or under an empty title below it ("Launch", "Start the engine." as "Launch > Checklist")."""
    text = _markdown(sections)
    found = read_sections(Path("doc.md"), text.encode())
    chunks = Chunker(800, 0).chunk("doc.md", "h", found)
    lines = text.split("\n")
    spans = [(s.start_line, s.start_line + s.text.rstrip("\n").count("\n"), s) for s in found]
    seen: dict[str, int] = {}
    for chunk in chunks:
        tokens = re.findall(r"tok\d+x\d+", chunk.text)
        for token in tokens:
            seen[token] = seen.get(token, 0) + 1
        texts = chunk.text.split("\n")
        assert lines[chunk.start_line - 1].strip() == texts[0].strip(), (chunk, text)
        assert lines[chunk.end_line - 1].strip() == texts[-1].strip(), (chunk, text)
        inside = [s for first, last, s in spans if first <= chunk.end_line and last >= chunk.start_line]
        if not inside or inside[0].heading == chunk.heading:
            continue
        # the last of its sections under that heading: a title may be written twice in a row ("## Flying" twice)
        cited = max(n for n, s in enumerate(inside) if s.heading == chunk.heading)
        passages = [n for n, s in enumerate(inside) if set(re.findall(r"tok\d+x\d+", s.text)) & set(tokens)]
        assert not passages or cited in passages, (chunk.heading, chunk.text, text)
        for n in passages:
            if n < cited:
                assert HeadingTrail.of(inside[n].heading).holds(HeadingTrail.of(chunk.heading)), (chunk, text)
    assert all(seen.get(token) == 1 for token in re.findall(r"tok\d+x\d+", text)), (seen, text)


# -- redirect notices ------------------------------------------------------------------------------------------------

NOTICE = ('<!doctype html><html><head><meta charset="utf-8"><title>Redirecting...</title>\n'
          '{meta}</head><body>Redirecting...</body></html>\n')


def test_redirect_notices_written_otherwise_are_skipped_and_named(tmp_path: Path) -> None:
    # Each was read as a passage "Redirecting...": the meta tag's content before its http-equiv (minifiers write
    # attributes in any order), unquoted attributes, a page saved as UTF-16, a comment holding a ">".
    refresh = '<meta http-equiv="refresh" content="0; url=../guide/">'
    folder = write_tree(tmp_path / "site", {
        "guide/index.html": "<html><body><h1>Guide</h1><p>Dials show the pressure of the boiler in bars.</p></body></html>",
        "order.html": NOTICE.format(meta='<meta content="0; url=../guide/" http-equiv="refresh">'),
        "bare.html": NOTICE.format(meta="<meta http-equiv=refresh content=0;URL=../guide/>"),
        "comment.html": NOTICE.format(meta=refresh).replace(
            "<body>", "<body><!-- old -> new: kept for the links people bookmarked before the move of the guide -->"),
        "reload.html": NOTICE.format(meta='<meta http-equiv="refresh" content="30">'),
    })
    (folder / "wide.html").write_bytes(NOTICE.format(meta=refresh).encode("utf-16"))
    with DocIndex(tmp_path / "store", collection="docs") as index:
        report = index.update(folder)
        skipped = dict(report.skipped_files)
        for name in ("order.html", "bare.html", "comment.html", "wide.html"):
            assert skipped.get(name) == "redirect to another page", (name, report.skipped_files)
        # A refresh with no address is a page reloading itself, not a notice: read.
        assert set(index.catalog.files("docs")) == {"guide/index.html", "reload.html"}
        assert "wide.html (redirect to another page)" in str(report)


def test_a_notice_of_a_sentence_or_two_is_skipped_and_a_short_page_with_a_refresh_is_read(tmp_path: Path) -> None:
    # Probe 20's leftover: a notice of more than a dozen words (a sentence telling what to click, a <noscript> one)
    # was read as a passage.
    refresh = '<meta http-equiv="refresh" content="0; url=../guide/">'
    told = ("<p>This page has moved. If you are not redirected automatically, follow this "
            "<a href='../guide/'>link to the new page</a>.</p>")
    hidden = "<noscript><p>" + " ".join(["Your browser runs no scripts, so follow the link below by hand."] * 3) + "</p></noscript>"
    page = " ".join(["The boiler's dial shows the pressure in bars, and the valve opens at three."] * 3)
    folder = write_tree(tmp_path / "site", {
        "guide/index.html": "<html><body><h1>Guide</h1><p>Dials show the pressure of the boiler in bars.</p></body></html>",
        "told.html": NOTICE.format(meta=refresh).replace("<body>Redirecting...", f"<body>{told}"),
        "hidden.html": NOTICE.format(meta=refresh).replace("<body>", f"<body>{hidden}"),
        "page.html": NOTICE.format(meta=refresh).replace("<body>Redirecting...", f"<body><p>{page}</p>"),
    })
    with DocIndex(tmp_path / "store", collection="docs") as index:
        report = index.update(folder)
        skipped = dict(report.skipped_files)
        assert skipped.get("told.html") == skipped.get("hidden.html") == "redirect to another page", report.skipped_files
        assert set(index.catalog.files("docs")) == {"guide/index.html", "page.html"}  # 42 words of its own: a page


# -- Pygments' line numbers ------------------------------------------------------------------------------------------

def _numbered(lines: int) -> str:
    # Sphinx's :linenos: with the inline style over a plain-text block: a span before each line, no other span.
    body = "".join(f'<span class="linenos">{n}</span>line {n} of the boiler log\n' for n in range(1, lines + 1))
    return f'<html><body><div class="highlight"><pre><span></span>{body}</pre></div></body></html>'


def test_numbered_lines_are_read_without_their_numbers_in_linear_time() -> None:
    # Each number's span was dropped with its tail moved onto the element before, which grew by a line each time:
    # 20,000 lines took 11 s, four times as many lines sixteen times as long.
    sections = html_sections(_numbered(3))
    assert [s.text for s in sections] == ["line 1 of the boiler log\nline 2 of the boiler log\nline 3 of the boiler log"]
    grows_linearly(html_sections, _numbered, (3000, 12000))


def _highlighted(lines: int) -> str:
    # A long listing, each line one highlighted token: a <pre> of thousands of spans.
    body = "".join(f'<span class="s">"{n} {"x" * 80}"</span>\n' for n in range(lines))
    return f"<html><body><pre>{body}</pre></body></html>"


def test_a_code_block_of_many_spans_is_read_in_linear_time() -> None:
    # A <pre>'s text was grown a span at a time in a list: copied whole at each span.
    grows_linearly(html_sections, _highlighted, (10000, 40000))


def test_an_empty_title_over_a_sibling_s_passage_is_cited_under_the_sibling() -> None:
    # Probe 20's leftover: "# Notes" with nothing under it, then "# Limits" and its line, was cited as Notes. Django's
    # front page read so: its site line over "Django documentation" and its sentence, cited under the site line.
    [chunk] = chunks_of("guide.md", "# Notes\n\n# Limits\n\nUp to 3 boilers a site.\n")
    assert chunk.heading == "Limits" and "Up to 3 boilers a site." in chunk.text
    [chunk] = chunks_of("guide.md", "# Launch\n\nStart the engine.\n\n## Checklist\n")  # a passage, then an empty title
    assert chunk.heading == "Launch"
    [chunk] = chunks_of("guide.md", "# Guide\n\n## Usage\n\nTurn the dial.\n")  # a title over what it heads: as before
    assert chunk.heading == "Guide > Usage"

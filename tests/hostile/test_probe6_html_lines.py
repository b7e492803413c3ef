"""Probe 6: the lines an HTML page's chunks cite are the page's own lines.

A page of 61 lines whose last paragraph was at line 60 was cited as "page.html (lines 106-118)": the reader
counted the lines of the page's text as it lays it out (a blank line after every paragraph), from the
heading's line on, so every citation after the first paragraphs drifted, and past the end of the file (675
chunks of 400 pages under /usr/share/doc). A gzipped page did the same. Each line of the text now carries
the file line it came from; the text itself is unchanged.
"""

from __future__ import annotations

import gzip
from pathlib import Path

from hypothesis import given, settings, strategies as st

from jupyter_docchat import DocIndex
from jupyter_docchat.indexing.chunking import Chunker
from jupyter_docchat.indexing.readers.html import html_sections


def page(paragraphs: int) -> str:
    lines = ["<html><head><title>T</title></head><body>", "<h1>Top</h1>"]
    lines += [f"<p>filler paragraph number {n} about nothing</p>" for n in range(3, paragraphs + 3)]
    lines += ["<p>The guanabana knob is at the end.</p>", "</body></html>"]
    return "\n".join(lines) + "\n"


def test_a_paragraph_is_cited_at_its_line_in_a_page_and_a_gzipped_page(tmp_path: Path) -> None:
    folder = tmp_path / "site"
    folder.mkdir()
    text = page(57)  # the guanabana paragraph is line 60 of 61
    (folder / "page.html").write_text(text)
    (folder / "old.html.gz").write_bytes(gzip.compress(text.replace("guanabana", "salak").encode()))
    index = DocIndex(tmp_path / "store")
    index.update(folder)
    for word, source in (("guanabana", "page.html"), ("salak", "old.html.gz")):
        hit = index.search(word, k=1, mode="lexical")[0]
        assert hit.source == source and hit.start_line <= 60 == hit.end_line, (hit.start_line, hit.end_line)
    for hit in index.file_chunks("page.html"):  # paragraph n is on line n, the heading on line 2
        first = 2 if hit.text.startswith("Top") else int(hit.text.split("number ", 1)[1].split()[0])
        assert hit.start_line == first and hit.end_line <= 61
    index.close()


def test_a_tables_rows_are_cited_at_their_lines() -> None:
    rows = "\n".join(f"<tr><td>row{n}</td><td>{n}</td></tr>" for n in range(5, 105))
    markup = f"<html><body>\n<h1>Table</h1>\n<table>\n<tr><th>Name</th><th>Value</th></tr>\n{rows}\n</table>\n</body></html>\n"
    chunks = Chunker(300, 50).chunk("t.html", "h", html_sections(markup))
    assert len(chunks) > 5
    for chunk in chunks:
        cited = [int(line.split("row", 1)[1].split()[0]) for line in chunk.text.split("\n") if "| row" in line]
        first = 2 if chunk is chunks[0] else min(cited)  # the heading is on line 2; later pieces repeat it
        assert cited and (chunk.start_line, chunk.end_line) == (first, max(cited)), chunk


def test_lines_past_the_parsers_count_are_counted_on() -> None:
    """libxml2 gives line 65535 for every line after it: a page of 70,000 lines cited them all there."""
    lines = ["<html><body>", "<h1>Log</h1>", *(f"<p>entry {n} word{n}</p>" for n in range(3, 70_003)), "</body></html>"]
    chunks = Chunker(800, 100).chunk("big.html", "h", html_sections("\n".join(lines)))
    for word, line in (("word65534", 65534), ("word65536", 65536), ("word69999", 69999), ("word70002", 70002)):
        holder = next(c for c in chunks if word in c.text.split())
        assert holder.start_line <= line <= holder.end_line <= 70_003, (word, holder.start_line, holder.end_line)


# Blocks of a page, each given the tokens it holds and the lines they stand on (relative to the block's first).
def _p(t):
    return [f"<p>some words {t[0]} here</p>"], {t[0]: 0}


def _two_lines(t):
    return [f"<p>first {t[0]} line", f"continues {t[1]} here</p>"], {t[0]: 0, t[1]: 1}


def _heading(t):
    return [f"<h2>Head {t[0]}</h2>"], {t[0]: 0}


def _pre(t):
    return ["<pre><code>", f"    code {t[0]} = 1", f"    more {t[1]} = 2", "</code></pre>"], {t[0]: 1, t[1]: 2}


def _list(t):
    return ["<ul>", f"<li>item {t[0]}</li>", f"<li>item {t[1]}</li>", "</ul>"], {t[0]: 1, t[1]: 2}


def _inline(t):
    return [f"<p>see <b>bold {t[0]}</b> and", f"<code>x</code> then {t[1]}</p>"], {t[0]: 0, t[1]: 1}


def _link_over_lines(t):
    return [f"<p>read <a href='#x'>", f"the part {t[0]}", f"</a> after {t[1]} it</p>"], {t[0]: 1, t[1]: 2}


def _attributes(t):
    return ['<p class="a"', ' id="b">', f"text {t[0]}</p>"], {t[0]: 2}


def _tail(t):
    return [f"<div><span>a</span> tail {t[0]}</div>"], {t[0]: 0}


def _table(t):
    return (["<table>", "<tr><th>Name</th><th>Value</th></tr>", f"<tr><td>{t[0]}</td><td>v</td></tr>",
             f"<tr><td>{t[1]}</td><td>w</td></tr>", "</table>"], {t[0]: 2, t[1]: 3})


def _blank(t):
    return [""], {}


BLOCKS = [_p, _two_lines, _heading, _pre, _list, _inline, _link_over_lines, _attributes, _tail, _table, _blank]


@settings(max_examples=150, deadline=None)
@given(blocks=st.lists(st.sampled_from(BLOCKS), min_size=1, max_size=40), size=st.sampled_from([100, 200, 800]))
def test_every_word_of_any_page_is_cited_within_its_chunks_lines(blocks, size: int) -> None:
    lines, truth = ["<html><head><title>T</title></head><body>", "<h1>Top heading</h1>"], {}
    for n, block in enumerate(blocks):
        written, at = block([f"tok{n}a", f"tok{n}b"])
        truth.update({token: len(lines) + 1 + offset for token, offset in at.items()})
        lines += written
    lines.append("</body></html>")
    chunks = Chunker(size, size // 5).chunk("f.html", "h", html_sections("\n".join(lines) + "\n"))
    for chunk in chunks:
        assert 1 <= chunk.start_line <= chunk.end_line <= len(lines), (chunk.start_line, chunk.end_line, len(lines))
    for token, line in truth.items():
        holders = [c for c in chunks if token in c.text.split() or f"| {token} |" in c.text]
        assert holders and any(c.start_line <= line <= c.end_line for c in holders), (
            token, line, [(c.start_line, c.end_line) for c in holders])

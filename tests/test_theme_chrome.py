"""A theme's chrome around every page (readers 24): a site title over the page's heading, bars of links, a sidebar.

Found in the django bench corpus (Django's manual as Debian's python-django-doc installs it, a YUI-grid theme
without <main>, <nav> or roles): every page's first chunk was headed by the site's name, "Django 3.2.25
documentation", and held "Home | Table of contents | Index | Modules  « previous | up | next »" (534 chunks);
every page's last was "Last update: Nov 11, 2026" from the sidebar (533). Git's asciidoc pages ended on a footer
"Last updated 2024-05-31" (87 chunks).
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from jupyter_docchat import DocIndex
from jupyter_docchat.indexing.readers import read_sections
from jupyter_docchat.indexing.readers.html import html_sections

from conftest import write_tree

BODY = ("Django lets you design URLs however you want, with no framework limitations. To design URLs for an app, "
        "you create a Python module informally called a URLconf, a mapping between path expressions and views. ")


def django_page(body: str = BODY, bar: str = "&laquo; <a href='a.html'>previous</a> | <a href='..'>up</a> | "
                "<a href='b.html'>next</a> &raquo;") -> str:
    """A page as Django's own Sphinx theme writes it (YUI grids; the sidebar's menu has a role, its date not)."""
    return (
        "<html><head><title>URL dispatcher | Django documentation</title></head><body><div class='document'>"
        "<div id='custom-doc' class='yui-t6'><div id='hd'><h1><a href='../../index.html'>Django 3.2.25 "
        "documentation</a></h1><div id='global-nav'><a title='Home page' href='../../index.html'>Home</a>  |\n"
        "<a href='../../contents.html'>Table of contents</a>  |\n<a href='../../genindex.html'>Index</a>  |\n"
        f"<a href='../../py-modindex.html'>Modules</a></div><div class='nav'>{bar}</div></div>"
        "<div id='bd'><div id='yui-main'><div class='yui-b'><div class='yui-g' id='topics-http-urls'>"
        f"<div class='section' id='s-url-dispatcher'><h1>URL dispatcher</h1><p>{body}</p>"
        f"<div class='section' id='s-overview'><h2>Overview</h2><p>{BODY}</p></div></div></div></div></div>"
        "<div class='yui-b' id='sidebar'><div class='sphinxsidebar' role='navigation'><h3>Table of Contents</h3>"
        "<ul><li><a href='#'>URL dispatcher</a></li></ul></div><h3>Last update:</h3><p class='topless'>Nov 11, "
        f"2026</p></div></div><div id='ft'><div class='nav'>{bar}</div></div></div></div></body></html>")


def test_the_site_title_bars_and_sidebar_are_left_out_and_the_page_heads_its_trail() -> None:
    sections = html_sections(django_page())
    assert [s.heading for s in sections] == ["URL dispatcher", "URL dispatcher > Overview"]
    text = "\n".join(s.text for s in sections)
    for chrome in ("Django 3.2.25", "Home", "Table of contents", "previous", "next", "Last update", "2026"):
        assert chrome not in text
    assert sections[0].text.startswith("URL dispatcher\n\nDjango lets you design URLs")


def test_a_footer_by_id_is_left_out_but_asciidoc_s_header_with_the_name_stays() -> None:
    page = ("<html><body><div id='header'><h1>git-add(1) Manual Page</h1><h2>NAME</h2><div class='sectionbody'>"
            "<p>git-add - Add file contents to the index</p></div></div><div id='content'><h2>DESCRIPTION</h2>"
            "<p>This command updates the index using the current content found in the working tree.</p></div>"
            "<div id='footer'><div id='footer-text'>Last updated 2024-05-31 00:35:55 UTC</div></div></body></html>")
    text = "\n".join(s.text for s in html_sections(page))
    assert "git-add - Add file contents to the index" in text
    assert "working tree" in text and "Last updated" not in text


def test_links_that_are_content_stay() -> None:
    """A table of contents (links apart by white space only), a sentence of links, a heading that links to a
    place in its page or to another site or an address are the page's own."""
    page = ("<html><body><h1>Reporting bugs</h1><p>Send reports to the list.</p>"
            "<h4><a href='mailto:git@vger.kernel.org'>git@vger.kernel.org</a></h4><p>The main list.</p>"
            "<h4><a href='https://example.org/conduct'>Code of conduct</a></h4><p>Read it first.</p>"
            "<h2><a href='#topics'>Topics</a></h2><ul><li><a href='install.html'>Install</a></li>"
            "<li><a href='usage.html'>Usage</a></li></ul>"
            "<p>See <a href='a.html'>the tutorial</a> and <a href='b.html'>the reference</a>.</p>"
            "<p>Versions: <a href='1.html'>1.0</a>, <a href='2.html'>2.0</a></p></body></html>")
    sections = html_sections(page)
    headings = [s.heading.split(" > ")[-1] for s in sections]
    assert headings == ["Reporting bugs", "git@vger.kernel.org", "Code of conduct", "Topics"]
    text = "\n".join(s.text for s in sections)
    for kept in ("Install", "Usage", "See the tutorial and the reference.", "Versions: 1.0, 2.0"):
        assert kept in text


def test_a_heading_that_links_to_a_page_of_the_site_is_a_line_not_a_heading() -> None:
    page = ("<html><body><h1><a href='../index.html'>My project</a></h1><h1>Install</h1><p>Run pip install "
            "my-project in a virtual environment, then import it from Python and call its main function.</p>"
            "</body></html>")
    sections = html_sections(page)
    assert [s.heading for s in sections] == ["Install"]


def test_a_heading_inside_a_link_to_a_page_of_the_site_is_a_line_not_a_heading() -> None:
    """SQLite's C reference: every page of it opens on <a href="intro.html"><h2>SQLite C Interface</h2></a>,
    which was a chunk of its own on 209 pages."""
    page = ("<html><head><title>Opening A New Database Connection</title></head><body><div class=nosearch>"
            "<a href='intro.html'><h2>SQLite C Interface</h2></a><h2>Opening A New Database Connection</h2></div>"
            "<blockquote><pre>int sqlite3_open(const char *filename, sqlite3 **ppDb);</pre></blockquote>"
            "<p>These routines open an SQLite database file as specified by the filename argument.</p>"
            "<a href='#x'><h3>Kept: a heading that links to its own place</h3></a><p>Text.</p></body></html>")
    sections = html_sections(page)
    assert [s.heading for s in sections] == ["Opening A New Database Connection",
                                             "Opening A New Database Connection > Kept: a heading that links to its own place"]
    assert "SQLite C Interface" not in "\n".join(s.text for s in sections)


@settings(max_examples=80, deadline=None)
@given(
    # Link texts no page text holds, so where they went is plain to see.
    links=st.lists(st.text("qxzjQXZJ09 ", max_size=12).map(lambda text: f"Qz{text}"), min_size=2, max_size=6),
    separator=st.sampled_from(["|", "·", "•", "»", "/", " | ", " :: ", "&raquo;", "&nbsp;|&nbsp;"]),
    words=st.sampled_from(["", "see also", "and", "or read"]),
)
def test_links_apart_by_marks_are_a_bar_and_apart_by_words_are_text(links: list[str], separator: str,
                                                                     words: str) -> None:
    between = f" {separator} {words} " if words else f" {separator} "
    bar = between.join(f"<a href='p{n}.html'>{escape(text)}</a>" for n, text in enumerate(links))
    text = " ".join("\n".join(s.text for s in html_sections(django_page(bar=bar))).split())
    assert "Django lets you design URLs" in text
    if words:
        assert " ".join(links[0].split()) in text and words in text  # a sentence of the page
    else:
        assert not any(" ".join(link.split()) in text for link in links)


def test_the_page_s_passages_are_found_without_its_chrome_in_a_real_store(tmp_path: Path) -> None:
    folder = write_tree(tmp_path / "docs", {"topics/urls.html": django_page(), "topics/views.html": django_page(
        body="A view function, or view for short, is a Python function that takes a web request and returns "
             "a web response. This response can be the HTML contents of a web page, or a redirect. " * 2)})
    with DocIndex(tmp_path / "store") as index:
        index.update(folder)
        hits = index.search("previous up next Home Table of contents Last update", k=10)
        assert hits and all("Last update" not in hit.text and "Home |" not in hit.text for hit in hits)
        hit = index.search("What is a view function?", k=1)[0]
        assert hit.heading == "URL dispatcher" and hit.source.endswith("views.html")


def _sphinx_code(lines: list[str], inline: bool) -> str:
    """A code block as Sphinx's :linenos: has Pygments write it: a table of the numbers beside the code (Sphinx's
    default), or a span before each line (html_codeblock_linenos_style = "inline")."""
    if inline:
        return ('<div class="highlight-python notranslate"><div class="highlight"><pre><span></span>'
                + "\n".join(f'<span class="linenos">{n}</span>{escape(line)}' for n, line in enumerate(lines, 1))
                + "\n</pre></div></div>")
    numbers = "\n".join(f'<span class="normal">{n}</span>' for n in range(1, len(lines) + 1))
    return ('<div class="highlight-python notranslate"><div class="highlight"><table class="highlighttable"><tr>'
            f'<td class="linenos"><div class="linenodiv"><pre>{numbers}</pre></div></td><td class="code"><div><pre>'
            f'<span></span>{escape(chr(10).join(lines))}\n</pre></div></td></tr></table></div></div>')


@settings(max_examples=40, deadline=None)
@given(st.lists(st.from_regex(r"[a-z][a-z0-9 =()._]{0,20}", fullmatch=True), min_size=1, max_size=8), st.booleans())
def test_pygments_line_numbers_on_any_page_are_left_out_and_the_code_kept(lines: list[str], inline: bool) -> None:
    """Sphinx's :linenos: code was read as a column of numbers above it ("1\\n2\\n\\nimport os") or glued to each
    line ("1import os"); MkDocs' pages lost them already."""
    page = (f"<html><body><div role='main'><h1>Paths</h1><p>Join them:</p>{_sphinx_code(lines, inline)}"
            "<p>Done.</p></div></body></html>")
    text = html_sections(page)[0].text
    assert "Join them:\n\n" + "\n".join(lines) in text, text


def test_a_table_of_the_page_whose_cells_are_called_linenos_is_kept() -> None:
    page = ("<html><body><h1>Errata</h1><table><tr><th>Page</th><th>Lines</th></tr><tr><td>12</td>"
            "<td class='linenos'>30-32</td></tr></table></body></html>")
    assert "| 12 | 30-32 |" in html_sections(page)[0].text


def _gutter_code(lines: list[str], first: int, rouge: bool) -> str:
    """A listing with its line numbers in a cell beside the code, as YARD writes every method's source (a Ruby gem's
    documentation) and Rouge writes Jekyll's: no Pygments class to know it by."""
    numbers = "\n".join(str(n) for n in range(first, first + len(lines)))
    if rouge:
        return ('<table class="rouge-table"><tbody><tr><td class="rouge-gutter gl"><pre class="lineno">'
                f'{numbers}\n</pre></td><td class="rouge-code"><pre>{escape(chr(10).join(lines))}\n</pre></td></tr>'
                '</tbody></table>')
    return (f'<table class="source_code"><tr><td><pre class="lines">\n\n{numbers}</pre></td><td>'
            f'<pre class="code"><span class="info file"># File \'lib/a.rb\', line {first}</span>\n\n'
            f'{escape(chr(10).join(lines))}</pre></td></tr></table>')


@settings(max_examples=40, deadline=None)
@given(st.lists(st.from_regex(r"[a-z][a-z0-9 =()._]{0,20}", fullmatch=True), min_size=2, max_size=8),
       st.integers(1, 5000), st.booleans())
def test_a_gutter_of_line_numbers_beside_code_is_left_out_and_the_code_kept(lines: list[str], first: int,
                                                                               rouge: bool) -> None:
    """YARD's source listings were read as "373 374 375 376" above each method's code (walk 36, ruby-mocha-doc)."""
    page = f"<html><body><div role='main'><h1>twice</h1><p>Source:</p>{_gutter_code(lines, first, rouge)}</div></body></html>"
    text = html_sections(page)[0].text
    assert "\n".join(lines) in text, text
    assert str(first + 1) not in text.replace(f"line {first}", ""), text


def test_a_table_of_numbers_beside_a_listing_of_the_page_is_kept_when_it_holds_more_than_numbers() -> None:
    page = ("<html><body><h1>Runs</h1><table><tr><td><pre>12\n13</pre><p>seconds</p></td><td><pre>make all</pre></td>"
            "</tr><tr><td><pre>12\n40\n7</pre></td><td><pre>make check</pre></td></tr></table></body></html>")
    text = html_sections(page)[0].text
    assert "12" in text and "seconds" in text and "make all" in text
    assert "40" in text and "make check" in text  # values, not a count of lines


def test_javadoc_s_zero_width_space_before_a_signature_s_parenthesis_is_gone_and_thai_word_breaks_stay(tmp_path: Path) -> None:
    """Java 11's javadoc writes "addParser&#8203;(java.lang.String command)": quoted, the signature did not compile
    when pasted (walk 36, libargparse4j-java-doc). Thai marks its word breaks with the same character."""
    page = ("<html><body><h1>addParser</h1><pre>Subparser addParser&#8203;(java.lang.String command)</pre>"
            "<p>ภาษา&#8203;ไทย</p></body></html>")
    path = tmp_path / "Subparsers.html"
    path.write_text(page, encoding="utf-8")
    text = read_sections(path, path.read_bytes())[0].text
    assert "addParser(java.lang.String command)" in text
    assert "ภาษา\u200bไทย" in text

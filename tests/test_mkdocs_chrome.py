"""A MkDocs build read as its pages' content, without its theme's chrome, under one trail a page.

Found on a held-out MkDocs site (a custom bootstrap theme): every page's first chunk, headed "<page> > Documentation
search", was the theme's hidden search dialog ("Documentation search", "Close"), then the sidebar's table of contents,
then the text of a link to the page's source on GitHub; and the sections under a page's first heading read "Routers >
...", those under its later top-level headings "Routers - <site name> > ...", the <title> with the site's name. The
build below is such a theme's, made by the test: a navbar of buttons and menus, a search modal, a sidebar listing the
page's headings, no <main>, <nav> or role for the content.
"""

from __future__ import annotations

import sqlite3
from html import escape
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from jupyter_docchat import DocIndex
from jupyter_docchat.indexing.readers.html import html_sections

from conftest import write_tree

SITE = "Stork Framework"
CHROME = ("Documentation search", "Close", "Previous", "Next", "GitHub", "routers.py", "Documentation built with",
          "Search", "Keyboard", "Stork Framework", "Type search term")


def page(title: str, body: str, toc: list[str], depth: int = 1) -> str:
    """A page as a bootstrap-2 MkDocs theme writes it (the layout of MkDocs' old default theme, kept by sites that
    customised it): every part of the chrome in the page's <body>, before and after its content. The home page's
    title ("") is the site's name alone."""
    up = "../" * depth
    items = "".join(f"<li><a href='#{escape(name.lower().replace(' ', '-'))}'>{escape(name)}</a></li>\n"
                    for name in toc)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{escape(title) + " - " if title else ""}{SITE}</title>
  <link href="{up}css/bootstrap.css" rel="stylesheet">
  <script src="{up}js/jquery.js"></script>
</head>
<body class="page">
<div class="wrapper">
  <div class="navbar navbar-inverse navbar-fixed-top">
    <div class="navbar-inner">
      <div class="container-fluid">
        <a class="repo-link btn btn-primary btn-small" href="https://github.com/example/stork/tree/master">GitHub</a>
        <a class="repo-link btn btn-inverse btn-small" rel="next" href="{up}views/">Next <i class="icon-arrow-right"></i></a>
        <a class="repo-link btn btn-inverse btn-small" rel="prev" href="{up}">
          <i class="icon-arrow-left"></i> Previous</a>
        <a id="search_modal_show" class="repo-link btn btn-inverse btn-small" href="#mkdocs_search_modal"
           data-toggle="modal" data-target="#mkdocs_search_modal"><i class="icon-search"></i> Search</a>
        <a class="brand" href="https://stork.example.org/">{SITE}</a>
        <div class="nav-collapse collapse">
          <ul class="nav">
            <li><a href="{up}">Home</a></li>
            <li class="dropdown"><a href="#" class="dropdown-toggle" data-toggle="dropdown">Guide <b class="caret"></b></a>
              <ul class="dropdown-menu">
                <li><a href="{up}routers/">Routers</a></li>
                <li><a href="{up}views/">Views</a></li>
              </ul>
            </li>
          </ul>
        </div>
      </div>
    </div>
  </div>
  <div class="body-content">
    <div class="container-fluid">
      <div id="mkdocs_search_modal" class="modal hide fade" tabindex="-1" role="dialog"
           aria-labelledby="myModalLabel" aria-hidden="true">
        <div class="modal-header">
          <button type="button" class="close" data-dismiss="modal" aria-hidden="true">&times;</button>
          <h3 id="myModalLabel">Documentation search</h3>
        </div>
        <div class="modal-body">
          <form role="form" autocomplete="off"><input type="search" placeholder="Type search term here"
            id="mkdocs-search-query"></form>
          <div id="mkdocs-search-results"></div>
        </div>
        <div class="modal-footer"><button class="btn" data-dismiss="modal" aria-hidden="true">Close</button></div>
      </div>
      <div class="row-fluid">
        <div class="span3">
          <div id="table-of-contents">
            <ul class="nav nav-list side-nav well sidebar-nav-fixed">
{items}            </ul>
          </div>
        </div>
        <div id="main-content" class="span9">
          <a class="github" href="https://github.com/example/stork/tree/master/stork/routers.py">
            <span class="label label-info">routers.py</span></a>
{body}
        </div>
      </div>
    </div>
  </div>
  <div class="push"></div>
</div>
<footer class="span12">
  <p class="text-center">Documentation built with <a href="http://www.mkdocs.org/">MkDocs</a>.</p>
</footer>
<div class="modal" id="keyboard_modal" tabindex="-1" role="dialog" aria-modal="true">
  <h4 class="modal-title">Keyboard Shortcuts</h4><table><tr><td><kbd>s</kbd></td><td>Search</td></tr></table>
</div>
</body>
</html>
"""


PROSE = ("A router works out which view handles each request, from the resource's name and the method the client "
         "sends, so that the URL configuration stays short. ")
# Three top-level headings, each with sections: the page's first names the page; the later ones ("Custom Routers"
# shares a word with the title) are sections of it.
ROUTERS = (f"<h1 id='routers'>Routers</h1><p>{PROSE}</p><h2 id='usage'>Usage</h2><p>{PROSE}</p>"
           f"<h2 id='api-guide'>API Guide</h2><p>{PROSE}</p><h1 id='custom-routers'>Custom Routers</h1><p>{PROSE}</p>"
           f"<h2 id='example'>Example</h2><p>{PROSE}</p><h1 id='third-party-packages'>Third Party Packages</h1>"
           f"<p>{PROSE}</p>")
# A sidebar long enough that the rule for short text above the first heading (under 1,500 characters) missed it.
TOC = ["Routers", "Usage", "API Guide", "Custom Routers", "Example", "Third Party Packages"] + [
    f"Router option number {n} and what it changes" for n in range(40)]


def test_the_theme_s_dialogs_sidebar_and_bars_are_left_out_and_the_page_has_one_trail() -> None:
    sections = html_sections(page("Routers", ROUTERS, TOC, depth=2), "index.html")
    assert [s.heading for s in sections] == [
        "Routers", "Routers > Usage", "Routers > API Guide", "Routers > Custom Routers",
        "Routers > Custom Routers > Example", "Routers > Third Party Packages"]
    text = "\n".join(s.text for s in sections)
    for chrome in CHROME + ("Router option number",):
        assert chrome not in text, chrome
    assert sections[0].text == f"Routers\n\n{PROSE.strip()}"


def test_the_site_s_name_leaves_the_title_only_when_the_page_names_its_home_by_it() -> None:
    """The name after " - " goes when a link to the site's home page (its text, or a logo's title) reads the same: a
    page without h1 is then headed by its own title. Else the title stays whole: "Install - Linux" may be a page's."""
    body = f"<h2>Path validations</h2><p>{PROSE}</p>"
    for home in (f"<a href='..'>{SITE}</a>", f"<a href='../index.html' title='{SITE}'><img src='logo.png'></a>",
                 f"<a href='/'> {SITE.upper()} </a>", f"<a href='https://stork.example.org'>{SITE}</a>",
                 "<a class='brand' href='../'>Stork<br>Framework</a>"):
        markup = f"<html><head><title>Path - {SITE}</title></head><body>{home}<p>{PROSE}</p>{body}</body></html>"
        assert [s.heading for s in html_sections(markup)] == ["Path", "Path > Path validations"], home
    for other in (f"<a href='guide.html'>{SITE}</a>", f"<a href='https://github.com/stork'>{SITE}</a>", ""):
        markup = f"<html><head><title>Path - {SITE}</title></head><body>{other}<p>{PROSE}</p>{body}</body></html>"
        assert html_sections(markup)[0].heading == f"Path - {SITE}", other
    # A site's name of its own " - ", and a title that is only the name (the home page's), which stays.
    named = "<a href='.'>Stork - the Framework</a>"
    markup = f"<html><head><title>A - B - Stork - the Framework</title></head><body>{named}<p>{PROSE}</p></body></html>"
    assert html_sections(markup)[0].heading == "A - B"
    markup = f"<html><head><title>{SITE}</title></head><body><a href='.'>{SITE}</a><p>{PROSE}</p></body></html>"
    assert html_sections(markup)[0].heading == SITE


def test_a_title_repeated_by_the_first_heading_heads_no_trail_twice() -> None:
    """The first heading in the title's words stands for it ("1. Routers" under "Routers"); after text of the title's
    own, a first heading with more words is a section of it ("Routers > Routers in depth")."""
    markup = f"<html><head><title>Routers</title></head><body><h1>1. Routers</h1><p>{PROSE}</p></body></html>"
    assert [s.heading for s in html_sections(markup)] == ["1. Routers"]
    markup = (f"<html><head><title>Routers (old)</title></head><body><p>{PROSE}</p><h1>Routers</h1><p>{PROSE}</p>"
              "</body></html>")
    assert [s.heading for s in html_sections(markup)] == ["Routers (old)", "Routers"]
    markup = (f"<html><head><title>Routers</title></head><body><p>{PROSE}</p><h2>Routers in depth</h2>"
              f"<p>{PROSE}</p></body></html>")
    assert [s.heading for s in html_sections(markup)] == ["Routers", "Routers > Routers in depth"]


def test_links_above_the_first_heading_that_are_the_page_s_text_stay() -> None:
    """Only a list of links into the page goes: a list of other pages the page's text points to stays, and so does a
    table of contents after the first heading, and a dialog that holds the page's heading (a theme's markup left
    open, as the parser mends it)."""
    markup = (f"<html><body><p>This guide is old, and the two pages below replace it for every reader:</p><ul><li><a href='intro.html'>The "
              "introduction</a></li><li><a href='ref.html'>The reference</a></li></ul><h1>Routers</h1>"
              "<ul><li><a href='#a'>Usage</a></li><li><a href='#b'>Examples</a></li></ul>"
              f"<p>{PROSE}</p></body></html>")
    text = "\n".join(s.text for s in html_sections(markup))
    for kept in ("The introduction", "The reference", "Usage", "Examples"):
        assert kept in text
    markup = f"<html><body><div role='dialog'><h1>Routers</h1><p>{PROSE}</p></div></body></html>"
    assert "A router works out" in "\n".join(s.text for s in html_sections(markup))


words = st.text(st.characters(whitelist_categories=("Ll", "Lu", "Nd")), min_size=3, max_size=12)
content = st.lists(st.lists(words, min_size=1, max_size=12).map(" ".join), min_size=1, max_size=6)


@settings(max_examples=40, deadline=None)
@given(paragraphs=content, headings=st.lists(words, min_size=1, max_size=4, unique=True))
def test_any_page_inside_the_chrome_is_read_whole_and_without_it(paragraphs: list[str], headings: list[str]) -> None:
    # Neither way round: a heading "0Search" is the page's own, and holds the chrome's "Search" (a drawn case that failed).
    headings = [h for h in headings if not any(h.lower() in c.lower() or c.lower() in h.lower()
                                               for c in CHROME + ("Routers",))] or ["Intro"]
    body = "".join(f"<h{1 + n % 2}>{escape(h)}</h{1 + n % 2}><p>{escape(p)}</p>"
                   for n, (h, p) in enumerate(zip(headings * len(paragraphs), paragraphs)))
    sections = html_sections(page("Routers", body, headings))
    text = "\n".join(s.text for s in sections)
    for paragraph in paragraphs:
        assert paragraph in text
    for chrome in CHROME:
        assert chrome not in text
    assert all(s.heading == "Routers" or s.heading.startswith("Routers > ") for s in sections), [
        s.heading for s in sections]


def test_a_build_s_chunks_hold_no_chrome_and_one_root_a_page(tmp_path: Path) -> None:
    """The whole way, as a user indexes the build: no chunk of the theme, no site name in a trail."""
    views = f"<h1 id='views'>Views</h1><p>{PROSE}</p><h1 id='function-views'>Function Based Views</h1><p>{PROSE}</p>"
    folder = write_tree(tmp_path / "site", {
        "index.html": page("", f"<h1>Stork</h1><p>{PROSE}</p>", ["Stork"], depth=0),
        "routers/index.html": page("Routers", ROUTERS, TOC),
        "views/index.html": page("Views", views, ["Views", "Function Based Views"]),
        "sitemap.xml": "<urlset></urlset>",
    })
    index = DocIndex(tmp_path / "store", collection="docs")
    try:
        index.update(folder, background=True)
        index.stop_filling()
    finally:
        index.close()
    with sqlite3.connect(tmp_path / "store" / "docchat.sqlite") as db:
        rows = db.execute("SELECT source, heading, text FROM chunks").fetchall()
    assert {source for source, _, _ in rows} == {"index.html", "routers/index.html", "views/index.html"}
    for source, heading, text in rows:
        assert not any(chrome in text or chrome in heading for chrome in CHROME), (source, heading, text)
    roots = {(source, heading.split(" > ")[0]) for source, heading, _ in rows}
    assert roots == {("index.html", "Stork"), ("routers/index.html", "Routers"), ("views/index.html", "Views")}


def test_lists_nested_deep_above_the_first_heading_read_in_linear_time() -> None:
    """Each list is judged from what its items held, in one walk: judged by a walk of its own each, lists nested
    thousands deep with a word at the bottom (or links into the page at every level) took the square."""
    from conftest import grows_linearly

    for item in ("<ul><li>", "<ul><li><a href='#a'>a</a>"):
        grows_linearly(html_sections, lambda n: f"<html><body>{item * n}word<h1>Title</h1><p>{PROSE}</p></body></html>",
                       (800, 3200))


def test_the_nature_theme_s_site_map_is_skipped_and_named(tmp_path: Path) -> None:
    """The nature theme writes sitemap.html at the top of the build: every page's title as a link, no text."""
    sitemap = ("<html><head><title>Sitemap — Stork documentation</title></head><body><div class='body' role='main'>"
               "<h1>Sitemap</h1><ul><li><a href='index.html'>Stork</a></li><li><a href='guide.html'>Guide</a></li>"
               "</ul></div></body></html>")
    folder = write_tree(tmp_path / "site", {"index.html": f"<html><body><h1>Stork</h1><p>{PROSE}</p></body></html>",
                                            "sitemap.html": sitemap, "search/search_index.json": "{}",
                                            "guide/sitemap.html": sitemap})
    index = DocIndex(tmp_path / "store", collection="docs")
    try:
        report = index.update(folder, background=True)
        index.stop_filling()
    finally:
        index.close()
    assert dict(report.skipped_files)["sitemap.html"] == "generated index page"
    assert "guide/sitemap.html" not in dict(report.skipped_files)  # only the build's own, at its top


def test_contents_written_as_boxes_of_links_above_the_first_heading_are_left_out() -> None:
    """sqlite.org's pages write their contents as boxes (<div id="toc_sub"><div class="fancy-toc1"><a href="#...">),
    under the site's menu and above the first heading: read, they made the first chunk of 72 of sqlite3-doc's pages a
    list of the page's section names under the menu. Boxes that hold the page's own words, or links to other pages,
    stay."""
    toc = "".join(f"<div class='fancy-toc1'><a href='#s{n}'>{n}. Section {n} On The Rollback Journal</a></div>"
                  for n in range(1, 61))  # longer than a preamble of chrome alone (html._is_chrome)
    markup = ("<html><head><title>Atomic Commit</title></head><body><div class=nosearch><div class=tagline>Small. "
              "Fast.</div><div class='menu'><ul><li><a href='index.html'>Home</a><li><a href='about.html'>About</a>"
              "</ul></div></div><div class=fancy><div class=fancy_title>Atomic Commit</div><div class=fancy_toc>"
              f"<a onclick='toggle()'>Table Of Contents</a><div id=toc_sub>{toc}</div></div></div>"
              f"<h1 id=s1>1. Section 1</h1><p>{PROSE}</p></body></html>")
    sections = html_sections(markup)
    text = "\n".join(s.text for s in sections)
    assert "Section 60" not in text and "Home" not in text and "Table Of Contents" not in text
    assert PROSE.strip() in text and [s.heading for s in sections] == ["Atomic Commit > 1. Section 1"]
    kept = ("<html><body><div><div><a href='#a'>Usage</a> is shown first on this page, and then come</div><div><a href='#b'>Examples</a>"
            f"</div></div><div><div><a href='other.html'>Other</a></div><div><a href='more.html'>More</a></div></div>"
            f"<h1>Routers</h1><p>{PROSE}</p></body></html>")
    text = "\n".join(s.text for s in html_sections(kept))
    for word in ("Usage", "is shown first", "Examples", "Other", "More"):
        assert word in text


# Sentences (eight words or more): a preamble of short lines alone is the site's chrome (html._is_chrome).
sentences = st.lists(st.lists(words, min_size=8, max_size=12).map(" ".join), min_size=1, max_size=6)


@settings(max_examples=40, deadline=None)
@given(paragraphs=sentences)
def test_boxes_above_the_first_heading_keep_every_word_of_the_page_s_text(paragraphs: list[str]) -> None:
    """Whatever boxes of in-page links stand beside it, a paragraph before the first heading is kept whole."""
    boxes = "".join(f"<div><div><a href='#p{n}'>Go {n}</a></div><div>{escape(p)}</div></div>"
                    for n, p in enumerate(paragraphs))
    text = "\n".join(s.text for s in html_sections(f"<html><body>{boxes}<h1>Title</h1><p>{PROSE}</p></body></html>"))
    for n, paragraph in enumerate(paragraphs):
        assert paragraph in text and f"Go {n}" in text

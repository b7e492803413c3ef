"""A MkDocs build, as a Python developer points docchat at one (the Material theme's or the built-in themes'): the
theme's scripts, styles and fonts, the search plugin's files and the page-not-found page are left out and named;
its pages are read without Material's buttons, their code without line numbers, each tab's label over its content."""

from __future__ import annotations

import gzip
import sqlite3
from pathlib import Path

from conftest import write_tree
from hypothesis import given, settings
from hypothesis import strategies as st

from jupyter_docchat import DocIndex, IndexOptions
from jupyter_docchat.indexing.readers.html import html_sections

GENERATOR = "mkdocs-1.6.1, mkdocs-material-9.5.40"


def page(title: str, article: str, generator: str = GENERATOR) -> str:
    """A page as Material 9 writes it: header with the search box and palette toggle, tabs, the left navigation,
    the table of contents, the article with its edit button, "Back to top", the footer."""
    return f"""<!doctype html>
<html lang="en" class="no-js">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width,initial-scale=1">
    <link rel="icon" href="../assets/images/favicon.png">
    <meta name="generator" content="{generator}">
    <title>{title} - Gauges</title>
    <link rel="stylesheet" href="../assets/stylesheets/main.css">
  </head>
  <body dir="ltr">
    <input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">
    <label class="md-overlay" for="__drawer"></label>
    <div data-md-component="skip"><a href="#install" class="md-skip">Skip to content</a></div>
    <header class="md-header" data-md-component="header">
      <nav class="md-header__inner md-grid" aria-label="Header">
        <div class="md-header__title"><span class="md-ellipsis">Gauges</span></div>
        <form class="md-header__option" data-md-component="palette">
          <label class="md-header__button md-icon" title="Switch to dark mode" for="__palette_1"></label>
        </form>
        <div class="md-search" data-md-component="search" role="dialog">
          <form class="md-search__form" name="search"><input type="text" class="md-search__input" placeholder="Search"></form>
          <div class="md-search-result__meta">Initializing search</div>
        </div>
      </nav>
    </header>
    <div class="md-container" data-md-component="container">
      <nav class="md-tabs" aria-label="Tabs" data-md-component="tabs">
        <ul class="md-tabs__list"><li class="md-tabs__item"><a href="../" class="md-tabs__link">Home</a></li>
        <li class="md-tabs__item"><a href="../guide/" class="md-tabs__link">Guide</a></li></ul>
      </nav>
      <main class="md-main" data-md-component="main">
        <div class="md-main__inner md-grid">
          <div class="md-sidebar md-sidebar--primary" data-md-component="sidebar" data-md-type="navigation">
            <div class="md-sidebar__scrollwrap"><div class="md-sidebar__inner">
              <nav class="md-nav md-nav--primary" aria-label="Navigation" data-md-level="0">
                <label class="md-nav__title" for="__drawer">Gauges</label>
                <ul class="md-nav__list"><li class="md-nav__item"><a href="../" class="md-nav__link">Home</a></li></ul>
              </nav>
            </div></div>
          </div>
          <div class="md-sidebar md-sidebar--secondary" data-md-component="sidebar" data-md-type="toc">
            <div class="md-sidebar__scrollwrap"><div class="md-sidebar__inner">
              <nav class="md-nav md-nav--secondary" aria-label="Table of contents">
                <label class="md-nav__title" for="__toc">Table of contents</label>
                <ul class="md-nav__list" data-md-component="toc"><li class="md-nav__item"><a href="#install" class="md-nav__link">Install</a></li></ul>
              </nav>
            </div></div>
          </div>
          <div class="md-content" data-md-component="content">
            <article class="md-content__inner md-typeset">
              <a href="https://github.com/example/gauges/edit/main/docs/guide.md" title="Edit this page" class="md-content__button md-icon">Edit</a>
              <a href="https://github.com/example/gauges/raw/main/docs/guide.md" title="View source of this page" class="md-content__button md-icon">View</a>
{article}
              <div class="md-source-file"><small>Last update: <span class="git-revision-date-localized-plugin git-revision-date-localized-plugin-date">March 3, 2025</span></small></div>
            </article>
          </div>
        </div>
        <button type="button" class="md-top md-icon" data-md-component="top" hidden>Back to top</button>
      </main>
      <footer class="md-footer">
        <nav class="md-footer__inner md-grid" aria-label="Footer"><a href="../" class="md-footer__link md-footer__link--prev">Previous Home</a></nav>
        <div class="md-footer-meta md-typeset"><div class="md-copyright">Made with <a href="https://squidfunk.github.io/mkdocs-material/">Material for MkDocs</a></div></div>
      </footer>
    </div>
    <script src="../assets/javascripts/bundle.min.js"></script>
  </body>
</html>
"""


def code(lines: list[str], table: bool = True) -> str:
    """A code block as pymdownx.highlight writes it with line numbers: a table of the numbers beside the code, or
    (inline style) a span before each line."""
    if table:
        numbers = "\n".join(f'<span class="normal">{n}</span>' for n in range(1, len(lines) + 1))
        return ('<div class="highlight"><table class="highlighttable"><tr><td class="linenos"><div class="linenodiv">'
                f'<pre><span></span>{numbers}</pre></div></td><td class="code"><div><pre><span></span><code>'
                + "\n".join(lines) + "\n</code></pre></div></td></tr></table></div>")
    return ('<div class="highlight"><pre><span></span><code>'
            + "\n".join(f'<span class="linenos">{n}</span>{line}' for n, line in enumerate(lines, 1)) + "\n</code></pre></div>")


def tabs(tabbed: list[tuple[str, str]]) -> str:
    """pymdownx.tabbed's alternate style (Material's): the radio inputs, all the labels in a row, then the blocks."""
    inputs = "".join(f'<input id="__tabbed_1_{n}" name="__tabbed_1" type="radio" />' for n in range(1, len(tabbed) + 1))
    labels = "".join(f'<label for="__tabbed_1_{n}">{label}</label>' for n, (label, _) in enumerate(tabbed, 1))
    blocks = "".join(f'<div class="tabbed-block">\n{block}\n</div>\n' for _, block in tabbed)
    return (f'<div class="tabbed-set tabbed-alternate" data-tabs="1:{len(tabbed)}">{inputs}'
            f'<div class="tabbed-labels">{labels}</div>\n<div class="tabbed-content">\n{blocks}</div>\n</div>')


GUIDE = f"""<h1 id="install">Install<a class="headerlink" href="#install" title="Permanent link">&para;</a></h1>
<p>Gauges installs from the package index with pip.</p>
<div class="admonition warning">
<p class="admonition-title">Old interpreters</p>
<p>Gauges needs Python 3.9 or later.</p>
</div>
<h2 id="first-dial">First dial<a class="headerlink" href="#first-dial" title="Permanent link">&para;</a></h2>
<p>Draw a dial from its range:</p>
{code(["import gauges", "dial = gauges.Dial(0, 100)", "dial.draw()"])}
<p>The same with numbers inline:</p>
{code(["dial.needle(42)", "dial.redraw()"], table=False)}
{tabs([("pip", "<p>Run pip install gauges in a terminal.</p>"), ("conda", "<p>Run conda install gauges instead.</p>")])}
"""

NOT_FOUND = page("404", '<h1 id="__404">404 - Not found</h1>')

BUILD = {
    "guide/index.html": page("Install", GUIDE),
    "404.html": NOT_FOUND,
    "sitemap.xml": '<?xml version="1.0" encoding="UTF-8"?>\n<urlset><url><loc>https://example.org/guide/</loc></url></urlset>\n',
    "search/search_index.json": '{"config": {"lang": ["en"]}, "docs": [{"location": "guide/", "title": "Install", '
                                '"text": "Gauges installs from the package index with pip."}]}\n',
    "assets/javascripts/lunr/wordcut.js": "// Splits the words of a Thai sentence at their boundaries for the search.\n"
                                          "var WordcutCore = {\n  buildPath: function (text) {\n    return text.split(' ');\n  }\n};\n",
    "assets/javascripts/workers/search.js": "// Builds the search index in a worker, away from the page.\nself.onmessage = function (ev) { return ev; };\n",
    "assets/stylesheets/extra.css": "/* The dial's needle is red. */\n.needle { color: red; }\n",
    # the built-in mkdocs and readthedocs themes' assets, and their search plugin's scripts
    "js/base.js": "// Moves the search results under the search box when the window is narrow.\nfunction applyTopPadding() { return 1; }\n",
    "css/theme.css": "/* The navigation's width on a wide screen. */\n.wy-nav-side { width: 300px; }\n",
    "search/main.js": "// Shows the results of a search under the box as the reader types.\nfunction doSearch () { return 0; }\n",
    "assets/downloads/example.py": "# Draws a dial for the guide's example.\nimport gauges\n",
}


def indexed(tmp_path: Path, files: dict[str, str] = BUILD, options: IndexOptions | None = None, gz: bool = True):
    folder = write_tree(tmp_path / "site", files)
    if gz and "sitemap.xml" in files:
        (folder / "sitemap.xml.gz").write_bytes(gzip.compress(files["sitemap.xml"].encode()))
    index = DocIndex(tmp_path / "store", collection="docs")
    report = index.update(folder, options) if options is not None else index.update(folder)
    return index, report


def rows(store: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(store / "docchat.sqlite") as db:
        return db.execute("SELECT source, heading, text FROM chunks ORDER BY rowid").fetchall()


def page_text(store: Path, source: str) -> str:
    return "\n".join(text for name, _, text in rows(store) if name == source)


def test_a_mkdocs_builds_theme_assets_and_search_files_are_skipped_and_named(tmp_path: Path) -> None:
    index, report = indexed(tmp_path)
    files = set(index.catalog.files("docs"))
    assert "guide/index.html" in files and "assets/downloads/example.py" in files
    assert not any(name.endswith((".js", ".css")) for name in files), files
    skipped = dict(report.skipped_files)
    assert skipped["assets/javascripts/"] == skipped["assets/stylesheets/"] == "theme assets"
    assert skipped["js/"] == skipped["css/"] == "theme assets"
    assert skipped["search/"] == "search index of a documentation build"
    # --include brings a skipped file back, as it does the other default skips
    index.update(tmp_path / "site", IndexOptions(includes=["assets/javascripts/lunr/wordcut.js"]))
    assert "assets/javascripts/lunr/wordcut.js" in index.catalog.files("docs")
    index.close()


def test_without_mkdocs_own_files_a_folder_keeps_its_scripts(tmp_path: Path) -> None:
    files = {name: text for name, text in BUILD.items() if not name.startswith(("sitemap", "search/search_index"))}
    index, _ = indexed(tmp_path, files)
    assert {"js/base.js", "search/main.js", "assets/javascripts/lunr/wordcut.js"} <= set(index.catalog.files("docs"))
    index.close()


def test_the_page_not_found_page_of_a_site_without_an_index_page_is_skipped(tmp_path: Path) -> None:
    """Docs without an index.md build to a site without index.html: its sitemap.xml marks it a site."""
    index, report = indexed(tmp_path)
    assert dict(report.skipped_files)["404.html"] == "page-not-found page of a site build"
    assert "404.html" not in index.catalog.files("docs")
    index.close()


def test_materials_chrome_is_left_out_of_the_page_text(tmp_path: Path) -> None:
    index, _ = indexed(tmp_path)
    text = page_text(tmp_path / "store", "guide/index.html")
    assert "Gauges installs from the package index with pip." in text and "Gauges needs Python 3.9" in text
    for chrome in ("Back to top", "Last update", "March 3, 2025", "Edit", "View", "Skip to content", "Table of contents",
                   "Made with", "Material for MkDocs", "Initializing search", "Switch to dark mode", "Previous", "¶"):
        assert chrome not in text, chrome
    assert {heading for name, heading, _ in rows(tmp_path / "store") if name == "guide/index.html"} == {"Install"}
    index.close()


def test_code_is_read_without_its_line_numbers(tmp_path: Path) -> None:
    index, _ = indexed(tmp_path)
    text = page_text(tmp_path / "store", "guide/index.html")
    assert "Draw a dial from its range:\n\nimport gauges\ndial = gauges.Dial(0, 100)\ndial.draw()" in text, text
    assert "\ndial.needle(42)\ndial.redraw()" in text, text
    index.close()


def test_each_tabs_label_stands_over_its_own_content(tmp_path: Path) -> None:
    index, _ = indexed(tmp_path)
    text = page_text(tmp_path / "store", "guide/index.html")
    assert "pip\n\nRun pip install gauges in a terminal.\n\nconda\n\nRun conda install gauges instead." in text, text
    index.close()


def test_a_page_mkdocs_did_not_write_keeps_what_materials_names_hold(tmp_path: Path) -> None:
    """The tidy is Material's and pymdownx's names on a page MkDocs wrote: another site's md-top is its own."""
    markup = ('<html><head><title>T</title></head><body><main><h1>T</h1><div class="md-top">Keep the top words.</div>'
              '<div class="md-source-file">Keep the source words.</div></main></body></html>')
    text = "\n".join(section.text for section in html_sections(markup))
    assert "Keep the top words." in text and "Keep the source words." in text


_WORDS = st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=8), min_size=2, max_size=6)
_BLOCKS = st.one_of(
    _WORDS.map(lambda w: ("p", f"<p>{' '.join(w)}.</p>", [" ".join(w)])),
    _WORDS.map(lambda w: ("note", f'<div class="admonition note"><p class="admonition-title">{w[0]}</p>'
                                  f"<p>{' '.join(w[1:])}</p></div>", [w[0], " ".join(w[1:])])),
    _WORDS.map(lambda w: ("details", f'<details class="tip"><summary>{w[0]}</summary><p>{" ".join(w[1:])}</p></details>',
                          [w[0], " ".join(w[1:])])),
    st.tuples(_WORDS, st.booleans()).map(lambda wt: ("code", code(wt[0], table=wt[1]), wt[0])),
    st.lists(st.tuples(_WORDS, _WORDS), min_size=1, max_size=3).map(lambda ts: (
        "tabs", tabs([(" ".join(label), f"<p>{' '.join(body)}</p>") for label, body in ts]),
        [" ".join(part) for pair in ts for part in pair])),
    _WORDS.map(lambda w: ("chrome", f'<div class="md-source-file"><small>Last update: {" ".join(w)}</small></div>', [])),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_BLOCKS, min_size=1, max_size=8))
def test_a_mkdocs_pages_own_text_is_never_lost(blocks) -> None:
    """Whatever blocks a Material page's article holds and in whatever order (admonitions, folded details, code with
    line numbers, tabs), every word of the page's own content is read."""
    article = '<h1 id="t">Title</h1>' + "\n".join(markup for _, markup, _ in blocks)
    text = "\n".join(section.text for section in html_sections(page("Title", article), "index.html"))
    flat = " ".join(text.split())
    for kind, _, parts in blocks:
        for words in parts:
            assert words in flat, (kind, words, flat)
    assert "Back to top" not in flat and "Last update" not in flat


def test_the_mkdocs_themes_icon_permalinks_are_left_out_of_headings(tmp_path: Path) -> None:
    """MkDocs' own theme marks each heading's permalink with Font Awesome's link icon (U+F0C1, a private use
    character): it was read at the end of every heading and every trail."""
    article = ('<h1 id="setup">Setup<a class="headerlink" href="#setup" title="Permanent link">\uf0c1</a></h1>'
               '<p>Setup takes a minute.</p><h2 id="serve">Serve<a class="headerlink" href="#serve" title="Permanent link">'
               '\uf0c1</a></h2><p>Run mkdocs serve to preview the site as you write it.</p>')
    markup = ('<html><head><meta name="generator" content="mkdocs-1.4.2, mkdocs-1.4.2"><title>Setup - Site</title></head>'
              f'<body><div class="container"><div class="col-md-9" role="main">{article}</div></div></body></html>')
    folder = write_tree(tmp_path / "site", {"setup.html": markup})
    index = DocIndex(tmp_path / "store", collection="docs")
    index.update(folder)
    stored = rows(tmp_path / "store")
    assert stored and not any("\uf0c1" in heading or "\uf0c1" in text for _, heading, text in stored), stored
    assert any(heading.endswith("Serve") for _, heading, _ in stored) or "Serve\n\nRun mkdocs serve" in stored[0][2]
    index.close()


REDIRECT = """<!doctype html>
<html lang="en">
<head>
    <meta charset="utf-8">
    <title>Redirecting...</title>
    <link rel="canonical" href="../guide/">
    <meta name="robots" content="noindex">
    <script>var anchor=window.location.hash.substr(1);location.href="../guide/"+(anchor?"#"+anchor:"")</script>
    <meta http-equiv="refresh" content="0; url=../guide/">
</head>
<body>
Redirecting...
</body>
</html>
"""


def test_a_redirect_page_is_skipped_and_named(tmp_path: Path) -> None:
    """mkdocs-redirects writes a page for each moved page: "Redirecting..." under a refresh to the new address. A
    short page of words of its own, without a refresh, is read."""
    files = {**BUILD, "old/install/index.html": REDIRECT,
             "short.html": "<html><head><title>Short</title></head><body><p>Redirecting water needs a pump.</p></body></html>"}
    index, report = indexed(tmp_path, files)
    assert dict(report.skipped_files)["old/install/index.html"] == "redirect to another page"
    stored = set(index.catalog.files("docs"))
    assert "old/install/index.html" not in stored and "short.html" in stored
    assert not any("Redirecting..." in text for _, _, text in rows(tmp_path / "store"))
    index.close()


def test_a_gzipped_redirect_page_is_skipped_and_an_included_one_read(tmp_path: Path) -> None:
    """The notice is known from the bytes the reader has: Debian's gzipped pages are read as the page, so a notice
    it gzipped is one too. --include brings a notice back, as every default skip."""
    files = {**BUILD, "old/setup/index.html": REDIRECT}
    folder = write_tree(tmp_path / "site", files)
    (folder / "sitemap.xml.gz").write_bytes(gzip.compress(files["sitemap.xml"].encode()))
    moved = folder / "old" / "setup" / "index.html"
    moved.with_name("index.html.gz").write_bytes(gzip.compress(moved.read_bytes()))
    moved.unlink()
    index = DocIndex(tmp_path / "store", collection="docs")
    report = index.update(folder)
    assert dict(report.skipped_files)["old/setup/index.html.gz"] == "redirect to another page"
    assert "old/setup/index.html.gz" not in set(index.catalog.files("docs"))
    report = index.update(folder, IndexOptions(includes=["old/"]))
    assert "old/setup/index.html.gz" in set(index.catalog.files("docs")), report.skipped_files
    index.close()


def test_the_builtin_themes_pages_are_mkdocs_pages_and_their_search_page_is_skipped(tmp_path: Path) -> None:
    """MkDocs' own themes write no generator meta: the readthedocs theme's page is known by its script naming the
    page, the mkdocs theme's by its search box. Their code is read without line numbers; the search page at the top
    ("Search Results", "Searching...") is a generated page."""
    rtd = ('<!DOCTYPE html><html class="writer-html5" lang="en"><head><meta charset="utf-8" /><title>Install - Gauges'
           '</title><script>var mkdocs_page_name = "Install"; var mkdocs_page_url = "/guide/";</script></head><body>'
           '<div class="wy-nav-content"><div class="section" itemprop="articleBody"><h1 id="install">Install</h1>'
           f'<p>Draw a dial from its range:</p>{code(["import gauges", "gauges.Dial(0, 100).draw()"])}</div></div>'
           '</body></html>')
    mkdocs_theme = ('<!DOCTYPE html><html lang="en"><head><title>Serve - Gauges</title></head><body><div role="main">'
                    f'<h1 id="serve">Serve</h1><p>Preview the dial:</p>{code(["gauges serve"])}</div>'
                    '<div class="modal" id="mkdocs_search_modal"><input type="search" class="form-control" '
                    'placeholder="Search..." id="mkdocs-search-query"><div id="mkdocs-search-results"></div></div>'
                    '</body></html>')
    search = ('<!DOCTYPE html><html><head><title>Gauges</title></head><body><div role="main"><h1 id="search">Search'
              ' Results</h1><form id="content_search"><input id="mkdocs-search-query"></form>'
              '<div id="mkdocs-search-results">Searching...</div></div></body></html>')
    files = {"sitemap.xml": BUILD["sitemap.xml"], "guide/index.html": rtd, "serve/index.html": mkdocs_theme,
             "search.html": search, "index.html": page("Home", "<h1>Home</h1><p>Gauges draws dials.</p>")}
    index, report = indexed(tmp_path, files)
    assert dict(report.skipped_files)["search.html"] == "generated index page"
    assert "Draw a dial from its range:\n\nimport gauges\ngauges.Dial(0, 100).draw()" in page_text(tmp_path / "store", "guide/index.html")
    assert "Preview the dial:\n\ngauges serve" in page_text(tmp_path / "store", "serve/index.html")
    index.close()


def test_a_search_page_outside_a_mkdocs_build_is_read(tmp_path: Path) -> None:
    folder = write_tree(tmp_path / "notes", {"search.html": "<html><body><h1>Search</h1><p>How binary search halves the"
                                                            " range at each step.</p></body></html>"})
    index = DocIndex(tmp_path / "store", collection="docs")
    index.update(folder)
    assert "search.html" in index.catalog.files("docs")
    index.close()

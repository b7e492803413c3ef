"""A theme's bar of links goes to the site's own pages; links apart by separators that go mostly to other sites are
the page's text (a mirrors page, "pytest-flakefinder - blog post")."""

from __future__ import annotations

from pathlib import Path

from conftest import write_tree
from hypothesis import given, settings
from hypothesis import strategies as st

from jupyter_docchat.indexing.readers.html import html_sections

_MIRRORS = ["ftp.de.debian.org", "ftp.us.debian.org", "ftp.jp.debian.org", "mirror.aarnet.edu.au"]


def _text(markup: str) -> str:
    return "\n".join(section.text for section in html_sections(markup))


def test_a_mirrors_page_is_read_and_searched(tmp_path: Path) -> None:
    """Its one paragraph of links was dropped as a bar, the page read as empty."""
    from jupyter_docchat import DocIndex

    links = " | ".join(f'<a href="https://{host}/debian/">{host}</a>' for host in _MIRRORS)
    page = f"<html><head><title>Mirrors</title></head><body><h1>Mirrors</h1><p>{links}</p></body></html>"
    folder = write_tree(tmp_path / "docs", {"mirrors.html": page})
    with DocIndex(tmp_path / "store") as index:
        index.update(folder)
        hits = index.search("mirror aarnet", k=1)
        assert hits and "mirror.aarnet.edu.au" in hits[0].text and "ftp.jp.debian.org" in hits[0].text


def test_a_themes_bar_of_its_own_pages_is_still_left_out() -> None:
    page = ('<body><div class="related"><a href="index.html">Home</a> | <a href="genindex.html">Index</a> | '
            '<a href="https://github.com/x/y">GitHub</a></div><h1>Pumps</h1><p>Pumps move water uphill.</p></body>')
    text = _text(page)
    assert "Pumps move water" in text and "Home" not in text and "GitHub" not in text


def test_a_plugin_and_its_blog_post_stay() -> None:
    page = ('<body><h1>Plugins</h1><ul><li><p><a href="https://github.com/dropbox/pytest-flakefinder">'
            'pytest-flakefinder</a> - <a href="https://blogs.dropbox.com/tech/2016/03/">blog post</a></p></li></ul></body>')
    assert "pytest-flakefinder - blog post" in _text(page)


_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=10).map(lambda w: f"zq{w}")  # no word of the page


@given(st.lists(_word, min_size=2, max_size=8), st.integers(min_value=0, max_value=8), st.sampled_from(["|", "·", "-"]))
@settings(max_examples=60, deadline=None)
def test_a_bar_is_kept_exactly_when_most_of_its_links_leave_the_site(words: list[str], away: int, mark: str) -> None:
    away = min(away, len(words))
    links = f" {mark} ".join(f'<a href="{"https://" + w + ".example.org/" if n < away else w + ".html"}">{w}</a>'
                             for n, w in enumerate(words))
    text = _text(f"<body><h1>Title</h1><p>{links}</p><p>Some words of the page itself.</p></body>")
    kept = all(w in text for w in words)
    assert kept == (2 * away > len(words)), text

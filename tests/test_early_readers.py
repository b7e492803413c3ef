"""Reading workers started with the update, before its other set-up; the HTML reader on lxml.etree's tree."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_user_paths import _worker_pids, heavy_html_folder

from jupyter_docchat import DocIndex
from jupyter_docchat.indexing import reading
from jupyter_docchat.indexing.readers import html as html_reader
from jupyter_docchat.indexing.readers.html_tables import text_content
from jupyter_docchat.indexing.scan import scan_folder


def _workers_within(seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _worker_pids(os.getpid()):
            return True
        time.sleep(0.05)
    return False


def _chunks(store: Path) -> list[tuple]:
    db = sqlite3.connect(store / "docchat.sqlite")
    try:
        return sorted(db.execute("SELECT id, source, heading, text, meta FROM chunks"))
    finally:
        db.close()


def test_reading_workers_start_before_the_update_loads_its_model(tmp_path: Path, monkeypatch) -> None:
    folder = heavy_html_folder(tmp_path / "docs")
    index = DocIndex(tmp_path / "store")
    seen: list[bool] = []
    real = DocIndex.embedder

    def embedder(self: DocIndex):
        if not seen:  # the update's first need of the model: the workers are importing meanwhile
            seen.append(_workers_within(60))  # generous: a busy machine starts a process slowly
        return real(self)

    monkeypatch.setattr(DocIndex, "embedder", embedder)
    # In the foreground: in the background a fresh store loads the model after its keyword pass
    # (tests/test_deferred_load.py), once the workers are done.
    report = index.update(folder)
    assert seen == [True]
    assert report.added == 10
    deadline = time.monotonic() + 60
    while _worker_pids(os.getpid()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _worker_pids(os.getpid()), "the update left reading workers behind"
    index.close()


def test_early_workers_read_the_same_chunks_and_start_only_for_changed_files(tmp_path: Path, monkeypatch) -> None:
    folder = heavy_html_folder(tmp_path / "docs")
    files = scan_folder(folder).files
    early = DocIndex(tmp_path / "early")
    early.update(folder)
    stamps = early.catalog.file_stats(early.collection)
    assert reading.early_pool(files, stamps) is None  # nothing changed: no worker starts
    early.close()
    pool = reading.early_pool(files, {})
    assert pool is not None
    try:
        assert _workers_within(60)  # started with no request made
    finally:
        pool.shutdown()
        pool.shutdown()  # a second shutdown (FileReader's, then the update's) does nothing
    monkeypatch.setattr(reading, "POOL_MIN_FILES", 10**9)  # read in this process
    alone = DocIndex(tmp_path / "alone")
    alone.update(folder)
    alone.close()
    assert _chunks(tmp_path / "early") == _chunks(tmp_path / "alone")


_TAGS = st.sampled_from(["div", "p", "a", "span", "b", "td", "li", "h2", "pre", "em"])
_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=8)


@st.composite
def _markup(draw, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        if depth < 3 and draw(st.booleans()):
            tag = draw(_TAGS)
            parts.append(f"<{tag}>{draw(_markup(depth + 1))}</{tag}>")
        else:
            parts.append(draw(_TEXT).replace("&", "&amp;").replace("<", "&lt;"))
    return "".join(parts)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=_markup(), drop=st.integers(0, 50))
def test_text_and_dropped_elements_as_lxml_html_gives_them(body: str, drop: int) -> None:
    """The reader parses with lxml.etree (no class lookup per element); its text and its removal of an
    element keep lxml.html's behaviour, tail text included."""
    import lxml.html
    from lxml import etree

    data = f"<html><body><div>{body}</div></body></html>".encode("utf-8", "surrogatepass")
    ours = etree.fromstring(data, etree.HTMLParser(encoding="utf-8"))
    theirs = lxml.html.document_fromstring(data, parser=lxml.html.HTMLParser(encoding="utf-8"))
    ours_all, theirs_all = list(ours.iter()), list(theirs.iter())
    assert [e.tag for e in ours_all] == [e.tag for e in theirs_all]
    assert [text_content(e) for e in ours_all] == [e.text_content() for e in theirs_all]
    removable = [n for n, e in enumerate(ours_all) if e.getparent() is not None and e.tag not in ("body", "html")]
    if removable:
        n = removable[drop % len(removable)]
        html_reader._drop_tree(ours_all[n])
        theirs_all[n].drop_tree()
        assert etree.tostring(ours, encoding=str) == etree.tostring(theirs, encoding=str)


def test_the_reader_gives_what_lxml_html_gave_on_a_page_with_permalinks_tables_and_roles() -> None:
    page = """<html><head><title>T</title></head><body><nav>menu</nav><main>
    <h1>Quickstart<a class="headerlink" href="#q" title="Permalink to this headline">¶</a></h1>
    <p>Intro <b>bold</b> tail<a href="#x">#</a> after.</p><div role="navigation">skip</div>
    <table><tr><th>Type</th><th>Use</th></tr><tr><td>string</td><td>default</td></tr>
    <tr><td>int</td><td>integers</td></tr></table><pre>code  kept
      indented</pre></main></body></html>"""
    sections = html_reader.html_sections(page)
    text = "\n".join(s.text for s in sections)
    assert [s.heading for s in sections] == ["T > Quickstart"]
    assert "¶" not in text and "menu" not in text and "skip" not in text
    assert "Intro bold tail after." in text and "| string | default |" in text
    assert "code  kept\n      indented" in text


_MD_LINE = st.one_of(
    st.sampled_from(["# Title", "## Install [¶](#install)", "Setext", "===", "---", "| a | b |", "|---|---|",
                     "a | b", "```", "    code", "> quote", "- item", "1. one", "", "<a id='x'></a>", "`span`"]),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=12),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_MD_LINE, max_size=14))
def test_the_markdown_reader_sees_the_blocks_the_full_parse_gives(lines: list[str]) -> None:
    """Block rules only (no parsing inside paragraphs): every block token as the full parse has it."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    from jupyter_docchat.indexing.readers.markdown import _block_parser

    text = "\n".join(lines)

    def blocks(tokens: list) -> list[tuple]:
        return [(t.type, t.map, t.content, t.level, t.tag) for t in tokens]

    assert blocks(_block_parser().parse(text)) == blocks(MarkdownIt("commonmark").use(front_matter_plugin).enable("table").parse(text))

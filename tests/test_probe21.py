"""Probe 21: failures found attacking the day's search prefix, wordless queries and Sphinx chrome changes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jupyter_docchat import DocIndex
from jupyter_docchat.errors import DocChatError
from jupyter_docchat.indexing.readers.html import html_sections

from conftest import EXAMPLE_DOCS, ROOT, grows_linearly

QUERIES = ["worker queue retry broker", "worker broker URL configuration", "queue 7 tasks", "deposit insurance",
           "Every worker reads the broker URL from the configuration file", "twin", "retry the broker"]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory):
    """The example documents, 25 files holding one passage word for word (repeats of each other) and four long
    pages whose sections all match the same words."""
    root = tmp_path_factory.mktemp("probe21")
    docs = root / "docs"
    shutil.copytree(EXAMPLE_DOCS, docs)
    same = "## Shared notice\n\nEvery worker reads the broker URL from the configuration file and retries the queue.\n"
    for n in range(25):
        (docs / f"twin{n:02d}.md").write_text(f"# Twin\n\n{same}\n", encoding="utf-8")
    for n in range(4):
        (docs / f"long{n}.md").write_text("# Long\n\n" + "\n".join(
            f"## Worker queue {s}\n\nThe worker takes from the queue {s} tasks; retry the broker {n}.\n"
            for s in range(20)), encoding="utf-8")
    with DocIndex(root / "store") as built:
        built.update(docs)
        yield built


@pytest.mark.parametrize("k", [11, 12, 20, 50])
def test_a_search_of_more_than_ten_begins_with_the_search_of_ten(index: DocIndex, k: int) -> None:
    """Read deeper for more hits, the first ten changed (and held four chunks of one page)."""
    for query in QUERIES:
        ten = [(h.source, h.location) for h in index.search(query, k=10)]
        many = [(h.source, h.location) for h in index.search(query, k=k)]
        assert many[:10] == ten, (query, k)
        assert len(many) == len({h for h in many})


@settings(max_examples=15, deadline=None)
@given(k=st.integers(1, 50), query=st.sampled_from(QUERIES))
def test_any_k_s_hits_are_a_prefix_of_a_search_of_fifty(index: DocIndex, k: int, query: str) -> None:
    fifty = [(h.source, h.location) for h in index.search(query, k=50)]
    got = [(h.source, h.location) for h in index.search(query, k=k)]
    assert got == fifty[:k] if k <= 10 else got[:10] == fifty[:10]


@pytest.mark.parametrize("query", ["\x1b[31m?!\x1b[0m", "\x1b[1m...", "\x1b]8;;http://x\x07!\x1b]8;;\x07"])
def test_a_colour_coded_wordless_query_is_refused_as_the_question_is(index: DocIndex, query: str) -> None:
    """ask refused "\\x1b[31m?!" (the colour code is no part of what is asked) but search listed five hits: the
    code's "31m" counted as words."""
    for call in (lambda: index.ask(query), lambda: index.search(query)):
        with pytest.raises(DocChatError, match="no words") as refused:
            call()
        assert "\n" not in str(refused.value)


def test_the_cli_refuses_a_colour_coded_wordless_query_in_one_line(index: DocIndex, tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "jupyter_docchat.cli", "search", "\x1b[31m?!\x1b[0m", "--store",
                           str(index.where)], capture_output=True, text=True, timeout=600, cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 1, done.stdout
    assert done.stderr.count("\n") == 1 and "no words" in done.stderr


def test_a_long_title_of_many_dashes_is_read_in_linear_time() -> None:
    """The site-suffix pattern backtracked over every ' - ' of a title: 64 KB of "a - x - x ..." took 22 s."""
    page = ("<html><head><title>a{}</title></head><body><h2>S</h2><p>text</p></body></html>").format
    grows_linearly(html_sections, lambda n: page(" - x" * n), (1000, 4000))


def test_a_long_title_still_loses_the_site_s_name() -> None:
    from lxml import etree

    from jupyter_docchat.indexing.readers.html import _title_of

    title = "Configuration " * 30 + "— Celery 5.2.6 documentation"
    doc = etree.fromstring(f"<html><head><title>{title}</title></head><body><p>x</p></body></html>", etree.HTMLParser())
    assert _title_of(doc) == ("Configuration " * 30).strip()
    title = "y" * 300 + "- " + "w" * 184 + " documentation"  # its last 200 characters begin "- www"
    doc = etree.fromstring(f"<html><head><title>{title}</title></head><body><p>x</p></body></html>", etree.HTMLParser())
    assert _title_of(doc) == title


@pytest.mark.parametrize("queries", [[("?!", 1.0)], [(" ", 1.0)], [("\x1b[31m", 1.0), ("...", 2.0)]])
def test_a_list_of_queries_none_with_words_is_refused(index: DocIndex, queries: list) -> None:
    """A string of punctuation was refused, the same in a list of (query, weight) pairs listed five hits."""
    with pytest.raises(DocChatError, match="no words") as refused:
        index.search(queries)
    assert "\n" not in str(refused.value)
    assert index.search([("?!", 1.0), ("deposit insurance", 1.0)])  # one query with words is searched


@pytest.mark.parametrize("mode", ["hybrid", "dense", "lexical"])
def test_a_shallow_fusion_still_lists_k_hits(index: DocIndex, mode: str) -> None:
    """Since rankings were read ``candidates`` deep for up to ten hits, a Fusion(candidates=3) (search's ``fusion``)
    listed three hits of a search of ten where 21 chunks matched: it was read at least four times k deep before."""
    from jupyter_docchat.retrieval.fusion import Fusion

    shallow = Fusion(candidates=3)
    ten = index.search("worker queue retry broker", k=10, mode=mode, fusion=shallow)
    assert len(ten) == 10
    for k in (1, 5, 9):
        assert [h.id for h in index.search("worker queue retry broker", k=k, mode=mode, fusion=shallow)] == [
            h.id for h in ten][:k]


def test_a_title_with_a_dash_of_its_own_keeps_it_under_furo_s_hyphen_suffix() -> None:
    """Furo writes "{title} - {project} {release} documentation": a page "Client - Server setup" was headed "Client"."""
    from lxml import etree

    from jupyter_docchat.indexing.readers.html import _title_of

    def title_of(title: str) -> str:
        return _title_of(etree.fromstring(f"<html><head><title>{title}</title></head><body><p>x</p></body></html>",
                                          etree.HTMLParser()))

    assert title_of("Client - Server setup - MyLib 1.0 documentation") == "Client - Server setup"
    assert title_of("Tasks — Celery — Celery 5.2.6 documentation") == "Tasks — Celery"
    assert title_of("Black classes - Black Documentation (23.x)") == "Black classes"
    assert title_of("Writing documentation — Sphinx 7 documentation") == "Writing documentation"


def test_a_title_of_the_site_s_name_alone_heads_nothing() -> None:
    """A page whose title is empty is titled " — Celery 5.2.6 documentation": it headed every section so."""
    for title in (" — Celery 5.2.6 documentation", " - MyLib 1.0 documentation", "| Django documentation"):
        page = (f"<html><head><title>{title}</title></head><body><div role='main'><h2>Enums</h2>"
                "<p>Mode is an enum.</p></div></body></html>")
        assert [s.heading for s in html_sections(page)] == ["Enums"], title


def test_an_svg_icon_s_title_is_no_page_title() -> None:
    """A page without a <title> of its own was headed by its first inline icon's: "Copy to clipboard > Install"."""
    page = ("<html><body><h2>Install</h2><p>Run the installer.<button><svg><title>Copy to clipboard</title></svg>"
            "</button></p></body></html>")
    assert [s.heading for s in html_sections(page)] == ["Install"]
    titled = page.replace("<body>", "<head><title>Setup — X 1.0 documentation</title></head><body>")
    assert [s.heading for s in html_sections(titled)] == ["Setup > Install"]

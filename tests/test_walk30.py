"""A Texinfo manual split per node, as every GNU manual's HTML is (walk 30: Debian's libmpfr-doc, MPFR's manual).

Each node's page opens (and a long one ends) on makeinfo's bar "Next: <a>..</a>, Previous: <a>..</a>, Up: <a>..</a>
[<a>Index</a>]": its link texts gave it 8 words and more, so it was read as a sentence and kept, a chunk of its own
at each page's top and the end of its last passage. Each page's title is "Node (Manual)", and the manual's name
headed some pages' trails and not others'. Each @anchor has a redirect page of its own ("The node you are looking for
is at mpfr_pow."), over 2 kB with the manual's copying notice in its head. And "How do I change the exponent range?"
was taken for a question about a change: the ChangeLog's "Extend the exponent range" lines took every source.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ask, write_tree

from jupyter_docchat import DocIndex
from jupyter_docchat.indexing.readers.html import html_sections
from jupyter_docchat.retrieval.release_notes import asks_about_changes

NOTICE = ("<!-- This manual documents how to install and use the Walrus Tusk Library, version 2.1.\n\n"
          + "Permission is granted to copy, distribute and/or modify this document under the terms of the GNU Free "
            "Documentation License, Version 1.3 or any later version published by the Free Software Foundation. " * 6
          + "-->")
STYLE = "<style type='text/css'>\n<!--\n" + "".join(f"div.example{n} {{margin-left: 3.2em}}\n" for n in range(30)) + "-->\n</style>"


def _bar(up: str = "Walrus Basics") -> str:
    return ("<div class='header'><p>Next: <a href='Tusk-Sizes.html' accesskey='n' rel='next'>Tusk Sizes and Their "
            "Units</a>, Previous: <a href='Nomenclature-and-Types.html' accesskey='p' rel='prev'>Nomenclature and "
            f"Types</a>, Up: <a href='Walrus-Basics.html' accesskey='u' rel='up'>{up}</a> &nbsp; "
            "[<a href='Concept-Index.html' title='Index' rel='index'>Index</a>]</p></div><hr>")


def node(title: str, body: str, bar: str = "", generator: str = "makeinfo") -> str:
    """A node's page as makeinfo 6.8 writes it (its generator meta spelt "Generator")."""
    bar = bar or _bar()
    return (f"<!DOCTYPE html><html><!-- Created by GNU Texinfo 6.8 --><head>{NOTICE}<title>{title} (GNU Walrus 2.1)"
            f"</title><meta name='Generator' content='{generator}'><link href='index.html' rel='start' title='Top'>"
            f"{STYLE}</head><body lang='en'><div class='section' id='x'>{bar}{body}<hr>{bar}</div></body></html>")


ROUNDING = node("Tusk Rounding", "<h3 class='section'>4.4 Tusk Rounding</h3><p>A tusk length is rounded to the nearest "
                "whole centimetre, with ties going to the even centimetre, before it is stored in a record.</p>"
                "<dl class='def'><dt>Function: <code>int</code> <strong>walrus_round_tusk</strong> <code>(walrus_t "
                "w)</code></dt><dd><p>Round the tusk length of w; returns zero when it was already whole.</p></dd></dl>")
EFFICIENCY = node("Getting the Best Speed Out of Walrus", "<h3 class='section'>4.8 Getting the Best Speed Out of Walrus"
                  "</h3><p>Reuse walrus_t records whenever you can: allocating and clearing them in a loop is slow.</p>")
REDIRECT = (f"<!DOCTYPE html><html><head>{NOTICE}<title>walrus_round_tusk (GNU Walrus 2.1)</title>"
            f"<meta name='Generator' content='makeinfo'>{STYLE}<meta http-equiv='Refresh' content='0; "
            "url=Tusk-Rounding.html#walrus_005fround_005ftusk'></head><body><p>The node you are looking for is at "
            "<a href='Tusk-Rounding.html#walrus_005fround_005ftusk'>walrus_round_tusk</a>.</p></body></html>")
MANUAL = {"walrus.html/Tusk-Rounding.html": ROUNDING,
          "walrus.html/Getting-the-Best-Speed-Out-of-Walrus.html": EFFICIENCY,
          "walrus.html/walrus_005fround_005ftusk.html": REDIRECT,
          "walrus.html/Tusk-Ranges.html": node("Tusk Ranges", "<h3 class='section'>4.5 Tusk Ranges</h3><p>To change the "
                                               "tusk range, call walrus_set_tusk_max with the longest tusk in "
                                               "centimetres; lengths over it are clamped.</p>"),
          "ChangeLog": "".join(f"2023-0{n}-0{n}  Walrus Hacker\n\n\t* src/tusk{n}.c: extend the tusk range early "
                               "enough; the tusk range was exceeded in tusk_max.\n\n" for n in range(1, 8))}


def test_the_node_bars_are_left_out_and_the_manuals_name_heads_no_trail() -> None:
    for page, heading in ((ROUNDING, "4.4 Tusk Rounding"), (EFFICIENCY, "4.8 Getting the Best Speed Out of Walrus")):
        sections = html_sections(page)
        assert [s.heading for s in sections] == [heading]
        text = "\n".join(s.text for s in sections)
        for chrome in ("Next:", "Previous:", "Up:", "Nomenclature", "[Index]", "GNU Walrus 2.1"):
            assert chrome not in text
        assert text.startswith(heading)
    assert "Function: int walrus_round_tusk (walrus_t w)" in html_sections(ROUNDING)[0].text


def test_the_top_nodes_page_is_titled_by_the_manual() -> None:
    page = node("Top", "<p>This manual documents how to use the Walrus Tusk Library, which measures tusks.</p>"
                "<div class='chapter' id='Intro'><h2 class='chapter'>1 Introduction to Walrus</h2><p>Walrus measures "
                "and stores tusks in records.</p></div>", bar=_bar(up="(dir)"))
    assert [s.heading for s in html_sections(page)] == ["GNU Walrus 2.1", "GNU Walrus 2.1 > 1 Introduction to Walrus"]


def test_another_generators_title_in_brackets_stays() -> None:
    page = node("Tusk Rounding", "<h3>Ties</h3><p>Tusks are rounded to the centimetre before they are stored.</p>",
                generator="Sphinx 7.2")
    assert html_sections(page)[0].heading == "Tusk Rounding (GNU Walrus 2.1) > Ties"


def test_links_under_words_of_the_pages_own_are_text_not_a_bar() -> None:
    for words in ("See also: ", "Next, read ", "Next "):
        page = node("Tusk Rounding", f"<h3>4.4 Tusk Rounding</h3><p>{words}<a href='a.html'>Tusk Sizes</a>, "
                    "<a href='b.html'>Tusk Ranges</a>.</p>")
        text = html_sections(page)[0].text
        assert f"{words.strip()} Tusk Sizes, Tusk Ranges." in " ".join(text.split()), words


LINK = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20).filter(
    lambda t: t.strip() and "<" not in t and "&" not in t)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["Next: ", ", Previous: ", ", Up: ", " [", "][", "] | ", ", "]), LINK),
                min_size=2, max_size=5),
       st.text(alphabet=st.characters(whitelist_categories=("Ll", "Lu")), min_size=3, max_size=12))
def test_a_bar_of_labels_is_chrome_and_a_word_of_text_in_it_keeps_it(parts: list[tuple[str, str]], word: str) -> None:
    links = "".join(f"{label}<a href='n{n}.html'>{text}</a>" for n, (label, text) in enumerate(parts))
    body = "<h3>4.4 Tusk Rounding</h3><p>Tusks are rounded to the whole centimetre before they are stored.</p>"
    # Links apart by a bare comma are a list after its one label ("Contents: <a>..</a>, <a>..</a>"), the page's text
    # since probe 31: a bar labels each of its links.
    labelled = any(label.strip(" ,[]|") for label, _ in parts) and ", " not in [label for label, _ in parts[1:]]
    read = "\n".join(s.text for s in html_sections(node("Tusk Rounding", body, bar=f"<div><p>{links}</p></div>")))
    assert "rounded to the whole centimetre" in read
    if labelled:
        assert not any(text.strip() in read for _, text in parts if text.strip() not in body), read
    if word.casefold() not in {"next", "previous", "prev", "up", "top", "home", "contents", "index"}:
        kept = f"<div><p>{word} {links}</p></div>"
        assert word in "\n".join(s.text for s in html_sections(node("Tusk Rounding", body, bar=kept)))


def test_a_how_to_change_question_is_not_about_a_change() -> None:
    for q in ["How do I change the exponent range?", "How can I change the default precision?",
              "Is it possible to change the port?", "Should we change the tusk range before reading?"]:
        assert not asks_about_changes(q), q
    for q in ["What changed in 2.0?", "Did the API change?", "Which release changed the default rounding?",
              "How do I change the range since 3.0?", "What does a WITHOUT ROWID table change about rows?"]:
        assert asks_about_changes(q), q


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_change_as_a_how_tos_verb_counts_as_any_other_verb(rest: str) -> None:
    for frame in ("How do I {} {}?", "I want to {} {}", "can you {} {}"):
        assert asks_about_changes(frame.format("change", rest)) == asks_about_changes(frame.format("set", rest))


def test_the_manual_is_indexed_without_its_redirects_and_answers_from_its_node(ip, tmp_path: Path) -> None:
    folder = write_tree(tmp_path / "libwalrus-doc", MANUAL)
    with DocIndex(tmp_path / "store", collection="docs") as index:
        report = index.update(folder)
        assert dict(report.skipped_files)["walrus.html/walrus_005fround_005ftusk.html"] == "redirect to another page"
        texts = [text for (text,) in index.catalog.db.execute("SELECT text FROM chunks")]
    assert texts and not any("Next:" in text or "node you are looking for" in text for text in texts)
    ip.run_line_magic("docchat_index", f'"{folder}" --quiet')
    ask(ip, "How do I change the tusk range?", "--no-stream")
    turn = ip.user_ns["docchat_history"][-1]
    assert turn["sources"][0]["source"] == "walrus.html/Tusk-Ranges.html"
    assert "walrus_set_tusk_max" in turn["answer"] and "extend the tusk range" not in turn["answer"]
    ask(ip, "How is a tusk length rounded?", "--no-stream")
    turn = ip.user_ns["docchat_history"][-1]
    assert "nearest whole centimetre" in " ".join(turn["answer"].split())
    assert turn["sources"][0]["source"] == "walrus.html/Tusk-Rounding.html"


INDEX_NODE = node("Function and Type Index", "<h2 class='unnumbered'>Function and Type Index</h2><table class='index-fn' "
                  "border='0'><tr><th>Index Entry</th><th>Section</th></tr><tr><td><a href='Tusk-Rounding.html#x'>"
                  "<code>walrus_round_tusk</code></a>:</td><td><a href='Tusk-Rounding.html'>Tusk Rounding</a></td></tr>"
                  "<tr><td><a href='Tusk-Ranges.html#y'><code>walrus_set_tusk_max</code></a>:</td><td><a "
                  "href='Tusk-Ranges.html'>Tusk Ranges</a></td></tr></table>")


def test_the_manuals_index_nodes_are_skipped_and_named(tmp_path: Path) -> None:
    texinfo7 = INDEX_NODE.replace("class='index-fn'", "class=\"fn-entries-printindex\"").replace("makeinfo", "texi2any")
    files = {**MANUAL, "walrus.html/Function-and-Type-Index.html": INDEX_NODE, "walrus.html/Concept-Index.html": texinfo7,
             # Another generator's table of that class is a table of the page's own.
             "tables.html": INDEX_NODE.replace("makeinfo", "Sphinx 7.2")}
    folder = write_tree(tmp_path / "libwalrus-doc", files)
    with DocIndex(tmp_path / "store", collection="docs") as index:
        report = index.update(folder)
        skipped = dict(report.skipped_files)
        for name in ("walrus.html/Function-and-Type-Index.html", "walrus.html/Concept-Index.html"):
            assert skipped[name] == "generated index page"
        assert "tables.html" in index.catalog.files("docs")
        hits = index.search("What does walrus_round_tusk return?", k=3)
        assert hits[0].source == "walrus.html/Tusk-Rounding.html"


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(blacklist_characters="<", blacklist_categories=("Cs",)), max_size=400).map(str.encode),
       st.sampled_from([b"", b"<meta name='Generator' content='makeinfo'>",
                                                  b"<meta content=texi2any name=generator>"]),
       st.sampled_from([b"", b"<table class='index-cp'>", b"<TABLE border=0 class=\"vr-entries-printindex\">"]))
def test_any_page_is_told_an_index_node_or_not(noise: bytes, meta: bytes, table: bytes) -> None:
    from jupyter_docchat.indexing.skips import texinfo_index_page

    page = b"<html><head>" + meta + b"</head><body>" + noise + table + b"</body></html>"
    assert texinfo_index_page(page) == bool(meta and table)


def test_a_gnu_packages_bugs_and_faq_files_are_read(tmp_path: Path) -> None:
    files = {**MANUAL, "BUGS": "Known bugs:\n\n- The tusk range is not checked by walrus_round_tusk when the record was "
                               "cleared; call walrus_set_tusk_max again after walrus_clear.\n",
             "FAQ": "1. Why does walrus need GNU MP?\n\nWalrus keeps tusk lengths as GNU MP integers.\n",
             "BUGS.old.bin": "\x00\x01binary"}
    folder = write_tree(tmp_path / "libwalrus-doc", files)
    with DocIndex(tmp_path / "store", collection="docs") as index:
        report = index.update(folder)
        assert {"BUGS", "FAQ"} <= set(index.catalog.files("docs")), report.summary()
        assert index.search("Is there a known bug with walrus_round_tusk after walrus_clear?", k=1)[0].source == "BUGS"


def _book(chapter_pages: int = 6) -> list[list[str]]:
    """A manual as texinfo.tex prints it: two pages of front matter, then each chapter's first page under its number
    alone and the others under running heads, "Chapter N: Title P" on odd pages, "P GNU Walrus 2.1" on even ones."""
    pages = [["GNU Walrus", "The Walrus Tusk Library"], ["Table of Contents", "1 Tusks . . . . . 1"]]
    for chapter, title in ((1, "Tusks"), (2, "Records")):
        for k in range(chapter_pages):
            printed = len(pages) - 1  # the third page is printed 1
            head = (str(printed) if k == 0 else f"Chapter {chapter}: {title} {printed}" if printed % 2
                    else f"{printed} GNU Walrus 2.1")
            pages.append([head, f"Page {printed} of chapter {chapter}: walruses keep their tusks in record {k}."])
    return pages


def test_a_printed_manuals_running_heads_are_left_out(tmp_path: Path) -> None:
    from pdfgen import pdf_bytes

    from jupyter_docchat.indexing.readers import read_sections

    sections = read_sections(Path("walrus.pdf"), pdf_bytes(_book()))
    firsts = [s.text.strip().splitlines()[0] for s in sections]
    assert firsts[:2] == ["GNU Walrus", "Table of Contents"]
    assert all(first.startswith("Page ") for first in firsts[2:]), firsts
    assert not any("GNU Walrus 2.1" in s.text or "Chapter 1: Tusks" in s.text for s in sections)
    # A report whose pages open on their own numbered lines, unlike each other, keeps them.
    report = [[f"{n + 1} walruses counted on beach {chr(65 + n)}", "The count was made at low tide."] for n in range(6)]
    assert [s.text.strip().splitlines()[0] for s in read_sections(Path("r.pdf"), pdf_bytes(report))] == [
        page[0] for page in report]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(st.sampled_from("ab1 9\r\n\tChapter:"), max_size=40), max_size=8))
def test_running_heads_take_only_a_first_line_holding_a_number(pages: list[str]) -> None:
    from jupyter_docchat.indexing.readers.pdf import _without_running_heads

    cut = _without_running_heads(pages)
    assert len(cut) == len(pages)
    for before, after in zip(pages, cut):
        assert before.endswith(after)
        taken = before[:len(before) - len(after)]
        assert taken == "" or (len(taken.strip().splitlines()) == 1 and any(c.isdigit() for c in taken))


def test_a_long_first_line_of_spaces_is_read_in_linear_time() -> None:
    from conftest import grows_linearly

    from jupyter_docchat.indexing.readers.pdf import _without_running_heads

    grows_linearly(lambda page: _without_running_heads([page] * 4), lambda n: " " * n + "x 7", (20000, 80000))

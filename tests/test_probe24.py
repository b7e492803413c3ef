"""Probe 24: failures found attacking entry names in answers, example captions, unclosed <svg>, styled letters and
odd store paths. Real parts: the splitter, %%ask in a real IPython shell over a real store, DocIndex, the readers."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from conftest import ask
from hypothesis import given, settings
from hypothesis import strategies as st

from jupyter_docchat import DocIndex
from jupyter_docchat.errors import DocChatError
from jupyter_docchat.markdown_html import render_markdown
from jupyter_docchat.qa.answer_units import Unit, entry_term, split_units
from jupyter_docchat.qa.extractive import _named
from jupyter_docchat.safe_text import quoted_text

REFERENCE = ("Quoting helpers\n===============\n\nThe quoting module offers a few helpers for shells.\n\n"
             "quote_char(ch='\\`')\n\n"
             "Wraps the zebra argument in quotes and returns it; the marker `see [1]` stays in code as written.\n\n"
             "________________________________________\n\n"
             "The giraffe setting controls how tall the quoting output may grow before wrapping.\n")


def _asked(ip, tmp_path: Path, files: dict[str, str], question: str) -> dict:
    """%%ask's turn for ``question`` over a folder of ``files`` and an unrelated note, indexed in a real shell."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in {**files, "other.txt": "The warehouse opens at nine in the morning on weekdays.\n"}.items():
        (folder / name).write_text(text)
    ip.run_line_magic("docchat_index", f'"{folder}" --quiet')
    ask(ip, question, "--no-stream")
    return ip.user_ns["docchat_history"][-1]


def test_an_entry_name_with_a_backslash_before_a_backtick_opens_no_code_span(ip, tmp_path: Path) -> None:
    """"quote_char(ch='\\`')" was written "quote_char(ch='\\\\`')": the backslash escaped, the backtick live again,
    and the document's own "[1]" in code after it was linked to source 1."""
    turn = _asked(ip, tmp_path, {"quoting.txt": REFERENCE}, "What does quote_char do with the zebra argument?")
    lead = turn["answer"].split("\n\n*Extractive answer")[0].split("\n\nAlso:")[0]
    assert lead.startswith("quote_char(") and "zebra" in lead
    html = render_markdown(lead, len(turn["sources"]))
    assert "<code>see [1]</code>" in html and html.count('class="docchat-cite"') == 1
    assert "quote_char(ch='\\`')" in html  # the name as the document writes it


def test_a_separator_line_names_no_entry(ip, tmp_path: Path) -> None:
    """A text file's line of underscores read as an identifier: the answer began "________: The giraffe setting"."""
    assert entry_term("_" * 40) == "" and entry_term("$$_") == ""
    assert entry_term("___init___") == "___init___" and entry_term("_()") == "_()"  # gettext's _ is a name
    folder = tmp_path / "api"
    folder.mkdir()
    (folder / "quoting.txt").write_text(REFERENCE)
    ip.run_line_magic("docchat_index", f'"{folder}" --quiet')
    ask(ip, "What does the giraffe setting control?", "--no-stream")
    answer = ip.user_ns["docchat_history"][-1]["answer"]
    assert answer.startswith("The giraffe setting controls how tall")


_NAME_CHARS = st.text(st.sampled_from("ab_(=')\\`[]1 -<>*"), min_size=0, max_size=20)


@settings(max_examples=300, deadline=None)
@given(name=_NAME_CHARS)
def test_an_entry_name_never_links_a_document_s_own_citation(name: str) -> None:
    """Whatever an entry's name holds, the answer naming it links no "[1]" of the document (the only [1] below is in
    a code span of the description) and shows the name's backslashes and backticks as written."""
    entry = f"f_g({name})"
    assert entry_term(entry) == entry
    unit = Unit("Returns the text with `see [1]` kept in code.", "sentence", 0, entry=entry)
    html = render_markdown(_named(unit, quoted_text(unit.text)), citations=1)
    assert "docchat-cite" not in html
    assert "<code>see [1]</code>" in html


def test_a_figure_caption_does_not_make_the_prose_below_it_a_code_block(ip, tmp_path: Path) -> None:
    """A caption introduced the short lines of prose under it as a block of configuration: quoted fenced as code."""
    text = ("Memory report\n\nThe server was measured over five releases of the walrus cache.\n\n"
            "Figure 4. Memory use by release\n\nMemory use grew with each release\nas the walrus cache got larger\n"
            "and the eviction stayed the same\n\nThe next section covers disk use in detail.\n")
    units = split_units(text, "Memory report", caption_intro=True)
    assert not [u for u in units if u.kind == "code"]
    # the script under an example's caption is still its block (tests/test_caption_intro.py)
    script = "Example 6.5. Non-interactive upgrade script\n\nexport DEBIAN_FRONTEND=noninteractive\nyes '' | apt-get -y dist-upgrade\n"
    assert [u.intro for u in split_units(script, "Upgrades", caption_intro=True) if u.kind == "code"] \
        == ["Example 6.5. Non-interactive upgrade script"]
    answer = _asked(ip, tmp_path, {"report.txt": text}, "Why did memory use grow with each release?")["answer"]
    assert "```" not in answer.split("\n\n*Extractive answer")[0] and "walrus cache got larger" in answer


def _nested_svgs(n: int) -> str:
    return ("<html><body><h1>Walrus icons</h1>"
            + "".join(f"<svg><path d='M0'/><p>Paragraph {i} about walruses.</p>" for i in range(n)) + "</body></html>")


def test_many_unclosed_svgs_are_read_in_linear_time_and_keep_their_text() -> None:
    """2,000 icons each left open, nested in the one before: finding the HTML in them took 63 s (0.6 s for 500); and
    8,000, deeper than libxml2 builds a tree for, lost every paragraph after the first icon in the streaming reader."""
    from jupyter_docchat.indexing.readers.html import html_sections

    started = time.perf_counter()
    for n in (2000, 8000):
        text = "\n".join(s.text for s in html_sections(_nested_svgs(n)))
        assert len(re.findall(r"Paragraph \d+ about walruses", text)) == n, n
    assert time.perf_counter() - started < 10
    # an open <svg> ends at any of HTML's breakout tags, <em> and <b> too; its <foreignObject> stays in it
    page = ("<html><body><h1>Walrus</h1><svg><path/><em>Note:</em> the walrus sleeps on ice."
            "<svg><foreignObject><p>Label inside the drawing</p></foreignObject></svg></body></html>")
    text = "\n".join(s.text for s in html_sections(page))
    assert "Note: the walrus sleeps on ice." in text and "Label inside" not in text
    deep = "<div>" * 3000 + page.replace("<html><body>", "")
    text = "\n".join(s.text for s in html_sections(deep))
    assert "Note: the walrus sleeps on ice." in text and "Label inside" not in text


@pytest.fixture
def otters(tmp_path: Path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "otters.txt").write_text("Otters live near rivers and eat fish every day.\n")
    (folder / "cafe.txt").write_text("The cafe serves crepes every morning near the harbour.\n")
    with DocIndex(tmp_path / "store") as index:
        index.update(folder)
        yield index


@pytest.mark.parametrize("query", ["ⓞⓣⓣⓔⓡⓢ", "🄾🅃🅃🄴🅁🅂"])
def test_circled_and_squared_letters_are_searched_as_the_plain_ones(otters: DocIndex, query: str) -> None:
    """NFKC reads them as "otters", yet the check before it refused them: "the query has no words, only punctuation or
    symbols" (their category is a symbol's)."""
    assert otters.search(query, k=1)[0].source == "otters.txt"
    assert otters.ask(query).text.startswith("Otters live near rivers")
    with pytest.raises(DocChatError, match="no words"):
        otters.search("→ ★ ✓")  # symbols that are no letters are still refused


@pytest.mark.parametrize("store", ["/dev/null", "fifo"])
def test_a_store_path_that_is_a_device_or_a_pipe_is_named_so(tmp_path: Path, store: str) -> None:
    """status said "store /dev/null: no collections yet" and an update "cannot create the store ...: File exists"."""
    import os

    path = Path(store) if store.startswith("/") else tmp_path / store
    if store == "fifo":
        os.mkfifo(path)
    for run in (lambda index: index.status(), lambda index: index.update(tmp_path)):
        with pytest.raises(DocChatError, match="is a device, pipe or socket, not a folder"):
            with DocIndex(path) as index:
                run(index)


def test_a_pdf_hyphen_at_a_line_end_before_a_digit_is_kept(tmp_path: Path) -> None:
    """PDFium marks a hyphen ending a line as a break, before a digit too: "COVID-19" and "Form W-2" were read "COVID19"
    and "W2", and a keyword search for "COVID-19" found nothing. A syllable's hyphen is never before a digit."""
    from pdfgen import pdf_bytes

    from jupyter_docchat.indexing.readers import read_sections

    data = pdf_bytes([["The pandemic of COVID-", "19 closed the schools in the spring of the year.", "Fill in the Form W-",
                       "2 for details on the inter-", "face of the payroll office."]])
    text = " ".join(s.text for s in read_sections(Path("report.pdf"), data))
    assert "COVID-19 closed" in text and "Form W-2 for" in text and "interface" in text
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "report.pdf").write_bytes(data)
    (folder / "other.txt").write_text("Otters live near rivers and eat fish every day.\n")
    with DocIndex(tmp_path / "store") as index:
        index.update(folder)
        assert index.search("COVID-19", k=1, mode="lexical")[0].source == "report.pdf"


def test_characters_documents_write_themselves_are_searched_as_typed(tmp_path: Path) -> None:
    """With all of NFKC the keyword side searched "m²" as "m2" and a "ﬁle" pasted from a PDF as "file": the documents
    write them as they are, and the keyword index found neither (it did before the styled letters were read)."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "flat.txt").write_text("The flat measures 85 m² and the kitchen alone 12 m².\n\n"
                                     "Please read the ﬁle carefully before signing it.\n")
    (folder / "other.txt").write_text("Otters live near rivers and eat fish every day.\n")
    with DocIndex(tmp_path / "store") as index:
        index.update(folder)
        for query in ("m²", "ﬁle", "ｍ²", "𝗺²"):  # the styled letter is the plain one, the superscript kept
            hits = index.search(query, k=1, mode="lexical")
            assert hits and hits[0].source == "flat.txt", query


def test_readme_debian_is_read_at_its_titles(tmp_path: Path) -> None:
    """dh_make's README.Debian opens "walrus for Debian" over dashes, as a README read at its titles does: with Debian's
    suffix it was one section of text, without a heading."""
    from jupyter_docchat.indexing.readers import read_sections

    text = ("walrus for Debian\n-----------------\n\nThe walrus daemon is configured in /etc/walrus.conf by the Debian "
            "package.\n\nUpgrading from 1.x\n------------------\n\nThe old cache is removed on upgrade; back it up "
            "first.\n\n -- Me <me@example.org>, Mon, 01 Jan 2024 00:00:00 +0000\n")
    for name in ("README.Debian", "NEWS.Debian", "README"):
        headings = [s.heading for s in read_sections(Path(name), text.encode())]
        assert headings == ["walrus for Debian", "Upgrading from 1.x"], name
    # a LICENSE's underlined line is no title, with Debian's suffix or without
    assert [s.heading for s in read_sections(Path("copyright.Debian"), text.encode())] == [""]


def test_a_page_ending_in_a_broken_word_still_loses_its_number() -> None:
    """PDFium joins a page's last broken word and the page's number below it ("inter\\ufffe1"): the number was read into
    the word ("inter1"), and the page kept it."""
    from pdfgen import pdf_bytes

    from jupyter_docchat.indexing.readers import read_sections

    pages = [["Text of page one about the inter-", "1"], ["face of page two continues here and non-", "2"],
             ["basic words and a total of COVID-", "19 cases", "3"]]
    texts = [s.text for s in read_sections(Path("book.pdf"), pdf_bytes(pages))]
    assert texts == ["Text of page one about the inter", "face of page two continues here and non",
                     "basic words and a total of COVID-19 cases"]

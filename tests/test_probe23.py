"""Probe 23: failures found attacking today's entry terms, contents lines, PDF page numbers, status and gone folders."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pdfgen import pdf_bytes

from jupyter_docchat.indexing.readers import read_sections
from jupyter_docchat.indexing.readers.pdf import _keep_compound_hyphens, _without_page_numbers

from conftest import ROOT, grows_linearly


def _lines(pages: list[list[str]]) -> list[list[str]]:
    return [section.text.splitlines() for section in read_sections(Path("report.pdf"), pdf_bytes(pages))]


def test_a_two_page_pdf_keeps_a_table_s_last_value() -> None:
    """One page of two ending with a number alone on its line was taken for "most pages end with their number":
    the last value of a 2-page report's table ("250") was left out of the index."""
    got = _lines([["Quarterly revenue report.", "The table below lists units sold."], ["Region Units", "North", "250"]])
    assert got[1][-1] == "250"
    # two pages that both end with their number still lose it
    assert _lines([["Intro text.", "1"], ["More text.", "2"]]) == [["Intro text."], ["More text."]]


def test_a_page_of_blank_lines_is_read_in_linear_time() -> None:
    """The page-number pattern matched the white space before a page's last line from each of its characters: a
    page of 8,000 blank lines took 7.5 s, and a PDF of such pages minutes."""
    grows_linearly(lambda page: _without_page_numbers([page, page]), lambda n: "\r\n" * n + "x", (2000, 8000))
    grows_linearly(lambda page: _without_page_numbers([page, page]), lambda n: "a\n" + " " * n + "x", (2000, 8000))


PAGE = st.text(st.sampled_from("ab1 9\r\n\t-\ufffeé٣"), max_size=40)


@settings(max_examples=300, deadline=None)
@given(pages=st.lists(PAGE, max_size=6))
def test_page_numbers_and_hyphens_change_only_their_own_characters(pages: list[str]) -> None:
    """Whatever the pages: no crash, as many pages, each page's kept text a prefix of what was read (only a last
    line of digits and the white space before it go), and a U+FFFE only ever becomes a hyphen."""
    cut = _without_page_numbers(pages)
    assert len(cut) == len(pages)
    for before, after in zip(pages, cut):
        assert before.startswith(after)
        assert before[len(after):].strip().isdigit() or before == after
    mended = _keep_compound_hyphens(pages)
    assert len(mended) == len(pages)
    for before, after in zip(pages, mended):
        assert len(before) == len(after)
        assert all(a == b or (a == "\ufffe" and b == "-") for a, b in zip(before, after))


def test_dot_leaders_are_found_in_linear_time() -> None:
    """The contents-line pattern was tried from each dot of a run: a line of 8,000 dots took 3.4 s."""
    from jupyter_docchat.qa.extractive import _LEADERS

    grows_linearly(_LEADERS.search, lambda n: "." * n + "x", (4000, 16000))
    grows_linearly(_LEADERS.search, lambda n: ". " * n + "x", (4000, 16000))
    assert _LEADERS.search("4.7 Check statement . . . . . . . 39")
    assert _LEADERS.search("Introduction........ 1")
    # a progress line or a test run's dots are no leaders to a page (probe 23's leftover)
    for line in ("Checking dependencies...... done", "tests/x.py ........ [100%]", "Press Ctrl-C ...... to stop",
                 "Wait...... 3 seconds"):
        assert not _LEADERS.search(line), line


def test_an_entry_term_s_open_backtick_links_no_citation(tmp_path: Path) -> None:
    """An entry's name leads its description ("f(`): ..."); a backtick left open in it paired with the
    description's own code span, and the document's "[1]" in `a[1]` rendered as a link to source 1."""
    from jupyter_docchat import DocIndex
    from jupyter_docchat.markdown_html import render_markdown

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "api.txt").write_text("API reference\n\nsplit(sep='`')\n\n"
                                               "Use `a[1]` here to pick the first walrus item of the list.\n")
    with DocIndex(tmp_path / "store") as index:
        index.update(tmp_path / "docs")
        answer = index.ask("How do I pick the first walrus item?")
    html = render_markdown(answer.text, len(answer.sources), "a")
    assert answer.text.startswith("split(sep='")
    assert html.count("docchat-cite") == 1 and "<code>a[1]</code>" in html


def _cli(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "jupyter_docchat.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


def test_a_store_path_that_cannot_be_used_is_one_line_naming_it(tmp_path: Path) -> None:
    """A store whose name is too long said "docchat: cannot write the output: File name too long" (it was the
    store, not the output), and a store that is a loop of links ended in a RuntimeError traceback; a key in the
    path stays masked."""
    key = "sk-proj-AbCdEf0123456789AbCdEf0123456789xyz"
    (tmp_path / f"{key}-loop").symlink_to(f"{key}-loop")
    for store in ("a" * 300, f"{key}-loop"):
        for command in ("status", "search", "ask"):
            done = _cli(tmp_path, "--store", store, command, *(["walrus"] if command != "status" else []),
                        env={"OPENAI_API_KEY": key})
            assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
            assert done.stderr.startswith("docchat: the store ") and "cannot be used" in done.stderr
            assert done.stderr.count("\n") == 1 and key not in done.stderr + done.stdout


def test_status_of_a_store_named_with_a_line_break_is_one_line(tmp_path: Path) -> None:
    """"no store at a\\nb yet" came on two lines (ask says "no store at .../a\\nb", escaped), and so did an
    existing store's "store a\\nb: no collections yet"."""
    for exists in (False, True):
        if exists:
            (tmp_path / "a\nb").mkdir()
        done = _cli(tmp_path, "--store", "a\nb", "status")
        assert done.returncode == 0 and done.stdout.count("\n") == 1, done.stdout
        assert ("store a\\nb: no collections yet" if exists else "no store at a\\nb yet") in done.stdout


def test_a_collection_emptied_with_its_folder_reads_the_folder_filled_again(tmp_path: Path) -> None:
    """docchat index of an emptied folder empties its collection; files put in the folder again were never read
    by the check before a question: it said "nothing indexed in collection 'docs' yet: index a folder first"."""
    from jupyter_docchat import DocIndex
    from jupyter_docchat.errors import NoIndexError

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.md").write_text("# Walrus\n\nThe walrus ferry sails hourly from nine to five.\n")
    with DocIndex(tmp_path / "store") as index:
        index.update(folder)
        (folder / "a.md").unlink()
        index.update(folder)
        with pytest.raises(NoIndexError) as raised:  # the folder is empty: nothing to answer from
            index.ask("When does the walrus ferry sail?")
        assert f"collection 'docs' is empty: its folder {folder} held no readable files" in str(raised.value)
        (folder / "b.md").write_text("# Seal\n\nThe seal naps on the warm rocks at noon.\n")
        answer = index.ask("Where does the seal nap?")
        assert "warm rocks" in answer.text and answer.refreshed == "re-indexed 1 changed file (1 added)"
        assert [source.file for source in answer.sources] == ["b.md"]


def test_a_question_to_a_collection_emptied_with_its_folder_says_so_not_index_a_folder_first(tmp_path: Path) -> None:
    """Left 24: after docchat index of the emptied folder, a question said "nothing indexed in collection 'docs'
    yet: index a folder first", though the folder was indexed: it held nothing to read. It says the collection is
    empty and why, names the folder, and what to do, in one line; the CLI adds its command."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.md").write_text("# Walrus\n\nThe walrus ferry sails hourly from nine to five.\n")
    assert _cli(tmp_path, "--store", "store", "index", "docs").returncode == 0
    (folder / "a.md").unlink()
    (folder / "app.min.js").write_text("var a=1;")  # a file the update skips: no readable file
    assert _cli(tmp_path, "--store", "store", "index", "docs").returncode == 0
    for command in ("ask", "search"):
        done = _cli(tmp_path, "--store", "store", command, "walrus ferry")
        assert done.returncode == 1 and done.stderr.count("\n") == 1, done.stderr
        assert "index a folder first" not in done.stderr and "nothing indexed" not in done.stderr
        assert (f"collection 'docs' is empty: its folder {folder} held no readable files when it was last indexed; "
                "add documents to it and index it again (run docchat index <folder>)") in done.stderr


def test_a_sentence_after_a_name_and_colon_is_no_entry_term(tmp_path: Path) -> None:
    """"config.yaml: the walrus settings live in this file and nowhere else." read as an entry's term line: the
    sentence that answered was no unit of its own, only the name leading the next paragraph, and the answer read
    "config.yaml: the walrus settings live in this file and nowhere else.: Edit it with care ..."."""
    from jupyter_docchat import DocIndex
    from jupyter_docchat.qa.answer_units import entry_term

    assert entry_term("config.yaml: the walrus settings live in this file and nowhere else.") == ""
    assert entry_term("max_retries: int = 3") == "max_retries: int = 3"  # a signature's annotation stays one
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "notes.txt").write_text(
        "Ferry notes\n\nconfig.yaml: the walrus settings live in this file and nowhere else.\n\n"
        "Edit it with care before you restart the ferry service every morning.\n")
    with DocIndex(tmp_path / "store") as index:
        index.update(tmp_path / "docs")
        answer = index.ask("Where do the walrus settings live?")
    assert answer.text.startswith("config.yaml: the walrus settings live in this file and nowhere else. [1]")
    assert ".:" not in answer.text


def test_the_status_magic_on_a_store_named_with_the_key_shows_neither_the_key_nor_markup(ip, tmp_path: Path) -> None:
    key = "sk-proj-AbCdEf0123456789AbCdEf0123456789xyz"
    ip.run_line_magic("config", f"DocChat.api_key = {key!r}")
    ip.run_line_magic("config", f"DocChat.store = {str(tmp_path / key / 'x<b>y')!r}")
    status = ip.run_line_magic("docchat_status", "")
    bundle = status._repr_mimebundle_()
    bundle = bundle[0] if isinstance(bundle, tuple) else bundle
    assert key not in repr(bundle) + str(status)
    assert str(status).startswith("no store at ") and "/***/x<b>y yet" in str(status) and "\n" not in str(status)
    assert "x&lt;b&gt;y" in bundle["text/html"] and "<b>y" not in bundle["text/html"]


@settings(max_examples=1500, deadline=None)
@given(text=st.text(st.sampled_from("1 2\r\n\t.a\x0b\u2028"), max_size=30))
def test_the_linear_patterns_find_what_the_quadratic_ones_found(text: str) -> None:
    """Matched from a run's start only, the page-number and dot-leader patterns find the same as before."""
    import re

    from jupyter_docchat.indexing.readers.pdf import _LAST_NUMBER
    from jupyter_docchat.qa.extractive import _LEADERS

    before = re.compile(r"(?:\A|\s*[\r\n])[ \t]*(\d{1,5})\s*\Z").search(text)
    after = _LAST_NUMBER.search(text)
    assert (before and (before.start(), before[1])) == (after and (after.start(), after[1]))
    assert bool(re.search(r"(?:\.\s){5,}\.|\.{6,}\s*\d{1,5}\s*$", text)) == bool(_LEADERS.search(text))

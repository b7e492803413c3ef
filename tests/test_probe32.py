"""Probe 32: failures found attacking what landed in session 13 (the store %docchat_index remembers, the key rules of
probe 31, Doxygen pages, the catalog's WAL switch), as an outside user would. Real parts: the IPython shell, the
Chroma store and a real ``chroma run`` server, the readers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from chroma_server import ChromaServer
from conftest import run_cell
from hypothesis import given, settings
from hypothesis import strategies as st


def test_a_relative_store_just_indexed_is_the_same_folder_after_cd(ip, corpus: Path, tmp_path: Path, capsys) -> None:
    """``%docchat_index docs --store rel`` then ``%cd`` elsewhere: %ask looked for ./rel in the new working folder
    ("no store at .../b/rel") although the line said %ask now used --store rel."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    here = os.getcwd()
    try:
        ip.run_line_magic("cd", str(tmp_path / "a"))
        ip.run_line_magic("docchat_index", f"{corpus} --store rel --quiet")
        assert f"--store {tmp_path / 'a' / 'rel'}" in capsys.readouterr().out  # said as the folder it is
        ip.run_line_magic("cd", str(tmp_path / "b"))
        result, error = run_cell(ip, "%ask What is the Bank Term Funding Program?")
        assert error is None, error
        assert "regulators_response" in capsys.readouterr().out
        assert os.listdir(tmp_path / "b") == []  # no store made where the shell moved to
        status = ip.run_line_magic("docchat_status", "")
        assert status.exists and status.store == tmp_path / "a" / "rel"
    finally:
        os.chdir(here)


@pytest.fixture(scope="module")
def chroma(tmp_path_factory):
    server = ChromaServer(tmp_path_factory.mktemp("chroma") / "data").start()
    yield server
    server.stop()


def test_the_line_after_a_server_index_says_every_magic_uses_it_and_how_to_go_back(ip, chroma, corpus: Path,
                                                                                 tmp_path: Path, capsys) -> None:
    """After ``%docchat_index docs --server URL`` a later ``%docchat_index docs --store X`` went on to the server (the
    line had said only %ask, %%ask and %docchat_chat would use it): the line names %docchat_index and the way back."""
    ip.run_line_magic("docchat_index", f"{corpus} --server {chroma.url} --quiet")
    out = capsys.readouterr().out
    assert "%docchat_index" in out.split("now use")[0] and "DocChat.server = ''" in out
    ip.run_line_magic("config", "DocChat.server = ''")
    ip.run_line_magic("docchat_index", f"{corpus} --store {tmp_path / 'local'} --quiet")
    assert "6 added" in capsys.readouterr().out  # the local store, not the server's 6 unchanged
    assert "Chroma server" not in str(ip.run_line_magic("docchat_status", ""))


@pytest.mark.parametrize("text", ["PWD=/home/runner/work/pipeline2024a/pipeline2024a", "export PWD=/home/alice/project2024data",
                                  "{'PWD': '/home/jovyan/experiments2024', 'HOME': '/home/jovyan'}",
                                  "pw = '../data/passwords2024.csv'", "pwd: ~/notebooks/analysis2024v2"])
def test_a_folder_under_a_passwords_short_name_is_shown(text: str) -> None:
    """PWD is the shell's working folder (!env, %env and os.environ show it): probe 31's short names took a path holding
    a key's run for a password, and --notebook quoted "PWD=(not shown)"."""
    from jupyter_docchat.qa.key_guard import without_secrets

    assert without_secrets(text) == text


@settings(max_examples=100, deadline=None)
@given(name=st.sampled_from(["pw", "pwd", "PWD", "MYSQL_PWD", "db_pw", "pass"]), link=st.sampled_from(["=", " = ", ": ", "="]),
       start=st.sampled_from(["", "x", "Q#"]), run=st.from_regex(r"[A-Za-z]{6,10}[0-9]{6,8}", fullmatch=True))
def test_a_password_under_a_short_name_is_still_hidden(name: str, link: str, start: str, run: str) -> None:
    """The folder rule above takes a value that opens as a path only: a password under those names stays hidden."""
    from jupyter_docchat.qa.key_guard import without_secrets

    assert run not in without_secrets(f'{name}{link}"{start}{run}"\n')


def test_a_table_of_images_a_row_each_is_read_around_not_a_failed_page(tmp_path: Path) -> None:
    """Doxygen's graphical class hierarchy (libsigc++-2.0-doc's inherits.html, Doxygen 1.9.4) lays its graphs out in a
    table, an image a row: the HTML reader failed on it (max() of no rows) and the page was skipped as a reader's
    failure. So did any page with a gallery laid out so."""
    from jupyter_docchat import DocIndex

    rows = "".join(f'<tr><td><img src="inherit_graph_{n}.png" usemap="#m{n}" alt=""/><map name="m{n}"><area href="c{n}.html" '
                   f'title=" " alt=""/></map></td></tr>' for n in range(3))
    page = (f"<html><head><title>libsigc++: Graphical Class Hierarchy</title></head><body><h1>Graphical Class Hierarchy"
            f"</h1><p>Go to the textual class hierarchy.</p><table border='0' cellspacing='10'>{rows}</table></body></html>")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "inherits.html").write_text(page)
    index = DocIndex(tmp_path / "store")
    try:
        report = index.update(tmp_path / "docs", background=True)
        index.stop_filling()
    finally:
        index.close()
    assert report.skipped_files == [] and report.added == 1, report.summary()


@settings(max_examples=100, deadline=None)
@given(cells=st.lists(st.lists(st.sampled_from(["", " ", "<img src='a.png'>", "<br>", "&nbsp;", "<span></span>"]),
                               min_size=1, max_size=4), min_size=2, max_size=6),
       head=st.booleans(), before=st.from_regex(r"[A-Z][a-z]{3,9} [a-z]{3,9}", fullmatch=True))
def test_a_table_without_text_in_any_cell_leaves_the_text_around_it(cells: list[list[str]], head: bool, before: str) -> None:
    from jupyter_docchat.indexing.readers.html import html_sections

    tag = "th" if head else "td"
    rows = "".join("<tr>" + "".join(f"<{tag}>{c}</{tag}>" for c in row) + "</tr>" for row in cells)
    sections = html_sections(f"<html><body><p>{before}.</p><table>{rows}</table><p>After it.</p></body></html>", "t.html")
    text = " ".join(s.text for s in sections)
    assert before in text and "After it." in text

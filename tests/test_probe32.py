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


def test_a_store_deleted_under_the_kernel_is_opened_again_not_answered_from(ip, corpus: Path, tmp_path: Path,
                                                                          capsys) -> None:
    """``rm -rf`` of the store while the kernel held it open: %docchat_status still counted 16 chunks and %ask answered
    from the unlinked catalog (nothing on disk but write.lock), and %docchat_index failed in Chroma ("attempt to write a
    readonly database") on every run until the kernel restarted."""
    import shutil

    store = tmp_path / "gone"
    ip.run_line_magic("docchat_index", f"{corpus} --store {store} --quiet")
    shutil.rmtree(store)
    capsys.readouterr()
    status = ip.run_line_magic("docchat_status", "")
    assert "deleted or replaced" in capsys.readouterr().out
    assert not status.exists and "no store at" in str(status)
    result, error = run_cell(ip, "%ask What is the Bank Term Funding Program?")
    assert error is not None and "no store at" in str(error)
    result, error = run_cell(ip, f"%docchat_index {corpus} --quiet")
    assert error is None, error
    assert "6 added" in capsys.readouterr().out and (store / "docchat.sqlite").exists()
    result, error = run_cell(ip, "%ask What is the Bank Term Funding Program?")
    assert error is None and "regulators_response" in capsys.readouterr().out


def test_a_store_made_again_by_another_process_is_read_as_it_now_is(tmp_path: Path, corpus: Path) -> None:
    """The same with the folder made again elsewhere (another kernel's --rebuild of a copy moved in place): the index
    held open says so (DocIndex.store_gone), a fresh open reads the new store."""
    import shutil

    from jupyter_docchat import DocIndex

    store = tmp_path / "store"
    with DocIndex(store) as index:
        index.update(corpus, background=True)
        index.stop_filling()
        assert not index.store_gone()
        (corpus / "svb_collapse.md").unlink()
        with DocIndex(tmp_path / "other") as other:
            other.update(corpus, background=True)
            other.stop_filling()
        shutil.rmtree(store)
        shutil.move(tmp_path / "other", store)
        assert index.store_gone()
    with DocIndex(store) as fresh:
        assert [c.files for c in fresh.status()] == [5]


_KEY = "Zq7Xv2Lm9Pw4Rt8Yb3Nc6Hd1"


@pytest.mark.parametrize("code", [f"!mysql -u root -p'{_KEY}' db", f'!mysql -u root -p"{_KEY}" db',
                                  f"!docker login -u me -p {_KEY} registry.example.com", f"!unzip -P {_KEY} data.zip",
                                  f"!zip -r -P {_KEY} out.zip folder"])
def test_a_password_option_quoted_after_a_login_or_to_zip_is_not_shown(code: str) -> None:
    """Probe 31 hid mysql's -pPASSWORD; quoted as a shell line quotes a password holding a $ (-p'...'), a registry login's
    -p PASSWORD and zip's -P PASSWORD were still quoted whole by --notebook."""
    from jupyter_docchat.qa.cells import session_cells
    from jupyter_docchat.qa.key_guard import without_secrets

    for shown in (without_secrets(code), session_cells(["", code], {})[0].text):
        assert _KEY not in shown and "(not shown)" in shown, shown


@pytest.mark.parametrize("code", ["!docker login -u me -p 5000 registry", "!scp -P 2222 a.txt host:", "!zip -r out.zip folder",
                                  "!unzip -P 2222 data2024.zip", "!mysql -u root -p -P 3306 shop", "!pip install -p 'x'",
                                  "!docker login registry.example.com && docker run -p 8080:80 nginx2024abcdef"])
def test_ports_and_options_near_those_commands_keep_their_text(code: str) -> None:
    from jupyter_docchat.qa.key_guard import without_secrets

    assert without_secrets(code) == code


@settings(max_examples=100, deadline=None)
@given(quote=st.sampled_from(["", "'", '"']), command=st.sampled_from(["mysql -u root", "mysqldump", "mysqladmin -u admin"]),
       run=st.from_regex(r"[A-Za-z]{6,10}[0-9]{6,8}[A-Za-z]{0,4}", fullmatch=True))
def test_mysqls_password_quoted_or_not_is_hidden(quote: str, command: str, run: str) -> None:
    from jupyter_docchat.qa.key_guard import without_secrets

    assert run not in without_secrets(f"!{command} -p{quote}{run}{quote} shop\n")


def test_an_interrupted_index_of_another_store_is_where_later_magics_ask(ip, corpus: Path, tmp_path: Path, capsys,
                                                                        monkeypatch) -> None:
    """Interrupted half-way (Ctrl-C), ``%docchat_index docs --store X`` said "run %docchat_index again to finish" but did
    not remember X: %ask then asked ./.docchat ("no store"), not the half the store holds (walk 31's new user again)."""
    from jupyter_docchat.indexing import ingest

    monkeypatch.setattr(ingest, "GROUP_CHUNKS", 3)
    real = ingest.Updater._stage_group
    calls = {"n": 0}

    def interrupted(self, *args):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real(self, *args)

    monkeypatch.setattr(ingest.Updater, "_stage_group", interrupted)
    store = tmp_path / "half"
    ip.run_line_magic("docchat_index", f"{corpus} --store {store} --collection papers --wait")
    out = capsys.readouterr().out
    assert "interrupted" in out and f"now use --store {store} --collection papers" in out
    magics = ip.magics_manager.registry["DocChat"]
    assert (magics.store, magics.collection) == (str(store), "papers")
    monkeypatch.setattr(ingest.Updater, "_stage_group", real)
    ip.run_line_magic("docchat_index", f"{corpus} --quiet")  # the run again finishes that store
    assert "16 in store" in capsys.readouterr().out


def test_config_shows_the_store_just_indexed_without_the_key_in_its_name(ip, corpus: Path, tmp_path: Path) -> None:
    """The line after ``%docchat_index ... --store`` a folder named with the key masked it, as %docchat_status and
    ``%config DocChat`` do; ``%config DocChat.store`` showed it in Out[] (the store is docchat's to set now)."""
    key = "sk-proj-Hn5Tq8Vw2Xy6Bc4Rd9ghiJKL"
    ip.run_line_magic("config", f"DocChat.api_key = {key!r}")
    ip.run_line_magic("docchat_index", f"{corpus} --store {tmp_path / key} --quiet")
    result, error = run_cell(ip, "%config DocChat.store")
    assert error is None and key not in repr(result.result) and "***" in repr(result.result)
    assert str(result.result) == str(tmp_path / key)  # the value itself is the folder
    status = ip.run_line_magic("docchat_status", "")
    assert status.exists and [c.chunks for c in status.collections] == [16]  # and it is where magics look


@settings(max_examples=25, deadline=None)
@given(name=st.text(alphabet=st.sampled_from(list("ab c'\"$\n\t\r\x1b[31m\u202e\u2028é")), min_size=1, max_size=12))
def test_the_line_naming_the_store_just_indexed_is_one_line_without_the_key(name: str) -> None:
    """A folder named with a newline (``--store "$NL"``) cut the line after %docchat_index in two; the key, escapes and
    direction overrides in it are not shown either."""
    from jupyter_docchat.notebook.magics import DocChat

    key = "sk-proj-Hn5Tq8Vw2Xy6Bc4Rd9ghiJKL"

    class Index:  # what _ask_where_indexed asks of the index: its key guard
        @staticmethod
        def key_guard():
            from jupyter_docchat.qa.key_guard import KeyGuard
            return KeyGuard([key])

    magics = DocChat(shell=None)
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        magics._ask_where_indexed({"store": f"/tmp/probe32/{name}{key}"}, Index())
    line = out.getvalue()
    assert line.count("\n") == 1 and line.endswith("\n") and key not in line
    assert "\x1b" not in line and "\u202e" not in line and "\u2028" not in line


@pytest.mark.parametrize("code", [f"!aws configure set aws_secret_access_key {_KEY}",
                                  f"Then run: heroku config set API_TOKEN {_KEY}"])
def test_a_secrets_name_after_a_word_then_its_value_is_hidden(code: str) -> None:
    """Probe 31's rule for a name and its value in a sentence took the word before the name ("set") and the name as
    its pair, rejected it, and went on after the name: the key after it was shown."""
    from jupyter_docchat.qa.key_guard import without_secrets

    assert _KEY not in without_secrets(code) and "(not shown)" in without_secrets(code)


@settings(max_examples=100, deadline=None)
@given(words=st.lists(st.from_regex(r"[a-z]{2,9}", fullmatch=True), min_size=1, max_size=5),
       name=st.sampled_from(["aws_secret_access_key", "api_key", "access_token", "client_secret", "ApiKey"]),
       run=st.from_regex(r"[A-Za-z]{6,10}[0-9]{6,8}[A-Za-z]{0,4}", fullmatch=True))
def test_whatever_words_go_before_a_secrets_name_its_value_is_hidden(words: list[str], name: str, run: str) -> None:
    from jupyter_docchat.qa.key_guard import without_secrets

    assert run not in without_secrets(f"!tool {' '.join(words)} {name} {run}\n")


def test_the_sentence_rule_reads_a_long_line_of_words_in_linear_time() -> None:
    from conftest import grows_linearly

    from jupyter_docchat.qa.key_guard import secret_values

    grows_linearly(secret_values, lambda n: "set the key value " * n, (20_000, 80_000))

"""Probe 32: failures found attacking what landed in session 13 (the store %docchat_index remembers, the key rules of
probe 31, Doxygen pages, the catalog's WAL switch), as an outside user would. Real parts: the IPython shell, the
Chroma store and a real ``chroma run`` server, the readers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from chroma_server import ChromaServer
from conftest import run_cell


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

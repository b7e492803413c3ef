"""Probe 10: a path that starts with the home folder of a user this machine does not have ("~nobody-here/docs":
a path copied from another machine, a typo for "~/docs"). pathlib's expanduser raised RuntimeError("Could not
determine home directory."): a traceback from the command line, "the store ... failed: Could not determine home
directory." from an update or an evaluation, whatever the path was for. Each now says which path, in one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cell, write_tree
from IPython.core.error import UsageError

from jupyter_docchat import DocIndex
from jupyter_docchat.cli import main
from jupyter_docchat.errors import DocChatError

NOBODY = "~nobody-here-at-all"
SAID = f"{NOBODY}: this machine has no user 'nobody-here-at-all'"


def test_the_api_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(DocChatError, match=SAID):
        DocIndex(f"{NOBODY}/store")
    docs = write_tree(tmp_path / "docs", {"bank.md": "# Bank\n\nThe bank failed in one day.\n"})
    with DocIndex(tmp_path / "store") as index:
        with pytest.raises(DocChatError, match=SAID):
            index.update(f"{NOBODY}/docs")
        index.update(docs)
        with pytest.raises(DocChatError, match=SAID):
            index.evaluate(f"{NOBODY}/questions.jsonl")
        report = index.evaluate([{"question": "Why did the bank fail?", "expected": [f"{NOBODY}/bank.md"]}])
        assert report.to_dict()  # an expected file under no user's home is a name that matches no file
        with pytest.raises(DocChatError, match=SAID):
            index.ask("Why did the bank fail?", model=f"gguf:{NOBODY}/model.gguf")


@pytest.mark.parametrize("argv", [["--store", f"{NOBODY}/store", "status"], ["index", f"{NOBODY}/docs"]])
def test_the_command_line_says_so_in_one_line(tmp_path: Path, capsys, monkeypatch, argv: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and SAID in err and "Traceback" not in err
    assert not (tmp_path / NOBODY).exists()  # no folder named after the tilde was made here


def test_the_magics_say_so_as_a_usage_error(ip, tmp_path: Path) -> None:
    for line in (f"%docchat_index {NOBODY}/docs", f"%docchat_index --store {NOBODY}/store {tmp_path}",
                 f"%docchat_history --save {NOBODY}/chat.md"):
        _, error = run_cell(ip, line)
        assert isinstance(error, UsageError) and SAID in str(error), (line, error)
    docs = write_tree(tmp_path / "docs", {"bank.md": "# Bank\n\nThe bank failed in one day.\n"})
    ip.run_line_magic("docchat_index", f"{docs} --quiet")
    ip.user_ns["__session__"] = f"{NOBODY}/notes.ipynb"  # the front end's notebook path: not this machine's, so none
    _, error = run_cell(ip, "%%ask --no-stream\nWhy did the bank fail?")
    assert error is None
    assert ip.user_ns["docchat_history"][-1]["sources"][0]["source"] == "bank.md"


from hypothesis import given, strategies as st  # noqa: E402

from jupyter_docchat.paths import user_path  # noqa: E402


@given(st.text(alphabet=st.sampled_from("~/ab.-_\\é\n\x00"), max_size=12))
def test_any_typed_path_expands_or_says_why_in_one_line(typed: str) -> None:
    try:
        path = user_path(typed)
    except DocChatError as error:
        assert (typed.startswith("~") or "\x00" in typed) and "\n" not in str(error)
    else:
        assert isinstance(path, Path)

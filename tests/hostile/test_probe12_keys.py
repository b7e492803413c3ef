"""Probe 12: a folder whose path holds the configured key is named nowhere: not by the status, not in an answer's
"folder is gone" notice, not in a one-line error of the CLI or the magics."""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

import pytest
from conftest import write_tree
from IPython.core.error import UsageError

from jupyter_docchat import DocIndex
from jupyter_docchat.cli import main

KEY = "sk-proj-Zq7Wx3Lm9Pt4Rv8Ks2abcDEF"
SHOWN = "Zq7Wx3Lm9Pt4"  # a block of the key: if it is anywhere in the output, the key was shown


def _docs(tmp_path: Path) -> Path:
    return write_tree(tmp_path / f"proj-{KEY}" / "docs", {
        "deploy.md": "# Deploy\n\nThe deploy step reads settings from the runner.\n"})


def _cli(*argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue() + err.getvalue()


def test_the_status_never_names_a_folder_holding_the_key(tmp_path: Path, monkeypatch) -> None:
    # `docchat status` printed "folder /tmp/.../proj-<KEY>/docs" (and DocIndex.status() held it)
    docs = _docs(tmp_path)
    with DocIndex(tmp_path / "store", api_key=KEY) as index:
        index.update(docs)
        assert SHOWN not in repr(index.status())
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    code, shown = _cli("--store", str(tmp_path / "store"), "status")
    assert code == 0 and SHOWN not in shown and "docs" in shown
    shutil.rmtree(docs)  # gone: still hidden, and still said to be gone
    code, shown = _cli("--store", str(tmp_path / "store"), "status")
    assert code == 0 and SHOWN not in shown and "gone" in shown


def test_an_answer_never_names_a_gone_folder_holding_the_key(tmp_path: Path) -> None:
    # the notice "the folder /tmp/.../proj-<KEY>/docs is gone: ..." was in the answer and its history turn
    docs = _docs(tmp_path)
    with DocIndex(tmp_path / "store", api_key=KEY) as index:
        index.update(docs)
        shutil.rmtree(docs)
        answer = index.ask("What does the deploy step read?", model="extractive")
        shown = str(answer) + repr(answer.to_dict())
    assert SHOWN not in shown and "is gone" in shown


def test_a_cli_error_never_names_a_folder_holding_the_key(tmp_path: Path, monkeypatch) -> None:
    # "docchat: folder not found: /tmp/.../proj-<KEY>/docs" on standard error (a CI log keeps it)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    code, shown = _cli("--store", str(tmp_path / "store"), "index", str(tmp_path / f"proj-{KEY}" / "missing"))
    assert code == 1 and SHOWN not in shown and "docchat:" in shown
    code, shown = _cli("--store", str(tmp_path / f"store-{KEY}"), "search", "deploy")
    assert code == 1 and SHOWN not in shown and "docchat:" in shown


def test_a_magics_error_never_names_a_folder_holding_the_key(ip, tmp_path: Path) -> None:
    # the UsageError (kept in the notebook's output) named the folder whole
    ip.run_line_magic("config", f"DocChat.api_key = {KEY!r}")
    with pytest.raises(UsageError) as raised:
        ip.run_line_magic("docchat_index", str(tmp_path / f"proj-{KEY}" / "missing"))
    assert SHOWN not in str(raised.value) and "not found" in str(raised.value)


from hypothesis import given, settings, strategies as st  # noqa: E402

from jupyter_docchat.qa.key_guard import KeyGuard  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(key=st.text("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789-_", min_size=1, max_size=50),
       before=st.text(max_size=30), after=st.text(max_size=30), times=st.integers(1, 3))
def test_a_masked_message_never_holds_the_key(key, before, after, times) -> None:
    # whatever surrounds it, however often: what masked() returns holds no key, and says the rest
    guard = KeyGuard([key])
    message = before + (key + after) * times
    masked = guard.masked(message)
    assert not guard.holds(masked)
    if not guard.holds(message):  # nothing to hide: the message as it was
        assert masked == message


def test_the_progress_bar_never_names_a_file_holding_the_key(tmp_path: Path) -> None:
    # the reading bar's "key-<KEY>.md: 26/26 characters" went to standard error (a CI log keeps it; a notebook
    # keeps the widget's last state)
    docs = write_tree(tmp_path / "docs", {f"key-{KEY}.md": "# Notes\n\nThe walrus ferry.\n",
                                         "other.md": "# Other\n\nBiscuits.\n"})
    err = io.StringIO()
    with contextlib.redirect_stderr(err), DocIndex(tmp_path / "store", api_key=KEY) as index:
        index.update(docs, progress=True)
    assert "other.md" in err.getvalue() and SHOWN not in err.getvalue()


def test_the_status_never_names_a_store_whose_path_holds_the_key(tmp_path: Path, ip, monkeypatch) -> None:
    # a project folder named with the key keeps its default store in it: "store /.../proj-<KEY>/.docchat:"
    store = tmp_path / f"proj-{KEY}" / ".docchat"
    with DocIndex(store, api_key=KEY) as index:
        index.update(write_tree(tmp_path / "docs", {"a.md": "# A\n\nThe walrus ferry.\n"}))
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    code, shown = _cli("--store", str(store), "status")
    assert code == 0 and SHOWN not in shown and ".docchat" in shown
    ip.run_line_magic("config", f"DocChat.api_key = {KEY!r}")
    status = ip.run_line_magic("docchat_status", f"--store {store}")
    assert SHOWN not in str(status) + status.to_html() and ".docchat" in str(status)


def test_a_model_named_with_the_key_is_refused_before_it_is_sent_shown_or_kept(tmp_path: Path, fake) -> None:
    # DOCCHAT_MODEL (or DocChat.model) set to the key by mistake: a server that takes any name answered, and the
    # answer's "docchat (<KEY>)" line, its record and the history named the key; the request carried it as the model
    from jupyter_docchat.errors import DocChatError

    fake.answer = "The runner's settings [1]."
    with DocIndex(tmp_path / "store", api_key=KEY, base_url=fake.url) as index:
        index.update(_docs(tmp_path))
        with pytest.raises(DocChatError) as raised:
            index.ask("What does the deploy step read?", model=KEY)
    assert SHOWN not in str(raised.value) and "model" in str(raised.value)
    assert not any(SHOWN in repr(request) for request in getattr(fake, "requests", []))

"""Probe 27: failures found attacking the newest surfaces as an outside user would. Real parts: the IPython shell,
the Chroma store, the readers, the docchat command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jupyter_docchat import DocIndex
from jupyter_docchat.errors import NoIndexError


def test_an_emptied_collection_is_not_said_to_be_indexed_while_another_collection_is(tmp_path: Path) -> None:
    """The store's write lock names no collection: while a run indexed collection 'other', a search of the emptied
    collection 'docs' said "collection 'docs' is being indexed now ... try again when that run finishes", and no run
    would ever fill it. The run holding the lock writes which collection it indexes beside it."""
    from filelock import FileLock

    from jupyter_docchat.index import LOCK_FILE, LOCK_OWNER

    folder, store = tmp_path / "docs", tmp_path / "store"
    folder.mkdir()
    (folder / "a.txt").write_text("The warehouse opens at nine in the morning on weekdays.\n")
    with DocIndex(store=store) as index:
        index.update(folder)
        (folder / "a.txt").unlink()
        (folder / "b.txt").write_text("\u200b\u200b\n")  # a file that shows nothing: the folder gives no chunk
        index.update(folder)
    assert not (store / LOCK_OWNER).exists()  # the note goes with the lock
    lock = FileLock(str(store / LOCK_FILE), thread_local=False)
    with lock:
        DocIndex(store=store, collection="other")._name_lock_owner(lock.lock_file)  # as an update of 'other' does
        with DocIndex(store=store) as index:
            with pytest.raises(NoIndexError) as caught:
                index.search("warehouse")
        assert "being indexed now" not in str(caught.value) and "is empty" in str(caught.value), caught.value
        assert json.loads((store / LOCK_OWNER).read_text())["collection"] == "other"
        with DocIndex(store=store) as index:
            index._name_lock_owner(lock.lock_file)  # a run indexing 'docs' itself: it is being indexed
            with pytest.raises(NoIndexError, match="being indexed now"):
                index.search("warehouse")
            index._release(lock)
    assert not (store / LOCK_OWNER).exists()


_KEY = "sk-proj-Abc123Def456Ghi789Jkl012Mno345Pqr678"


def test_a_key_given_in_a_cell_is_not_quoted_by_ask_notebook(ip) -> None:
    """A key set in a cell for another client (or before docchat's own was configured) is no configured secret:
    %%ask --notebook quoted "client = OpenAI(api_key='sk-proj-...')" whole, and with a model configured it would have
    sent it. A string given to a name that says it holds a secret is not shown, in the cell nor in another's result,
    as --with does not show a dict's item so named."""
    from conftest import ask

    for code in ("class OpenAI:\n    def __init__(self, api_key=None):\n        self.api_key = api_key",
                 f"client = OpenAI(api_key='{_KEY}')",
                 "client.api_key",
                 "env = {}\nenv['ANTHROPIC_API_KEY'] = 'sk-ant-api03-Zyx987Wvu654Tsr321Qpo098'"):
        result = ip.run_cell(code, store_history=True)  # as the notebook runs it: recorded in In and Out
        assert result.error_in_exec is None and result.error_before_exec is None, result
    answer = ask(ip, "Which api_key does the OpenAI client use?", "--no-stream --notebook")
    shown = str(answer) + answer.to_html()
    assert "this notebook" in shown and "(not shown)" in shown, shown
    assert "Abc123Def456" not in shown and "Zyx987Wvu654" not in shown, shown


_SECRETS = st.text(alphabet=st.sampled_from(list("abcXYZ0123456789-_")), min_size=8, max_size=40).filter(
    lambda s: any(ch.isdigit() for ch in s))
_FORMS = st.sampled_from(["api_key = {q}{v}{q}", "OpenAI(api_key={q}{v}{q}, timeout=3)",
                          "os.environ[{q}ANTHROPIC_API_KEY{q}] = {q}{v}{q}", "{{{q}password{q}: {q}{v}{q}}}",
                          "os.environ.setdefault({q}HF_TOKEN{q}, {q}{v}{q})", "token: str = {q}{v}{q}",
                          "%env GITHUB_TOKEN={v}", "!export AWS_SECRET_ACCESS_KEY={v}", "secret = b{q}{v}{q}"])


@given(_FORMS, st.sampled_from(["'", '"', "'''", '"""']), _SECRETS, st.text(max_size=20))
def test_a_string_given_to_a_secrets_name_never_shows_in_the_cells(form: str, quote: str, secret: str, before: str) -> None:
    """Any of the ways a cell gives a secret to a name, with any text before it: neither that cell nor another's
    result (the value shown again) holds it."""
    from jupyter_docchat.qa.cells import session_cells

    code = f"{before}\n" + form.format(q=quote, v=secret)
    cells = session_cells(["", code, "client.api_key"], {2: secret})
    assert all(secret not in cell.text for cell in cells), cells

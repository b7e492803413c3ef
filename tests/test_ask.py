"""%%ask in a real InteractiveShell, against a real store and a scripted OpenAI-compatible server."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import ask, run_cell
from IPython.core.error import UsageError

from jupyter_docchat import DocIndex


def test_offline_default_answers_extractively_with_citations(indexed) -> None:
    view = ask(indexed, "What is the standard deposit insurance amount?")
    turn = view.turn
    assert turn.model == "extractive" and "Extractive answer" in turn.answer and "250,000" in turn.answer
    assert "[1]" in turn.answer or "[2]" in turn.answer
    bundle = view._repr_mimebundle_()
    assert "dc-user" in bundle["text/html"] and "dc-assistant" in bundle["text/html"]
    assert "Sources:" in bundle["text/plain"] and "deposit_insurance.pdf (p. 1)" in bundle["text/plain"]
    history = indexed.user_ns["docchat_history"]
    assert len(history) == 1 and set(history[0]) >= {"question", "standalone", "answer", "sources", "model", "time"}


def test_citations_point_to_real_chunks(indexed, tmp_path: Path) -> None:
    view = ask(indexed, "What did the Federal Reserve create to lend to banks?")
    store = DocIndex(tmp_path / "store")
    rows = store.catalog.chunk_rows("docs", [s["id"] for s in view.turn.sources])
    assert len(rows) == len(view.turn.sources) > 0
    for src in view.turn.sources:
        text, meta = rows[src["id"]]
        assert text == src["text"] and meta["source"] == src["source"]
    html = view.to_html()
    cited = re.findall(rf'href="#{view.anchor}-src-(\d+)"', html)
    assert cited
    for n in cited:
        assert f'<li id="{view.anchor}-src-{n}">' in html
    assert "Bank Term Funding Program" in " ".join(s["text"] for s in view.turn.sources)


def test_one_line_form_keeps_braces_and_dollars(indexed) -> None:
    indexed.user_ns["x"] = "SHOULD-NOT-APPEAR"
    result, error = run_cell(indexed, "%ask what is {x} and $x in the deposit insurance?")
    assert error is None
    assert result.result.turn.question == "what is {x} and $x in the deposit insurance?"


def test_bad_input_is_one_line(ip, indexed) -> None:
    for cell, expected in [("%%ask\n   \n", "question is empty"), ("%ask --k 0 hi", "between 1 and 50"),
                           ("%ask --bogus hi", "unknown option")]:
        _, error = run_cell(indexed, cell)
        assert isinstance(error, UsageError) and expected in str(error) and "\n" not in str(error)
    assert indexed.user_ns["docchat_history"] == []


def test_no_index_yet(ip) -> None:
    _, error = run_cell(ip, "%ask what is this?")
    assert isinstance(error, UsageError) and "index a folder first (run %docchat_index <folder>)" in str(error)


def test_followup_without_model_uses_the_previous_question(indexed) -> None:
    ask(indexed, "What caused the collapse of Silicon Valley Bank?")
    second = ask(indexed, "And how did the regulators respond?").turn
    assert second.standalone == "What caused the collapse of Silicon Valley Bank? And how did the regulators respond?"
    assert second.sources[0]["source"] == "regulators_response.html"


def test_openai_path_answers_from_sources_with_usage(online, fake) -> None:
    view = ask(online, "What caused the collapse of Silicon Valley Bank?")
    turn = view.turn
    assert turn.answer == fake.answer and turn.model == "test-model" and turn.status == "ok"
    assert turn.usage["input_tokens"] == 42
    request = fake.chat_requests("answer")[-1]
    assert request["stream"] is True and request["model"] == "test-model"
    prompt = request["messages"][-1]["content"]
    assert "[1] (" in prompt and "Question: What caused the collapse" in prompt
    assert "only the numbered sources" in request["messages"][0]["content"]
    html = view.to_html()
    assert f'href="#{view.anchor}-src-2"' in html and "tokens: 42 in" in html
    assert all(k == "Bearer sk-test-KEY-12345" for k in fake.keys)


def test_followup_is_condensed_by_the_model_and_retrieval_uses_it(online, fake) -> None:
    ask(online, "What caused the collapse of Silicon Valley Bank?")
    fake.condensed = "What did the Federal Reserve create after Silicon Valley Bank failed, the Bank Term Funding Program?"
    turn = ask(online, "And what did they create afterwards?").turn
    condense = fake.chat_requests("condense")[-1]
    assert "What caused the collapse of Silicon Valley Bank?" in condense["messages"][-1]["content"]
    assert turn.standalone == fake.condensed
    assert "Bank Term Funding Program" in turn.sources[0]["text"]
    answer = fake.chat_requests("answer")[-1]["messages"]
    assert [m["role"] for m in answer] == ["system", "user", "assistant", "user"]  # the history is in the prompt


def test_history_magic_save_clear_and_user_edits(indexed, tmp_path: Path) -> None:
    ask(indexed, "What is the standard deposit insurance amount?")
    shown = indexed.run_line_magic("docchat_history", "")
    assert "deposit insurance amount" in str(shown) and "dc-bubble" in shown._repr_mimebundle_()["text/html"]
    indexed.run_line_magic("docchat_history", f"--save {tmp_path / 'chat.md'}")
    indexed.run_line_magic("docchat_history", f"--save {tmp_path / 'chat.json'}")
    assert "## What is the standard deposit insurance amount?" in (tmp_path / "chat.md").read_text()
    assert json.loads((tmp_path / "chat.json").read_text())[0]["sources"]
    _, error = run_cell(indexed, f"%docchat_history --save {tmp_path / 'chat.txt'}")
    assert isinstance(error, UsageError) and ".md or .json" in str(error)
    indexed.run_line_magic("docchat_history", "--clear")
    assert indexed.user_ns["docchat_history"] == []
    # The user replaces the variable: the next ask uses (and appends to) what is there.
    indexed.user_ns["docchat_history"] = [{"question": "What caused the collapse of Silicon Valley Bank?",
                                           "answer": "A bank run.", "status": "ok"}]
    turn = ask(indexed, "And how did the regulators respond?").turn
    assert turn.standalone.startswith("What caused the collapse of Silicon Valley Bank?")
    assert len(indexed.user_ns["docchat_history"]) == 2
    indexed.user_ns["docchat_history"] = None  # broken beyond use: replaced by a fresh list
    ask(indexed, "What is duration?")
    assert len(indexed.user_ns["docchat_history"]) == 1

"""Probe 14: the configured key given where a name or a number goes (a collection named with it, a mistyped
option's value) is shown nowhere: not in the summary, the status or an argument error."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest
from conftest import run_cell, write_tree

from jupyter_docchat import DocIndex, IndexOptions
from jupyter_docchat.cli import main
from jupyter_docchat.errors import DocChatError, SettingError

KEY = "sk-proj-Hn5Tq8Vw2Xy6Bc4Rd9ghiJKL"
SHOWN = "Hn5Tq8Vw2Xy6"  # a block of the key: if it is anywhere in the output, the key was shown


def _cli(*argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), contextlib.suppress(SystemExit):
        return main(list(argv)), out.getvalue() + err.getvalue()
    return 2, out.getvalue() + err.getvalue()  # argparse exits


def test_a_collection_named_with_the_key_is_refused(tmp_path: Path, monkeypatch) -> None:
    # `docchat index docs --collection $OPENAI_API_KEY` printed "sk-proj-...: 3 added, ..." and the status listed it
    docs = write_tree(tmp_path / "docs", {"a.md": "# A\n\nThe vault ratio is ten percent.\n"})
    with pytest.raises(SettingError) as refused:
        DocIndex(tmp_path / "store", collection=KEY, api_key=KEY)
    assert SHOWN not in str(refused.value) and "collection" in str(refused.value)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    code, shown = _cli("--store", str(tmp_path / "store"), "index", str(docs), "--collection", KEY)
    assert code == 1 and SHOWN not in shown and "collection" in shown
    code, shown = _cli("--store", str(tmp_path / "store"), "status")
    assert SHOWN not in shown


def test_the_magics_refuse_a_collection_named_with_the_key(ip, tmp_path: Path) -> None:
    docs = write_tree(tmp_path / "docs", {"a.md": "# A\n\nThe vault ratio is ten percent.\n"})
    ip.run_line_magic("config", f"DocChat.api_key = {KEY!r}")
    _, error = run_cell(ip, f"%docchat_index {str(docs)!r} --collection {KEY}")
    assert error is not None and SHOWN not in str(error) and "collection" in str(error)
    _, error = run_cell(ip, f"%ask --collection {KEY} what is the vault ratio?")
    assert error is not None and SHOWN not in str(error)
    for line in (f"%docchat_index {str(docs)!r} --chunk-size {KEY}", f"%docchat_index {str(docs)!r} --{KEY}",
                 f"%ask --k {KEY} why?", f"%docchat_eval q.jsonl --k {KEY}", f"%docchat_history --save {KEY}.txt"):
        _, error = run_cell(ip, line)
        assert error is not None and SHOWN not in str(error), line


@pytest.mark.parametrize("argv", [
    ("index", "docs", "--chunk-size", KEY),
    ("search", "limit", "--k", KEY),
    (KEY,),
    ("ask", "why?", KEY, "--bogus"),
])
def test_an_argument_error_never_repeats_the_key(argv: tuple[str, ...], monkeypatch) -> None:
    # argparse repeats what was typed: "invalid int value: 'sk-proj-...'" on standard error (a CI log keeps it)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    code, shown = _cli(*argv)
    assert code == 2 and SHOWN not in shown and "error" in shown


def test_an_evaluation_question_holding_the_key_is_refused(tmp_path: Path, monkeypatch) -> None:
    # `docchat eval` printed each question in its table, and --json held it: "where is sk-proj-... used?"
    docs = write_tree(tmp_path / "docs", {"a.md": "# A\n\nThe vault ratio is ten percent.\n"})
    questions = tmp_path / "q.jsonl"
    questions.write_text(json.dumps({"question": "What is the vault ratio?", "expected": ["a.md"]}) + "\n"
                         + json.dumps({"question": f"where is {KEY} used?", "expected": ["a.md"]}) + "\n")
    with DocIndex(tmp_path / "store", api_key=KEY) as index:
        index.update(docs)
        with pytest.raises(DocChatError) as refused:
            index.evaluate(questions)
        assert SHOWN not in str(refused.value) and "question 2" in str(refused.value)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    for json_flag in ((), ("--json",)):
        code, shown = _cli("--store", str(tmp_path / "store"), "eval", str(questions), *json_flag)
        assert code == 1 and SHOWN not in shown and "API key" in shown


def _raised(call) -> str:
    try:
        call()
    except DocChatError as exc:
        return f"{type(exc).__name__}: {exc}"
    return "no error"


def test_a_docindex_error_never_repeats_the_key(tmp_path: Path, monkeypatch) -> None:
    # DocIndex(".docchat", "docs", key), taking the third argument for the key (it is the embeddings):
    # "EmbeddingError: unknown embeddings 'sk-proj-...'" in the notebook's saved traceback
    docs = write_tree(tmp_path / "docs", {"a.md": "# A\n\nThe vault ratio is ten percent.\n"})
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    store = tmp_path / "store"
    with DocIndex(store) as index:
        index.update(docs)
    calls = [lambda: DocIndex(store, "docs", KEY), lambda: DocIndex(store, embeddings=f"openai:{KEY}").search("x"),
             lambda: DocIndex(store).search("x", mode=KEY), lambda: DocIndex(store).search("x", k=KEY),
             lambda: DocIndex(store).update(docs, IndexOptions(globs=[KEY])),
             lambda: DocIndex(store).evaluate(tmp_path / f"{KEY}.jsonl"), lambda: DocIndex(store).as_retriever(k=KEY)]
    for call in calls:
        shown = _raised(call)
        assert shown != "no error" and SHOWN not in shown, shown
    monkeypatch.delenv("OPENAI_API_KEY")  # a key given to the index alone is hidden as well
    shown = _raised(lambda: DocIndex(store, api_key=KEY).search("x", mode=KEY))
    assert "search mode" in shown and SHOWN not in shown


def test_a_model_answer_holding_the_key_is_neither_shown_nor_kept(tmp_path: Path, fake, ip) -> None:
    # A server that writes the key back (a proxy's error text answered as a reply, an echo server): %%ask showed
    # "The key is sk-proj-..." and docchat_history kept it; only the chat box and the export left it out
    docs = write_tree(tmp_path / "docs", {"a.md": "# A\n\nThe vault ratio is ten percent.\n"})
    fake.answer = f"Your key is {KEY} and the vault ratio is ten percent [1]."
    with DocIndex(tmp_path / "store", api_key=KEY, base_url=fake.url) as index:
        index.update(docs)
        streamed: list[str] = []
        answer = index.ask("What is the vault ratio?", model="test-model", on_token=streamed.append)
    shown = str(answer) + repr(answer.to_dict())
    assert SHOWN not in shown and SHOWN not in "".join(streamed)
    assert "vault ratio" in answer.text or "not shown" in answer.text
    assert any("answer held the configured API key" in notice for notice in answer.notices)
    ip.run_line_magic("config", f"DocChat.base_url = {fake.url!r}")
    ip.run_line_magic("config", f"DocChat.api_key = {KEY!r}")
    ip.run_line_magic("config", "DocChat.model = 'test-model'")
    ip.run_line_magic("docchat_index", f"{str(docs)!r} --quiet")
    result, error = run_cell(ip, "%%ask\nWhat is the vault ratio?")
    assert error is None and SHOWN not in str(result.result) and SHOWN not in repr(result.result._repr_mimebundle_())
    assert SHOWN not in repr(ip.user_ns["docchat_history"])


def test_config_never_repeats_the_key(ip, capsys, caplog) -> None:
    # `%config DocChat.k = <key>` logged "expected an int, not the str 'sk-proj-...'"; `%config DocChat` listed a
    # model (or store, embeddings) set to the key as its current value
    ip.run_line_magic("config", f"DocChat.api_key = {KEY!r}")
    for line in (f"DocChat.k = {KEY!r}", f"DocChat.temperature = {KEY!r}", f"DocChat.progress = {KEY!r}",
                 f"DocChat.model = {KEY!r}", f"DocChat.embeddings = {KEY!r}"):
        run_cell(ip, f"%config {line}")
    run_cell(ip, "%config DocChat")
    shown = capsys.readouterr()
    assert SHOWN not in shown.out + shown.err + caplog.text
    assert "trait" in caplog.text + shown.err and "model" in shown.out


def test_docchat_ask_shows_the_masked_rest_of_an_answer_whose_stream_stopped(tmp_path: Path, fake, monkeypatch) -> None:
    # Probe 14's leftover: the stream stops before the token that reveals the key; `docchat ask` then printed only
    # the notice, and the answer's rest (masked) never reached the terminal.
    docs = write_tree(tmp_path / "docs", {"a.md": "# A\n\nThe vault ratio is ten percent.\n"})
    fake.answer = f"Your key is {KEY} and the vault ratio is ten percent [1]."
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", fake.url)
    store = tmp_path / "store"
    with DocIndex(store) as index:
        index.update(docs)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["--store", str(store), "ask", "What is the vault ratio?", "--model", "test-model"]) == 0
    shown = out.getvalue()
    assert SHOWN not in shown and "Your key is" in shown
    assert "the vault ratio is ten percent" in shown and "held the configured API key" in shown

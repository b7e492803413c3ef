"""Probe 7: question files for %docchat_eval / DocIndex.evaluate / docchat eval as other tools write them.

JSON Lines end at "\\n": a question holding U+2028, U+0085 or a form feed (written as they are by
json.dumps(..., ensure_ascii=False)) is one question, not a broken line. A number too long for Python
is a one-line error about the file, not "the store failed". "answer" must list words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from jupyter_docchat import DocIndex
from jupyter_docchat.retrieval.evaluation import EvalFileError, load_questions

ODD = st.sampled_from(["\u2028", "\u2029", "\x85", "\x0c", "\x0b", "\x1c", "\x1e", "\r"])
TEXT = st.lists(st.one_of(st.text(st.characters(blacklist_categories=["Cs"]), max_size=8), ODD), max_size=6).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(st.fixed_dictionaries({"question": TEXT.filter(str.strip).map(lambda t: "q " + t),
                                               "expected": st.lists(TEXT.map(lambda t: "f" + t.strip()), min_size=1, max_size=3)}),
                        min_size=1, max_size=4),
       crlf=st.booleans(), ascii=st.booleans())
def test_a_file_of_json_dumps_lines_reads_back_every_question(tmp_path: Path, entries, crlf: bool, ascii: bool) -> None:
    path = tmp_path / "q.jsonl"
    end = "\r\n" if crlf else "\n"
    path.write_bytes("".join(json.dumps(e, ensure_ascii=ascii) + end for e in entries).encode("utf-8"))
    questions = load_questions(path)
    assert [q["question"] for q in questions] == [e["question"].strip() for e in entries]


def test_a_question_holding_a_line_separator_is_one_question(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps({"question": "What is the\u2028limit?", "expected": ["a.md"]}, ensure_ascii=False) + "\n"
                    + json.dumps({"question": "Why\x85now?", "expected": ["b.md"]}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    assert [q["expected"] for q in load_questions(path)] == [["a.md"], ["b.md"]]


def test_a_number_too_long_for_python_is_an_error_about_the_file_not_the_store(tmp_path: Path) -> None:
    store = tmp_path / "store"
    path = tmp_path / "q.jsonl"
    path.write_text('{"question": "x?", "expected": ["a.md"], "answer": ' + "1" * 5000 + "}\n")
    with pytest.raises(EvalFileError, match=r"q\.jsonl, line 1: not a question") as caught:
        DocIndex(store).evaluate(path)
    assert "store" not in str(caught.value) and "\n" not in str(caught.value)
    assert not store.exists()


@pytest.mark.parametrize("answer", [5, {"a": 1}, [1, 2], [None], "NaN"])
def test_answer_keywords_that_are_not_words_are_named(tmp_path: Path, answer) -> None:
    path = tmp_path / "q.jsonl"
    line = '{"question": "x?", "expected": ["a.md"], "answer": %s}' % (answer if answer == "NaN" else json.dumps(answer))
    path.write_text(line + "\n")
    with pytest.raises(EvalFileError, match=r'line 1: "answer" must list the words'):
        load_questions(path)


def test_expected_files_named_by_their_whole_path_or_from_the_working_directory_are_found(tmp_path: Path, monkeypatch) -> None:
    """Every rank was "-" and every score 0.000, without a word why: the files are named relative to the
    indexed folder, and a careless user names them as the shell does."""
    docs = tmp_path / "docs"
    (docs / "notes").mkdir(parents=True)
    (docs / "notes" / "bees.md").write_text("# Bees\n\nHoneybees dance in the hive to show where the flowers are.\n")
    (docs / "lava.md").write_text("# Lava\n\nLava comes out of a volcano when the magma rises.\n")
    monkeypatch.chdir(tmp_path)
    index = DocIndex(tmp_path / "store")
    index.update("docs")
    question = "Why do honeybees dance in the hive?"
    report = index.evaluate([{"question": question, "expected": ["notes/bees.md"]},
                             {"question": question, "expected": [str(docs / "notes" / "bees.md")]},
                             {"question": question, "expected": "docs/notes/bees.md"},
                             {"question": question, "expected": ["./docs/notes/bees.md"]},
                             {"question": question, "expected": ["lava.md"]},
                             {"question": question, "expected": ["/elsewhere/notes/bees.md"]}], k=1)
    assert [r["hybrid"] for r in report.rows[:4]] == [1, 1, 1, 1]
    assert [r["expected"] for r in report.rows[:4]] == [["notes/bees.md"]] * 4
    assert report.rows[4]["hybrid"] != 1 and report.rows[5]["hybrid"] is None  # no such file: never found
    index.close()


@pytest.mark.parametrize("indent", [None, 2])
def test_a_json_array_of_questions_is_read(tmp_path: Path, indent) -> None:
    """A .json file of questions (one array, pretty-printed or not) was "line 1: not JSON" or "line 1:
    expected an object": the one thing a careless user writes instead of JSON Lines."""
    questions = [{"question": "Why do bees dance?", "expected": ["bees.md"]},
                 {"question": "How does lava flow?", "expected": "lava.md", "answer": ["magma"]}]
    path = tmp_path / "questions.json"
    path.write_text(json.dumps(questions, indent=indent))
    assert [(q["question"], q["expected"]) for q in load_questions(path)] == [
        ("Why do bees dance?", ["bees.md"]), ("How does lava flow?", ["lava.md"])]
    path.write_text(json.dumps([questions[0], {"question": "x?"}], indent=indent))
    with pytest.raises(EvalFileError, match=r'questions\.json, question 2: "expected" must list'):
        load_questions(path)
    path.write_text("[]")
    with pytest.raises(EvalFileError, match="holds no questions"):
        load_questions(path)

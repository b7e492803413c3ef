"""Users measure retrieval on their own questions: %docchat_eval, DocIndex.evaluate, docchat eval; and --explain."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cell, write_tree
from IPython.core.error import UsageError

from jupyter_docchat import DocIndex
from jupyter_docchat.errors import DocChatError

TOPICS = {
    "volcanoes.md": "# Volcanoes\n\nMagma rises through the crust and erupts as lava from a volcano's vent.",
    "bees.md": "# Bees\n\nHoneybees make honey from nectar and dance to tell the hive where flowers are.",
    "notes/tides.txt": "Tides rise and fall twice a day because of the Moon's gravity pulling on the oceans.",
}
QUESTIONS = [
    {"question": "How does lava come out of a volcano?", "expected": ["volcanoes.md"]},
    {"question": "Why do honeybees dance in the hive?", "expected": ["bees.md"], "answer": ["flowers"]},
    {"question": "What makes the tides rise and fall?", "expected": ["./notes/tides.txt"]},
    {"question": "Who wrote the volcano notes?", "expected": ["missing.md"]},  # no such file: never found
]


@pytest.fixture
def topics(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "topics", TOPICS)


def write_questions(path: Path, questions: list) -> Path:
    path.write_text("".join(json.dumps(q) + "\n" for q in questions))
    return path


def test_evaluate_gives_the_known_answer_table(topics: Path, tmp_path: Path) -> None:
    index = DocIndex(tmp_path / "store")
    index.update(topics)
    report = index.evaluate(QUESTIONS, k=2)
    for mode in ("dense", "lexical", "hybrid"):
        assert report.summary[mode] == {"R@1": 0.75, "R@2": 0.75, "MRR@10": 0.75}, mode
    assert [r["hybrid"] for r in report.rows] == [1, 1, 1, None]
    assert report.rows[2]["expected"] == ["notes/tides.txt"]  # "./" is the same path
    html = report._repr_mimebundle_()["text/html"]
    assert "<table>" in html and "honeybees dance" in html and "0.750" in html
    from_file = index.evaluate(write_questions(tmp_path / "q.jsonl", QUESTIONS), k=2)
    assert from_file.summary == report.summary
    # The file no question can find is named, not left a silent zero (a typo, a file never indexed).
    assert report.unindexed == ["missing.md"] and report.to_dict()["unindexed"] == ["missing.md"]
    assert "1 expected file is not in the index" in str(report) and "missing.md" in str(report)
    assert "missing.md" in html
    assert index.evaluate(QUESTIONS[:3], k=2).unindexed == [] and "not in the index" not in str(index.evaluate(QUESTIONS[:3]))


def test_eval_magic_shows_the_table_and_names_bad_lines(ip, topics: Path, tmp_path: Path) -> None:
    ip.run_line_magic("docchat_index", f"{topics} --quiet")
    good = write_questions(tmp_path / "my questions.jsonl", QUESTIONS)
    result, error = run_cell(ip, f'%docchat_eval "{good}" --k 2')
    assert error is None and result.result.summary["hybrid"]["R@1"] == 0.75
    assert "MRR@10" in str(result.result)
    bad = tmp_path / "bad.jsonl"
    for body, says in [
        ('{"question": "a?", "expected": ["bees.md"]}\n{not json\n', "line 2: not JSON"),
        ('{"question": "a?"}\n', "line 1: \"expected\" must list"),
        ('["a list"]\n', "line 1: expected an object"),
        ('\n\n', "holds no questions"),
    ]:
        bad.write_text(body)
        result, error = run_cell(ip, f"%docchat_eval {bad}")
        assert isinstance(error, UsageError) and says in str(error) and "\n" not in str(error), (body, error)
    result, error = run_cell(ip, f"%docchat_eval {tmp_path / 'nowhere.jsonl'}")
    assert isinstance(error, UsageError) and "cannot read" in str(error)
    with pytest.raises(DocChatError, match="question 1"):
        DocIndex(tmp_path / "store").evaluate([{"question": "", "expected": ["x"]}])


def test_docchat_eval_on_the_command_line(topics: Path, tmp_path: Path) -> None:
    run = lambda *a: subprocess.run([sys.executable, "-m", "jupyter_docchat.cli", *a], cwd=tmp_path,  # noqa: E731
                                    capture_output=True, text=True, timeout=240)
    assert run("index", str(topics), "--quiet").returncode == 0
    done = run("eval", str(write_questions(tmp_path / "q.jsonl", QUESTIONS)), "--json", "-k", "2")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["summary"]["lexical"]["R@1"] == 0.75 and len(data["questions"]) == 4
    bad = run("eval", str(write_questions(tmp_path / "b.jsonl", [{"question": 3, "expected": ["x"]}])))
    assert bad.returncode == 1 and "line 1" in bad.stderr and bad.stderr.count("\n") == 1


def test_explain_shows_why_each_source_ranked(ip, topics: Path) -> None:
    ip.run_line_magic("docchat_index", f"{topics} --quiet")
    view = ip.run_cell("%%ask --explain\nWhy do honeybees dance?").result
    html = view._repr_mimebundle_()["text/html"]
    assert "dense rank" in html and "lexical rank" in html and 'class="dc-explain"' in html
    assert "Why these sources:" in str(view)
    source = ip.user_ns["docchat_history"][-1]["sources"][0]
    assert source["explain"]["dense_rank"] >= 1 and "fused" in source["explain"]
    hits = DocIndex(Path(ip.magics_manager.registry["DocChat"].store)).search("honeybees", k=2, explain=True)
    assert all(h.explain is not None for h in hits)


ANSWERED = [
    {"question": "Why do honeybees dance in the hive?", "expected": ["bees.md"], "answer": ["where flowers are"]},
    {"question": "What makes the tides rise and fall?", "expected": ["notes/tides.txt"], "answer": ["Moon", "gravity"]},
    # The documents never say it: neither the answer nor its sources can hold it.
    {"question": "How tall is the tallest volcano?", "expected": ["volcanoes.md"], "answer": ["Mauna Kea"]},
    {"question": "How does lava come out of a volcano?", "expected": ["volcanoes.md"], "answer": ["", " "]},  # none
]


def test_a_question_with_answer_keywords_is_asked_and_its_answer_scored(topics: Path, tmp_path: Path) -> None:
    """The README's question file names the words a good answer holds: they were checked for form, then never
    used (a new user's walk over Mako's manual). Offline, the quoted answer is scored as bench/answers.py does."""
    with DocIndex(tmp_path / "store") as index:
        index.update(topics)
        report = index.evaluate(ANSWERED, k=2)
    assert report.answers == {"asked": 3, "answered": 2, "sources hold": 2}
    assert [r.get("answered") for r in report.rows] == [True, True, False, None]
    assert [r.get("sources hold") for r in report.rows] == [True, True, False, None]
    text = str(report)
    assert "answers: 2 of 3 hold every keyword" in text and "(their sources hold them for 2)" in text
    lines = text.splitlines()
    assert any(" yes " in line and "honeybees" in line for line in lines)
    assert any(" no " in line and "tallest volcano" in line for line in lines)
    assert any(" - " in line and "lava" in line for line in lines)
    html = report._repr_mimebundle_()["text/html"]
    assert "<th>answer</th>" in html and "answers: 2 of 3" in html
    assert report.to_dict()["answers"] == report.answers
    # Without keywords, no question is asked and the report is as it was.
    plain = DocIndex(tmp_path / "store").evaluate(QUESTIONS[:1], k=2)
    assert plain.answers == {} and "answers:" not in str(plain) and "<th>answer</th>" not in plain.to_html()


def test_eval_magic_asks_with_the_model_ask_uses(online, fake, tmp_path: Path) -> None:
    fake.answer = "Depositors withdrew $42 billion in one day [1]."
    questions = write_questions(tmp_path / "q.jsonl", [
        {"question": "How much did depositors withdraw from SVB in one day?", "expected": ["svb_collapse.md"],
         "answer": ["$42 billion"]}])
    before = len(fake.requests)
    result, error = run_cell(online, f'%docchat_eval "{questions}"')
    assert error is None, error
    assert result.result.answers == {"asked": 1, "answered": 1, "sources hold": result.result.answers["sources hold"]}
    chats = [r for r in fake.requests[before:] if "messages" in r]
    assert chats and all(r.get("model") == "test-model" for r in chats)
    fake.answer = "The documents do not say [1]."
    result, error = run_cell(online, f'%docchat_eval "{questions}"')
    assert error is None and result.result.answers["answered"] == 0
    assert "sk-test-KEY-12345" not in str(result.result) and "sk-test-KEY-12345" not in result.result.to_html()


def test_docchat_eval_prints_the_answers_line_and_json(topics: Path, tmp_path: Path) -> None:
    run = lambda *a: subprocess.run([sys.executable, "-m", "jupyter_docchat.cli", *a], cwd=tmp_path,  # noqa: E731
                                    capture_output=True, text=True, timeout=240)
    assert run("index", str(topics), "--quiet").returncode == 0
    questions = str(write_questions(tmp_path / "q.jsonl", ANSWERED))
    done = run("eval", questions, "-k", "2")
    assert done.returncode == 0 and "answers: 2 of 3 hold every keyword" in done.stdout, done.stderr
    data = json.loads(run("eval", questions, "--json").stdout)
    assert data["answers"] == {"asked": 3, "answered": 2, "sources hold": 2}
    # --model as ask takes it: "extractive" quotes, as with none configured; a key given as the model is refused.
    assert json.loads(run("eval", questions, "--json", "--model", "extractive").stdout)["answers"] == data["answers"]
    key = "sk-proj-" + "A1b2" * 12
    refused = run("eval", questions, "--model", key)
    assert refused.returncode == 1 and key not in refused.stderr + refused.stdout and refused.stderr.count("\n") == 1


def test_the_reports_html_holds_no_control_characters_and_counts_one_question_as_one(topics: Path, tmp_path: Path) -> None:
    """A question file's NUL or bidirectional control reached the report's HTML as written, and one question was
    "1 questions" (probe 19)."""
    index = DocIndex(tmp_path / "store")
    index.update(topics)
    report = index.evaluate([{"question": "Why do honeybees\x00 dance\u202e in the hive?", "expected": ["bees\x07.md"]}])
    html = report._repr_mimebundle_()["text/html"]
    assert "\x00" not in html and "\u202e" not in html and "\x07" not in html
    assert "honeybees dance in the hive" in html and "1 question:" in html
    assert "2 questions:" in index.evaluate(QUESTIONS[:2])._repr_mimebundle_()["text/html"]
    index.close()

"""Probe 16: an outside tester's failures in the CLI, the Python API, evaluation and the readers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from jupyter_docchat import DocIndex

from conftest import ROOT, write_tree

BEES = {"bees.md": "# Bees\n\nHoneybees dance to show where the flowers are. The waggle dance gives the direction.\n"}


@pytest.fixture
def bees(tmp_path: Path):
    index = DocIndex(tmp_path / "store")
    index.update(write_tree(tmp_path / "docs", BEES))
    yield index
    index.close()


def test_an_answer_interrupted_while_streaming_says_so(bees: DocIndex, fake) -> None:
    # Ctrl-C while a model's answer streamed: the partial answer came back marked "ok", printed as if whole.
    fake.answer = "Bees dance to point at the flowers, using the angle of the sun [1]."
    online = DocIndex(bees.store, api_key="sk-test-KEY-123456", base_url=fake.url)
    received: list[str] = []

    def stop_on_third(token: str) -> None:
        received.append(token)
        if len(received) == 3:
            raise KeyboardInterrupt

    answer = online.ask("Why do bees dance?", model="test-model", on_token=stop_on_third)
    online.close()
    assert answer.status == "interrupted" and answer.to_dict()["status"] == "interrupted"
    assert answer.text and answer.text != fake.answer
    assert "interrupted" in str(answer) and "interrupted" in answer.to_html()
    whole = bees.ask("Why do bees dance?")
    assert whole.status == "ok" and "interrupted" not in str(whole)


def test_cli_ask_interrupted_while_streaming_marks_the_answer_and_exits_130(bees: DocIndex, fake) -> None:
    fake.answer = " ".join(["Bees dance to point at the flowers [1]."] * 30)
    fake.delay = 0.2
    env = {**os.environ, "OPENAI_BASE_URL": fake.url, "OPENAI_API_KEY": "sk-cli-123456", "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "jupyter_docchat.cli", "--store", str(bees.store), "ask",
                                "Why do bees dance?", "--model", "test-model"], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.time() + 60
    while fake.sent < 3 and time.time() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert "Bees dance" in out and "interrupted" in out
    assert process.returncode == 130


PARA = "The ferry leaves at nine from pier four and returns at noon. " * 4


def test_an_overlined_rst_title_heads_the_sections_under_it() -> None:
    # Python's documentation style: '====' over and under the page title, under its sections alone. The overline
    # was a section without a heading, and 'Installing' the title's sibling rather than under it.
    from jupyter_docchat.indexing.readers import read_sections

    text = (f"========\nTutorial\n========\n\n{PARA}\n\nInstalling\n==========\n\n{PARA}\n\n"
            f"On Linux\n--------\n\n{PARA}\n\n===========\nAppendix\n===========\n\n{PARA}\n")
    sections = read_sections(Path("tutorial.rst"), text.encode())
    assert [(s.heading, s.start_line) for s in sections] == [
        ("Tutorial", 1), ("Tutorial > Installing", 7), ("Tutorial > Installing > On Linux", 12), ("Appendix", 17)]
    assert sections[0].text.startswith("========\nTutorial\n========")
    # A transition (a rule between paragraphs) and a simple table's borders are no titles.
    plain = f"Title\n=====\n\n{PARA}\n\n----------\n\n{PARA}\n\n=====  =====\nA      B\n=====  =====\n1      2\n=====  =====\n"
    assert [s.heading for s in read_sections(Path("plain.rst"), plain.encode())] == ["Title"]


@pytest.mark.parametrize("k", ["5", 5.5, True, None, float("nan"), 11, 0])
def test_evaluate_refuses_a_k_that_is_not_a_whole_number_up_to_ten(bees: DocIndex, k) -> None:
    # k="5" failed as "the store ... failed: '<=' not supported ...", the store's fault; 5.5 and True were taken,
    # a report "R@5.5" printed.
    from jupyter_docchat.errors import DocChatError, StoreError

    with pytest.raises(DocChatError) as caught:
        bees.evaluate([{"question": "Why do bees dance?", "expected": ["bees.md"]}], k=k)
    assert not isinstance(caught.value, StoreError)
    assert str(caught.value) == f"k must be a whole number between 1 and 10, not {k!r}"


def test_evaluate_takes_a_whole_k_however_written(bees: DocIndex) -> None:
    import numpy as np

    questions = [{"question": "Why do bees dance?", "expected": ["bees.md"]}]
    assert bees.evaluate(questions, k=np.int64(3)).k == 3 and bees.evaluate(questions, k=2.0).k == 2
    assert "R@3" in bees.evaluate(questions, k=np.int64(3)).summary["hybrid"]


def test_history_save_with_an_empty_name_is_refused_and_clears_nothing(ip) -> None:
    # '%docchat_history --save "" --clear' (a variable that was unset) emptied the history and saved nothing.
    from IPython.core.error import UsageError

    from conftest import run_cell

    ip.user_ns["docchat_history"].append({"question": "Why do bees dance?", "answer": "To point [1].", "sources": []})
    for line in ('--save "" --clear', "--save ' '", '--save ""'):
        _, error = run_cell(ip, f"%docchat_history {line}")
        assert isinstance(error, UsageError) and "no file given" in str(error), line
        assert len(ip.user_ns["docchat_history"]) == 1


@pytest.mark.parametrize("cell", ['%docchat_index {docs} --store "" --quiet', '%ask --store "" Why do bees dance?',
                                  '%docchat_status --store " "'])
def test_an_empty_store_option_is_refused_in_the_magics_as_on_the_command_line(ip, tmp_path: Path, cell: str) -> None:
    # --store "$UNSET" in a notebook indexed (or asked) the configured store; docchat --store "" refuses it.
    from IPython.core.error import UsageError

    from conftest import run_cell

    docs = write_tree(tmp_path / "docs", BEES)
    _, error = run_cell(ip, cell.format(docs=docs))
    assert isinstance(error, UsageError) and str(error).startswith("no store given: --store needs a folder")
    assert not (tmp_path / "store").exists()


from hypothesis import given, settings
from hypothesis import strategies as st

NAME = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=20) | st.sampled_from(
    ["a\\", "b.md\\", "*x*", "1. y", "- z", "[1]", "`c`", "<br>", "trailing  "])


@settings(max_examples=150, deadline=None)
@given(names=st.lists(NAME, min_size=1, max_size=4))
def test_history_markdown_lists_each_source_on_a_line_of_its_own(names: list[str]) -> None:
    # The sources were lines of one paragraph: rendered, "Sources: 1. a.md (line 1) 2. b.md (p. 3)" on one line.
    import re

    from markdown_it import MarkdownIt

    from jupyter_docchat.views.history import to_markdown

    sources = [{"n": n, "source": name, "location": f"line {n}", "score": 0.5, "text": "x"} for n, name in enumerate(names, 1)]
    page = MarkdownIt("commonmark").render(to_markdown([{"question": "Why?", "answer": "Because.", "sources": sources}]))
    paragraph = page[page.index("<p>Sources:"):]
    paragraph = paragraph[:paragraph.index("</p>")]
    lines = [re.sub(r"<[^>]+>", "", line).strip() for line in paragraph.split("<br />")]
    assert lines[0] == "Sources:" and len(lines) == len(names) + 1
    assert [line.split(". ", 1)[0] for line in lines[1:]] == [str(n) for n in range(1, len(names) + 1)]
    assert all(line.endswith(f"(line {n})") for n, line in enumerate(lines[1:], 1))


def test_status_text_words_its_counts() -> None:
    # "docs: 1 files, 1229 (1101 waiting for vectors) chunks, ..." after a Ctrl-C in the vector pass.
    from jupyter_docchat.store.records import CollectionInfo
    from jupyter_docchat.views.status import StoreStatus

    collections = [CollectionInfo("docs", "minilm", "/d", 40, 1229, 0.0, waiting=1101), CollectionInfo("one", "minilm", "/o", 1, 1, 0.0)]
    text = str(StoreStatus(Path("/s"), "", collections))
    assert "docs: 40 files, 1229 chunks (1101 waiting for vectors), embeddings minilm" in text
    assert "one: 1 file, 1 chunk, embeddings minilm" in text


def test_an_expected_path_that_steps_up_names_the_file_it_leads_to(bees: DocIndex, tmp_path: Path, monkeypatch) -> None:
    # "notes/../bees.md" and "../<cwd's name>/docs/bees.md" (from the working directory) were named as files not
    # in the index, their questions scored 0.
    monkeypatch.chdir(tmp_path)
    forms = ["bees.md", "notes/../bees.md", f"../{tmp_path.name}/docs/bees.md", "docs/x/../bees.md",
             str(tmp_path / "docs" / "x" / ".." / "bees.md")]
    report = bees.evaluate([{"question": "Why do bees dance?", "expected": [form]} for form in forms])
    assert report.unindexed == [] and [row["hybrid"] for row in report.rows] == [1] * len(forms)
    outside = bees.evaluate([{"question": "Why do bees dance?", "expected": ["../bees.md"]}])
    assert outside.unindexed == ["../bees.md"]


@pytest.mark.parametrize("text, lines", [("a,b,c\n", (1, 1)), ("a,b,c", (1, 1)),
                                          ("a,b\n1,2\n3,4\n\n\nname,city,zip\n", (1, 6))])
def test_a_csv_table_of_a_header_alone_is_cited_within_the_file(text: str, lines: tuple[int, int]) -> None:
    # A header-only CSV (an empty table) was cited as lines 1-2 of a file of one line: its rule counted as a line.
    from jupyter_docchat.indexing.chunking import Chunker
    from jupyter_docchat.indexing.readers import read_sections

    [chunk] = Chunker(800, 100).chunk("t.csv", "h", read_sections(Path("t.csv"), text.encode()))
    assert (chunk.start_line, chunk.end_line) == lines and chunk.end_line <= len(text.rstrip("\n").split("\n"))


@pytest.mark.parametrize("text, error", [
    ('[\n  {"question": "Why?", "expected": ["a.md"]},\n  {"question": "How?", "expected": ["b.md"]},\n]\n',
     "line 4: not JSON (Expecting value)"),
    ('[\n  {"question": "Why?", "expected": ["a.md"]}\n  {"question": "How?", "expected": ["b.md"]}\n]\n',
     "line 3: not JSON (Expecting ',' delimiter)"),
    ('[{"question": "Why?", "expected": ["a.md"]}, 5]', 'question 2: expected an object with "question" and "expected"'),
    ('[1]\n{"question": "Why?", "expected": ["a.md"]}\n', 'line 1: expected an object with "question" and "expected"'),
])
def test_a_json_array_of_questions_with_a_mistake_is_named_where_it_is(tmp_path: Path, text: str, error: str) -> None:
    # A comma left after the last question of a .json file was "line 1: not JSON (Expecting value)", its "[".
    from jupyter_docchat.retrieval.evaluation import EvalFileError, load_questions

    path = tmp_path / "questions.json"
    path.write_text(text)
    with pytest.raises(EvalFileError) as caught:
        load_questions(path)
    assert str(caught.value) == f"{path}, {error}"


@pytest.mark.parametrize("heading, trail", [("B {.unnumbered}", "B"), ("Appendix {#sec-app .appendix}", "Appendix"),
                                            ("Preface {-}", "Preface"), ("Setup {#setup}", "Setup"),
                                            ("Sets {a, b}", "Sets {a, b}"), ("The {} literal", "The {} literal")])
def test_a_markdown_headings_pandoc_attributes_are_no_part_of_its_trail(heading: str, trail: str) -> None:
    # Quarto's "## B {.unnumbered}" was headed "Report > B {.unnumbered}"; "{#id}" alone was taken off.
    from jupyter_docchat.indexing.readers import read_sections

    text = f"---\ntitle: Report\n---\n\n## {heading}\n\n{PARA}\n"
    for name in ("report.qmd", "report.md"):
        assert read_sections(Path(name), text.encode())[-1].heading == f"Report > {trail}"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("command", [["search", "bees dance"], ["ask", "Why do bees dance?"], ["status"],
                                     ["ask", "Why do bees dance?", "--model", "test-model"]])
def test_cli_output_to_a_full_disk_is_one_line_not_a_traceback(bees: DocIndex, fake, command: list[str]) -> None:
    # `docchat search ... > hits.txt` on a full disk ended in an OSError traceback; a streamed answer in
    # "docchat: on_token raised OSError".
    fake.answer = "Bees dance to point at the flowers [1]."
    env = {**os.environ, "OPENAI_BASE_URL": fake.url, "OPENAI_API_KEY": "sk-cli-123456", "PYTHONPATH": str(ROOT)}
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "jupyter_docchat.cli", "--store", str(bees.store), *command],
                              env=env, stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    assert done.returncode == 1 and done.stderr == "docchat: cannot write the output: No space left on device\n"


@pytest.mark.parametrize("command, said", [
    (["search", "bees"], "docchat: interrupted\n"), (["eval", "q.jsonl"], "docchat: interrupted\n"),
    (["index", "docs"], "docchat: interrupted; the store is consistent, run the same command again to finish\n")])
def test_cli_ctrl_c_says_what_there_is_to_finish(bees: DocIndex, monkeypatch, capsys, command, said) -> None:
    # Ctrl-C in a search was "interrupted; the store is consistent, run the same command again to finish".
    from jupyter_docchat import cli
    from jupyter_docchat.index import DocIndex as Index

    def stopped(*args, **kwargs):
        raise KeyboardInterrupt

    for name in ("search", "evaluate", "update"):
        monkeypatch.setattr(Index, name, stopped)
    assert cli.main(["--store", str(bees.store), *command]) == 130
    assert capsys.readouterr().err == said


def test_an_eval_question_with_a_lone_surrogate_is_reported_with_a_replacement_character(bees: DocIndex, tmp_path: Path) -> None:
    # '"Why do \\ud800 bees dance?"' in a questions file: the report's HTML held the lone surrogate, which failed to
    # encode where a kernel sends a display.
    path = tmp_path / "q.jsonl"
    path.write_text('{"question": "Why do \\ud800 bees dance?", "expected": ["bees.md", "\\udcff.md"]}\n')
    report = bees.evaluate(path)
    assert report.rows[0]["question"] == "Why do \ufffd bees dance?" and report.rows[0]["hybrid"] == 1
    report.to_html().encode("utf-8")
    assert report.unindexed == ["\ufffd.md"]


def test_a_notebook_markdown_cell_with_a_setext_title_heads_the_cells_below() -> None:
    # "Results\n=======" in a Markdown cell headed nothing, where a .md file reads it as a heading.
    import json

    from jupyter_docchat.indexing.readers import read_sections

    def notebook(*cells: tuple[str, str]) -> bytes:
        return json.dumps({"cells": [{"cell_type": kind, "metadata": {}, "source": source,
                                      **({"outputs": [], "execution_count": None} if kind == "code" else {})}
                                     for kind, source in cells], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}).encode()

    read = read_sections(Path("a.ipynb"), notebook(("markdown", "Results\n======="), ("code", "x = 1"),
                                                   ("markdown", "Some text first.\n\nSub part\n--------\nmore"),
                                                   ("code", "y = 2")))
    # the text above the third cell's title stays under the title before it (probe 28's leftover, readers 39)
    assert [s.heading for s in read] == ["Results", "Results", "Results", "Sub part", "Sub part"]
    # A list item or a quote over a rule, a rule alone, a fenced block's lines: no title.
    for source in ("- item\n---", "> quoted\n---", "---\n---", "```\nTitle\n=====\n```", "    code\n    ===="):
        assert [s.heading for s in read_sections(Path("b.ipynb"), notebook(("markdown", source)))] == [""], source


def test_a_latex_source_gives_each_chunk_its_sections_heading_trail() -> None:
    # A .tex file was one section without a heading: every chunk of a paper was cited with no section.
    from jupyter_docchat.indexing.chunking import Chunker
    from jupyter_docchat.indexing.readers import read_sections

    text = ("\\documentclass{article}\n\\begin{document}\n\\maketitle\n" + PARA + "\n"
            "\\section{Method}\n" + PARA + "\n\\subsection*{Data with \\emph{noise}} % a note\n" + PARA + "\n"
            "\\section[Short]{Results {and} costs}\n" + PARA + "\n% \\section{Commented out}\n" + PARA + "\n\\end{document}\n")
    sections = read_sections(Path("paper.tex"), text.encode())
    assert [(s.heading, s.start_line) for s in sections] == [
        ("", 1), ("Method", 5), ("Method > Data with noise", 7), ("Results and costs", 9)]
    assert "\n".join(s.text for s in sections).split("\n") == [line.split("%")[0].rstrip() if "\\%" not in line else line
                                                             for line in text.split("\n")]
    lines = text.split("\n")
    for chunk in Chunker(800, 100).chunk("paper.tex", "h", sections):
        first = chunk.text.strip().split("\n")[0]
        assert lines[chunk.start_line - 1].startswith(first[:20])
        if chunk.heading:
            assert chunk.text.lstrip().startswith(("\\section", "\\subsection"))

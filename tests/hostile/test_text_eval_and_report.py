"""Issue 22, item 13 (part): %docchat_eval takes a question file with a UTF-8 byte-order mark; a deeply
nested line is a one-line error that leaves the store alone; "see ..." after an index names what exists."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cell
from hypothesis import HealthCheck, given, settings, strategies as st

from jupyter_docchat.cli import main
from jupyter_docchat.retrieval.evaluation import EvalFileError, load_questions

QUESTION = {"question": "Why did SVB fail?", "expected": ["svb_collapse.md"]}


def test_a_question_file_with_a_byte_order_mark_is_read(indexed, tmp_path: Path) -> None:
    path = tmp_path / "questions.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(QUESTION).encode() + b"\n")
    report = indexed.run_line_magic("docchat_eval", str(path))
    assert len(report.rows) == 1 and report.rows[0]["hybrid"]


def test_a_deeply_nested_line_is_a_one_line_error_and_the_store_stays(indexed, tmp_path: Path) -> None:
    path = tmp_path / "questions.jsonl"
    path.write_text(json.dumps(QUESTION) + "\n" + "[" * 100_000 + "]" * 100_000 + "\n")
    _, error = run_cell(indexed, f"%docchat_eval {path}")
    assert error is not None and type(error).__name__ == "UsageError"
    assert "line 2: nested too deeply" in str(error) and "\n" not in str(error) and "store" not in str(error)
    assert indexed.run_line_magic("docchat_status", "").collections[0].chunks > 0
    assert main(["--store", str(tmp_path / "store"), "eval", str(path)]) == 1


def test_the_files_not_named_in_the_summary_are_where_it_says(ip, corpus: Path, tmp_path: Path, capsys) -> None:
    for n in range(8):
        (corpus / f"broken{n}.pdf").write_bytes(b"%PDF-1.4 not really a PDF")
    ip.run_line_magic("docchat_index", f"{corpus} --quiet")
    printed = capsys.readouterr().out
    assert "and 3 more (see docchat_report.skipped_files)" in printed
    assert len(ip.user_ns["docchat_report"].skipped_files) == 8
    assert main(["--store", str(tmp_path / "cli-store"), "index", str(corpus), "--quiet"]) == 0
    assert "and 3 more (see docchat index --json)" in capsys.readouterr().out


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=300),
                      st.lists(st.one_of(st.just(json.dumps(QUESTION)), st.text(max_size=40),
                                         st.recursive(st.none() | st.integers() | st.text(max_size=5),
                                                      lambda inner: st.lists(inner) | st.dictionaries(st.text(max_size=8), inner),
                                                      max_leaves=8).map(json.dumps)),
                               max_size=5).map(lambda lines: "\n".join(lines).encode("utf-8", "surrogatepass"))))
def test_any_question_file_gives_questions_or_a_one_line_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "q.jsonl"
    path.write_bytes((b"\xef\xbb\xbf" if data[:1] == b"{" else b"") + data)
    try:
        questions = load_questions(path)
    except EvalFileError as exc:
        assert "\n" not in str(exc)
    else:
        assert questions and all(q["question"].strip() and q["expected"] for q in questions)

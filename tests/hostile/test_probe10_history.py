"""Probe 10: an ``Answer`` of ``DocIndex.ask`` is history as a turn of ``docchat_history`` is (``ask(...,
history=[answer])`` says so). Put in ``docchat_history``, it was followed up, yet shown as nothing and left out of
``--save`` without a word, while the save said it wrote every entry."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import ask, run_cell, write_tree

from jupyter_docchat import DocIndex

DOCS = {"bank.md": "# Bank\n\nThe bank failed after depositors withdrew their money in one day.\n"}


def test_an_answer_record_in_the_history_is_shown_and_saved(ip, tmp_path: Path, capsys) -> None:
    docs = write_tree(tmp_path / "docs", DOCS)
    ip.run_line_magic("docchat_index", f"{docs} --quiet")
    ask(ip, "Why did the bank fail?", "--no-stream")
    with DocIndex(ip.magics_manager.registry["DocChat"].store) as index:
        record = index.ask("When did the depositors withdraw their money?")
    history = ip.user_ns["docchat_history"]
    history.append(record)
    shown = ip.run_line_magic("docchat_history", "")
    assert "When did the depositors withdraw" in str(shown) and "When did the depositors withdraw" in shown.to_html()
    capsys.readouterr()
    _, error = run_cell(ip, f"%docchat_history --save {tmp_path / 'chat.md'}")
    assert error is None
    assert "saved 2 turns" in capsys.readouterr().out
    assert "When did the depositors withdraw" in (tmp_path / "chat.md").read_text()
    run_cell(ip, f"%docchat_history --save {tmp_path / 'chat.json'}")
    assert [t["question"] for t in json.loads((tmp_path / "chat.json").read_text())] == [
        "Why did the bank fail?", "When did the depositors withdraw their money?"]
    assert history[-1] is record  # read, never changed


def test_the_save_counts_the_turns_it_wrote(ip, tmp_path: Path, capsys) -> None:
    ip.user_ns["docchat_history"].extend([{"question": "q", "answer": "a", "sources": []}, "a note", 42, None])
    _, error = run_cell(ip, f"%docchat_history --save {tmp_path / 'chat.md'}")
    assert error is None
    assert "saved 1 turn " in capsys.readouterr().out  # said "saved 4 turns": three were no turns at all

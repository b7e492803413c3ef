"""Probe 11: ``%docchat_history --save`` wrote turns holding the configured key to disk (a turn asked before the key
was set, or one put in ``docchat_history`` by hand): a key is never stored."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cell

KEY = "sk-ABCDEFGHIJKLMNOPQRST"


def test_a_turn_holding_the_key_is_left_out_of_the_save(ip, tmp_path: Path, capsys) -> None:
    ip.run_line_magic("config", f"DocChat.api_key = {KEY!r}")
    ip.user_ns["docchat_history"].extend([
        {"question": "Which token does deploy use?", "answer": f"It uses {KEY[:12]}\n{KEY[12:]}.", "sources": []},
        {"question": "What is the runner?", "answer": "A machine.", "sources": [{"source": "a.md", "text": "A machine."}]},
    ])
    for name in ("chat.md", "chat.json"):
        capsys.readouterr()
        _, error = run_cell(ip, f"%docchat_history --save {tmp_path / name}")
        assert error is None
        saved = (tmp_path / name).read_text()
        assert KEY[:12] not in saved and "What is the runner?" in saved
        out = capsys.readouterr().out
        assert "saved 1 turn" in out and "left out 1" in out and KEY[:12] not in out
    assert len(json.loads((tmp_path / "chat.json").read_text())) == 1
    assert len(ip.user_ns["docchat_history"]) == 2  # the history itself is the user's: read, never changed

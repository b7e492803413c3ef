"""Probe 12: ``%docchat_history --save`` over a file that is there. It was written to a private temporary file
renamed into place: an export to share came out readable by its owner alone (0600), an existing file lost its
mode, and a save to a link replaced the link by a file (the file it pointed to was never written)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

TURN = {"question": "What does the deploy step read?", "answer": "The runner's settings [1]."}


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_export_is_made_as_any_new_file_is(ip, tmp_path: Path) -> None:
    ip.user_ns["docchat_history"] = [dict(TURN)]
    umask = os.umask(0o022)
    try:
        ip.run_line_magic("docchat_history", f"--save {tmp_path / 'chat.md'}")
    finally:
        os.umask(umask)
    assert _mode(tmp_path / "chat.md") == 0o644


def test_an_export_over_a_file_keeps_its_mode(ip, tmp_path: Path) -> None:
    target = tmp_path / "chat.json"
    target.write_text("[]")
    target.chmod(0o664)
    ip.user_ns["docchat_history"] = [dict(TURN)]
    ip.run_line_magic("docchat_history", f"--save {target}")
    assert _mode(target) == 0o664 and "deploy step" in target.read_text()


def test_an_export_to_a_link_writes_the_file_it_points_to(ip, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "chat.md").write_text("old\n")
    link = tmp_path / "chat.md"
    link.symlink_to(shared / "chat.md")
    ip.user_ns["docchat_history"] = [dict(TURN)]
    ip.run_line_magic("docchat_history", f"--save {link}")
    assert link.is_symlink() and "deploy step" in (shared / "chat.md").read_text()
    assert not [p for p in shared.iterdir() if p.name != "chat.md"]  # no temporary file left beside it


KEY = "sk-proj-Zq7Wx3Lm9Pt4Rv8Ks2abcDEF"


def test_the_history_shown_leaves_out_a_turn_holding_the_key_as_its_save_does(ip) -> None:
    # --save left such a turn out, yet %docchat_history showed it whole (its output is kept in the notebook)
    ip.run_line_magic("config", f"DocChat.api_key = {KEY!r}")
    ip.user_ns["docchat_history"] = [{"question": f"is {KEY} my key?", "answer": "yes"},
                                     {"question": "other", "answer": "fine",
                                      "sources": [{"n": 1, "source": f"key-{KEY}.md", "location": "lines 1-2", "text": "t"}]},
                                     dict(TURN)]
    view = ip.run_line_magic("docchat_history", "")
    shown = str(view) + view.to_html()
    assert "Zq7Wx3Lm9Pt4" not in shown and "deploy step" in shown
    assert "2 turns holding the configured API key or server token not shown" in str(view)
    assert len(ip.user_ns["docchat_history"]) == 3  # the history itself is the user's: nothing removed from it


def test_the_chat_box_leaves_out_a_turn_holding_the_key(ip) -> None:
    # the chat box drew every turn of docchat_history, one holding the key too (the widget's state is saved
    # with the notebook)
    ip.run_line_magic("config", f"DocChat.api_key = {KEY!r}")
    ip.user_ns["docchat_history"] = [{"question": f"is {KEY} my key?", "answer": "yes"}, dict(TURN)]
    box = ip.run_line_magic("docchat_chat", "")
    try:
        shown = box.transcript_html()
        assert "Zq7Wx3Lm9Pt4" not in shown and "deploy step" in shown and "not shown" in shown
    finally:
        box.close()


def test_an_empty_history_is_not_saved_over_an_earlier_export(ip, tmp_path: Path) -> None:
    # after a kernel restart, re-running the notebook's "%docchat_history --save chat.md" cell wrote an empty
    # export over the conversation saved before
    target = tmp_path / "chat.md"
    ip.user_ns["docchat_history"] = [dict(TURN)]
    ip.run_line_magic("docchat_history", f"--save {target}")
    before = target.read_text()
    ip.user_ns["docchat_history"] = []
    from IPython.core.error import UsageError
    import pytest

    with pytest.raises(UsageError, match="no turn to save"):
        ip.run_line_magic("docchat_history", f"--save {target}")
    assert target.read_text() == before
    ip.run_line_magic("docchat_history", f"--save {tmp_path / 'new.json'}")  # a new file: written, as before
    assert (tmp_path / "new.json").read_text().strip() == "[]"

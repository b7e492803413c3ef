"""Issue 22, item 5: when the indexed folder is deleted, moved or replaced by a file, an answer says so
(it still comes from the index as it was); a folder indexed through a link is checked through the link."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ask

GONE = "is gone: answers come from the index as it was"


@pytest.mark.parametrize("how", ["deleted", "moved", "replaced by a file"])
def test_an_answer_says_the_indexed_folder_is_gone(indexed, corpus: Path, how: str) -> None:
    if how == "deleted":
        shutil.rmtree(corpus)
    elif how == "moved":
        corpus.rename(corpus.with_name("moved"))
    else:
        corpus.rename(corpus.with_name("moved"))
        corpus.write_text("a file where the folder was\n")
    view = ask(indexed, "Why did SVB fail?", "--no-stream")
    turn = indexed.user_ns["docchat_history"][-1]
    assert turn["sources"] and turn["answer"]  # from the index as it was
    assert f"the folder {corpus} {GONE}" in turn["notices"]
    assert GONE in str(view) and GONE in view._repr_mimebundle_()["text/html"]


def test_a_folder_indexed_through_a_link_is_followed_when_its_target_moves(ip, corpus: Path, tmp_path: Path) -> None:
    link = tmp_path / "current"
    link.symlink_to(corpus, target_is_directory=True)
    ip.run_line_magic("docchat_index", f"{link} --quiet")
    assert str(link) in str(ip.run_line_magic("docchat_status", ""))  # stored as given
    moved = corpus.rename(tmp_path / "docs-v2")
    link.unlink()
    link.symlink_to(moved, target_is_directory=True)
    (moved / "zebra.md").write_text("# Zebra rule\n\nThe zebra rule caps deposits at eleven accounts.\n")
    ask(ip, "What does the zebra rule cap?", "--no-stream")
    turn = ip.user_ns["docchat_history"][-1]
    assert "1 added" in turn["refreshed"], turn["refreshed"]
    assert not any(GONE in n for n in turn["notices"])
    assert any(s["source"] == "zebra.md" for s in turn["sources"])

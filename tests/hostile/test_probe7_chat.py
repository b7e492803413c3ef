"""Probe 7: the chat box while the user starts the conversation afresh by replacing ``docchat_history``
(``docchat_history = []``, as the README invites: "Edit or replace it") while a question is answered.
The answer went to the list that was replaced, so it showed nowhere: neither in the box nor in the new
history. A clear at that moment keeps it (it follows the clear); replacing the list now does the same."""

from __future__ import annotations

import threading

from conftest import write_tree

from jupyter_docchat.index import DocIndex

LONG = 30.0


def test_a_history_replaced_while_the_box_answers_gets_the_answer(ip, tmp_path, monkeypatch) -> None:
    docs = write_tree(tmp_path / "docs", {"svb.md": "# SVB\n\nSilicon Valley Bank collapsed after a run on its deposits.\n",
                                          "regulators.md": "# Regulators\n\nThe regulators guaranteed every deposit.\n"})
    ip.run_line_magic("docchat_index", f"{docs} --quiet")
    box = ip.run_line_magic("docchat_chat", "")
    searching, go = threading.Event(), threading.Event()
    real = DocIndex.search

    def search(self, *args, **kwargs):  # holds the box's question until the history is replaced
        searching.set()
        go.wait(LONG)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(DocIndex, "search", search)
    try:
        box.submit("What caused the collapse of Silicon Valley Bank?")
        assert searching.wait(LONG)
        old = ip.user_ns["docchat_history"]
        ip.user_ns["docchat_history"] = []
        go.set()
        box.wait(LONG)
        history = ip.user_ns["docchat_history"]
        assert [t["question"] for t in history] == ["What caused the collapse of Silicon Valley Bank?"]
        assert "What caused the collapse of Silicon Valley Bank?" in box.transcript_html()
        assert len(old) == 1  # the replaced list is left as the answer found it
        box.submit("And how did the regulators respond?")
        box.wait(LONG)
        assert [t["question"] for t in ip.user_ns["docchat_history"]][-1] == "And how did the regulators respond?"
        assert len(ip.user_ns["docchat_history"]) == 2
    finally:
        go.set()
        box.close()


"""Probe 8: a question of a megabyte (a log pasted into the chat box) was searched for seconds and kept whole
in the history; a history holding one sent it whole to the model with every follow-up."""

from __future__ import annotations

from conftest import write_tree

from jupyter_docchat import DocIndex

LONG = 60.0
PASTED = "ERROR deposit outflow at the bank " * 30_000  # about a megabyte


def test_a_megabyte_question_in_the_chat_box_is_refused_in_one_line_and_not_kept(ip, tmp_path) -> None:
    docs = write_tree(tmp_path / "docs", {"svb.md": "# SVB\n\nSilicon Valley Bank collapsed after a run on its deposits.\n"})
    ip.run_line_magic("docchat_index", f"{docs} --quiet")
    box = ip.run_line_magic("docchat_chat", "")
    try:
        box.submit(PASTED)
        box.wait(LONG)
        assert ip.user_ns["docchat_history"] == []
        shown = box.transcript_html()
        assert "characters long: ask in at most 20,000" in shown and len(shown) < 50_000
    finally:
        box.close()


def test_a_past_megabyte_question_is_cut_in_what_the_model_is_sent(tmp_path, fake) -> None:
    docs = write_tree(tmp_path / "docs", {"svb.md": "# SVB\n\nSilicon Valley Bank collapsed after a run on its deposits.\n"})
    index = DocIndex(tmp_path / "store", api_key="sk-test-KEY-12345", base_url=fake.url)
    index.update(docs)
    fake.mode, fake.answer = "ok", "A run on deposits [1]."
    index.ask("And what caused it?", history=[{"question": PASTED, "answer": "An outflow."}], model="m")
    assert fake.bodies and max(len(body) for body in fake.bodies) < 100_000
    index.close()

"""Probe 7: the configured key reaches no model, answer or history by a way round the text of a source:
a document's heading (sent to the model beside the text, kept in the history's sources), the whole
section an offline answer quotes when the question names it, a variable's label longer than its cut
description."""

from __future__ import annotations

import json

import pytest
from conftest import ask, write_tree

KEY = "sk-test-KEY-12345"


def _point_at(ip, fake, model: str = "m") -> None:
    ip.run_line_magic("config", f"DocChat.base_url = {fake.url!r}")
    ip.run_line_magic("config", f"DocChat.api_key = {KEY!r}")
    ip.run_line_magic("config", f"DocChat.model = {model!r}")


def test_a_heading_holding_the_key_never_reaches_the_model_or_the_history(ip, tmp_path, fake) -> None:
    body = "\n\n".join(f"Paragraph {i} about the deposit outflow of the bank, with numbers {i * 7}." for i in range(30))
    docs = write_tree(tmp_path / "d", {"notes.md": f"# Setup for {KEY}\n\n{body}\n",
                                       "other.md": "# Outflows\n\nThe deposit outflow of the bank was fast.\n"})
    ip.run_line_magic("docchat_index", f"{docs} --quiet --chunk-size 200 --chunk-overlap 0")
    fake.mode, fake.answer = "ok", "It was fast [1]."
    _point_at(ip, fake)
    ask(ip, "What about paragraph 17 deposit outflow?", "--no-stream")
    turn = ip.user_ns["docchat_history"][-1]
    assert fake.bodies and not any(b"KEY-12345" in body for body in fake.bodies)
    assert "KEY-12345" not in json.dumps(turn)
    assert "notes.md" in " ".join(turn["notices"])  # what was left out is named
    assert [s["source"] for s in turn["sources"]] == ["other.md"]


def test_the_section_an_offline_answer_quotes_whole_leaves_a_part_holding_the_key_out(ip, tmp_path) -> None:
    docs = write_tree(tmp_path / "d", {"guide.md": (
        "# Guide\n\nIntro to the guide, and some words about banks and rates.\n\n## How to configure the client\n\n"
        "Configuring the client takes two steps, described below.\n\n### Settings file\n\n"
        "The client reads its settings from a file in the home folder.\n\n"
        f"### Credentials\n\nSet the credential to {KEY} before starting.\n\n## Other topics\n\nOther text about banks.\n")})
    ip.run_line_magic("docchat_index", f"{docs} --quiet --chunk-size 60 --chunk-overlap 0")
    ip.run_line_magic("config", f"DocChat.api_key = {KEY!r}")
    ip.run_line_magic("config", "DocChat.base_url = 'http://127.0.0.1:9/v1'")
    ip.run_line_magic("config", "DocChat.model = 'extractive'")
    ask(ip, "How to configure the client?")
    turn = ip.user_ns["docchat_history"][-1]
    assert "KEY-12345" not in json.dumps(turn)
    assert "Configuring the client takes two steps" in turn["answer"]  # still answered, from what may be shown


def test_a_variable_whose_long_label_holds_the_key_is_refused(ip, fake) -> None:
    import pandas as pd
    ip.user_ns["outflow"] = pd.Series([1.0, 2.0], name="x" * 4000 + KEY)  # the label has the name; the text is cut
    _point_at(ip, fake)
    fake.mode, fake.answer = "ok", "ok [1]."
    with pytest.raises(Exception, match="contains the configured API key"):
        ask(ip, "What is in outflow?", "--with outflow --no-stream")
    assert not any(b"KEY-12345" in body for body in fake.bodies)
    assert ip.user_ns["docchat_history"] == []

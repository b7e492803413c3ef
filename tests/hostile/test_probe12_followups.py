"""Probe 12: a second follow-up in a row, offline. "What is the deploy key?", "And what does it do?", "And how is it
rotated?": the third was searched with the second question alone ("And what does it do? And how is it rotated?"),
the deploy key gone from the search, and the answer came from whatever file said "rotated"."""

from __future__ import annotations

from pathlib import Path

from conftest import write_tree
from hypothesis import given, settings, strategies as st

from jupyter_docchat import DocIndex
from jupyter_docchat.qa.conversation import needs_previous_turn, standalone_without_model


def test_a_follow_up_of_a_follow_up_keeps_the_subject_of_the_first_question(tmp_path: Path) -> None:
    docs = write_tree(tmp_path / "docs", {
        "keys.md": "# Deploy key\n\nThe deploy key lets the runner push release tags.\n\n"
                   "The deploy key is rotated every ninety days by the security team.\n",
        "tyres.md": "# Tyres\n\nWinter tyres are rotated between the axles every autumn.\n"})
    with DocIndex(tmp_path / "store") as index:
        index.update(docs)
        history: list = []
        for question in ("What is the deploy key?", "And what does it do?", "And how is it rotated?"):
            history.append(index.ask(question, history=history, model="extractive"))
    last = history[-1]
    assert "deploy key" in last.standalone
    assert last.sources[0].file == "keys.md" and "ninety days" in last.text


def test_the_chain_stops_at_the_question_that_stands_alone() -> None:
    past = [("What is the deploy key?", "a"), ("What is a winter tyre?", "b"), ("And how is it fitted?", "c")]
    assert standalone_without_model("And how long does it last?", past) == \
        "What is a winter tyre? And how is it fitted? And how long does it last?"


@settings(max_examples=200, deadline=None)
@given(questions=st.lists(st.sampled_from(["What is the deploy key?", "And what does it do?", "And how is it rotated?",
                                           "What about the runner?", "Why?", "How are winter tyres fitted?",
                                           "And its cost?"]), min_size=1, max_size=6),
       question=st.sampled_from(["And then?", "What does it cost?", "How are deploy keys stored?"]))
def test_a_follow_up_is_searched_with_the_last_question_that_stands_alone(questions, question) -> None:
    # whatever the conversation: a follow-up's search holds the last question that stood alone (if any), each
    # question at most once, and a question that stands alone is searched as asked
    past = [(q, "answer") for q in questions]
    standalone = standalone_without_model(question, past)
    if not needs_previous_turn(question):
        assert standalone == question
        return
    anchors = [q for q in questions if not needs_previous_turn(q)]
    if anchors:
        assert anchors[-1] in standalone
    assert standalone.endswith(question)
    parts = [q for q in dict.fromkeys(questions) if q in standalone]
    assert all(standalone.count(q) == 1 for q in parts if q != question)

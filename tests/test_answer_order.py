"""The sources of an answer are listed by their scores, or the answer says in what order they are."""

from __future__ import annotations

from conftest import ask

from jupyter_docchat.qa.conversation import SEARCH_ORDER, sources_by_score
from jupyter_docchat.types import Hit


def _hit(n: int, score: float, origin: str = "document") -> Hit:
    return Hit(id=str(n), text="t", source=f"f{n}", score=score, origin=origin)


def test_sources_out_of_score_order_are_told() -> None:
    assert sources_by_score([_hit(1, 0.9), _hit(2, 0.5), _hit(3, 0.0, "variable"), _hit(4, 0.0, "cell")])
    assert not sources_by_score([_hit(1, 0.5), _hit(2, 0.9)])


QUESTIONS = ["What is the standard deposit insurance amount?", "Why did SVB fail?",
             "What did the Federal Reserve create to lend to banks?", "How is the duration of a bond computed?",
             "What happened to interest rates in 2022?", "Who bought Silicon Valley Bridge Bank?"]


def test_every_answer_lists_its_sources_by_score_or_says_their_order(indexed) -> None:
    for question in QUESTIONS:
        turn = ask(indexed, question, "--no-stream").turn
        scores = [s["score"] for s in turn.sources if s["origin"] == "document"]
        ordered = scores == sorted(scores, reverse=True)
        assert ordered == (SEARCH_ORDER not in turn.notices), (question, scores, turn.notices)

"""A question comparing two things (``AnswerLevers.compare_sides``): "What is the difference between git reset --soft and
git reset --mixed?" is answered by what each side does; a lead naming one side only ("--soft") is followed first by the
best unit naming the other ("--mixed"), in its text, its entry's name or its title. The sides: what each names that the
other does not. A question comparing nothing, or a lead naming both, is answered as without the lever; a Hypothesis
property: the lever only reorders the supporting lines, never the lead."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from jupyter_docchat.qa.answer_levers import SHIPPED
from jupyter_docchat.qa.extractive import compared_sides, extract, extractive_answer
from jupyter_docchat.types import Hit

ON = SHIPPED.but(compare_sides=True)
OFF = SHIPPED.but(compare_sides=False)
QUESTION = "What is the difference between git reset --soft and git reset --mixed?"


def test_the_sides_of_a_comparison() -> None:
    assert compared_sides(QUESTION) == [{"--soft"}, {"--mixed"}]
    assert compared_sides("How does prefetch_related() differ from select_related()?") == [{"prefetch_related"},
                                                                                          {"select_related"}]
    assert compared_sides("What is floor versus truncate?") == [{"floor"}, {"truncate"}]


def test_no_sides_without_a_comparison() -> None:
    for question in ("How do I reset the index?", "How does that differ from pull?", "What is git reset --soft?",
                     "What is the difference between them and it?"):
        assert compared_sides(question) == [], question


HITS = [Hit(id="1", text="For example, git reset --soft target leaves the working tree and the index as they were.",
            source="git/git-reset.html", heading="git-reset(1) > DISCUSSION"),
        Hit(id="2", text="Then git reset --soft HEAD~1 undoes the last commit and keeps its changes staged.",
            source="git/user-manual.html", heading="Manual > Undoing"),
        Hit(id="3", text="A git reset --soft never touches the files of the working tree.", source="git/faq.html",
            heading="FAQ > Reset"),
        Hit(id="4", text="--mixed\n\nThe index is set back but not the working tree and what has not been updated is listed.",
            source="git/git-reset.html", heading="git-reset(1) > OPTIONS")]


def embed(texts: list[str]) -> list[list[float]]:
    """Meaning as the bench's model gave it for g08: the units on --soft nearest the question, the --mixed entry less."""
    return [[1.0, 0.0] if t == QUESTION or "--soft" in t else [0.6, 0.8] if "--mixed" in t else [0.0, 1.0] for t in texts]


def test_the_other_side_comes_first_among_the_supporting_lines() -> None:
    on, off = (extractive_answer(QUESTION, HITS, embed=embed, levers=levers) for levers in (ON, OFF))
    assert "--mixed" in on and "--mixed" not in off  # two sentences on --soft were the "Also:" lines
    assert on.split("\n\nAlso:\n")[0] == off.split("\n\nAlso:\n")[0]  # the same lead
    assert on.split("\n\nAlso:\n")[1].startswith("- --mixed: The index is set back")


def test_a_question_comparing_nothing_is_answered_as_before() -> None:
    question = "How do I reset the index with git reset?"
    assert extractive_answer(question, HITS, embed=embed, levers=ON) == extractive_answer(question, HITS, embed=embed,
                                                                                           levers=OFF)


sentence = st.sampled_from(["git reset --soft moves the head.", "--mixed resets the index.", "See git reset for more.",
                            "The tree stays as it was.", "git reset --hard resets the tree.", "The index is kept."])
text = st.lists(sentence, min_size=1, max_size=4).map(" ".join)


@settings(max_examples=100, deadline=None)
@given(st.lists(text, min_size=1, max_size=4),
       st.sampled_from([QUESTION, "How does --hard differ from --soft?", "What is the index?"]))
def test_the_lever_keeps_the_lead_and_the_units_quoted(texts: list[str], question: str) -> None:
    hits = [Hit(id=str(n), text=body, source=f"doc{n}.html") for n, body in enumerate(texts, 1)]
    on, off = extract(question, hits, levers=ON), extract(question, hits, levers=OFF)
    assert [c.unit.text for c in on[:1][0]] == [c.unit.text for c in off[:1][0]] if on else not off
    assert len(on) <= ON.support_units + 1
    if not compared_sides(question):
        assert [[c.unit.text for c in g] for g in on] == [[c.unit.text for c in g] for g in off]

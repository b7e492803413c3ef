"""A comparison's lead runs on through its paragraph (``AnswerLevers.compare_continue``): "How does a Pre-Depends field
differ from an ordinary Depends?" is led by the sentence naming both, and the paragraph goes on to what each does; those
sentences share fewer of the question's words than the first, so ``continue_share`` cut the lead after it and the side it
leaves out ("before execution of the pre-installation script") was never quoted. A question comparing nothing is answered
as without the lever; a Hypothesis property: the lever keeps the lead's first unit and only adds units after it."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from jupyter_docchat.qa.answer_levers import SHIPPED
from jupyter_docchat.qa.extractive import compared_sides, extract, extractive_answer
from jupyter_docchat.types import Hit

ON = SHIPPED.but(compare_continue=0.4)
OFF = SHIPPED.but(compare_continue=0.0)  # the lead continues at continue_share, as before the lever
QUESTION = "How does a Pre-Depends field differ from an ordinary Depends?"
PARAGRAPH = ("“Pre-dependencies”, which are listed in the “Pre-Depends” field in the package headers, complete the normal "
             "dependencies; their syntax is identical. A normal dependency indicates that the package in question must be "
             "unpacked and configured before configuration of the package declaring the dependency. A pre-dependency "
             "stipulates that the package in question must be unpacked and configured before execution of the "
             "pre-installation script of the package declaring the pre-dependency, that is before its installation.")
HITS = [Hit(id="1", text=PARAGRAPH, source="handbook/sect.package-meta-information.html",
            heading="5.2. Package Meta-Information > 5.2.1. Dependencies: the Depends Field"),
        Hit(id="2", text="As such, pre-dependencies are discouraged unless absolutely necessary. A pre-dependency is very "
                         "demanding for apt, because it adds a strict constraint on the ordering of the packages to install.",
            source="handbook/sect.package-meta-information.html", heading="5.2. Package Meta-Information > Pre-Depends"),
        Hit(id="3", text="The Depends fields was completed with firefox-esr | www-browser so as to ensure a web browser.",
            source="handbook/sect.building-first-package.html", heading="15.2. Building your first package")]


def embed(texts: list[str]) -> list[list[float]]:
    """Meaning as the bench's model gave it for h81: the first sentence nearest the question, the two after it further."""
    return [[1.0, 0.0] if t == QUESTION or "complete the normal" in t else [0.5, 0.87] for t in texts]


def test_the_lead_of_a_comparison_runs_on_to_the_other_side() -> None:
    assert compared_sides(QUESTION)
    on, off = (extractive_answer(QUESTION, HITS, embed=embed, levers=levers) for levers in (ON, OFF))
    lead_on, lead_off = on.split("\n\nAlso:\n")[0], off.split("\n\nAlso:\n")[0]
    assert "pre-installation script" in lead_on and "pre-installation script" not in lead_off
    assert lead_on.startswith(lead_off.removesuffix(" [1]"))  # the same first sentence, then the paragraph's next ones
    assert "A normal dependency indicates" in lead_on


def test_a_question_comparing_nothing_is_answered_as_before() -> None:
    question = "Which field lists the pre-dependencies of a package?"
    assert not compared_sides(question)
    assert extractive_answer(question, HITS, embed=embed, levers=ON) == extractive_answer(question, HITS, embed=embed,
                                                                                           levers=OFF)


sentence = st.sampled_from(["Pre-Depends is stricter than Depends.", "A normal dependency is configured first.",
                            "The syntax is identical.", "Depends lists what a package needs.", "See the policy.",
                            "floor rounds down.", "truncate drops the fraction.", "Both return integers."])
text = st.lists(sentence, min_size=1, max_size=5).map(" ".join)


@settings(max_examples=100, deadline=None)
@given(st.lists(text, min_size=1, max_size=4),
       st.sampled_from([QUESTION, "What is the difference between floor and truncate?", "What does floor do?"]))
def test_the_lever_only_adds_to_the_lead(texts: list[str], question: str) -> None:
    hits = [Hit(id=str(n), text=body, source=f"doc{n}.html") for n, body in enumerate(texts, 1)]
    on, off = extract(question, hits, levers=ON), extract(question, hits, levers=OFF)
    assert bool(on) == bool(off)
    if not off:
        return
    lead_on, lead_off = [(c.source, c.position) for c in on[0]], [(c.source, c.position) for c in off[0]]
    assert lead_on[:len(lead_off)] == lead_off  # the same lead, maybe longer
    if not compared_sides(question):
        assert [[c.unit.text for c in g] for g in on] == [[c.unit.text for c in g] for g in off]

"""A question asking what an acronym is or stands for, answered by the unit that writes it out
(``AnswerLevers.acronym_expansion``): "What does PONI stand for?" over a glossary whose entry reads "Acronym for Point Of
Normal Incidence." under sentences that only use the acronym. The expansion is words in a row whose initials spell it,
in any case ("write-ahead log" for WAL), never the acronym itself. Then Hypothesis properties: the lever only ever adds
its bonus, and only to a unit that writes out an acronym a what-is or stands-for question names."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from conftest import lever_answer as answer

from jupyter_docchat.qa.answer_levers import SHIPPED
from jupyter_docchat.qa.extractive import asked_acronyms, rank_units, spells_out
from jupyter_docchat.types import Hit

ON = SHIPPED.but(acronym_expansion=0.2)
OFF = SHIPPED.but(acronym_expansion=0.0)

GLOSSARY = [
    Hit(id="1", source="html/glossary.html", heading="Glossary > PONI",
        text="Acronym for Point Of Normal Incidence. It is the pixel coordinates of the orthogonal projection of the "
             "sample position on the detector. The PONI coincide with the beam center in the case of orthogonal setup "
             "but most of the time differs."),
    Hit(id="2", source="html/api/pyFAI.html", heading="pyFAI package > goniometer Module",
        text="poni1_expr – formula (as string) providing with the PONI position along the first axis.\n\n"
             "poni2_expr – formula (as string) providing with the PONI position along the second axis."),
]


def test_shipped_on() -> None:
    assert SHIPPED.acronym_expansion == 0.2


def test_the_expansion_leads_the_answer() -> None:
    question = "What does PONI stand for in pyFAI?"
    assert answer(question, GLOSSARY, ON).startswith("Acronym for Point Of Normal Incidence.")
    assert not answer(question, GLOSSARY, OFF).startswith("Acronym for")  # the sentences using PONI outscored it


def test_what_writes_an_acronym_out() -> None:
    assert spells_out("Acronym for Point Of Normal Incidence.", "PONI")
    assert spells_out("SQLite uses a write-ahead log for durability.", "WAL")
    assert spells_out("the Logical Volume Manager", "LVM")
    assert not spells_out("The PONI coincide with the beam center.", "PONI")  # the acronym itself
    assert spells_out("points of normal incidence", "PONI")  # in any case
    assert not spells_out("Point Of Incidence", "PONI")  # a word missing
    assert not spells_out("", "WAL")


def test_which_questions_ask_for_an_expansion() -> None:
    assert asked_acronyms("What does PONI stand for?") == {"PONI"}
    assert asked_acronyms("What is WAL mode?") == {"WAL"}
    assert asked_acronyms("What does LVM mean?") == {"LVM"}
    assert asked_acronyms("How do I enable WAL mode?") == set()  # asks how, not what it is
    assert asked_acronyms("What is a partial index?") == set()  # names no acronym
    assert asked_acronyms("What does the --ABC option do?") == set()  # an option, not an acronym


def test_only_an_expansion_question_is_concerned() -> None:
    for question in ("How do I set the PONI?", "Why does the PONI differ from the beam center?", "Where is PONI kept?"):
        assert answer(question, GLOSSARY, ON) == answer(question, GLOSSARY, OFF)


words = st.sampled_from(["Point", "Of", "Normal", "Incidence", "PONI", "the", "write", "ahead", "log", "WAL", "beam",
                         "of", "normal", "pixel", "Logical", "Volume", "Manager", "LVM"])
sentence = st.lists(words, min_size=1, max_size=12).map(lambda w: " ".join(w) + ".")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(sentence, min_size=1, max_size=3).map(" ".join), min_size=1, max_size=3),
       st.sampled_from(["What does PONI stand for?", "What is WAL?", "What does LVM mean?", "How do I use LVM?",
                        "What is a normal incidence?"]))
def test_the_lever_adds_its_bonus_to_expansions_only(texts: list[str], question: str) -> None:
    hits = [Hit(id=str(n), text=text, source=f"doc{n}.html") for n, text in enumerate(texts, 1)]
    on = {(c.source, c.position): c for c in rank_units(question, hits, levers=ON)}
    off = {(c.source, c.position): c for c in rank_units(question, hits, levers=OFF)}
    assert on.keys() == off.keys()
    acronyms = asked_acronyms(question)
    for place, c in on.items():
        expands = any(spells_out(c.unit.quoted, a) for a in acronyms)
        assert abs(c.score - off[place].score - (ON.acronym_expansion if expands else 0.0)) < 1e-9

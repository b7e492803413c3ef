"""A "what is X" question's definition, in the forms reference pages write it (``AnswerLevers.definition_forms``): a
manual page's NAME line ("git-fsck - Verifies the connectivity ...") defines the command "git fsck" names, its
hyphenated name holding the question's words; a glossary's "Formset: A layer of ..." defines a formset. A link line or a
value after a colon is no definition. Then a Hypothesis property: the lever only ever raises a score, by the definition
bonus, of a unit of a "what is" question."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from jupyter_docchat.qa.answer_levers import SHIPPED
from jupyter_docchat.qa.answer_units import Unit
from jupyter_docchat.qa.extractive import _defines, extractive_answer, rank_units, terms
from jupyter_docchat.types import Hit

OFF = SHIPPED.but(definition_forms=False)
MANUAL = "git-fsck -\nVerifies the connectivity and validity of the objects in the database"


def asked(question: str) -> set[str]:
    return set(terms(question))


def test_a_manual_page_name_defines_the_command_it_names() -> None:
    assert SHIPPED.definition_forms
    unit = Unit("git-fsck - Verifies the connectivity and validity of the objects in the database", "definition", 0)
    assert _defines(unit, asked("What does git fsck check?"), forms=True)
    assert not _defines(unit, asked("What does git fsck check?"), forms=False)  # "git-fsck" was one word


def test_a_term_and_what_it_is_a_colon_apart_is_a_definition() -> None:
    assert _defines(Unit("Formset: A layer of abstraction to work with many forms on one page.", "sentence", 0),
                    asked("What is a formset?"), forms=True)
    assert _defines(Unit("Formset: a layer of abstraction.", "sentence", 0), asked("What is a formset?"), forms=True)


def test_a_link_or_a_value_after_a_colon_is_no_definition() -> None:
    question = asked("What are FTS5 auxiliary functions?")
    assert not _defines(Unit("FTS5 auxiliary functions - fts5.html#_auxiliary_functions_", "sentence", 0), question, True)
    assert not _defines(Unit("Exit code 4: pytest command line usage error", "sentence", 0),
                        asked("What is exit code 4?"), True)
    # a sentence whose subject is longer than a term's few words
    assert not _defines(Unit("When the index of the table is rebuilt: The rows move.", "sentence", 0),
                        asked("What is the index?"), True)


def test_the_manual_page_line_joins_the_answer() -> None:
    hits = [Hit(id="1", text="The git-fsck(1) command runs a number of self-consistency checks on the repository, and "
                             "reports on any problems.", source="docs/user-manual.html", heading="Manual > Checks"),
            Hit(id="2", text="If it is set to true, git-receive-pack will check all received objects.",
                source="docs/git-config.html", heading="git-config > receive.fsckObjects"),
            Hit(id="3", text=MANUAL, source="docs/git-fsck.html", heading="git-fsck > NAME")]
    question = "What does git fsck check?"
    on = {c.unit.text: c.score for c in rank_units(question, hits)}
    off = {c.unit.text: c.score for c in rank_units(question, hits, levers=OFF)}
    name = next(text for text in on if text.startswith("git-fsck - Verifies"))
    assert on[name] == off[name] + SHIPPED.what_definition
    assert "connectivity and validity" in extractive_answer(question, hits)


def test_only_a_what_is_question_is_concerned() -> None:
    hits = [Hit(id="1", text=MANUAL, source="git-fsck.html"), Hit(id="2", text="Formset: A layer of forms.", source="f.html")]
    for question in ("How do I run git fsck?", "Why does git fsck fail?", "Where is the formset kept?"):
        on = [(c.unit.text, c.score) for c in rank_units(question, hits)]
        assert on == [(c.unit.text, c.score) for c in rank_units(question, hits, levers=OFF)]


line = st.sampled_from(["git-fsck -", "Verifies the connectivity of objects.", "Formset: A layer of forms.",
                        "A formset is a layer of forms.", "fsck: the checker", "git fsck --full", "- a list item",
                        "Exit code 5: No tests were collected", "The tool checks the repository.", "Term - The meaning"])
paragraph = st.lists(line, min_size=1, max_size=3).map("\n".join)
text = st.lists(paragraph, min_size=1, max_size=4).map("\n\n".join)


@settings(max_examples=150, deadline=None)
@given(st.lists(text, min_size=1, max_size=3),
       st.sampled_from(["What does git fsck check?", "What is a formset?", "What is the term?", "How do I run git fsck?",
                        "What are exit codes?"]))
def test_the_lever_only_raises_a_definition_of_a_what_is_question(texts: list[str], question: str) -> None:
    hits = [Hit(id=str(n), text=body, source=f"doc{n}.html") for n, body in enumerate(texts, 1)]
    off = {(c.source, c.position): c for c in rank_units(question, hits, levers=OFF)}
    for c in rank_units(question, hits):
        before = off[(c.source, c.position)]
        assert c.unit == before.unit and c.lexical == before.lexical and c.words == before.words
        if c.score != before.score:
            assert question.startswith("What") and abs(c.score - before.score - SHIPPED.what_definition) < 1e-9

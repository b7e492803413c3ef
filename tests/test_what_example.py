"""A "What is X?" answer's supporting lines (``AnswerLevers.what_example``): after the lead that says what X is, a line
showing X in use (a code block, a command, an identifier such as ``formset_factory(...)`` or ``CREATE INDEX``, a
hyphenated name such as ``www-browser``) or defining a word of the question comes before a third paraphrase of the
definition. A link's target ("→ fts5.html#appendix_a") shows nothing to use. Only "what is" questions are concerned, and
the lead never changes (a Hypothesis property)."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from conftest import lever_answer as answer

from jupyter_docchat.qa.answer_levers import SHIPPED
from jupyter_docchat.qa.answer_units import Unit
from jupyter_docchat.qa.extractive import ALSO, _names_concrete
from jupyter_docchat.types import Hit

ON = SHIPPED.but(what_example=0.2)
OFF = SHIPPED.but(what_example=0.0)

# The definition, then two paraphrases of it, each a paragraph of its own (so none continues the lead), all in the first
# source; the line naming the clause that makes an index partial in the second, where the source's rank puts it last.
PARTIAL = [
    Hit(id="1", source="partialindex.html", heading="Partial Indexes > Introduction",
        text="A partial index is an index over a subset of the rows of a table.\n\n"
             "In partial indexes, only some subset of the rows of the table have index entries.\n\n"
             "When used judiciously, partial indexes can give smaller database files."),
    Hit(id="2", source="fileformat.html", heading="File Format > Indices",
        text="In a partial index, the index holds entries only for the rows for which the WHERE clause of the "
             "CREATE INDEX statement is true."),
]


def test_shipped_on() -> None:
    assert SHIPPED.what_example == 0.2


def test_a_line_showing_what_is_defined_in_use_supports_the_definition() -> None:
    on, off = answer("What is a partial index?", PARTIAL, ON), answer("What is a partial index?", PARTIAL, OFF)
    assert on.startswith("A partial index is an index over a subset") and off.startswith("A partial index is an index over")
    assert "WHERE clause" in on.split(ALSO, 1)[1]
    assert "WHERE clause" not in off  # two paraphrases of the first source took both "Also:" places


def test_only_a_what_is_question_is_concerned() -> None:
    for question in ("How do I make a partial index?", "Why is a partial index smaller?", "Where is the partial index kept?"):
        assert answer(question, PARTIAL, ON) == answer(question, PARTIAL, OFF)


def test_what_shows_something_to_use() -> None:
    assert _names_concrete(Unit("formset_factory(form, formset=BaseFormSet, extra=1)", "sentence", 0))
    assert _names_concrete(Unit("the WHERE clause of the CREATE INDEX statement", "sentence", 0))
    assert _names_concrete(Unit("SELECT 1;", "code", 0))
    assert _names_concrete(Unit("Run it with the --verbose option.", "sentence", 0))
    assert _names_concrete(Unit('They are said to provide the "virtual package" called www-browser.', "sentence", 0))
    # a link's target names a page (its "appendix_a" is no identifier to use), and plain prose names nothing
    assert not _names_concrete(Unit("fts5 technical differences → fts5.html#appendix_a", "sentence", 0))
    assert not _names_concrete(Unit("See https://www.debian.org/social_contract.html for the text.", "sentence", 0))
    assert not _names_concrete(Unit("Partial indexes can give smaller database files.", "sentence", 0))


line = st.sampled_from(["A partial index is an index over some rows.", "Partial indexes are smaller.",
                        "Use the WHERE clause of CREATE INDEX.", "formset_factory(form, extra=1)", "A formset is a layer.",
                        "    CREATE INDEX i ON t(x) WHERE x IS NOT NULL;", "Here is an example:", "- an item",
                        "See → page.html#the_index", "Formset: A layer of forms.", "The index is rebuilt."])
paragraph = st.lists(line, min_size=1, max_size=3).map("\n".join)
text = st.lists(paragraph, min_size=1, max_size=4).map("\n\n".join)


@settings(max_examples=100, deadline=None)
@given(st.lists(text, min_size=1, max_size=3),
       st.sampled_from(["What is a partial index?", "What is a formset?", "What does CREATE INDEX do?",
                        "How do I make a partial index?", "What are formsets?"]))
def test_the_lever_never_changes_the_lead(texts: list[str], question: str) -> None:
    hits = [Hit(id=str(n), text=body, source=f"doc{n}.html") for n, body in enumerate(texts, 1)]
    on, off = answer(question, hits, ON), answer(question, hits, OFF)
    assert on.split(ALSO, 1)[0] == off.split(ALSO, 1)[0]
    assert (ALSO in on) == (ALSO in off)  # the lever reorders the supporting lines, it adds none where there were none

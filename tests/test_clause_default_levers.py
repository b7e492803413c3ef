"""Two answer levers measured and kept off (branch answers10): ``clause_not_subject`` (a sentence whose "subject" holds a
clause's opening word, '"1" if the index is a partial index and "0" if not', defines nothing) and ``default_intro`` (a
value block under a line "Default:" states a default, as "Default: 300" on one line does). Each test checks the lever
on, and that the shipped levers are unchanged by it; a Hypothesis property: clause_not_subject only ever takes the
definition bonus away."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from jupyter_docchat.qa.answer_levers import SHIPPED
from jupyter_docchat.qa.answer_units import Unit
from jupyter_docchat.qa.extractive import _defines, extractive_answer, rank_units, terms, without_notice
from jupyter_docchat.types import Hit

CLAUSES = SHIPPED.but(clause_not_subject=True)
DEFAULTS = SHIPPED.but(default_intro=True)


def test_both_levers_are_shipped_off() -> None:
    assert not SHIPPED.clause_not_subject and not SHIPPED.default_intro


def test_a_condition_defines_nothing() -> None:
    asked = set(terms("What is a partial index?"))
    condition = Unit('"1" if the index is a partial index and "0" if not.', "sentence", 0)
    assert _defines(condition, asked)  # the shipped rule reads '"1" if the index' as a subject
    assert not _defines(condition, asked, clauses=True)
    definition = Unit("A partial index is an index over a subset of the rows of a table.", "sentence", 0)
    assert _defines(definition, asked, clauses=True)


PARTIAL = [
    Hit(id="1", source="partialindex.html", heading="Partial Indexes > Introduction",
        text="A partial index is an index over a subset of the rows of a table.\n\n"
             "In partial indexes, only some subset of the rows in the table have index entries."),
    Hit(id="2", source="pragma.html", heading="PRAGMA Statements > index_list",
        text='"1" if the index is a partial index and "0" if not.'),
]


def test_the_condition_loses_the_definition_bonus_in_the_ranking() -> None:
    question = "What is a partial index?"
    on = {c.unit.text: c.score for c in rank_units(question, PARTIAL, levers=CLAUSES)}
    off = {c.unit.text: c.score for c in rank_units(question, PARTIAL)}
    condition = '"1" if the index is a partial index and "0" if not.'
    assert abs(off[condition] - on[condition] - SHIPPED.what_definition) < 1e-9
    lead = "A partial index is an index over a subset of the rows of a table."
    assert on[lead] == off[lead]


SETTINGS = ("#### PAGE_SIZE\n\nThe page size to use for pagination of the list views of the site.\n\n"
            "Default:\n\n    None\n\n#### SEARCH_PARAM\n\nThe name of the query parameter used for search.\n\n"
            "Default:\n\n    'search'\n")


def test_a_value_block_under_default_states_the_default() -> None:
    hits = [Hit(id="1", source="settings.md", heading="Settings > Pagination", text=SETTINGS)]
    question = "What is the default value of SEARCH_PARAM?"
    on = {(c.unit.kind, c.unit.text): c.score for c in rank_units(question, hits, levers=DEFAULTS)}
    off = {(c.unit.kind, c.unit.text): c.score for c in rank_units(question, hits)}
    block = ("code", "    'search'")
    assert abs(on[block] - off[block] - SHIPPED.default_cue) < 1e-9
    assert "'search'" in without_notice(extractive_answer(question, hits, levers=DEFAULTS))
    # a question that does not ask for a default is not concerned
    other = "What is SEARCH_PARAM?"
    assert [c.score for c in rank_units(other, hits, levers=DEFAULTS)] == [c.score for c in rank_units(other, hits)]


subject = st.sampled_from(["The index", '"1" if the index', "When the index", "A partial index", "Whether an index",
                           "The table", "Once a partial index"])
rest = st.sampled_from(["is a partial index.", "is an index over some rows.", "are the rows kept.", "means a subset."])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(subject, rest).map(" ".join), min_size=1, max_size=4),
       st.sampled_from(["What is a partial index?", "What is the index?", "How do I make a partial index?"]))
def test_the_lever_only_takes_the_definition_bonus_away(sentences: list[str], question: str) -> None:
    hits = [Hit(id=str(n), text=text, source=f"doc{n}.html") for n, text in enumerate(sentences, 1)]
    on = {(c.source, c.position): c.score for c in rank_units(question, hits, levers=CLAUSES)}
    off = {(c.source, c.position): c.score for c in rank_units(question, hits)}
    assert on.keys() == off.keys()
    for place, score in on.items():
        assert abs(off[place] - score) < 1e-9 or abs(off[place] - score - SHIPPED.what_definition) < 1e-9

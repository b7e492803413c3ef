"""A unit naming what its section's title names as a thing (``AnswerLevers.title_subject``): under "Local Diagnosis:
netstat", the sentence naming netstat is about the section's subject, where one of the same section that names nothing
is not; the question, a paraphrase, names neither. What a title names: a path, a dotted or hyphenated name, a word in
lower case among capitalized ones, a title of one such word; not a title in sentence case, nor a PDF's "page 11". Then a
Hypothesis property: the lever only ever raises a score, by itself, and only a unit naming its title's subject."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from jupyter_docchat.qa.answer_levers import SHIPPED
from jupyter_docchat.qa.extractive import extractive_answer, rank_units, title_names
from jupyter_docchat.types import Hit

ON = SHIPPED.but(title_subject=0.1)
OFF = SHIPPED.but(title_subject=0.0)


def test_what_a_title_names() -> None:
    assert title_names("10.9.1. Local Diagnosis: netstat") == {"netstat"}
    assert title_names("14.3.1. Monitoring Logs with logcheck") == {"logcheck"}
    assert title_names("8.4.2. The Hidden and Encrypted Password File: /etc/shadow") == {"/etc/shadow"}
    assert title_names("squashmigrations") == {"squashmigrations"}
    assert title_names("git-worktree(1) Manual Page") == {"git-worktree"}
    assert title_names("pytest.skip") == {"pytest.skip"}


def test_a_title_in_plain_words_names_nothing() -> None:
    for title in ("page 11", "Preventing clickjacking", "Setting up LVM", "2. Storage Classes and Datatypes",
                  "How to move proofs in appendix in LaTeX", "Introduction", ""):
        assert title_names(title) == set(), title


HITS = [Hit(id="1", text="Think of summing publicly what a helper told you by e-mail.",
            source="docs/procedures.html", heading="7.2. Common Procedures > 7.2.3. Asking for Help on a Mailing List"),
        Hit(id="2", text="The administrator reads the results of the analysis every hour.\n\n"
                         "The logcheck program sends an e-mail about unusual entries of the log files.",
            source="docs/supervision.html", heading="14.3. Supervision > 14.3.1. Monitoring Logs with logcheck")]
QUESTION = "How can I receive an e-mail whenever something odd shows up in the system's records?"


def test_the_unit_naming_the_sections_subject_gains() -> None:
    on = {c.unit.text: c.score for c in rank_units(QUESTION, HITS, levers=ON)}
    off = {c.unit.text: c.score for c in rank_units(QUESTION, HITS, levers=OFF)}
    named = next(text for text in on if text.startswith("The logcheck program"))
    assert on[named] == pytest.approx(off[named] + ON.title_subject)
    other = next(text for text in on if text.startswith("The administrator reads"))
    assert on[other] == off[other]


def test_a_subject_the_question_names_gets_nothing_more() -> None:
    question = "How does logcheck tell me about odd log entries?"
    on = [(c.unit.text, c.score) for c in rank_units(question, HITS, levers=ON)]
    assert on == [(c.unit.text, c.score) for c in rank_units(question, HITS, levers=OFF)]


def test_the_answer_leads_with_the_tool() -> None:
    assert extractive_answer(QUESTION, HITS, levers=ON).startswith("The logcheck program")
    assert extractive_answer(QUESTION, HITS, levers=OFF).startswith("Think of summing")


words = st.sampled_from(["netstat", "logcheck", "the", "Local", "Diagnosis", "page", "11", "/etc/shadow", "git-worktree",
                         "Monitoring", "mails", "files", "with", "Logs"])
sentence = st.lists(words, min_size=1, max_size=8).map(lambda w: " ".join(w) + ".")
title = st.lists(words, min_size=1, max_size=4).map(" ".join)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.lists(sentence, min_size=1, max_size=4).map(" ".join), title), min_size=1, max_size=3),
       st.sampled_from([QUESTION, "How do I watch the network?", "What does netstat show?", "Where are the logs?"]))
def test_the_lever_only_raises_a_unit_naming_its_titles_subject(sources: list[tuple[str, str]], question: str) -> None:
    hits = [Hit(id=str(n), text=text, source=f"doc{n}.html", heading=f"Manual > {heading}")
            for n, (text, heading) in enumerate(sources, 1)]
    on = {(c.source, c.position): c for c in rank_units(question, hits, levers=ON)}
    off = {(c.source, c.position): c for c in rank_units(question, hits, levers=OFF)}
    assert on.keys() == off.keys()
    for key, c in on.items():
        raised = c.score - off[key].score
        assert abs(raised) < 1e-9 or abs(raised - ON.title_subject) < 1e-9
        if raised > 1e-9:
            names = title_names(hits[c.source - 1].heading.split(" > ")[-1]) | title_names("Manual")
            assert any(name in c.unit.quoted.lower() for name in names)

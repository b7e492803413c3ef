"""A "how do I" question's word run together into a command or identifier (``AnswerLevers.how_compound``): "How do I
create a logical volume?" is done by ``lvcreate``, "How do I squash migrations?" by ``squashmigrations``, "working
directory" by ``git worktree``. The name is one token, so the question's words never matched it, and the embedding reads
little into it: the answer led with the installer's description of the problem, or a definition of squashing. Small
passages where the rule must pick the command and where it must not (English derivations, camelCase names, the topic's
own word, a description that is the answer), then a Hypothesis property: every answer quotes its sources word for word."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings, strategies as st

from jupyter_docchat.qa.answer_levers import SHIPPED
from jupyter_docchat.qa.compound_names import names_compound, question_words
from jupyter_docchat.qa.extractive import NOTHING, extractive_answer, rank_units, without_notice
from jupyter_docchat.types import Hit

ON = SHIPPED
OFF = SHIPPED.but(how_compound=0.0)


def lead(answer: str) -> str:
    return without_notice(answer).split("\n\nAlso:")[0]


def lvm_hits() -> list[Hit]:
    # The first source says what a logical volume is; the second names the command that makes one.
    return [Hit(id="1", text="A logical volume is a slice of a volume group that the system sees as one disk.",
                source="install.html", heading="Installing > Partitioning"),
            Hit(id="2", text="Each logical volume is made with lvcreate, which takes the group and a size.",
                source="admin.html", heading="Administration > Storage")]


def test_the_command_running_the_questions_word_into_its_name_leads() -> None:
    assert SHIPPED.how_compound > 0
    question = "How do I create a logical volume?"
    assert lead(extractive_answer(question, lvm_hits(), levers=OFF)).startswith("A logical volume is a slice")
    assert lead(extractive_answer(question, lvm_hits(), levers=ON)).startswith("Each logical volume is made with lvcreate")


def test_which_names_run_a_word_together() -> None:
    words = {"create", "squash", "migrations", "skip", "work", "generate", "frame", "exception", "other", "form"}
    for text in ("# lvcreate -n backups", "django-admin squashmigrations app", "pytest.mark.skipif(...)",
                 "git worktree add ../hotfix", r"\generate{\file{p1.sty}{\from{s1.dtx}{head}}}"):
        assert names_compound(text, words), text
    for text in ("You can create logical volumes.",  # the word alone
                 "recreate the creation",  # English's own prefixes and suffixes
                 "another format",  # English words that start or end with one (the embedding's vocabulary holds them)
                 "ExceptionInfo", r"\PrintChanges",  # capitals mark the words: a camelCase name is read elsewhere
                 "@xframe_options_exempt"):  # one letter before the word: no name built on it
        assert not names_compound(text, words), text
    assert question_words(["add", "use", "create", "--depth"]) == {"create"}  # too short, or not a word


def _bonus_gained(question: str, hits: list[Hit], text: str) -> float:
    on = {c.unit.text: c.bonus for c in rank_units(question, hits, levers=ON)}
    off = {c.unit.text: c.bonus for c in rank_units(question, hits, levers=OFF)}
    return on[text] - off[text]


def test_only_a_how_question_and_not_the_topics_word() -> None:
    run = "Run pytest with the -k option and a keyword expression to select a test."
    hits = [Hit(id="1", text="Tests are collected by pytest from files whose names start with test.", source="a.html"),
            Hit(id="2", text=run, source="b.html"),
            Hit(id="3", text="With pytest a test passes when its asserts hold.", source="c.html")]
    # "pytest" runs "test" together, and every source names it: the topic's own name, not what does it
    assert _bonus_gained("How do I run only the tests matching a keyword?", hits, run) == 0.0
    assert _bonus_gained("How do I run only the tests matching a keyword?", hits[:2], run) == 0.0  # both of two
    assert _bonus_gained("How do I run only the tests matching a keyword?", hits[1:2] + [
        Hit(id="4", text="Select tests by keyword.", source="d.html")] * 3, run) == pytest.approx(ON.how_compound)  # one of four: named
    made = "Each logical volume is made with lvcreate, which takes the group and a size."
    assert _bonus_gained("How do I create a logical volume?", lvm_hits(), made) == pytest.approx(ON.how_compound)
    assert _bonus_gained("What is a logical volume, and what does create mean?", lvm_hits(), made) == 0.0  # no "how"


def test_a_description_that_answers_keeps_the_lead() -> None:
    # The compound name is only named in passing; the sentence that answers holds the question's words.
    hits = [Hit(id="1", text="To rotate the logs every week, add the weekly keyword to the rotation file.",
                source="logs.html", heading="Logs > Rotation"),
            Hit(id="2", text="The logrotate package installs a daily job.", source="pkg.html", heading="Packages")]
    question = "How do I rotate the logs every week?"
    assert lead(extractive_answer(question, hits, levers=ON)).startswith("To rotate the logs every week")
    assert _bonus_gained(question, hits, "The logrotate package installs a daily job.") == pytest.approx(ON.how_compound)  # it fired


# Random passages of words and run-together names, a "how" question built from their words: the answer quotes its
# sources word for word and invents nothing.
_WORD = st.text("abcdefghijklmnopqrstuvwxyz", min_size=4, max_size=9).filter(lambda w: w != "also")
_NAME = st.builds(lambda a, b: a + b, st.text("abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=5), _WORD)
_SENTENCE = st.builds(lambda first, rest: " ".join([first.capitalize(), *rest]) + ".",
                      _WORD, st.lists(st.one_of(_WORD, _NAME, _NAME.map(lambda n: f"`{n} -x`")), min_size=2, max_size=12))
_PASSAGE = st.lists(_SENTENCE, min_size=1, max_size=5).map(" ".join)


def _pieces(answer: str) -> list[str]:
    """The answer's quoted text: its lines without citations, bullets, fences and "Also:"."""
    out = []
    for line in answer.splitlines():
        line = re.sub(r"(\[\d+\])+\s*$", "", line).strip()
        line = re.sub(r"^- ", "", line)
        if line and line not in ("Also:", "```"):
            out.append(line)
    return out


@settings(max_examples=150, deadline=None)
@given(st.lists(_PASSAGE, min_size=1, max_size=4), st.data())
def test_every_answer_quotes_its_sources(passages: list[str], data: st.DataObject) -> None:
    sources = [Hit(id=str(n), text=text, source=f"doc{n}.html", heading=f"Guide > Part {n}")
               for n, text in enumerate(passages, 1)]
    words = sorted({w for text in passages for w in re.findall(r"[a-z]{4,}", text)})
    asked = data.draw(st.lists(st.sampled_from(words), min_size=1, max_size=3))
    answer = without_notice(extractive_answer(f"How do I {' '.join(asked)}?", sources, levers=ON))
    if answer.strip() == NOTHING:  # nothing matched: said so, not made up
        return
    said = " ".join(" ".join(h.text.split()) for h in sources)
    for piece in _pieces(answer):
        assert " ".join(piece.split()) in said, piece

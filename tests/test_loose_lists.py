"""A list whose bullets a page's markup kept, as the HTML reader gives it: one-line paragraphs a blank line apart under
the paragraph introducing them ("Here is the full list ...:" over "f - failed", "E - error"). With
``AnswerLevers.loose_lists`` they are the items of that list (the capitalized ones were read as titles and left out, the
first as a block of configuration), and an introduction quoted as an "Also:" line brings its items. The unit splitter,
the answer, and a Hypothesis property (no word lost)."""

from __future__ import annotations

import re

from hypothesis import given, settings, strategies as st

from jupyter_docchat.qa.answer_levers import SHIPPED
from jupyter_docchat.qa.answer_units import split_units
from jupyter_docchat.qa.extractive import extractive_answer
from jupyter_docchat.types import Hit

OFF = SHIPPED.but(loose_lists=False)
REPORT = ("The -r option accepts a number of characters after it.\n\n"
          "Here is the full list of available characters that can be used:\n\n"
          "f - failed\n\nE - error\n\ns - skipped\n\nx - xfailed\n\nX - xpassed\n\np - passed\n\nP - passed with output\n")
FEATURES = ("The following features work in TestCase subclasses:\n\nMarks: skip, skipif, xfail;\n\nAuto-use fixtures;\n\n"
            "The following features do not work, and probably never will:\n\n"
            "Fixtures (except for autouse fixtures);\n\nParametrization;\n\nCustom hooks;\n\n"
            "Third party plugins may or may not work well.\n")


def answer(question: str, text: str, levers=SHIPPED) -> str:
    hit = Hit(id="1", text=text, source="docs/output.html", heading="Output > Summary report")
    return extractive_answer(question, [hit], levers=levers).split("\n\n*Extractive answer")[0]


def test_one_line_paragraphs_under_an_introduction_are_its_items() -> None:
    assert SHIPPED.loose_lists
    units = split_units(REPORT, "Summary report", loose_lists=True)
    items = [u for u in units if u.kind == "item"]
    assert [u.text for u in items] == ["f - failed", "E - error", "s - skipped", "x - xfailed", "X - xpassed",
                                       "p - passed", "P - passed with output"]
    assert {u.intro for u in items} == {"Here is the full list of available characters that can be used:"}
    assert len({u.block for u in items}) == 1  # one list
    # off, "E - error", "X - xpassed" and "P - passed with output" read as titles, "f - failed" as a block
    texts = [u.text for u in split_units(REPORT, "Summary report")]
    assert "P - passed with output" not in texts and "E - error" not in texts


def test_an_also_line_introducing_a_list_brings_its_items() -> None:
    question = "Which features do not work in TestCase subclasses?"
    on = answer(question, FEATURES)
    assert "Parametrization" in on and "Custom hooks" in on
    assert "Parametrization" not in answer(question, FEATURES, OFF)  # the introduction alone, its list left out
    assert "- Marks: skip, skipif, xfail;\n- Auto-use fixtures;" in on  # the lead's list, whole


def test_the_whole_list_answers_which_characters() -> None:
    question = "Which characters can I pass to the -r option?"
    assert "P - passed with output" in answer(question, REPORT)
    assert "P - passed with output" not in answer(question, REPORT, OFF)


def test_code_and_sentences_under_an_introduction_stay_what_they_were() -> None:
    config = "Configure it like this:\n\nx = 1\n\ny = 2\n\nThat is all.\n"
    assert split_units(config, "", loose_lists=True) == split_units(config, "")
    prose = "Two things matter:\n\nThe first is speed.\n\nThe second is memory.\n"
    assert split_units(prose, "", loose_lists=True) == split_units(prose, "")
    one = "Here is the item:\n\nf - failed\n\nThe rest follows.\n"  # one line is no list
    assert split_units(one, "", loose_lists=True) == split_units(one, "")


words = st.text(alphabet="abcdefgh ", min_size=1, max_size=40).map(str.strip).filter(bool)
line = st.one_of(words, words.map(str.capitalize), words.map(lambda w: w + ";"), words.map(lambda w: w + "."),
                 words.map(lambda w: w + ":"), words.map(lambda w: f"x = {w}"))


def said(text: str, loose: bool) -> set[str]:
    units = split_units(text, "", loose_lists=loose)
    return set(re.findall(r"[a-h]+", " ".join(f"{u.intro} {u.text} {u.section}" for u in units).lower()))


@settings(max_examples=200, deadline=None)
@given(st.lists(line, min_size=1, max_size=10))
def test_no_word_is_lost(paragraphs: list[str]) -> None:
    # Every word the units held without the lever they hold with it (a title last in a text is no unit either way).
    text = "\n\n".join(paragraphs) + "\n"
    assert said(text, True) >= said(text, False)

"""A program's options as a documentation build typesets them (``AnswerLevers.typeset_dashes``): Sphinx's smart quotes
print "--cutoff-pick" as "–cutoff-pick" (an en dash) in a manual page's option list, and the description under it often
has no full stop. Before, the option line was a sentence of its own and its description a title, so "what does the
cutoff-pick option set?" was answered with the option's name alone (or the usage synopsis). Now such a line is an
entry's term, its description is about it, and the question's option name counts in full for that description.
Small passages where the rule must pick the right sentence, then a Hypothesis property: every answer, with the lever
on, quotes its sources word for word and invents nothing."""

from __future__ import annotations

import re

from hypothesis import given, settings, strategies as st

from jupyter_docchat.qa.answer_levers import SHIPPED
from jupyter_docchat.qa.answer_units import entry_term, split_units
from jupyter_docchat.qa.extractive import NOTHING, extractive_answer, without_notice
from jupyter_docchat.types import Hit

ON = SHIPPED
OFF = SHIPPED.but(typeset_dashes=False)
DASH = "\u2013"

SYNOPSIS = (f"Usage:\n\nfind-spots [-h] [-V] [{DASH}verbose] [-o OUTPUT]\n[{DASH}threshold THRESHOLD] [{DASH}halo HALO]"
            f" [{DASH}window WINDOW]\n[{DASH}merge MERGE] [IMAGE …]")
OPTIONS = (f"Spot finding options:\n\n{DASH}threshold THRESHOLD\n\n"
           "Signal to noise ratio above which a pixel counts as bright when looking for spots\n\n"
           f"{DASH}halo HALO\n\nWidth of the ring around a spot used to measure its background\n\n"
           f"{DASH}window WINDOW\n\nsize of the neighbourhood summed for each spot\n\n"
           f"{DASH}merge MERGE\n\nNumber of bright pixels in a row that make one spot")
OTHER = (f"Options:\n\n{DASH}no-gui\n\nrun the program without a graphical interface\n\n"
         f"{DASH}interactive\n\nask the program to prompt for each refinement")


def hits() -> list[Hit]:
    # Without the session's embedder (these tests score by words alone) the synopsis naming "–threshold" ties with the
    # option's description by words; the search ranks the option list first for such a question, and so do these.
    return [Hit(id="1", text=OPTIONS, source="man/find-spots.html", heading="Spot tool: find-spots > Spot finding options:"),
            Hit(id="2", text=SYNOPSIS, source="man/find-spots.html", heading="Spot tool: find-spots > Usage:"),
            Hit(id="3", text=OTHER, source="man/calibrate.html", heading="Calibration tool: calibrate > Options:")]


def lead(answer: str) -> str:
    return without_notice(answer).split("\n\nAlso:")[0]


def test_an_en_dash_option_line_is_a_term_only_with_the_lever() -> None:
    assert SHIPPED.typeset_dashes
    assert entry_term(f"{DASH}threshold THRESHOLD", typeset_dashes=True) == f"{DASH}threshold THRESHOLD"
    assert entry_term(f"-l DISTANCE, {DASH}distance DISTANCE", typeset_dashes=True) == f"-l DISTANCE, {DASH}distance DISTANCE"
    assert entry_term(f"{DASH}threshold THRESHOLD") == ""  # off: as before
    # a dash opening prose is no option: "– see below", a sentence after an en dash, a line of dashes
    for line in (f"{DASH} see below", f"{DASH}Threshold values are listed in the table below.", DASH * 8):
        assert entry_term(line, typeset_dashes=True) == ""


def test_an_unpunctuated_description_is_the_options_not_a_title() -> None:
    units = split_units(OPTIONS, "Spot tool: find-spots > Spot finding options:", entry_terms=True, typeset_dashes=True)
    by_text = {u.text: u for u in units}
    bright = "Signal to noise ratio above which a pixel counts as bright when looking for spots"
    assert by_text[bright].entry == f"{DASH}threshold THRESHOLD"
    assert by_text["Width of the ring around a spot used to measure its background"].entry == f"{DASH}halo HALO"
    assert not any(u.text.startswith(DASH) for u in units)  # the option lines name entries, quoted with them
    assert by_text["size of the neighbourhood summed for each spot"].entry == f"{DASH}window WINDOW"  # lower case too
    off = split_units(OPTIONS, "Spot tool: find-spots > Spot finding options:", entry_terms=True)
    assert not any(u.entry for u in off)  # before: no option named the description under it


def test_what_an_option_sets_is_answered_by_its_description() -> None:
    question = "What does the threshold option set?"
    on = lead(extractive_answer(question, hits(), levers=ON))
    assert "Signal to noise ratio above which a pixel counts as bright" in on
    assert on.startswith(f"{DASH}threshold THRESHOLD: Signal")  # the answer names the entry it quotes
    off = lead(extractive_answer(question, hits(), levers=OFF))
    assert "Signal to noise ratio" not in off  # the failure the lever mends: the name alone or the synopsis


def test_the_right_sibling_is_chosen() -> None:
    on = lead(extractive_answer("What does the halo option measure?", hits(), levers=ON))
    assert "Width of the ring around a spot" in on and "Signal to noise" not in on


def test_double_hyphen_options_are_read_as_before() -> None:
    text = "--threshold THRESHOLD\n\nSignal to noise ratio above which a pixel counts as bright.\n"
    assert split_units(text, entry_terms=True, typeset_dashes=True) == split_units(text, entry_terms=True)


# Random option lists in either typesetting, a question naming one option: the answer quotes, never invents.
_WORD = st.text("abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=9).filter(lambda w: w != "also")
_NAME = st.builds(lambda a, b: f"{a}-{b}", _WORD, _WORD)
_DESCRIPTION = st.builds(lambda first, rest, stop: " ".join([first.capitalize(), *rest]) + stop,
                         _WORD, st.lists(_WORD, min_size=2, max_size=14), st.sampled_from(["", "."]))
_ENTRY = st.tuples(st.sampled_from(["--", DASH, "-"]), _NAME, st.one_of(st.just(""), _WORD.map(str.upper)), _DESCRIPTION)


def _page(entries: list[tuple[str, str, str, str]]) -> str:
    return "\n\n".join(f"{dash}{name}{' ' + arg if arg else ''}\n\n{description}"
                       for dash, name, arg, description in entries)


def _pieces(answer: str) -> list[str]:
    """The answer's quoted text: its lines without citations, bullets, fences and "Also:", cut at the ": " that
    joins an entry's name to its description."""
    out = []
    for line in answer.splitlines():
        line = re.sub(r"(\[\d+\])+\s*$", "", line).strip()
        line = re.sub(r"^- ", "", line)
        if not line or line in ("Also:", "```"):
            continue
        out += [piece.strip() for piece in line.split(": ") if piece.strip()]
    return out


@settings(max_examples=150, deadline=None)
@given(st.lists(_ENTRY, min_size=1, max_size=8, unique_by=lambda e: e[1]), st.lists(_ENTRY, min_size=0, max_size=4),
       st.data())
def test_every_answer_quotes_its_sources(first: list, second: list, data: st.DataObject) -> None:
    entries = first + second
    name = data.draw(st.sampled_from([e[1] for e in entries]))
    sources = [Hit(id="1", text="Options:\n\n" + _page(first), source="man/tool.html", heading="Tool > Options:")]
    if second:
        sources.append(Hit(id="2", text=_page(second), source="man/other.html", heading="Other > Options"))
    answer = without_notice(extractive_answer(f"What does the {name} option do?", sources, levers=ON))
    said = " ".join(" ".join(h.text.split()) for h in sources)
    if answer.strip() == NOTHING:  # nothing matched: said so, not made up
        return
    for piece in _pieces(answer):
        assert " ".join(piece.split()) in said, piece


# An introduction ending in ':' over titled parts (AnswerLevers.titled_parts): each part named by its title.
PARTS = ("Ferry services\n\nThree kinds of ferry service run from the harbour:\n\nExpress crossing\n\n"
         "The express leaves every hour and stops nowhere.\nIt carries no cars.\n\nCoastal crossing\n\n"
         "The coastal boat calls at each village on the way.\n\nNight crossing\n\n"
         "The night boat sails at midnight with cabins for every passenger.\n")
PARTS_ON = SHIPPED


def parts_hits() -> list[Hit]:
    return [Hit(id="1", text=PARTS, source="guide/ferries.html", heading="Harbour guide > Ferry services"),
            Hit(id="2", text="The harbour office sells tickets for every ferry service from seven in the morning.",
                source="guide/tickets.html", heading="Harbour guide > Tickets")]


def test_an_introduction_quotes_each_titled_part_by_its_title() -> None:
    assert SHIPPED.titled_parts
    question = "What are the three kinds of ferry service from the harbour?"
    on = lead(extractive_answer(question, parts_hits(), levers=PARTS_ON))
    assert on.startswith("Three kinds of ferry service run from the harbour:")
    for part in ("Express crossing: The express leaves every hour", "Coastal crossing: The coastal boat calls",
                 "Night crossing: The night boat sails at midnight"):
        assert part in on
    assert "It carries no cars" not in on  # each part by its first unit: the promise is the parts, not all they say
    off = lead(extractive_answer(question, parts_hits(), levers=PARTS_ON.but(titled_parts=False)))
    assert "Night crossing" not in off and "Express crossing" not in off  # before: the first part's text, untitled


def test_an_introduction_over_its_own_list_is_quoted_as_before() -> None:
    text = "The harbour has two piers:\n\n- the north pier, for ferries;\n- the south pier, for fishing boats.\n"
    hits = [Hit(id="1", text=text, source="guide/piers.html", heading="Harbour guide > Piers")]
    question = "Which piers does the harbour have?"
    assert extractive_answer(question, hits, levers=PARTS_ON) == \
        extractive_answer(question, hits, levers=PARTS_ON.but(titled_parts=False))


_TITLE = st.builds(lambda a, b: f"{a.capitalize()} {b}", _WORD, _WORD)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(_TITLE, _DESCRIPTION), min_size=1, max_size=6, unique_by=lambda p: p[0]), _WORD, st.data())
def test_titled_parts_are_quoted_word_for_word(parts: list, topic: str, data: st.DataObject) -> None:
    text = f"Several {topic} kinds exist:\n\n" + "\n\n".join(f"{title}\n\n{body}" for title, body in parts)
    sources = [Hit(id="1", text=text, source="guide/kinds.html", heading="Guide > Kinds")]
    answer = without_notice(extractive_answer(f"Which {topic} kinds exist?", sources, levers=PARTS_ON))
    said = " ".join(text.split())
    if answer.strip() == NOTHING:
        return
    for piece in _pieces(answer):
        assert " ".join(piece.split()) in said, piece

"""A code block that opens its source with nothing introducing it (the chunk was cut between the block and the text
saying what it does) gets no "how do I" bonus (``AnswerLevers.unintroduced_code``): a test's body that shares the
question's words no longer leads over the sentence that answers. Where the document marks no blocks or introductions
(a PDF's page, a program's source) the bonus stays; a block with its introduction keeps it. Then a Hypothesis property:
the lever only ever lowers a score, and only the score of such a block."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from jupyter_docchat.qa.answer_levers import SHIPPED
from jupyter_docchat.qa.extractive import extractive_answer, rank_units
from jupyter_docchat.types import Hit

# untold_words (tests/test_untold_words.py) takes the bonus of an unintroduced block further on too: held off here, so
# that what this lever alone changes is measured.
ON = SHIPPED.but(untold_words=0.0)
OFF = ON.but(unintroduced_code=False)
QUESTION = "How do I keep the cache across a restart?"
ANSWER = "Cache entries outlive a reboot once persistence is switched on in the configuration."
# A chunk that starts inside a test module's listing: nothing above the block says what it does.
TEST_BODY = ("    def test_cache_survives_restart(tmp_path):\n"
             "        cache = Cache(tmp_path / 'cache')\n"
             "        cache.restart()\n"
             "        assert cache.entries\n"
             "\nThe test above checks the cache after a restart.\n")


def sources(listing: str, source: str = "docs/testing.html") -> list[Hit]:
    return [Hit(id="1", text=ANSWER, source="docs/cache.html", heading="Cache > Keeping entries"),
            Hit(id="2", text=listing, source=source, heading="Testing > Cache")]


def lead(answer: str) -> str:
    return answer.split("\n\n", 1)[0]


def test_a_block_cut_from_its_introduction_does_not_lead_a_how_answer() -> None:
    assert SHIPPED.unintroduced_code
    assert lead(extractive_answer(QUESTION, sources(TEST_BODY))).startswith("Cache entries outlive a reboot")
    # without the lever the test's body, lifted by the "how" bonus, led
    assert lead(extractive_answer(QUESTION, sources(TEST_BODY), levers=OFF)).startswith("```")


def test_a_block_with_its_introduction_keeps_the_bonus() -> None:
    introduced = "To keep the cache across a restart, write the test like this:\n\n" + TEST_BODY
    on, off = rank_units(QUESTION, sources(introduced)), rank_units(QUESTION, sources(introduced), levers=OFF)
    block_on = next(c for c in on if c.unit.kind == "code")
    block_off = next(c for c in off if c.unit.kind == "code")
    assert block_on.unit.intro and block_on.score == block_off.score


def test_where_no_block_is_marked_the_bonus_stays() -> None:
    # A PDF's code is guessed from the shape of its lines (a synopsis opens a page with nothing marked above it), and
    # a program's source is all code: "first with no introduction" says nothing of either.
    for source in ("docs/manual.pdf", "docs/manual.pdf.gz", "src/cache.py"):
        on, off = rank_units(QUESTION, sources(TEST_BODY, source)), rank_units(QUESTION, sources(TEST_BODY, source), levers=OFF)
        assert [(c.unit.text, c.score) for c in on] == [(c.unit.text, c.score) for c in off]


def test_only_a_how_question_is_concerned() -> None:
    question = "What does the cache test check after a restart?"
    on, off = rank_units(question, sources(TEST_BODY)), rank_units(question, sources(TEST_BODY), levers=OFF)
    assert [(c.unit.text, c.score) for c in on] == [(c.unit.text, c.score) for c in off]


line = st.sampled_from(["    cache.restart()", "    assert cache.entries", "x = load(path)", "$ tool --keep cache",
                        "Keep the cache warm.", "The cache survives a restart.", "Configure it like this:",
                        "- keep entries", "restart the server"])
paragraph = st.lists(line, min_size=1, max_size=4).map("\n".join)
text = st.lists(paragraph, min_size=1, max_size=5).map("\n\n".join)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(text, st.sampled_from(["a.html", "b.md", "c.rst", "d.pdf", "e.py", "notes.txt"])),
                min_size=1, max_size=4),
       st.sampled_from([QUESTION, "How can I restart the server?", "What is the cache?", "Why keep entries?"]))
def test_the_lever_only_lowers_an_unintroduced_first_block(texts: list[tuple[str, str]], question: str) -> None:
    hits = [Hit(id=str(n), text=body, source=source) for n, (body, source) in enumerate(texts, 1)]
    off = {(c.source, c.position): c for c in rank_units(question, hits, levers=OFF)}
    for c in rank_units(question, hits, levers=ON):
        before = off[(c.source, c.position)]
        assert c.unit == before.unit and c.lexical == before.lexical
        if c.score != before.score:
            assert c.score < before.score
            assert c.position == 0 and c.unit.kind == "code" and not c.unit.intro

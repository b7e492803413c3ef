"""A code block that nothing introduces and that shares (almost) no word with the question gets no "how do I" bonus
wherever it stands in its source (``AnswerLevers.untold_words``), not only first in it (``unintroduced_code``): a chunk
that opens with an import line read as a sentence, then "@exempt_view def embeddable(...)", no longer leads "How can I
stop other sites from showing my pages inside a frame?" over the sentence that answers. A block naming the question's
words keeps the bonus, and so does a block with its introduction, a PDF's and a program's. Then a Hypothesis property:
the lever only ever lowers a score, and only the score of such a block, by the "how" bonus it had."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from jupyter_docchat.qa.answer_levers import SHIPPED
from jupyter_docchat.qa.extractive import Candidate, extractive_answer, rank_units
from jupyter_docchat.types import Hit

# Off as shipped (the held-out notebooks lost a question); measured at the value chosen on the tuning halves.
ON, OFF = SHIPPED.but(untold_words=0.1), SHIPPED.but(untold_words=0.0)
QUESTION = "How can I stop other web sites from showing my shop's product pages inside a frame or an iframe?"
ANSWER = "Set the X-Frame-Options header to DENY."
# A chunk cut after the text introducing its listing: an import line (a sentence to the reader) and then the block.
LISTING = ("from shop.http import Response\n\n"
           "@exempt_view\n"
           "def embeddable(request):\n"
           "    return Response('iframe')\n"
           "\nNote\n\nA session cookie may need another setting.\n")


def sources(listing: str = LISTING, source: str = "docs/frames.html") -> list[Hit]:
    return [Hit(id="1", text=ANSWER, source="docs/security.html", heading="Security > Clickjacking"),
            Hit(id="2", text=listing, source=source, heading="Frames > Exempting a view")]


def lead(answer: str) -> str:
    return answer.split("\n\n", 1)[0]


def block(ranked: list[Candidate]) -> Candidate:
    return next(c for c in ranked if c.unit.kind == "code")


def test_shipped_off() -> None:
    assert SHIPPED.untold_words == 0.0 and SHIPPED.unintroduced_code


def test_an_untold_block_sharing_few_words_does_not_lead_a_how_answer() -> None:
    assert lead(extractive_answer(QUESTION, sources(), levers=ON)).startswith("Set the X-Frame-Options header")
    # without the lever the block, second in its source and lifted by the "how" bonus, led
    assert lead(extractive_answer(QUESTION, sources(), levers=OFF)).startswith("```")
    on, off = block(rank_units(QUESTION, sources(), levers=ON)), block(rank_units(QUESTION, sources(), levers=OFF))
    assert on.position == 1 and not on.unit.intro and 0 < on.lexical < ON.untold_words
    assert round(off.score - on.score, 9) == SHIPPED.how_code


def test_a_block_naming_the_questions_words_keeps_the_bonus() -> None:
    named = LISTING.replace("embeddable(request)", "show_product_pages_in_frame(request)")
    on, off = block(rank_units(QUESTION, sources(named), levers=ON)), block(rank_units(QUESTION, sources(named), levers=OFF))
    assert on.lexical >= ON.untold_words and on.score == off.score


def test_a_block_with_its_introduction_keeps_the_bonus() -> None:
    introduced = LISTING.replace("from shop.http import Response\n\n", "To let one view be framed, decorate it:\n\n")
    on, off = block(rank_units(QUESTION, sources(introduced), levers=ON)), block(rank_units(QUESTION, sources(introduced), levers=OFF))
    assert on.unit.intro and on.lexical < ON.untold_words and on.score == off.score


def test_where_no_block_is_marked_or_nothing_asks_how_the_scores_stay() -> None:
    for question, source in ((QUESTION, "docs/manual.pdf"), (QUESTION, "src/shop/views.py"),
                             ("What does the exempt view return?", "docs/frames.html")):
        on = rank_units(question, sources(source=source), levers=ON)
        off = rank_units(question, sources(source=source), levers=OFF)
        assert [(c.unit.text, c.score) for c in on] == [(c.unit.text, c.score) for c in off]


line = st.sampled_from(["    cache.restart()", "    assert cache.entries", "x = load(path)", "$ tool --keep cache",
                        "from cache import Store", "Keep the cache warm.", "The cache survives a restart.",
                        "Configure it like this:", "- keep entries", "restart the server", "@decorated"])
paragraph = st.lists(line, min_size=1, max_size=4).map("\n".join)
text = st.lists(paragraph, min_size=1, max_size=5).map("\n\n".join)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(text, st.sampled_from(["a.html", "b.md", "c.rst", "d.pdf", "e.py", "notes.txt"])),
                min_size=1, max_size=4),
       st.sampled_from(["How do I keep the cache across a restart?", "How can I restart the server?",
                        "What is the cache?", "Why keep entries?"]),
       st.sampled_from([0.05, 0.1, 0.3, 1.0]))
def test_the_lever_only_lowers_an_untold_block_sharing_few_words(texts: list[tuple[str, str]], question: str,
                                                                   threshold: float) -> None:
    hits = [Hit(id=str(n), text=body, source=source) for n, (body, source) in enumerate(texts, 1)]
    off = {(c.source, c.position): c for c in rank_units(question, hits, levers=OFF)}
    for c in rank_units(question, hits, levers=SHIPPED.but(untold_words=threshold)):
        before = off[(c.source, c.position)]
        assert c.unit == before.unit and c.lexical == before.lexical
        if c.score != before.score:
            assert c.score < before.score
            assert c.unit.kind == "code" and not c.unit.intro and c.position > 0 and c.lexical < threshold

"""A page and its near twin (a function and its large-count variant, a manual and its printable copy) take
one place among the sources, not two: through DocIndex on a real store, and the comparison itself."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from jupyter_docchat import DocIndex
from jupyter_docchat.retrieval.fusion import SHIPPED
from jupyter_docchat.retrieval.search import _without_repeats
from jupyter_docchat.store.records import ChunkRow

from conftest import write_tree

PAGE = ("# {name}\n\nSends a message to a process and waits until the buffer may be reused.\n\n"
        "## Parameters\n\n- buf: initial address of send buffer\n- count: number of elements in send buffer ({type})\n"
        "- dest: rank of the destination process\n- tag: message tag\n\n"
        "## Notes\n\nThis routine may block until the message is received by the destination process.\n")
OTHER = ("# Buffered sends\n\nA buffered send copies the message into a buffer you attach first, so the call returns "
         "before the destination process receives the message.\n")


def test_a_near_twin_gives_its_place_to_another_page(tmp_path: Path) -> None:
    folder = write_tree(tmp_path / "docs", {"send.md": PAGE.format(name="Send", type="integer"),
                                            "send_c.md": PAGE.format(name="Send_c", type="large count"),
                                            "bsend.md": OTHER})
    with DocIndex(tmp_path / "store") as index:
        index.update(folder)
        question = "Which parameters does the send routine take?"
        exact_only = [h.source for h in index.search(question, k=2, fusion=SHIPPED.but(near_repeat=0.0))]
        assert sorted(exact_only) == ["send.md", "send_c.md"]  # the twins differ by a word: not exact repeats
        shown = [h.source for h in index.search(question, k=2)]
        assert shown[0] in exact_only and shown[1] == "bsend.md"
        assert {h.source for h in index.search(question, k=3)} == {"send.md", "send_c.md", "bsend.md"}  # moved, not lost


class Rows:
    def __init__(self, texts: dict[str, str]) -> None:
        self.texts = texts

    def rows(self, ids: list[str]) -> dict[str, ChunkRow]:
        return {i: ChunkRow(self.texts[i], {}) for i in ids if i in self.texts}


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(st.text(" abcdefgh\n", max_size=120), min_size=1, max_size=8),
       near=st.sampled_from([0.0, 0.6, 0.8, 1.0]))
def test_every_chunk_stays_and_the_first_never_moves(texts: list[str], near: float) -> None:
    ids = [f"c{n}" for n in range(len(texts))]
    ranked, _ = _without_repeats(Rows(dict(zip(ids, texts))), ids, 30, {i: i for i in ids}, 0, 5, near=near)
    assert sorted(ranked) == sorted(ids) and ranked[0] == ids[0]


MANUAL = ("The pen argument of draw sets the colour, the width and the line type of the path. A pen is combined "
          "with another by adding them, so red+dashed+linewidth(2) draws a thick red dashed line. Every drawing "
          "command takes a pen after its path, and the default pen is used when none is given.")


def test_one_passage_in_a_manual_s_pages_and_in_its_pdf_takes_one_place(tmp_path: Path) -> None:
    # The PDF's chunk is cut elsewhere (the page's running head and the next section come with it) and writes the
    # words otherwise (case, punctuation): it shares most of the page's passage, not 0.8 of its own triples.
    folder = write_tree(tmp_path / "docs", {
        "html/Pens.html": f"<html><body><h1>Pens</h1><p>{MANUAL}</p></body></html>",
        "html/Labels.html": "<html><body><h1>Labels</h1><p>A label places text at a point; the pen of a label sets "
                            "the colour of its text, and its alignment sets where it stands.</p></body></html>",
    })
    from pdfgen import write_pdf

    write_pdf(folder / "manual.pdf", [["ASYMPTOTE MANUAL 42", MANUAL.upper().replace(",", ""),
                                       "7.2 Transforms. A transform maps pairs to pairs; shift, rotate and scale "
                                       "make the transforms used most, and they compose by multiplication."]])
    with DocIndex(tmp_path / "store") as index:
        index.update(folder)
        question = "How do I draw a thick red dashed line with a pen?"
        before = [h.source for h in index.search(question, k=2, fusion=SHIPPED.but(near_smaller=False))]
        assert sorted(before) == ["html/Pens.html", "manual.pdf"]
        shown = [h.source for h in index.search(question, k=2)]
        assert shown[0] in before and shown[1] == "html/Labels.html"


@settings(max_examples=200, deadline=None)
@given(words=st.lists(st.sampled_from(["pen", "Pen,", "draw", "line", "\\kbd{x}", "red_dashed", "2"]), min_size=3,
                      max_size=30), cut=st.integers(0, 10))
def test_a_passage_inside_a_longer_one_is_a_repeat_whichever_is_ranked_first(words: list[str], cut: int) -> None:
    inner = " ".join(words[cut:])
    outer = "Running head. " + " ".join(words).upper() + " And the next section begins here at last."
    for first, second in ((outer, inner), (inner, outer)):
        ranked, _ = _without_repeats(Rows({"a": first, "b": second, "c": "other text altogether here"}),
                                     ["a", "b", "c"], 30, {"a": "a", "b": "b", "c": "c"}, 0, 5, near=0.8, smaller=True)
        from jupyter_docchat.retrieval.search import _plain_words

        plain = _plain_words(inner)
        triples = len(set(zip(plain, plain[1:], plain[2:])))
        # an inner shorter than a passage (a line) ranked first does not hide the longer chunk holding it (probe 13)
        if triples >= 12 or (first is outer and triples > 0):
            assert ranked == ["a", "c", "b"]
        elif first is inner:
            assert ranked == ["a", "b", "c"]


def test_a_page_that_says_more_than_a_one_sentence_page_keeps_its_place(tmp_path: Path) -> None:
    # Probe 14: install.md is one sentence, tutorial.md that sentence and the steps after it. Counted against the
    # smaller chunk alone, the tutorial "repeated" install.md and went below six unrelated pages.
    sentence = ("Install walrus-ferry with pip, then restart the kernel so the new settings take effect in every "
                "open notebook.")
    steps = " ".join(f"Step {n}: open the walrus-ferry settings panel, choose the {word} profile, and save it before "
                     f"you restart." for n, word in enumerate(["harbour", "pier", "tide", "dock", "berth"], 1))
    files = {"install.md": f"# Install\n\n{sentence}\n", "tutorial.md": f"# Tutorial\n\n{sentence} {steps}\n"}
    files.update({f"other{n}.md": f"# Other {n}\n\nUnrelated notes about restarting a kernel and its settings, "
                                  f"number {n}, with nothing on ferries.\n" for n in range(6)})
    folder = write_tree(tmp_path / "docs", files)
    with DocIndex(tmp_path / "store") as index:
        index.update(folder)
        question = "walrus-ferry install restart kernel settings"
        shown = [h.source for h in index.search(question, k=5)]
        assert "install.md" in shown and "tutorial.md" in shown
        without = [h.source for h in index.search(question, k=5, fusion=SHIPPED.but(near_bigger=0.0))]
        assert "tutorial.md" not in without  # the lever is what keeps it

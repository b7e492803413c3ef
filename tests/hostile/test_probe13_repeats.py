"""Probe 13: near repeats counted against the smaller chunk. A one-line code sample ranked first made the
longer chunk holding that line and the steps around it a "repeat": moved below unrelated chunks."""

from __future__ import annotations

from pathlib import Path

from conftest import write_tree
from hypothesis import given, settings
from hypothesis import strategies as st

from jupyter_docchat import DocIndex
from jupyter_docchat.retrieval.search import _without_repeats
from jupyter_docchat.store.records import ChunkRow

LINE = "pip install walrus-ferry --upgrade"
GUIDE = ("# Installing\n\nRun " + LINE + " in a terminal, then restart the kernel so the new timetable loader is "
         "imported; the old one keeps the winter sailings cached until you clear the ferry cache folder.\n")
OTHER = "# Ferry fares\n\nA return ticket on the walrus ferry costs less when bought before the upgrade weekend.\n"


class Rows:
    def __init__(self, texts: dict[str, str]) -> None:
        self.texts = texts

    def rows(self, ids: list[str]) -> dict[str, ChunkRow]:
        return {i: ChunkRow(self.texts[i], {}) for i in ids if i in self.texts}


def test_a_one_line_sample_does_not_hide_the_passage_that_holds_it(tmp_path: Path) -> None:
    texts = {"line": LINE, "guide": GUIDE, "other": OTHER}
    ranked, _ = _without_repeats(Rows(texts), list(texts), 30, {i: i for i in texts}, 0, 5, near=0.8, smaller=True)
    assert ranked == ["line", "guide", "other"]
    folder = write_tree(tmp_path / "docs", {"snippet.md": LINE + "\n", "install.md": GUIDE, "fares.md": OTHER})
    with DocIndex(tmp_path / "store") as index:
        index.update(folder)
        shown = [hit.source for hit in index.search(LINE, k=2)]
        assert "install.md" in shown, shown


PASSAGE = ("the pen argument of draw sets the colour the width and the line type of the path a pen is combined "
           "with another by adding them so red dashed draws a thick red dashed line").split()


@settings(max_examples=150, deadline=None)
@given(start=st.integers(0, len(PASSAGE) - 3), length=st.integers(3, len(PASSAGE)),
       extra=st.lists(st.sampled_from(["ferry", "walrus", "noon", "ticket", "harbour"]), min_size=1, max_size=40))
def test_a_later_chunk_is_hidden_only_by_a_passage(start: int, length: int, extra: list[str]) -> None:
    """An earlier chunk shorter than a passage (under 12 word triples) never hides a longer chunk holding it;
    and nothing is ever lost, only moved."""
    earlier = " ".join(PASSAGE[start:start + length])
    later = earlier + " " + " ".join(extra) + " " + " ".join(PASSAGE)
    texts = {"a": earlier, "b": later, "c": OTHER}  # c ranked last: b moved to the end would fall below it
    ranked, _ = _without_repeats(Rows(texts), list(texts), 30, {i: i for i in texts}, 0, 5, near=0.8, smaller=True)
    assert sorted(ranked) == ["a", "b", "c"]
    words = earlier.split()
    if len(set(zip(words, words[1:], words[2:]))) < 12:
        assert ranked == ["a", "b", "c"]

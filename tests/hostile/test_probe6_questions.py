"""Probe 6: questions and queries holding what a terminal adds when text is copied from it.

A question pasted with its colour codes ("\\x1b[31mzebra\\x1b[0m", as ``grep --color`` or a log viewer
writes it) was searched with them: the words index read "31mzebra" and "0m", so ``DocIndex.ask`` and
``docchat search`` found nothing that matched, and the history kept the escape sequences. A question or query
is now searched as the user saw it: escape sequences and bidirectional controls removed, any other control
character a space.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from jupyter_docchat import DocIndex
from jupyter_docchat.cli import main
from jupyter_docchat.safe_text import as_typed, for_terminal

RED, RESET, LINK = "\x1b[31m", "\x1b[0m", "\x1b]8;;http://example.org\x07"


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> DocIndex:
    root = tmp_path_factory.mktemp("questions")
    folder = root / "docs"
    folder.mkdir()
    (folder / "zoo.md").write_text("# Zoo\n\nThe zebra enclosure opens at nine in the morning.\n")
    (folder / "garden.md").write_text("# Garden\n\nThe rose garden closes at dusk every day.\n")
    index = DocIndex(root / "store")
    index.update(folder)
    return index


@pytest.mark.parametrize("question", [
    f"When does the {RED}zebra{RESET} enclosure open?",
    f"When does the {LINK}zebra\x1b]8;;\x07 enclosure open?",  # a terminal's hyperlink around the word
    "When does the zebra\u202e enclosure open?",
])
def test_a_question_with_pasted_escapes_is_asked_as_it_reads(index: DocIndex, question: str) -> None:
    answer = index.ask(question, model="extractive", k=1)
    assert answer.sources[0].file == "zoo.md" and "zebra enclosure opens at nine" in answer.text
    assert answer.question == "When does the zebra enclosure open?"  # the history keeps what the user saw
    assert [h.source for h in index.search(question, k=1, mode="lexical")] == ["zoo.md"]


def test_the_command_line_searches_a_pasted_query_by_its_words(index: DocIndex) -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--store", str(index.store), "search", f"{RED}rose{RESET}{RED}{RESET}", "--mode", "lexical", "-k", "1"])
    assert code == 0 and out.getvalue().startswith("[1] garden.md"), out.getvalue()


WORDS = st.lists(st.text("abcdefghijklmnopqrstuvwxyzé", min_size=1, max_size=8), min_size=1, max_size=6)
NOISE = st.sampled_from([RED, RESET, LINK, "\x1b]0;title\x1b\\", "\x1bM", "\u202e", "\u2066", "\u200f", ""])


@settings(max_examples=300, deadline=None)
@given(words=WORDS, noise=st.lists(NOISE, min_size=30, max_size=30), nul=st.booleans())
def test_escapes_anywhere_leave_the_words_as_typed(words: list[str], noise: list[str], nul: bool) -> None:
    """Escape sequences and bidirectional controls inside or between words leave the same words; a control
    character between them separates them, as a space does."""
    typed = " ".join(words)
    pasted = "".join(c + noise[i % len(noise)] for i, c in enumerate(typed))
    if nul:
        pasted = pasted.replace(" ", "\x00")
    assert as_typed(pasted).split() == words
    assert for_terminal(as_typed(pasted)) == as_typed(pasted)  # nothing a terminal would act on is left

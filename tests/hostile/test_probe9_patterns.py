"""Probe 9: the patterns added with the offline answer's table and title levers and with release notes, tried on
long and odd input: each must take time linear in its input."""

from __future__ import annotations

import re
import time

from conftest import write_tree
from hypothesis import given, settings
from hypothesis import strategies as st

from jupyter_docchat import DocIndex
from jupyter_docchat.qa.extractive import _NUMBERED_TITLE
from jupyter_docchat.qa.table_pieces import _named
from jupyter_docchat.retrieval.release_notes import asks_about_changes, is_release_notes

QUICK = 2.0  # CPU seconds (another worker's process takes none): each of these took from 5 s to for ever


def test_a_sentence_opening_with_many_digits_of_pi_is_answered_at_once(tmp_path) -> None:
    # "3." then digits read as a numbered title's number ("3.14" like "1.2.3"): every split of the digits was
    # tried, twice as long for each digit more (25 digits: 10 s, 40: days).
    pi = "3.141592653589793238462643383"
    docs = write_tree(tmp_path / "docs", {"pi.md": f"# Pi\n\n{pi} is the ratio of a circle's circumference to its "
                                                    "diameter, written with the Greek letter pi.\n"})
    with DocIndex(tmp_path / "store") as index:
        index.update(docs)
        index.ask("What is pi?", model="extractive")  # the embedding model loaded before the clock starts
        started = time.process_time()
        answer = index.ask("What is the ratio of a circle's circumference to its diameter?", model="extractive")
        assert time.process_time() - started < 5 * QUICK  # the 29 digits took over two minutes
        assert pi in answer.text


# The pattern the fix replaced, as a reference on inputs short enough for it.
_OLD_TITLE = re.compile(r"^\s*((Example|Figure|Table|Listing|Chapter|Section|Part|Appendix)\s+)?"
                        r"(\d+\.(\d+\.?)*|\d+(\.\d+)+|[A-Z]\.(\d+\.?)*)\s+(?!.*[.!?;]\s)\S.{0,79}(?<![.!?:;,])$")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="12. A;!:x\nTable", max_size=16))
def test_a_numbered_title_is_what_it_was(text: str) -> None:
    assert bool(_NUMBERED_TITLE.match(text)) == bool(_OLD_TITLE.match(text))
    assert bool(_NUMBERED_TITLE.match("Table " + text)) == bool(_OLD_TITLE.match("Table " + text))


def test_a_numbered_title_is_read_in_linear_time() -> None:
    started = time.process_time()
    for text in ("1.1." + "1.1" * 50_000 + "!", "3." + "1" * 100_000 + " is pi.", "A." + "1." * 50_000 + " x;"):
        _NUMBERED_TITLE.match(text)
    assert time.process_time() - started < QUICK


def test_release_notes_are_told_in_linear_time() -> None:
    # The suffixes were stripped by a pattern tried from every position: quadratic in their number (8,000 ".gz":
    # 4 s for each chunk of a search's candidates).
    started = time.process_time()
    assert not is_release_notes("docs/a" + ".gz" * 20_000 + "x")
    assert is_release_notes("docs/CHANGES" + ".txt" * 20_000)
    assert asks_about_changes("1." * 50_000 + "x" + " 1.1" * 20_000 + "a")  # a version number
    assert time.process_time() - started < QUICK


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30), max_size=5),
       st.sampled_from(["", ".md", ".txt.gz", ".rst", ".HTML", ".tar.gz"]), st.text(max_size=200))
def test_any_path_and_question_give_a_bool(parts: list[str], suffix: str, question: str) -> None:
    path = "/".join(parts) + suffix
    assert isinstance(is_release_notes(path), bool) and isinstance(asks_about_changes(question), bool)
    assert is_release_notes(path.replace("/", "\\")) == is_release_notes(path)
    # A file named as release notes is, whatever the folders above it and the suffixes after it.
    assert is_release_notes("/".join([*parts, "CHANGES"]) + suffix)


def _old_named(text: str) -> list[str]:
    """The reference: what _named did before it was made linear."""
    out = []
    for match in re.finditer(r"\bTable\s+(\d+(?:\.\d+)*)\b", text):
        caption = re.compile(r"(?:^|\n)[ \t]*$").search(text, 0, match.start()) is not None \
            and re.match(r"\s*[:.](?:\s|$)", text[match.end():])
        if not caption and match[1] not in out:
            out.append(match[1])
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Table", " ", "\t", "\n", "1", ".", ":", "2.1", "x", "(", "Table 3"]), max_size=20).map("".join))
def test_the_tables_a_text_names_are_what_they_were(text: str) -> None:
    assert _named(text) == _old_named(text)


def test_the_tables_a_long_text_names_are_found_in_linear_time() -> None:
    started = time.process_time()
    assert _named("see Table 12 and " * 16_000 + "\n  Table 3: a caption") == ["12"]
    assert time.process_time() - started < QUICK

"""Identifiers asked for in words (branch camel38): a question's words in a row joined as one more term of the
keyword search (``stores true``: ``storeTrue``), kept only where the keyword index holds the join, and the chunks
holding that join as a name of its own as a ranking of their own. On a real store made here."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jupyter_docchat import DocIndex
from jupyter_docchat.retrieval.fusion import SHIPPED
from jupyter_docchat.errors import DocChatError
from jupyter_docchat.store.terms import joined_terms, query_terms, written_as_name

ON = SHIPPED.but(joined_words=True)
OFF = SHIPPED.but(joined_words=False, joined_weight=0.0)


def _terms(question: str) -> list[str]:
    return [join.term for join in joined_terms(question)]


def test_joins_are_pairs_and_triples_of_the_question_words() -> None:
    assert "storetrue" in _terms("Which action stores true when the flag is given?")  # the plural s dropped
    assert "addsubparsers" in _terms("How do I add subparsers?")
    assert "tostring" in _terms("How do I convert it to string?")  # a stop word may begin a name
    assert "addmutuallyexclusive" in _terms("add mutually exclusive options")
    # Words of the question itself, and a possessive's s, are never part of one.
    assert _terms("How do I?") == []
    assert "arguments" not in _terms("an argument's values")
    assert not any(term.startswith("how") or term.endswith("the") for term in _terms("how is the value set"))


def test_a_join_counts_where_a_text_writes_it_as_a_name() -> None:
    store_true = next(j for j in joined_terms("stores true") if j.term == "storetrue")
    assert written_as_name("Arguments.storeTrue() returns the action", store_true)
    assert written_as_name("See StoreTrueArgumentAction.", store_true)  # the words still show where they begin
    assert not written_as_name("a store is true to its word; storetrue", store_true)
    back_up = joined_terms("back up")[0]
    assert not written_as_name("Backup: make a backup with the backup API, sqlite3_backup_init()", back_up)
    assert written_as_name("call backUp() first", back_up)


def _folder(root: Path) -> Path:
    """Prose pages that hold the question's words, and a terse method list that alone holds ``storeTrue()``."""
    docs = root / "docs"
    docs.mkdir()
    prose = {
        "flags.md": "# Flags\n\nA flag is an option without a value: it is given or it is not. Short flags may be grouped "
                    "behind one dash.",
        "storage.md": "# Storage\n\nThe parser keeps what it read in a namespace: a store of names and values that the "
                      "program reads after parsing.",
        "actions.md": "# Actions\n\nAn action says what happens when an argument is met on the command line: keep it, "
                      "append it, count it.",
        "defaults.md": "# Defaults\n\nAn argument that is not on the command line takes its default; a default may be "
                       "true, a number or a string.",
    }
    # Pages on other topics, so that the words of the question are not in most pages (where BM25 counts them as nothing).
    for topic in ("logging", "colours", "encodings", "locales", "plugins", "threads", "timeouts", "packaging"):
        prose[f"{topic}.md"] = (f"# {topic.title()}\n\nThis page explains {topic} in the library: how {topic} are "
                                f"configured, where the settings for {topic} live, and what to read next about {topic}.")
    for name, text in prose.items():
        (docs / name).write_text(text)
    (docs / "Arguments.md").write_text(textwrap.dedent("""\
        # Arguments

        Static factory methods of the package, each returning a new object.

        - `append()`: returns an AppendArgument.
        - `count()`: returns a CountArgument.
        - `storeConst()`: returns a StoreConstArgument.
        - `storeTrue()`: returns a StoreTrueArgument.
        - `help()`: returns a HelpArgument.
        - `version()`: returns a VersionArgument.
        """))
    (docs / "Parser.md").write_text("# Parser\n\n- `addSubparsers()`: returns a Subparsers object to add subcommands.\n"
                                    "- `addArgument(String... nameOrFlags)`: creates an argument.\n")
    return docs


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("camel38")
    index = DocIndex(root / "store")
    index.update(_folder(root))
    yield index
    index.close()


def test_the_store_keeps_only_joins_its_keyword_index_holds(index: DocIndex) -> None:
    catalog = index.catalog
    assert catalog.joined_terms("Which action stores true when the flag is given?") == ["storetrue"]
    assert catalog.joined_terms("How do I add subparsers?") == ["addsubparsers"]
    assert catalog.joined_terms("Which flag values does the store keep?") == []


def test_a_question_in_words_finds_the_name_it_describes(index: DocIndex) -> None:
    question = "Which action stores true when the flag is given?"
    without = [h.source for h in index.search(question, k=5, mode="lexical", fusion=OFF)]
    assert "Arguments.md" not in without  # it holds none of the question's words
    # The join is one term more (rare, so it weighs, but one): the page comes in, below pages holding several words.
    assert "Arguments.md" in [h.source for h in index.search(question, k=5, mode="lexical", fusion=ON)]
    assert "Arguments.md" not in [h.source for h in index.search(question, k=3, fusion=OFF)]
    ranked = index.search(question, k=3, fusion=ON.but(joined_weight=2.0), explain=True)
    assert "Arguments.md" in [h.source for h in ranked]
    assert "holds storetrue as written" in next(h for h in ranked if h.source == "Arguments.md").explain["levers"]


_SYNTAX = st.sampled_from(['"', "'", "*", "^", ":", "(", ")", "-", "+", "NEAR", "NEAR(", "AND", "OR", "NOT", "text:",
                           "heading:", "{text heading}:", "store", "true", "add", "subparsers", " ", "\x00", "é", "_"])
_QUESTIONS = st.one_of(st.text(max_size=60), st.lists(_SYNTAX, max_size=14).map("".join),
                       st.lists(_SYNTAX, max_size=14).map(" ".join))


@settings(max_examples=150, deadline=None)
@given(_QUESTIONS)
def test_no_question_breaks_the_keyword_query(index: DocIndex, question: str) -> None:
    for term in _terms(question):
        assert re.fullmatch(r"[^\W_]{5,}", term)  # plain word characters: nothing FTS5 reads as syntax
    assert set(index.catalog.joined_terms(question)) <= set(_terms(question))
    for mode in ("lexical", "hybrid"):
        try:
            index.search(question, k=3, mode=mode, fusion=ON.but(joined_weight=1.0))
        except DocChatError as exc:  # the one refusal: a query of no words at all
            assert not query_terms(question) and ("no words" in str(exc) or "empty" in str(exc))

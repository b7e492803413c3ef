"""Probe 3: ``DocIndex`` as a plain script uses it, fed what a hurried user passes. Each of these
answered with the wrong error (a "store ... failed" for a wrong argument), or did something harmful
(an empty folder name indexed the working directory into the collection; a glob given as a string
was split into characters, and ``excludes="*.md"`` emptied the collection), or showed a password."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from jupyter_docchat import DocIndex
from jupyter_docchat.errors import DocChatError, EmptyQuestionError, FolderError, SettingError, StoreError
from jupyter_docchat.indexing.index_options import IndexOptions

QUESTION = "What is the standard deposit insurance amount?"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    import shutil

    from conftest import EXAMPLE_DOCS

    root = tmp_path_factory.mktemp("probe3")
    shutil.copytree(EXAMPLE_DOCS, root / "docs")
    index = DocIndex(root / "store")
    index.update(root / "docs")
    index.close()
    return root / "store", root / "docs"


@pytest.fixture
def index(built: tuple[Path, Path]):
    index = DocIndex(built[0])
    yield index
    index.close()


def one_line_not_the_store(error: pytest.ExceptionInfo) -> str:
    message = str(error.value)
    assert "\n" not in message and not isinstance(error.value, StoreError), message
    return message


@pytest.mark.parametrize("folder", ["", "   "])
def test_an_empty_folder_name_is_an_error_not_the_working_directory(index: DocIndex, built, folder: str,
                                                                     tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "unrelated.md").write_text("# Unrelated\nA file of the working directory.\n")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FolderError) as error:
        index.update(folder)
    assert "no folder" in one_line_not_the_store(error)
    assert index.status()[0].root == str(built[1]) and index.status()[0].files == 6  # the collection kept


@pytest.mark.parametrize("call, said", [
    (lambda i: i.ask(42), "question must be a string"),
    (lambda i: i.ask(b"deposit insurance"), "question must be a string"),
    (lambda i: i.ask(QUESTION, history=5), "history must be a list"),
    (lambda i: i.ask(QUESTION, model=5), "model must be a string"),
    (lambda i: i.search(None), "query must be a string"),
    (lambda i: i.search([("deposit", "heavy")]), "query must be a string"),
    (lambda i: i.update(None), "folder must be a path"),
    (lambda i: i.update(".", options={"chunk_size": 400}), "options must be an IndexOptions"),
])
def test_a_wrong_argument_is_named_not_blamed_on_the_store(index: DocIndex, call, said: str) -> None:
    with pytest.raises(DocChatError) as error:
        call(index)
    assert said in one_line_not_the_store(error)


@pytest.mark.parametrize("question", ["\x1b[31m\x07", "\x00\x01\x7f", "\u202e\u2066", " \x1b]0;title\x07 "])
def test_a_question_of_control_characters_alone_is_empty(index: DocIndex, question: str) -> None:
    with pytest.raises(EmptyQuestionError):
        index.ask(question)


def test_a_model_name_holding_a_password_is_not_shown(index: DocIndex) -> None:
    answer = index.ask(QUESTION, model="https://me:TOPSECRET@example.org/v1")
    assert answer.model == "extractive"
    shown = [answer.text, str(answer), repr(answer), str(answer.to_dict())]
    assert not [text for text in shown if "TOPSECRET" in text]
    assert "https://me:***@example.org/v1" in answer.text  # still says which name it was


def test_globs_given_as_a_string_are_refused_before_anything_changes(index: DocIndex, built) -> None:
    for name in ("globs", "excludes", "includes"):
        with pytest.raises(SettingError) as error:
            IndexOptions(**{name: "*.md"})
        assert "a list of patterns" in one_line_not_the_store(error)
    with pytest.raises(SettingError):
        IndexOptions(globs=["*.md", 5])
    with pytest.raises(SettingError):
        IndexOptions(all_files="no")
    assert IndexOptions(includes=None).includes == ()  # None means none, as for the other two
    assert index.status()[0].files == 6


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(max_size=20), st.integers(), st.none(), st.lists(st.text(max_size=5), max_size=3),
                 st.booleans(), st.floats(allow_nan=True), st.binary(max_size=5)))
def test_any_pattern_list_is_kept_as_given_or_refused_in_one_line(value) -> None:
    try:
        options = IndexOptions(globs=value, excludes=value)
    except SettingError as error:
        assert "\n" not in str(error)
        return
    assert options.globs == (None if value is None else tuple(value))
    assert all(isinstance(p, str) for p in options.globs or ())


@pytest.mark.parametrize("kwargs, said", [
    ({"store": None}, "store must be a path"),
    ({"store": ""}, "no store given"),
    ({"collection": 5}, "invalid collection name 5"),
    ({"api_key": 5}, "api_key must be a string"),
    ({"server_token": b"t"}, "server_token must be a string"),
    ({"lock_timeout": -1}, "lock timeout must be a number of at least 0 s"),
    ({"lock_timeout": "x"}, "lock timeout must be a number"),
])
def test_a_wrong_constructor_argument_is_one_line_of_the_family(built, kwargs: dict, said: str, tmp_path: Path,
                                                                monkeypatch) -> None:
    """DocIndex(None) and DocIndex(collection=5) raised a TypeError traceback, api_key=5 blamed the store at
    the first question, and lock_timeout=-1 (filelock's "wait for ever") was taken: an update behind another
    process's lock would never return. DocIndex("") made the working directory itself the store."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DocChatError) as error:
        DocIndex(**{"store": built[0], **kwargs})
    assert said in one_line_not_the_store(error)
    assert not list(tmp_path.iterdir())  # nothing written where the script runs


def test_a_store_path_that_is_a_file_says_so_everywhere(tmp_path: Path, built) -> None:
    """A --store naming a file: status said "no collections yet; index a folder first", and indexing then
    said "cannot create the store at ...: File exists"."""
    store = tmp_path / "notes.txt"
    store.write_text("my notes\n")
    index = DocIndex(store)
    for call in (index.status, lambda: index.update(built[1]), lambda: index.ask(QUESTION)):
        with pytest.raises(StoreError) as error:
            call()
        assert f"the store {store} is a file, not a folder" in str(error.value)
    assert store.read_text() == "my notes\n"

"""Probe 8: arguments of the Python API that failed outside the error family or as the store's fault."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write_tree

from jupyter_docchat import DocIndex
from jupyter_docchat.errors import DocChatError


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> DocIndex:
    root = tmp_path_factory.mktemp("api")
    made = DocIndex(root / "store")
    made.update(write_tree(root / "docs", {"notes.md": "The deposit rate is four percent.\n",
                                           "loans.md": "The loan rate is six percent.\n"}))
    yield made
    made.close()


def test_a_nul_in_the_store_or_the_questions_file_is_named_not_blamed_on_the_store(index: DocIndex) -> None:
    with pytest.raises(DocChatError, match=r"^the store path 's\\x00x' holds a NUL character: name a folder$"):
        DocIndex("s\x00x")  # ValueError: embedded null byte
    with pytest.raises(DocChatError, match=r"^'q\\x00.jsonl' holds a NUL character: name a JSONL file of questions$"):
        index.evaluate("q\x00.jsonl")  # "the store at ... failed: embedded null byte"


@pytest.mark.parametrize("weight", [float("inf"), float("nan"), -1.0])
def test_a_query_weight_that_is_no_finite_share_is_refused(index: DocIndex, weight: float) -> None:
    with pytest.raises(DocChatError, match="a query's weight must be a finite number of at least 0"):
        index.search([("deposit rate", 1.0), ("loan", weight)])  # inf made every score inf, -1 ranked the best last
    assert index.search([("deposit rate", 1.0), ("loan", 0.0)], k=1)[0].source == "notes.md"


def test_an_empty_store_option_is_refused_not_taken_for_the_default(tmp_path: Path, monkeypatch) -> None:
    import contextlib
    import io

    from jupyter_docchat.cli import main

    monkeypatch.chdir(tmp_path)
    docs = write_tree(tmp_path / "docs", {"notes.md": "The deposit rate is four percent.\n"})
    err = io.StringIO()
    for argv in (["--store", "", "index", str(docs)], ["index", str(docs), "--store", "  "]):
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            assert main(argv) == 1  # --store "$UNSET" indexed into ./.docchat
    assert err.getvalue().count("docchat: no store given: --store needs a folder") == 2
    assert not (tmp_path / ".docchat").exists()

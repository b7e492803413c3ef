"""Probe 5: evaluation given no file. ``%docchat_eval ''`` and ``DocIndex.evaluate(None)`` said "the store at
... failed: 'NoneType' object is not iterable", blaming a store that was fine; ``docchat eval ""`` said
"cannot read .: Is a directory"."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cell
from IPython.core.error import UsageError

from jupyter_docchat import DocIndex
from jupyter_docchat.errors import DocChatError, StoreError


@pytest.mark.parametrize("questions, kind", [(None, "NoneType"), (3, "int"), ({"question": "q?", "expected": ["a.md"]}, "dict")])
def test_evaluate_names_a_wrong_argument_not_the_store(tmp_path: Path, questions, kind: str) -> None:
    with pytest.raises(DocChatError) as error:
        DocIndex(tmp_path / "store").evaluate(questions)
    assert not isinstance(error.value, StoreError)
    assert str(error.value) == f"questions must be a JSONL file's path or a list of questions, not {kind}"


@pytest.mark.parametrize("line", ["''", "'  '"])
def test_the_eval_magic_given_an_empty_name_says_so(ip, line: str) -> None:
    _, error = run_cell(ip, f"%docchat_eval {line}")
    assert isinstance(error, UsageError) and str(error) == "no questions file given: name a JSONL file of questions"

"""What probe 7 found and left: a FIFO named as the questions file hung %docchat_eval, a folder in place of
docchat.sqlite gave SQLite's "unable to open database file", and --with sent secrets nested in a dict."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from jupyter_docchat import DocIndex
from jupyter_docchat.errors import DocChatError, StoreError
from jupyter_docchat.qa.variables import described
from jupyter_docchat.retrieval.evaluation import load_questions


def test_a_fifo_as_the_questions_file_is_refused_not_read_forever(tmp_path: Path) -> None:
    fifo = tmp_path / "questions.jsonl"
    os.mkfifo(fifo)
    result: list = []
    reader = threading.Thread(target=lambda: result.append(_refusal(fifo)), daemon=True)
    reader.start()
    reader.join(10)
    if reader.is_alive():  # it blocks on open() until a writer comes: let it go, then fail
        with open(fifo, "w"):
            pass
        pytest.fail("reading a FIFO as the questions file blocked")
    assert result == [f"{fifo} is not a file: name a JSONL file of questions"]


def _refusal(path: Path) -> str:
    try:
        load_questions(path)
    except DocChatError as exc:
        return str(exc)
    return "read"


def test_a_folder_in_place_of_the_catalog_says_what_to_do(tmp_path: Path) -> None:
    store = tmp_path / "store"
    (store / "docchat.sqlite").mkdir(parents=True)
    with pytest.raises(StoreError, match=r"docchat.sqlite is a folder, not a file: move it aside and index the folder again"):
        DocIndex(store).status()


def test_secrets_nested_in_a_dict_are_not_described() -> None:
    settings = {"db": {"host": "db.local", "password": "hunter2", "replicas": [{"api_token": "t0k3n"}]}, "debug": True}
    label, text = described({"settings": settings}, "settings")
    assert "hunter2" not in text and "t0k3n" not in text and "db.local" in text and "(not shown)" in text
    big = {"db": {f"k{n}": n for n in range(30)}}
    _, text = described({"big": big}, "big")
    assert "20 more" in text

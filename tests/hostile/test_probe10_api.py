"""Probe 10: DocIndex's arguments, wrong in ways the checks let through."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write_tree

from jupyter_docchat import DocIndex
from jupyter_docchat.errors import DocChatError


@pytest.mark.parametrize("name", ["docs\n", "docs\r\n", "\ndocs"])
def test_a_collection_name_with_a_line_break_is_refused_at_once(tmp_path: Path, name: str) -> None:
    # "docs\n" passed the name's pattern (its "$" matches before a final line break): searches said "nothing indexed
    # in collection 'docs\n'", and an update failed in Chroma with its own multi-line message.
    with pytest.raises(DocChatError, match="invalid collection name"):
        DocIndex(tmp_path / "store", collection=name)


@pytest.mark.parametrize("embeddings", [5, 1.5, ["minilm"], b"minilm"])
def test_embeddings_of_the_wrong_kind_are_one_line(tmp_path: Path, embeddings: object) -> None:
    # 5 raised AttributeError: 'int' object has no attribute 'lower'
    with pytest.raises(DocChatError, match="embeddings must be"):
        DocIndex(tmp_path / "store", embeddings=embeddings)  # type: ignore[arg-type]


def test_the_collection_indexed_stays_the_one_searched(tmp_path: Path) -> None:
    docs = write_tree(tmp_path / "docs", {"bank.md": "# Bank\n\nThe bank failed in one day.\n"})
    with DocIndex(tmp_path / "store", collection="docs") as index:
        index.update(docs)
    with DocIndex(tmp_path / "store", collection="docs") as index:
        assert [h.source for h in index.search("bank failed", k=1, mode="lexical")] == ["bank.md"]

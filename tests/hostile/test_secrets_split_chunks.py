"""A key cut in two by the chunker: neither chunk holds it, the two quoted or sent together would show it."""

from __future__ import annotations

from pathlib import Path

from conftest import write_tree
from hypothesis import given, settings, strategies as st

from jupyter_docchat import DocIndex
from jupyter_docchat.indexing.index_options import IndexOptions
from jupyter_docchat.qa.key_guard import KeyGuard

KEY = "sk-ABCDEFGHIJKLMNOPQ"  # 18 letters and digits: looked for whole, so half of it is in neither chunk
FILLER = "The deploy step reads its settings from the environment of the runner machine here.\n" * 2


def test_a_key_cut_between_two_chunks_is_neither_quoted_nor_named(tmp_path: Path) -> None:
    docs = write_tree(tmp_path / "docs", {"guide.md": f"# Guide\n\n## Deployment\n\n{FILLER}token = \"{KEY[:10]}\"\n"
                                                      f"\"{KEY[10:]}\"\nThen run the deploy command and watch the log.\n"})
    with DocIndex(tmp_path / "store", api_key=KEY) as index:
        index.update(docs, IndexOptions(chunk_size=200, chunk_overlap=0))
        texts = [h.text for h in index.file_chunks("guide.md")]
        assert not any(KEY in t for t in texts) and any(KEY[:10] in t for t in texts)  # the cut is where the test wants it
        answer = index.ask("What is in Deployment?", model="extractive")
        shown = answer.text + " ".join(s["text"] for s in answer.to_dict()["sources"])
        assert not (KEY[:10] in shown and KEY[10:] in shown)
        assert any("guide.md (lines" in notice for notice in answer.notices)


@settings(max_examples=300, deadline=None)
@given(key=st.text("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=10, max_size=60), cut=st.integers(1, 59),
       before=st.text("xyz .\n", max_size=80), after=st.text("xyz .\n", max_size=80),
       others=st.lists(st.text("xyz .\n", max_size=40), max_size=3))
def test_a_key_cut_anywhere_is_found_between_its_two_halves_alone(key, cut, before, after, others) -> None:
    cut = min(cut, len(key) - 1)
    guard = KeyGuard([key])
    texts = [*others, before + key[:cut], after, key[cut:] + after]
    found = guard.split_between(texts)
    first, second = len(others), len(texts) - 1
    whole = guard.holds(texts[first]) or guard.holds(texts[second])
    # either half holds a whole block of a long key (and is caught alone), or the two are caught together
    assert whole or found == {first, second}
    assert not guard.split_between([*others, before, after])

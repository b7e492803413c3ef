"""Probe 11: a key cut three ways by tiny chunks, and a short key configured with spaces around it."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from jupyter_docchat.qa.key_guard import KeyGuard

KEY = "Zq7Wx3Lm9Pt4Rv8Ks2"  # 18 letters and digits: one block, looked for whole


def test_a_key_cut_three_ways_is_found_between_the_three() -> None:
    # was set(): each pair held only part of it, so all three went out as sources side by side
    texts = ["intro text " + KEY[:4], KEY[4:14], KEY[14:] + " trailing words"]
    assert KeyGuard([KEY]).split_between(texts) == {0, 1, 2}


def test_a_short_key_with_spaces_around_it_is_still_found() -> None:
    for key in (" pw1234 ", "pw1234\n"):
        assert KeyGuard([key]).holds("the key is pw1234 here")


@settings(max_examples=300, deadline=None)
@given(key=st.text("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=10, max_size=60),
       cuts=st.lists(st.integers(1, 59), min_size=1, max_size=5, unique=True),
       before=st.text("xyz .\n", max_size=40), after=st.text("xyz .\n", max_size=40),
       others=st.lists(st.text("xyz .\n", max_size=40), max_size=3), order=st.randoms(use_true_random=False))
def test_a_key_cut_into_any_number_of_pieces_is_never_all_kept(key, cuts, before, after, others, order) -> None:
    cuts = sorted({min(c, len(key) - 1) for c in cuts})
    bounds = [0, *cuts, len(key)]
    pieces = [key[a:b] for a, b in zip(bounds, bounds[1:])]
    pieces[0], pieces[-1] = before + pieces[0], pieces[-1] + after
    texts = [*others, *pieces]
    order.shuffle(texts)  # sources come in rank order, not the document's
    guard = KeyGuard([key])
    split = guard.split_between(texts)
    kept = [t for n, t in enumerate(texts) if n not in split and not guard.holds(t)]
    assert not guard.holds("".join(t for t in pieces if t in kept))  # what is kept never spells the key
    assert not guard.split_between([*others, before, after])


def _docs_under_a_key(tmp_path):
    from conftest import write_tree

    return write_tree(tmp_path / f"proj-{KEY}" / "docs", {
        "deploy.md": "# Deploy\n\nThe deploy step reads settings from the runner.\n",
        "other.md": "# Other\n\nThe runner also reads deploy settings again.\n"})


def test_a_key_in_the_folder_path_is_not_in_the_retrievers_documents(tmp_path) -> None:
    # each Document's metadata "path" was /tmp/.../proj-<KEY>/docs/deploy.md: the key, to whatever chain used it
    from jupyter_docchat import DocIndex

    with DocIndex(tmp_path / "store", api_key=KEY) as index:
        index.update(_docs_under_a_key(tmp_path))
        docs = index.as_retriever(k=5, mode="lexical").invoke("deploy settings")
        assert KEY not in repr([(d.page_content, d.metadata) for d in docs])


def test_a_key_in_the_folder_path_is_not_printed_by_search_json(tmp_path) -> None:
    # `docchat search --json` printed each hit's "path", the key in it
    import os
    import subprocess
    import sys

    docs = _docs_under_a_key(tmp_path)
    env = {**os.environ, "OPENAI_API_KEY": KEY}
    run = [sys.executable, "-m", "jupyter_docchat.cli", "--store", str(tmp_path / "store")]
    subprocess.run([*run, "index", str(docs)], env=env, check=True, capture_output=True, timeout=300)
    out = subprocess.run([*run, "search", "deploy settings", "--json", "--mode", "lexical"], env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0 and KEY not in out.stdout + out.stderr

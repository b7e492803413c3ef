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


def test_a_key_cut_between_chunks_found_by_two_searches_is_never_shown(tmp_path) -> None:
    # chunk_overlap 0 cut the key between two chunks on different topics: a search (or a question) found one, the next
    # the other; each was shown alone (printed, kept in the history) and the two together spelt the key
    from conftest import write_tree

    from jupyter_docchat import DocIndex
    from jupyter_docchat.indexing.index_options import IndexOptions

    key = "sk-ABCDEFGHIJKLMNOPQ"
    first = "The harbour pilots board every tanker at the outer buoy before dawn.\n" * 2 + "Tugs wait by the harbour wall.\n"
    second = "Volcanic soil on the northern slope grows the best coffee cherries.\n" * 2
    docs = write_tree(tmp_path / "docs", {"guide.md": f"# Guide\n\n{first}token = \"{key[:10]}\"\n\"{key[10:]}\"\n{second}"})
    with DocIndex(tmp_path / "store", api_key=key) as index:
        index.update(docs, IndexOptions(chunk_size=200, chunk_overlap=0))
        texts = [h.text for h in index.file_chunks("guide.md")]
        assert not any(key[:10] in t and key[10:] in t for t in texts)  # the cut is where the test wants it
        retriever = index.as_retriever(k=1, mode="lexical")
        shown = [d.page_content for q in ("harbour pilots tanker buoy", "volcanic soil coffee cherries")
                 for d in retriever.invoke(q)]
        answers = [index.ask(q, model="extractive", k=1) for q in ("What do harbour pilots board?",
                                                                  "What grows on volcanic soil?")]
        shown += [a.text + " ".join(s["text"] for s in a.to_dict()["sources"]) for a in answers]
        assert not any(key[:10] in t for t in shown) or not any(key[10:] in t for t in shown)


def test_a_model_servers_error_echoing_the_key_in_another_form_does_not_show_it() -> None:
    # scrub() masked the key as configured, character for character: one configured with a space or line break
    # around it (pasted), or echoed JSON-escaped ("\/"), was shown whole in the one-line error
    import httpx
    import openai

    from jupyter_docchat.qa.llm import ModelChoice, model_error
    from jupyter_docchat.settings import Settings

    key = "sk-ABCDEFGHIJKLMNOPQRST"
    for configured, echoed in [(f" {key} ", key), (key + "\n", key), ("sk-ABC/DEFGHIJKLMNOPQRST", "sk-ABC\\/DEFGHIJKLMNOPQRST")]:
        s = Settings().with_(api_key=configured, base_url="http://127.0.0.1:9/v1")
        response = httpx.Response(400, request=httpx.Request("POST", "http://127.0.0.1:9/v1/chat/completions"))
        exc = openai.BadRequestError(f"Error code: 400 - invalid key {echoed}", response=response, body=None)
        message = str(model_error(exc, s, ModelChoice("openai", "m", s.base_url, "m")))
        assert "ABCDEFGHIJ" not in message and "\n" not in message and "400" in message


@settings(max_examples=200, deadline=None)
@given(key=st.text("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=10, max_size=40),
       cuts=st.lists(st.integers(1, 39), min_size=1, max_size=4, unique=True),
       before=st.integers(0, 60), after=st.integers(0, 60), found=st.data())
def test_any_piece_of_a_key_cut_in_its_file_is_left_out_when_found_alone(key, cuts, before, after, found) -> None:
    # a search finds one chunk of the file: that chunk is left out if it and others of its file spell the key
    from jupyter_docchat.qa.key_guard import cut_in_files
    from jupyter_docchat.types import Hit

    cuts = sorted({min(c, len(key) - 1) for c in cuts})
    bounds = [0, *cuts, len(key)]
    pieces = [key[a:b] for a, b in zip(bounds, bounds[1:])]
    pieces[0], pieces[-1] = "x = " + pieces[0], pieces[-1] + " y z"
    texts = ["filler words here"] * before + pieces + ["more filler"] * after
    chunks = [Hit(id=f"c{n}", text=t, source="a.md") for n, t in enumerate(texts)]
    guard = KeyGuard([key])
    hit = chunks[before + found.draw(st.integers(0, len(pieces) - 1))]
    if not guard.holds(hit.text):
        assert cut_in_files(guard, [hit], lambda source: chunks) == {hit.id}


def test_a_short_key_with_punctuation_at_its_ends_is_found_whole_wherever_it_stands() -> None:
    # the "whole token" bounds asked for no letter or digit beside the key even where the key's own end is
    # punctuation: "-pw12-" written whole in "x-pw12-y" was not found, so it was shown and sent
    assert KeyGuard(["-pw12-"]).holds("token x-pw12-y here")
    assert KeyGuard(["(pw1)"]).holds("a(pw1)b")
    assert not KeyGuard(["pw1234"]).holds("pw12345")  # a letter or digit beside a letter or digit: another token


def test_a_short_unicode_key_is_a_whole_token_among_unicode_letters() -> None:
    # the bounds knew ASCII letters only: "ключ1" was found inside the longer word "аключ1"
    assert not KeyGuard(["ключ1"]).holds("это аключ1 тут")
    assert KeyGuard(["ключ1"]).holds("key ключ1 here")


@settings(max_examples=300, deadline=None)
@given(key=st.text(st.sampled_from("ab1-!(ä"), min_size=1, max_size=8), left=st.text(st.sampled_from("xy9 -ü"), max_size=3),
       right=st.text(st.sampled_from("xy9 -ü"), max_size=3))
def test_a_short_key_written_whole_is_found_unless_it_runs_into_a_longer_word(key, left, right) -> None:
    from jupyter_docchat.qa.key_guard import MIN_LETTERS, letters

    guard = KeyGuard([key])
    if not guard or len(letters(key)) >= MIN_LETTERS:
        return
    runs_on = (key[0].isalnum() and left[-1:].isalnum()) or (key[-1].isalnum() and right[:1].isalnum())
    assert guard.holds(f"{left}{key}{right}") == (not runs_on) or f"{left}{key}{right}".count(key) > 1


def test_a_key_written_after_a_backslash_is_found() -> None:
    # the repr escapes dropped before comparing ("\n", "\x41") took the key's first letters with them when it stood
    # after a real backslash: a Windows path C:\keys\abcdef0123456789.txt showed the key
    key = "abcdef0123456789"
    assert KeyGuard([key]).holds(r"C:\keys\abcdef0123456789.txt")
    assert KeyGuard(["nABCDEFGHIJKL"]).holds(r"path C:\nABCDEFGHIJKL")

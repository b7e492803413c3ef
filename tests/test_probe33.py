"""Probe 33: failures found attacking the surfaces probed least (the ``docchat`` command line in a subprocess, the
``DocIndex`` API from a plain script, hostile folders, secrets), as an outside user would. Real parts: the
scripted OpenAI-compatible HTTP server, the Chroma store, the readers, the command line as a process."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

KEY = "sk-proj-Probe33SECRETkey0123456789abcdef"


def _with_key(body: bytes) -> bool:
    return b"Probe33SECRETkey" in body or b"0123456789abcdef" in body


def test_openai_embeddings_never_send_the_key(fake, corpus: Path, tmp_path: Path, monkeypatch) -> None:
    """With ``openai:`` embeddings a passage holding the configured key, a file named with it and a search for it
    went whole to the embedding server (the chat model never saw them: answers withheld them)."""
    from jupyter_docchat import DocIndex

    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    (corpus / "settings.txt").write_text(f"The deployment token is {KEY} for the staging cluster.\n")
    (corpus / f"notes-{KEY}.md").write_text("# Notes\n\nThe quarterly review covers deposit outflows.\n")
    (corpus / "split.txt").write_text(f'key = "{KEY[:20]}"\n      "{KEY[20:]}"\n')  # split over two strings
    with DocIndex(tmp_path / "store", embeddings="openai:text-embedding-3-small", api_key=KEY,
                  base_url=fake.url) as index:
        report = index.update(corpus)
        assert report.chunks_total > 0 and fake.embedded >= report.chunks_total
        hits = index.search(f"deployment token {KEY}")
        assert hits  # the search still works, by what is left of it
        assert index.as_retriever().invoke(f"what is {KEY}?") is not None
    sent = [body for body in fake.bodies if b"/embeddings" in body or b'"input"' in body]
    assert sent, "nothing reached the embedding server"
    assert not [body[:200] for body in fake.bodies if _with_key(body)]
    # What was masked is still there: the passage's other words were embedded.
    assert any(b"staging cluster" in body for body in sent)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=st.text(max_size=30), after=st.text(max_size=30), cut=st.integers(min_value=1, max_value=len(KEY) - 1),
       joiner=st.sampled_from(["", " ", "\n", '"\n"', "\\n"]))
def test_what_an_embedding_server_gets_never_holds_the_key(before: str, after: str, cut: int, joiner: str) -> None:
    """``DocIndex._sendable``, the one place texts pass on their way to an embedding server: whatever surrounds the
    key, or splits it, no text sent holds it."""
    from jupyter_docchat import DocIndex
    from jupyter_docchat.qa.key_guard import KeyGuard

    index = DocIndex.__new__(DocIndex)
    index.key_guard = lambda: KeyGuard([KEY])  # type: ignore[method-assign]
    texts = [before + KEY + after, before + KEY[:cut] + joiner + KEY[cut:] + after, before + after]
    sent = DocIndex._sendable(index, texts)
    guard = KeyGuard([KEY])
    assert len(sent) == len(texts)
    assert not any(guard.holds(text) for text in sent)
    if not guard.holds(before + after):
        assert sent[2] == before + after  # a text without the key goes as it is


def test_a_script_searches_a_store_built_with_openai_embeddings_by_the_environments_key(
        fake, corpus: Path, tmp_path: Path, monkeypatch) -> None:
    """``docchat index --embeddings openai:...`` then, in a script with $OPENAI_API_KEY and $OPENAI_BASE_URL
    exported, ``DocIndex(".docchat").search(...)``: "openai:... needs an API key: set one", while ``ask`` and the
    command line took the environment's key."""
    import subprocess
    import sys

    from jupyter_docchat import DocIndex

    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", fake.url)
    store = tmp_path / "store"
    built = subprocess.run([sys.executable, "-m", "jupyter_docchat.cli", "--store", str(store), "index", str(corpus),
                            "--embeddings", "openai:text-embedding-3-small"], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    with DocIndex(store) as index:
        hits = index.search("deposit insurance limit")
        assert hits and hits[0].dense is not None
        assert index.update(corpus).unchanged > 0  # and updating it needs no key given again
    assert all(key == f"Bearer {KEY}" for key in fake.keys)
    # A base URL given here without a key (another server, as the client sees it): the environment's key is not
    # sent there.
    fake.keys.clear()
    with DocIndex(store, base_url=fake.url.replace("127.0.0.1", "localhost")) as index:
        assert index.search("deposit insurance limit")
    assert fake.keys and KEY not in " ".join(fake.keys)


@pytest.mark.parametrize("how", ["moved", "deleted"])
def test_a_store_moved_or_deleted_under_a_script(indexed_store: Path, corpus: Path, tmp_path: Path, how: str) -> None:
    """A script keeps a DocIndex while the store folder is moved or deleted: ``update`` failed in Chroma with
    "attempt to write a readonly database", and ``ask``, ``status`` and ``update`` each made a folder holding a
    write.lock where the store had been."""
    import shutil

    from jupyter_docchat import DocIndex
    from jupyter_docchat.errors import StoreError

    store = Path(shutil.copytree(indexed_store, tmp_path / "store"))
    with DocIndex(store) as index:
        assert index.search("deposit insurance")
        if how == "moved":
            store.rename(tmp_path / "elsewhere")
        else:
            shutil.rmtree(store)
        # Not answered from what Chroma still held in memory, nor failed with its "Failed to get segments" as it
        # happened: said the same way every time (it said "16 chunks have no vector yet (indexing stopped before it
        # finished)" when it answered).
        for call in (lambda: index.ask("What is the standard deposit insurance amount?"), lambda: index.search("deposit")):
            with pytest.raises(StoreError, match="was deleted or moved after this DocIndex opened it: open it again"):
                call()
        assert index.status()[0].waiting == 0  # its vectors went with it, not lost: every chunk was counted as waiting
        with pytest.raises(StoreError, match="was deleted or moved after this DocIndex opened it") as error:
            index.update(corpus)
        assert "\n" not in str(error.value)
        assert not store.exists()
    if how == "moved":
        with DocIndex(tmp_path / "elsewhere") as moved:  # nothing was lost where it went
            assert moved.search("deposit insurance") and moved.update(corpus).unchanged == 6


def test_an_embedding_server_whose_vectors_changed_length_is_named_with_the_way_out(
        fake, corpus: Path, tmp_path: Path, monkeypatch) -> None:
    """``openai:MODEL`` answered by another server (or model) since the collection was indexed: ``docchat search``,
    ``ask`` and ``index`` each failed as the store's fault, "the store ... failed: Collection expecting embedding
    with dimension of 64, got 32", naming no way out."""
    import subprocess
    import sys

    import fake_openai

    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", fake.url)
    monkeypatch.setenv("DOCCHAT_MODEL", "extractive")
    store = tmp_path / "store"

    def docchat(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "jupyter_docchat.cli", "--store", str(store), *args],
                              capture_output=True, text=True, timeout=300)

    assert docchat("index", str(corpus), "--embeddings", "openai:text-embedding-3-small").returncode == 0
    monkeypatch.setattr(fake_openai, "DIMENSIONS", 32)
    (corpus / "new.md").write_text("# Tulips\n\nTulips bloom in April.\n")
    for args in (("search", "deposit insurance"), ("ask", "What is the deposit insurance limit?"), ("index", str(corpus))):
        run = docchat(*args)
        assert run.returncode == 1, run
        assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
        assert "now gives vectors of 32 dimensions" in run.stderr and "holds vectors of 64" in run.stderr, run.stderr
        assert "--rebuild" in run.stderr and KEY not in run.stderr
    rebuilt = docchat("index", str(corpus), "--rebuild")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "Tulips" in docchat("search", "when do tulips bloom").stdout


@pytest.mark.parametrize("answer", ["nan", "short", "ragged", "text"])
def test_an_embedding_server_answering_what_is_no_vector_is_named_not_the_store(
        fake, corpus: Path, tmp_path: Path, monkeypatch, answer: str) -> None:
    """A server whose embeddings are NaN (llama.cpp's has been), too few, of mixed lengths or text: the update
    failed in Chroma as the store's fault ("the store ... failed: Embeddings must not contain NaN or Infinity
    values"). It is the server's answer that is named, and the keyword pass it finished stays searchable."""
    import fake_openai

    from jupyter_docchat import DocIndex
    from jupyter_docchat.errors import EmbeddingError

    words = fake_openai.bag_of_words

    def broken(text: str) -> list:
        vector = words(text)
        if answer == "nan":
            return [float("nan")] * len(vector)
        if answer == "ragged":
            return vector[: 10 + len(text) % 2]
        return ["0.5"] * len(vector) if answer == "text" else vector

    monkeypatch.setattr(fake_openai, "bag_of_words", broken)
    if answer == "short":  # one vector fewer than texts, as a server that drops an input it cannot read
        handler = fake._server.RequestHandlerClass
        original = handler._embeddings
        monkeypatch.setattr(handler, "_embeddings", lambda self, body: original(self, {**body, "input": body["input"][:-1]}))
    with DocIndex(tmp_path / "store", embeddings="openai:text-embedding-3-small", api_key=KEY, base_url=fake.url) as index:
        with pytest.raises(EmbeddingError, match="embeddings failed at .*: the server answered ") as error:
            index.update(corpus)
        assert "store" not in str(error.value) and KEY not in str(error.value)
        assert index.status()[0].waiting == index.status()[0].chunks > 0  # no vector stored from that answer
        assert index.search("deposit insurance limit")  # by words, meanwhile


@pytest.mark.parametrize("mode", ["dense", "hybrid"])
def test_docchat_search_says_what_had_no_vector(fake, corpus: Path, tmp_path: Path, monkeypatch, mode: str) -> None:
    """An index stopped before its vectors were all computed: ``docchat ask`` said its answer searched them by
    keywords only, ``docchat search`` said nothing, and ``--mode dense`` searched only the chunks with a vector."""
    import subprocess
    import sys

    from jupyter_docchat import DocIndex
    from jupyter_docchat.errors import EmbeddingError

    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", fake.url)
    store = tmp_path / "store"
    fake.mode = "500"  # the keyword pass is done, the vector pass fails: every chunk waits
    with DocIndex(store, embeddings="openai:text-embedding-3-small") as index:
        with pytest.raises(EmbeddingError):
            index.update(corpus)
        waiting = index.status()[0].waiting
    assert waiting > 0
    fake.mode = "ok"

    def search(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "jupyter_docchat.cli", "--store", str(store), "search",
                               "deposit insurance limit", *args], capture_output=True, text=True, timeout=300)

    run = search("--mode", mode)
    assert run.returncode == 0, run.stderr
    said = "not searched" if mode == "dense" else "searched by keywords only"
    assert f"docchat: {waiting} chunks have no vector yet" in run.stderr and said in run.stderr
    assert "run docchat index <folder>" in run.stderr and run.stderr.count("\n") == 1
    assert "no vector" not in search("--mode", "lexical").stderr  # words alone miss nothing
    assert "no vector" not in search("--json", "--mode", mode).stdout  # JSON stays JSON


_NUMBER = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-5, 5), st.booleans(),
                    st.text(max_size=3), st.none())


@settings(max_examples=200, deadline=None)
@given(vectors=st.lists(st.lists(_NUMBER, max_size=6), max_size=5), count=st.integers(0, 6))
def test_an_embedding_servers_answer_is_taken_only_when_it_is_vectors(vectors: list, count: int) -> None:
    """``OpenAIEmbeddingsAdapter._checked``, what stands between a server's answer and Chroma: it passes one vector of
    finite numbers a text, all of one length, and names anything else as the server's answer."""
    import math

    from jupyter_docchat.errors import EmbeddingError
    from jupyter_docchat.store.embeddings import OpenAIEmbeddingsAdapter

    adapter = OpenAIEmbeddingsAdapter.__new__(OpenAIEmbeddingsAdapter)
    adapter.name, adapter._where = "openai:m", "http://127.0.0.1:1/v1"
    good = (len(vectors) == count and count > 0 and len({len(v) for v in vectors}) == 1 and len(vectors[0]) > 0
            and all(isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)
                    for v in vectors for x in v))
    if good:
        assert adapter._checked(vectors, count) is vectors
    else:
        with pytest.raises(EmbeddingError, match=r"^openai:m embeddings failed at http://127\.0\.0\.1:1/v1: the server answered "):
            adapter._checked(vectors, count)


@pytest.mark.parametrize("what", ["store", "folder"])
def test_a_utf8_name_read_in_the_c_locale_says_why_it_seems_not_utf8(corpus: Path, tmp_path: Path, what: str) -> None:
    """``LC_ALL=C PYTHONUTF8=0 docchat --store ./stü status``: the store "has a name that is not valid UTF-8", which
    it has; Python read it as ASCII. The error says so and how to run it, and only where Python reads names so."""
    import os
    import subprocess
    import sys

    named = tmp_path / "d\u00fcr"
    store, folder = (named, corpus) if what == "store" else (tmp_path / "store", Path(shutil.copytree(corpus, named)))
    args = [sys.executable, "-m", "jupyter_docchat.cli", "--store", str(store), "index", str(folder)]
    for env, hinted in (({"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}, True),
                        ({"LC_ALL": "C.UTF-8"}, False)):
        run = subprocess.run(args, capture_output=True, env={**os.environ, **env}, timeout=300)
        err = run.stderr.decode("utf-8", "replace")
        if hinted:
            assert run.returncode == 1 and "not valid UTF-8" in err and "Python reads file names as ascii" in err, err
            assert "PYTHONUTF8=1" in err and err.count("\n") == 1 and "Traceback" not in err
        else:
            assert run.returncode == 0, err  # the same name in UTF-8 mode is a name like any other

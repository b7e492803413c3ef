"""Issue 22, item 12: every setting is checked where it is set, against one table of limits
(settings.LIMITS): ``%config``, ``Settings``, the magics' options, ``DocIndex.search``,
``as_retriever`` and the LangChain retriever all refuse the same values with the same words."""

from __future__ import annotations

import logging
import math
from pathlib import Path

import pytest
from conftest import run_cell
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from IPython.core.error import UsageError

from jupyter_docchat import DocIndex
from jupyter_docchat.errors import SettingError
from jupyter_docchat.retrieval.langchain_retriever import SearchRetriever
from jupyter_docchat.settings import LIMITS, Settings, check_setting

# A value past each end of each limit (and of the wrong kind).
OUT_OF_LIMITS = {
    "k": [0, -1, 51, 2.5], "chunk_size": [49, 0], "chunk_overlap": [-1], "temperature": [-0.1, 2.5, math.nan],
    "history_turns": [-1, 101], "max_retries": [-1, 21], "max_tokens": [15, 0, 32769], "timeout": [0, -5.0], "lock_timeout": [-1.0],
}


@pytest.fixture
def magics(ip):
    magics = ip.magics_manager.registry["DocChat"]
    yield magics
    for name in [*LIMITS, "collection", "embeddings", "base_url", "server"]:
        magics.set_trait(name, magics.trait_defaults(name))


def test_every_limited_setting_has_out_of_limit_cases() -> None:
    assert set(OUT_OF_LIMITS) == set(LIMITS)


@pytest.mark.parametrize("name, bad", [(n, v) for n, values in OUT_OF_LIMITS.items() for v in values])
def test_config_refuses_an_out_of_limit_value_and_keeps_the_old_one(ip, magics, caplog, name: str, bad) -> None:
    before = getattr(magics, name)
    result, error = run_cell(ip, f"%config DocChat.{name} = {bad!r}".replace("nan", "float('nan')"))
    assert error is None  # %config says the TraitError itself, in one line
    assert getattr(magics, name) == before
    with pytest.raises(SettingError) as raised:
        Settings(**{name: bad})
    if isinstance(bad, int) or name in ("temperature", "timeout", "lock_timeout"):  # not a trait type error
        assert str(raised.value) in caplog.text


def test_config_k_minus_one_no_longer_gives_every_chunk(indexed, magics, caplog) -> None:
    run_cell(indexed, "%config DocChat.k = -1")
    assert "k must be a whole number between 1 and 50, not -1" in caplog.text and magics.k == 5
    result, error = run_cell(indexed, "%%ask --no-stream\nWhat is the standard deposit insurance amount?")
    assert error is None and len(result.result.turn.sources) <= 5


def test_names_and_urls_are_checked_where_set(ip, magics, caplog) -> None:
    for name, bad in [("collection", "a b"), ("embeddings", "word2vec"), ("base_url", "localhost:8080"),
                      ("base_url", "ftp://models.example"), ("server", "ftp://chroma.example")]:
        before = getattr(magics, name)
        run_cell(ip, f"%config DocChat.{name} = {bad!r}")
        assert getattr(magics, name) == before, name
    assert "invalid collection name 'a b'" in caplog.text and "unknown embeddings 'word2vec'" in caplog.text
    assert "base_url must be an http:// or https:// URL" in caplog.text
    run_cell(ip, "%config DocChat.server = 'localhost:8000'")  # Chroma's host:port form stays allowed
    assert magics.server == "localhost:8000"


def test_a_url_with_a_key_in_it_is_refused_without_repeating_it(ip, magics, caplog) -> None:
    run_cell(ip, "%config DocChat.base_url = 'ftp://user:sk-SECRET-123@host'")
    assert "base_url must be" in caplog.text and "sk-SECRET-123" not in caplog.text


def test_chunk_overlap_stays_below_the_chunk_size(ip, magics, caplog) -> None:
    run_cell(ip, "%config DocChat.chunk_size = 100")  # the overlap is 100: refused, and says what to do
    assert magics.chunk_size == 800 and "set DocChat.chunk_overlap lower first" in caplog.text
    run_cell(ip, "%config DocChat.chunk_overlap = 800")
    assert magics.chunk_overlap == 100
    run_cell(ip, "%config DocChat.chunk_overlap = 20")
    run_cell(ip, "%config DocChat.chunk_size = 100")
    assert (magics.chunk_size, magics.chunk_overlap) == (100, 20)
    with pytest.raises(SettingError, match="chunk overlap must be below the chunk size"):
        Settings(chunk_size=100, chunk_overlap=100)


def test_a_bad_environment_variable_is_named_not_ignored(ip, corpus: Path, monkeypatch) -> None:
    monkeypatch.setenv("DOCCHAT_CHUNK_SIZE", "eight hundred")
    _, error = run_cell(ip, f"%docchat_index {corpus} --quiet")
    assert isinstance(error, UsageError) and str(error) == "$DOCCHAT_CHUNK_SIZE must be a whole number, not 'eight hundred'"
    monkeypatch.setenv("DOCCHAT_CHUNK_SIZE", "10")
    _, error = run_cell(ip, f"%docchat_index {corpus} --quiet")
    assert isinstance(error, UsageError) and "chunk size must be a whole number of at least 50 characters" in str(error)


def test_magic_options_are_checked_by_the_same_limits(indexed) -> None:
    for cell, message in [("%docchat_chat --k 0", "k must be a whole number between 1 and 50, not 0"),
                          ("%docchat_index docs --chunk-size 20", "chunk size must be a whole number of at least 50"),
                          ("%docchat_index docs --chunk-overlap -3", "chunk overlap must be a whole number of at least 0"),
                          ("%ask --k 51 why?", "k must be a whole number between 1 and 50, not 51")]:
        _, error = run_cell(indexed, cell)
        assert isinstance(error, UsageError) and message in str(error), (cell, error)


def test_the_api_refuses_a_bad_k(corpus: Path, tmp_path: Path) -> None:
    index = DocIndex(tmp_path / "store")
    index.update(corpus)
    assert len(index.search("deposit insurance", k=3)) == 3
    for bad in (-1, 0, 51, True, "3", 2.5):
        with pytest.raises(SettingError, match="k must be a whole number between 1 and 50"):
            index.search("deposit insurance", k=bad)
        with pytest.raises(SettingError):
            index.as_retriever(k=bad)
        with pytest.raises(SettingError):
            SearchRetriever(searcher=index, k=bad)
    retriever = index.as_retriever(k=2)
    assert len(retriever.invoke("deposit insurance")) == 2
    with pytest.raises(SettingError):
        retriever.invoke("deposit insurance", k=-1)
    retriever.k = -1  # pydantic does not check assignments: the search does
    with pytest.raises(SettingError):
        retriever.invoke("deposit insurance")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(k=st.integers(-1000, 1000) | st.floats(allow_nan=True) | st.booleans())
def test_every_front_end_agrees_on_k(magics, k) -> None:
    """The trait, Settings and the retriever accept exactly the same k: one source of truth."""
    verdicts = []
    for check in (lambda: Settings(k=k), lambda: SearchRetriever(searcher=None, k=k), lambda: check_setting("k", k)):
        try:
            check()
            verdicts.append(True)
        except SettingError:
            verdicts.append(False)
    try:
        magics.k = k
        verdicts.append(True)
    except Exception:
        verdicts.append(False)
    magics.k = 5
    assert len(set(verdicts)) == 1, (k, verdicts)
    whole = type(k) is int or (type(k) is float and k.is_integer())  # 2.0 is taken as 2, as traitlets' Int does
    assert verdicts[0] == (whole and 1 <= k <= 50)


def test_a_refused_value_does_not_stop_the_extension_loading_again(ip, magics, capsys) -> None:
    """IPython's %config keeps a statement in the shell's config even when DocChat refused it: the
    next %load_ext met it there and failed with a TraitError."""
    run_cell(ip, "%config DocChat.max_retries = 21")
    run_cell(ip, "%config DocChat.chunk_overlap = 20")
    run_cell(ip, "%config DocChat.chunk_size = 100")  # valid with the overlap set before it
    _, error = run_cell(ip, "%reload_ext docchat")
    assert error is None
    said = capsys.readouterr().err
    assert said.startswith("docchat: left out DocChat.") and "DocChat.max_retries" in said and said.count("\n") == 1
    assert "chunk" not in said
    reloaded = ip.magics_manager.registry["DocChat"]
    assert reloaded.max_retries == 2 and (reloaded.chunk_size, reloaded.chunk_overlap) == (100, 20)
    for name in ("chunk_size", "chunk_overlap"):
        reloaded.set_trait(name, reloaded.trait_defaults(name))
        del ip.config.DocChat[name]

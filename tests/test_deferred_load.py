"""A background update loads Chroma and the embedding model after its keyword pass, and still stops on a
bad embedding setting before anything is written (a real store, a real DocIndex, the real model)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

import jupyter_docchat.index as index_module
from jupyter_docchat import DocIndex
from jupyter_docchat.errors import EmbeddingError
from jupyter_docchat.store import embedding_names, embeddings
from test_index import consistent


def wait_for(predicate, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def nothing_written(store: Path) -> bool:
    return DocIndex(store).status() == [] and not (store / "chroma").exists()


@pytest.mark.parametrize("background", [True, False])
def test_a_missing_key_stops_the_update_before_anything_is_written(corpus, tmp_path, monkeypatch, background) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    store = tmp_path / "store"
    with pytest.raises(EmbeddingError, match="needs an API key"):
        DocIndex(store, embeddings="openai:text-embedding-3-small").update(corpus, background=background)
    assert nothing_written(store)


def test_a_missing_model_package_stops_a_background_update_before_anything_is_written(corpus, tmp_path,
                                                                                    monkeypatch) -> None:
    monkeypatch.setattr(embedding_names, "MINILM_MODULES", (*embedding_names.MINILM_MODULES, "docchat_no_such_module"))
    store = tmp_path / "store"
    with pytest.raises(EmbeddingError, match="needs docchat_no_such_module"):
        DocIndex(store).update(corpus, background=True)
    assert nothing_written(store)


def test_keyword_search_is_ready_before_chroma_and_the_model_load(corpus, tmp_path, monkeypatch) -> None:
    """Chroma's open and the model's load wait on the test: keyword search must already cover every file."""
    let_load = threading.Event()
    asked: list[str] = []
    real_model, real_client = embeddings._shared_minilm, index_module.open_client

    def gated(name, real):
        def load(*args, **kwargs):
            asked.append(name)
            assert let_load.wait(120), "the test never let it load"
            return real(*args, **kwargs)
        return load

    monkeypatch.setattr(embeddings, "_shared_minilm", gated("model", real_model))
    monkeypatch.setattr(index_module, "open_client", gated("chroma", real_client))
    store = tmp_path / "store"
    index = DocIndex(store)
    reports: list = []
    errors: list[BaseException] = []

    def update() -> None:
        try:
            reports.append(index.update(corpus, background=True))
        except BaseException as exc:  # noqa: BLE001 (shown by the assertion below)
            errors.append(exc)

    updating = threading.Thread(target=update)
    updating.start()
    try:
        wait_for(lambda: asked or errors or reports)  # the update asked for Chroma or the model: its keyword pass is over
        assert not errors and not reports
        reader = DocIndex(store)
        hits = reader.search("standard deposit insurance amount per depositor", k=3, mode="lexical")
        assert "deposit_insurance.pdf" in [h.source for h in hits]
        assert {h.source for h in reader.search("interest rates", k=20, mode="lexical")} >= {"interest_rates.txt"}
        assert reader.vectors_waiting() == reader.catalog.chunk_count("docs") > 10  # every chunk, no vector yet
        reader.close()
    finally:
        let_load.set()
        updating.join(120)
    assert not errors, errors
    report = reports[0]
    assert report.background and report.added == 6 and 0 < report.setup_seconds <= report.lexical_seconds
    index.job.join(120)
    assert index.job.state == "done" and consistent(index) == report.chunks_total
    assert DocIndex(store).update(corpus).unchanged == 6

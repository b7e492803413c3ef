"""Incremental indexing on a real on-disk Chroma store with the real ONNX model."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import first_update

from jupyter_docchat import DocIndex, IndexOptions
from jupyter_docchat.indexing import fill, ingest
from jupyter_docchat.store.catalog import Catalog
from jupyter_docchat.store.embeddings import make_embeddings
from jupyter_docchat.errors import EmbeddingMismatchError, FolderError, NoIndexError, StoreLockedError


def embedded_during(fn):
    model = make_embeddings("minilm")
    before = model.texts_embedded
    result = fn()
    return result, model.texts_embedded - before


def consistent(index: DocIndex) -> int:
    """Chroma and the catalog hold exactly the same chunk ids, each once; returns how many."""
    got = index.vectors().collection.get(include=[])
    ids = got["ids"]
    rows = [r[0] for r in index.catalog.db.execute("SELECT id FROM chunks WHERE collection=?", (index.collection,))]
    assert len(ids) == len(set(ids))
    assert sorted(ids) == sorted(rows)
    assert not index.catalog.pending(index.collection)
    assert index.vectors_waiting() == 0
    return len(ids)


def fresh_count(folder: Path, tmp_path: Path) -> int:
    return first_update(folder, tmp_path / "reference")[0].chunks_total


def test_first_run_then_unchanged_costs_no_embedding(corpus: Path, tmp_path: Path) -> None:
    index = DocIndex(tmp_path / "store")
    report, embedded = embedded_during(lambda: index.update(corpus))
    assert report.added == 6 and report.updated == report.removed == 0
    assert report.chunks_total == consistent(index) == embedded == report.embedded > 6
    again, embedded = embedded_during(lambda: index.update(corpus))
    assert embedded == 0 and again.unchanged == 6 and again.added == again.updated == 0
    assert again.chunks_total == report.chunks_total
    assert "6 unchanged" in again.summary()


def test_edit_reembeds_only_new_text(corpus: Path, tmp_path: Path) -> None:
    index = DocIndex(tmp_path / "store")
    index.update(corpus)
    md = corpus / "svb_collapse.md"
    md.write_text(md.read_text() + "\n## Aftermath\n\nThe bank's parent company filed for bankruptcy on March 17, 2023.\n")
    report, embedded = embedded_during(lambda: index.update(corpus))
    assert report.updated == 1 and report.unchanged == 5
    assert 1 <= embedded < len(index.catalog.files("docs")) + 5
    assert report.reused > 0  # untouched sections of the edited file kept their vectors
    assert consistent(index) == fresh_count(corpus, tmp_path)
    hits = index.search("When did the parent company file for bankruptcy?", k=3)
    assert any("bankruptcy" in h.text for h in hits)


def test_a_store_made_by_older_readers_is_read_again_keeping_its_vectors(corpus: Path, tmp_path: Path) -> None:
    from jupyter_docchat.indexing.readers import READERS_VERSION

    index = DocIndex(tmp_path / "store")
    first = index.update(corpus)
    options = index.catalog.options("docs")
    assert options["readers"] == READERS_VERSION
    index.catalog.set_options("docs", {**options, "readers": READERS_VERSION - 1})  # as an older docchat left it
    (corpus / "notes.txt").write_text("A new note about deposit insurance.\n")  # a change a refresh would see
    assert index.refresh(background_min=10**6).reread is False  # the check before a question reads only what changed
    assert index.catalog.options("docs")["readers"] == READERS_VERSION - 1
    again, embedded = embedded_during(lambda: index.update(corpus))
    assert again.reread and again.updated == first.added + 1 and again.unchanged == 0
    assert embedded == 0 and again.reused == again.chunks_total  # same texts, same vectors
    assert "read every file again" in again.summary()
    assert index.catalog.options("docs")["readers"] == READERS_VERSION
    assert consistent(index) == fresh_count(corpus, tmp_path)
    third = index.update(corpus)
    assert not third.reread and third.unchanged == first.added + 1


def test_an_interrupted_re_read_is_taken_up_by_the_next_update(corpus: Path, tmp_path: Path, monkeypatch) -> None:
    from jupyter_docchat.indexing.readers import READERS_VERSION

    index = DocIndex(tmp_path / "store")
    first = index.update(corpus)
    index.catalog.set_options("docs", {**index.catalog.options("docs"), "readers": READERS_VERSION - 1})
    monkeypatch.setattr(ingest, "GROUP_CHUNKS", 3)
    real = ingest.Updater._stage_group
    calls = {"n": 0}

    def flaky(self, *args):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real(self, *args)

    monkeypatch.setattr(ingest.Updater, "_stage_group", flaky)
    with pytest.raises(KeyboardInterrupt):
        index.update(corpus)
    assert index.catalog.options("docs")["readers"] == READERS_VERSION - 1
    monkeypatch.setattr(ingest.Updater, "_stage_group", real)
    again = DocIndex(tmp_path / "store").update(corpus)
    assert again.reread and again.updated == first.added
    assert index.catalog.options("docs")["readers"] == READERS_VERSION
    assert consistent(index) == fresh_count(corpus, tmp_path)


def test_another_chunk_size_cuts_every_file_again(corpus: Path, tmp_path: Path) -> None:
    index = DocIndex(tmp_path / "store")
    first = index.update(corpus)
    smaller = index.update(corpus, IndexOptions(chunk_size=300, chunk_overlap=50))
    assert smaller.reread and smaller.updated == first.added
    assert smaller.chunks_total > first.chunks_total
    assert consistent(index) == smaller.chunks_total


def test_delete_and_rename(corpus: Path, tmp_path: Path) -> None:
    index = DocIndex(tmp_path / "store")
    first = index.update(corpus)
    (corpus / "interest_rates.txt").unlink()
    report = index.update(corpus)
    assert report.removed == 1 and report.chunks_total < first.chunks_total
    assert all(h.source != "interest_rates.txt" for h in index.search("bond duration interest rates", k=10))
    (corpus / "svb_collapse.md").rename(corpus / "svb_story.md")
    report, embedded = embedded_during(lambda: index.update(corpus))
    assert report.added == 1 and report.removed == 1 and embedded == 0
    assert consistent(index) == fresh_count(corpus, tmp_path)
    assert {h.source for h in index.search("Silicon Valley Bank run", k=5)} >= {"svb_story.md"}


def test_keyboard_interrupt_mid_batch_then_rerun_is_exact(corpus: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(ingest, "GROUP_CHUNKS", 3)
    monkeypatch.setattr(fill, "BATCH", 4)
    model = make_embeddings("minilm")
    real = type(model).embed_documents
    calls = {"n": 0}

    def flaky(self, texts):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(self, texts)

    monkeypatch.setattr(type(model), "embed_documents", flaky)
    index = DocIndex(tmp_path / "store")
    with pytest.raises(KeyboardInterrupt):
        index.update(corpus)
    waiting = index.vectors_waiting()
    assert 0 < waiting < index.catalog.chunk_count("docs")  # two batches were stored, the rest wait
    monkeypatch.setattr(type(model), "embed_documents", real)
    report = DocIndex(tmp_path / "store").update(corpus)
    assert report.added + report.unchanged == 6
    assert consistent(index) == fresh_count(corpus, tmp_path)


def test_crash_between_chroma_and_catalog_is_recovered(corpus: Path, tmp_path: Path, monkeypatch) -> None:
    index = DocIndex(tmp_path / "store")
    index.update(corpus)
    (corpus / "interest_rates.txt").write_text("Completely new text about yield curves and inversion of rates.\n")
    real = Catalog.replace_sources

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(Catalog, "replace_sources", crash)
    with pytest.raises(KeyboardInterrupt):
        index.update(corpus)
    monkeypatch.setattr(Catalog, "replace_sources", real)
    report = index.update(corpus)
    assert report.added == 1  # its old record was cleaned up as pending, so it comes back as new
    assert consistent(index) == fresh_count(corpus, tmp_path)


def test_corrupt_pdf_is_skipped_and_named(corpus: Path, tmp_path: Path) -> None:
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<>> garbage")
    report = DocIndex(tmp_path / "store").update(corpus)
    assert report.added == 6 and report.skipped_files == [("broken.pdf", report.skipped_files[0][1])]
    assert "broken.pdf" in report.summary() and "PDF" in report.summary()


def test_unknown_and_binary_files_are_counted(corpus: Path, tmp_path: Path) -> None:
    (corpus / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (corpus / "weird.txt").write_bytes(b"text\x00with nul")
    (corpus / "node_modules").mkdir()
    (corpus / "node_modules" / "x.js").write_text("var x = 1;")
    (corpus / ".hidden").mkdir()
    (corpus / ".hidden" / "x.md").write_text("# secret")
    report = DocIndex(tmp_path / "store").update(corpus)
    assert report.added == 6 and report.skipped["unsupported type"] == 1 and report.skipped["binary"] == 1


def test_globs_and_excludes(corpus: Path, tmp_path: Path) -> None:
    report = DocIndex(tmp_path / "a").update(corpus, IndexOptions(globs=["*.md", "*.txt"]))
    assert report.added == 2
    report = DocIndex(tmp_path / "b").update(corpus, IndexOptions(excludes=["*.pdf", "*.ipynb"]))
    assert report.added == 4


def test_missing_empty_and_not_indexed(tmp_path: Path) -> None:
    index = DocIndex(tmp_path / "store")
    with pytest.raises(FolderError, match="folder not found"):
        index.update(tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(FolderError, match="no files"):
        index.update(tmp_path / "empty")
    with pytest.raises(NoIndexError, match="index a folder first") as raised:
        index.search("anything")
    assert raised.value.remedy == "index" and "%" not in str(raised.value)  # each front end adds its command


def test_model_mismatch_suggests_rebuild(corpus: Path, tmp_path: Path) -> None:
    DocIndex(tmp_path / "store").update(corpus)
    other = DocIndex(tmp_path / "store", embeddings="openai:text-embedding-3-small")
    with pytest.raises(EmbeddingMismatchError, match="--rebuild"):
        other.update(corpus)
    with pytest.raises(EmbeddingMismatchError, match="minilm"):
        other.search("bank")
    # Reopening without naming a model uses the recorded one: never Chroma's downloading default.
    assert DocIndex(tmp_path / "store").search("bank run", k=1)


def test_rebuild_starts_over(corpus: Path, tmp_path: Path) -> None:
    index = DocIndex(tmp_path / "store")
    first = index.update(corpus)
    report, embedded = embedded_during(lambda: DocIndex(tmp_path / "store").update(corpus, IndexOptions(rebuild=True)))
    assert report.added == 6 and embedded == first.chunks_total == report.chunks_total


def test_search_hits_carry_location_and_scores(corpus: Path, tmp_path: Path) -> None:
    index = DocIndex(tmp_path / "store")
    index.update(corpus)
    hits = index.search("standard deposit insurance amount per depositor", k=3)
    top = hits[0]
    assert top.source == "deposit_insurance.pdf" and top.page == 1 and top.location == "p. 1"
    assert top.score > 0 and top.dense is not None and top.lexical is not None
    assert top.path.endswith("docs/deposit_insurance.pdf")
    for mode in ("dense", "lexical"):
        assert index.search("deposit insurance $250,000", k=2, mode=mode)


_HOLDER = textwrap.dedent("""
    import sys, time
    from filelock import FileLock
    lock = FileLock(sys.argv[1]); lock.acquire(); print("locked", flush=True); time.sleep(3600)
""")


def test_lock_held_by_another_process_gives_a_clear_error(corpus: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    store.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, str(store / "write.lock")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        with pytest.raises(StoreLockedError, match="another process"):
            DocIndex(store, lock_timeout=1).update(corpus)
        assert time.monotonic() - started < 120  # waited about lock_timeout, not forever
    finally:
        holder.kill()
        holder.wait()
    assert DocIndex(store, lock_timeout=1).update(corpus).added == 6


def test_two_processes_indexing_at_once_keep_one_copy(corpus: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    cmd = [sys.executable, "-m", "jupyter_docchat.cli", "--store", str(store), "index", str(corpus), "--quiet"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=240) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    summaries = sorted(o[0] for o in outs)
    assert any("6 added" in s for s in summaries) and any("6 unchanged" in s for s in summaries)
    index = DocIndex(store)
    assert consistent(index) == fresh_count(corpus, tmp_path)

"""Keyword search first, vectors behind: the two passes of an update, on a real store and model.

The embedding model is gated (it waits for the test to let each batch through), so what a
user sees while vectors are still missing is checked deterministically.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from jupyter_docchat import DocIndex
from jupyter_docchat.indexing import fill, reading
from jupyter_docchat.qa.conversation import Conversation
from jupyter_docchat.store.embeddings import make_embeddings
from jupyter_docchat.errors import StoreLockedError
from jupyter_docchat.views.answer import AnswerView
from jupyter_docchat.settings import Settings
from test_index import consistent


@pytest.fixture
def gate(monkeypatch):
    """Each embedding batch waits for one release of the semaphore."""
    model = make_embeddings("minilm")
    real = type(model).embed_documents
    permits = threading.Semaphore(0)

    def gated(self, texts):
        if not permits.acquire(timeout=60):
            raise TimeoutError("the test never let this batch through")
        return real(self, texts)

    monkeypatch.setattr(type(model), "embed_documents", gated)
    monkeypatch.setattr(fill, "BATCH", 4)
    return permits


def wait_for(predicate, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_keyword_search_and_answers_work_before_any_vector_then_all_is_consistent(corpus, tmp_path, gate) -> None:
    store = tmp_path / "store"
    index = DocIndex(store)
    report = index.update(corpus, background=True)
    assert report.background and report.added == 6
    assert report.vectors_waiting == report.chunks_total > 10 and index.job.is_alive()
    assert "waiting for vectors (filling in the background)" in report.summary()

    hits = index.search("standard deposit insurance amount per depositor", k=3)
    assert "deposit_insurance.pdf" in [h.source for h in hits]
    assert all(h.dense is None and h.lexical for h in hits)  # found by words alone

    settings = Settings(store=store, model="extractive")
    turn = Conversation(index, settings).ask("What is the standard deposit insurance amount?", [])
    assert turn.vectors_waiting == report.chunks_total and turn.sources
    assert "searched by keywords only" in AnswerView(turn).to_html()

    with pytest.raises(StoreLockedError):  # the pass holds the write lock until it is done
        DocIndex(store, lock_timeout=0.3).update(corpus)

    for _ in range(1000):
        gate.release()
    index.job.join(120)
    assert index.job.state == "done" and index.job.done == report.chunks_total
    assert consistent(index) == report.chunks_total
    hits = index.search("standard deposit insurance amount per depositor", k=3)
    assert all(h.dense is not None for h in hits)
    turn = Conversation(index, settings).ask("What is the standard deposit insurance amount?", [])
    assert turn.vectors_waiting == 0 and "keywords only" not in AnswerView(turn).to_html()

    again = DocIndex(store).update(corpus)
    assert again.unchanged == 6 and again.embedded == 0 and again.vectors_waiting == 0


def test_stopping_the_pass_keeps_finished_batches_and_the_next_run_resumes(corpus, tmp_path, gate, monkeypatch) -> None:
    index = DocIndex(tmp_path / "store")
    report = index.update(corpus, background=True)
    gate.release()
    gate.release()
    wait_for(lambda: index.job.done == 8)
    stopper = threading.Thread(target=index.stop_filling)
    stopper.start()
    wait_for(lambda: index.job.stop_event.is_set())
    gate.release()  # the batch in flight finishes, then the pass stops
    stopper.join(60)
    assert index.job.state == "stopped" and index.job.done == 12
    assert index.vectors_waiting() == report.chunks_total - 12
    stored = index.vectors().collection.get(include=[])["ids"]
    assert len(stored) == 12  # exactly what was embedded, nothing half-written

    monkeypatch.undo()  # the real model again
    resumed = DocIndex(tmp_path / "store").update(corpus)
    assert resumed.unchanged == 6 and resumed.embedded == report.chunks_total - 12
    assert consistent(index) == report.chunks_total


def test_a_new_update_stops_and_resumes_our_own_background_pass(corpus, tmp_path, gate) -> None:
    index = DocIndex(tmp_path / "store")
    first = index.update(corpus, background=True)
    (corpus / "interest_rates.txt").unlink()
    for _ in range(1000):
        gate.release()
    second = index.update(corpus)  # stops the pass (after its batch), then does everything itself
    assert second.removed == 1 and second.vectors_waiting == 0 and not second.background
    assert consistent(index) == second.chunks_total < first.chunks_total


def test_small_updates_do_not_bother_with_a_background_pass(corpus, tmp_path) -> None:
    index = DocIndex(tmp_path / "store")
    report = index.update(corpus, background=1000)
    assert not report.background and index.job is None and report.embedded == report.chunks_total
    assert consistent(index) == report.chunks_total


def test_reading_in_worker_processes_gives_the_same_chunks(corpus, tmp_path, monkeypatch) -> None:
    inline = DocIndex(tmp_path / "inline")
    inline.update(corpus)
    monkeypatch.setattr(reading, "POOL_MIN_BYTES", 0)
    monkeypatch.setattr(reading, "POOL_MIN_FILES", 0)
    monkeypatch.setattr(reading, "AHEAD", 2)  # workers are handed files as results are taken
    spawned: list[bool] = []
    real = reading._pool_shape

    def shape(todo: list, sizes: list) -> reading.PoolShape | None:
        found = real(todo, sizes)
        spawned.append(found is not None)
        return found

    monkeypatch.setattr(reading, "_pool_shape", shape)
    pooled = DocIndex(tmp_path / "pooled")
    report = pooled.update(corpus)
    assert spawned == [True] and report.added == 6

    def rows(index: DocIndex) -> list:
        return sorted(index.catalog.db.execute("SELECT id, heading, text, meta FROM chunks"))

    assert rows(pooled) == rows(inline)
    assert consistent(pooled) == report.chunks_total


def test_after_a_stopped_pass_answers_say_so_and_the_resumed_run_counts_true_figures(corpus, tmp_path, gate) -> None:
    store = tmp_path / "store"
    index = DocIndex(store)
    report = index.update(corpus, background=True)
    assert index.filling()
    gate.release()  # one batch of 4, then stop: the rest waits
    wait_for(lambda: index.job.done >= 4)
    stopper = threading.Thread(target=index.stop_filling)
    stopper.start()
    gate.release()
    stopper.join(60)
    waiting = index.vectors_waiting()
    assert 0 < waiting < report.chunks_total and not index.filling(), (waiting, index.job.state, index.job.error, index.job.done)

    turn = Conversation(index, Settings(store=store, model="extractive")).ask("What is the deposit insurance amount?", [])
    assert turn.vectors_waiting == waiting and not turn.filling
    note = AnswerView(turn).to_html()
    assert "still computing" not in note and "index the folder again to finish" in note
    assert "index the folder again to finish (run docchat index &lt;folder&gt;)" in AnswerView(
        turn, commands={"finish_index": "run docchat index <folder>"}).to_html()  # each front end adds its command

    for _ in range(1000):
        gate.release()
    resumed = DocIndex(store).update(corpus)
    assert resumed.unchanged == 6 and resumed.embedded == waiting and resumed.vectors_waiting == 0
    line = resumed.summary()
    assert f"{waiting} chunks embedded or reused ({waiting} embedded" in line
    assert resumed.chunks_per_second > 0 and "0.0 chunks/s" not in line


_ENDS_WHILE_FILLING = """
import sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from synthetic import make_corpus
from jupyter_docchat import DocIndex

folder = make_corpus(Path(sys.argv[1]), files=30)
index = DocIndex(sys.argv[2])
report = index.update(folder, background=True)
deadline = time.monotonic() + 120
while index.job.done == 0 and index.job.is_alive() and time.monotonic() < deadline:
    time.sleep(0.05)  # the model is computing vectors now
print("alive at exit", index.job.is_alive(), index.job.done, report.vectors_waiting, flush=True)
"""


def test_a_script_that_ends_while_vectors_are_computed_exits_cleanly_and_the_next_run_resumes(tmp_path) -> None:
    import subprocess
    import sys

    store = tmp_path / "store"
    run = subprocess.run([sys.executable, "-c", _ENDS_WHILE_FILLING, str(tmp_path / "docs"), str(store),
                          str(Path(__file__).parent)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0 and "terminate called" not in run.stderr, (run.returncode, run.stderr[-2000:])
    _, alive, done, waiting = run.stdout.rsplit(" ", 3)
    assert alive.endswith("True") and 0 < int(done) < int(waiting)  # it really ended mid-pass
    index = DocIndex(store)
    assert 0 < index.vectors_waiting() < int(waiting)  # finished batches kept, the rest waits
    report = index.update(tmp_path / "docs")
    assert report.unchanged == 30 and report.vectors_waiting == 0
    assert consistent(index) == report.chunks_total

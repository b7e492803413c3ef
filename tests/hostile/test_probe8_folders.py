"""Probe 8: what a folder holds besides documents, and what the store holds besides its own files."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import write_tree

from jupyter_docchat import DocIndex


def test_a_loop_of_links_is_named_and_the_rest_indexed(tmp_path: Path) -> None:
    docs = write_tree(tmp_path / "docs", {"notes.md": "# Rates\n\nThe deposit rate is four percent.\n"})
    os.symlink("loop2", docs / "loop1")
    os.symlink("loop1", docs / "loop2")
    os.symlink("self", docs / "self")
    index = DocIndex(tmp_path / "store")
    report = index.update(docs)  # failed whole: "the store at ... failed: Symlink loop from '.../loop1'"
    assert report.added == 1
    assert sorted(report.skipped_files) == [("loop1", "link loop"), ("loop2", "link loop"), ("self", "link loop")]
    assert index.search("deposit rate", k=1)[0].source == "notes.md"
    index.close()


def _indexed(tmp_path: Path) -> DocIndex:
    docs = write_tree(tmp_path / "docs", {"notes.md": "# Rates\n\nThe deposit rate is four percent.\n"})
    index = DocIndex(tmp_path / "store")
    index.update(docs)
    index.close()
    return index


def _searched_within(store: Path, seconds: float) -> list:
    """The sources a fresh process-like index finds, or a failure when it blocks."""
    import threading

    found: list = []

    def search() -> None:
        index = DocIndex(store)
        found.extend(hit.source for hit in index.search("deposit rate", k=1))

    worker = threading.Thread(target=search, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "the search blocked"
    return found


def test_a_fifo_or_an_endless_file_in_place_of_the_writer_mark_blocks_no_search(tmp_path: Path) -> None:
    _indexed(tmp_path)
    mark = tmp_path / "store" / "chroma" / "docchat-writer"
    mark.unlink()
    os.mkfifo(mark)  # every search read it, and blocked until a writer came
    try:
        assert _searched_within(tmp_path / "store", 30) == ["notes.md"]
    finally:
        with open(os.open(mark, os.O_RDWR | os.O_NONBLOCK), "w"):  # let a blocked reader go
            pass
    mark.unlink()
    mark.symlink_to("/dev/zero")  # read to the end: never
    assert _searched_within(tmp_path / "store", 30) == ["notes.md"]


def test_a_fifo_in_place_of_the_writer_mark_blocks_no_update(tmp_path: Path) -> None:
    import threading

    _indexed(tmp_path)
    mark = tmp_path / "store" / "chroma" / "docchat-writer"
    mark.unlink()
    os.mkfifo(mark)  # opened for writing, it blocked the update until a reader came
    (tmp_path / "docs" / "more.md").write_text("# Loans\n\nThe loan rate is six percent.\n")
    reports: list = []
    worker = threading.Thread(target=lambda: reports.append(DocIndex(tmp_path / "store").update(tmp_path / "docs")),
                              daemon=True)
    worker.start()
    worker.join(60)
    if worker.is_alive():
        with open(os.open(mark, os.O_RDONLY | os.O_NONBLOCK)):  # let the blocked writer go
            pass
        worker.join(10)
        raise AssertionError("the update blocked")
    assert reports[0].added == 1 and mark.is_file()


def test_a_name_with_a_line_break_stays_on_the_reading_bars_line(tmp_path: Path, capsys) -> None:
    docs = write_tree(tmp_path / "docs", {"evil\nFORGED.md": "# Rates\n\nThe deposit rate is four percent.\n"})
    index = DocIndex(tmp_path / "store")
    index.update(docs, progress=True)
    index.close()
    shown = capsys.readouterr().err
    assert "evil\\nFORGED.md: " in shown
    assert not any(line.startswith("FORGED") for line in shown.split("\n"))


def test_a_collection_deleted_inside_chroma_shows_in_the_status_and_the_answer(tmp_path: Path) -> None:
    index = _indexed(tmp_path)
    index.client.delete_collection("docs")  # as any Chroma client may
    fresh = DocIndex(tmp_path / "store")
    assert [c.waiting for c in fresh.status()] == [1]  # said nothing until the next update
    assert fresh.search("deposit rate", k=1)[0].source == "notes.md"  # by words (Chroma makes an empty collection)
    assert [c.waiting for c in fresh.status()] == [1]
    answer = fresh.ask("What is the deposit rate?", model="extractive")
    assert answer.vectors_waiting == 1  # "searched by keywords only: index the folder again to finish"
    fresh.update(tmp_path / "docs")
    assert [c.waiting for c in fresh.status()] == [0]
    assert fresh.ask("What is the deposit rate?", model="extractive").vectors_waiting == 0
    fresh.close()
    index.close()


def test_a_folder_in_place_of_the_lock_says_so_not_read_only(tmp_path: Path) -> None:
    import pytest

    from jupyter_docchat.errors import StoreError

    index = _indexed(tmp_path)
    lock = tmp_path / "store" / "write.lock"
    lock.unlink()
    lock.mkdir()
    with pytest.raises(StoreError, match=r"its lock .*write.lock is not a file \(a folder or a link\): move it aside"):
        DocIndex(tmp_path / "store").update(tmp_path / "docs")  # "Is a directory (is it read-only?)"
    lock.rmdir()
    assert DocIndex(tmp_path / "store").update(tmp_path / "docs").unchanged == 1
    index.close()


def test_a_gzipped_readme_or_changelog_is_read_as_the_file_it_packs(tmp_path: Path) -> None:
    import gzip

    docs = tmp_path / "pkg"
    docs.mkdir()
    (docs / "README.gz").write_bytes(gzip.compress(b"The vault opens at nine on weekdays.\n"))
    (docs / "changelog.gz").write_bytes(gzip.compress(b"2.0: the reserve ratio is now ten percent.\n"))
    (docs / "data.gz").write_bytes(gzip.compress(b"\x00\x01 not a document"))
    index = DocIndex(tmp_path / "store")
    report = index.update(docs)  # README and changelog were an "unsupported type", as README.txt.gz was not
    assert report.added == 2 and report.skipped_files == [("data.gz", "unsupported type")]
    assert index.search("vault opens", k=1, mode="lexical")[0].source == "README.gz"
    assert index.search("reserve ratio", k=1, mode="lexical")[0].source == "changelog.gz"
    index.close()


def test_openai_embeddings_without_a_model_name_are_refused_in_one_line(tmp_path: Path) -> None:
    import pytest

    from jupyter_docchat.errors import EmbeddingError

    docs = write_tree(tmp_path / "docs", {"notes.md": "The deposit rate is four percent.\n"})
    for name in ("openai:", "openai:  "):
        with pytest.raises(EmbeddingError, match=r"^openai: needs a model name after it: openai:MODEL"):
            DocIndex(tmp_path / "store", embeddings=name, api_key="sk-x").update(docs)
    assert not (tmp_path / "store" / "docchat.sqlite").exists() or not DocIndex(tmp_path / "store").status()

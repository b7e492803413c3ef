"""Chunk rows reach the catalog many to a statement (catalog.ROWS_A_STATEMENT): every row, in order, and each
searchable by its words, whatever the number of chunks and files in a group."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings, strategies as st

from jupyter_docchat.store.catalog import ROWS_A_STATEMENT, Catalog
from jupyter_docchat.types import Chunk


def _word(n: int) -> str:
    """A word FTS5's porter stemmer keeps apart from every other n: letters only."""
    return "w" + "".join("abcdefghij"[int(d)] for d in str(n)) + "x"


def _group(sizes: list[int], tag: str) -> tuple[list[str], list[Chunk], list[tuple[str, str, int, int]]]:
    sources, chunks, files = [], [], []
    n = 0
    for f, size in enumerate(sizes):
        source = f"{tag}{f}.txt"
        sources.append(source)
        for i in range(size):
            chunks.append(Chunk(f"text {_word(n)} here", source, f"hash{tag}{f}", i, heading=f"h {i}"))
            n += 1
        files.append((source, f"hash{tag}{f}", 10, size))
    return sources, chunks, files


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(0, ROWS_A_STATEMENT + 3), min_size=1, max_size=4))
def test_every_row_stored_in_order_and_searchable(tmp_path_factory, sizes: list[int]) -> None:
    catalog = Catalog(Path(tmp_path_factory.mktemp("c")) / "docchat.sqlite")
    try:
        sources, chunks, files = _group(sizes, "a")
        catalog.replace_sources("c", sources, chunks, files, chunks)
        rows = catalog.db.execute("SELECT id FROM chunks WHERE collection='c' ORDER BY rowid").fetchall()
        assert [r[0] for r in rows] == [c.id for c in chunks]
        assert catalog.todo_count("c") == len(chunks)
        for n, chunk in enumerate(chunks):
            assert [hit for hit, _ in catalog.lexical("c", _word(n), 5)] == [chunk.id]
        # Replaced by a second group: the old rows leave the keyword index with their table rows.
        again, fewer, files2 = _group([1] * len(sizes), "a")
        catalog.replace_sources("c", again, fewer, files2, fewer)
        assert catalog.chunk_count("c") == len(fewer)
        assert catalog.db.execute("SELECT COUNT(*) FROM chunks_fts_docsize").fetchone()[0] == len(fewer)
        assert sorted(hit for hit, _ in catalog.lexical("c", "here", 1000)) == sorted(c.id for c in fewer)
    finally:
        catalog.close()


def test_a_duplicate_row_leaves_the_group_unwritten(tmp_path: Path) -> None:
    catalog = Catalog(tmp_path / "docchat.sqlite")
    try:
        sources, chunks, files = _group([ROWS_A_STATEMENT + 5], "d")
        twice = chunks + chunks[-1:]  # the same id twice, in the second statement
        try:
            catalog.replace_sources("c", sources, twice, files, twice)
        except Exception as exc:
            assert "UNIQUE" in str(exc)
        else:
            raise AssertionError("a duplicate chunk id was stored")
        assert catalog.chunk_count("c") == 0
        assert catalog.db.execute("SELECT COUNT(*) FROM chunks_fts_docsize").fetchone()[0] == 0
        assert catalog.lexical("c", "here", 5) == []
    finally:
        catalog.close()


def test_a_server_collection_loaded_many_rows_a_statement_keeps_one_row_and_one_index_entry_an_id(tmp_path: Path) -> None:
    catalog = Catalog(tmp_path / "docchat.sqlite")
    try:
        n = 2 * ROWS_A_STATEMENT + 7

        def page(numbers: range, text: str) -> tuple[list[str], list[str], list[dict]]:
            return ([f"id{i}" for i in numbers], [f"{text} {_word(i)}" for i in numbers],
                    [{"source": f"f{i % 3}.txt", "heading": "h", "text_hash": f"t{i}"} for i in numbers])

        # The second page sends the first page's last ten ids again, with new text: it replaces theirs.
        catalog.load_remote("r", "minilm", "/x", "rev", [page(range(0, n), "old"), page(range(n - 10, n), "new")])
        assert catalog.chunk_count("r") == n
        assert catalog.db.execute("SELECT COUNT(*) FROM chunks_fts_docsize").fetchone()[0] == n
        assert {hit for hit, _ in catalog.lexical("r", "new", 100)} == {f"id{i}" for i in range(n - 10, n)}
        assert len(catalog.lexical("r", "old", 1000)) == n - 10
        assert [hit for hit, _ in catalog.lexical("r", _word(ROWS_A_STATEMENT), 5)] == [f"id{ROWS_A_STATEMENT}"]
    finally:
        catalog.close()

"""The catalog's numbered migrations on stores made by older docchats, damage included."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from test_collections import exact

from jupyter_docchat import DocIndex, IndexOptions
from jupyter_docchat.store import catalog
from jupyter_docchat.store.catalog import Catalog, SerialConnection, migrate

SCHEMA_2 = 2  # the schema that keyed chunks by id alone


def old_store(path: Path, version: int = SCHEMA_2) -> sqlite3.Connection:
    """An empty catalog as a docchat at schema ``version`` made it (the migrations' own texts)."""
    db = sqlite3.connect(path, isolation_level=None)
    for script in catalog.MIGRATIONS[:version]:
        db.executescript(script)
    db.execute(f"PRAGMA user_version = {version}")
    return db


def damage(store: Path, order: list[str]) -> None:
    """The store's catalog written again as schema 2 did, collection by collection in ``order``: chunk rows
    went in with INSERT OR REPLACE on the id alone, so a later collection took an earlier one's rows."""
    good = store.parent / "good.sqlite"
    with sqlite3.connect(store / "docchat.sqlite") as source, sqlite3.connect(good) as copy:
        source.backup(copy)
    source.close()
    copy.close()
    for name in ("docchat.sqlite", "docchat.sqlite-wal", "docchat.sqlite-shm"):
        (store / name).unlink(missing_ok=True)
    db = old_store(store / "docchat.sqlite")
    db.execute("ATTACH ? AS good", (str(good),))
    db.execute("BEGIN")
    for table in ("collections", "files", "file_stats", "collection_options"):
        db.execute(f"INSERT INTO {table} SELECT * FROM good.{table}")
    for name in order:
        db.execute("INSERT OR REPLACE INTO chunks (id, collection, source, text_hash, heading, text, meta) "
                   "SELECT id, collection, source, text_hash, heading, text, meta FROM good.chunks "
                   "WHERE collection=? ORDER BY rowid", (name,))
    db.execute("UPDATE collections SET revision='seen-before'")
    db.execute("COMMIT")
    db.execute("DETACH good")
    db.close()


def test_a_store_a_second_collection_emptied_is_repaired(corpus: Path, tmp_path: Path) -> None:
    alpha_folder = tmp_path / "alpha-docs"
    shutil.copytree(corpus, alpha_folder)
    (alpha_folder / "notes.md").write_text("# Notes\n\nThe FDIC sold the bridge bank to First Citizens BancShares.\n")
    store = tmp_path / "store"
    for name, folder, size in (("alpha", alpha_folder, 1000), ("beta", corpus, 300)):
        index = DocIndex(store, name)
        index.update(folder, IndexOptions(chunk_size=size, chunk_overlap=50))
        index.close()
    whole = {name: exact(DocIndex(store, name)) for name in ("alpha", "beta")}
    damage(store, ["alpha", "beta"])
    raw = sqlite3.connect(store / "docchat.sqlite")
    lost = raw.execute("SELECT COUNT(*) FROM chunks WHERE collection='alpha'").fetchone()[0]
    assert lost == 1 < whole["alpha"]  # the damage as users met it: only notes.md's chunk is left
    raw.close()

    alpha, beta = DocIndex(store, "alpha"), DocIndex(store, "beta")
    db = alpha.catalog.db
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(catalog.MIGRATIONS)
    db.execute("INSERT INTO chunks_fts (chunks_fts, rank) VALUES ('integrity-check', 1)")  # raises if out of step
    assert sorted(alpha.catalog.pending("alpha")) == sorted(p.name for p in corpus.iterdir())
    assert beta.catalog.pending("beta") == []
    assert "notes.md" in alpha.catalog.file_stats("alpha") and len(alpha.catalog.file_stats("alpha")) == 1
    assert dict(db.execute("SELECT name, revision FROM collections")) == {"alpha": None, "beta": "seen-before"}

    repaired = alpha.refresh()  # the check before a question sees the forgotten files
    assert repaired is not None and repaired.added == 6 and repaired.unchanged == 1
    assert exact(alpha) == whole["alpha"]
    again = beta.update(corpus, IndexOptions(chunk_size=300, chunk_overlap=50))
    assert again.unchanged == 6 and again.embedded == 0
    assert exact(beta) == whole["beta"]
    db.execute("INSERT INTO chunks_fts (chunks_fts, rank) VALUES ('integrity-check', 1)")
    hits = alpha.search("How does the standard deposit insurance amount work?", k=3, mode="lexical")
    assert hits[0].source == "deposit_insurance.pdf"


def test_the_migration_leaves_an_undamaged_store_as_it_was(corpus: Path, tmp_path: Path) -> None:
    single = tmp_path / "single"
    single.mkdir()
    (single / "story.md").write_text((corpus / "svb_collapse.md").read_text())  # no file in common
    store = tmp_path / "store"
    for name, folder in (("alpha", corpus), ("beta", single)):
        index = DocIndex(store, name)
        index.update(folder)
        index.close()
    damage(store, ["alpha", "beta"])
    alpha, beta = DocIndex(store, "alpha"), DocIndex(store, "beta")
    assert alpha.catalog.pending("alpha") == [] and beta.catalog.pending("beta") == []
    assert alpha.catalog.db.execute("SELECT revision FROM collections").fetchall() == [("seen-before",)] * 2
    assert alpha.update(corpus).unchanged == 6 and beta.update(single).unchanged == 1
    exact(alpha)
    exact(beta)


def test_the_migration_runs_once_when_another_process_ran_it_meanwhile(tmp_path: Path) -> None:
    path = tmp_path / "docchat.sqlite"
    old_store(path).close()

    class Late(SerialConnection):
        """Reads the version, then another process migrates before this one takes the write lock."""

        raced = False

        def execute(self, sql, params=()):
            rows = super().execute(sql, params)
            if sql == "PRAGMA user_version" and not self.raced:
                self.raced = True
                Catalog(path).close()
            return rows

    late = Late(sqlite3.connect(str(path), timeout=30, isolation_level=None, check_same_thread=False))
    statements: list[str] = []
    late.connection.set_trace_callback(statements.append)
    migrate(late, path)
    assert late.execute("PRAGMA user_version").fetchone()[0] == len(catalog.MIGRATIONS)
    assert not [s for s in statements if "chunks_keyed" in s]  # not done a second time
    late.close()


def test_two_processes_open_an_old_store_at_once(tmp_path: Path) -> None:
    path = tmp_path / "docchat.sqlite"
    db = old_store(path)
    db.execute("INSERT INTO collections (name, embeddings) VALUES ('docs', 'minilm')")
    db.close()
    code = "import sys; from jupyter_docchat.store.catalog import Catalog; Catalog(__import__('pathlib').Path(sys.argv[1])).close()"
    procs = [subprocess.Popen([sys.executable, "-c", code, str(path)], stderr=subprocess.PIPE, text=True) for _ in range(3)]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], errors
    opened = Catalog(path)
    assert opened.db.execute("PRAGMA user_version").fetchone()[0] == len(catalog.MIGRATIONS)
    assert opened.collection("docs") is not None


def test_an_old_store_opens_while_another_process_holds_the_write_lock(tmp_path: Path) -> None:
    """Turning a rollback-journal file to WAL asks for the write lock inside a read transaction, where SQLite does
    not wait: the open waits for the writer instead of failing with "database is locked" (CI saw it)."""
    path = tmp_path / "docchat.sqlite"
    old_store(path).close()
    writer = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO collections (name, embeddings) VALUES ('docs', 'minilm')")
    done = threading.Timer(0.4, lambda: writer.execute("COMMIT"))
    done.start()
    started = time.monotonic()
    opened = Catalog(path)
    done.join()
    assert time.monotonic() - started >= 0.3  # it waited for the writer
    assert opened.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert opened.collection("docs") is not None
    opened.close()
    writer.close()


def test_an_open_that_stays_locked_fails_with_the_store_named(tmp_path: Path, monkeypatch) -> None:
    from jupyter_docchat.errors import StoreError
    path = tmp_path / "docchat.sqlite"
    old_store(path).close()
    monkeypatch.setattr(catalog, "BUSY_TIMEOUT", 0.3)
    writer = sqlite3.connect(str(path), isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    with pytest.raises(StoreError, match="cannot open the store at .*database is locked"):
        Catalog(path)
    writer.execute("ROLLBACK")
    writer.close()
    assert Catalog(path).db.execute("PRAGMA user_version").fetchone()[0] == len(catalog.MIGRATIONS)


def test_a_failed_migration_closes_its_connection(tmp_path: Path, monkeypatch) -> None:
    from jupyter_docchat.errors import StoreError

    path = tmp_path / "docchat.sqlite"
    old_store(path).close()
    opened: list[sqlite3.Connection] = []
    real_connect = sqlite3.connect

    def connect(*args, **kwargs):
        opened.append(real_connect(*args, **kwargs))
        return opened[-1]

    monkeypatch.setattr(catalog.sqlite3, "connect", connect)
    monkeypatch.setattr(catalog, "MIGRATIONS", catalog.MIGRATIONS + ("CREATE TABLE chunks (x);",))
    with pytest.raises(StoreError, match="cannot open the store"):
        Catalog(path)
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        opened[0].execute("SELECT 1")
    monkeypatch.undo()
    assert Catalog(path).db.execute("PRAGMA user_version").fetchone()[0] == len(catalog.MIGRATIONS)  # rolled back whole


def test_a_new_catalog_takes_its_page_size_and_an_old_one_keeps_its_own(tmp_path: Path) -> None:
    """A new store's catalog is made with PAGE_BYTES pages (a fresh folder's keyword pass writes fewer); a store made
    with SQLite's 4 kB pages opens, is written and searched as before, its pages as they were."""
    fresh = Catalog(tmp_path / "new" / "docchat.sqlite")
    assert fresh.db.execute("PRAGMA page_size").fetchone()[0] == catalog.PAGE_BYTES != 4096
    fresh.close()
    old_path = tmp_path / "old" / "docchat.sqlite"
    old_path.parent.mkdir()
    made = sqlite3.connect(old_path)
    made.execute("PRAGMA page_size=4096")
    made.execute("CREATE TABLE earlier (x)")
    made.commit()
    made.close()
    old = Catalog(old_path)
    old.set_collection("c", "minilm", "/docs")
    from jupyter_docchat.types import Chunk

    chunk = Chunk("Pages of four kilobytes still answer.", "a.md", "h", 0)
    old.replace_sources("c", ["a.md"], [chunk], [("a.md", "h", 10, 1)])
    assert old.db.execute("PRAGMA page_size").fetchone()[0] == 4096
    assert [hit for hit, _ in old.lexical("c", "kilobytes", 5)] == [chunk.id]
    old.close()

"""The store's SQLite side: file hashes, chunk texts, the FTS5 lexical index, and pending work.

Chroma holds the vectors; this file holds everything needed to decide what
changed and to rank by words. A ``pending`` row is written before Chroma is
touched and removed in the same transaction that records the result, so a
crash at any point leaves a marker the next run uses to clean up.

A chunk is searchable by words as soon as its row is here; a ``vector_todo``
row says its vector is not in Chroma yet. Indexing fills those in after the
lexical side is complete (or alongside it), and any later run resumes them.
"""

from __future__ import annotations

import json
import math
import sqlite3
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any, Iterable, Iterator

from jupyter_docchat.errors import StoreError
from jupyter_docchat.store.locks import BUSY_TIMEOUT, while_locked
from jupyter_docchat.store.records import ChunkRow, CollectionInfo, CollectionRow, FileRecord, SourceRow, TodoRow
from jupyter_docchat.store.terms import fts_match, joined_terms, query_terms, written_as_name
from jupyter_docchat.types import Chunk

_SCHEMA = """
CREATE TABLE IF NOT EXISTS collections (
    name TEXT PRIMARY KEY, embeddings TEXT NOT NULL, root TEXT, created REAL, updated REAL, revision TEXT
);
CREATE TABLE IF NOT EXISTS files (
    collection TEXT, source TEXT, hash TEXT, size INTEGER, chunks INTEGER, indexed REAL,
    PRIMARY KEY (collection, source)
);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY, collection TEXT, source TEXT, text_hash TEXT, heading TEXT, text TEXT, meta TEXT
);
CREATE INDEX IF NOT EXISTS chunks_by_source ON chunks (collection, source);
CREATE INDEX IF NOT EXISTS chunks_by_hash ON chunks (collection, text_hash);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5 (
    heading, text, content='chunks', content_rowid='rowid', tokenize='porter unicode61'
);
CREATE TRIGGER IF NOT EXISTS chunks_ai AFTER INSERT ON chunks BEGIN
    INSERT INTO chunks_fts (rowid, heading, text) VALUES (new.rowid, new.heading, new.text);
END;
CREATE TRIGGER IF NOT EXISTS chunks_ad AFTER DELETE ON chunks BEGIN
    INSERT INTO chunks_fts (chunks_fts, rowid, heading, text) VALUES ('delete', old.rowid, old.heading, old.text);
END;
CREATE TABLE IF NOT EXISTS pending (collection TEXT, source TEXT, PRIMARY KEY (collection, source));
CREATE TABLE IF NOT EXISTS vector_todo (id TEXT PRIMARY KEY, collection TEXT, length INTEGER);
CREATE INDEX IF NOT EXISTS vector_todo_by_collection ON vector_todo (collection);
"""

# Numbered migrations: the store's ``PRAGMA user_version`` is how many have run. Append a new one,
# never edit an old one. ``migrate`` runs each once, in a transaction that reads the version again under
# the write lock (two processes may open an old store at once). Migration 1 is the schema of the first
# release (whose stores say 0).
MIGRATIONS: tuple[str, ...] = (
    _SCHEMA,
    # 2: each file's size and modification time when last checked (a refresh hashes only files whose
    # stat changed), and the options a collection was indexed with (so a refresh uses the same ones).
    """CREATE TABLE IF NOT EXISTS file_stats (
        collection TEXT, source TEXT, size INTEGER, mtime_ns INTEGER, PRIMARY KEY (collection, source));
    CREATE TABLE IF NOT EXISTS collection_options (name TEXT PRIMARY KEY, options TEXT);""",
    # 3: a digest of each file's text (white space evened out), and the indexed file it is a copy of, so
    # a copy is indexed once and an update that removes or edits the indexed copy indexes another.
    """CREATE TABLE IF NOT EXISTS file_texts (
        collection TEXT, source TEXT, hash TEXT, text_key TEXT, copy_of TEXT, PRIMARY KEY (collection, source));""",
    # 4: chunks, and the vectors they wait for, are keyed by (collection, id). A chunk's id names its file,
    # hash and place but not its collection, so with the id alone as key (and INSERT OR REPLACE) a second
    # collection over the same files took the first one's rows. The row number is declared so VACUUM keeps
    # it: the FTS index refers to rows by it. Rows keep their numbers, so the FTS index stays valid; it is
    # rebuilt only when rows were replaced under it (a REPLACE fired no delete trigger, so it holds more
    # rows than ``chunks``). Files that lost rows to another collection are marked pending, the way a
    # crashed update leaves them: the next update drops their vectors and reads them again, and their
    # stats go so that the check before a question sees them too. A server's local copy is fetched again.
    """CREATE TABLE chunks_keyed (
        rowid INTEGER PRIMARY KEY, collection TEXT NOT NULL, id TEXT NOT NULL, source TEXT, text_hash TEXT,
        heading TEXT, text TEXT, meta TEXT, UNIQUE (collection, id));
    INSERT INTO chunks_keyed (rowid, collection, id, source, text_hash, heading, text, meta)
        SELECT rowid, collection, id, source, text_hash, heading, text, meta FROM chunks;
    DROP TABLE chunks;
    ALTER TABLE chunks_keyed RENAME TO chunks;
    CREATE INDEX chunks_by_source ON chunks (collection, source);
    CREATE INDEX chunks_by_hash ON chunks (collection, text_hash);
    CREATE TRIGGER chunks_ai AFTER INSERT ON chunks BEGIN
        INSERT INTO chunks_fts (rowid, heading, text) VALUES (new.rowid, new.heading, new.text);
    END;
    CREATE TRIGGER chunks_ad AFTER DELETE ON chunks BEGIN
        INSERT INTO chunks_fts (chunks_fts, rowid, heading, text) VALUES ('delete', old.rowid, old.heading, old.text);
    END;
    INSERT INTO chunks_fts (chunks_fts) SELECT 'rebuild'
        WHERE (SELECT COUNT(*) FROM chunks_fts_docsize) != (SELECT COUNT(*) FROM chunks);
    CREATE TABLE vector_todo_keyed (
        rowid INTEGER PRIMARY KEY, collection TEXT NOT NULL, id TEXT NOT NULL, length INTEGER, UNIQUE (collection, id));
    INSERT INTO vector_todo_keyed (rowid, collection, id, length)
        SELECT t.rowid, t.collection, t.id, t.length FROM vector_todo t
        WHERE EXISTS (SELECT 1 FROM chunks c WHERE c.collection = t.collection AND c.id = t.id) ORDER BY t.rowid;
    DROP TABLE vector_todo;
    ALTER TABLE vector_todo_keyed RENAME TO vector_todo;
    INSERT OR IGNORE INTO pending (collection, source)
        SELECT f.collection, f.source FROM files f
        WHERE f.chunks != (SELECT COUNT(*) FROM chunks c WHERE c.collection = f.collection AND c.source = f.source);
    DELETE FROM file_stats WHERE EXISTS (
        SELECT 1 FROM pending p WHERE p.collection = file_stats.collection AND p.source = file_stats.source);
    UPDATE collections SET revision = NULL WHERE name IN (SELECT collection FROM pending);""",
)


def migrate(db: "SerialConnection", path: Path) -> None:
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > len(MIGRATIONS):
        raise StoreError(f"the store at {path.parent} was made by a newer docchat (schema {version}, this one knows "
                         f"{len(MIGRATIONS)}): upgrade jupyter-docchat, or index into another --store")
    for number in range(version, len(MIGRATIONS)):
        with _Tx(db):
            # Read again under the write lock: another process may have run it since we looked.
            if db.execute("PRAGMA user_version").fetchone()[0] > number:
                continue
            for statement in _statements(MIGRATIONS[number]):
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {number + 1}")


def _statements(script: str) -> Iterator[str]:
    """A script's statements one by one (a trigger's body keeps its own semicolons), so they can run
    inside a transaction of ours: ``executescript`` would commit it first."""
    statement = ""
    for piece in script.split(";"):
        statement += piece + ";"
        if sqlite3.complete_statement(statement):
            if statement.strip(" \n;"):
                yield statement
            statement = ""


PAGE_BYTES = 8192  # a new catalog's page size
# Ids per IN (...) query: below SQLite's host-parameter limit of old builds (999), with room to spare.
PARAMETERS = 500

def _write_ahead(db: "SerialConnection") -> None:
    """Turn on WAL, waiting for another process's write as any statement does. Switching a rollback-journal file
    takes the write lock from inside a read transaction, where SQLite returns SQLITE_BUSY at once instead of
    calling the busy handler (it would deadlock): two kernels opening an old store together failed there."""
    while_locked(lambda: db.execute("PRAGMA journal_mode=WAL"), BUSY_TIMEOUT)


def damaged(exc: sqlite3.Error) -> bool:
    """Whether SQLite says the file is damaged or no database (a copy cut short, a disk error, a file put there)."""
    name = getattr(exc, "sqlite_errorname", "")
    return name in ("SQLITE_CORRUPT", "SQLITE_NOTADB") or str(exc) in ("database disk image is malformed",
                                                                         "file is not a database")


def damaged_store(path: Path, exc: sqlite3.Error) -> StoreError:
    """What to do about a damaged catalog: nothing here deletes it (its texts may be worth saving)."""
    return StoreError(f"the store's catalog {path} is damaged ({exc}): move it aside (or delete the store "
                      "folder) and index the folder again", remedy="index")


# How many of the chunks holding a join are read to see whether one writes it as a name (``storeTrue``).
_JOIN_TEXTS = 20

# Chunk rows inserted by one statement: 7 values each, under the 999 an SQLite before 3.32 allows a statement.
ROWS_A_STATEMENT = 140


class Catalog:
    """The catalog at ``path``; with ``read_only`` it is opened as it is (a read-only mount): nothing is
    written, not even a migration, and a write fails as SQLite's 'attempt to write a readonly database'."""

    def __init__(self, path: Path, read_only: bool = False) -> None:
        if path.is_dir():  # SQLite says only "unable to open database file"
            raise StoreError(f"the store's catalog {path} is a folder, not a file: move it aside and index the "
                             "folder again", remedy="index")
        if read_only:
            self.db = _open_read_only(path)
            return
        connection = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False)
            self.db = SerialConnection(connection)
            # Only a new file takes it (an existing store keeps its own, and opens as before): FTS5's inserts and the
            # WAL's frames, a page each, are fewer at 8 kB (a fresh folder's keyword pass wrote mpich's 4,000 chunks
            # in a tenth less CPU than at SQLite's 4 kB).
            self.db.execute(f"PRAGMA page_size={PAGE_BYTES}")
            _write_ahead(self.db)
            self.db.execute("PRAGMA synchronous=NORMAL")
            # A row that REPLACE removes leaves the FTS index through the delete trigger, as a DELETE's does.
            self.db.execute("PRAGMA recursive_triggers=ON")
            migrate(self.db, path)
        except BaseException as exc:
            if connection is not None:
                connection.close()
            if isinstance(exc, sqlite3.Error) and damaged(exc):
                raise damaged_store(path, exc) from exc
            if isinstance(exc, (sqlite3.Error, OSError)):
                raise StoreError(f"cannot open the store at {path.parent}: {exc}") from exc
            raise

    def close(self) -> None:
        self.db.close()

    def transaction(self) -> "_Tx":
        return _Tx(self.db)

    # collections
    def collection(self, name: str) -> CollectionRow | None:
        row = self.db.execute("SELECT embeddings, root FROM collections WHERE name=?", (name,)).fetchone()
        return CollectionRow(row[0], row[1] or "") if row else None

    def set_collection(self, name: str, embeddings: str, root: str) -> None:
        now = time.time()
        self.db.execute(
            "INSERT INTO collections (name, embeddings, root, created, updated) VALUES (?,?,?,?,?) "
            "ON CONFLICT(name) DO UPDATE SET embeddings=excluded.embeddings, root=excluded.root, updated=excluded.updated",
            (name, embeddings, root, now, now),
        )

    def data_version(self) -> int:
        """A number that changes when another connection (another process, a vector pass) commits."""
        return int(self.db.execute("PRAGMA data_version").fetchone()[0])

    def revision(self, name: str) -> str:
        row = self.db.execute("SELECT revision FROM collections WHERE name=?", (name,)).fetchone()
        return (row[0] or "") if row else ""

    def set_revision(self, name: str, revision: str) -> None:
        self.db.execute("UPDATE collections SET revision=? WHERE name=?", (revision, name))

    def load_remote(self, name: str, embeddings: str, root: str, revision: str,
                    pages: Iterable[tuple[list[str], list[str], list[dict[str, Any]]]]) -> None:
        """Replace the local copy of a server collection's texts, file hashes and lexical index."""
        with self.transaction():
            for table in ("files", "chunks", "pending", "vector_todo"):
                self.db.execute(f"DELETE FROM {table} WHERE collection=?", (name,))
            files: dict[str, list[Any]] = {}
            for ids, docs, metas in pages:
                rows = []
                for chunk_id, text, meta in zip(ids, docs, metas):
                    meta = dict(meta or {})
                    source = str(meta.get("source", ""))
                    files.setdefault(source, [meta.get("file_hash", ""), 0])[1] += 1
                    rows.append((chunk_id, name, source, meta.get("text_hash", ""), meta.get("heading", ""), text,
                                 json.dumps(meta)))
                self._insert_chunks("INSERT OR REPLACE", rows)
            now = time.time()
            self.db.executemany(
                "INSERT OR REPLACE INTO files (collection, source, hash, size, chunks, indexed) VALUES (?,?,?,?,?,?)",
                [(name, s, h, 0, n, now) for s, (h, n) in files.items()])
            self.db.execute(
                "INSERT INTO collections (name, embeddings, root, created, updated, revision) VALUES (?,?,?,?,?,?) "
                "ON CONFLICT(name) DO UPDATE SET embeddings=excluded.embeddings, revision=excluded.revision",
                (name, embeddings, root, now, now, revision))

    def drop_collection(self, name: str) -> None:
        with self.transaction():
            for table in ("files", "chunks", "pending", "vector_todo", "file_stats", "file_texts"):
                self.db.execute(f"DELETE FROM {table} WHERE collection=?", (name,))
            self.db.execute("DELETE FROM collections WHERE name=?", (name,))
            self.db.execute("DELETE FROM collection_options WHERE name=?", (name,))

    def file_stats(self, collection: str) -> dict[str, tuple[int, int]]:
        """(size, mtime in ns) of every file the last update checked, by source."""
        rows = self.db.execute("SELECT source, size, mtime_ns FROM file_stats WHERE collection=?", (collection,))
        return {r[0]: (r[1], r[2]) for r in rows}

    def set_file_stats(self, collection: str, stats: dict[str, tuple[int, int]]) -> None:
        """Replace the collection's file stats with these (the files one update checked)."""
        with self.transaction():
            self.db.execute("DELETE FROM file_stats WHERE collection=?", (collection,))
            self.db.executemany("INSERT INTO file_stats VALUES (?,?,?,?)",
                                [(collection, s, size, mtime) for s, (size, mtime) in stats.items()])

    def file_texts(self, collection: str) -> dict[str, tuple[str, str, str]]:
        """(file hash, text key, copy of) of every file whose text the last update knew, by source."""
        rows = self.db.execute("SELECT source, hash, text_key, copy_of FROM file_texts WHERE collection=?", (collection,))
        return {r[0]: (r[1], r[2], r[3]) for r in rows}

    def set_file_texts(self, collection: str, texts: dict[str, tuple[str, str, str]]) -> None:
        """Replace the collection's file texts with these."""
        with self.transaction():
            self.db.execute("DELETE FROM file_texts WHERE collection=?", (collection,))
            self.db.executemany("INSERT INTO file_texts VALUES (?,?,?,?,?)",
                                [(collection, s, *record) for s, record in texts.items()])

    def options(self, collection: str) -> dict[str, Any]:
        """The options (JSON) the collection was last indexed with; {} for none."""
        row = self.db.execute("SELECT options FROM collection_options WHERE name=?", (collection,)).fetchone()
        return dict(json.loads(row[0])) if row else {}

    def set_options(self, collection: str, options: dict[str, Any]) -> None:
        self.db.execute("INSERT OR REPLACE INTO collection_options VALUES (?,?)", (collection, json.dumps(options)))

    def collections(self) -> list[CollectionInfo]:
        rows = self.db.execute(
            "SELECT c.name, c.embeddings, c.root, c.updated, "
            "(SELECT COUNT(*) FROM files f WHERE f.collection=c.name), "
            "(SELECT COUNT(*) FROM chunks k WHERE k.collection=c.name), "
            "(SELECT COUNT(*) FROM vector_todo t WHERE t.collection=c.name) FROM collections c ORDER BY c.name"
        ).fetchall()
        return [CollectionInfo(r[0], r[1], r[2] or "", r[4], r[5], r[3] or 0.0, r[6]) for r in rows]

    # files
    def files(self, collection: str) -> dict[str, FileRecord]:
        rows = self.db.execute("SELECT source, hash, chunks FROM files WHERE collection=?", (collection,))
        return {r[0]: FileRecord(r[0], r[1], r[2]) for r in rows}

    # pending
    def mark_pending(self, collection: str, sources: Iterable[str]) -> None:
        with self.transaction():
            self.db.executemany("INSERT OR IGNORE INTO pending VALUES (?,?)", [(collection, s) for s in sources])

    def pending(self, collection: str) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT source FROM pending WHERE collection=?", (collection,))]

    # chunks
    def replace_sources(self, collection: str, sources: list[str], chunks: list[Chunk],
                        files: list[tuple[str, str, int, int]], without_vectors: Iterable[Chunk] = ()) -> None:
        """In one transaction: drop the sources' old rows, add the new ones (``without_vectors`` listed
        as waiting for one), clear their pending marks."""
        with self.transaction():
            self._delete_sources(collection, sources)
            self._insert_chunks("INSERT", [(c.id, collection, c.source, c.text_hash, c.heading, c.text,
                                            json.dumps(c.metadata())) for c in chunks])
            self.db.executemany("INSERT OR REPLACE INTO vector_todo (id, collection, length) VALUES (?,?,?)",
                                [(c.id, collection, len(c.embed_text)) for c in without_vectors])
            now = time.time()
            self.db.executemany(
                "INSERT OR REPLACE INTO files (collection, source, hash, size, chunks, indexed) VALUES (?,?,?,?,?,?)",
                [(collection, s, h, size, n, now) for s, h, size, n in files],
            )
            self.db.executemany("DELETE FROM pending WHERE collection=? AND source=?", [(collection, s) for s in sources])

    def _insert_chunks(self, verb: str, rows: list[tuple[str, str, str, str, str, str, str]]) -> None:
        """``rows`` into ``chunks``, many to a statement: FTS5 writes out the terms it holds at each statement's
        savepoint, so with one statement a row (executemany) the insert trigger wrote each chunk's terms out as a
        segment of their own: half the CPU of a fresh folder's inserts (mpich's 4,000 chunks: 0.26 -> 0.13 CPU-s)."""
        for start in range(0, len(rows), ROWS_A_STATEMENT):
            batch = rows[start:start + ROWS_A_STATEMENT]
            self.db.execute(f"{verb} INTO chunks (id, collection, source, text_hash, heading, text, meta) VALUES "
                            + ",".join(("(?,?,?,?,?,?,?)",) * len(batch)), [value for row in batch for value in row])

    def remove_sources(self, collection: str, sources: list[str]) -> None:
        with self.transaction():
            self._delete_sources(collection, sources)
            self.db.executemany("DELETE FROM pending WHERE collection=? AND source=?", [(collection, s) for s in sources])

    def _delete_sources(self, collection: str, sources: list[str]) -> None:
        pairs = [(collection, s) for s in sources]
        self.db.executemany(
            "DELETE FROM vector_todo WHERE collection=?1 AND id IN (SELECT id FROM chunks WHERE collection=?1 AND source=?2)",
            pairs)
        self.db.executemany("DELETE FROM chunks WHERE collection=? AND source=?", pairs)
        self.db.executemany("DELETE FROM files WHERE collection=? AND source=?", pairs)

    def ids_by_text_hash(self, collection: str, hashes: list[str]) -> dict[str, str]:
        """One existing chunk id per text hash whose vector is stored, to reuse instead of embedding again."""
        found: dict[str, str] = {}
        for part in _batches(hashes, PARAMETERS):
            marks = ",".join("?" * len(part))
            rows = self.db.execute(
                f"SELECT text_hash, id FROM chunks c WHERE collection=? AND text_hash IN ({marks}) AND NOT EXISTS "
                "(SELECT 1 FROM vector_todo t WHERE t.collection = c.collection AND t.id = c.id)", (collection, *part)
            )
            for text_hash, chunk_id in rows:
                found.setdefault(text_hash, chunk_id)
        return found

    def source_rows(self, collection: str, source: str) -> list[SourceRow]:
        """Every chunk of one file, in the file's order."""
        rows = self.db.execute("SELECT id, text, meta FROM chunks WHERE collection=? AND source=?", (collection, source))
        out = [SourceRow(r[0], r[1], json.loads(r[2])) for r in rows]
        return sorted(out, key=lambda r: r.meta.get("chunk_index", 0))

    def chunk_rows(self, collection: str, ids: list[str]) -> dict[str, ChunkRow]:
        out: dict[str, ChunkRow] = {}
        for part in _batches(ids, PARAMETERS):
            marks = ",".join("?" * len(part))
            rows = self.db.execute(f"SELECT id, text, meta FROM chunks WHERE collection=? AND id IN ({marks})",
                                   (collection, *part))
            for chunk_id, text, meta in rows:
                out[chunk_id] = ChunkRow(text, json.loads(meta))
        return out

    # chunks still waiting for a vector
    def todo_count(self, collection: str) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM vector_todo WHERE collection=?", (collection,)).fetchone()[0])

    def todo(self, collection: str, limit: int) -> list[TodoRow]:
        """Up to ``limit`` chunks waiting for a vector, in
        the order they were added (so a partly filled collection covers whole files first)."""
        rows = self.db.execute(
            "SELECT c.id, c.text_hash, c.heading, c.text, c.meta FROM vector_todo t "
            "JOIN chunks c ON c.collection = t.collection AND c.id = t.id "
            "WHERE t.collection=? ORDER BY t.rowid LIMIT ?", (collection, limit)).fetchall()
        return [TodoRow(r[0], r[1], r[2], r[3], json.loads(r[4])) for r in rows]

    def vectors_lost(self, collection: str) -> int:
        """Every chunk of ``collection`` waits for its vector again (its Chroma folder or collection was
        deleted): the next vector pass computes them all. The number of chunks that had one."""
        with self.transaction():
            return self.db.execute(
                "INSERT OR IGNORE INTO vector_todo (id, collection, length) "
                "SELECT id, collection, length(heading) + 1 + length(text) FROM chunks WHERE collection=? ORDER BY rowid",
                (collection,)).rowcount

    def vectors_stored(self, collection: str, ids: list[str]) -> None:
        with self.transaction():
            self.db.executemany("DELETE FROM vector_todo WHERE id=? AND collection=?", [(i, collection) for i in ids])

    def sources_of(self, collection: str, ids: list[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for part in _batches(ids, PARAMETERS):
            marks = ",".join("?" * len(part))
            out.update(self.db.execute(f"SELECT id, source FROM chunks WHERE collection=? AND id IN ({marks})",
                                       (collection, *part)).fetchall())
        return out

    def pages_of(self, collection: str, ids: list[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for part in _batches(ids, PARAMETERS):
            marks = ",".join("?" * len(part))
            out.update(self.db.execute(f"SELECT id, json_extract(meta, '$.page') FROM chunks WHERE collection=? AND id IN "
                                       f"({marks}) AND json_extract(meta, '$.page') IS NOT NULL", (collection, *part)).fetchall())
        return out

    def chunk_count(self, collection: str) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM chunks WHERE collection=?", (collection,)).fetchone()[0])

    # bm25's 2.0 counts a word in the heading trail twice a word of the text: weights 1 and 4 were tried
    # and gained no paraphrase question (bench/README.md, lever history).
    def lexical(self, collection: str, query: str, limit: int) -> list[tuple[str, float]]:
        """(chunk id, bm25 score — higher is better) for the query's content words, OR-ed."""
        match = fts_match(query)
        if not match:
            return []
        rows = self.db.execute(
            "SELECT c.id, bm25(chunks_fts, 2.0, 1.0) FROM chunks_fts JOIN chunks c ON c.rowid = chunks_fts.rowid "
            "WHERE chunks_fts MATCH ? AND c.collection = ? ORDER BY bm25(chunks_fts, 2.0, 1.0) LIMIT ?",
            (match, collection, limit),
        ).fetchall()
        return [(r[0], -r[1]) for r in rows]

    def joined_terms(self, query: str) -> list[str]:
        """The query's words in a row written as one (terms.joined_terms) that the store's chunks hold as a name
        (terms.written_as_name): ``storeTrue`` is one token of the index, asked for as "store true". A candidate
        the index lacks is dropped, so a question is not flooded with joins that match nothing; one it holds only
        as a plain word ("backup") too, as the words already match it.

        Looked up in the whole store's index, not a collection's: joined to ``chunks`` for its collection, SQLite
        walked the collection's rows and asked the index about each (some 200 ms a candidate on sqlite's 13,900
        chunks, against 0.08 ms), and a join only another collection holds adds a term that matches nothing there."""
        out = []
        for join in joined_terms(query):
            phrase = '"' + join.term.replace('"', '""') + '"'
            rowids = [r[0] for r in self.db.execute(
                "SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ? LIMIT ?", (phrase, _JOIN_TEXTS))]
            if not rowids:
                continue
            marks = ",".join("?" * len(rowids))
            texts = self.db.execute(f"SELECT text FROM chunks WHERE rowid IN ({marks})", rowids)
            if any(written_as_name(text, join) for (text,) in texts):
                out.append(join.term)
        return out

    def phrase_matches(self, collection: str, words: list[str], query: str, limit: int) -> list[tuple[str, float, str]]:
        """(chunk id, bm25 score, text) of the chunks holding ``words`` one after the other, best for
        the query's words first (an identifier's words, ranked as the question asks)."""
        if not words:
            return []
        phrase = '"' + " ".join(w.replace('"', '""') for w in words) + '"'
        others = fts_match(query)
        match = f"{phrase} AND ({others})" if others else phrase
        rows = self.db.execute(
            "SELECT c.id, bm25(chunks_fts, 2.0, 1.0), c.text FROM chunks_fts JOIN chunks c ON c.rowid = chunks_fts.rowid "
            "WHERE chunks_fts MATCH ? AND c.collection = ? ORDER BY bm25(chunks_fts, 2.0, 1.0) LIMIT ?",
            (match, collection, limit)).fetchall()
        return [(r[0], -r[1], r[2]) for r in rows]

    def term_coverage(self, collection: str, query: str, ids: list[str]) -> dict[str, float]:
        """For each chunk of ``ids``, the share of the query's content words it holds, each word counted
        by its rarity (BM25's IDF over the store's chunks): 1 when it holds them all, near 0 when it
        holds only common ones. A query without content words gives 0 to every chunk."""
        terms, ids = query_terms(query), list(dict.fromkeys(ids))
        held = dict.fromkeys(ids, 0.0)
        if not terms or not ids:
            return held
        chunks = self.db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
        marks = ",".join("?" * len(ids))
        total = 0.0
        for term in terms:
            phrase = '"' + term.replace('"', '""') + '"'
            df = self.db.execute("SELECT COUNT(*) FROM chunks_fts WHERE chunks_fts MATCH ?", (phrase,)).fetchone()[0]
            idf = math.log((chunks - df + 0.5) / (df + 0.5) + 1.0)
            total += idf
            if not df:
                continue
            for (chunk_id,) in self.db.execute(
                    f"SELECT c.id FROM chunks_fts JOIN chunks c ON c.rowid = chunks_fts.rowid "
                    f"WHERE chunks_fts MATCH ? AND c.collection = ? AND c.id IN ({marks})", (phrase, collection, *ids)):
                held[chunk_id] += idf
        return {i: h / total for i, h in held.items()} if total > 0 else held


def _open_read_only(path: Path) -> "SerialConnection":
    """The catalog without writing: ``mode=ro`` reads a WAL store whose -shm file exists or can be made;
    on a read-only mount after a clean close it cannot, and only ``immutable`` opens it (nobody writes
    there, so no lock is needed)."""
    connection = None
    try:
        for query in ("mode=ro", "immutable=1"):
            connection = sqlite3.connect(f"{path.as_uri()}?{query}", uri=True, timeout=BUSY_TIMEOUT, isolation_level=None,
                                         check_same_thread=False)
            try:
                version = connection.execute("PRAGMA user_version").fetchone()[0]
                break
            except sqlite3.OperationalError:
                if query == "immutable=1":
                    raise
                connection.close()
        if version != len(MIGRATIONS):
            newer = version > len(MIGRATIONS)
            raise StoreError(
                f"the store at {path.parent} is read-only and was made by {'a newer' if newer else 'an older'} docchat "
                f"(schema {version}, this one knows {len(MIGRATIONS)}): "
                + ("upgrade jupyter-docchat" if newer else "open it once where it can be written, to upgrade it"))
        assert connection is not None  # the loop ran: it breaks with a connection or raises
        return SerialConnection(connection)
    except BaseException as exc:
        if connection is not None:
            connection.close()
        if isinstance(exc, sqlite3.Error):
            raise StoreError(f"cannot open the read-only store at {path.parent}: {exc}") from exc
        raise


class Rows(list[Any]):
    """A statement's rows, fetched while the connection was ours, with the cursor methods callers use."""

    rowcount = -1

    def fetchall(self) -> list[Any]:
        return self

    def fetchone(self) -> Any:
        return self[0] if self else None


class SerialConnection:
    """One SQLite connection shared by the kernel's thread, a chat box's worker and a vector pass,
    used by one thread at a time: each statement runs and is fetched under a lock, and a
    transaction keeps the lock from BEGIN to COMMIT, so no other thread's statement lands inside it."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection
        self.lock = threading.RLock()

    def execute(self, sql: str, params: Any = ()) -> Rows:
        with self.lock:
            cursor = self.connection.execute(sql, params)
            rows = Rows(cursor.fetchall())
            rows.rowcount = cursor.rowcount
            return rows

    def executemany(self, sql: str, params: Any) -> Rows:
        with self.lock:
            rows = Rows()
            rows.rowcount = self.connection.executemany(sql, params).rowcount
            return rows

    def executescript(self, script: str) -> None:
        with self.lock:
            self.connection.executescript(script)

    def close(self) -> None:
        with self.lock:
            self.connection.close()


class _Tx:
    def __init__(self, db: SerialConnection) -> None:
        self.db = db

    def __enter__(self) -> SerialConnection:
        self.db.lock.acquire()
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except BaseException:
            self.db.lock.release()
            raise
        return self.db

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        try:
            if exc_type:
                self.db.execute("ROLLBACK")
                return
            try:
                self.db.execute("COMMIT")
            except BaseException:
                # A COMMIT that fails (a deferred constraint, SQLITE_BUSY, a full disk) can leave the
                # transaction open, and the next statement of any thread would run inside it.
                if self.db.connection.in_transaction:
                    try:
                        self.db.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass  # the COMMIT's own error, raised below, is the one that says why
                raise
        finally:
            self.db.lock.release()


def _batches(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]

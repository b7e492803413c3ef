"""Build or update one store per benchmark corpus and store format, for bench/retrieval.py and bench/answers.py.

    python bench/stores.py [--root DIR] [CORPUS ...]     # default: every corpus, DIR ~/.cache/docchat-bench
    python bench/stores.py --format                      # the store format of the package on the path

Each corpus is copied once to DIR/NAME/corpus/NAME/ (so the question files name sources as NAME/path)
and indexed into DIR/NAME/stores/FORMAT/, where FORMAT is what the package states a store of its holds
(jupyter_docchat/indexing/store_format.py: readers version, chunk size, embedding input, catalog
schema). Two versions that read alike share a store; a version that reads otherwise gets its own,
built on demand by the benches (minutes per corpus). A store of the same format but an older schema
is copied and migrated instead of built again. DIR/NAME/store, the layout before formats, is used for
the format it was made with (read from its catalog). A second run only re-indexes what changed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from corpus import FOLDERS, HOLDOUT, SOURCES, build, questions_file  # noqa: E402

from jupyter_docchat import DocIndex  # noqa: E402

DEFAULT_ROOT = Path.home() / ".cache" / "docchat-bench"
# What a version without store_format.py embedded (MiniLM on the first 256 tokens of each chunk's text).
OLD_EMBED_INPUT = "minilm256"


def package_format() -> str:
    """The store format of the jupyter_docchat on the path, or the same string built for a version that states none."""
    try:
        from jupyter_docchat.indexing.store_format import STORE_FORMAT
    except ImportError:
        from jupyter_docchat import settings
        from jupyter_docchat.indexing import readers
        from jupyter_docchat.store.catalog import MIGRATIONS

        return (f"r{getattr(readers, 'READERS_VERSION', 1)}-c{settings.DEFAULT_CHUNK_SIZE}."
                f"{settings.DEFAULT_CHUNK_OVERLAP}-{OLD_EMBED_INPUT}-s{len(MIGRATIONS)}")
    return STORE_FORMAT


def recorded_format(store: Path, collection: str = "docs") -> str | None:
    """The format of a store from before formats (DIR/NAME/store), from what its catalog recorded."""
    catalog = store / "docchat.sqlite"
    if not catalog.exists():
        return None
    db = sqlite3.connect(f"{catalog.as_uri()}?mode=ro", uri=True)
    try:
        schema = db.execute("PRAGMA user_version").fetchone()[0]
        row = db.execute("SELECT options FROM collection_options WHERE name=?", (collection,)).fetchone()
    except sqlite3.Error:
        return None
    finally:
        db.close()
    options = json.loads(row[0]) if row else {}
    if not options.get("chunk_size"):
        return None
    return (f"r{options.get('readers', 1)}-c{options['chunk_size']}.{options['chunk_overlap']}-"
            f"{OLD_EMBED_INPUT}-s{schema}")


def store_of(root: Path, corpus: str, fmt: str | None = None) -> Path:
    """Where the store of ``corpus`` in ``fmt`` (default: the package's) is, or is to be built."""
    fmt = fmt or package_format()
    keyed = root / corpus / "stores" / fmt
    legacy = root / corpus / "store"
    if not keyed.exists() and legacy.exists() and recorded_format(legacy) == fmt:
        return legacy
    return keyed


def _stores(root: Path, corpus: str) -> list[tuple[str | None, Path]]:
    """Every store of the corpus with its format: the one from before formats (from its catalog), then each keyed one."""
    found: list[tuple[str | None, Path]] = [(recorded_format(root / corpus / "store"), root / corpus / "store")]
    return found + [(p.name, p) for p in sorted((root / corpus / "stores").glob("*"))]


def _older_schema(root: Path, corpus: str, fmt: str) -> Path | None:
    """A complete store that differs from ``fmt`` only by an older catalog schema (the package migrates a copy)."""
    stem, _, schema = fmt.rpartition("-s")
    for other, path in _stores(root, corpus):
        if other and other.rpartition("-s")[0] == stem and int(other.rpartition("-s")[2]) < int(schema):
            return path
    return None


def _same_embedding(root: Path, corpus: str, fmt: str) -> Path | None:
    """A store of the corpus that embeds as ``fmt`` does (same chunk size, same embedding input), to copy.

    Its vectors are kept by the text they embed (a chunk's ``text_hash`` covers its heading, source and
    text), so an update of the copy re-reads the files with this version and embeds only the chunks whose
    text changed: the same store as a fresh build, in a fraction of the time.
    """
    _, chunking, embed_input, _ = fmt.split("-")
    same = [(int(p[0][1:]), path) for other, path in _stores(root, corpus)
            if len(p := (other or "").split("-")) == 4 and p[1:3] == [chunking, embed_input] and path.exists()]
    return max(same)[1] if same else None  # the nearest reading: fewest chunks to embed again


def _complete(index: DocIndex) -> bool:
    return bool(index.catalog.files(index.collection)) and index.vectors_waiting() == 0


def ensure_store(root: Path, corpus: str, update: bool = True) -> DocIndex:
    """The corpus's store for the package on the path, built when missing or unfinished (minutes per corpus).

    With ``update`` (``python bench/stores.py``) a finished store is also brought up to date with its folder;
    the benches pass ``update=False`` and use a finished store as it is.
    """
    work = root / corpus
    folder = work / "corpus"
    fmt = package_format()
    path = store_of(root, corpus, fmt)
    copied = False
    if not path.exists() and (source := _older_schema(root, corpus, fmt)):
        print(f"{corpus}: copying {source} for store format {fmt} (same reading, older catalog schema)", flush=True)
        shutil.copytree(source, path)
    elif not path.exists() and (source := _same_embedding(root, corpus, fmt)):
        print(f"{corpus}: copying {source} for store format {fmt} (same embedding; files re-read, vectors "
              "kept for unchanged texts)", flush=True)
        shutil.copytree(source, path)
        copied = True
    fresh = not path.exists()
    index = DocIndex(path)
    # A copy holds another reading's chunks, complete as they are: a bench's run (update=False) took them for its
    # own (an r36 store copied from r37's and never read again by r36's readers gave r37's figures to both).
    if not update and not fresh and not copied and _complete(index):
        return index
    if fresh or not update:
        print(f"{corpus}: {'building' if fresh else 'finishing'} the store of format {fmt} in {path}: the corpus "
              "is read and embedded by this version (minutes per corpus)", flush=True)
    if not (folder / corpus).is_dir():
        build(folder, corpus=corpus)
    started = time.perf_counter()
    report = index.update(folder)
    print(f"{corpus}: {report.summary()} ({time.perf_counter() - started:.0f} s)", flush=True)
    return index


def ready_store(root: Path, corpus: str) -> Path:
    """The path of the corpus's finished store for the package on the path (built first when missing)."""
    index = ensure_store(root, corpus, update=False)
    index.close()
    return store_of(root, corpus)


def bench_corpora() -> list[str]:
    """Every corpus that has a question file, in bench/corpus.py's order; not the held-out-whole ones
    (bench/questions/holdout/), which a bench asks only when told to (``--corpora jinja``)."""
    return [name for name in [*SOURCES, *FOLDERS] if name not in HOLDOUT and questions_file(name).exists()]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpora", nargs="*", default=[*SOURCES, *FOLDERS])
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--format", action="store_true", help="print the package's store format and stop")
    args = parser.parse_args()
    if args.format:
        print(package_format())
        return
    for corpus in args.corpora:
        ensure_store(args.root, corpus).close()


if __name__ == "__main__":
    main()

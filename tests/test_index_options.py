"""IndexOptions: one frozen record for what an update needs, stored with the collection as the JSON older
stores hold, read back whole by the refresh before a question."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import given, strategies as st

from jupyter_docchat import DocIndex, IndexOptions
from jupyter_docchat.indexing.index_options import Reading
from jupyter_docchat.indexing.readers import READERS_VERSION
from jupyter_docchat.settings import DEFAULT_CHUNK_OVERLAP, DEFAULT_CHUNK_SIZE

# The keys every store since migration 2 holds: a change here needs a numbered migration.
STORED_KEYS = ["globs", "excludes", "includes", "all_files", "follow_links", "chunk_size", "chunk_overlap", "readers"]

globs = st.lists(st.text(min_size=1, max_size=12), max_size=4)
options = st.builds(IndexOptions, globs=st.none() | globs, excludes=st.none() | globs, includes=globs,
                    all_files=st.booleans(), follow_links=st.booleans(), chunk_size=st.integers(50, 5000),
                    chunk_overlap=st.integers(0, 49), rebuild=st.booleans())


@given(options)
def test_stored_options_read_back_as_the_same_record(given_options: IndexOptions) -> None:
    stored = given_options.to_stored()
    assert list(stored) == STORED_KEYS and stored["readers"] == READERS_VERSION
    assert IndexOptions.from_stored(stored) == given_options  # rebuild is an instruction: not compared
    assert not IndexOptions.from_stored(stored).rebuild
    assert Reading.stored(stored, Reading(1, 1, 1)) == given_options.reading


def test_lists_become_tuples_so_the_record_is_frozen_and_hashable() -> None:
    made = IndexOptions(globs=["*.md"], includes=["build/*"])
    assert made.globs == ("*.md",) and made.includes == ("build/*",) and hash(made) == hash(IndexOptions(globs=("*.md",), includes=("build/*",)))


def test_an_older_stores_options_are_read_with_the_defaults_for_what_it_did_not_record() -> None:
    older = {"globs": ["*.md"], "excludes": None, "chunk_size": 300}
    assert IndexOptions.from_stored(older) == IndexOptions(globs=["*.md"], chunk_size=300)
    assert Reading.stored(older, Reading(READERS_VERSION, 300, 50)) == Reading(1, 300, 50)  # readers unrecorded: 1
    assert IndexOptions.from_stored({}) == IndexOptions(chunk_size=DEFAULT_CHUNK_SIZE, chunk_overlap=DEFAULT_CHUNK_OVERLAP)


def test_the_refresh_before_a_question_keeps_a_chosen_overlap_of_zero(corpus: Path, tmp_path: Path) -> None:
    index = DocIndex(tmp_path / "store")
    index.update(corpus, IndexOptions(globs=["*.md"], chunk_size=300, chunk_overlap=0))
    edited = next(corpus.glob("*.md"))
    edited.write_text(edited.read_text() + "\n\nOne more line.\n")
    stat = edited.stat()
    os.utime(edited, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    report = index.refresh(background_min=10**6)
    assert report is not None and report.updated == 1 and not report.reread
    assert IndexOptions.from_stored(index.catalog.options("docs")) == IndexOptions(globs=["*.md"], chunk_size=300,
                                                                                    chunk_overlap=0)


def test_a_bad_background_is_a_one_line_error_and_the_store_is_untouched(corpus: Path, tmp_path: Path) -> None:
    from jupyter_docchat.errors import DocChatError

    index = DocIndex(tmp_path / "store")
    for bad in ("yes", -1, 2.5):
        try:
            index.update(corpus, background=bad)  # type: ignore[arg-type]
        except DocChatError as exc:
            assert "background must be" in str(exc) and "\n" not in str(exc)
        else:
            raise AssertionError(f"background={bad!r} was taken")
    assert not index.exists()

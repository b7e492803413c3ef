"""Several collections in one store: each keeps exactly its own chunks and vectors, whatever the others do."""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jupyter_docchat import DocIndex, IndexOptions


def exact(index: DocIndex, expected: int | None = None) -> int:
    """The collection's catalog and Chroma agree chunk for chunk, every file holds the chunks it says,
    nothing waits; returns the count (checked against ``expected`` when given)."""
    catalog, name = index.catalog, index.collection
    rows = [r[0] for r in catalog.db.execute("SELECT id FROM chunks WHERE collection=?", (name,))]
    per_file = dict(catalog.db.execute(
        "SELECT source, COUNT(*) FROM chunks WHERE collection=? GROUP BY source", (name,)))
    files = catalog.files(name)
    assert {s: f.chunks for s, f in files.items() if f.chunks} == per_file
    ids = index.vectors().collection.get(include=[])["ids"]
    assert len(ids) == len(set(ids)) and sorted(ids) == sorted(rows)
    assert not catalog.pending(name) and index.vectors_waiting() == 0
    assert catalog.chunk_count(name) == len(rows) == sum(per_file.values())
    if expected is not None:
        assert len(rows) == expected
    return len(rows)


def alone(folder: Path, tmp_path: Path, **options) -> int:
    """How many chunks the folder makes in a store of its own."""
    store = tmp_path / f"alone-{len(list(tmp_path.iterdir()))}"
    return DocIndex(store).update(folder, IndexOptions(**options)).chunks_total


def test_two_collections_over_the_same_folder_each_keep_every_chunk(corpus: Path, tmp_path: Path) -> None:
    expected = alone(corpus, tmp_path)
    alpha, beta = DocIndex(tmp_path / "store", "alpha"), DocIndex(tmp_path / "store", "beta")
    assert alpha.update(corpus).chunks_total == expected
    exact(alpha, expected)
    assert beta.update(corpus).chunks_total == expected
    exact(alpha, expected)
    exact(beta, expected)
    again = alpha.update(corpus), beta.update(corpus)
    assert [r.unchanged for r in again] == [6, 6] and [r.embedded for r in again] == [0, 0]
    exact(alpha, expected)
    exact(beta, expected)
    hits = DocIndex(tmp_path / "store", "alpha").search("standard deposit insurance amount", k=3, mode="lexical")
    assert hits and hits[0].source == "deposit_insurance.pdf"


def test_overlapping_folders_in_two_collections(corpus: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(corpus, other)
    (other / "interest_rates.txt").unlink()
    (other / "notes.md").write_text("# Notes\n\nThe FDIC sold the bridge bank to First Citizens BancShares.\n")
    (corpus / "bond_math.py").unlink()
    alpha, beta = DocIndex(tmp_path / "store", "alpha"), DocIndex(tmp_path / "store", "beta")
    first, second = alone(corpus, tmp_path), alone(other, tmp_path)
    alpha.update(corpus)
    beta.update(other)
    exact(alpha, first)
    exact(beta, second)
    # Each collection changes on its own: alpha loses a shared file, beta edits another.
    (corpus / "svb_collapse.md").unlink()
    (other / "regulators_response.html").write_text("<h1>Response</h1><p>Regulators guaranteed all deposits.</p>")
    alpha.update(corpus)
    beta.update(other)
    exact(alpha, alone(corpus, tmp_path))
    exact(beta, alone(other, tmp_path))
    assert DocIndex(tmp_path / "store", "beta").search("bridge bank First Citizens", k=1, mode="lexical")[0].source == "notes.md"
    assert [h.source for h in alpha.search("Silicon Valley Bank collapse", k=10, mode="lexical")].count("svb_collapse.md") == 0
    assert any(h.source == "svb_collapse.md" for h in beta.search("Silicon Valley Bank collapse", k=10, mode="lexical"))


def test_one_folder_at_two_chunk_sizes(corpus: Path, tmp_path: Path) -> None:
    big, small = alone(corpus, tmp_path), alone(corpus, tmp_path, chunk_size=300, chunk_overlap=50)
    assert small > big
    alpha, beta = DocIndex(tmp_path / "store", "alpha"), DocIndex(tmp_path / "store", "beta")
    alpha.update(corpus)
    beta.update(corpus, IndexOptions(chunk_size=300, chunk_overlap=50))
    exact(alpha, big)
    exact(beta, small)
    beta.update(corpus, IndexOptions(chunk_size=300, chunk_overlap=50))
    alpha.update(corpus)
    exact(alpha, big)
    exact(beta, small)
    alpha.update(corpus, IndexOptions(rebuild=True))
    exact(alpha, big)
    exact(beta, small)


_COLLECTIONS = ("alpha", "beta", "gamma")
_SIZES = {"big": (800, 100), "small": (200, 20)}


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(st.tuples(st.sampled_from(_COLLECTIONS), st.sampled_from(["update", "edit", "delete", "add"]),
                                st.integers(0, 1), st.sampled_from(sorted(_SIZES)), st.integers(0, 2)),
                      min_size=1, max_size=7))
def test_any_sequence_of_updates_and_changes_keeps_every_collection_exact(steps) -> None:
    """Collections over two folders that share files, indexed at two chunk sizes, while files are edited,
    deleted and added: after every step each collection holds exactly what a store of its own would."""
    import random
    import tempfile

    from synthetic import paragraph

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folders = [root / "one", root / "two"]
        for n, folder in enumerate(folders):
            folder.mkdir()
            for f in range(3):  # file0 and file1 are the same in both folders: shared chunk ids
                (folder / f"file{f}.md").write_text(f"# File {f}\n\n{paragraph(random.Random(f * 10 + (f == 2) * n))}\n")
        indexes = {name: DocIndex(root / "store", name) for name in _COLLECTIONS}
        expected: dict[str, int] = {}
        alone_counts: dict[tuple, int] = {}
        edits = 0
        try:
            for name, action, which, size, f in steps:
                folder, target = folders[which], folders[which] / f"file{f}.md"
                if action == "update":
                    chunk_size, overlap = _SIZES[size]
                    key = (tuple(sorted((p.name, p.read_text()) for p in folder.iterdir())), size)
                    options = IndexOptions(chunk_size=chunk_size, chunk_overlap=overlap)
                    if key not in alone_counts:
                        alone_counts[key] = DocIndex(root / f"alone-{len(alone_counts)}").update(folder, options).chunks_total
                    expected[name] = indexes[name].update(folder, options).chunks_total
                    assert expected[name] == alone_counts[key]
                elif action == "edit" and target.exists():
                    edits += 1
                    target.write_text(target.read_text() + f"\n## Edit {edits}\n\n{paragraph(random.Random(100 + edits))}\n")
                elif action == "delete" and len(list(folder.iterdir())) > 1:
                    target.unlink(missing_ok=True)
                elif action == "add":
                    target.write_text(f"# File {f}\n\n{paragraph(random.Random(f))}\n")  # as file f began
                for indexed, count in expected.items():
                    exact(indexes[indexed], count)
        finally:
            for index in indexes.values():
                index.close()

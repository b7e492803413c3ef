"""A document and what it was built into, side by side (paper.tex and paper.pdf, notes.md and notes.html):
the source is indexed, the build is left out and named, and comes back when the source goes or is excluded."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from conftest import run_cell, write_tree
from hypothesis import given, settings
from hypothesis import strategies as st
from pdfgen import write_pdf

from jupyter_docchat import DocIndex, IndexOptions
from jupyter_docchat.indexing.skips import BUILT, built_from_sources

FINDING = "The lattice reduction converged after eleven rounds on every benchmark curve we tried."
LATEX = ("\\documentclass{article}\n\\begin{document}\n\\section{Results}\n" + FINDING
         + "\nThe remaining curves needed a second pass.\n\\end{document}\n")


def folder_with_twins(root: Path) -> Path:
    folder = write_tree(root, {
        "paper.tex": LATEX,
        "notes.md": "# Notes\n\nThe quarterly audit found the ledger balanced to the last cent.\n",
        "notes.html": "<html><body><h1>Notes</h1><p>The quarterly audit found the ledger balanced to the last cent."
                      "</p></body></html>",
        "analysis.Rmd": "# Analysis\n\n```{r}\nmean(x)\n```\n",
        "analysis.html": "<html><body><h1>Analysis</h1><p>The mean of x was 4.2 over the whole sample.</p></body></html>",
    })
    write_pdf(folder / "paper.pdf", [["Results", FINDING, "The remaining curves needed a second pass."]])
    write_pdf(folder / "slides.pdf", [["Slides", "The talk summarised the lattice reduction for a wider audience."]])
    return folder


def files_found(index: DocIndex, query: str) -> list[str]:
    return [hit.source for hit in index.search(query, k=10)]


def test_the_source_is_indexed_and_its_build_named(tmp_path: Path) -> None:
    folder = folder_with_twins(tmp_path / "paper folder")
    with DocIndex(tmp_path / "store") as index:
        report = index.update(folder)
        indexed = set(index.catalog.files(index.collection))
        assert indexed == {"paper.tex", "notes.md", "analysis.Rmd", "analysis.html", "slides.pdf"}
        assert ("paper.pdf", "built from paper.tex") in report.skipped_files
        assert ("notes.html", "built from notes.md") in report.skipped_files
        assert report.skipped[BUILT] == 2
        assert "built from paper.tex" in report.summary() and "--include GLOB or --all" in report.summary()
        # the passage once, not twice among the sources
        assert files_found(index, "lattice reduction converged eleven rounds").count("paper.tex") >= 1
        assert "paper.pdf" not in files_found(index, "lattice reduction converged eleven rounds")


def test_include_or_all_brings_the_build_back(tmp_path: Path) -> None:
    folder = folder_with_twins(tmp_path / "f")
    with DocIndex(tmp_path / "store") as index:
        index.update(folder, IndexOptions(includes=["*.pdf"]))
        assert {"paper.pdf", "paper.tex", "slides.pdf"} <= set(index.catalog.files(index.collection))
        assert "notes.html" not in set(index.catalog.files(index.collection))
    with DocIndex(tmp_path / "store2") as index:
        report = index.update(folder, IndexOptions(all_files=True))
        assert {"paper.pdf", "notes.html"} <= set(index.catalog.files(index.collection))
        assert BUILT not in report.skipped


def test_the_build_comes_back_when_its_source_goes_or_is_excluded(tmp_path: Path) -> None:
    folder = folder_with_twins(tmp_path / "f")
    with DocIndex(tmp_path / "store") as index:
        index.update(folder)
        assert "paper.pdf" not in set(index.catalog.files(index.collection))
        (folder / "paper.tex").unlink()
        report = index.update(folder)
        assert "paper.pdf" in set(index.catalog.files(index.collection)) and report.added == 1
        assert "paper.pdf" in files_found(index, "lattice reduction converged eleven rounds")
    with DocIndex(tmp_path / "store2") as index:
        index.update(folder_with_twins(tmp_path / "g"), IndexOptions(excludes=["*.md"]))
        assert "notes.html" in set(index.catalog.files(index.collection))
    # a source ignored by the folder's .gitignore leaves its build indexed too
    ignored = folder_with_twins(tmp_path / "h")
    (ignored / ".gitignore").write_text("*.tex\n")
    with DocIndex(tmp_path / "store3") as index:
        index.update(ignored)
        assert "paper.pdf" in set(index.catalog.files(index.collection))


def test_a_store_that_held_both_drops_the_build(tmp_path: Path) -> None:
    folder = folder_with_twins(tmp_path / "f")
    with DocIndex(tmp_path / "store") as index:
        index.update(folder, IndexOptions(all_files=True))  # as an older docchat indexed it
        report = index.update(folder)
        assert report.removed == 2 and "paper.pdf" not in set(index.catalog.files(index.collection))


def test_the_magic_names_the_build(ip, tmp_path: Path, capsys) -> None:
    folder = folder_with_twins(tmp_path / "papers")
    _, error = run_cell(ip, f"%docchat_index {str(folder)!r}")
    assert error is None
    shown = capsys.readouterr().out
    assert "paper.pdf (built from paper.tex)" in shown and "notes.html (built from notes.md)" in shown


def test_a_name_matches_its_source_in_either_unicode_form() -> None:
    """A Mac writes "café.md" decomposed (NFD); the "café.html" pandoc made here is composed: one name (probe 14)."""
    nfd, nfc = unicodedata.normalize("NFD", "café"), unicodedata.normalize("NFC", "café")
    assert built_from_sources([f"d/{nfd}.md", f"d/{nfc}.html"]) == {f"d/{nfc}.html": f"d/{nfd}.md"}


def test_rule_by_name() -> None:
    assert built_from_sources(["a/Paper.PDF", "a/paper.tex", "b/paper.pdf", "c/x.html.gz", "c/X.md",
                               "d/r.Rmd", "d/r.html", "e/n.ipynb", "e/n.html", "e/n.pdf", "f/.pdf", "f/.tex"]) == {
        "a/Paper.PDF": "a/paper.tex", "c/x.html.gz": "c/X.md", "e/n.html": "e/n.ipynb", "e/n.pdf": "e/n.ipynb"}


NAMES = st.sampled_from(["a", "A", "b", "notes", "x.y"])
SUFFIXES = st.sampled_from([".pdf", ".PDF", ".tex", ".md", ".html", ".htm", ".html.gz", ".rst", ".ipynb", ".Rmd",
                            ".txt", ".docx", ""])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["", "d/", "d/e/"]), NAMES, SUFFIXES), max_size=20))
def test_a_build_is_left_out_only_for_a_source_that_stays(parts: list[tuple[str, str, str]]) -> None:
    files = sorted({f"{folder}{name}{suffix}" for folder, name, suffix in parts})
    built = built_from_sources(files)
    for rel, source in built.items():
        assert rel in files and source in files and source not in built  # a source is never left out
        assert rel.rsplit("/", 1)[0] == source.rsplit("/", 1)[0] if "/" in rel else "/" not in source
        assert rel.lower().removesuffix(".gz").rsplit(".", 1)[0] == source.lower().rsplit(".", 1)[0]
        assert rel.lower().removesuffix(".gz").endswith((".pdf", ".html", ".htm"))
        assert not source.lower().endswith((".rmd", ".txt", ".pdf", ".html", ".htm", ".gz"))
        assert not source.lower().endswith(".docx") or rel.lower().endswith(".pdf")  # a report's PDF (walk 32)


def test_a_source_that_reads_to_nothing_leaves_its_build_indexed(tmp_path: Path) -> None:
    """A source docchat reads to no text (a notebook that is not JSON, a .tex of comments only, a notebook with
    no cells) does not stand for its build: the build was left out, and its text was in no index (probe 14)."""
    folder = write_tree(tmp_path / "f", {
        "nb.ipynb": '{"cells": [ broken',
        "nb.html": "<html><body><h1>Export</h1><p>The export records the zebra quagga crossing count.</p></body></html>",
        "paper.tex": "% a draft, nothing typeset yet\n",
        "empty.ipynb": '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}',
        "empty.html": "<html><body><h1>Empty</h1><p>The pangolin survey counted forty scales.</p></body></html>",
        "notes.md": "# Notes\n\nThe quarterly audit found the ledger balanced to the last cent.\n",
        "notes.html": "<html><body><h1>Notes</h1><p>The quarterly audit found the ledger balanced.</p></body></html>",
    })
    write_pdf(folder / "paper.pdf", [["Results", FINDING]])
    with DocIndex(tmp_path / "store") as index:
        report = index.update(folder)
        indexed = set(index.catalog.files(index.collection))
        assert {"nb.html", "paper.pdf", "empty.html", "notes.md"} <= indexed and "notes.html" not in indexed
        assert report.skipped[BUILT] == 1 and ("notes.html", "built from notes.md") in report.skipped_files
        assert not any(name in ("nb.html", "paper.pdf", "empty.html") for name, _ in report.skipped_files)
        assert "nb.html" in files_found(index, "zebra quagga crossing")
        # nothing changed: the check before a question finds nothing to do, and an update leaves it all
        assert index.refresh() is None
        again = index.update(folder)
        assert again.unchanged == 4 and again.added == again.removed == 0
        # the source gains text: it stands for its build again, which leaves the index
        (folder / "paper.tex").write_text(LATEX)
        later = index.update(folder)
        indexed = set(index.catalog.files(index.collection))
        assert "paper.tex" in indexed and "paper.pdf" not in indexed and later.removed == 1
        assert ("paper.pdf", "built from paper.tex") in later.skipped_files


def test_a_build_read_after_its_source_uses_workers_of_its_own(tmp_path: Path) -> None:
    """A folder worth worker processes: the first reading shuts the early workers down, and the build of a source
    that read to nothing was handed to them after that: the update never returned (probe 14)."""
    import random
    import threading

    from jupyter_docchat.indexing.reading import POOL_MIN_BYTES, POOL_MIN_FILES

    folder = tmp_path / "f"
    folder.mkdir()
    rng = random.Random(3)
    size = POOL_MIN_BYTES // POOL_MIN_FILES + 1
    for n in range(POOL_MIN_FILES + 1):  # machine-length lines: read by the workers, and no chunk to embed
        line = "".join(rng.choice("{}();=abc0123,.:") for _ in range(900))
        (folder / f"min{n}.txt").write_text("\n".join([line] * (size // 900 + 1)))
    (folder / "nb.ipynb").write_text('{"cells": [ broken')
    (folder / "nb.html").write_text("<html><body><h1>Export</h1><p>The zebra quagga crossing count.</p></body></html>")
    done: list[set[str]] = []

    def update() -> None:
        with DocIndex(tmp_path / "store") as index:
            index.update(folder)
            done.append(set(index.catalog.files(index.collection)))

    worker = threading.Thread(target=update, daemon=True)
    worker.start()
    worker.join(240)
    assert not worker.is_alive(), "the update never returned"
    assert done == [{"nb.html"}]

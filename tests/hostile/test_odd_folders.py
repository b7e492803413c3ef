"""Issue 23's user paths on odd folders: whatever a folder holds, each file left out is named with its
reason, and no file stops the whole index."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from conftest import write_tree
from pdfgen import pdf_bytes

from jupyter_docchat import DocIndex, IndexOptions
from jupyter_docchat.indexing.readers.clean import clean_text
from jupyter_docchat.safe_text import fenced


def test_a_file_with_no_text_is_named_not_counted_as_indexed(tmp_path: Path) -> None:
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "scan.pdf").write_bytes(pdf_bytes([[], []]))  # pages, but no text on them: a scan
    (folder / "blank.md").write_text("\n   \n\t\n")
    (folder / "report.pdf").write_bytes(pdf_bytes([["The vault ratio is ten percent."]]))
    index = DocIndex(tmp_path / "store")
    report = index.update(folder)
    assert report.added == 1 and set(index.catalog.files(index.collection)) == {"report.pdf"}
    assert ("scan.pdf", "no text (scanned pages? docchat does not read text in images)") in report.skipped_files
    assert ("blank.md", "no text") in report.skipped_files
    assert "scan.pdf (no text (scanned pages?" in report.summary()
    (folder / "blank.md").write_text("# Blank no more\n\nThe vault opens at nine.\n")
    again = index.update(folder)  # once it holds text it is indexed like any file
    assert again.added == 1 and again.unchanged == 1 and [s for s, _ in again.skipped_files] == ["scan.pdf"]
    (folder / "report.pdf").write_bytes(pdf_bytes([[]]))  # an indexed file that loses its text leaves the index
    last = index.update(folder)
    assert last.removed == 1 and set(index.catalog.files(index.collection)) == {"blank.md"}
    assert not index.search("vault ratio ten percent", k=3, mode="lexical") or all(
        h.source == "blank.md" for h in index.search("vault ratio ten percent", k=3, mode="lexical"))
    index.close()


def test_installed_packages_are_named_and_brought_back_by_include_or_all(tmp_path: Path) -> None:
    folder = write_tree(tmp_path / "checkout", {"README.md": "# App\n\nThe app counts reserves.\n",
                      "node_modules/leftpad/README.md": "# leftpad\n\nPads strings on the left.\n",
                      "env/pyvenv.cfg": "home = /usr/bin\n",
                      "env/lib/site.py": "def pad():\n    return 'site packages code'\n",
                      "conda/conda-meta/history": "",
                      "conda/lib/mod.py": "X = 'conda code'\n",
                      "docs/venv-notes.md": "# Venv notes\n\nA folder called docs is not a venv.\n"})
    index = DocIndex(tmp_path / "store")
    report = index.update(folder)
    assert set(index.catalog.files(index.collection)) == {"README.md", "docs/venv-notes.md"}
    assert {("node_modules/", "installed packages"), ("env/", "installed packages"),
            ("conda/", "installed packages")} <= set(report.skipped_files)
    assert "3 installed packages" in report.summary() and "--include GLOB or --all" in report.summary()
    index.update(folder, IndexOptions(includes=["node_modules/leftpad/README.md"]))
    assert set(index.catalog.files(index.collection)) == {"README.md", "docs/venv-notes.md",
                                                          "node_modules/leftpad/README.md"}
    index.update(folder, IndexOptions(all_files=True))
    assert {"env/lib/site.py", "conda/lib/mod.py"} <= set(index.catalog.files(index.collection))
    index.close()


def checkout(root: Path) -> Path:
    """A git checkout whose .gitignore leaves out the Sphinx build, as a project's usually does."""
    write_tree(root, {".gitignore": "_build/\n*.tmp\n", "README.md": "# Widget\n\nThe widget project.\n",
                      "docs/index.rst": "Widget\n======\n\nThe widget spins.\n",
                      "docs/_build/html/index.html": "<html><body><h1>Widget</h1><p>The widget spins at nine hertz.</p></body></html>",
                      "docs/_build/html/guide/setup.html": "<html><body><h1>Setup</h1><p>Install the widget.</p></body></html>",
                      "docs/_build/html/.gitignore": "guide/\n"})
    (root / ".git").mkdir()
    return root


def test_a_build_folder_the_checkout_ignores_is_indexed_when_named(tmp_path: Path) -> None:
    repo = checkout(tmp_path / "repo")
    index = DocIndex(tmp_path / "store")
    report = index.update(repo / "docs" / "_build" / "html")  # the user points at the build itself
    assert set(index.catalog.files(index.collection)) == {"index.html"}, report.summary()
    assert ("guide/", "ignored by .gitignore") in report.skipped_files  # the folder's own ignore file counts
    whole = DocIndex(tmp_path / "store", "whole").update(repo)  # from the top, the build stays ignored
    assert ("docs/_build/", "ignored by .gitignore") in whole.skipped_files and whole.added == 2
    index.close()


def test_a_folder_all_left_out_says_why_in_one_line(tmp_path: Path) -> None:
    import pytest

    from jupyter_docchat.errors import FolderError

    repo = checkout(tmp_path / "repo")
    (repo / "docs" / "index.rst").unlink()
    with pytest.raises(FolderError) as error:
        DocIndex(tmp_path / "store").update(repo / "docs")
    assert str(error.value) == (f"no files to index in {repo / 'docs'}: every file or folder in it is left out "
                                "(1 ignored by .gitignore); --include GLOB or --all indexes what is skipped by default")
    assert DocIndex(tmp_path / "store").update(repo / "docs", IndexOptions(all_files=True)).added == 2


def test_a_notebook_other_tools_wrote_is_read_and_a_json_that_is_no_notebook_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "notebooks"
    folder.mkdir()
    loose = {"cells": [{"cell_type": "markdown", "source": "# Reserves\n\nThe vault ratio is ten percent."},  # no metadata
                       {"cell_type": "code", "source": ["ratio = 10\n", 5, None], "outputs": [{"output_type": "odd"}]},
                       "not a cell", {"cell_type": "markdown", "source": {"text": "a dict"}}],
             "nbformat": 4, "nbformat_minor": 4, "metadata": {}}
    (folder / "loose.ipynb").write_text(json.dumps(loose))
    (folder / "list.ipynb").write_text("[1, 2]")
    (folder / "broken.ipynb").write_text('{"cells": [')
    index = DocIndex(tmp_path / "store")
    report = index.update(folder)
    assert set(index.catalog.files(index.collection)) == {"loose.ipynb"}
    hits = {(h.location, h.text) for h in index.file_chunks("loose.ipynb")}
    # One chunk: the code cell under the Markdown cell introducing it, fenced.
    assert hits == {("cells 1-2", "# Reserves\n\nThe vault ratio is ten percent.\n\n```\nratio = 10\n```")}
    assert sorted(report.skipped_files) == [("broken.ipynb", "unreadable notebook (not JSON)"),
                                            ("list.ipynb", "not a notebook (no list of cells)")]
    index.close()


CELL = st.one_of(
    st.fixed_dictionaries({"cell_type": st.sampled_from(["markdown", "code", "raw", 5, None])},
                          optional={"source": st.one_of(st.text(), st.lists(st.one_of(st.text(), st.integers(), st.none())),
                                                        st.integers(), st.none()),
                                    "metadata": st.just({}), "outputs": st.lists(st.dictionaries(st.text(), st.text()))}),
    st.text(), st.integers(), st.none())
NOTEBOOK = st.one_of(
    st.fixed_dictionaries({"cells": st.lists(CELL, max_size=6)},
                          optional={"nbformat": st.sampled_from([3, 4, 5, "4"]), "nbformat_minor": st.integers(0, 5),
                                    "metadata": st.just({})}),
    st.lists(CELL, max_size=3), st.dictionaries(st.text(), st.integers(), max_size=2), st.text(), st.integers())


@settings(max_examples=150, deadline=None)
@given(notebook=NOTEBOOK)
def test_any_notebook_shaped_json_gives_its_cells_or_a_named_skip(notebook) -> None:
    from jupyter_docchat.indexing.readers import UnreadableFile, read_sections

    try:
        sections = read_sections(Path("n.ipynb"), json.dumps(notebook).encode())
    except UnreadableFile as exc:
        assert exc.reason.startswith(("unreadable notebook (", "not a notebook (")) and "\n" not in exc.reason
        assert not (isinstance(notebook, dict) and isinstance(notebook.get("cells"), list) and any(
            isinstance(c, dict) and c.get("cell_type") in ("markdown", "code") and isinstance(c.get("source"), str)
            and c["source"].strip() for c in notebook["cells"]))  # a list of cells with text is always read
        return
    cells = notebook["cells"]
    assert all(1 <= s.cell <= len(cells) and s.kind == cells[s.cell - 1]["cell_type"] for s in sections)
    for number, cell in enumerate(cells, 1):
        if isinstance(cell, dict) and cell.get("cell_type") in ("markdown", "code") and \
                isinstance(cell.get("source"), str) and clean_text(cell["source"]).strip():
            source = cell["source"] if cell["cell_type"] == "markdown" else fenced(cell["source"].rstrip())
            assert any(s.cell == number and s.text == clean_text(source) for s in sections), (number, cell)


def test_indexing_another_folder_into_a_collection_says_what_it_replaces(corpus: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "zebra.md").write_text("# Zebra\n\nThe zebra rule caps deposits.\n")
    index = DocIndex(tmp_path / "store")
    assert not index.update(corpus).replaced_folder
    assert not index.update(corpus).replaced_folder  # the same folder again: nothing to say
    report = index.update(other)
    assert report.removed == 6 and report.replaced_folder == str(corpus)
    assert report.summary().startswith(f"the collection docs mirrored {corpus} until now: its files not in this "
                                       "folder left it (index into another --collection to keep both): docs: 1 added")
    assert report.to_dict()["replaced_folder"] == str(corpus)
    assert not DocIndex(tmp_path / "store", "second").update(corpus).replaced_folder  # a new collection
    index.close()


def test_fifos_sockets_devices_and_broken_links_are_named_and_never_opened(tmp_path: Path) -> None:
    import os
    import socket
    import threading

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "guide.md").write_text("# Guide\n\nThe vault opens at nine.\n")
    os.mkfifo(folder / "pipe.md")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / "sock.md"))
    (folder / "zero.txt").symlink_to("/dev/zero")
    (folder / "dangling.md").symlink_to(folder / "nowhere.md")
    index = DocIndex(tmp_path / "store")
    box: list = []
    for follow in (False, True):
        thread = threading.Thread(target=lambda: box.append(index.update(folder, IndexOptions(follow_links=follow))), daemon=True)
        thread.start()
        thread.join(300)
        assert not thread.is_alive(), "an update blocked on a special file"
    named = [dict(report.skipped_files) for report in box]
    assert named[0] == {"pipe.md": "not a regular file", "sock.md": "not a regular file",
                        "dangling.md": "broken link", "zero.txt": "link outside the folder"}
    assert named[1] == {**named[0], "zero.txt": "not a regular file"}  # followed, a device is still not read
    assert set(index.catalog.files(index.collection)) == {"guide.md"}
    server.close()
    index.close()

"""``docchat status``, ``%docchat_status`` and ``DocIndex.status`` say when a collection's folder is gone
(deleted, moved, replaced by a file), as an answer does: the index is still there to search."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import run_cell, write_tree

from jupyter_docchat import DocIndex

GONE = "gone: answers come from the index as it was"


def status_line(store: Path, cwd: Path) -> str:
    done = subprocess.run([sys.executable, "-m", "jupyter_docchat.cli", "--store", str(store), "status"],
                          cwd=cwd, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_status_says_a_deleted_moved_or_replaced_folder_is_gone(tmp_path: Path) -> None:
    folder = write_tree(tmp_path / "docs", {"vault.md": "# Vault\n\nThe vault opens at nine.\n"})
    index = DocIndex(tmp_path / "store", collection="docs")
    index.update(folder)
    [info] = index.status()
    assert not info.folder_gone
    assert GONE not in status_line(tmp_path / "store", tmp_path)

    folder.rename(tmp_path / "moved")  # moved
    [info] = index.status()
    assert info.folder_gone and info.root == str(folder)
    out = status_line(tmp_path / "store", tmp_path)
    assert f"folder {folder} ({GONE})" in out and "1 file," in out  # the index is still counted
    assert index.search("vault opens", k=1, mode="lexical")[0].source == "vault.md"

    folder.write_text("a file where the folder was")  # replaced
    assert index.status()[0].folder_gone
    folder.unlink()
    (tmp_path / "moved").rename(folder)  # back: not gone
    assert not index.status()[0].folder_gone
    shutil.rmtree(folder)  # deleted
    assert index.status()[0].folder_gone
    index.close()


def test_a_folder_indexed_through_a_link_is_gone_when_the_link_breaks(tmp_path: Path) -> None:
    real = write_tree(tmp_path / "real", {"a.md": "# A\n\nText.\n"})
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    index = DocIndex(tmp_path / "store", collection="docs")
    index.update(tmp_path / "link")
    assert not index.status()[0].folder_gone
    real.rename(tmp_path / "elsewhere")
    assert index.status()[0].folder_gone
    index.close()


def test_the_status_magic_says_the_folder_is_gone(ip, tmp_path: Path) -> None:
    folder = write_tree(tmp_path / "notes", {"n.md": "# Notes\n\nThe porter keeps the keys.\n"})
    _, error = run_cell(ip, f"%docchat_index {folder} --wait")
    assert error is None
    status = ip.run_line_magic("docchat_status", "")
    assert GONE not in str(status) and GONE not in status.to_html()
    shutil.rmtree(folder)
    status = ip.run_line_magic("docchat_status", "")
    assert f"folder {folder} ({GONE})" in str(status)
    assert f"{folder} ({GONE})" in status.to_html()

"""A chat box asks where %%ask would when each question is sent: the store just indexed, a store opened again."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import write_tree


def _sources(ip) -> list[str]:
    return [source["source"] for source in ip.user_ns["docchat_history"][-1]["sources"]]


def _box_asked_once(ip, tmp_path: Path) -> tuple[Path, Path, object]:
    """A folder indexed into its own store, and a chat box on that store that has answered one question."""
    folder = write_tree(tmp_path / "docs", {"otters.md": "# Otters\n\nSea otters hold hands while they sleep.\n"})
    store = tmp_path / "store"
    ip.run_line_magic("docchat_index", f"{folder} --store {store} --quiet")
    box = ip.run_line_magic("docchat_chat", f"--store {store}")
    box.submit("What do sea otters do while they sleep?")
    box.wait()
    return folder, store, box


def test_a_box_opened_before_another_store_was_indexed_asks_that_store(ip, tmp_path: Path, capsys) -> None:
    """Opened on the default store, then ``%docchat_index B --store X``: %%ask now asks X, and so does the box."""
    first = write_tree(tmp_path / "first", {"otters.md": "# Otters\n\nSea otters hold hands while they sleep.\n"})
    second = write_tree(tmp_path / "second", {"herons.md": "# Herons\n\nGrey herons nest in colonies called heronries.\n"})
    ip.run_line_magic("docchat_index", f"{first} --quiet")
    box = ip.run_line_magic("docchat_chat", "")
    try:
        box.submit("Where do grey herons nest?")
        box.wait()
        assert all(source.endswith("otters.md") for source in _sources(ip))
        other = tmp_path / "other store"
        ip.run_line_magic("docchat_index", f"{second} --store '{other}' --quiet")
        box.submit("Where do grey herons nest?")
        box.wait()
        assert [Path(source).name for source in _sources(ip)] == ["herons.md"]
        assert "heronries" in ip.user_ns["docchat_history"][-1]["answer"]
    finally:
        box.close()


def test_a_box_opened_on_its_own_store_keeps_it(ip, tmp_path: Path) -> None:
    first = write_tree(tmp_path / "first", {"otters.md": "# Otters\n\nSea otters hold hands while they sleep.\n"})
    second = write_tree(tmp_path / "second", {"herons.md": "# Herons\n\nGrey herons nest in colonies called heronries.\n"})
    ip.run_line_magic("docchat_index", f"{first} --store {tmp_path / 'a'} --quiet")
    ip.run_line_magic("cd", str(tmp_path))
    box = ip.run_line_magic("docchat_chat", "--store a")  # relative: the folder it names now, not after %cd
    try:
        ip.run_line_magic("cd", str(second))
        ip.run_line_magic("docchat_index", f"{second} --store {tmp_path / 'b'} --quiet")
        box.submit("What do sea otters do while they sleep?")
        box.wait()
        assert [Path(source).name for source in _sources(ip)] == ["otters.md"]
    finally:
        box.close()


def test_a_box_whose_store_was_rebuilt_asks_the_new_one(ip, tmp_path: Path, capsys) -> None:
    """``--rebuild`` closes the index the box held; the box asks the one opened in its place."""
    folder = write_tree(tmp_path / "docs", {"otters.md": "# Otters\n\nSea otters hold hands while they sleep.\n"})
    ip.run_line_magic("docchat_index", f"{folder} --quiet")
    box = ip.run_line_magic("docchat_chat", "")
    try:
        (folder / "otters.md").write_text("# Otters\n\nSea otters wrap themselves in kelp while they sleep.\n")
        ip.run_line_magic("docchat_index", f"{folder} --rebuild --quiet")
        box.submit("What do sea otters do while they sleep?")
        box.wait()
        assert "kelp" in ip.user_ns["docchat_history"][-1]["answer"]
        assert "docchat error" not in box.transcript_html()
    finally:
        box.close()


def test_a_box_whose_store_was_deleted_says_so_in_the_box_and_keeps_its_history(ip, tmp_path: Path) -> None:
    _, store, box = _box_asked_once(ip, tmp_path)
    try:
        shutil.rmtree(store)
        box.submit("And in the day?")
        box.wait()
        assert len(ip.user_ns["docchat_history"]) == 1  # the first turn kept
        html = box.transcript_html()
        assert "hold hands" in html and ("docchat error" in html or "no store" in html.lower())
    finally:
        box.close()


def test_a_box_whose_store_was_made_again_says_so_in_its_note_not_a_log(ip, tmp_path: Path, capsys) -> None:
    """The store deleted and made again by another process: the box opens it again and says so in its own note (printed
    from the widget's callback, the line went to JupyterLab's log console; probe 35)."""
    from jupyter_docchat import DocIndex

    folder, store, box = _box_asked_once(ip, tmp_path)
    try:
        shutil.rmtree(store)
        (folder / "otters.md").write_text("# Otters\n\nSea otters wrap themselves in kelp while they sleep.\n")
        with DocIndex(store) as other:  # another process's run, as a script or the command line makes it
            other.update(folder)
        capsys.readouterr()
        box.submit("What do sea otters do while they sleep?")
        box.wait()
        assert "kelp" in ip.user_ns["docchat_history"][-1]["answer"]
        assert "opening it again" in box.note.value and "opening it again" not in capsys.readouterr().out
    finally:
        box.close()

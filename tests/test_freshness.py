"""Never stale: an edited, added or removed document is reflected in the next answer without %docchat_index."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import ask

from jupyter_docchat import DocIndex, IndexOptions


def answer_and_note(ip) -> tuple[str, str]:
    turn = ip.user_ns["docchat_history"][-1]
    return turn["answer"], turn["refreshed"]


def touch_later(path: Path) -> None:
    """Move the modification time on, as an editor saving a second later would."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


def test_an_edited_document_is_reindexed_before_the_next_answer(ip, corpus: Path, capsys) -> None:
    (corpus / "vault.md").write_text("# Vault\n\nThe vault code is 4417.\n")
    ip.run_line_magic("docchat_index", f"{corpus} --quiet")
    ask(ip, "What is the vault code?", "--no-stream")
    assert "4417" in answer_and_note(ip)[0] and answer_and_note(ip)[1] == ""  # nothing changed: no note
    (corpus / "vault.md").write_text("# Vault\n\nThe vault code is 9021.\n")
    touch_later(corpus / "vault.md")
    (corpus / "extra.txt").write_text("The night guard starts at ten.")
    (corpus / "interest_rates.txt").unlink()
    view = ask(ip, "What is the vault code?", "--no-stream")
    answer, note = answer_and_note(ip)
    assert "9021" in answer and "4417" not in answer
    assert note == "re-indexed 3 changed files (1 added, 1 updated, 1 removed)"
    assert note in view._repr_mimebundle_()["text/html"]
    ip.run_line_magic("config", "DocChat.auto_update = False")
    (corpus / "vault.md").write_text("# Vault\n\nThe vault code is 1234.\n")
    touch_later(corpus / "vault.md")
    ask(ip, "What is the vault code?", "--no-stream")
    assert "9021" in answer_and_note(ip)[0] and answer_and_note(ip)[1] == ""  # off: the index stays as it was


def test_refresh_costs_one_stat_per_file_and_keeps_the_index_options(tmp_path: Path, monkeypatch) -> None:
    import jupyter_docchat.index as index_module
    import jupyter_docchat.indexing.ingest as ingest

    folder = tmp_path / "docs"
    folder.mkdir()
    for n in range(30):
        (folder / f"note{n}.md").write_text(f"# Note {n}\n\nNote number {n} is about topic {n}.\n")
    (folder / "skip.log").write_text("not indexed: excluded by the glob")
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")  # unsupported: skipped, not re-read each time
    index = DocIndex(tmp_path / "store")
    index.update(folder, IndexOptions(globs=["*.md", "*.png"]))
    assert index.refresh() is None  # nothing changed (the skipped image does not count as new)
    # Counted, not timed: one stat a file a refresh, and nothing read or hashed.
    stamps, hashed = [], []
    stamp, digest = index_module.file_stamp, ingest.file_hash
    monkeypatch.setattr(index_module, "file_stamp", lambda path: stamps.append(path) or stamp(path))
    monkeypatch.setattr(ingest, "file_hash", lambda data: hashed.append(data) or digest(data))
    for _ in range(10):
        assert index.refresh() is None
    assert len(stamps) == 10 * 31 and len(set(stamps)) == 31 and not hashed  # 30 notes and the image
    (folder / "new.log").write_text("still excluded")
    assert index.refresh() is None  # the glob of the last update still applies
    (folder / "note3.md").write_text("# Note 3\n\nNote three now talks about gardens.\n")
    touch_later(folder / "note3.md")
    report = index.refresh()
    assert report is not None and report.updated == 1 and report.unchanged == 29
    assert [h for h in hashed if h.startswith(b"# Note")] == [b"# Note 3\n\nNote three now talks about gardens.\n"]
    # (the 29 unchanged notes were not even hashed; the image, never indexed, is looked at each update)

"""Probe 3: the magics' settings. ``%config DocChat.store = ''`` (meant as "the default") was taken as the
working directory: %docchat_status showed "store .", and %docchat_index would have written the store's
files among the user's own and skipped the whole folder as the store."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cell


def test_an_empty_store_setting_is_refused_and_the_old_one_kept(ip, caplog, tmp_path: Path, monkeypatch) -> None:
    magics = ip.magics_manager.registry["DocChat"]
    before = magics.store
    monkeypatch.chdir(tmp_path)
    for empty in ("", "   "):
        _, error = run_cell(ip, f"%config DocChat.store = {empty!r}")
        assert error is None and magics.store == before  # %config says the TraitError in one line
        assert "store must name a folder" in caplog.text
    assert not list(tmp_path.iterdir())

"""The magics in a real IPython InteractiveShell, on a real store."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cell
from IPython.core.error import UsageError


def test_load_both_names_and_unload(shell) -> None:
    shell.run_line_magic("unload_ext", "docchat")
    assert "docchat_index" not in shell.magics_manager.magics["line"]
    shell.run_line_magic("load_ext", "jupyter_docchat")
    assert {"docchat_index", "docchat_status", "ask", "docchat_history"} <= set(shell.magics_manager.magics["line"])
    assert "ask" in shell.magics_manager.magics["cell"]
    shell.run_line_magic("unload_ext", "jupyter_docchat")
    shell.run_line_magic("load_ext", "docchat")
    assert "docchat_index" in shell.magics_manager.magics["line"]


def test_index_prints_one_summary_line_and_status_counts(ip, corpus: Path, capsys) -> None:
    ip.run_line_magic("docchat_index", str(corpus))
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and "6 added" in out[0] and "chunks/s" in out[0]
    status = ip.run_line_magic("docchat_status", "")
    assert "docs: 6 files" in str(status) and "minilm" in str(status)
    bundle = status._repr_mimebundle_()
    assert "<table>" in bundle["text/html"] and bundle["text/plain"] == str(status)
    ip.run_line_magic("docchat_index", str(corpus))
    assert "6 unchanged" in capsys.readouterr().out


def test_config_traits_reach_the_core(ip, corpus: Path, capsys) -> None:
    ip.run_line_magic("config", "DocChat.chunk_size = 200")
    ip.run_line_magic("config", "DocChat.chunk_overlap = 20")
    try:
        ip.run_line_magic("docchat_index", f"{corpus} --collection small")
        small = ip.run_line_magic("docchat_status", "")
    finally:
        ip.run_line_magic("config", "DocChat.chunk_size = 800")
        ip.run_line_magic("config", "DocChat.chunk_overlap = 100")
    ip.run_line_magic("docchat_index", f"{corpus} --collection big")
    counts = {c.name: c.chunks for c in small.collections}
    big = {c.name: c.chunks for c in ip.run_line_magic("docchat_status", "").collections}
    # Smaller chunks, many more of them (a sliver under 80 characters joins its neighbour, so not quite 200/800 x).
    assert counts["small"] > 1.5 * big["big"]


def test_env_defaults_feed_the_traits(shell, monkeypatch, tmp_path: Path) -> None:
    from jupyter_docchat.notebook.magics import DocChat

    monkeypatch.setenv("DOCCHAT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("DOCCHAT_CHUNK_SIZE", "321")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env-key")
    magics = DocChat(shell=None)  # no parent config: the environment alone decides
    s = magics.settings()
    assert s.store == tmp_path / "home" and s.chunk_size == 321 and s.api_key == "sk-env-key"
    assert "sk-env-key" not in repr(s)


def test_errors_are_one_line_usage_errors(ip, tmp_path: Path) -> None:
    for line, expected in [
        (f"{tmp_path / 'missing'}", "folder not found"),
        (f"{tmp_path}/x --chunk-size 10", "chunk size must be a whole number of at least 50"),
    ]:
        (tmp_path / "x").mkdir(exist_ok=True)
        (tmp_path / "x" / "a.txt").write_text("hello there")
        result, error = run_cell(ip, f"%docchat_index {line}")
        assert isinstance(error, UsageError) and expected in str(error), error
        assert "\n" not in str(error)
    result, error = run_cell(ip, "%docchat_index")
    assert isinstance(error, UsageError)


def test_store_flag_and_invalid_collection(ip, corpus: Path, tmp_path: Path) -> None:
    result, error = run_cell(ip, f"%docchat_index {corpus} --store {tmp_path / 'other'} --collection x")
    assert isinstance(error, UsageError) and "invalid collection name" in str(error)
    result, error = run_cell(ip, f"%docchat_index {corpus} --store {tmp_path / 'other'} --quiet")
    assert error is None
    assert (tmp_path / "other" / "docchat.sqlite").exists()


def test_the_store_and_collection_just_indexed_are_where_later_magics_ask(ip, corpus: Path, tmp_path: Path,
                                                                           capsys) -> None:
    """A new user indexed ``--store X`` and asked without it: "no store at ./.docchat" (walk 31)."""
    other = tmp_path / "my store"
    ip.run_line_magic("docchat_index", f'{corpus} --store "{other}" --collection papers --quiet')
    out = capsys.readouterr().out
    assert f"now use --store '{other}' --collection papers" in out
    result, error = run_cell(ip, "%ask What is the Bank Term Funding Program?")
    assert error is None, error
    assert "regulators_response" in capsys.readouterr().out  # a source cited: it asked the store just built
    assert not (tmp_path / "store").exists()  # the configured store was never made
    status = ip.run_line_magic("docchat_status", "")
    assert [c.name for c in status.collections] == ["papers"]
    ip.run_line_magic("docchat_index", f'{corpus} --store "{other}/." --quiet')  # the same folder: nothing to say
    assert "now use" not in capsys.readouterr().out
    result, error = run_cell(ip, f"%docchat_index {corpus} --store {tmp_path / 'third'} --collection x")
    assert isinstance(error, UsageError)  # a failed index moves nothing
    assert ip.magics_manager.registry["DocChat"].store == str(other)


def test_a_key_in_the_store_just_indexed_is_not_shown(ip, corpus: Path, tmp_path: Path, capsys) -> None:
    key = "sk-proj-Hn5Tq8Vw2Xy6Bc4Rd9ghiJKL"
    ip.run_line_magic("config", f"DocChat.api_key = {key!r}")
    ip.run_line_magic("docchat_index", f"{corpus} --store {tmp_path / key} --quiet")
    out = capsys.readouterr().out
    assert "now use --store" in out and key not in out


def test_wait_background_and_rebuild_options(ip, corpus: Path, capsys) -> None:
    result, error = run_cell(ip, f"%docchat_index {corpus} --wait --background")
    assert isinstance(error, UsageError) and "choose one" in str(error)
    ip.run_line_magic("docchat_index", f"{corpus} --background --quiet")
    out = capsys.readouterr().out
    assert "6 added" in out and "filling in the background" in out
    magics = ip.magics_manager.registry["DocChat"]
    index = magics.index_for(magics.settings())
    assert index.job is not None
    index.job.join(120)
    assert index.job.state == "done" and index.vectors_waiting() == 0
    (corpus / "new.md").write_text("# New\n\nA brand new note about treasury auctions and bond yields.")
    ip.run_line_magic("docchat_index", f"{corpus} --wait --quiet")
    out = capsys.readouterr().out
    assert "1 added" in out and "waiting" not in out and index.vectors_waiting() == 0
    ip.run_line_magic("docchat_index", f"{corpus} --rebuild --quiet")
    out = capsys.readouterr().out
    assert "7 added" in out and "0 unchanged" in out
    assert ip.run_line_magic("docchat_status", "").collections[0].files == 7

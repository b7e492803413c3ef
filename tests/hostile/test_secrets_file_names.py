"""A file named with the configured key is not named in the index's summary, its JSON or a copy's reason."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

from conftest import write_tree

from jupyter_docchat import DocIndex
from jupyter_docchat.cli import main

KEY = "sk-proj-ABCDEFGHIJKLMNOPQRSTUVWX1234"


def test_the_summary_and_its_json_never_name_a_file_holding_the_key(tmp_path: Path, monkeypatch) -> None:
    docs = write_tree(tmp_path / "docs", {f"key-{KEY}.xyz": "not a format docchat reads\n",
                                         "guide.md": "# Guide\n\nThe same page twice.\n",
                                         f"copy-{KEY}.md": "# Guide\n\nThe same page twice.\n",
                                         "other.xyz": "neither\n"})
    with DocIndex(tmp_path / "store", api_key=KEY) as index:
        report = index.update(docs)
    shown = report.summary() + json.dumps(report.to_dict())
    assert "ABCDEFGH" not in shown and "other.xyz" in shown
    assert "a file whose name holds the configured key" in shown
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--store", str(tmp_path / "store2"), "index", str(docs), "--json"])
    assert code == 0 and "ABCDEFGH" not in out.getvalue() + err.getvalue() and "other.xyz" in out.getvalue()

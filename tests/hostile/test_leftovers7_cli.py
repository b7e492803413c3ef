"""Leftover 7.6: ``docchat search`` built its own key check from its settings beside ``DocIndex.key_guard`` (which the
retrievers and the index summary use): two places to say which secrets count, which could drift apart."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import write_tree

from jupyter_docchat import DocIndex, cli
from jupyter_docchat.qa.key_guard import KeyGuard

KEY = "sk-Zq7Wx3Lm9Pt4Rv8Ks2Yb6Nc1Hd5Jf0Gt3Ue7Vm2Xp8"
OTHER = "tok-Hd5Jf0Gt3Ue7Vm2Xp8Zq7Wx3Lm9Pt4Rv8K"


def test_search_withholds_what_the_index_key_check_knows(tmp_path: Path, monkeypatch, capsys) -> None:
    folder = write_tree(tmp_path / "docs", {"deploy.md": f"# Deploy\n\nThe deploy token is {OTHER} for the runner.\n",
                                            "plain.md": "# Plain\n\nThe deploy runner reads its settings.\n"})
    store = tmp_path / "store"
    with DocIndex(store) as index:
        index.update(folder)
    # the index's check knows a secret the CLI's settings do not name: the search must follow the index's
    monkeypatch.setattr(DocIndex, "key_guard", lambda self: KeyGuard([KEY, OTHER]))
    assert cli.main(["--store", str(store), "search", "deploy token runner", "--json", "--mode", "lexical"]) == 0
    out = capsys.readouterr()
    assert OTHER not in out.out and [h["source"] for h in json.loads(out.out)] == ["plain.md"]
    assert "deploy.md" in out.err  # named as left out

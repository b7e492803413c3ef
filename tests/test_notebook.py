"""examples/quickstart.ipynb runs in a real Jupyter kernel (nbclient), offline."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from conftest import ROOT


def test_quickstart_runs_offline(tmp_path: Path, monkeypatch) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples", ignore=shutil.ignore_patterns(".docchat", "*.executed.ipynb"))
    monkeypatch.chdir(tmp_path)
    nb = nbformat.read(tmp_path / "examples" / "quickstart.ipynb", as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path / "examples")}}).execute()
    outputs = {cell.source: cell.outputs for cell in nb.cells if cell.cell_type == "code"}

    def text(source: str) -> str:
        return "\n".join(o.get("text", "") or o.get("data", {}).get("text/plain", "") for o in outputs[source])

    def html(source: str) -> str:
        return "\n".join(o.get("data", {}).get("text/html", "") for o in outputs[source])

    assert "6 added" in text("%docchat_index documents --quiet")
    first = "%%ask\nWhat caused the collapse of Silicon Valley Bank?"
    assert "svb_collapse.md" in text(first) and "dc-assistant" in html(first)
    assert "regulators_response.html" in text("%%ask\nAnd how did the regulators respond?")
    assert "250,000" in text("%ask What is the standard deposit insurance amount?")
    table = text("[(turn['question'], turn['sources'][0]['source'], turn['sources'][0]['location']) for turn in docchat_history]")
    assert "deposit_insurance.pdf" in table and "p. 1" in table
    assert (tmp_path / "examples" / ".docchat" / "docchat.sqlite").exists()

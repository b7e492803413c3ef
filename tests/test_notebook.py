"""examples/quickstart.ipynb runs in a real Jupyter kernel (nbclient), offline."""

from __future__ import annotations

import re
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


def test_notebook_sources_example_cites_a_document_a_cell_and_a_dataframe(tmp_path: Path, monkeypatch) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples",
                    ignore=shutil.ignore_patterns(".docchat", "*.executed.ipynb", "my documents"))
    monkeypatch.chdir(tmp_path)
    nb = nbformat.read(tmp_path / "examples" / "notebook_sources.ipynb", as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path / "examples")}}).execute()
    code = [cell for cell in nb.cells if cell.cell_type == "code"]

    def text(start: str) -> str:
        cell = next(c for c in code if c.source.startswith(start))
        return "\n".join(o.get("text", "") or o.get("data", {}).get("text/plain", "") for o in cell.outputs)

    both = text("%%ask --with outflows --notebook")
    assert "svb_collapse.md" in both  # a document
    assert re.search(r"this notebook \(cell \[\d+\]\)", both)  # a cell
    assert "outflows (DataFrame 2 × 3)" in both  # the DataFrame
    assert "24% of SVB's deposits" in both
    after_edit = text("%ask When did SVB's parent company")
    assert "re-indexed 1 changed file" in after_edit and "March 17, 2023" in after_edit
    # The shipped documents were not edited: the notebook works on its own copy.
    assert "Chapter 11" not in (tmp_path / "examples" / "documents" / "svb_collapse.md").read_text()

"""The type checker over the package (pyproject.toml's [tool.mypy]: strict on the store and retrieval layers)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_mypy_finds_no_errors_in_the_package(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "cache"), "jupyter_docchat"],
                         cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Success: no issues found" in run.stdout


def test_the_store_and_retrieval_layers_are_checked_strictly(tmp_path: Path) -> None:
    """An untyped function there is an error, as strict mode makes it (a config typo would let it pass)."""
    package = tmp_path / "jupyter_docchat"
    for layer in ("store", "retrieval", "qa"):
        (package / layer).mkdir(parents=True)
        (package / layer / "__init__.py").write_text("")
        (package / layer / "probe.py").write_text("def untyped(x):\n    return x\n")
    (package / "__init__.py").write_text("")
    run = subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"),
                          "--cache-dir", str(tmp_path / "cache"), "jupyter_docchat"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=300)
    flagged = {line.split("/")[1] for line in run.stdout.splitlines() if "no-untyped-def" in line}
    assert flagged == {"store", "retrieval"}, run.stdout + run.stderr

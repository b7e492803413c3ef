from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def docchat(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "jupyter_docchat.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=240)


def test_index_search_status_ask(corpus: Path, tmp_path: Path) -> None:
    done = docchat("index", str(corpus), "--quiet", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["added"] == 6
    assert (tmp_path / ".docchat" / "docchat.sqlite").exists()  # the default store is ./.docchat
    found = docchat("search", "Bank Term Funding Program", "--json", "-k", "2", cwd=tmp_path)
    hits = json.loads(found.stdout)
    assert hits[0]["source"] == "regulators_response.html" and hits[0]["start_line"] >= 1
    assert "docs: 6 files" in docchat("status", cwd=tmp_path).stdout
    answer = docchat("ask", "What is the standard deposit insurance amount?", cwd=tmp_path)
    assert answer.returncode == 0 and "250,000" in answer.stdout and "Extractive answer" in answer.stdout


def test_errors_are_one_line_with_exit_code(tmp_path: Path) -> None:
    done = docchat("index", str(tmp_path / "nowhere"), cwd=tmp_path)
    assert done.returncode == 1 and done.stderr.strip().count("\n") == 0 and "folder not found" in done.stderr
    done = docchat("search", "x", cwd=tmp_path)
    assert done.returncode == 1 and "%docchat_index" in done.stderr

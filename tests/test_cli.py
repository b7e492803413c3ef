from __future__ import annotations

import json
import os
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
    assert done.returncode == 1 and "(run docchat index <folder>)" in done.stderr and "%" not in done.stderr


def test_cli_prints_no_terminal_escapes_from_documents_or_models_and_streams_once(corpus: Path, tmp_path: Path,
                                                                                 fake) -> None:
    (corpus / "evil.md").write_text("# Evil \x1b]0;pwned\x07title\n\nThe vault \x1b[2J\x1b[31mcode\x1b[0m is 9 \x07beep.\n")
    assert docchat("index", str(corpus), "--quiet", cwd=tmp_path).returncode == 0
    found = docchat("search", "vault code", cwd=tmp_path)
    assert found.returncode == 0 and "vault" in found.stdout
    assert "\x1b" not in found.stdout and "\x07" not in found.stdout
    fake.answer = "The vault code is 9 \x1b[31m[1]\x1b]8;;http://evil\x07 once."
    env = {**os.environ, "OPENAI_BASE_URL": fake.url, "OPENAI_API_KEY": "sk-test", "DOCCHAT_MODEL": "test-model"}
    answer = subprocess.run([sys.executable, "-m", "jupyter_docchat.cli", "ask", "What is the vault code?"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=240, env=env)
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.count("The vault code is 9") == 1  # streamed, not printed again after
    assert "Sources:" in answer.stdout and "\x1b" not in answer.stdout and "\x07" not in answer.stdout


def test_asking_a_missing_store_says_so_and_creates_nothing(tmp_path: Path, ip) -> None:
    for command in (("search", "x"), ("ask", "x?")):
        done = docchat(*command, cwd=tmp_path)
        assert done.returncode == 1 and "no store at" in done.stderr and done.stderr.count("\n") == 1
    assert "no collections" in docchat("status", cwd=tmp_path).stdout or docchat("status", cwd=tmp_path).returncode == 0
    assert not (tmp_path / ".docchat").exists()
    from conftest import run_cell

    store = tmp_path / "never"
    ip.run_line_magic("config", f"DocChat.store = {str(store)!r}")
    result, error = run_cell(ip, "%ask What is this?")
    assert error is not None and "no store at" in str(error)
    assert ip.run_line_magic("docchat_status", "") is not None
    assert not store.exists()

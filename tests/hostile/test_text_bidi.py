"""Issue 22, item 3: bidirectional controls (U+202E and the like) in documents and file names are removed
from the CLI's and the notebook's text output, as escape sequences and other control characters are."""

from __future__ import annotations

from pathlib import Path

from conftest import ask, run_cell

from jupyter_docchat.cli import main

BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
NAME = "vault\u202egpj.md"  # a terminal would show "vaultdm.jpg"


def write_corpus(folder: Path) -> Path:
    (folder / NAME).write_text("# Vault \u2067codes\u2069\n\nThe vault code is 9\u202e4321\u202c and the safe "
                               "opens at noon \u200f\u061c\u2066for\u2069 the \u202dteller\u202a\u202b.\n")
    (folder / "broken\u202e.pdf").write_bytes(b"%PDF-1.4 not really a PDF")  # skipped, and named
    return folder


def bidi_in(text: str) -> list[str]:
    return [f"U+{ord(c):04X}" for c in text if c in BIDI]


def test_the_cli_prints_no_bidirectional_control(corpus: Path, tmp_path: Path, capsys) -> None:
    write_corpus(corpus)
    store = ["--store", str(tmp_path / "store")]
    assert main([*store, "index", str(corpus), "--quiet"]) == 0
    assert main([*store, "search", "vault code teller", "-k", "3"]) == 0
    assert main([*store, "ask", "What is the vault code?"]) == 0
    assert main([*store, "status"]) == 0
    assert main([*store, "index", str(corpus / "gone\u202e")]) == 1  # an error naming a path
    out = capsys.readouterr()
    assert "vaultgpj.md" in out.out and "The vault code is 94321" in out.out and "gone" in out.err
    assert bidi_in(out.out + out.err) == []


def test_the_notebook_text_output_has_no_bidirectional_control(ip, corpus: Path, capsys) -> None:
    write_corpus(corpus)
    ip.run_line_magic("docchat_index", f"{corpus} --quiet")
    view = ask(ip, "What is the vault code?", "--no-stream")
    status = ip.run_line_magic("docchat_status", "")
    _, error = run_cell(ip, f"%docchat_index '{corpus / 'gone'}\u202e'")
    printed = capsys.readouterr().out
    assert "broken.pdf" in printed  # the index summary names the skipped file
    text = str(view) + str(status) + str(error) + printed
    assert "vaultgpj.md" in str(view) and "9" in view.turn.answer
    assert bidi_in(text) == [], text

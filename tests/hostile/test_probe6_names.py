"""Probe 6: file and folder names that hold line breaks, terminal escapes or bidirectional controls.

A file named "new\\nline.txt" broke the one-line layout of ``docchat search``, of the sources under an
answer (``docchat ask``, ``print(answer)``, ``%%ask`` in a terminal) and of the index summary: its name
came out on two lines, so a name could forge a line of output ("x\\n[1] fake.txt (line 1) score 1.0"). A
line break in a name is now written as its escape ("\\n"), as an undecodable byte already was ("\\xff").
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from jupyter_docchat import DocIndex
from jupyter_docchat.cli import main
from jupyter_docchat.safe_text import for_terminal, name_on_one_line

NEWLINE = "forged\n[9] fake.txt (line 1) score 9.9999.txt"
ESCAPED = "esc\x1b[31mred.txt"
FLIPPED = "notes\u202edm.txt"
NAMES = {NEWLINE: "the zebra lives in the first file", ESCAPED: "the giraffe lives in the second file",
         FLIPPED: "the okapi lives in the third file"}
# A line break is written as its escape; escape sequences and bidirectional controls are removed (test_text_bidi).
SHOWN = {NEWLINE: "forged\\n[9] fake.txt (line 1) score 9.9999.txt", ESCAPED: "escred.txt", FLIPPED: "notesdm.txt"}


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def named(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A folder, itself named with a line break, of three files with hostile names (and a binary one, skipped),
    indexed once."""
    root = tmp_path_factory.mktemp("names")
    folder = root / "docs\nsecond line"
    folder.mkdir()
    for name, text in NAMES.items():
        (folder / name).write_text(text + "\n")
    (folder / "skip\nme.txt").write_bytes(b"\x00\x01\x02binary")
    store = root / "store"
    assert run(["--store", str(store), "index", str(folder), "--quiet"])[0] == 0
    return folder, store


def test_search_prints_each_hit_on_its_own_lines_with_its_name_escaped(named) -> None:
    _, store = named
    code, out, _ = run(["--store", str(store), "search", "zebra giraffe okapi", "-k", "3", "--mode", "lexical"])
    lines = out.splitlines()
    assert code == 0 and len(lines) == 6, out  # a hit is its line and its snippet's
    assert {re.sub(r" \(line 1\) score [\d.]+$", "", line[4:]) for line in lines[::2]} == set(SHOWN.values()), out
    assert "[9] fake.txt" not in [line[:12] for line in lines]


def test_the_sources_under_an_answer_are_one_line_each(named) -> None:
    folder, store = named
    code, out, _ = run(["--store", str(store), "ask", "where does the zebra live?", "--model", "extractive", "-k", "3"])
    sources = out.split("Sources:\n", 1)[1].splitlines()
    assert code == 0 and len(sources) == 3 and all(line.startswith("  [") for line in sources), out
    assert any(SHOWN[NEWLINE] in line for line in sources)
    answer = DocIndex(store).ask("where does the zebra live?", model="extractive", k=3)
    printed = str(answer).split("Sources:\n", 1)[1].splitlines()
    assert len(printed) == 3 and {line.split("] ", 1)[1].rsplit(" (", 1)[0] for line in printed} == set(SHOWN.values())


def test_the_summary_and_status_keep_to_their_lines(named) -> None:
    folder, store = named
    code, out, _ = run(["--store", str(store), "index", str(folder)])
    assert code == 0 and len(out.splitlines()) == 1 and "skip\\nme.txt (binary)" in out, out
    code, out, _ = run(["--store", str(store), "status"])
    assert code == 0 and len(out.splitlines()) == 2 and "docs\\nsecond line" in out, out


BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"  # where str.splitlines breaks
NAME_TEXT = st.lists(st.one_of(st.characters(codec=None, exclude_categories=()),
                               st.sampled_from(["\n", "\r\n", "\x1b[31m", "\u202e", "\u2028", "\x85", "\x0b", "\\"])),
                     max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(name=NAME_TEXT)
def test_a_shown_name_is_one_line_and_a_name_without_breaks_is_kept(name: str) -> None:
    shown = name_on_one_line(name)
    assert len(shown.splitlines()) <= 1 and len(for_terminal(shown).splitlines()) <= 1
    if not any(c in BREAKS or "\ud800" <= c <= "\udfff" for c in name):  # escapes and controls are for_terminal's
        assert shown == name


@pytest.mark.parametrize("argv, message", [
    (["index", "no\nsuch"], "docchat: folder not found: no\\nsuch\n"),
    (["eval", "q\nx.jsonl"], "docchat: cannot read q\\nx.jsonl: No such file or directory\n"),
    (["ask", "why?", "--model", "gguf:/no/model\n.gguf"], "docchat: GGUF file not found: /no/model\\n.gguf\n"),
])
def test_an_error_naming_a_path_with_a_line_break_is_one_line(named, argv: list[str], message: str) -> None:
    """Errors name what the user gave: a line break in it broke the one-line error in two."""
    _, store = named
    code, out, err = run(["--store", str(store), *argv])
    assert (code, err) == (1, message)


def test_a_store_path_with_a_line_break_is_one_line_in_the_cli_and_the_magics(ip, tmp_path: Path) -> None:
    from conftest import run_cell
    from IPython.core.error import UsageError

    store = tmp_path / "st\nore"
    code, _, err = run(["--store", str(store), "search", "zebra"])
    assert code == 1 and len(err.splitlines()) == 1 and "st\\nore" in err, err
    ip.user_ns["docchat_history"] = [{"question": "kept?", "answer": "yes"}]
    ip.run_line_magic("config", f"DocChat.store = {str(store)!r}")  # a Python string: its \n is a line break
    _, error = run_cell(ip, "%ask why?")
    assert isinstance(error, UsageError) and "\n" not in str(error) and "st\\nore" in str(error), error
    assert ip.user_ns["docchat_history"] == [{"question": "kept?", "answer": "yes"}]

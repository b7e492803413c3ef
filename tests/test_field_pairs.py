"""A field list as a documentation build renders it ("Exit code 5:" over "No tests were collected"): each label and
its value are one sentence, so the value is quoted with what it is the value of, and not as a block of configuration
introduced by the label. The unit splitter alone, a Hypothesis property, then %%ask in a real IPython shell over a
real store."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import ask
from hypothesis import given, settings, strategies as st

from jupyter_docchat.qa.answer_levers import SHIPPED
from jupyter_docchat.qa.answer_units import split_units

CODES = ("Running pytest can result in six different exit codes:\n\n"
         "Exit code 0:\n\nAll tests were collected and passed successfully\n\n"
         "Exit code 4:\n\npytest command line usage error\n\n"
         "Exit code 5:\n\nNo tests were collected\n\n"
         "They are represented by the pytest.ExitCode enum.\n")


def test_each_label_and_its_value_are_one_sentence() -> None:
    units = split_units(CODES, "Exit codes", field_pairs=True)
    texts = [u.text for u in units]
    assert "Exit code 5: No tests were collected" in texts
    assert "Exit code 4: pytest command line usage error" in texts
    assert not any(u.kind == "code" for u in units)  # no value read as configuration under its label
    assert not any(u.intro for u in units if u.text.startswith("Exit code"))
    # off, the label introduced its value as a block of configuration
    assert any(u.kind == "code" for u in split_units(CODES, "Exit codes"))


def test_a_lone_label_still_introduces_what_follows() -> None:
    text = "Example:\n\nexport LC_ALL=C.UTF-8\n\nThat fixes it.\n"
    units = split_units(text, "Locale", field_pairs=True)
    assert not any(u.text.startswith("Example: export") for u in units)  # one pair is no field list
    assert split_units(text, "Locale") == units


words = st.text(alphabet="abcdefgh ", min_size=1, max_size=30).map(str.strip).filter(bool)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(words, words), min_size=0, max_size=6), words)
def test_no_word_is_lost(pairs: list[tuple[str, str]], after: str) -> None:
    text = "\n\n".join(f"{label}:\n\n{value}" for label, value in pairs) + f"\n\n{after}.\n"
    units = split_units(text, "", field_pairs=True)
    said = re.findall(r"[a-h]+", " ".join(f"{u.intro} {u.text} {u.section}" for u in units))
    for word in re.findall(r"[a-h]+", text):
        assert word in said


def test_the_answer_quotes_the_field_with_its_label(ip, tmp_path: Path) -> None:
    folder = tmp_path / "manual"
    folder.mkdir()
    (folder / "exit-codes.html").write_text(
        "<html><body><h1>Exit codes</h1><p>Running pytest can result in six different exit codes:</p>"
        "<dl class='field-list'><dt>Exit code 0:</dt><dd><p>All tests were collected and passed successfully</p></dd>"
        "<dt>Exit code 4:</dt><dd><p>pytest command line usage error</p></dd>"
        "<dt>Exit code 5:</dt><dd><p>No tests were collected</p></dd></dl></body></html>")
    (folder / "other.txt").write_text("The warehouse opens at nine in the morning on weekdays.")
    ip.run_line_magic("docchat_index", f'"{folder}" --quiet')
    assert SHIPPED.field_pairs
    ask(ip, "What does exit code 5 mean?", "--no-stream")
    answer = ip.user_ns["docchat_history"][-1]["answer"].split("\n\n*Extractive answer")[0]
    assert "Exit code 5: No tests were collected" in answer
    assert "```" not in answer


def test_a_manual_pages_name_line_reads_as_written() -> None:
    # A man page's NAME: "git-fsck -" over its one-line description, a definition whose term ends with the dash.
    units = split_units("NAME\n\ngit-fsck -\nVerifies the connectivity and validity of the objects in the database\n\n"
                        "SYNOPSIS", "git-fsck(1) Manual Page")
    assert "git-fsck - Verifies the connectivity and validity of the objects in the database" in [u.text for u in units]
    assert not any("-:" in u.text for u in units)

"""Probe 25: failures found attacking field lists in offline answers, direction overrides closed in HTML answers,
citations and the question-time refresh. Real parts: the splitter, the Markdown renderer."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import least_seconds
from jupyter_docchat.markdown_html import bidi_closed, render_markdown
from jupyter_docchat.qa.answer_units import split_units

_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_embeddings_then_as_many_isolate_pops_close_in_linear_time() -> None:
    """Each U+2069 looked for an open isolate through every open embedding: 20,000 U+202A then 20,000 U+2069
    took seconds (100,000 of each, minutes) in bidi_closed, which the HTML answer runs on each piece of text."""
    def text(n: int) -> str:
        return "\u202a" * n + "\u2069" * n

    small = least_seconds(lambda: bidi_closed(text(2_000)))
    large = least_seconds(lambda: bidi_closed(text(40_000)))
    assert large < 0.5 and large < 60 * max(small, 1e-4)
    html = render_markdown(text(20_000) + " after [1]", citations=1)
    assert html.count("\u202a") == 20_000 and html.count("\u202c") == 20_000 and "docchat-cite" in html


@given(st.text(alphabet=st.sampled_from(list(_CONTROLS) + ["a", "\u05d0", " "]), max_size=60))
def test_bidi_closed_keeps_the_text_and_leaves_nothing_open(text: str) -> None:
    closed = bidi_closed(text)
    assert closed.startswith(text) and set(closed[len(text):]) <= {"\u202c", "\u2069"}
    assert bidi_closed(closed) == closed  # nothing left open: closing again adds nothing


def _units(text: str) -> list[tuple[str, str, str]]:
    return [(u.kind, u.text, u.intro) for u in split_units(text, field_pairs=True)]


def test_a_field_whose_value_is_a_list_keeps_its_items() -> None:
    """"Parameters:" over a numbered list, among other fields, was quoted as one sentence "Parameters: 1. the zebra
    count 2. the giraffe height": the items lost, their numbers inline. The label introduces its list, as without
    fields."""
    units = _units("Parameters:\n\n1. the zebra count\n2. the giraffe height\n\nReturns:\n\nint\n\n"
                   "Raises:\n\nValueError\n")
    assert ("item", "1. the zebra count", "Parameters:") in units
    assert ("item", "2. the giraffe height", "Parameters:") in units
    assert ("sentence", "Returns: int", "") in units and ("sentence", "Raises: ValueError", "") in units


def test_a_markdown_heading_is_no_fields_value() -> None:
    """"Type:" over "# Heading" was quoted "Type: Heading": a heading says where, it is no value."""
    units = _units("Type:\n\n# Heading\n\nDefault:\n\n5\n\nMode:\n\nfast\n")
    assert not any("Heading" in text for _, text, _ in units)
    assert ("sentence", "Default: 5", "") in units and ("sentence", "Mode: fast", "") in units


def test_a_collection_being_indexed_by_another_run_is_not_told_empty(tmp_path, monkeypatch) -> None:
    """A search while another process rebuilt the collection (its chunks dropped, its files not read yet) said
    "collection 'docs' is empty: its folder ... held no readable files when it was last indexed; add documents to it
    and index it again (run docchat index <folder>)": the folder was full, and the advice started a second run."""
    import subprocess
    import sys

    from filelock import FileLock

    from jupyter_docchat import DocIndex
    from jupyter_docchat.errors import NoIndexError
    from jupyter_docchat.index import LOCK_FILE

    folder, store = tmp_path / "docs", tmp_path / "store"
    folder.mkdir()
    (folder / "a.txt").write_text("The warehouse opens at nine in the morning on weekdays.\n")
    with DocIndex(store=store) as index:
        index.update(folder)
    (folder / "a.txt").rename(tmp_path / "a.txt")
    # The state a rebuild leaves until its files are read: the collection and its folder known, no chunk.
    subprocess.run([sys.executable, "-m", "jupyter_docchat.cli", "--store", str(store), "index", str(folder)],
                   capture_output=True, check=False, timeout=240)
    (tmp_path / "a.txt").rename(folder / "a.txt")
    with DocIndex(store=store) as index:
        with pytest.raises(NoIndexError, match="is empty: its folder"):
            index.search("warehouse")
    lock = FileLock(str(store / LOCK_FILE), thread_local=False)
    with lock:  # the rebuild's run
        with DocIndex(store=store) as index:
            with pytest.raises(NoIndexError) as caught:
                index.search("warehouse")
        assert "being indexed now" in str(caught.value) and "add documents" not in str(caught.value)
        cli = subprocess.run([sys.executable, "-m", "jupyter_docchat.cli", "--store", str(store), "search", "warehouse"],
                             capture_output=True, text=True, timeout=240)
        assert cli.returncode != 0 and "being indexed now" in cli.stderr and "run docchat index" not in cli.stderr


def test_a_label_under_a_fenced_block_is_not_quoted_as_its_last_line() -> None:
    """"Example:" over a fenced block, then "Result:": the code unit read "rm -rf /\\n\\nResult:", the label under
    the closing fence joined to the block as a line of code. A fence ends its block."""
    units = [(u.kind, u.text) for u in split_units("Example:\n\n```\nrm -rf /\n```\n\nResult:\n\nok\n", field_pairs=True)]
    assert ("code", "rm -rf /") in units and ("sentence", "Result:") in units
    indented = [(u.kind, u.text) for u in split_units("Intro:\n\n    x = 1\n\n    y = 2\n")]
    assert ("code", "    x = 1\n\n    y = 2") in indented  # an indented block's paragraphs are still one block

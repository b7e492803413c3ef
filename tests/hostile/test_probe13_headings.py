"""Probe 13: a Markdown heading's trail reads its markup (readers 15). A heading starting with a code span
holding "#" or "§" lost it to the permalink-mark rule: "`#` comments in Python" became "comments in Python"."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from jupyter_docchat.indexing.readers.markdown import heading_text, read_markdown
from jupyter_docchat.indexing.readers.notebook import read_notebook
from jupyter_docchat.types import HeadingTrail


def test_a_code_span_keeps_its_hash_in_the_trail() -> None:
    assert heading_text("`#` comments in Python") == "# comments in Python"
    assert heading_text("`# noqa` comments") == "# noqa comments"
    assert heading_text("The `#` and `##` operators") == "The # and ## operators"
    assert heading_text("Section sign `§`") == "Section sign §"
    assert heading_text("Quickstart ¶") == "Quickstart" and heading_text("`run()` ¶") == "run()"
    assert heading_text("\\# of rows") == "# of rows" and heading_text("&#35; of rows") == "# of rows"  # escaped, entity
    assert heading_text("Install Permanent link") == "Install" and heading_text("# Title #") == "Title"
    page = ("# Style\n\n## `#` comments in Python\n\nA comment starts with a hash and runs to the line's end.\n"
            "\n## Names ¶\n\nNames are lower case.\n")
    sections = read_markdown(Path("style.md"), page.encode())
    assert [(s.start_line, s.heading) for s in sections] == [
        (1, "Style"), (3, "Style > # comments in Python"), (7, "Style > Names")]
    assert sections[1].text.startswith("## `#` comments in Python")  # the text keeps the heading as written
    notebook = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": "## `#` notebook comments"},
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
         "source": "total = 0  # the otter tally starts empty"}]}
    cells = read_notebook(Path("n.ipynb"), json.dumps(notebook).encode())
    assert [HeadingTrail.of(c.heading).parts for c in cells] == [("# notebook comments",)] * 2


@settings(max_examples=200, deadline=None)
@given(code=st.text(alphabet="#§ ab-", min_size=1, max_size=6).filter(lambda c: c.strip() and "`" not in c),
       words=st.text(alphabet="abc ", max_size=12))
def test_a_code_span_is_never_taken_for_a_mark(code: str, words: str) -> None:
    """Whatever a leading or trailing code span holds stays in the trail (its white space aside)."""
    inner = " ".join(code.split())
    assert inner in heading_text(f"`{code}` {words}")
    assert inner in heading_text(f"{words} `{code}`")


def test_a_notebook_heading_keeps_a_glued_hash_and_skips_fenced_code() -> None:
    """'## Learning C#' read 'Learning C' (its '#' taken for a closing run), and a '# comment' in a markdown
    cell's fenced block was the cell's heading."""
    notebook = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": "## Learning C#\n\nThe otter compiler is written in C#."},
        {"cell_type": "markdown", "metadata": {}, "source": "Run this:\n\n```bash\n# install the tools\npip install x\n```"},
        {"cell_type": "markdown", "metadata": {}, "source": "~~~\n# not a heading\n~~~\n\n## Next step ##"}]}
    cells = read_notebook(Path("n.ipynb"), json.dumps(notebook).encode())
    # the third cell's fenced block above its heading stays under the heading before the cell (readers 39)
    assert [c.heading for c in cells] == ["Learning C#", "Learning C#", "Learning C#", "Next step"]

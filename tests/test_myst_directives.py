"""MyST (Jupyter Book, myst-parser) and Quarto pages read as they are shown (walk 38): a directive's box was a code
block ("```{note}" quoted its prose as code, with ":class: tip" inside), roles were written out ("{func}`survey.rake`"),
targets were lines of their own ("(sec-weights)="). R Markdown's and Quarto's executable chunks stay code.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ask, write_tree

from jupyter_docchat.indexing.readers import read_sections
from jupyter_docchat.indexing.readers.note_markup import as_shown

PAGE = """(sec-intro)=
# Introduction

See {ref}`Weighting <sec-weights>` and {doc}`appendix`; the code is in {func}`~survey.clean.rake`.

```{note}
Respondents who answered fewer than 5 questions are dropped.
```

:::{warning} Missing values
:class: dropdown
Missing answers are coded 99.
:::

````{admonition} Response rate
:class: tip
The response rate was 62 % in 2023.
```python
rate = answered / invited
```
````

```{code-cell} ipython3
---
tags: [hide-input]
---
import pandas as pd
```

```{r setup, include=FALSE}
library(survey)
```

::: {.callout-tip collapse="true"}
Weights are trimmed at 5.
:::

```{figure} images/margins.png
:name: fig-margins

Census margins used for raking.
```

```text
:::{warning} in code
{func}`in code`
```
"""


def _text() -> str:
    return "\n".join(section.text for section in read_sections(Path("intro.md"), PAGE.encode()))


def test_boxes_read_as_titled_prose_and_their_options_are_left_out() -> None:
    text = _text()
    assert "Note\nRespondents who answered fewer than 5 questions are dropped." in text
    assert "Warning: Missing values\n\nMissing answers are coded 99." in text
    assert "Response rate\n\nThe response rate was 62 % in 2023." in text
    assert "```python\nrate = answered / invited\n```" in text  # code inside a box stays code
    assert "Tip\nWeights are trimmed at 5." in text
    assert "Census margins used for raking." in text and "fig-margins" not in text and "{figure}" not in text
    assert ":class:" not in text and "```{" not in text.replace("```{r setup", "")


def test_code_cells_keep_their_code_named_by_language_and_r_chunks_stay_as_written() -> None:
    text = _text()
    assert "```ipython3\n\n\n\nimport pandas as pd\n```" in text
    assert "```{r setup, include=FALSE}\nlibrary(survey)\n```" in text
    assert ":::{warning} in code\n{func}`in code`" in text


def test_roles_and_targets_read_as_shown_and_every_line_keeps_its_place() -> None:
    sections = read_sections(Path("intro.md"), PAGE.encode())
    text = "\n".join(section.text for section in sections)
    assert "See Weighting and appendix; the code is in `rake`." in text
    assert "(sec-intro)=" not in text
    lines = PAGE.splitlines()
    for section in sections:
        for offset, line in enumerate(section.text.splitlines()):
            if line.startswith(("Respondents", "Missing answers", "The response rate", "Weights are")):
                assert lines[section.start_line - 1 + offset] == line


@pytest.mark.parametrize("line, shown", [
    ("a {term}`Slotted classes <slotted classes>` b", "a Slotted classes b"),
    ("{pep}`557` added Data Classes", "557 added Data Classes"),
    ("use {class}`set` or {obj}`dict`", "use `set` or `dict`"),
    ("the format `{name}` or `{name:pattern}` stays", "the format `{name}` or `{name:pattern}` stays"),
    ("between `{key}` and `{value}`", "between `{key}` and `{value}`"),
    ("`\\sqrt[n]{x}` with `amsmath`", "`\\sqrt[n]{x}` with `amsmath`"),
    ("{py:meth}`!skip.link`", "`skip.link`"),
    ("(not-a-target)= in prose", "(not-a-target)= in prose"),
])
def test_a_role_is_read_only_before_its_own_code_span(line: str, shown: str) -> None:
    assert as_shown(line) == shown


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["```{note}", "```{code-cell} python", "```", "````{warning}", "````", ":::{tip} T",
                                 ":::", "::: {.callout-note}", ":class: x", "---", "tags: [a]", "text", "{ref}`a`",
                                 "(x)=", "", "```{r}", "    indented"]), max_size=40).map("\n".join))
def test_any_page_of_directives_keeps_its_line_count_and_places(page: str) -> None:
    sections = read_sections(Path("p.md"), page.encode())
    total = max(len(page.splitlines()), 1)
    for section in sections:
        assert 1 <= section.start_line <= total
        assert section.start_line + len(section.text.splitlines()) - 1 <= total


def test_a_jupyter_book_asked_in_the_shell_quotes_the_box_as_prose(ip, tmp_path: Path) -> None:
    book = write_tree(tmp_path / "book", {"_config.yml": "title: Survey\n", "intro.md": PAGE})
    ip.run_line_magic("docchat_index", f'"{book}" --quiet --wait')
    ask(ip, "Which respondents are dropped?", "--no-stream")
    answer = ip.user_ns["docchat_history"][-1]["answer"]
    assert "fewer than 5 questions are dropped" in answer and "```" not in answer.split("fewer than 5")[0]


def test_a_jupyter_book_notebooks_markdown_cell_reads_its_box_as_prose() -> None:
    import json

    cell = "## Cleaning\n\n```{note}\nRespondents who answered fewer than 5 questions are dropped.\n```\n\nSee {doc}`weights`."
    notebook = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": cell},
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": "df = df[df.n >= 5]"}]}
    sections = read_sections(Path("clean.ipynb"), json.dumps(notebook).encode())
    text = "\n".join(section.text for section in sections)
    assert "Note\nRespondents who answered fewer than 5 questions are dropped.\n\n\nSee weights." in text
    assert sections[0].heading == "Cleaning" and "df = df[df.n >= 5]" in text


NESTED = """# Setup

````{note}
Run this first:
```python
grid = [[1, 2]] == x ^ab
```
Then ==check== it.
````

:::{tip}
Or this:
```python
table = [[3]] ==3==
```
:::
"""


def test_a_box_inside_a_prose_box_is_read_as_a_box() -> None:
    page = "`````{note}\nOuter words.\n````{warning} Hot\n:class: dropdown\nInner words.\n````\n`````\n"
    (section,) = read_sections(Path("boxes.md"), page.encode())
    assert section.text.splitlines() == ["Note", "Outer words.", "Warning: Hot", "", "Inner words.", ""]


def test_a_fence_inside_a_prose_box_stays_code() -> None:
    """A box's body is read as a page: its fenced code is code, its prose prose (issue 23, leftovers 40)."""
    text = "\n".join(section.text for section in read_sections(Path("nested.md"), NESTED.encode()))
    assert "```python\ngrid = [[1, 2]] == x ^ab\n```\nThen check it." in text
    assert "```python\ntable = [[3]] ==3==\n```" in text
    assert text.splitlines()[:4] == ["# Setup", "", "Note", "Run this first:"]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["note", "tip", "warning", "admonition Title", "dropdown More"]),
       st.lists(st.sampled_from(["[[a]]", "==b==", "%% c %%", "x", " ", "=", "[", "]"]), min_size=1, max_size=12)
       .map("".join).filter(str.strip), st.sampled_from(["```", "~~~", "````"]))
def test_any_fenced_code_in_a_prose_directive_is_kept_as_written(name: str, code: str, fence: str) -> None:
    outer = "`" * max(4, len(fence) + 1)
    page = f"{outer}{{{name.split()[0]}}} {' '.join(name.split()[1:])}\nText.\n{fence}\n{code}\n{fence}\n{outer}\n"
    text = "\n".join(section.text for section in read_sections(Path("any.md"), page.encode()))
    assert f"{fence}\n{code}\n{fence}" in text


@pytest.mark.parametrize("opening, shown", [
    ('::: {.callout-note title="Use {x} and {y}"}', "Note: Use {x} and {y}"),
    ("::: {.callout-tip title='A } B'}", "Tip: A } B"),
    ("::: warning", "Warning"),  # Pandoc: a bare word is the div's class
    ("::: warning :::", "Warning"),
    ("::::: {.note}", "Note"),
    ("::: columns", ""),  # a layout's class has no words of its own
    ("::: {#fig-1 .column}", ""),
])
def test_a_divs_class_and_a_callouts_title_with_braces_are_shown(opening: str, shown: str) -> None:
    """Issue 23 (leftovers 40): a title holding "}" was cut, and "::: warning" was left empty."""
    page = f"# Weights\n\n{opening}\nThe weights are trimmed.\n:::\n"
    (section,) = read_sections(Path("weights.qmd"), page.encode())
    assert section.text.split("\n") == ["# Weights", "", shown, "The weights are trimmed.", ""]


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from("aZ9 {}'.,;-_é漢"), max_size=30)
       .filter(lambda title: title.strip() == title and title))
def test_any_callout_title_without_a_quote_is_shown_whole(title: str) -> None:
    page = f'::: {{.callout-important title="{title}"}}\nBody.\n:::\n'
    (section,) = read_sections(Path("any.qmd"), page.encode())
    assert section.text.split("\n")[0] == f"Important: {title}"

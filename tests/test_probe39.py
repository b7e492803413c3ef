"""Probe 39, an outside user's sweep of notes vaults, Jupyter Books and boards: code written in prose lost its marks
as note markup. A Jupyter page naming "the %%bash and %%writefile magics" read "the bash and writefile magics" (and
printf's "100%%" read "100"), pandas' "df[['age', 'income']]" read "df'age', 'income'" and R's "lst[[1]]" "lst1" (wiki
links), and "press ^C" at a line's end lost its "^C" (a block id). Notes' own markup reads as before.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ask, write_tree

from jupyter_docchat.indexing.readers import read_sections
from jupyter_docchat.indexing.readers.note_markup import as_shown


@pytest.mark.parametrize("line", [
    "Run the cell with the %%bash and %%writefile magics to save it.",
    'printf("100%%") prints a percent; so does sprintf("%%d")',
    "Select the columns with df[['age', 'income']] before fitting.",
    'In R, take an element with lst[[1]] or lst[["name"]].',
    "f(x)[[2]] is the second element of the list f returns",
    "To stop the server, press ^C",
    "End the input with ^D",
])
def test_code_written_in_prose_stays_as_written(line: str) -> None:
    assert as_shown(line) == line


@pytest.mark.parametrize("written, shown", [
    ("%%ask Tom%% about the slit", "ask Tom about the slit"),
    ("before %% a comment %%.", "before  a comment ."),
    ("[[Tom]][[Aiko]] met", "TomAiko met"),  # links side by side
    ("(see [[Calibration|the calibration]])", "(see the calibration)"),
    ("参见[[笔记]]", "参见笔记"),  # a language written without spaces links against its words
    ("Laser heating biases it. ^b2", "Laser heating biases it."),
    ("![[grating.png]] the grating", " the grating"),
])
def test_notes_markup_still_reads_as_the_app_shows_it(written: str, shown: str) -> None:
    assert as_shown(written) == shown


@settings(max_examples=200, deadline=None)
@given(st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}\)?", fullmatch=True),
       st.text(st.characters(blacklist_characters="[]\n\r", blacklist_categories=("Cs",)), min_size=1, max_size=20))
def test_brackets_that_index_a_value_are_no_link(name: str, index: str) -> None:
    line = f"take {name}[[{index}]] first"
    assert f"{name}[[{index}]]" in as_shown(line)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,10}", fullmatch=True), min_size=1, max_size=5),
       st.text(st.sampled_from("abc ,."), max_size=10))
def test_cell_magics_named_in_prose_keep_their_marks(magics: list[str], glue: str) -> None:
    line = f" and{glue}".join(f"%%{magic}" for magic in magics)
    assert as_shown(line).count("%%") == line.count("%%")


NOTEBOOK = {
    "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Saving a cell\n", "\n",
                                                             "Use the %%writefile and %%bash magics: %%writefile "
                                                             "saves the cell as a file.\n",
                                                             "Pick the columns with df[['age', 'income']] first.\n"]},
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
         "source": ["%%writefile run.sh\n", "echo ok\n"]},
    ],
    "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
}


def test_a_notebooks_markdown_cell_keeps_the_magics_it_names() -> None:
    text = "\n".join(section.text for section in read_sections(Path("magics.ipynb"),
                                                                  json.dumps(NOTEBOOK).encode()))
    assert "Use the %%writefile and %%bash magics: %%writefile saves the cell as a file." in text
    assert "df[['age', 'income']]" in text


def test_a_page_keeps_the_control_key_and_its_lines_in_place() -> None:
    page = "# Running\n\nStart it with `serve`.\nTo stop the server, press ^C\nA note's id stays hidden. ^run1\n"
    sections = read_sections(Path("README.md"), page.encode())
    assert len(sections) == 1 and sections[0].start_line == 1
    assert sections[0].text.splitlines() == ["# Running", "", "Start it with `serve`.",
                                              "To stop the server, press ^C", "A note's id stays hidden."]


def test_asked_in_the_shell_the_answer_quotes_the_magics(ip, tmp_path: Path) -> None:
    folder = write_tree(tmp_path / "docs", {
        "magics.md": "# Cell magics\n\nSave a cell to a file with the %%writefile magic; run it with the %%bash "
                     "magic, or time it with %%timeit.\n",
    })
    ip.run_line_magic("docchat_index", f'"{folder}" --quiet --wait')
    ask(ip, "Which magic saves a cell to a file?", "--no-stream")
    answer = ip.user_ns["docchat_history"][-1]["answer"]
    assert "%%writefile magic" in answer


VAULT_MARK = "window.__docchat_pwned=1"
HOSTILE_NOTE = f"""# Laser safety

> [!warning] <script>{VAULT_MARK}</script> Laser class
> The alignment laser is class 3R: wear the goggles.

!!! danger "<img src=x onerror={VAULT_MARK}>"
    Never look into the beam of the alignment laser.

=== "<svg onload={VAULT_MARK}>"
    The alignment laser's key is in the drawer.

See [[Goggles|<img src=x onerror={VAULT_MARK}> goggles]] and {{ref}}`<b onmouseover={VAULT_MARK}>x</b> <sec>`.

```{{admonition}} <script>{VAULT_MARK}</script>
The alignment laser needs a key.
```
"""
HOSTILE_BOARD = json.dumps({"nodes": [
    {"id": "g", "type": "group", "label": f"<script>{VAULT_MARK}</script>", "x": 0, "y": 0,
     "width": 900, "height": 900},
    {"id": "a", "type": "text", "text": f"The alignment laser <img src=x onerror={VAULT_MARK}> is class 3R.",
     "x": 10, "y": 10, "width": 100, "height": 100}],
    "edges": [{"id": "e", "fromNode": "a", "toNode": "a", "label": f"<script>{VAULT_MARK}</script>"}]})


def test_markup_in_a_vaults_boxes_links_and_boards_stays_inert_in_the_answer(ip, tmp_path: Path) -> None:
    from hostile import audit_html

    vault = write_tree(tmp_path / "vault", {".obsidian/app.json": "{}", "Laser.md": HOSTILE_NOTE,
                                            "Board.canvas": HOSTILE_BOARD})
    ip.run_line_magic("docchat_index", f'"{vault}" --quiet --wait')
    view = ask(ip, "What class is the alignment laser?", "--no-stream --k 8")
    html = view.to_html()
    assert {source["source"] for source in view.turn.sources} >= {"Laser.md", "Board.canvas"}
    assert "class 3R" in html and VAULT_MARK in html and audit_html(html) == []


MKDOCS_PAGE = """# Install

!!! note "Python version"

    Use ==3.11== and see [[Setup|the setup]].

    !!! tip

        Ask [[Tom]].

=== "pip"

    ```bash
    [[ -f x.whl ]] && pip install ==1.0==
    ```

An example:

    [[kept]] as code ==here==
"""


def test_a_material_box_and_tab_body_after_a_blank_line_reads_as_shown_and_its_code_as_written() -> None:
    sections = read_sections(Path("install.md"), MKDOCS_PAGE.encode())
    assert len(sections) == 1
    assert sections[0].text.splitlines() == [
        "# Install", "", "Note: Python version", "", "    Use 3.11 and see the setup.", "", "    Tip", "",
        "        Ask Tom.", "", "pip", "", "    ```bash", "    [[ -f x.whl ]] && pip install ==1.0==", "    ```", "",
        "An example:", "", "    [[kept]] as code ==here=="]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["!!! note", "??? tip", '=== "a"', "    !!! note", "", "    x ==y== [[z]]",
                                 "        [[w]]", "    ```", "```", "text", "    ~~~", "# H"]), max_size=30))
def test_any_page_of_boxes_keeps_its_lines_in_place(lines: list[str]) -> None:
    _each_line_in_place(lines)


def test_a_megabyte_of_nested_boxes_reads_in_linear_time() -> None:
    import time

    times = []
    for repeat in (25_000, 100_000):
        page = ("!!! note\n\n" + "    !!! tip\n\n        ==x==\n\n" * repeat).encode()
        began = time.process_time()
        read_sections(Path("p.md"), page)
        times.append(time.process_time() - began)
    assert times[1] < 8 * times[0] + 0.5


BOOK_PAGE = """# Install

````{tab-set}
```{tab-item} conda
Install with conda from ==conda-forge==.
```
```{tab-item} pip
:sync: pip
Install with pip:
~~~bash
pip install survey==1.2
~~~
```
````

```{list-table} Survey waves
:header-rows: 1
* - Wave
  - Year
* - 1
  - 2019
```

`````{grid} 2
````{grid-item-card} Weighting
How the survey is weighted.
````
`````
"""


def test_sphinx_designs_tabs_cards_and_list_tables_read_as_shown_their_code_as_written() -> None:
    sections = read_sections(Path("install.md"), BOOK_PAGE.encode())
    assert len(sections) == 1
    assert sections[0].text.split("\n") == [
        "# Install", "", "", "conda", "Install with conda from conda-forge.", "", "pip", "", "Install with pip:",
        "~~~bash", "pip install survey==1.2", "~~~", "", "", "", "Survey waves", "", "* - Wave", "  - Year", "* - 1",
        "  - 2019", "", "", "", "Weighting", "How the survey is weighted.", "", ""]


def test_a_notebooks_markdown_cell_of_tabs_reads_as_shown() -> None:
    cell = {"cell_type": "markdown", "metadata": {}, "source": BOOK_PAGE.splitlines(keepends=True)}
    notebook = dict(NOTEBOOK, cells=[cell])
    text = "\n".join(section.text for section in read_sections(Path("book.ipynb"), json.dumps(notebook).encode()))
    assert "Install with conda from conda-forge." in text and "{tab-item}" not in text and ":sync:" not in text


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["````{tab-set}", "```{tab-item} a", "```{grid} 2", "`````{grid}", "```", "````",
                                 "`````", "~~~", ":sync: x", "text ==x==", "", "```{list-table} T", "* - a"]),
                max_size=30))
def test_any_nest_of_containers_keeps_its_lines_in_place(lines: list[str]) -> None:
    text = "\n".join(lines)
    written = text.splitlines()
    for section in read_sections(Path("p.md"), text.encode()):
        assert section.start_line - 1 + len(section.text.split("\n")) <= max(len(written), 1)
        for offset, line in enumerate(section.text.split("\n")):
            source = written[section.start_line - 1 + offset]
            assert line in (source, as_shown(source), "") or source.lstrip("`").startswith("{")


def test_containers_nested_deep_read_in_linear_time() -> None:
    import time

    times = []
    for repeat in (2_000, 8_000):
        depth = 40
        page = "".join(f"{'`' * (depth + 3 - level)}{{tab-set}}\n" for level in range(depth))
        page += "text\n" * repeat + "".join(f"{'`' * (4 + level)}\n" for level in range(depth))
        began = time.process_time()
        read_sections(Path("p.md"), (page * 10).encode())
        times.append(time.process_time() - began)
    assert times[1] < 8 * times[0] + 0.5


def test_a_vaults_settings_of_odd_json_never_stop_the_index(tmp_path: Path) -> None:
    from jupyter_docchat import DocIndex

    vault = write_tree(tmp_path / "vault", {
        ".obsidian/templates.json": "[" * 200_000 + "]" * 200_000,  # deeper than Python's decoder recurses
        ".obsidian/plugins/templater-obsidian/data.json": '{"templates_folder": "Templater/"}',
        "Templater/Paper.md": "# <% tp.file.title %>\n",
        "Daily/2024-03-04.md": "The oil was changed on March 3.\n",
    })
    with DocIndex(tmp_path / "store") as index:
        report = index.update(vault)
        assert dict(report.skipped_files) == {"Templater/": "note templates"}
        assert {hit.source for hit in index.search("When was the oil changed?", k=3)} == {"Daily/2024-03-04.md"}


def _board(text: str) -> bytes:
    card = {"id": "a", "type": "text", "text": text, "x": 0, "y": 0, "width": 10, "height": 10}
    return json.dumps({"nodes": [card]}, indent="\t").encode()


def test_a_boards_card_keeps_its_code_as_written_and_shows_its_prose() -> None:
    card = "# Find the notes\n==Run== this in [[Shell]]:\n```bash\ngrep -rn ^TODO\necho ==x== [[y]]\n```\n"
    (section,) = read_sections(Path("board.canvas"), _board(card))
    assert section.text.split("\n") == ["# Find the notes", "Run this in Shell:", "```bash", "grep -rn ^TODO",
                                        "echo ==x== [[y]]", "```"]
    assert section.start_line == 4


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["```", "~~~", "==x==", "[[a|b]]", "x ^ab", "%%", "%% c %%", "> [!note] T", ":::",
                                 "```{note}", "a\rb", "a\u2028b", "", "    code"]), max_size=20).map("\n".join))
def test_any_card_is_read_in_as_many_lines_or_fewer(text: str) -> None:
    sections = read_sections(Path("board.canvas"), _board(text))
    for section in sections:
        assert len(section.text.splitlines()) <= max(len(text.splitlines()), 1)
        assert section.line_map is None or len(section.line_map) == len(section.text.splitlines())


@pytest.mark.parametrize("opening, shown", [
    ('::: {.callout-tip title="Weights are trimmed at 5"}', "Tip: Weights are trimmed at 5"),
    ("::: {.callout-warning collapse=true title='Old API'}", "Warning: Old API"),
    ('::: {.callout-note collapse="true"}', "Note"),
    ('::: {.callout-note subtitle="not a title"}', "Note"),
])
def test_a_quarto_callouts_title_attribute_is_its_title(opening: str, shown: str) -> None:
    page = f"# Weights\n\n{opening}\nThe weights are trimmed.\n:::\n"
    (section,) = read_sections(Path("weights.qmd"), page.encode())
    assert section.text.split("\n") == ["# Weights", "", shown, "The weights are trimmed.", ""]


LOGSEQ_PAGE = """title:: Vacuum pump

- #+BEGIN_NOTE
  Change the oil every 3 months.
  #+END_NOTE
- #+BEGIN_QUOTE
  Never run it dry.
  #+END_QUOTE
- #+BEGIN_SRC bash
  pump --status ==x== [[y]]
  #+END_SRC
- In prose, #+BEGIN_NOTE mid-line stays
"""


def test_logseqs_org_blocks_in_a_page_read_as_the_app_shows_them_in_place() -> None:
    (section,) = read_sections(Path("pages/Vacuum pump.md"), LOGSEQ_PAGE.encode())
    assert section.text.split("\n") == [
        "title: Vacuum pump", "", "- Note", "  Change the oil every 3 months.", "", "", "  Never run it dry.", "",
        "- #+BEGIN_SRC bash", "  pump --status ==x== [[y]]", "  #+END_SRC", "- In prose, #+BEGIN_NOTE mid-line stays"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["#+BEGIN_", "#+END_", "NOTE", "quote", "SRC", "- ", "  ", " x", "#", "+"]),
                max_size=12).map("".join))
def test_any_org_block_line_is_one_line_and_plain_text_as_written(line: str) -> None:
    shown = as_shown(line)
    assert "\n" not in shown and len(shown) <= len(line)
    if "#+" not in line:
        assert shown == line


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["- #+BEGIN_SRC py", "  #+END_SRC", "#+BEGIN_NOTE", "#+END_NOTE", "#+begin_example",
                                 "#+end_example", "x ==y== [[z]]", "", "```", "- a:: b"]), max_size=25))
def test_any_page_of_org_blocks_keeps_its_lines_in_place(lines: list[str]) -> None:
    _each_line_in_place(lines)


def _each_line_in_place(lines: list[str]) -> None:
    """Every line a page of ``lines`` reads to stands where the page wrote it, as written or as note markup shows it."""
    text = "\n".join(lines)
    written = text.splitlines()
    for section in read_sections(Path("p.md"), text.encode()):
        for offset, line in enumerate(section.text.split("\n")):
            source = written[section.start_line - 1 + offset]
            assert line in (source, as_shown(source))

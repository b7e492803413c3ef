"""A notes vault (Obsidian, Logseq, Foam) and GitHub's alerts (walk 38): wiki links, embeds, callouts and highlights
are read as the app shows them. Answers quoted "[[Calibration#Neon lines|neon calibration]]", "> [!warning] Laser
class" and "==integration time==", keyword search could not find a link's alias, and a line of embeds was quoted as code.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ask, write_tree
from test_reading_properties import ANY_CHAR

from jupyter_docchat.indexing.readers import read_sections
from jupyter_docchat.indexing.readers.note_markup import as_shown


@pytest.mark.parametrize("written, shown", [
    ("see [[Lab safety]] first", "see Lab safety first"),
    ("see [[Calibration#Neon lines|neon calibration]].", "see neon calibration."),
    ("see [[Calibration#Neon lines]]", "see Calibration > Neon lines"),
    ("see [[#Settings]] below", "see Settings below"),
    ("as [[Spectrometer#^f3a1c2]] says", "as Spectrometer says"),
    ("| [[Tom\\|Tom S.]] | lead |", "| Tom S. | lead |"),  # a table cell escapes the link's pipe
    ("![[grating.png]]", ""),
    ("![[Scan 2024.PDF]] and ![[talk.mp4]]", " and "),
    ("![[Calibration#Neon lines]]", "Calibration > Neon lines"),
    ("> [!warning] Laser class", "> Warning: Laser class"),
    ("> [!NOTE]", "> Note"),
    ("> > [!faq]- Why neon?", "> > Faq: Why neon?"),
    ("The ==integration time== stays low.", "The integration time stays low."),
    ('!!! warning "Python version"', "Warning: Python version"),
    ("!!! tip", "Tip"),
    ('    ???+ note inline end "Offline installs"', "    Note: Offline installs"),
    ('!!! danger ""', "Danger"),
    ('=== "conda"', "conda"),
])
def test_note_markup_reads_as_the_app_shows_it(written: str, shown: str) -> None:
    assert as_shown(written) == shown


@pytest.mark.parametrize("line", [
    "if [[ -f x ]]; then echo ok; fi",  # a shell test in prose
    "close to [[1]](https://arxiv.org/pdf/2107.13462.pdf) and [[2]][ref]",  # links whose text is "[1]"
    "x==1 and y==2",  # comparisons written in prose
    "a == b == c",
    "use `[[Not a link]]` and `==kept==` as written",
    "``a ` [[code]] ` b`` stays",
    "[[]] and [[|alias]] are no links",
    "[!note] outside a quote",
    "!!! is how you shout",
    '=== "a" === "b"',
])
def test_code_and_lookalikes_stay_as_written(line: str) -> None:
    assert as_shown(line) == line


def test_a_code_span_keeps_its_markup_and_the_prose_beside_it_is_shown() -> None:
    assert as_shown("[[A|alias]] then `[[B]]` then ==hi==") == "alias then `[[B]]` then hi"


NOTE = """---
tags: [lab]
---
# Spectrometer [[Optics|optics]]

Calibration: see [[Calibration#Neon lines|neon calibration]].

> [!warning] Laser class
> The alignment laser is class 3R.

```bash
[[ -f dark.fits ]] && echo ==ok==
```

<div>[[raw html stays]]</div>

| part | note |
|---|---|
| grating | [[Orders\\|ordered]] |

![[grating.png]]
"""


def test_a_vault_note_keeps_its_lines_and_code_and_its_heading_shows_the_alias() -> None:
    sections = read_sections(Path("Spectrometer.md"), NOTE.encode())
    text = "\n".join(section.text for section in sections)
    assert "neon calibration" in text and "[[" not in text.replace("[[ -f", "").replace("[[raw", "")
    assert "[[ -f dark.fits ]] && echo ==ok==" in text  # a fence as written
    assert "<div>[[raw html stays]]</div>" in text
    assert "> Warning: Laser class" in text
    assert "| grating | ordered |" in text
    heading = next(section.heading for section in sections if "neon" in section.text)
    assert heading == "Spectrometer optics"
    # each section starts on its own line and holds as many lines as the file gives it
    lines = NOTE.splitlines()
    for section in sections:
        assert len(section.text.splitlines()) <= len(lines) - section.start_line + 1
    body = next(section for section in sections if "Laser" in section.text)
    assert lines[body.start_line - 1].startswith("# Spectrometer")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(["[[", "]]", "|", "#", "^", "![[", "==", "> [!", "]", "`", "``", " ", "\\"]),
                          st.text(ANY_CHAR, max_size=8)), max_size=30).map("".join))
def test_any_line_is_shown_in_one_line_and_plain_text_as_written(line: str) -> None:
    line = line.replace("\n", " ").replace("\r", " ")
    shown = as_shown(line)
    assert "\n" not in shown
    assert len(shown) <= len(line) + len("Warning: ")  # only a callout's kind grows a line (":" and a capital)
    if "[[" not in line and "==" not in line and "[!" not in line:
        assert shown == line


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(st.sampled_from("[]|#!=>` ab\n"), max_size=40), max_size=20).map("\n".join))
def test_a_note_of_any_markup_is_read_with_its_lines_in_place(text: str) -> None:
    sections = read_sections(Path("note.md"), text.encode())
    lines = text.splitlines()
    for section in sections:
        assert 1 <= section.start_line <= max(len(lines), 1)


def test_a_line_of_ten_thousand_unmatched_marks_reads_at_once() -> None:
    import time

    for line in ("[[a" * 20_000, "`" * 20_001 + " x", "==a " * 20_000, "` `` " * 10_000):
        began = time.process_time()
        as_shown(line)
        assert time.process_time() - began < 1.0, line[:20]


def test_a_vault_asked_in_the_shell_quotes_the_alias_and_the_callout(ip, tmp_path: Path) -> None:
    vault = write_tree(tmp_path / "vault", {
        ".obsidian/app.json": '{"livePreview": true}',
        "Projects/Spectrometer.md": NOTE,
        "Daily/2024-03-04.md": "- Met with [[Tom]] about the [[Spectrometer|spectro]] grating. "
                               "Replacement ordered from Thorlabs, part GR25-0608.\n",
    })
    ip.run_line_magic("docchat_index", f'"{vault}" --quiet --wait')
    ask(ip, "What part number is the replacement grating?", "--no-stream")
    turn = ip.user_ns["docchat_history"][-1]
    assert "GR25-0608" in turn["answer"] and "Met with Tom about the spectro grating" in turn["answer"]
    assert "[[" not in turn["answer"]
    ask(ip, "What class is the alignment laser?", "--no-stream")
    turn = ip.user_ns["docchat_history"][-1]
    assert "class 3R" in turn["answer"] and "[!warning]" not in turn["answer"]


BOARD = """{
\t"nodes":[
\t\t{"id":"g1","type":"group","label":"Lab move","x":-100,"y":-100,"width":900,"height":700},
\t\t{"id":"g2","type":"group","label":"Optics","x":0,"y":200,"width":500,"height":300},
\t\t{"id":"a1","type":"text","text":"# Grating\\nOrder status: ==shipped== from [[Thorlabs|the supplier]]","x":20,"y":240,"width":250,"height":100},
\t\t{"id":"a2","type":"text","text":"Book the van for **March 12**","x":0,"y":-50,"width":250,"height":60},
\t\t{"id":"a3","type":"file","file":"Projects/Spectrometer.md","subpath":"#Settings","x":300,"y":240,"width":150,"height":100},
\t\t{"id":"a4","type":"link","url":"https://example.org/manual","x":900,"y":900,"width":100,"height":50},
\t\t{"id":"a5","type":"text","text":"","x":0,"y":0,"width":1,"height":1}
\t],
\t"edges":[
\t\t{"id":"e1","fromNode":"a2","toNode":"a1","label":"before the grating arrives"},
\t\t{"id":"e2","fromNode":"a1","toNode":"a3"}
\t]
}
"""


def test_a_board_reads_its_cards_under_their_groups_in_reading_order_cited_by_line() -> None:
    sections = read_sections(Path("board.canvas"), BOARD.encode())
    found = [(section.heading, section.text, section.start_line) for section in sections]
    assert found == [
        ("Lab move", "Book the van for **March 12**", 6),
        ("Lab move > Optics", "# Grating\nOrder status: shipped from the supplier", 5),
        ("Lab move > Optics", "(pinned: Spectrometer.md > Settings)", 7),
        ("", "https://example.org/manual", 8),
        ("arrows", "Book the van for **March 12** → Grating: before the grating arrives", 12),
    ]
    assert sections[1].file_line(6) == 5  # every line of a card is its card's line


@pytest.mark.parametrize("data", [b"", b"{", b"[1, 2]", b'{"nodes": 3}', b"\xff\xfe\x00"])
def test_a_file_named_canvas_that_is_no_board_is_named_in_one_line(data: bytes) -> None:
    from jupyter_docchat.indexing.readers.base import UnreadableFile

    with pytest.raises(UnreadableFile, match="not a JSON Canvas board"):
        read_sections(Path("broken.canvas"), data)


JSON = st.recursive(st.none() | st.booleans() | st.floats() | st.integers() | st.text(ANY_CHAR, max_size=20),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
                        st.sampled_from(["id", "type", "text", "label", "file", "subpath", "url", "x", "y", "width",
                                         "height", "fromNode", "toNode", "nodes", "edges"]), inner, max_size=6),
                    max_leaves=30)
NODE = st.fixed_dictionaries({"id": st.sampled_from(["a", "b", "c"]), "type": st.sampled_from(["text", "group", "file",
                              "link", "x"])}, optional={"text": JSON, "label": JSON, "file": JSON, "x": JSON,
                              "y": JSON, "width": JSON, "height": JSON})


@settings(max_examples=200, deadline=None)
@given(st.fixed_dictionaries({"nodes": st.lists(st.one_of(NODE, JSON), max_size=6)},
                             optional={"edges": st.lists(JSON, max_size=4)}))
def test_any_board_is_read_or_named_never_raised(board: dict) -> None:
    import json

    from jupyter_docchat.indexing.readers.base import UnreadableFile

    data = json.dumps(board).encode()
    try:
        sections = read_sections(Path("any.canvas"), data)
    except UnreadableFile:
        return
    lines = data.decode().count("\n") + 1
    for section in sections:
        assert 1 <= section.start_line <= lines
        section.text.encode("utf-8")  # storable: a lone surrogate written as "\\ud800" is cleaned


@pytest.mark.parametrize("written, shown", [
    ("%% ask Tom whether the slit is bent %%", " ask Tom whether the slit is bent "),
    ("Laser heating biases it. ^b2c3d4", "Laser heating biases it."),
    ("x ^2 and 2 ^ 10", "x ^2 and 2 ^ 10"),  # exponents, not block ids
    ("Attendees:: [[Tom]], [[Aiko]]", "Attendees: Tom, Aiko"),
    ("- status:: done", "- status: done"),
    ("  id:: 65bb1a2e-1f0c-4c1e-9d7b-000000000001", ""),
    ("collapsed:: true", ""),
    ("- ((65bb1a2e-1f0c-4c1e-9d7b-000000000001)) again", "-  again"),
    ("std::vector and Foo::Bar stay", "std::vector and Foo::Bar stay"),
    ("f((x)) stays", "f((x)) stays"),
])
def test_comments_block_ids_fields_and_block_references(written: str, shown: str) -> None:
    assert as_shown(written) == shown


DRAWING = """---
excalidraw-plugin: parsed
---
# Text Elements
laser -> beam splitter -> sample ^a1B2c3D4

%%
# Drawing
```compressed-json
N4KAkARALgngDgUwgLgAQQQDwMYEMA2AlgCYBOuA7hADTgQBuCpAzoQPYB2KqATLZMzYBXUtiRoIACyhQ4zZAHoFAc0JRJQgEYA6bGwC2CgF7N6hbEcK4OCtptbErHALRY8RMpWdx8Q
```
%%

After the comment.

```text
%%
kept in code
%%
```
"""


def test_a_comment_block_is_left_out_with_its_headings_and_code_and_its_lines_kept() -> None:
    sections = read_sections(Path("Setup.excalidraw.md"), DRAWING.encode())
    text = "\n".join(section.text for section in sections)
    assert "beam splitter -> sample" in text and "^a1B2c3D4" not in text
    assert "N4KAk" not in text and "Drawing" not in [section.heading for section in sections]
    assert "%%\nkept in code\n%%" in text
    after = next(section for section in sections if "After the comment." in section.text)
    line = after.start_line + after.text.splitlines().index("After the comment.")
    assert DRAWING.splitlines()[line - 1] == "After the comment."


def test_an_unclosed_comment_leaves_the_page_as_it_is() -> None:
    page = "# Notes\n\n%%\n\nThe pump was serviced in May.\n"
    text = "\n".join(section.text for section in read_sections(Path("n.md"), page.encode()))
    assert "The pump was serviced in May." in text


def test_a_logseq_graphs_own_folder_is_skipped_and_named(tmp_path: Path) -> None:
    from jupyter_docchat import DocIndex

    graph = write_tree(tmp_path / "graph", {
        "logseq/config.edn": "{:meta/version 1}",
        "logseq/bak/pages/Vacuum/2024-02-01T10_00_00.000Z.Desktop.md": "- The oil was changed on January 12.\n",
        "pages/Vacuum.md": "- The oil was changed on February 1.\n  id:: 65bb1a2e-1f0c-4c1e-9d7b-000000000001\n",
        "notes/logseq/readme.md": "A folder named logseq without a config is the user's.\n",
    })
    with DocIndex(tmp_path / "store") as index:
        report = index.update(graph)
        assert ("logseq/", "a note app's settings and backups") in report.skipped_files
        sources = {hit.source for hit in index.search("When was the oil changed?", k=5)}
    assert "pages/Vacuum.md" in sources
    assert not any(source.startswith("logseq/") for source in sources)


def test_a_vaults_template_folder_named_in_its_settings_is_skipped_and_named(tmp_path: Path) -> None:
    from jupyter_docchat import DocIndex

    vault = write_tree(tmp_path / "vault", {
        ".obsidian/templates.json": '{"folder": "Meta/Templates"}',
        ".obsidian/plugins/templater-obsidian/data.json": '{"templates_folder": "Templater/"}',
        "Meta/Templates/Daily.md": "# {{date}}\n\n## Report due\n- [ ] \n",
        "Templater/Paper.md": "# <% tp.file.title %>\n\nReport due: <% tp.date.now() %>\n",
        "Templates/Daily.md": "# A folder the settings do not name is the user's: the report is due on Friday.\n",
        "Daily/2024-03-04.md": "The report is due on Friday.\n",
    })
    with DocIndex(tmp_path / "store") as index:
        report = index.update(vault)
    skipped = dict(report.skipped_files)
    assert skipped == {"Meta/Templates/": "note templates", "Templater/": "note templates"}
    # Outside a vault (no .obsidian above), a folder of that name is read.
    plain = write_tree(tmp_path / "plain", {"Meta/Templates/Daily.md": "Report template.\n"})
    with DocIndex(tmp_path / "store2") as index:
        assert not index.update(plain).skipped_files


# Obsidian takes " ^id" ([A-Za-z0-9-]) for a block's id only at the END of a block (a paragraph's or an item's last
# line): a caret word that ends a line inside a paragraph is the user's text (issue 23, leftovers 40).
BLOCK_ENDS = """The ticket says see the ^TODO
list before the run.

Press Ctrl+^C to stop, x^2 grows.

A quoted rule. ^quote-of-the-day

- first item ^a1b2c3
- second item
"""


def test_a_caret_word_is_a_block_id_only_at_a_blocks_end() -> None:
    text = "\n".join(section.text for section in read_sections(Path("Ids.md"), BLOCK_ENDS.encode()))
    assert "see the ^TODO\nlist before the run." in text
    assert "Press Ctrl+^C to stop, x^2 grows." in text
    assert "A quoted rule.\n" in text and "quote-of-the-day" not in text
    assert "- first item\n- second item" in text and "a1b2c3" not in text


@settings(max_examples=200, deadline=None)
@given(st.from_regex(r"[A-Za-z][A-Za-z ]{0,20}", fullmatch=True), st.from_regex(r"[A-Za-z0-9-]{2,12}", fullmatch=True),
       st.from_regex(r"[A-Za-z][A-Za-z .,]{0,20}", fullmatch=True))
def test_a_caret_word_inside_a_paragraph_is_kept(before: str, word: str, after: str) -> None:
    page = f"{before} ^{word}\n{after}\n"
    text = "\n".join(section.text for section in read_sections(Path("Any.md"), page.encode()))
    assert text.splitlines()[:2] == [f"{before} ^{word}", after]


@pytest.mark.parametrize("written, shown", [
    ("I rate it [rating:: 9] out of ten.", "I rate it rating: 9 out of ten."),
    ("From the book (source:: [[Raman Basics]]) we learn", "From the book Raman Basics we learn"),
    ("- [due:: 2024-03-08] order the [[Cryostat|cryostat]] oil", "- due: 2024-03-08 order the cryostat oil"),
    ("Both [a:: 1] and (b:: 2).", "Both a: 1 and 2."),
    ("See (std::vector) and [x::y] and `[code:: kept]`", "See (std::vector) and [x::y] and `[code:: kept]`"),
])
def test_dataview_fields_in_brackets_read_as_dataview_shows_them(written: str, shown: str) -> None:
    """Issue 23 (leftovers 40): "[key:: value]" shows "key: value", "(key:: value)" its value alone."""
    assert as_shown(written) == shown


@settings(max_examples=200, deadline=None)
@given(st.from_regex(r"[A-Za-z][\w-]{0,12}", fullmatch=True),
       st.from_regex(r"[A-Za-z0-9][\w ,.-]{0,20}", fullmatch=True), st.sampled_from("[("))
def test_any_bracketed_field_in_a_sentence_is_read(key: str, value: str, bracket: str) -> None:
    closing = "]" if bracket == "[" else ")"
    shown = as_shown(f"Before {bracket}{key}:: {value}{closing} after")
    assert shown == (f"Before {key}: {value.rstrip()} after" if bracket == "[" else f"Before {value.rstrip()} after")


def test_a_line_of_unclosed_bracketed_fields_reads_at_once() -> None:
    import time

    line = "[a::" + " " * 50_000 + "(b:: " * 10_000 + "[c a" * 10_000
    started = time.process_time()
    as_shown(line)
    assert time.process_time() - started < 2


def test_a_drawings_words_are_its_page_and_the_plugins_keys_and_headings_are_not() -> None:
    """Walk 38 (issue 23, leftovers 40): the plugin's front matter was a section of its own, ranked ahead of the
    words."""
    sections = read_sections(Path("Setup.excalidraw.md"), DRAWING.encode())
    text = "\n".join(section.text for section in sections)
    assert "excalidraw-plugin" not in text and "Text Elements" not in text
    first = sections[0]
    assert "laser -> beam splitter -> sample" in first.text and first.heading == "Excalidraw drawing"
    lines = DRAWING.splitlines()
    place = first.start_line + first.text.splitlines().index("laser -> beam splitter -> sample")
    assert lines[place - 1].startswith("laser -> beam splitter -> sample")


NEWER_DRAWING = """---
excalidraw-plugin: parsed
excalidraw-open-md: true
aliases: [optics drawing]
tags: [excalidraw]
---
==⚠  Switch to EXCALIDRAW VIEW in the MORE OPTIONS menu of this document. ⚠== You can decompress Drawing data with the command palette: 'Decompress current Excalidraw file'.

# Excalidraw Data
## Text Elements
cryostat window ^k1L2m3N4

## Element Links
k1L2m3N4: [[Cryostat]]

## Embedded Files
0a1b2c3d: [[spectrometer-layout.png]]

%%
## Drawing
```compressed-json
N4KAkARALgngDgUwgLgAQQQDwMYEMA2AlgCYBOuA7hADTgQBuCpAzoQPYB2KqATLZMzYBXUtiRoIACyhQ4zZAHoFAc0JRJQgEYA6bGwC2CgF7N6hbEcK4OCtptbErHALRY8RMpWdx8Q
```
%%
"""


def test_a_newer_drawing_keeps_the_users_keys_and_drops_the_plugins_ids() -> None:
    sections = read_sections(Path("Optics.excalidraw.md"), NEWER_DRAWING.encode())
    text = "\n".join(section.text for section in sections)
    assert "aliases: [optics drawing]" in text and "cryostat window" in text
    for plugin in ("excalidraw-open-md", "tags: [excalidraw]", "EXCALIDRAW VIEW", "Excalidraw Data", "Element Links",
                   "k1L2m3N4", "0a1b2c3d", "N4KAk"):
        assert plugin not in text


def test_a_page_whose_front_matter_only_names_excalidraw_is_read_as_before() -> None:
    page = "---\ntags: [excalidraw]\n---\n# Text Elements\nMy notes on the excalidraw tool.\n"
    sections = read_sections(Path("tools.md"), page.encode())
    assert sections[0].text.startswith("---\ntags: [excalidraw]") and sections[1].heading == "Text Elements"

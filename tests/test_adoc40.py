"""adoc40: AsciiDoc pages (.adoc, .asciidoc) read as the rendered page shows them, each line cited at its own line."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ask, chunks_of, write_tree
from test_reading_properties import ANY_CHAR

from jupyter_docchat.indexing import skips
from jupyter_docchat.indexing.readers import read_sections, reader_for
from jupyter_docchat.indexing.readers.asciidoc import read_asciidoc
from jupyter_docchat.indexing.readers.asciidoc_inline import shown
from jupyter_docchat.indexing.readers.base import decode

PAGE = """\
= Widget Guide
Ada Lovelace <ada@example.org>
:toc: left
:product: Widget Pro
:version: 2.1
// a comment the page does not show

{product} {version} turns *gears* into _widgets_.

== Install

Install with `pip install widget`, see link:https://example.org/docs[the docs] or https://example.org[home].

NOTE: Needs Python 3.11.

[source,python]
.Start a widget
----
import widget  # <1>
widget.start()
----
<1> Imports the package.

////
A comment block.
== Not a title
////

ifdef::backend-html5[]
Shown on the web.
endif::[]

include::partials/setup.adoc[]

image::images/widget-front.png[The front panel]

=== Settings

[cols="1,2"]
|===
|Name |Meaning

|speed
|Turns per minute.
|mode |One of `fast`, `slow`.
|===

[WARNING]
====
Unplug the <<power,power cord>> before opening.
====

* first step
** nested step
. ordered one
. ordered two

CPU:: The part that counts.

....
literal  text
....

## Markdown title

____
Quoted words.
____
"""


def _shown_lines(text: str, name: str = "guide.adoc") -> list[tuple[int, str]]:
    """(file line, shown line) of every line the reader gives, in order."""
    out = []
    for section in read_sections(Path(name), text.encode()):
        for offset, line in enumerate(section.text.split("\n")):
            out.append((section.file_line(section.start_line + offset), line))
    return out


def _at(text: str, line: int) -> list[str]:
    return [shown_line for number, shown_line in _shown_lines(text) if number == line]


def test_each_construct_shows_at_its_own_line() -> None:
    lines = PAGE.splitlines()
    number = {line: n for n, line in reversed(list(enumerate(lines, 1)))}
    expect = {
        "= Widget Guide": ["# Widget Guide"],
        ":toc: left": [""],
        "// a comment the page does not show": [""],
        "{product} {version} turns *gears* into _widgets_.": ["Widget Pro 2.1 turns gears into widgets."],
        "== Install": ["## Install"],
        "Install with `pip install widget`, see link:https://example.org/docs[the docs] or https://example.org[home].":
            ["Install with `pip install widget`, see the docs or home."],
        "NOTE: Needs Python 3.11.": ["Note: Needs Python 3.11."],
        "[source,python]": [""],
        ".Start a widget": ["Start a widget"],
        "import widget  # <1>": ["import widget"],
        "widget.start()": ["widget.start()"],
        "<1> Imports the package.": ["(1) Imports the package."],
        "A comment block.": [""],
        "== Not a title": [""],
        "ifdef::backend-html5[]": [""],
        "Shown on the web.": ["Shown on the web."],
        "include::partials/setup.adoc[]": ["Included: partials/setup.adoc"],
        "image::images/widget-front.png[The front panel]": ["The front panel"],
        "=== Settings": ["### Settings"],
        "|Name |Meaning": ["| Name | Meaning |", "|---|---|"],
        "|speed": ["| speed | Turns per minute. |"],
        "|Turns per minute.": [],
        "|mode |One of `fast`, `slow`.": ["| mode | One of `fast`, `slow`. |"],
        "Unplug the <<power,power cord>> before opening.": ["Warning: Unplug the power cord before opening."],
        "* first step": ["- first step"],
        "** nested step": ["  - nested step"],
        ". ordered one": ["1. ordered one"],
        ". ordered two": ["2. ordered two"],
        "CPU:: The part that counts.": ["CPU: The part that counts."],
        "literal  text": ["literal  text"],
        "## Markdown title": ["## Markdown title"],
        "Quoted words.": ["Quoted words."],
    }
    for line, want in expect.items():
        assert _at(PAGE, number[line]) == want, line
    listing = number["[source,python]"] + 2
    assert _at(PAGE, listing) == ["```python"] and _at(PAGE, listing + 3) == ["```"]
    assert _at(PAGE, number["...."]) == ["```"]


def test_titles_make_the_trail_and_code_and_tables_stay_in_their_sections() -> None:
    sections = read_sections(Path("guide.adoc"), PAGE.encode())
    trails = [section.heading for section in sections]
    assert trails == ["Widget Guide", "Widget Guide > Install", "Widget Guide > Install > Settings",
                      "Widget Guide > Markdown title"]
    settings_section = sections[2]
    assert "| speed | Turns per minute. |" in settings_section.text
    assert settings_section.line_map is not None  # the rows' blank line and second lines are dropped
    assert all(section.kind == "markdown" for section in sections)
    assert not any(mark in section.text for section in sections
                   for mark in (":toc:", "////", "[source", "ifdef::", "include::", "link:", "<<", "|==="))


def test_chunks_cite_the_lines_of_their_text() -> None:
    lines = PAGE.splitlines()
    for chunk in chunks_of("guide.adoc", PAGE, size=300, overlap=0):
        held = " ".join(lines[chunk.start_line - 1:chunk.end_line])
        for word in re.findall(r"[^\W\d_]{4,}", chunk.text):
            assert word in held or word in ("Note", "Warning", "Included"), (word, chunk.start_line, chunk.end_line)


@pytest.mark.parametrize("written, want", [
    ("*bold* and **un**constrained", "bold and unconstrained"),
    ("_it_ and __un__der", "it and under"),
    ("#marked# and [.role]#styled#", "marked and styled"),
    ("`mono` kept as code", "`mono` kept as code"),
    ("+{not-an-attr}+ and +++<b>raw</b>+++", "{not-an-attr} and <b>raw</b>"),
    ("xref:install.adoc#pip[Installing] it", "Installing it"),
    ("xref:install.adoc[] it", "install it"),
    ("see xref:attributes:boolean-attributes.adoc[] or xref:a.adoc#unset_it[]", "see boolean attributes or unset it"),
    ("see <<install>> or <<setup,Set up>>", "see install or Set up"),
    ("mailto:a@b.org[write] or https://x.org", "write or https://x.org"),
    ("press kbd:[Ctrl+C], then btn:[Save] in menu:File[Save As]", "press Ctrl+C, then Save in File > Save As"),
    ("an image:icon.png[Icon] inline", "an Icon inline"),
    ("the icon:flag[role=blue] flag, stem:[sqrt(4) = 2]", "the  flag, sqrt(4) = 2"),
    ("a line +", "a line"),
    ("snake_case_name and a*b*c", "snake_case_name and a*b*c"),
    ("\\*not bold*", "*not bold*"),
    ("{undefined} stays", "{undefined} stays"),
    ("C{plus}{plus} and {cpp}", "C++ and C++"),
])
def test_inline_marks_read_as_their_text(written: str, want: str) -> None:
    assert shown(written, {}) == want


def test_a_table_with_a_header_option_a_span_and_csv_and_an_underlined_title() -> None:
    page = "\n".join([
        "Guide", "=====", "", "Usage", "-----", "", "[%header,cols=3]", "|===", "|A |B |C", "2+|wide |c",
        "a|x |y |z", "|===", "", ",===", "name,size", "\"big, red\",3", ",===", ""])
    got = _shown_lines(page)
    assert (1, "# Guide") in got and (4, "## Usage") in got and (2, "") in got
    assert [line for number, line in got if number == 9] == ["| A | B | C |", "|---|---|---|"]
    assert (10, "| wide | | c |") in got and (11, "| x | y | z |") in got
    assert (15, "| name | size |") in got and (16, "| big, red | 3 |") in got
    assert [s.heading for s in read_sections(Path("g.adoc"), page.encode())] == ["Guide", "Guide > Usage"]


def test_a_reference_without_text_shows_the_title_it_points_at() -> None:
    page = ("= Page\n\n== Install the Widget\n\n.Checklist syntax\n[#ex-syntax]\n----\nx\n----\n\n"
            "See <<ex-syntax>>, <<_install_the_widget>> and <<other-page>>.\n")
    assert (11, "See Checklist syntax, Install the Widget and other page.") in _shown_lines(page)


def test_a_listing_split_in_pieces_never_starts_one_at_its_closing_fence() -> None:
    page = "= P\n\n" + "\n\n".join(f"Paragraph {n} says something about widgets." * 3 + "\n\n----\nrun\n----"
                                    for n in range(12)) + "\n"
    for chunk in chunks_of("p.adoc", page, size=300, overlap=0):
        body = [line for line in chunk.text.split("\n") if line.strip() and not line.startswith("#")]
        fences = [n for n, line in enumerate(body) if line == "```"]
        assert len(fences) % 2 == 0 and all(body[a + 2] == "```" for a in fences[::2]), chunk.text


def test_a_quote_without_its_style_names_its_author_and_a_listing_without_it_its_language() -> None:
    page = "[,Ada Lovelace,Notes]\n____\nThe engine weaves patterns.\n____\n\n[,python]\n----\nx = 1\n----\n"
    assert [line for _, line in _shown_lines(page)] == [
        "", "", "The engine weaves patterns.", "— Ada Lovelace, Notes", "", "", "```python", "x = 1", "```"]


def test_an_anchor_line_and_a_video_show_as_an_id_and_a_name() -> None:
    page = "[[idname,reference text]]\nA paragraph.\n\nvideo::movie.mp4[width=640]\n"
    assert [line for _, line in _shown_lines(page)] == ["", "A paragraph.", "", "Video: movie.mp4"]


def test_an_example_block_admonition_that_opens_with_a_list_is_labelled_on_its_own_line() -> None:
    page = "[TIP]\n====\n* one\n* two\n====\n"
    assert _shown_lines(page) == [(1, ""), (2, "Tip:"), (3, "- one"), (4, "- two"), (5, "")]


def test_an_include_in_a_listing_names_its_file_and_a_conditional_in_it_shows_nothing() -> None:
    page = "----\ninclude::example$cell.adoc[tag=span]\nifdef::x[]\nrun\nendif::[]\n----\n"
    assert [line for _, line in _shown_lines(page)] == ["```", "Included: example$cell.adoc", "", "run", "", "```"]


def test_conditionals_in_a_header_and_a_paragraph_show_nothing_and_their_entries_are_set() -> None:
    page = ("= Title\nA. Author\n:a: 1\nifndef::env-github[:icons: font]\nifdef::env-github[]\n:b: 2\nendif::[]\n\n"
            "Text {icons} {b}\nifdef::x[]\nmore\nendif::[]\n")
    assert [line for _, line in _shown_lines(page)] == ["# Title", "A. Author", "", "", "", "", "", "", "Text font 2",
                                                        "", "more", ""]


def test_an_unclosed_listing_runs_to_the_end_and_is_closed() -> None:
    page = "== Run\n\n----\n$ make\n"
    assert _shown_lines(page) == [(1, "## Run"), (2, ""), (3, "```"), (4, "$ make"), (4, "```")]


def test_a_literal_paragraph_is_code_and_an_indented_item_line_is_its_text() -> None:
    page = "Run:\n\n  $ make all\n  $ make test\n\n* item\n  goes on\n"
    got = _shown_lines(page)
    assert got[2:5] == [(3, "```"), (3, "  $ make all"), (4, "  $ make test")] and (4, "```") in got
    assert (7, "  goes on") in got


def test_the_suffixes_are_read_and_asc_stays_unsupported() -> None:
    assert reader_for(Path("guide.adoc")) is reader_for(Path("Guide.AsciiDoc")) is not None
    assert reader_for(Path("release.tar.gz.asc")) is None


def test_a_page_of_base64_or_of_machine_length_lines_named_adoc_is_skipped_as_a_markdown_one_is(tmp_path: Path) -> None:
    from jupyter_docchat import DocIndex

    import base64
    blob = base64.b64encode(bytes(range(256)) * 40).decode()
    folder = write_tree(tmp_path / "docs", {
        "key.adoc": "\n".join(blob[i:i + 76] for i in range(0, len(blob), 76)) + "\n",
        "minified.adoc": ("var a=function(b){return b*2};" * 40 + "\n") * 20,
        "guide.adoc": "= Guide\n\nThe guide holds words.\n"})
    with DocIndex(tmp_path / "store") as index:
        skipped = dict(index.update(folder).skipped_files)
    assert skipped == {"key.adoc": skips.ENCODED, "minified.adoc": skips.MACHINE_LINES}


def test_an_adoc_beside_what_asciidoctor_made_of_it_is_one_document() -> None:
    built = skips.built_from_sources(["docs/guide.adoc", "docs/guide.html", "docs/guide.pdf", "docs/other.html"])
    assert built == {"docs/guide.html": "docs/guide.adoc", "docs/guide.pdf": "docs/guide.adoc"}


ANTORA = {
    "docs/antora.yml": "name: widget\nversion: '2.1'\nnav:\n- modules/ROOT/nav.adoc\n",
    "docs/modules/ROOT/nav.adoc": "* xref:index.adoc[Home]\n* xref:install.adoc[Install]\n",
    "docs/modules/ROOT/pages/index.adoc": "= Widget\n\nWidget turns gears into widgets.\n",
    "docs/modules/ROOT/pages/install.adoc": """\
= Installing Widget
:pkg: widget-pro

== Requirements

[cols="1,1"]
|===
|Component |Minimum version

|Python
|3.11

|libgear
|0.9.4
|===

== Steps

Install the `{pkg}` package with pip:

[source,console]
----
$ pip install widget-pro
----

WARNING: The *gearbox* driver must be unloaded before you install.
""",
}


def test_an_antora_component_asked_in_the_shell_quotes_rows_and_warnings_as_shown(ip, tmp_path: Path) -> None:
    folder = write_tree(tmp_path / "component", ANTORA)
    ip.run_line_magic("docchat_index", f'"{folder}" --quiet --wait')
    ask(ip, "What is the minimum version of libgear?", "--no-stream")
    turn = ip.user_ns["docchat_history"][-1]
    assert "0.9.4" in turn["answer"] and "|===" not in turn["answer"]
    source = next(s for s in turn["sources"] if s["source"].endswith("install.adoc"))
    first, last = map(int, re.fullmatch(r"lines (\d+)-(\d+)", source["location"]).groups())
    assert first <= 13 <= last  # the row "|libgear", "|0.9.4"
    ask(ip, "What must be unloaded before you install?", "--no-stream")
    turn = ip.user_ns["docchat_history"][-1]
    assert "Warning: The gearbox driver must be unloaded" in turn["answer"]
    assert "*gearbox*" not in turn["answer"] and "WARNING:" not in turn["answer"]


MARK = "window.__docchat_adoc=1"
HOSTILE = f"""= Laser <script>{MARK}</script> safety

== Class <img src=x onerror={MARK}>

The alignment laser is class 3R.

|===
|Laser |Class

|alignment <script>{MARK}</script>
|3R
|===
"""


def test_markup_in_a_title_and_a_table_cell_stays_text_in_the_answer(ip, tmp_path: Path) -> None:
    from hostile import audit_html

    folder = write_tree(tmp_path / "pages", {"laser.adoc": HOSTILE})
    ip.run_line_magic("docchat_index", f'"{folder}" --quiet --wait')
    view = ask(ip, "What class is the alignment laser?", "--no-stream")
    html = view.to_html()
    assert "3R" in html and MARK in html and audit_html(html) == []


_MARKUP = st.sampled_from([
    "= T", "== Sub", "=== x", "## md", "----", "....", "====", "****", "____", "--", "++++", "////", "|===", ",===",
    "```", "[source,python]", "[NOTE]", "[cols=\"1,2\"]", "[%header]", "[quote, A]", "[discrete]", ".Title",
    ":a: b", ":a!:", "// c", "ifdef::x[]", "endif::[]", "include::a.adoc[]", "image::a.png[Alt]", "* i", "** j",
    ". k", "a:: b", "<1> c", "NOTE: n", "+", "  lit", "|a |b", "2+|c", "a|d", "", "Title", "-----", "=====",
    "*b* _i_ `m` link:u[t] <<x,y>>", "\t", "\r"])
_LINE = st.one_of(_MARKUP, st.text(ANY_CHAR, max_size=60), st.text(st.sampled_from("|*_=-.:[]<>`+# ab\\"), max_size=40))


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE, max_size=40).map("\n".join))
def test_any_text_is_read_without_raising_each_line_at_a_line_of_the_file(text: str) -> None:
    data = text.encode("utf-8", "surrogatepass")
    lines = decode(data).splitlines() or [""]
    for section in read_asciidoc(Path("page.adoc"), data):  # read_sections names a binary file: not this reader's
        shown_count = len(section.text.split("\n"))
        numbers = [section.file_line(section.start_line + n) for n in range(shown_count)]
        assert numbers == sorted(numbers)
        assert all(1 <= number <= len(lines) for number in numbers)


_WORDISH = st.sampled_from(["alpha", "beta", "gamma", "delta", "*bold*", "_it_", "`code`", "link:u[omega]",
                            "<<x,sigma>>", "|", "||", "2+|", "a|", "::", " ", "  "])
_PLAIN = st.lists(st.one_of(_MARKUP.filter(lambda line: "{" not in line),
                            st.lists(_WORDISH, max_size=8).map(" ".join)), max_size=30).map("\n".join)
_LABELS = {"Note", "Tip", "Important", "Warning", "Caution", "Included"}


def _table_heads(lines: list[str]) -> str:
    """The lines a table's header may stand on: the first with a cell after each table's delimiter."""
    heads = []
    for number, line in enumerate(lines):
        if line.strip()[1:4] == "===":
            heads.append(next((later for later in lines[number + 1:number + 4] if "|" in later or "," in later), ""))
    return " ".join(heads)


@settings(max_examples=300, deadline=None)
@given(_PLAIN)
def test_every_chunk_holds_only_words_of_the_lines_it_cites(text: str) -> None:
    lines = text.splitlines()
    for chunk in chunks_of("page.adoc", text, size=200, overlap=0):
        # A table cut at its rows repeats its title and header over each piece (indexing/table_chunks.py)
        cited = " ".join(lines[chunk.start_line - 1:chunk.end_line]) + " " + chunk.heading + " " + _table_heads(lines)
        held = set(re.findall(r"[^\W\d_]+", cited))
        text_lines = [line for line in chunk.text.split("\n") if not line.startswith("```")]  # a fence names a language
        words = set(re.findall(r"[^\W\d_]+", "\n".join(text_lines))) - _LABELS
        assert words <= held, (words - held, chunk.start_line, chunk.end_line)


def test_a_long_line_of_marks_and_a_page_of_tables_read_in_linear_time() -> None:
    spaces = " " * 50_000
    for line in ("*a" * 50_000, "<<" * 50_000, "link:" * 20_000, "[[a" * 30_000, "|" * 100_000, "{a}" * 30_000,
                 f"== a{spaces}b", f"= a{spaces}=", f"----\nx{spaces}<1>{spaces}\n----", "----\nx" + " <1>" * 20_000,
                 "|===\n" + "2+|" * 20_000 + "\n|===", "a" + ":: x" * 20_000, "====\n****\n" * 10_000):
        began = time.process_time()
        read_sections(Path("p.adoc"), line.encode())
        assert time.process_time() - began < 1.0, line[:10]
    small = "|===\n" + "|a |b\n" * 2_000 + "|===\n"
    big = "|===\n" + "|a |b\n" * 16_000 + "|===\n"
    began = time.process_time()
    read_sections(Path("p.adoc"), small.encode())
    middle = time.process_time()
    read_sections(Path("p.adoc"), big.encode())
    assert time.process_time() - middle < 20 * max(middle - began, 0.01)

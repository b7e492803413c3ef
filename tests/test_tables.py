"""Tables are read as tables and headings come clean: the readers, chunking and the offline answer, each
alone and end to end through %%ask in a real IPython shell on a real store."""

from __future__ import annotations

import html
import re
from pathlib import Path

from conftest import ask
from hypothesis import example, given, settings
from hypothesis import strategies as st

from jupyter_docchat import DocIndex
from jupyter_docchat.indexing.chunking import Chunker
from jupyter_docchat.indexing.readers import read_sections
from jupyter_docchat.indexing.readers.base import HeadingStack
from jupyter_docchat.qa.answer_units import split_units
from jupyter_docchat.table_text import find_tables, parse_table


def sections(name: str, text: str):
    return read_sections(Path(name), text.encode())


def tables_in(text: str):
    lines = text.split("\n")
    return [parse_table(lines[start:end]) for start, end in find_tables(lines)]


def page(body: str, title: str = "Guide") -> str:
    return f"<html><head><title>{title}</title></head><body><div role='main'>{body}</div></body></html>"


# --- The test corpus: a Sphinx-like build, a Markdown page, and a table longer than a chunk ----------------

HEADERLINK = '<a class="headerlink" href="#{0}" title="Permalink to this headline">¶</a>'
ROUTING = page(
    f'<section id="routing"><h1>Routing{HEADERLINK.format("routing")}</h1>'
    "<p>Ferry matches the path of each request against the routes of the application, in the order they were "
    "added, and calls the handler of the first one that matches.</p>"
    f'<section id="variable-parts"><h2>Variable parts{HEADERLINK.format("variable-parts")}</h2>'
    "<p>A route can hold variable parts, written as <code>&lt;name&gt;</code> or <code>&lt;kind:name&gt;</code>. "
    "The handler receives each part as a keyword argument, already converted to the kind that the route "
    "names, so a handler never parses the path itself. A part without a kind matches any text up to the "
    "next slash, which suits names and identifiers that are plain words.</p>"
    "<p>Routes are tried in the order they were added, so put the more specific ones first: a route with a "
    "fixed path is checked before one with a variable part when both could match the same request.</p>"
    "<p>Converter types:</p>"
    '<table class="docutils align-default"><colgroup><col style="width: 30%"><col style="width: 70%"></colgroup>'
    "<tbody>"
    '<tr class="row-odd"><td><p><code class="docutils literal"><span class="pre">text</span></code></p></td>'
    "<td><p>(default) any text up to the next slash</p></td></tr>"
    '<tr class="row-even"><td><p><code>number</code></p></td><td><p>whole numbers of zero and above</p></td></tr>'
    '<tr class="row-odd"><td><p><code>decimal</code></p></td><td><p>numbers with a fractional part</p></td></tr>'
    '<tr class="row-even"><td><p><code>path</code></p></td><td><p>like <code>text</code>, slashes included</p></td></tr>'
    '<tr class="row-odd"><td><p><code>uuid</code></p></td><td><p>a UUID in its usual hex form</p></td></tr>'
    "</tbody></table>"
    f'<dl class="py function"><dt id="ferry.route"><code>ferry.route(rule)</code>{HEADERLINK.format("ferry.route")}</dt>'
    "<dd><p>Register the decorated function as the handler of <code>rule</code>.</p></dd></dl>"
    "</section></section>", "Routing — Ferry 2.1 documentation")

OPTIONS = """# Serving {#serving}

`ferry serve` runs the application in the foreground until it is stopped.

## Command-line options [¶](#options)

ferry serve accepts these options:

| Option | Default | Meaning |
|--------|:-------:|---------|
| `--port` | 7070 | the TCP port to listen on |
| `--host` | 127.0.0.1 | the address to bind |
| `--workers` | 2 | how many worker processes to start |
| `--reload` | off | restart when a source file changes |

## Logging

Logs go to standard error, one line per request.
"""

LIMIT_NAMES = ["queue name length", "message size", "queues per broker", "consumers per queue", "headers per message",
               "header name length", "header value length", "routing key length", "bindings per exchange",
               "exchanges per broker", "pending acknowledgements", "delivery attempts", "message lifetime",
               "batch size", "connections per client", "channels per connection", "frame size", "priority levels",
               "dead-letter depth", "queue depth", "retained messages", "subscriptions per topic", "topic depth",
               "shovel count", "plugin count", "vhost count", "user count", "permission rules", "policy count",
               "alarm count"]


def limits_page() -> str:
    rows = "".join(f"<tr><td>Maximum {name}</td><td>{(n + 1) * 64}</td><td>set by max_{name.replace(' ', '_')} "
                   "in ferry.toml</td></tr>" for n, name in enumerate(LIMIT_NAMES))
    return page("<h1>Limits</h1><p>Every broker enforces these limits:</p>"
                f"<table><thead><tr><th>Limit</th><th>Value</th><th>Setting</th></tr></thead><tbody>{rows}</tbody></table>",
                "Limits")


def ferry_docs(folder: Path) -> Path:
    folder.mkdir()
    (folder / "routing.html").write_text(ROUTING)
    (folder / "serving.md").write_text(OPTIONS)
    (folder / "limits.html").write_text(limits_page())
    return folder


def answer_of(ip) -> str:
    return ip.user_ns["docchat_history"][-1]["answer"].split("\n\n*Extractive answer")[0]


# --- End to end through %%ask -------------------------------------------------------------------------------

def test_a_question_for_several_things_quotes_the_whole_table(ip, tmp_path: Path) -> None:
    ip.run_line_magic("docchat_index", f"{ferry_docs(tmp_path / 'ferry')} --quiet")
    view = ask(ip, "What converter types can I use in routes?", "--no-stream")
    answer = answer_of(ip)
    # The table of converters, every row with its description, not "Converter types: text".
    assert answer.startswith("Converter types:"), answer
    for row in ("text: (default) any text up to the next slash", "number: whole numbers of zero and above",
                "decimal: numbers with a fractional part", "path: like text, slashes included",
                "uuid: a UUID in its usual hex form"):
        assert f"- {row}" in answer, (row, answer)
    assert "Routing > Variable parts" in [s["heading"] for s in view.turn.sources]
    assert not any("¶" in s["heading"] for s in view.turn.sources)
    assert "¶" not in "".join(s["text"] for s in view.turn.sources)


def test_a_markdown_table_is_quoted_with_its_header_and_one_row_with_its_column_names(ip, tmp_path: Path) -> None:
    ip.run_line_magic("docchat_index", f"{ferry_docs(tmp_path / 'ferry')} --quiet")
    view = ask(ip, "Which options does ferry serve accept?", "--no-stream")
    answer = answer_of(ip)
    assert answer.startswith("ferry serve accepts these options:\n\n| Option | Default | Meaning |\n|---|---|---|\n"), answer
    assert "| `--port` | 7070 | the TCP port to listen on |" in answer and "| `--reload` | off |" in answer
    assert "<table>" in view._repr_mimebundle_()["text/html"]  # shown as a table, not a line of pipes
    cited = int(answer.split("\n\n")[2].strip("[]"))  # the citation stands below the table
    assert [s["heading"] for s in view.turn.sources if s["n"] == cited] == ["Serving > Command-line options"]
    ask(ip, "What is the default port of ferry serve?", "--no-stream")
    assert answer_of(ip).startswith("Option: `--port`; Default: 7070; Meaning: the TCP port to listen on [1]")


def test_a_table_longer_than_a_chunk_is_cut_at_rows_and_each_row_keeps_its_header(ip, tmp_path: Path) -> None:
    folder = ferry_docs(tmp_path / "ferry")
    ip.run_line_magic("docchat_index", f"{folder} --quiet")
    index = DocIndex(tmp_path / "store")
    try:
        rows = index.catalog.source_rows("docs", "limits.html")
    finally:
        index.close()
    texts = [text for _, text, _ in sorted(rows, key=lambda row: row[2]["chunk_index"])]
    assert len(texts) >= 3
    for text in texts:  # every piece is led by the table's introduction and header (the first by its heading too)
        assert text.removeprefix("Limits\n\n").startswith("Every broker enforces these limits:\n\n| Limit | Value | Setting |\n|---|---|---|\n"), text
        assert len(text) <= 800
    quoted = "\n".join(texts)
    assert all(f"| Maximum {name} |" in quoted for name in LIMIT_NAMES)  # no row lost
    ask(ip, "What is the maximum number of consumers per queue?", "--no-stream")
    assert re.match(r"Limit: Maximum consumers per queue; Value: 256; Setting: set by max_consumers_per_queue "
                    r"in ferry.toml \[\d\]", answer_of(ip))


# --- The readers --------------------------------------------------------------------------------------------

def test_a_docutils_table_without_header_reads_a_row_a_line() -> None:
    got = sections("routing.html", ROUTING)
    [table] = tables_in(got[1].text)
    assert table.header == ()
    assert table.rows == (("text", "(default) any text up to the next slash"), ("number", "whole numbers of zero and above"),
                          ("decimal", "numbers with a fractional part"), ("path", "like text, slashes included"),
                          ("uuid", "a UUID in its usual hex form"))
    assert "Converter types:\n\n| text |" in got[1].text


def test_multi_row_headers_spans_row_headers_and_empty_cells() -> None:
    body = ("<table><thead><tr><th rowspan='2'>Type</th><th colspan='2'>Size</th><th>Notes</th></tr>"
            "<tr><th>min</th><th>max</th><th></th></tr></thead><tbody>"
            "<tr><th>tiny</th><td>1</td><td>8</td><td></td></tr>"
            "<tr><th rowspan='2'>wide</th><td>16</td><td>64</td><td>aligned</td></tr>"
            "<tr><td colspan='2'>any</td><td>packed</td></tr>"
            "<tr><td></td><td></td><td></td><td></td></tr></tbody></table>")
    [table] = tables_in(sections("t.html", page(body))[0].text)
    assert table.header == ("Type", "Size min", "Size max", "Notes")
    # A spanning row header stands in each of its rows; a body cell spanning columns in the first; an
    # empty cell stays empty, under its column; a row of nothing is left out.
    assert table.rows == (("tiny", "1", "8", ""), ("wide", "16", "64", "aligned"), ("wide", "any", "", "packed"))
    units = split_units(sections("t.html", page(body))[0].text)
    assert [u.text for u in units if u.kind == "row"][0] == "Type: tiny; Size min: 1; Size max: 8"


def test_a_first_row_all_in_bold_is_the_header_of_an_older_manual_table() -> None:
    body = ("<table><tr><td><b>Function</b></td><td width=30></td><td><b>Equivalent</b></td></tr>"
            "<tr><td>date(...)</td><td></td><td>strftime('%Y-%m-%d', ...)</td></tr>"
            "<tr><td>time(...)</td><td></td><td>strftime('%H:%M:%S', ...)</td></tr></table>"
            "<table><tr><td><b>sqlite3_value_blob</b></td><td>BLOB value</td></tr>"
            "<tr><td><b>sqlite3_value_int</b></td><td>INTEGER value</td></tr></table>")
    first, second = tables_in(sections("d.html", page(body))[0].text)
    assert first.header == ("Function", "Equivalent") and first.rows[0] == ("date(...)", "strftime('%Y-%m-%d', ...)")
    assert second.header == () and len(second.rows) == 2  # bold row names in every row: no header


def test_layout_tables_footnotes_and_field_lists_read_as_before() -> None:
    layout = ("<table><tr><td><h2>Overview</h2><p>SQLite is a library that implements a database engine.</p></td>"
              "<td><p>Sidebar text for the page.</p></td></tr>"
              "<tr><td><pre>CREATE TABLE t(x);\n  -- indented</pre></td><td>Code on the left.</td></tr></table>")
    got = sections("l.html", page(f"<h1>Intro</h1><p>Before.</p>{layout}"))
    text = "\n".join(s.text for s in got)
    assert not tables_in(text)
    assert [s.heading for s in got] == ["Guide > Intro", "Guide > Intro > Overview"]  # its heading still splits
    assert "CREATE TABLE t(x);\n  -- indented" in text  # the code keeps its lines
    one_row = "<table><tr><td class='icon'>Note</td><td>Mind the gap.</td></tr></table>"
    footnote = ("<table class='docutils footnote'><tr><td class='label'>[1]</td><td>See the manual.</td></tr>"
                "<tr><td class='label'>[2]</td><td>And the FAQ.</td></tr></table>")
    fields = ("<table class='docutils field-list'><tr><th>Parameters:</th><td><ul><li>rule – the rule</li></ul></td></tr>"
              "<tr><th>Returns:</th><td>a decorator</td></tr></table>")
    spacer = "<table><tr><td><img alt='1' src='1.png'></td><td>Only one column has text.</td></tr>" \
             "<tr><td><img alt='2' src='2.png'></td><td>So it is no table of data.</td></tr></table>"
    text = "\n".join(s.text for s in sections("f.html", page(one_row + footnote + fields + spacer)))
    assert not tables_in(text)
    assert "Note Mind the gap." in text  # a layout row's cells stay apart ("NoteMind" before)
    assert "Only one column has text." in text and "Returns:" in text and "See the manual." in text


def test_nested_tables_the_outer_lays_out_the_inner_holds_data() -> None:
    inner = ("<table><tr><th>Flag</th><th>Effect</th></tr><tr><td>-v</td><td>verbose</td></tr>"
             "<tr><td>-q</td><td>quiet</td></tr></table>")
    outer = f"<table><tr><td><p>Menu</p></td><td><p>The flags:</p>{inner}</td></tr><tr><td>a</td><td>b</td></tr></table>"
    [table] = tables_in(sections("n.html", page(outer))[0].text)
    assert table.header == ("Flag", "Effect") and table.rows == (("-v", "verbose"), ("-q", "quiet"))


def test_cells_hold_one_line_with_their_pipes_escaped() -> None:
    body = ("<table><tr><th>Operator</th><th>Meaning</th></tr><tr><td><code>a || b</code></td>"
            "<td><p>Concatenation.</p><p>Both sides are strings.</p><ul><li>left</li><li>right</li></ul></td></tr></table>")
    [table] = tables_in(sections("o.html", page(body))[0].text)
    assert table.rows == ((r"a \|\| b", "Concatenation. Both sides are strings. left; right"),)
    assert split_units(sections("o.html", page(body))[0].text)[0].text.startswith("Operator: a || b; Meaning: ")


def test_markdown_tables_keep_their_lines_and_every_cell() -> None:
    text = "# T\n\nIntro:\nName | Port\n--- | ---:\ngit | 9418 \\| tcp\nssh | 22 | extra\n\nAfter.\n"
    got = sections("a.md", text)
    lines = got[0].text.split("\n")
    assert len(lines) == len(text.rstrip("\n").split("\n"))  # a line still a line: line numbers hold
    assert lines[3:7] == ["| Name | Port | |", "|---|---|---|", r"| git | 9418 \| tcp | |", "| ssh | 22 | extra |"]
    code = "# T\n\n```\n| a | b |\n|---|---|\n```\n"
    assert sections("c.md", code)[0].text == code.rstrip("\n")  # a table in code is code


# --- Clean headings -----------------------------------------------------------------------------------------

def test_permalink_marks_leave_html_headings_and_text() -> None:
    body = ('<h1>Quickstart<a class="headerlink" href="#q" title="Permalink to this headline">¶</a></h1><p>One.</p>'
            '<h2>Debug Mode<a class="headerlink" href="#d" title="Link to this heading">¶</a></h2><p>Two.</p>'
            '<h2><a class="anchor" aria-hidden="true" href="#g">#</a> GitHub style</h2><p>Three.</p>'
            '<h2>MkDocs<a class="headerlink" href="#m" title="Permanent link">&para;</a></h2><p>Four.</p>'
            '<h2><a href="#r" class="doc-anchor">§</a>Rustdoc</h2><p>Five.</p>'
            '<h2>Link emoji <a href="#e">🔗</a></h2><p>Six.</p>'
            '<h2>Hidden words<a class="hash-link" href="#h" title="Direct link to heading">\u200b</a></h2><p>Seven.</p>'
            '<h2>C# and F#</h2><p>Eight, a heading where # is a word.</p>'
            '<h2>Docs</h2><p>See <a href="#q">the quickstart</a> and <a href="#x">#</a>.</p>')
    got = sections("p.html", page(body, "Manual"))
    assert [s.heading for s in got] == [
        "Manual > Quickstart", "Manual > Quickstart > Debug Mode", "Manual > Quickstart > GitHub style",
        "Manual > Quickstart > MkDocs", "Manual > Quickstart > Rustdoc", "Manual > Quickstart > Link emoji",
        "Manual > Quickstart > Hidden words", "Manual > Quickstart > C# and F#", "Manual > Quickstart > Docs"]
    text = "\n".join(s.text for s in got)
    assert not any(mark in text for mark in "¶§🔗\u200b") and "Permalink" not in text
    assert "See the quickstart and ." in text  # a link's own words stay


def test_permalink_marks_leave_markdown_and_rst_headings() -> None:
    text = ("# Serving {#serving}\n\nOne.\n\n## Options [¶](#options)\n\nTwo.\n\n### <a id=\"x\"></a>Anchored\n\n"
            "Three.\n\nSetext ¶\n------\n\nFour.\n")
    got = sections("a.md", text)
    assert [s.heading for s in got] == ["Serving", "Serving > Options", "Serving > Options > Anchored", "Serving > Setext"]
    assert [s.text.split("\n")[0] for s in got] == ["# Serving", "## Options", "### Anchored", "Setext"]
    assert [s.start_line for s in got] == [1, 5, 9, 13]
    rst = "Guide¶\n======\n\nIntro.\n\nInstall Permalink to this headline\n" + "-" * 34 + "\n\nRun pip.\n"
    assert [s.heading for s in sections("a.rst", rst)] == ["Guide", "Guide > Install"]
    trail = HeadingStack("Manual ¶")
    assert trail.enter(1, "Part 🔗") == "Manual > Part" and trail.enter(2, "# Sub") == "Manual > Part > Sub"


# --- Chunking -----------------------------------------------------------------------------------------------

def test_a_table_that_fits_stays_in_one_chunk_with_its_introduction() -> None:
    # Cut as text, the introduction would end the chunk of prose and the table start the next one.
    prose = " ".join(f"Sentence {n} says something about routes and their order." for n in range(10))
    intro = "The kinds of variable part that a route can hold, and what each of them matches in the path of a request, are:"
    text = f"# Routes\n\n{prose}\n\n{intro}\n\n| Kind | Matches |\n|---|---|\n" + \
        "\n".join(f"| kind{n} | things of sort {n} |" for n in range(8)) + "\n\nA last word.\n"
    chunks = Chunker(800, 100).chunk("r.md", "h", sections("r.md", text))
    [holder] = [c for c in chunks if "| kind0 |" in c.text]
    assert holder.text.startswith(f"{intro}\n\n| Kind | Matches |") and "| kind7 |" in holder.text
    file_lines = text.split("\n")
    for c in chunks:
        assert c.text.split("\n")[-1] == file_lines[c.end_line - 1]


def test_a_long_table_is_cut_at_rows_and_lines_point_at_the_rows() -> None:
    rows = [f"| opt{n} | {n * 10} | what option {n} does, in a few words |" for n in range(60)]
    text = "# Options\n\nThe options:\n\n| Option | Default | Meaning |\n|---|---|---|\n" + "\n".join(rows) + "\n"
    file_lines = text.split("\n")
    chunks = Chunker(500, 50).chunk("o.md", "h", sections("o.md", text))
    assert len(chunks) >= 4
    seen = []
    for c in chunks:
        lines = c.text.split("\n")
        assert len(c.text) <= 500
        assert lines[:4] == ["The options:", "", "| Option | Default | Meaning |", "|---|---|---|"] or lines[0] == "# Options"
        own = [line for line in lines if line.startswith("| opt")]
        assert file_lines[c.start_line - 1] in (own[0], "# Options") and file_lines[c.end_line - 1] == own[-1]
        seen += own
    assert seen == rows  # every row once, in order


def test_a_row_wider_than_a_chunk_is_written_as_header_value_pairs() -> None:
    header = [f"Column {n}" for n in range(30)]
    row = [f"value {n} " + "x" * 20 for n in range(30)]
    text = "| " + " | ".join(header) + " |\n|" + "---|" * 30 + "\n| " + " | ".join(row) + " |\n"
    chunks = Chunker(300, 30).chunk("w.md", "h", sections("w.md", text))
    pairs = [line for c in chunks for line in c.text.split("\n") if line.startswith("Column ")]
    assert all(len(c.text) <= 300 for c in chunks)
    assert all(c.start_line == c.end_line == 3 for c in chunks if c.text.startswith("Column 0:"))
    assert {f"Column {n}: {row[n]}" for n in range(30)} <= set(pairs)  # every value under its column's name


def test_the_model_window_halves_a_table_between_rows_repeating_its_head() -> None:
    rows = [f"| {n} | {n * 7919 % 1000} | {n * 31 % 97} |" for n in range(30)]
    text = "Figures:\n\n| A | B | C |\n|---|---|---|\n" + "\n".join(rows) + "\n"
    count = lambda texts: [len(t) // 2 for t in texts]  # noqa: E731 - a window of 100 tokens is 200 characters here
    chunks = Chunker(800, 0, count, 100).chunk("f.md", "h", sections("f.md", text))
    assert len(chunks) > 2
    for c in chunks:
        assert c.text.startswith("Figures:\n\n| A | B | C |\n|---|---|---|\n| ")
    assert [line for c in chunks for line in c.text.split("\n")[4:]] == rows


# --- Property-based: no cell lost ---------------------------------------------------------------------------

# No soft hyphen: every reader leaves it out (a cell of one read empty; tests/test_probe26.py).
_CELL = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\\`<>&*_[]#|!\xad"),
                min_size=1, max_size=12).map(lambda s: " ".join(s.split())).filter(bool)
_TABLE = st.integers(2, 5).flatmap(lambda width: st.tuples(
    st.lists(_CELL, min_size=width, max_size=width),
    st.lists(st.lists(_CELL, min_size=width, max_size=width), min_size=1, max_size=6)))


@settings(max_examples=60, deadline=None)
@given(_TABLE)
@example((("-", "-"), [["a", "b"]]))  # a header of dashes is still a header
@example((("a", "b"), [["-", ":"], ["c", "d"]]))  # and a row of them a row
def test_random_html_tables_round_trip_their_cells_in_order(table) -> None:
    header, rows = table
    cells = lambda row, tag: "".join(f"<{tag}>{html.escape(c)}</{tag}>" for c in row)  # noqa: E731
    markup = page(f"<p>Before.</p><table><thead><tr>{cells(header, 'th')}</tr></thead><tbody>"
                  + "".join(f"<tr>{cells(row, 'td')}</tr>" for row in rows) + "</tbody></table><p>After.</p>")
    [got] = tables_in("\n".join(s.text for s in sections("r.html", markup)))
    assert got.header == tuple(header) and got.rows == tuple(tuple(row) for row in rows)


@settings(max_examples=60, deadline=None)
@given(_TABLE)
@example((("-", "-"), [["a", "b"]]))  # a header of dashes is still a header
@example((("a", "b"), [["-", ":"], ["c", "d"]]))  # and a row of them a row
def test_random_markdown_tables_round_trip_their_cells_in_order(table) -> None:
    header, rows = table
    line = lambda row: "| " + " | ".join(row) + " |"  # noqa: E731
    text = "Before.\n\n" + "\n".join([line(header), "|" + "---|" * len(header), *map(line, rows)]) + "\n\nAfter.\n"
    [got] = tables_in(sections("r.md", text)[0].text)
    assert got.header == tuple(header) and got.rows == tuple(tuple(row) for row in rows)
    units = [u for u in split_units(sections("r.md", text)[0].text) if u.kind == "row"]
    assert [u.cells for u in units] == [tuple(row) for row in rows]  # each row a unit, none lost
    chunks = Chunker(300, 10).chunk("r.md", "h", sections("r.md", text))  # rows of at most 5 cells of 12
    pieces = [t for c in chunks for t in tables_in(c.text)]
    assert all(t.header == tuple(header) for t in pieces)  # each piece of the table under its header
    assert [r for t in pieces for r in t.rows] == [tuple(row) for row in rows]

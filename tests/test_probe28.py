"""Probe 28: failures found attacking the newest surfaces (notebook cells cited together, keys hidden from a notebook's
cells, the Markdown export's code blocks) as an outside user would. Real parts: the IPython shell, the Chroma store, the
readers."""

from __future__ import annotations

import html as html_module
import json
import re
from pathlib import Path

from conftest import ask, chunks_of
from hypothesis import given, settings
from hypothesis import strategies as st

from jupyter_docchat.types import Hit

_KEY = "sk-proj-Abc123Def456Ghi789Jkl012Mno345Pqr678"


def _notebook(*cells: tuple[str, str | list[str]]) -> str:
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": kind, "metadata": {}, "source": source,
         **({"outputs": [], "execution_count": None} if kind == "code" else {})} for kind, source in cells]})


_SECRETS = st.text(alphabet=st.sampled_from(list("abcXYZ0123456789-_")), min_size=8, max_size=30).filter(
    lambda s: any(ch.isdigit() for ch in s))
# The forms probe 27's patterns missed: each showed the value whole (or its second part) in %ask --notebook.
_FORMS = st.sampled_from([
    'api_key = f"{v}"', "client = OpenAI(api_key=rf'{v}')", 'api_key = f"""{v}"""',  # f-strings
    'cfg = """\nopenai:\n  api_key: {v}\n"""', "cfg = 'db:\\n  password: {v}'",  # YAML lines in a string
    'tokens = ["first-{v}", "{v}"]', 'key = ("sk-"\n       "{v}")', 'api_key = "sk-" + "{v}"',  # lists, split literals
    'requests.get("https://api.example.com/v1?api_key={v}&q=1")', 'base = "https://user:{v}@example.com/v1"',  # URLs
    'headers = {{"Authorization": auth}}\nauth = "Bearer {v}"',  # a bearer token given to any name
    'lines = ["OPENAI_API_KEY={v}"]', 'env = "HF_TOKEN={v}"',  # a .env line in a string
    'if (api_key := "{v}"):\n    pass',  # a walrus
])


@settings(deadline=None)  # the first example imports the readers: seconds on a loaded machine
@given(_FORMS, _SECRETS, st.text(max_size=15))
def test_a_key_a_cell_writes_in_another_form_is_not_shown(form: str, secret: str, before: str) -> None:
    """%ask --notebook quoted a key a cell gave in an f-string (``api_key = f"sk-..."``), a YAML line in a string, a
    list's second item, the second part of a literal split over two lines or concatenated, a URL's query or password,
    a Bearer header given to a name that says nothing, a .env line in a string, a walrus: not the configured key, so
    not withheld, and sent to the model. Neither the cell nor another's result (the value shown again) holds it."""
    from jupyter_docchat.qa.cells import session_cells

    code = f"{before}\n" + form.format(v=secret)
    cells = session_cells(["", code, "value"], {2: f"the value is {secret}!"})
    assert all(secret not in cell.text for cell in cells), cells


def test_a_cells_result_shows_no_secret_column_nor_a_key_cut_at_its_end() -> None:
    """A cell's result as a source: a frame read from a file with a "token" column showed it whole (--with hides it);
    a series named "password" too; and a key a cell set, shown again at the end of a long result, was cut there before
    it was looked for, and its first letters were shown."""
    import pandas as pd

    from jupyter_docchat.qa.cells import session_cells

    frame = pd.DataFrame({"user": ["ann", "bob"], "token": ["tk_Abcdefgh12345678", "tk_Zyxwvuts98765432"]})
    series = pd.Series(["pw_Secret12345678"], name="password")
    code = f"api_key = '{_KEY}'"
    cells = session_cells(["", "users = pd.read_csv('users.csv')\nusers", "series", code, "report"],
                          {1: frame, 2: series, 4: "x" * 480 + _KEY})
    shown = "\n".join(cell.text for cell in cells)
    assert "ann" in shown and "Abcdefgh" not in shown and "Zyxwvuts" not in shown and "pw_Secret" not in shown, shown
    assert "sk-proj-Abc" not in shown, shown
    plain = pd.DataFrame({"n": range(30)})  # a frame with no secret's name is shown as before
    assert session_cells(["", "plain"], {1: plain})[0].text.endswith(repr(plain)), "a frame's result cut short"


def test_a_saved_notebooks_markdown_cell_does_not_repeat_a_cells_key(ip, tmp_path: Path) -> None:
    """%%ask --notebook reads the saved notebook's Markdown cells: a note repeating the key a code cell set ("The client
    uses the key sk-...") was quoted whole, the code cell's own string hidden."""
    notebook = tmp_path / "work.ipynb"
    notebook.write_text(_notebook(("markdown", f"# Setup\nThe zebra census client uses the key {_KEY} to log in."),
                                  ("code", f"client = Census(api_key='{_KEY}')")))
    ip.user_ns["__session__"] = str(notebook)
    answer = ask(ip, "Which key does the zebra census client use?", "--no-stream --notebook")
    shown = str(answer) + answer.to_html()
    assert "markdown cell 1" in shown and "(not shown)" in shown, shown
    assert "Abc123Def456" not in shown, shown


def test_a_code_cell_holding_a_fence_is_quoted_whole(ip) -> None:
    """A session cell whose docstring holds a Markdown example (```) was quoted in a plain ``` fence, which its own
    ``` closed: "zebra_loader --fast" was quoted as a sentence and the code below as another block."""
    code = 'def show_help():\n    """Usage:\n```\nzebra_loader --fast\n```\nThe zebra loader reads the census."""\n    return 1'
    result = ip.run_cell(code, store_history=True)
    assert result.error_in_exec is None and result.error_before_exec is None, result
    answer = ask(ip, "How does the zebra loader work?", "--no-stream --notebook")
    blocks = _pre_texts(str(answer).split("*Extractive")[0])
    assert blocks and blocks[0].rstrip("\n") == code, (blocks, str(answer))


_CODE_LINES = st.lists(st.sampled_from(["x = 1", "```", "````", "~~~", "~~~~", "```python", "", "    return x", "# c",
                                        "print('a')", "- item", "| a | b |"]), min_size=1, max_size=10)


@settings(deadline=None)  # the first example imports the readers: seconds on a loaded machine
@given(_CODE_LINES)
def test_a_code_cell_is_one_code_unit_whatever_fences_it_holds(lines: list[str]) -> None:
    """Any code cell (fences of either kind and length inside it, blank lines): its answer units are one code block of
    all its lines. A notebook's code chunk is fenced longer than its backtick runs, but the units took any line starting
    ``` or ~~~ as a fence, opening or closing: a ``` block holding a "~~~" line was cut at it."""
    from jupyter_docchat.qa.extractive import units_of

    code = "\n".join(lines).strip("\n")
    if not code.strip():
        return
    hit = Hit(id="c", text=code, source="this notebook", heading="cell [3]", origin="cell")
    units = units_of(hit)
    assert [u.kind for u in units] == ["code"] and units[0].text == code, units


def test_a_notebook_chunk_with_a_fence_in_its_code_is_quoted_as_code(tmp_path: Path) -> None:
    """A notebook whose code cell holds ``` and ~~~ lines (a string of Markdown): the reader fences it with ````, and an
    answer quoting it cut it at its inner ``` and quoted the lines below as prose."""
    from jupyter_docchat import DocIndex

    docs = tmp_path / "docs"
    docs.mkdir()
    code = "template = '''\n```\nzebra --count\n~~~\n'''\nprint(template.format(zebras=42))"
    (docs / "a.ipynb").write_text(_notebook(("markdown", "# Census\nThe zebra template prints the count:"),
                                            ("code", code)))
    with DocIndex(store=tmp_path / "store") as index:
        index.update(docs)
        answer = index.ask("How does the zebra template print the count?")
    blocks = _pre_texts(str(answer).split("*Extractive")[0])
    assert any(block.rstrip("\n") == code for block in blocks), str(answer)
    assert "cells 1-2" in str(answer), str(answer)


def _pre_texts(markdown: str) -> list[str]:
    from markdown_it import MarkdownIt

    page = MarkdownIt("commonmark").render(markdown)
    return [html_module.unescape(m) for m in re.findall(r"<pre><code[^>]*>(.*?)</code></pre>", page, re.S)]


def test_the_export_keeps_the_text_below_a_code_block_after_a_lone_cr() -> None:
    """A model's answer with a lone "\\r" line break above a code block: CommonMark counts it as a line, the export
    sliced the answer at "\\n" alone, and the text after the block ("after the block [1].") was left out of the file."""
    from jupyter_docchat.views.history import answer_markdown

    markdown = answer_markdown("The rows:\rfirst\n```\nrows()\n```\nafter the block [1].")
    assert "after the block" in markdown and _pre_texts(markdown) == ["rows()\n"], markdown


_ANSWER_LINES = st.lists(st.sampled_from(["alpha beta", "```", "````", "~~~", "    gamma indented", "- delta item",
                                          "| eps | zeta |", "<b>eta</b>", "theta [1]", "", "> iota"]), max_size=12)


@settings(deadline=None)  # the first example imports the readers: seconds on a loaded machine
@given(_ANSWER_LINES, st.lists(st.sampled_from(["\n", "\r", "\r\n"]), min_size=12, max_size=12))
def test_the_export_loses_no_word_of_an_answer_and_lets_no_markup_live(lines: list[str], breaks: list[str]) -> None:
    """Any answer of text, fences of any kind and length, indented code, lists, tables and markup, its lines broken
    by any of CommonMark's line breaks: every word of it is in the rendered export, and no tag of it is live."""
    from markdown_it import MarkdownIt

    from jupyter_docchat.views.history import answer_markdown

    answer = "".join(line + brk for line, brk in zip(lines, breaks))
    page = MarkdownIt("commonmark").render(answer_markdown(answer))
    text = html_module.unescape(re.sub(r"<[^>]+>", " ", page))
    assert all(word in text for word in re.findall(r"[a-z]+", answer)), (answer, page)
    assert "<b>" not in page, page


_CELL_LINES = st.sampled_from(["alpha", "x = 1", "print(x)", "# Title", "## Sub", "```", "~~~", "", "text here",
                               "    indented", "- item", "| a | b |", "zeta " * 12])
_CELLS = st.lists(st.tuples(st.sampled_from(["markdown", "code", "raw"]), st.lists(_CELL_LINES, max_size=8).map("\n".join),
                            st.booleans()), max_size=8)


@settings(deadline=None)  # the first example imports the readers: seconds on a loaded machine
@given(_CELLS, st.sampled_from([120, 400, 800]))
def test_every_chunk_is_cited_by_cells_that_hold_its_text(cells: list[tuple[str, str, bool]], size: int) -> None:
    """Any notebook (Markdown, code and raw cells, sources as strings or lists of lines, fences and headings in them,
    any chunk size): each chunk's cited cells exist, the first and the last of them hold a line of it, and every line
    of it is a line of those cells."""
    from jupyter_docchat.safe_text import fenced, fences_closed

    text = _notebook(*((kind, source.splitlines(True) if as_list else source) for kind, source, as_list in cells))
    held = {n: fenced(source.rstrip()) if kind == "code" else fences_closed(source)
            for n, (kind, source, _) in enumerate(cells, 1) if kind in ("markdown", "code") and source.strip()}
    for chunk in chunks_of("a.ipynb", text, size=size, overlap=min(50, size // 4)):
        first, last = chunk.cell, chunk.last_cell or chunk.cell
        assert first in held and last in held and first <= last, (chunk, held)
        lines = [line for line in chunk.text.splitlines() if line.strip()]
        cited = "\n".join(held[n] for n in range(first, last + 1) if n in held)
        assert all(line.strip() in cited for line in lines), (chunk, held)  # a long line may be cut at its spaces
        assert any(line.strip() in held[first] for line in lines), (chunk, held)
        assert any(line.strip() in held[last] for line in lines), (chunk, held)


def test_a_utf16_text_without_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    """A text in UTF-16 without its byte-order mark (a Windows tool's export) was skipped as binary for its NUL bytes
    (probe 27's leftover). It is read, in either byte order; a file of 16-bit numbers named .txt is still binary."""
    import struct

    from jupyter_docchat.indexing.reading import ChunkerSpec, read_one

    text = "The zebra count is forty two.\r\nZebras eat grass; 一 café.\r\n"
    for encoding in ("utf-16-le", "utf-16-be"):
        path = tmp_path / f"{encoding}.txt"
        path.write_bytes(text.encode(encoding))
        result = read_one(path.name, path, ChunkerSpec(800, 100, ""))
        assert result.chunks and result.chunks[0].text == text.replace("\r\n", "\n").strip(), result
    numbers = tmp_path / "numbers.txt"
    numbers.write_bytes(struct.pack("<2000h", *range(2000)))
    assert read_one(numbers.name, numbers, ChunkerSpec(800, 100, "")).skipped, "16-bit numbers read as text"


def test_a_key_in_the_model_servers_query_is_not_shown_in_its_error(ip, tmp_path: Path) -> None:
    """A gateway taking its key in the URL (base_url "http://host/v1?api_key=sk-..."): "could not connect to the model
    server at http://127.0.0.1:9/v1?api_key=sk-proj-...: is it running?" showed it whole, in the cell's output the
    notebook keeps. A secret query parameter is masked as a URL's password is."""
    from conftest import run_cell

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("The zebra count is forty two animals in the park.\n")
    ip.run_line_magic("docchat_index", f"{docs} --quiet")
    for setting in (f"base_url = 'http://127.0.0.1:9/v1?api_key={_KEY}&v=2'", "model = 'gpt-4o-mini'",
                    "api_key = 'local-dummy'", "max_retries = 0", "timeout = 3.0"):
        ip.run_line_magic("config", f"DocChat.{setting}")
    _, error = run_cell(ip, "%%ask --no-stream\nWhat is the zebra count?")
    assert error is not None and "could not connect" in str(error) and "api_key=***" in str(error), error
    assert "Abc123Def456" not in str(error) + json.dumps(ip.user_ns["docchat_history"]), error


def test_with_a_list_or_dict_of_settings_lines_shows_no_key(ip) -> None:
    """--with a .env file read into a list of lines, a dict holding an "export ..." line, a bytes value of YAML, a tuple
    holding "token=...": a str of them hid the key since probe 27, their items were shown whole."""
    ns = {"lines": ["MODEL=gpt-4o-mini", f"OPENAI_API_KEY={_KEY}"], "conf": {"env": f"export OPENAI_API_KEY={_KEY}"},
          "raw": f"api_key: {_KEY}\nmodel: gpt-4o-mini".encode(), "pair": ("model", f"token={_KEY}"),
          "nested": [{"db": f"password: {_KEY}"}]}
    ip.user_ns.update(ns)
    answer = ask(ip, "Which model do the settings use?", f"--no-stream --with {','.join(ns)}")
    shown = str(answer) + answer.to_html() + json.dumps(ip.user_ns["docchat_history"][-1])
    assert "gpt-4o-mini" in shown and "Abc123Def456" not in shown, shown


def test_a_piece_of_only_a_tables_repeated_introduction_is_no_chunk() -> None:
    """A table's rows halved for the model's window repeat its introduction over the second half; a half halved again
    at its blank line was the introduction alone: a chunk repeating the one before, cited "lines 4-2" (its end above
    its start), and in a notebook "cell 2" with cell 1 as its last."""
    from jupyter_docchat.indexing.chunking import Chunker
    from jupyter_docchat.indexing.readers import read_sections

    def words(texts: list[str]) -> list[int]:
        return [len(text.split()) for text in texts]

    text = "alpha beta gamma delta\n\n| a | b |\n| a | b |\nalpha beta gamma delta\n"
    chunks = Chunker(200, 50, words, 8).chunk("a.md", "h", read_sections(Path("a.md"), text.encode()))
    assert [(c.start_line, c.end_line) for c in chunks] == [(1, 3), (4, 5)], chunks


_DOC_LINES = st.sampled_from(["alpha beta gamma delta", "", "| a | b |", "|---|---|", "| 1 | 2 |", "Figures:", "x = 1",
                              "```", "# Title", "zeta " * 9])


@settings(deadline=None)  # the first example imports the readers: seconds on a loaded machine
@given(st.lists(st.lists(_DOC_LINES, max_size=8).map("\n".join), min_size=1, max_size=5),
       st.sampled_from([6, 10, 20]), st.booleans())
def test_every_chunk_ends_at_or_below_its_start_whatever_the_window(cells: list[str], tokens: int, notebook: bool) -> None:
    """Any text of tables, introductions and code, as a Markdown file or a notebook's Markdown cells, cut for any
    model window: each chunk's last line is at or below its first, and its last cell at or after its first."""
    from jupyter_docchat.indexing.chunking import Chunker
    from jupyter_docchat.indexing.readers import read_sections

    def words(texts: list[str]) -> list[int]:
        return [len(text.split()) for text in texts]

    name, data = ("a.ipynb", _notebook(*(("markdown", cell) for cell in cells))) if notebook else ("a.md", "\n\n".join(cells))
    for chunk in Chunker(200, 50, words, tokens).chunk(name, "h", read_sections(Path(name), data.encode())):
        assert chunk.start_line <= chunk.end_line, chunk
        assert chunk.last_cell is None or chunk.cell is not None and chunk.cell <= chunk.last_cell, chunk


def test_a_markdown_cells_open_fence_does_not_take_the_cells_after_it(tmp_path: Path) -> None:
    """A Markdown cell ending inside its fenced block (Jupyter closes it with the cell) joined to the cells under its
    heading: the code cell's fence closed the block, its code read as prose, and its closing fence opened a block over
    the next Markdown cell, whose sentence the answer quoted as code."""
    from jupyter_docchat import DocIndex

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.ipynb").write_text(_notebook(("markdown", "# Census\nRun the loader like this:\n\n```bash\nzebra-load --all"),
                                            ("code", "census = load_census()\nprint(census.zebras)"),
                                            ("markdown", "The zebra count printed is forty two animals in the park.")))
    with DocIndex(store=tmp_path / "store") as index:
        index.update(docs)
        answer = str(index.ask("What is the zebra count printed?"))
    assert answer.startswith("The zebra count printed is forty two animals in the park. [1]"), answer
    assert "census = load_census()\nprint(census.zebras)" in _pre_texts(answer.split("*Extractive")[0])[0], answer


_MARKDOWN_LINES = st.lists(st.sampled_from(["text", "```", "```bash", "````", "~~~", "~~~~", "  ```", "- item", "  code",
                                            "", "# Title", "    indented"]), max_size=10).map("\n".join)


@settings(deadline=None)  # the first example imports the readers: seconds on a loaded machine
@given(_MARKDOWN_LINES)
def test_a_cell_with_its_fences_closed_leaves_nothing_open(text: str) -> None:
    """Any Markdown cell, its fences closed as Jupyter closes them (safe_text.fences_closed): a paragraph after it is
    a paragraph, as the cell joined to the next is read."""
    from markdown_it import MarkdownIt

    from jupyter_docchat.safe_text import fences_closed

    assert "<p>after</p>" in MarkdownIt("commonmark").render(fences_closed(text) + "\n\nafter"), fences_closed(text)


def test_a_rest_titles_tilde_underline_opens_no_code_block() -> None:
    """The answer's units read fences as CommonMark closes them (above); a reST page's titles underlined with tildes
    ("pytest.fail" over "~~~~~~~~~~~") then opened a block each that nothing closed, and the page's sentences below
    the first were quoted as code (sphinx's reference.rst.txt: its units found comparing this branch with main)."""
    from jupyter_docchat.qa.answer_units import split_units

    text = ("pytest.fail\n~~~~~~~~~~~\n\n**Tutorial**: the skipping page.\n\n.. autofunction:: pytest.fail(reason)\n\n"
            "pytest.skip\n~~~~~~~~~~~\n\nSkips the test with the reason given.")
    kinds = {unit.text: unit.kind for unit in split_units(text, "API Reference")}
    assert kinds.get("Skips the test with the reason given.") == "sentence", kinds
    assert not any("~~~" in text and kind == "code" for text, kind in kinds.items()), kinds


def test_a_chunk_cut_inside_a_code_block_quotes_its_prose_as_prose() -> None:
    """A chunk cut from a long README beginning inside a fenced block: its first fence (bare) ends that block, the
    next ("```go") opens one. A fence toggled at every line starting ``` read "To ensure this behaviour ...:" as code
    and the Go code below it as sentences ("package main"); read as CommonMark alone, the prose and the code were one
    block. An opening fence has an info string, a closing one never: the bare one ends the block begun above."""
    from jupyter_docchat.qa.answer_units import split_units

    chunk = ("\tlog.Info(\"started\")\n}\n```\n\nTo ensure this behaviour even if a TTY is attached, set your formatter as "
             "follows:\n\n```go\npackage main\n\nfunc main() {\n\tlog.SetFormatter(&log.TextFormatter{})\n}\n```")
    units = [(unit.kind, unit.text) for unit in split_units(chunk, "Formatters")]
    assert ("sentence", "To ensure this behaviour even if a TTY is attached, set your formatter as follows:") in units, units
    assert ("code", "package main\n\nfunc main() {\n\tlog.SetFormatter(&log.TextFormatter{})\n}") in units, units

"""Probe 31: failures found attacking what users meet (keys in a sentence, under a password's short name, on a command
line or as a cell's bare result; a one-page Texinfo manual; a labelled list of links; ...), as an outside user would.
Real parts: the IPython shell, the readers, the Chroma store, the CLI in a subprocess."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ask, run_stored, write_tree
from hypothesis import given, settings
from hypothesis import strategies as st

_KEY = "Zq7Xv2Lm9Pw4Rt8Yb3Nc6Hd1"


@pytest.mark.parametrize("code", [
    f"Your API key is {_KEY}",  # a sentence a cell printed
    f"print('Your API key is {_KEY}')",
    f"ApiKey {_KEY}", f"secret {_KEY}", f"ValueError: invalid token '{_KEY}'",
    f"AuthenticationError: Incorrect API key provided: {_KEY}. You can find your API key at https://example.com",
    f'pwd = "{_KEY}"', f'pw = "{_KEY}"', f'db_pw = "{_KEY}"', f"MYSQL_PWD={_KEY}", f'passphrase = "{_KEY}"',
    f"!mysql -u root -p{_KEY} mydb", f"!mysqldump -p{_KEY} shop > shop.sql", f"!sshpass -p {_KEY} ssh host",
    f"login('{_KEY}')", f"huggingface_hub.login(token='{_KEY}')", f"notebook_login('{_KEY}')",
])
def test_a_key_in_a_sentence_a_short_name_or_a_command_line_is_not_shown(code: str) -> None:
    """Probe 30's leftovers and their kin: a secret's name and its value in a sentence or an error's line, a
    password's short names (pw, pwd, MYSQL_PWD), a passphrase, mysql's -pPASSWORD and sshpass -p, a login call's key.
    %ask --notebook quoted them whole."""
    from jupyter_docchat.qa.cells import session_cells
    from jupyter_docchat.qa.key_guard import without_secrets

    for shown in (without_secrets(code), session_cells(["", code], {})[0].text):
        assert _KEY not in shown, shown
        assert "(not shown)" in shown


@pytest.mark.parametrize("code", [
    "pwd = os.getcwd()", "!pwd", "pw = getpass()", "The key is to keep the valve closed overnight.",
    "the token count is 4096", "secret sauce recipe", "mkdir -p /tmp/work2024abcdef", "ssh -p 2222 host",
    "docker run -p 8080:80 nginx", "pass_rate = 0.95", 'key = "sha256"', "Your API key is set.",
    "tokens = tokenizer('The quick brown fox')", "The token abc is short", "login(user)",
])
def test_ordinary_code_and_prose_near_those_names_keeps_its_text(code: str) -> None:
    """The rules above take only a value holding a key's run (twelve letters and digits with a digit): a path, a port,
    a word after "key" or "token", a function's name are shown as written."""
    from jupyter_docchat.qa.key_guard import secret_values

    assert secret_values(code) == set()


@settings(max_examples=150, deadline=None)
@given(name=st.sampled_from(["API key", "token", "secret", "password", "ApiKey", "access token", "pw", "pwd"]),
       link=st.sampled_from([" is ", " ", " '", ": ", " = ", "=", " was "]),
       head=st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=6, max_size=10),
       digits=st.integers(min_value=10**5, max_value=10**9),  # a key's run: 12 letters and digits or more
       tail=st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=2, max_size=10))
def test_a_name_and_a_keys_run_after_it_is_hidden(name: str, link: str, head: str, digits: int, tail: str) -> None:
    """Whatever name of a secret, whatever joins it to its value in a line, a value holding a key's run (twelve letters
    and digits or more, a digit among them) is hidden."""
    from jupyter_docchat.qa.key_guard import without_secrets

    if name in ("pw", "pwd") and link.strip() not in ("=", ":"):
        return  # a password's short name is taken only given a value (pwd is a shell command too)
    key = f"{head}{digits}{tail}"
    assert key not in without_secrets(f"Note: the {name}{link}{key} for the staging server\n"), key


@pytest.mark.parametrize("code", ["import os\nos.environ['HF_TOKEN']", "os.getenv('ANTHROPIC_API_KEY')",
                                  "from google.colab import userdata\nuserdata.get('HF_TOKEN')", "token",
                                  "print(os.environ['WANDB_API_KEY'])"])
def test_a_cell_reading_a_secret_by_its_name_shows_no_result(code: str) -> None:
    """A cell whose last line reads a secret (os.environ["HF_TOKEN"], a Colab secret, a variable named token) has
    the key as its bare result: no name stands beside it in the result, and --notebook quoted it whole."""
    from jupyter_docchat.qa.cells import session_cells

    for outputs, printed in (({1: _KEY}, None), ({}, {code.strip(): f"{_KEY}\n"})):
        cell = session_cells(["", code], outputs, printed=printed)[0]
        assert _KEY not in cell.text and "(not shown)" in cell.text, cell.text


def test_a_cell_about_tokens_keeps_its_result() -> None:
    """Only a value holding a key's run is hidden: a count and a list of words stay."""
    from jupyter_docchat.qa.cells import session_cells

    assert "# result:\n42" in session_cells(["", "len(tokens)"], {1: 42})[0].text
    assert "'quick'" in session_cells(["", "tokens[:3]"], {1: ["The", "quick", "brown"]})[0].text


def test_a_notebooks_environment_read_is_not_sent_with_notebook(ip, tmp_path) -> None:
    """In a real shell: a cell showing os.environ["HF_TOKEN"] and one printing a sentence with a key, then
    %ask --notebook and %docchat_history --save: the key is in no source, answer or export."""
    run_stored(ip, f"import os\nos.environ['HF_TOKEN'] = {_KEY!r}")
    run_stored(ip, "os.environ['HF_TOKEN']")
    assert ip.user_ns["_"] == _KEY  # the result IPython keeps is the key (cell numbers depend on earlier tests)
    run_stored(ip, f"print('Your API key is {_KEY}')")
    ask(ip, "Which token does the environment hold?", "--no-stream --notebook")
    ip.run_line_magic("docchat_history", f"--save {tmp_path / 'chat.md'}")
    turn = ip.user_ns["docchat_history"][-1]
    assert any(s["origin"] == "cell" for s in turn["sources"]), turn["sources"]
    assert _KEY not in json.dumps(ip.user_ns["docchat_history"]) + (tmp_path / "chat.md").read_text()


def _texinfo_node(title: str, body: str) -> str:
    return (f'<!DOCTYPE html><html><head><title>{title} (Pump Manual)</title>'
            '<meta name="Generator" content="makeinfo"></head><body>'
            f'<div class="header"><p>Next: <a href="b.html">B</a>, Previous: <a href="a.html">A</a>, '
            f'Up: <a href="index.html">Top</a></p></div><h2>{title}</h2>{body}</body></html>')


_INDEX_TABLE = ('<table class="index-cp" border="0"><tr><td></td><th>Index Entry</th><th>Section</th></tr>'
                + "".join(f'<tr><td></td><td><a href="n{n}.html#i">entry {n}:</a></td><td><a href="n{n}.html">Node {n}'
                          f'</a></td></tr>' for n in range(40)) + '</table>')


def test_a_texinfo_manual_in_one_page_is_read_and_an_index_node_still_skipped(tmp_path: Path) -> None:
    """makeinfo --no-split writes a manual as one page, its index at its end: the page held @printindex's table and was
    skipped whole as a "generated index page". An index node (its bar, its title, the table) still is."""
    from jupyter_docchat import DocIndex
    from jupyter_docchat.indexing.skips import INDEX_PAGE

    chapters = "".join(f"<h3>{n} Chapter {n}</h3><p>The pump's valve {n} is opened by turning the handle clockwise "
                       f"until the pressure gauge reads {n} bar, then the outlet is checked for leaks every week.</p>"
                       for n in range(1, 12))
    folder = write_tree(tmp_path / "docs", {"manual.html": _texinfo_node("Pump Manual", chapters + _INDEX_TABLE),
                                            "Concept-Index.html": _texinfo_node("Concept Index", _INDEX_TABLE)})
    with DocIndex(tmp_path / "store") as index:
        report = index.update(folder)
        assert ("Concept-Index.html", INDEX_PAGE) in report.skipped_files
        assert "manual.html" in index.catalog.files(index.collection), report.skipped_files
        assert "gauge reads 7 bar" in index.search("pressure gauge valve 7", k=1)[0].text


@pytest.mark.parametrize("label", ["Contents", "Index", "Next"])
def test_links_a_label_introduces_with_commas_are_the_pages_text(label: str) -> None:
    """"Contents: <a>Installing the pump</a>, <a>Replacing the valve</a>" is a list the page holds, not a bar: it was
    left out as Texinfo's "Next: ..., Previous: ..., Up: ..." is. A bar labels each of its links."""
    from jupyter_docchat.indexing.readers.html import html_sections

    page = (f"<html><body><h1>Pump guide</h1><p>{label}: <a href='a.html'>Installing the pump</a>, "
            "<a href='b.html'>Replacing the valve</a></p><p>Up: <a href='a.html'>Part A</a>, Next: "
            "<a href='b.html'>Part B</a></p></body></html>")
    text = " ".join(html_sections(page)[0].text.split())
    assert f"{label}: Installing the pump, Replacing the valve" in text
    assert "Part B" not in text


@pytest.mark.parametrize("check", ["redirect_page", "texinfo_index_page", "machine_length", "gunzip"])
def test_a_fault_in_a_content_check_skips_the_file_alone(tmp_path: Path, monkeypatch, check: str) -> None:
    """The checks of what a file holds (a redirect, a Texinfo index, machine-length lines) and the unpacking of a
    gzipped page ran outside the net of probe 30: a fault in one on one file ended the whole update."""
    import gzip

    from jupyter_docchat import DocIndex
    from jupyter_docchat.indexing import read_file, readers
    from jupyter_docchat.indexing.read_file import READER_FAILED

    owner = readers if check == "gunzip" else read_file
    real = getattr(owner, check)

    def failing(data, *args):
        if "fails on" in (data if isinstance(data, str) else data.decode("latin-1")) or check == "gunzip":
            raise RecursionError("a check's bug")
        return real(data, *args)

    monkeypatch.setattr(owner, check, failing)
    folder = write_tree(tmp_path / "docs", {"good.md": "# Tides\n\nThe spring tide at the harbour reached four metres.\n"})
    bad = {"redirect_page": "bad.html", "texinfo_index_page": "bad.html", "machine_length": "bad.txt",
           "gunzip": "bad.txt.gz"}[check]
    text = b"<html><body><h1>Bad</h1><p>A page the check fails on.</p></body></html>"
    (folder / bad).write_bytes(gzip.compress(text) if bad.endswith(".gz") else text)
    with DocIndex(tmp_path / "store") as index:
        report = index.update(folder)
        assert (bad, f"{READER_FAILED} (RecursionError)") in report.skipped_files, report.skipped_files
        assert set(index.catalog.files(index.collection)) == {"good.md"}


def test_print_of_a_report_shows_no_direction_override_of_a_file_name(tmp_path: Path) -> None:
    """print(index.update(folder)) is how README's script shows the summary: a file named "bad\\u202egpj.pdf" sent its
    override to the terminal, and the rest of the line read backwards ("not indexed: badfdp.jpg ..."). The report's
    skipped_files keeps the name as it is."""
    from jupyter_docchat import DocIndex

    folder = write_tree(tmp_path / "docs", {"notes.md": "# Notes\n\nThe lighthouse keeper retired in the spring.\n",
                                            "bad\u202egpj.pdf": "not a PDF at all", "\x1b[31mred.pdf": "nor this"})
    with DocIndex(tmp_path / "store") as index:
        report = index.update(folder)
    assert not any(ch in str(report) for ch in "\u202e\x1b"), str(report)
    assert "badgpj.pdf (unreadable PDF" in str(report)
    assert {name for name, _ in report.skipped_files} == {"bad\u202egpj.pdf", "\x1b[31mred.pdf"}


def _notebook(*cells: tuple[str, str]) -> bytes:
    import nbformat

    made = [nbformat.v4.new_markdown_cell(src) if kind == "markdown" else nbformat.v4.new_code_cell(src)
            for kind, src in cells]
    return nbformat.writes(nbformat.v4.new_notebook(cells=made)).encode()


def test_an_html_heading_in_a_markdown_cell_or_page_heads_what_follows(tmp_path: Path) -> None:
    """'<h1 align="center">Appendix</h1>' in a Markdown cell (as notebooks centre a title) or a .md page is a heading in
    Jupyter, GitHub and a browser: it was read as a paragraph, the text and code under it cited under the heading
    before ("Intro"). A heading inside a longer HTML block, or in code, is no heading."""
    from jupyter_docchat.indexing.readers import read_sections

    nb = tmp_path / "survey.ipynb"
    nb.write_bytes(_notebook(("markdown", "# Intro\n\nSome intro text about tides."),
                             ("markdown", "<h2>Results of the <b>survey</b></h2>\n\nThe survey found four wrecks."),
                             ("code", "print(4)"),
                             ("markdown", '<h1 align="center">Appendix &amp; notes</h1>'),
                             ("markdown", "Appendix text.\n\n```html\n<h2>Not a heading</h2>\n```")))
    headings = [(s.heading, s.text.split("\n")[0]) for s in read_sections(nb, nb.read_bytes())]
    assert headings == [("Intro", "# Intro"), ("Results of the survey", "<h2>Results of the <b>survey</b></h2>"),
                        ("Results of the survey", "```"), ("Appendix & notes", '<h1 align="center">Appendix &amp; notes</h1>'),
                        ("Appendix & notes", "Appendix text.")], headings
    page = tmp_path / "survey.md"
    page.write_text("# Survey\n\nIntro.\n\n<h2 id='r'>Results</h2>\n\nFour wrecks.\n\n<div>\n<h2>Boxed</h2>\n<p>Box.</p>\n"
                    "</div>\n\n    <h2>Indented code</h2>\n")
    assert [s.heading for s in read_sections(page, page.read_bytes())] == ["Survey", "Survey > Results"]


@settings(max_examples=100, deadline=None)
@given(level=st.integers(min_value=1, max_value=6), attributes=st.sampled_from(["", ' align="center"', " id='x'"]),
       title=st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Nd", "Zs")), min_size=1, max_size=30)
       .filter(str.strip))
def test_an_html_heading_line_is_read_as_an_atx_heading_of_its_level(level: int, attributes: str, title: str) -> None:
    """Whatever its level, attributes and title, '<hN ...>title</hN>' heads the text below it as '#' * N does."""
    from jupyter_docchat.indexing.readers.markdown import _read_markdown

    atx = _read_markdown(f"# Top\n\nA.\n\n{'#' * level} {title}\n\nBelow.\n")
    html = _read_markdown(f"# Top\n\nA.\n\n<h{level}{attributes}>{title}</h{level}>\n\nBelow.\n")
    assert [s.heading for s in html] == [s.heading for s in atx]


def test_a_backtick_line_in_a_pre_block_opens_no_fenced_block() -> None:
    """CommonMark reads a <pre> block to its </pre> as raw HTML: a "```" line in it is its text. Read as a fence, the
    prose below the </pre> was one paragraph of "code" with the block after it, and a real block below was read the
    wrong way round (probe 30's leftover)."""
    from jupyter_docchat.qa.answer_units import _paragraphs
    from jupyter_docchat.safe_text import Fences

    lines = ["Intro.", "", "<pre>", "```", "verbatim", "</pre>", "", "Prose after the block.", "", "```python",
             "code()", "", "more()", "```", "", "Closing prose."]
    paragraphs = _paragraphs(lines)
    assert ["Prose after the block."] in paragraphs, paragraphs
    assert ["```python", "code()", "", "more()", "```"] in paragraphs, paragraphs
    assert ["Closing prose."] in paragraphs, paragraphs
    fences = Fences()
    assert [fences.step(line) or fences.inside for line in ["<PRE class='x'>", "~~~", "</pre>", "```", "x", "```"]] \
        == [False, False, False, True, True, True]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["<pre>", "</pre>", "<pre>x</pre>", "<script>", "</script>", "```", "~~~", "```py",
                                 "text", "", "<style>", "</style>", "<div>", "</div>", "<!--", "-->", "<!-- x -->",
                                 "<span>", "<a href='x'>", "  <p>", "    <div>", "<b>bold</b> text"]), max_size=14))
def test_fenced_lines_are_where_markdown_it_puts_them_beside_raw_html(lines: list[str]) -> None:
    """Fences and markdown-it agree on which lines a fenced block holds, whatever raw HTML blocks stand around (a line
    of text ends the text: markdown-it's block left open leaves the blank lines at the end out)."""
    from markdown_it import MarkdownIt

    from jupyter_docchat.safe_text import Fences

    lines = [*lines, "end"]
    tokens = MarkdownIt("commonmark").parse("\n".join(lines))
    fenced = {n for tok in tokens if tok.type == "fence" and tok.level == 0 and tok.map for n in range(*tok.map)}
    fences = Fences(underlines=False)
    ours = {n for n, line in enumerate(lines) if fences.step(line) or fences.inside}
    assert ours == fenced


def test_a_saved_markdown_cell_stating_a_key_in_a_sentence_is_not_quoted(tmp_path: Path) -> None:
    """The saved notebook's Markdown cells go to --notebook as sources: "Your API key is ..." in one was quoted whole."""
    from jupyter_docchat.qa.cells import notebook_markdown_cells

    path = tmp_path / "work.ipynb"
    path.write_bytes(_notebook(("markdown", f"## Setup\n\nYour API key is {_KEY} (rotate it monthly)."),
                               ("markdown", "The key is to keep the valve closed overnight.")))
    cells = notebook_markdown_cells(path)
    assert _KEY not in " ".join(c.text for c in cells) and "(not shown)" in cells[0].text
    assert cells[1].text == "The key is to keep the valve closed overnight."


def test_a_cut_base64_blocks_snippet_shows_no_run_of_blank_lines(ip, tmp_path: Path) -> None:
    """A block of base64 lines is cut to its first 40 characters and its lines left empty (line numbers stay right):
    the source's snippet under %%ask showed dozens of blank lines between the cut and the text after it."""
    import base64
    import random

    blob = base64.encodebytes(random.Random(3).randbytes(3000)).decode()
    folder = write_tree(tmp_path / "docs", {"cert.md": "# Release certificate\n\nThe certificate below signs the harbour "
                                            f"release.\n\n{blob}\nAfter the block the harbour release notes go on.\n"})
    ip.run_line_magic("docchat_index", f"{folder} --quiet --wait")
    result = ask(ip, "Which certificate signs the harbour release?", "--no-stream")
    html = result._repr_mimebundle_()[0]["text/html"] if isinstance(result._repr_mimebundle_(), tuple) \
        else result._repr_mimebundle_()["text/html"]
    assert "characters left out)\n\nAfter the block" in html, html[-1500:]
    assert "\n\n\n" not in html.split("characters left out)", 1)[1][:40]

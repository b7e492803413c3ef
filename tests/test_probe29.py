"""Probe 29: failures found attacking the newest surfaces (a notebook cell's outputs, the answer quoting them, fences as
CommonMark reads them, keys in a cell's text) and probe 28's leftovers, as an outside user would. Real parts: the
readers, the chunker, the Chroma store, markdown-it."""

from __future__ import annotations

import base64
import html as html_module
import json
import random
from pathlib import Path

import pytest
from conftest import chunks_of, first_update
from hypothesis import given, settings
from hypothesis import strategies as st

from jupyter_docchat.types import Hit

_KEY_RUN = "Abc123Def456Ghi789Jkl012"


def _notebook(*cells: tuple[str, str, list]) -> str:
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": kind, "metadata": {}, "source": source,
         **({"outputs": outputs, "execution_count": 1} if kind == "code" else {})} for kind, source, outputs in cells]})


def _stream(text: str | list[str], name: str = "stdout") -> dict:
    return {"output_type": "stream", "name": name, "text": text}


@pytest.mark.parametrize("url", [
    f"https://gw.example.com/v1/sk-proj-{_KEY_RUN}/chat",
    f"https://hooks.slack.com/services/T0ABC1234/B0DEF5678/{_KEY_RUN}",
    f"https://api.telegram.org/bot123456789:{_KEY_RUN}xyz/sendMessage",
])
def test_a_key_in_a_urls_path_is_not_shown(url: str) -> None:
    """A gateway or a webhook that takes its key in the URL's path: a cell's base URL was quoted whole by %ask
    --notebook (and --with of the string), and the configured base URL's key was named whole in messages."""
    from jupyter_docchat.qa.cells import session_cells
    from jupyter_docchat.qa.key_guard import KeyGuard
    from jupyter_docchat.qa.variables import describe
    from jupyter_docchat.safe_text import hide_credentials
    from jupyter_docchat.settings import Settings

    cells = session_cells(["", f'client = OpenAI(base_url="{url}")'], {})
    assert _KEY_RUN not in cells[0].text and "(not shown)" in cells[0].text, cells
    assert _KEY_RUN not in describe("base", url)[1]
    assert _KEY_RUN not in hide_credentials(f"could not connect to {url}"), hide_credentials(url)
    guard = KeyGuard.of(Settings(base_url=url), environ={})
    assert guard.holds(f"a page naming {url}") and _KEY_RUN not in guard.masked(f"error at {url}")


@pytest.mark.parametrize("url", [
    "https://github.com/org/repo/blob/3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f/README.md",  # a commit
    "https://example.com/items/123e4567-e89b-12d3-a456-426614174000",  # a UUID
    "https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2/resolve/main/model.safetensors",
    "https://arxiv.org/abs/2310.06825v2", "https://example.com/ISO8601T2024Z/python3tutorial/page",
])
def test_a_urls_path_of_names_and_digests_is_shown(url: str) -> None:
    """The path rule takes no commit, digest, UUID or model name for a key."""
    from jupyter_docchat.qa.cells import session_cells
    from jupyter_docchat.safe_text import hide_credentials

    assert url in session_cells(["", f'url = "{url}"'], {})[0].text
    assert hide_credentials(url) == url


def test_a_name_about_a_secret_holds_none() -> None:
    """A name that says it holds something about a secret, not the secret (key_columns, token_count, max_tokens,
    key_path) or runs on into another word (tokenizer, keyword): its digit-bearing string was hidden from %ask
    --notebook as a key, --with refused the name, and a frame's "n_tokens" column's values were not shown."""
    import pandas as pd

    from jupyter_docchat.qa.key_guard import secret_values
    from jupyter_docchat.qa.variables import VariableError, describe, parse_names

    for code in ['key_columns = "col1,col2,col3"', 'token_count = "12345678"', 'max_tokens = "1024000000"',
                 'key_path = "/home/me/keys/id_ed25519"', 'token_pattern = "[a-z0-9]{3,}"', 'keyword = "word2vec-v1"']:
        assert secret_values(code) == set(), code
    for code in ['api_key = "abc123def456"', 'apiKey = "abc123def456"', 'tokens = ["abc123def456"]',
                 'OPENAI_API_KEY="abc123def456"', 'secret_key_id = "abc123def456"', 'password = "hunter22x"']:
        assert secret_values(code), code
    assert parse_names("tokenizer, keyword, key_columns, n_tokens") == ["tokenizer", "keyword", "key_columns", "n_tokens"]
    for name in ("api_key", "apiKey", "db_password", "HF_TOKEN", "tokens"):
        with pytest.raises(VariableError, match="looks like it holds a secret"):
            parse_names(name)
    frame = pd.DataFrame({"text": ["a b"], "n_tokens": [27183], "api_token": ["tk_Abcdefgh12345678"]})
    shown = describe("frame", frame)[1]
    assert "tk_Abcdefgh" not in shown and "27183" in shown and "api_token: str" in shown, shown
    settings_shown = describe("settings", {"key_columns": "a1,b2,c3", "api_key": "tk_Abcdefgh12345678"})[1]
    assert "'a1,b2,c3'" in settings_shown and "tk_Abcdefgh" not in settings_shown, settings_shown


def _base64_lines(size: int, seed: int = 0) -> str:
    return base64.encodebytes(random.Random(seed).randbytes(size)).decode()


def test_a_base64_block_is_one_short_line_and_a_base64_file_is_skipped(tmp_path: Path) -> None:
    """A 76-column base64 block (a PEM in a setup page, a MIME part): each line is a short run, and the block was read
    as pages of chunks of noise; a .txt of a blob alone was thousands. The block is cut short as a long run is, its
    lines kept (citations stay right); a file of it alone is skipped and named in the summary."""
    docs = tmp_path / "docs"
    docs.mkdir()
    pem = _base64_lines(3000)
    (docs / "tls.md").write_text("# TLS\n\nThe zebra server uses this certificate:\n\n```\n-----BEGIN CERTIFICATE-----\n"
                                 + pem + "-----END CERTIFICATE-----\n```\n\nRestart the zebra server afterwards.\n")
    (docs / "blob.txt").write_text(_base64_lines(60_000, 1))
    (docs / "key.txt").write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n" + _base64_lines(2000, 2)
                                  + "-----END OPENSSH PRIVATE KEY-----\n")
    (docs / "drawing.txt").write_text("Box:\n" + ("/" * 60 + "\n") * 8 + "That is the zebra pen.\n")
    report, _ = first_update(docs, tmp_path / "store")
    assert report.skipped == {"base64-encoded data": 2}, report.skipped
    assert "blob.txt (base64-encoded data)" in str(report) and "key.txt (base64-encoded data)" in str(report), str(report)
    tls = chunks_of("tls.md", (docs / "tls.md").read_text())
    assert len(tls) == 1 and "characters left out)" in tls[0].text and "Restart the zebra" in tls[0].text, tls
    assert (tls[0].start_line, tls[0].end_line) == (1, (docs / "tls.md").read_text().count("\n")), tls[0]
    assert all(len(line) < 120 for line in tls[0].text.splitlines()), tls[0].text
    drawing = chunks_of("drawing.txt", (docs / "drawing.txt").read_text())
    assert "/" * 60 in drawing[0].text  # a drawing of one character is no base64


def test_a_code_cell_without_code_keeps_its_output() -> None:
    """A cell whose code was cleared (a notebook saved for its results, a tool's cell of output alone) was left out
    whole: its output, the answer, was never indexed."""
    chunks = chunks_of("a.ipynb", _notebook(("markdown", "# Quagga\nThe quagga counter prints its result.", []),
                                            ("code", "", [_stream("quagga count is 17\n")])))
    assert len(chunks) == 1 and "quagga count is 17" in chunks[0].text, chunks
    assert chunks[0].cell == 1 and chunks[0].last_cell == 2, chunks


def test_a_cleared_cells_output_is_not_quoted_as_the_output_of_the_code_above(tmp_path: Path) -> None:
    """Its output right under the code cell before it: "Output:" over it, the answer quoted it as that code's output."""
    from jupyter_docchat import DocIndex

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.ipynb").write_text(_notebook(
        ("markdown", "# Quagga\nThe quagga loader reads the census file.", []),
        ("code", "load_quagga_census()", []), ("code", "", [_stream("quagga count is 17\n")])))
    with DocIndex(store=tmp_path / "store") as index:
        index.update(docs)
        answer = str(index.ask("What does load_quagga_census print?"))
    assert "Output of a cell without code:" in answer or "quagga count is 17" not in answer, answer
    assert "Output:\n" not in answer, answer


def test_a_warning_split_over_standard_errors_outputs_is_left_out() -> None:
    """Jupyter writes standard error in pieces: a warning's path line in one output and its source line in the next
    kept the source line ("  warnings.warn(x)"); nbformat 3's "stream" name (a notebook read as written) kept the
    whole warning, the machine's path with it."""
    from jupyter_docchat.indexing.readers.notebook_outputs import outputs_text

    split = [_stream("/home/me/.venv/lib/x.py:12: UserWarning: bad ", "stderr"),
             _stream("thing\n  warnings.warn(msg)\n", "stderr"), _stream("INFO best cost 3.4e-13\n", "stderr")]
    assert outputs_text(split) == "INFO best cost 3.4e-13"
    old = [{"output_type": "stream", "stream": "stderr", "text": "/home/me/x.py:3: DeprecationWarning: old\n  f()\n"},
           {"output_type": "stream", "stream": "stdout", "text": "done\n"}]
    assert outputs_text(old) == "done"


def test_a_long_output_line_says_how_much_is_left_out() -> None:
    """A cell printing one line of 200,000 characters: cut to the output's budget, then by the reader's long-run
    rule, it said "(317 characters left out)"."""
    from jupyter_docchat.indexing.readers import read_sections

    text = read_sections(Path("a.ipynb"), _notebook(("code", "print(blob)", [_stream("x" * 200_000 + "\n")])).encode())
    assert "(199,960 characters left out)" in text[0].text, text[0].text
    data = "[" + ",".join(str(n % 10) for n in range(5000)) + "]"  # a data cell of one line, no space
    text = read_sections(Path("a.ipynb"), _notebook(("code", data, [])).encode())
    assert f"({len(data) - 40:,} characters left out)" in text[0].text, text[0].text


@pytest.mark.parametrize("example", ["    ```python", "\t```", "  \t~~~", "    ```\n    code"])
def test_an_indented_fence_opens_no_block(example: str) -> None:
    """A Markdown page showing a fence as an indented code block ("    ```python"): CommonMark opens no block there
    (four columns in, a tab is four), but the answer's units did, and every sentence below was quoted as code."""
    from jupyter_docchat.qa.extractive import units_of

    text = f"# Zebra\n\nWrite:\n\n{example}\n\nThen the zebra census starts at nine.\n\nThe count is kept daily."
    units = units_of(Hit(id="c", text=text, source="a.md", heading="Zebra", origin="document"))
    assert [u.text for u in units if u.kind == "sentence"][-2:] == ["Then the zebra census starts at nine.",
                                                                    "The count is kept daily."], units


def test_an_indented_fence_in_a_block_does_not_close_it() -> None:
    """A fenced example of an indented fence ("    ```" inside a ``` block) closed the block there: the example's
    last lines were quoted as prose."""
    from jupyter_docchat.safe_text import Fences, fences_closed

    lines = ["```markdown", "    ```", "    zebra --count", "    ```", "```", "After."]
    fences = Fences(underlines=False)
    assert [(fences.step(line), fences.inside) for line in lines] == [
        (True, True), (False, True), (False, True), (False, True), (True, False), (False, False)]
    assert fences_closed("Text\n\n    ```python\n\nmore") == "Text\n\n    ```python\n\nmore"


_FENCE_LINES = st.sampled_from(["```", "````", "~~~", "~~~~", "```py", "``` a`b", "~~~ a`b", "    ```", "   ```", "\t```",
                                " \t~~~", "text", "", "  ````  ", "```  ", "~~~~~~", "    text", "```` x ````"])


@settings(deadline=None, max_examples=300)
@given(st.lists(_FENCE_LINES, min_size=1, max_size=8))
def test_fences_find_the_blocks_commonmark_finds(lines: list[str]) -> None:
    """Any run of fence lines (either character, any length, info strings with backticks, indents of spaces and tabs,
    text between): the lines Fences puts in a block are those markdown-it puts in a fenced block."""
    from markdown_it import MarkdownIt

    from jupyter_docchat.safe_text import Fences

    while lines and not lines[-1].strip():
        lines = lines[:-1]
    if not lines:
        return
    inside: set[int] = set()
    for token in MarkdownIt("commonmark").parse("\n".join(lines)):
        if token.type == "fence" and token.map:
            inside |= set(range(token.map[0], min(token.map[1], len(lines))))
    fences, found = Fences(underlines=False), set()
    for n, line in enumerate(lines):
        was = fences.inside
        if fences.step(line) or was or fences.inside:
            found.add(n)
    assert found == inside, (lines, found, inside)


_OUTPUT_TEXT = st.lists(st.sampled_from(["zebra 42", "```", "````", "~~~", "    ```", "\x1b[31m", "\x1b[0m", "\r", "\r\n",
                                         "\n", "50%", "<b>x</b>", "[1]", "\t", "\x00", "\ud800", "é"]),
                        max_size=12).map("".join)
_OUTPUT = st.one_of(
    st.builds(_stream, st.one_of(_OUTPUT_TEXT, st.lists(_OUTPUT_TEXT, max_size=3)), st.sampled_from(["stdout", "stderr"])),
    st.builds(lambda t: {"output_type": "execute_result", "data": {"text/plain": t}, "metadata": {}, "execution_count": 1},
              _OUTPUT_TEXT),
    st.builds(lambda t: {"output_type": "error", "ename": "ValueError", "evalue": t, "traceback": []}, _OUTPUT_TEXT),
    st.just({"output_type": "display_data", "data": {"image/png": "iVBOR"}, "metadata": {}}),
)


@settings(deadline=None, max_examples=60)  # the first example imports the readers: seconds on a loaded machine
@given(st.sampled_from(["zebra_census()", "", "x = '```'\nprint(x)", "s = '````'"]), st.lists(_OUTPUT, max_size=5))
def test_a_cells_outputs_stay_in_their_block(code: str, outputs: list[dict]) -> None:
    """Any code cell and outputs (streams as strings or lists, fences of either kind, ANSI codes cut anywhere, "\\r"
    and "\\r\\n", NUL, lone surrogates, markup): its chunk renders as its code's block (when it has code) and at most
    one output block after "Output:", nothing of the output outside it, no escape code or NUL left, and it is cited
    by the cell."""
    from markdown_it import MarkdownIt

    from jupyter_docchat.indexing.readers.notebook_outputs import outputs_text

    chunks = chunks_of("a.ipynb", _notebook(("markdown", "# Census", []), ("code", code, outputs)), size=4000)
    printed = outputs_text(outputs)
    text = "\n\n".join(chunk.text for chunk in chunks)
    assert all(chunk.cell in (1, 2) and (chunk.last_cell or chunk.cell) <= 2 for chunk in chunks), chunks
    assert "\x1b" not in text and "\x00" not in text and "\ud800" not in text, text
    tokens = MarkdownIt("commonmark").parse(text)
    blocks = [html_module.unescape(t.content).rstrip("\n") for t in tokens if t.type == "fence"]
    paragraphs = [t.content for t in tokens if t.type == "inline"]
    assert blocks == [b for b in (code.rstrip(), printed) if b.strip()], (text, blocks)
    label = "Output:" if code.strip() else "Output of a cell without code:"
    assert paragraphs == ["Census"] + ([label] if printed else []), (text, paragraphs)


_VALUE = "Zx9Qw8Er7Ty6Ui5Op4As3Df2"


@pytest.mark.parametrize("form", [
    'client = OpenAI("sk-{v}")', 'sk = "sk-proj-{v}"', 'gh = "ghp_{v}"', 'hf = "hf_{v}"', 'slack = "xoxb-{v}"',
    'requests.get(url, auth=("user", "{v}"))', 'auth = HTTPBasicAuth("me", "{v}")',
    'keyring.set_password("svc", "me", "{v}")', 'secrets = {{"openai": "{v}", "hub": "{v}x"}}',
    'request = """GET /v1 HTTP/1.1\nX-API-Key: {v}\n"""',
])
def test_a_key_in_another_new_form_is_not_shown(form: str) -> None:
    """Forms probe 28's patterns missed, each quoted whole by %ask --notebook: a service's key by its prefix with no
    name (OpenAI("sk-..."), a GitHub or Hugging Face token in a short name), an authentication pair's password, the
    values of a dict given to a secret's name, an HTTP header's hyphenated name."""
    from jupyter_docchat.qa.cells import session_cells

    cell = session_cells(["", form.format(v=_VALUE)], {})[0].text
    assert _VALUE not in cell and "(not shown)" in cell, cell


@pytest.mark.parametrize("code", ['import sklearn  # see sk-learn-tutorial-for-beginners',
                                  "from huggingface_hub import hf_hub_download", 'task = "task-2024-01-01-final"',
                                  'session = requests.Session(); session.auth = auth_from_env()'])
def test_a_name_like_a_keys_prefix_is_shown(code: str) -> None:
    """The prefix rule wants a key's run (twelve letters and digits, a digit among them) after the prefix."""
    from jupyter_docchat.qa.cells import session_cells

    assert session_cells(["", code], {})[0].text.endswith(code)


def test_an_html_pages_pre_showing_a_fence_is_quoted_as_written(tmp_path: Path) -> None:
    """An HTML page whose <pre> shows a fence's first line ("```", a page about Markdown): its reader writes no fence,
    but the answer's units took the line for one, and quoted every sentence below the block as code, the "```" line
    dropped from it."""
    from jupyter_docchat.qa.extractive import units_of

    page = ("<html><body><h1>Zebra setup</h1><p>Write the fence like this:</p><pre>```\nzebra --run\n</pre>"
            "<p>Then the zebra census starts at nine.</p><p>The count is kept daily.</p></body></html>")
    for name in ("a.html", "b.htm", "c.html.gz"):
        chunk = chunks_of("a.html", page)[0]
        units = units_of(Hit(id="c", text=chunk.text, source=name, heading=chunk.heading, origin="document"))
        assert [(u.kind, u.text) for u in units] == [
            ("sentence", "Write the fence like this:"), ("code", "```\nzebra --run"),
            ("sentence", "Then the zebra census starts at nine."), ("sentence", "The count is kept daily.")], units
    markdown = "# Zebra\n\nRun:\n\n```\nzebra --run\n\nThen the zebra census.\n```\n"  # a Markdown page's fence is one
    units = units_of(Hit(id="c", text=markdown, source="a.md", heading="Zebra", origin="document"))
    assert [u.kind for u in units] == ["sentence", "code"], units


def test_one_line_left_out_is_one_line() -> None:
    """Three long lines of output over the budget: "… (1 lines left out)"."""
    from jupyter_docchat.indexing.readers.notebook_outputs import kept_lines

    assert "\n… (1 line left out)\n" in kept_lines("\n".join(("word " * 100).strip() for _ in range(3)))


def test_many_outputs_read_in_linear_time() -> None:
    """Standard output and error alternating (a progress bar on one, a log on the other), 200,000 outputs: the
    outputs' text was added to as one string, 50 CPU-seconds once standard error's runs were read together."""
    from conftest import grows_linearly

    from jupyter_docchat.indexing.readers.notebook_outputs import outputs_text

    def outputs(n: int) -> list[dict]:
        return [_stream(f"{i}%|###|\r", "stderr" if i % 2 else "stdout") for i in range(n)]

    grows_linearly(outputs_text, outputs, (25_000, 100_000))  # type: ignore[arg-type]
    assert outputs_text(outputs(1001)) == "1000%|###|"


@pytest.mark.parametrize("make", [
    lambda n: "see https://example.org and " + "a." * n,  # a URL's scheme was tried from every "."
    lambda n: 'x = "' + "a" * n + '"\nauth = HTTPBasicAuth("me", "pw123456789")',  # an Auth( from every letter
])
def test_keys_are_looked_for_in_linear_time(make) -> None:
    """A cell or a message holding a long run of letters or dotted words: the patterns that find a URL's password
    and an authentication's were tried from each of its characters (80 kB: 3.5 CPU-s each)."""
    from conftest import grows_linearly

    from jupyter_docchat.qa.key_guard import secret_values
    from jupyter_docchat.safe_text import hide_credentials

    grows_linearly(lambda text: (secret_values(text), hide_credentials(text)), make, (10_000, 40_000))

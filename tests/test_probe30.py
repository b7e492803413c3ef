"""Probe 30: failures found attacking what users meet (keys a cell printed or gave in other forms, a saved notebook's
output of a shell command's cell, names about keys, ...), as an outside user would. Real parts: the IPython shell, the
readers, the Chroma store, markdown-it."""

from __future__ import annotations

import json

import pytest
from conftest import ask, chunks_of, run_stored
from hypothesis import given, settings
from hypothesis import strategies as st

_KEY = "Zq7Xv2Lm9Pw4Rt8Yb3Nc6Hd1"


@pytest.mark.parametrize("code", [
    f"token={_KEY} retries=3",  # a line a cell printed
    f"[db]\nhost = db.local\npassword = {_KEY}\n",  # an INI file a cell showed ("!cat config.ini")
    f'conn = psycopg.connect("dbname=x user=me password={_KEY}")',  # a connection string
    f'key = getpass() or "{_KEY}"',
    f'api_key = os.getenv("X", "{_KEY}")',
    f'key = bytes.fromhex("{_KEY.encode().hex()}")',
    f'client = OpenAI(api_key = \\\n  "{_KEY}")',
    f"!curl -u admin:{_KEY} https://example.com/api",
    f'jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.{_KEY}"',
    f"npm_{_KEY}abcdefghijkl", f"pypi-AgEIcHlwaS5vcmc{_KEY}", f"SG.{_KEY}.{_KEY}",
    f"-----BEGIN OPENSSH PRIVATE KEY-----\n{_KEY}AAAAABG5vbmUAAAAEbm9uZQ\nb3BlbnNzaC1rZXktdjEAAAAA{_KEY}\n"
    "-----END OPENSSH PRIVATE KEY-----",
])
def test_a_key_in_other_forms_is_not_shown(code: str) -> None:
    """Keys that no pattern took: a name given a bare value (what a cell printed, an INI file, a connection string), a
    string given through a call or a fallback, a line continued by a backslash, curl's user option, a JSON web token,
    npm's, PyPI's and SendGrid's keys, a private key's PEM block. %ask --notebook quoted them whole."""
    from jupyter_docchat.qa.cells import session_cells
    from jupyter_docchat.qa.key_guard import without_secrets

    for shown in (without_secrets(code), session_cells(["", code], {})[0].text):
        assert _KEY not in shown and _KEY.encode().hex() not in shown, shown
        assert "(not shown)" in shown


@pytest.mark.parametrize("code", [
    "df.sort_values(key=lambda s: s.str.lower())", "key=itemgetter(1)", 'api_key = os.environ["OPENAI_API_KEY"]',
    'print(f"tokens={n_tokens} time={elapsed:.2f}s")', 'sort_key = "timestamp_2024_10"',
    'primary_key = "customer_id_2024"', 'partition_key = "region20241001abc"', 'monkey = "banana2024bunch"',
    'hockey_team = "Canucks1970Vancouver"', 'cache_key = f"{user}:{day}"',
    'tokens = tokenizer("The quick brown fox 2024 jumps")',
])
def test_code_about_keys_keeps_its_strings(code: str) -> None:
    """A key that sorts or finds rows, and a word ending in "key" (monkey, hockey), names no secret: their strings
    were hidden as keys, and --with refused such a name (probe 29 left monkey and hockey)."""
    from jupyter_docchat.qa.key_guard import secret_values, secret_word

    assert secret_values(code) == set()
    for name in ("monkey", "hockey", "whiskey", "sort_key", "primary_key", "partition_key", "cache_key"):
        assert secret_word(name) is None, name
    for name in ("api_key", "apiKey", "apikey", "KEY", "secretKey", "ssh_key", "sshkey", "mykey", "hfKey", "keys"):
        assert secret_word(name), name


_ALNUM = st.text("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", min_size=6, max_size=6)


@settings(max_examples=200, deadline=None)
@given(_ALNUM, _ALNUM, st.integers(100000, 999999), st.sampled_from(["token", "password", "api_key", "SECRET", "apiKey"]),
       st.sampled_from(["=", " = ", ": ", "="]), st.sampled_from(["", "export ", "  ", "[x] "]))
def test_a_printed_pair_of_a_secrets_name_hides_its_key(a: str, b: str, n: int, name: str, sep: str, before: str) -> None:
    """Any line giving a secret's name a bare key (letters and digits, twelve at least, a digit among them) hides it."""
    from jupyter_docchat.qa.key_guard import without_secrets

    key = f"{a}{n}{b}"
    assert key not in without_secrets(f"{before}{name}{sep}{key}\nnext line")


def test_a_saved_notebooks_output_of_a_shell_commands_cell_is_found_and_its_key_hidden(ip, tmp_path) -> None:
    """In holds "!cat config.ini" as IPython runs it, "get_ipython().system('cat config.ini')": the saved notebook's
    output of such a cell (or of a magic's) was never found. Its INI's password, a bare value, and a printed
    "token=..." were quoted whole in the answer and the saved Markdown."""
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("!cat config.ini", outputs=[nbformat.v4.new_output(
            "stream", name="stdout", text=f"[db]\nhost = db.local\nport = 5433\npassword = {_KEY}\n")]),
        nbformat.v4.new_code_cell("print(settings)", outputs=[nbformat.v4.new_output(
            "stream", name="stdout", text=f"token={_KEY} retries=3\n")])])
    path = tmp_path / "work.ipynb"
    nbformat.write(nb, str(path))
    ip.user_ns["__session__"] = str(path)
    run_stored(ip, "!cat config.ini")
    run_stored(ip, "print(settings)")
    ask(ip, "Which port does the database host use?", "--no-stream --notebook")
    turn = ip.user_ns["docchat_history"][-1]
    cells = [s["text"] for s in turn["sources"] if s["origin"] == "cell"]
    assert any("port = 5433" in text and "password = (not shown)" in text for text in cells), cells
    assert "5433" in turn["answer"], turn["answer"]
    ask(ip, "What token does settings hold?", "--no-stream --notebook")
    ip.run_line_magic("docchat_history", f"--save {tmp_path / 'chat.md'}")
    assert _KEY not in json.dumps(ip.user_ns["docchat_history"]) + (tmp_path / "chat.md").read_text()


def test_with_a_variable_whose_repr_or_items_name_a_key_does_not_send_it(ip) -> None:
    """--with of a dataclass, a SimpleNamespace (their repr names the field), a named tuple (its fields were shown as
    bare items), a pair ("password", key) and an array of "api_key=..." strings sent the key whole."""
    run_stored(ip, "import dataclasses, collections, types\nimport numpy as np\n"
             "@dataclasses.dataclass\nclass Cfg:\n    name: str = 'prod'\n    api_key: str = " + repr(_KEY) + "\n"
             f"cfg = Cfg()\nnt = collections.namedtuple('NT', 'user password')('me', {_KEY!r})\n"
             f"ns = types.SimpleNamespace(secret={_KEY!r}, port=5432)\npair = ('password', {_KEY!r})\n"
             f"arr = np.array(['api_key={_KEY}'])\nfields = ['user_id', 'password', 'email_address']")
    for name in ("cfg", "nt", "ns", "pair", "arr"):
        ask(ip, f"What is in {name}?", f"--no-stream --with {name}")
        turn = ip.user_ns["docchat_history"][-1]
        assert _KEY not in json.dumps(turn), (name, turn["sources"])
        assert any("(not shown" in s["text"] for s in turn["sources"]), (name, turn["sources"])
    ask(ip, "What is in fields?", "--no-stream --with fields")
    text = ip.user_ns["docchat_history"][-1]["sources"][0]["text"]
    assert "'email_address'" in text and "prod" not in text, text  # a list of names keeps each


def test_two_saved_cells_of_one_code_lend_neither_output_to_the_other(ip, tmp_path) -> None:
    """Two cells of one code ("print(loss)" after each of two fits) printed 0.5 and 0.1 in the saved notebook: both
    session cells of that code were quoted with the last one's "0.1", the first fit's loss misreported. A code printed
    the same way each time keeps its output."""
    import nbformat

    def code(source: str, out: str):
        return nbformat.v4.new_code_cell(source, outputs=[nbformat.v4.new_output("stream", name="stdout", text=out)])

    nb = nbformat.v4.new_notebook(cells=[code("loss = fit(1)", ""), code("print(loss)", "0.5\n"),
                                         code("loss = fit(2)", ""), code("print(loss)", "0.1\n"),
                                         code("print(n_rows)", "1200\n"), code("print(n_rows)", "1200\n")])
    path = tmp_path / "fits.ipynb"
    nbformat.write(nb, str(path))
    ip.user_ns["__session__"] = str(path)
    for source in ("fit = lambda n: 1 / (2 * n)", "n_rows = 1200", "loss = fit(1)", "print(loss)", "loss = fit(2)",
                   "print(loss)", "print(n_rows)"):
        run_stored(ip, source)
    cells = ip.magics_manager.registry["DocChat"]._notebook_cells()
    mine = [c.text for c in cells if c.text.startswith(("print(loss)", "print(n_rows)"))]  # the shell's earlier cells too
    assert [text.partition("# printed:\n")[2] for text in mine] == ["", "", "1200"], mine


_JUNK = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
                         st.sampled_from(["text", "data", "text/plain", "output_type", "name", "source"]), inner, max_size=3),
                     max_leaves=8)
_CELL = st.fixed_dictionaries(
    {"cell_type": st.sampled_from(["markdown", "code", "raw", None]), "metadata": st.just({}),
     "source": _JUNK | st.text(max_size=50) | st.lists(st.text(max_size=20))},
    optional={"outputs": _JUNK | st.lists(st.fixed_dictionaries(
        {"output_type": st.sampled_from(["stream", "execute_result", "display_data", "error"])},
        optional={"text": _JUNK, "data": _JUNK, "name": _JUNK, "ename": _JUNK, "evalue": _JUNK}), max_size=3)})


@settings(max_examples=300, deadline=None)
@given(st.lists(_CELL | _JUNK, max_size=5), st.booleans())
def test_a_notebook_of_any_json_is_read_or_said_unreadable(cells: list, versioned: bool) -> None:
    """A notebook that says its version and fails its schema (a cell's source null or an object) reached the reader
    as nbformat left it, and its .strip() raised: one such file stopped a folder's whole index."""
    from jupyter_docchat.indexing.readers.base import UnreadableFile

    notebook = {"cells": cells, "metadata": {}, **({"nbformat": 4, "nbformat_minor": 5} if versioned else {})}
    try:
        chunks_of("n.ipynb", json.dumps(notebook))
    except UnreadableFile:
        pass


def test_a_notebook_with_a_null_source_does_not_stop_the_folders_index(tmp_path) -> None:
    """Through the docchat command: "the store ... failed: 'NoneType' object has no attribute 'strip'", nothing
    indexed. Now the notebook's good cells are read, and so is the rest of the folder."""
    import subprocess
    import sys

    docs = tmp_path / "docs"
    docs.mkdir()
    cell = {"cell_type": "code", "metadata": {}, "source": None, "outputs": [], "execution_count": None}
    (docs / "a.ipynb").write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": "# Rutabaga\n\nThe rutabaga protocol signs each packet."},
        cell, {"cell_type": "markdown", "metadata": {}, "source": None}]}))
    (docs / "b.md").write_text("# Turnip\n\nThe turnip protocol retries thrice.\n")
    docchat = [sys.executable, "-m", "jupyter_docchat.cli", "--store", str(tmp_path / "store")]
    done = subprocess.run([*docchat, "index", str(docs)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0 and "2 added" in done.stdout, done.stdout + done.stderr
    found = subprocess.run([*docchat, "search", "rutabaga protocol"], capture_output=True, text=True, timeout=600)
    assert "[1] a.ipynb" in found.stdout and "None" not in found.stdout, found.stdout


@pytest.mark.parametrize("raw", [
    f"%env OPENAI_API_KEY {_KEY}", f"!huggingface-cli login --token {_KEY}", f"!wandb login {_KEY}",
    f"!mysql --password={_KEY} db", f'!tool --api-key "{_KEY}"', f"%env MY_TOKEN={_KEY}",
    f"%%writefile .env\napi_key={_KEY}\n",
])
def test_a_key_given_to_a_magic_or_a_command_is_not_shown(shell, raw: str) -> None:
    """In holds a magic's or a shell command's cell as IPython runs it ("get_ipython().run_line_magic('env', ...)"):
    %env's "NAME VALUE" form, an option named for a secret and a login command's argument were quoted whole."""
    from jupyter_docchat.qa.cells import session_cells

    text = session_cells(["", shell.transform_cell(raw)], {})[0].text
    assert _KEY not in text and "(not shown)" in text, text


@pytest.mark.parametrize("raw", ["!docker login --password-stdin registry.example.com", "!tool --token-file /etc/tok2.txt",
                                 'parser.add_argument("--api-key", default=None)', "!git log --oneline",
                                 "!python train.py --max-tokens 1024000 --key-column user2"])
def test_a_command_about_keys_keeps_its_words(shell, raw: str) -> None:
    from jupyter_docchat.qa.key_guard import secret_values

    assert secret_values(shell.transform_cell(raw)) == set()


@pytest.mark.parametrize("unit", ["key-", "a_key_", "--key-", "key: ", "password: ", "export key"])
def test_looking_for_keys_grows_linearly_with_a_cells_length(unit: str) -> None:
    """A secret's name between two unbounded runs of name characters tried every split of a long run: 48 KB of
    "a_key_" took 47 CPU-s (the pair's pattern, new in this probe, the cube; the literal's, the dict's and YAML's, the
    square), and %ask --notebook looks at every cell of the session."""
    from conftest import grows_linearly

    from jupyter_docchat.qa.key_guard import secret_values

    grows_linearly(secret_values, lambda n: unit * n, (2000, 8000))

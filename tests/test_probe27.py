"""Probe 27: failures found attacking the newest surfaces as an outside user would. Real parts: the IPython shell,
the Chroma store, the readers, the docchat command."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jupyter_docchat import DocIndex
from jupyter_docchat.errors import NoIndexError


def test_an_emptied_collection_is_not_said_to_be_indexed_while_another_collection_is(tmp_path: Path) -> None:
    """The store's write lock names no collection: while a run indexed collection 'other', a search of the emptied
    collection 'docs' said "collection 'docs' is being indexed now ... try again when that run finishes", and no run
    would ever fill it. The run holding the lock writes which collection it indexes beside it."""
    from filelock import FileLock

    from jupyter_docchat.index import LOCK_FILE, LOCK_OWNER

    folder, store = tmp_path / "docs", tmp_path / "store"
    folder.mkdir()
    (folder / "a.txt").write_text("The warehouse opens at nine in the morning on weekdays.\n")
    with DocIndex(store=store) as index:
        index.update(folder)
        (folder / "a.txt").unlink()
        (folder / "b.txt").write_text("\u200b\u200b\n")  # a file that shows nothing: the folder gives no chunk
        index.update(folder)
    assert not (store / LOCK_OWNER).exists()  # the note goes with the lock
    lock = FileLock(str(store / LOCK_FILE), thread_local=False)
    with lock:
        DocIndex(store=store, collection="other")._name_lock_owner(lock.lock_file)  # as an update of 'other' does
        with DocIndex(store=store) as index:
            with pytest.raises(NoIndexError) as caught:
                index.search("warehouse")
        assert "being indexed now" not in str(caught.value) and "is empty" in str(caught.value), caught.value
        assert json.loads((store / LOCK_OWNER).read_text())["collection"] == "other"
        with DocIndex(store=store) as index:
            index._name_lock_owner(lock.lock_file)  # a run indexing 'docs' itself: it is being indexed
            with pytest.raises(NoIndexError, match="being indexed now"):
                index.search("warehouse")
            index._release(lock)
    assert not (store / LOCK_OWNER).exists()


_KEY = "sk-proj-Abc123Def456Ghi789Jkl012Mno345Pqr678"


def test_a_key_given_in_a_cell_is_not_quoted_by_ask_notebook(ip) -> None:
    """A key set in a cell for another client (or before docchat's own was configured) is no configured secret:
    %%ask --notebook quoted "client = OpenAI(api_key='sk-proj-...')" whole, and with a model configured it would have
    sent it. A string given to a name that says it holds a secret is not shown, in the cell nor in another's result,
    as --with does not show a dict's item so named."""
    from conftest import ask

    for code in ("class OpenAI:\n    def __init__(self, api_key=None):\n        self.api_key = api_key",
                 f"client = OpenAI(api_key='{_KEY}')",
                 "client.api_key",
                 "env = {}\nenv['ANTHROPIC_API_KEY'] = 'sk-ant-api03-Zyx987Wvu654Tsr321Qpo098'"):
        result = ip.run_cell(code, store_history=True)  # as the notebook runs it: recorded in In and Out
        assert result.error_in_exec is None and result.error_before_exec is None, result
    answer = ask(ip, "Which api_key does the OpenAI client use?", "--no-stream --notebook")
    shown = str(answer) + answer.to_html()
    assert "this notebook" in shown and "(not shown)" in shown, shown
    assert "Abc123Def456" not in shown and "Zyx987Wvu654" not in shown, shown


_SECRETS = st.text(alphabet=st.sampled_from(list("abcXYZ0123456789-_")), min_size=8, max_size=40).filter(
    lambda s: any(ch.isdigit() for ch in s))
_FORMS = st.sampled_from(["api_key = {q}{v}{q}", "OpenAI(api_key={q}{v}{q}, timeout=3)",
                          "os.environ[{q}ANTHROPIC_API_KEY{q}] = {q}{v}{q}", "{{{q}password{q}: {q}{v}{q}}}",
                          "os.environ.setdefault({q}HF_TOKEN{q}, {q}{v}{q})", "token: str = {q}{v}{q}",
                          "%env GITHUB_TOKEN={v}", "!export AWS_SECRET_ACCESS_KEY={v}", "secret = b{q}{v}{q}",
                          "API_KEYS = [{q}{v}{q}]", "headers = {{{q}Authorization{q}: {q}Bearer {v}{q}}}",
                          "OPENAI_API_KEY={v}", "apiKey = {q}{v}{q}"])


@given(_FORMS, st.sampled_from(["'", '"', "'''", '"""']), _SECRETS, st.text(max_size=20))
def test_a_string_given_to_a_secrets_name_never_shows_in_the_cells(form: str, quote: str, secret: str, before: str) -> None:
    """Any of the ways a cell gives a secret to a name, with any text before it: neither that cell nor another's
    result (the value shown again) holds it."""
    from jupyter_docchat.qa.cells import session_cells

    code = f"{before}\n" + form.format(q=quote, v=secret)
    cells = session_cells(["", code, "client.api_key"], {2: secret})
    assert all(secret not in cell.text for cell in cells), cells


def _pre_texts(markdown: str) -> list[str]:
    """The text of each code block of ``markdown`` as CommonMark renders it."""
    import html as html_module

    from markdown_it import MarkdownIt

    page = MarkdownIt("commonmark").render(markdown)
    return [html_module.unescape(m) for m in re.findall(r"<pre><code>(.*?)</code></pre>", page, re.S)]


def test_a_saved_answer_quoting_a_table_keeps_its_rows(ip, tmp_path: Path) -> None:
    """%%ask --with df quoted the frame's first rows in a code block; %docchat_history --save chat.md escaped the
    fence ("\\`\\`\\`") and the rows ran together into one line of the rendered export, the columns' spaces gone."""
    import pandas as pd

    from conftest import ask

    ip.user_ns["rates"] = pd.DataFrame({"bank": ["SVB", "<b>Signature</b>", "First ```Republic"], "rate": [1.5, 2.25, 3.0]})
    ask(ip, "What is the rate of Signature?", "--no-stream --with rates")
    path = tmp_path / "chat.md"
    ip.run_line_magic("docchat_history", f"--save {path}")
    blocks = _pre_texts(path.read_text())
    assert blocks and "<b>Signature</b>" in blocks[0] and "First ```Republic" in blocks[0], blocks
    assert len(blocks[0].splitlines()) >= 4, blocks  # the header and three rows, each a line
    turn = ip.user_ns["docchat_history"][-1]
    assert blocks[0].rstrip("\n") == re.search(r"```\n(.*?)\n```", turn["answer"], re.S)[1]


_CODE = st.lists(st.sampled_from(["`", "```", "````", "~~~", "\n", "    ", "\t", "<script>", "</pre>", "[1]", "# h",
                                  "- x", "\x1b[31m", "\u202e", "\r", "a", "  b  "]), max_size=20).map("".join)


@given(_CODE, st.sampled_from(["```", "````", "~~~"]))
def test_a_saved_answers_code_block_shows_its_lines_as_they_are(code: str, fence: str) -> None:
    """Any code block in an answer (backticks, fences, markup, escape sequences in it): the export renders it as one
    code block of its lines, escape sequences and direction controls taken out, and nothing else live."""
    from jupyter_docchat.safe_text import code_blocks, for_terminal
    from jupyter_docchat.views.history import answer_markdown

    answer = f"The rows:\n\n{fence}\n{code}\n{fence}\n\nThat is all [1]."
    found = code_blocks(answer)
    markdown = answer_markdown(answer)
    expected = ["\n".join(for_terminal(line).replace("\t", "    ") for line in block.split("\n"))
                for _, _, block in found]
    assert [b.rstrip("\n") for b in _pre_texts(markdown)] == [e for e in expected if e.strip()], markdown


def test_the_chat_boxs_queued_note_has_no_direction_override(ip, tmp_path: Path) -> None:
    """A question sent while another is answered is named in the note under the box: "Queued: <question> (answering
    the previous question first)". A question pasted with a right-to-left override reversed the rest of the note."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("The zebra count is forty two animals in the park.\n")
    ip.run_line_magic("docchat_index", f"{docs} --quiet")
    box = ip.run_line_magic("docchat_chat", "")
    try:
        with box.paused():  # the first question waits to be answered: the second is queued behind it
            box.submit("What is the zebra count?")
            box.submit("And the giraffe\u202e count?")
            note = box.note.value
        box.wait()
    finally:
        box.close()
    assert "Queued: And the giraffe count?" in note and "\u202e" not in note, note


def test_a_series_of_settings_shows_no_secret_rows_value(ip) -> None:
    """--with config hides a dict's "api_key" item; the same settings as a pandas Series (pd.Series(config)), or a
    frame read from them with orient="index", showed the key whole in their first rows, and a MultiIndex column
    ("creds", "api_key") its values."""
    import pandas as pd

    from conftest import ask

    config = {"api_key": _KEY, "model": "gpt-4o-mini", "retries": 3}
    ip.user_ns["config_series"] = pd.Series(config)
    ip.user_ns["config_frame"] = pd.DataFrame.from_dict({k: [v] for k, v in config.items()}, orient="index")
    ip.user_ns["wide"] = pd.DataFrame([[1, _KEY]], columns=pd.MultiIndex.from_tuples([("a", "n"), ("creds", "api_key")]))
    answer = ask(ip, "Which model do the settings use?", "--no-stream --with config_series,config_frame,wide")
    shown = str(answer) + answer.to_html() + json.dumps(ip.user_ns["docchat_history"][-1])
    assert "gpt-4o-mini" in shown and "Abc123Def456" not in shown, shown


def test_an_update_kept_waiting_names_the_collection_being_indexed(tmp_path: Path) -> None:
    """Two runs at once: the second waited for the lock and said only "another process is updating the store"; the
    first says which collection it indexes, and the second names it."""
    from filelock import FileLock

    from jupyter_docchat.errors import StoreLockedError
    from jupyter_docchat.index import LOCK_FILE

    folder, store = tmp_path / "docs", tmp_path / "store"
    folder.mkdir()
    (folder / "a.txt").write_text("The warehouse opens at nine in the morning on weekdays.\n")
    with DocIndex(store=store) as index:
        index.update(folder)
    lock = FileLock(str(store / LOCK_FILE), thread_local=False)
    with lock:
        DocIndex(store=store, collection="manuals")._name_lock_owner(lock.lock_file)
        with DocIndex(store=store, lock_timeout=0.2) as index:
            with pytest.raises(StoreLockedError) as caught:
                index.update(folder)
    message = str(caught.value)
    assert "another process is indexing collection 'manuals' in the store" in message, message


def test_a_settings_file_read_into_a_string_shows_no_key(ip) -> None:
    """--with env_text, a .env file read into a str: its "OPENAI_API_KEY=sk-..." line was quoted whole."""
    from conftest import ask

    ip.user_ns["env_text"] = f"# settings\nMODEL=gpt-4o-mini\nOPENAI_API_KEY={_KEY}\nexport HF_TOKEN='hf_Zyx987Wvu654'\n"
    answer = ask(ip, "Which MODEL do the settings name?", "--no-stream --with env_text")
    shown = str(answer) + answer.to_html()
    assert "gpt-4o-mini" in shown and "Abc123Def456" not in shown and "Zyx987" not in shown, shown


_SHOWS_NOTHING = "\u2800\u034f\ufe0f\ufe0e\u17b4\u17b5\u180b\U000e0100"


def test_a_file_of_blank_braille_or_variation_selectors_is_no_text(tmp_path: Path) -> None:
    """A file of blank Braille patterns, or of variation selectors and other marks with no base, shows nothing, as one of
    zero-width spaces (probe 26), but was indexed as a chunk: a source with an empty-looking snippet among an unrelated
    question's. It reads to no text, and such a question is refused as one of zero-width spaces is."""
    from jupyter_docchat.errors import DocChatError

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "braille.txt").write_text("\u2800\u2800\u2800\n\u2800\n")
    (docs / "marks.md").write_text("\u034f\ufe0f\ufe0e\n")
    (docs / "a.txt").write_text("The zebra count is forty two, \u2764\ufe0f the keepers say.\n")
    with DocIndex(store=tmp_path / "store") as index:
        report = index.update(docs)
        assert dict(report.skipped_files) == {"braille.txt": "no text", "marks.md": "no text"}, report.skipped_files
        hits = index.search("zebra count", k=10)
        assert [hit.source for hit in hits] == ["a.txt"] and "\ufe0f" in hits[0].text
        with pytest.raises(DocChatError, match="empty"):
            index.ask("\u2800\u2800 \ufe0f")


@given(st.text(alphabet=st.sampled_from(list(_SHOWS_NOTHING) + [" ", "\n", "\u200b", "\u3164"]), max_size=30),
       st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1, max_size=5))
def test_a_piece_shows_something_exactly_when_it_holds_a_letter(blank: str, word: str) -> None:
    """Any run of what shows nothing is no chunk and no question; with a letter or digit in it, it is kept whole."""
    from conftest import chunks_of

    from jupyter_docchat.safe_text import is_blank

    assert is_blank(blank) and chunks_of("a.txt", blank) == []
    text = blank + word + blank
    assert not is_blank(text) and word in "".join(chunk.text for chunk in chunks_of("a.txt", text))


def test_files_deleted_while_their_folder_is_indexed_are_said_to_be_gone(tmp_path: Path, monkeypatch) -> None:
    """A sync tool deleting files while docchat index read the folder: the summary said "2 skipped (2 unreadable (No such
    file or directory))" and named them as not indexed for that, and the user looked for what kept them from being
    read. They are said to be deleted while the folder was indexed; the others are indexed."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("a", "b", "c"):
        (docs / f"{name}.txt").write_text(f"The {name} file tells of the zebra count in the park.\n")
    real = DocIndex._scan

    def scan(self, where, options):  # the folder as it was looked at, then two of its files deleted
        found = real(self, where, options)
        (docs / "b.txt").unlink(missing_ok=True)
        (docs / "c.txt").unlink(missing_ok=True)
        return found

    monkeypatch.setattr(DocIndex, "_scan", scan)
    with DocIndex(store=tmp_path / "store") as index:
        report = index.update(docs)
    summary = report.summary()
    assert report.added == 1 and "No such file" not in summary, summary
    assert dict(report.skipped_files) == {"b.txt": "deleted while the folder was indexed",
                                          "c.txt": "deleted while the folder was indexed"}, report.skipped_files

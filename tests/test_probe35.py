"""Probe 35: an outside user's attack on what session 14 landed. Notebooks read from their JSON (an older notebook
nbformat refuses, outputs shown as HTML alone), link bars in a line of text, public ids that read as keys (Bitcoin
addresses, IPFS content ids, Google documents' ids in their URLs), a .docx whose comment, header or footer holds the
configured key. Real parts: the IPython shell, Chroma, a model at a real HTTP server, nbformat to compare with."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import docx
from conftest import ask, run_stored, sent_and_shown
from hypothesis import given, settings
from hypothesis import strategies as st

from jupyter_docchat import DocIndex
from jupyter_docchat.checked_ids import checked_id
from jupyter_docchat.indexing.readers import read_sections
from jupyter_docchat.indexing.readers.html import html_sections
from jupyter_docchat.indexing.readers.notebook import _cells_as_written, _cells_by_nbformat
from jupyter_docchat.indexing.readers.notebook_outputs import outputs_text
from jupyter_docchat.qa.bare_keys import reads_as_key
from jupyter_docchat.qa.key_guard import without_secrets

# -- an older notebook nbformat refuses ----------------------------------------------------------------------------------


def _v3(worksheets: list[list[dict]]) -> str:
    return json.dumps({"nbformat": 3, "nbformat_minor": 0, "metadata": {"name": ""},
                       "worksheets": [{"cells": cells, "metadata": {}} for cells in worksheets]})


_HEADING = {"cell_type": "heading", "level": 2, "metadata": {}, "source": "Soil infiltration"}
_CODE = {"cell_type": "code", "collapsed": False, "input": "rate = 0.06", "language": "python", "metadata": {},
         "outputs": [], "prompt_number": 1}
_SECOND_SHEET = {"cell_type": "markdown", "metadata": {}, "source": "Clay drains slowly, the second sheet says."}


def test_an_older_notebook_nbformat_refuses_keeps_its_headings_and_every_worksheet(tmp_path: Path) -> None:
    """One cell nbformat cannot convert (its outputs a string, as a hand-edited file has them): the notebook is read as
    written, and its heading cells and second worksheet were left out without a word, the code cited under no heading."""
    odd = dict(_CODE, outputs="oops")
    text = _v3([[_HEADING, odd], [_SECOND_SHEET]])
    sections = read_sections(tmp_path / "old.ipynb", text.encode())
    assert [(s.cell, s.kind, s.heading) for s in sections] == [
        (1, "markdown", "Soil infiltration"), (2, "code", "Soil infiltration"), (3, "markdown", "Soil infiltration")]
    assert sections[0].text == "## Soil infiltration" and "second sheet" in sections[2].text


_v3_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"), max_size=30)
_v3_cell = st.one_of(
    st.builds(lambda source, level: {"cell_type": "heading", "level": level, "metadata": {}, "source": source},
              _v3_text, st.integers(min_value=1, max_value=6)),
    st.builds(lambda source: {"cell_type": "markdown", "metadata": {}, "source": source}, _v3_text),
    st.builds(lambda source: {"cell_type": "code", "input": source, "language": "python", "metadata": {}, "outputs": [],
                              "collapsed": False}, _v3_text),
)


@given(st.lists(st.lists(_v3_cell, max_size=4), min_size=1, max_size=3))
@settings(max_examples=100, deadline=None)
def test_an_older_notebook_read_as_written_has_nbformats_cells(worksheets: list[list[dict]]) -> None:
    """What the reader makes of a format 3 notebook as written is what nbformat makes of it when it converts it."""
    text = _v3(worksheets)
    assert [cell[:2] for cell in _cells_as_written(text, None)] == [cell[:2] for cell in _cells_by_nbformat(text)]


# -- outputs shown as HTML alone ------------------------------------------------------------------------------------------

_STYLED = ('<style type="text/css">#T_1 td {color: red}</style><table id="T_1"><thead><tr><th></th><th>model</th>'
           '<th>accuracy</th></tr></thead><tbody><tr><th>0</th><td>ridge</td><td>0.812</td></tr><tr><th>1</th>'
           '<td>lasso</td><td>0.934</td></tr></tbody></table>')


def _shown_as_html(markup: str, plain: str | None) -> dict:
    data = {"text/html": markup} | ({"text/plain": plain} if plain is not None else {})
    return {"output_type": "execute_result", "execution_count": 1, "metadata": {}, "data": data}


def test_a_styled_table_and_html_shown_alone_are_read() -> None:
    """df.style's plain text is its repr, display(HTML(...))'s "<IPython.core.display.HTML object>": the table was left
    out, the repr read in place of the HTML."""
    styled = outputs_text([_shown_as_html(_STYLED, "<pandas.io.formats.style.Styler at 0x7f3a2c1d5e90>")])
    assert "| 1 | lasso | 0.934 |" in styled and "Styler" not in styled and "color" not in styled
    shown = outputs_text([dict(_shown_as_html("<b>Validation accuracy: 0.934</b>", "<IPython.core.display.HTML object>"),
                               output_type="display_data")])
    assert shown == "Validation accuracy: 0.934"
    assert outputs_text([_shown_as_html("<h3>Fit</h3><p>R² = 0.97</p>", None)]) == "Fit\n\nR² = 0.97"


def test_a_charts_html_and_a_table_with_its_plain_text_read_as_before() -> None:
    chart = ('<div id="c1" class="plotly-graph-div"></div><script type="text/javascript">Plotly.newPlot("c1", '
             '[{"x": [1, 2, 3]}])</script><noscript>Enable JavaScript</noscript>')
    assert outputs_text([_shown_as_html(chart, None)]) == ""
    video = '<video src="run.mp4" controls>Your browser does not support the video element.</video>'  # IPython's Video
    assert outputs_text([_shown_as_html(video, "<IPython.core.display.Video object>")]) == ""
    frame = "   model  accuracy\n0  ridge     0.812"
    assert outputs_text([_shown_as_html(_STYLED, frame)]) == frame


_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=9).map(lambda w: f"zq{w}")


@given(st.lists(_word, min_size=1, max_size=6), st.sampled_from(["b", "p", "div", "span", "em"]),
       st.sampled_from([None, "<IPython.core.display.HTML object>", "<mylib.Report at 0x10fe3>", ""]))
@settings(max_examples=80, deadline=None)
def test_the_words_of_an_html_output_without_plain_text_are_read(words: list[str], tag: str, plain: str | None) -> None:
    text = outputs_text([_shown_as_html(f"<{tag}>{' '.join(words)}</{tag}>", plain)])
    assert text.split() == words


def test_a_styled_tables_value_is_found_in_the_index(tmp_path: Path) -> None:
    cells = [{"cell_type": "markdown", "metadata": {}, "source": "## Model comparison"},
             {"cell_type": "code", "execution_count": 1, "metadata": {}, "source": "scores.style.highlight_max()",
              "outputs": [_shown_as_html(_STYLED, "<pandas.io.formats.style.Styler at 0x7f3a2c1d5e90>")]}]
    folder = tmp_path / "nb"
    folder.mkdir()
    (folder / "compare.ipynb").write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    with DocIndex(tmp_path / "store") as index:
        index.update(folder)
        hits = index.search("lasso accuracy", k=1, mode="lexical")
        assert hits and "0.934" in hits[0].text


# -- a bar of links in a line of text ---------------------------------------------------------------------------------------


def _page_text(body: str) -> str:
    return "\n".join(s.text for s in html_sections(f"<html><body><h1>Page</h1><p>Intro words.</p>{body}</body></html>"))


def test_links_apart_by_marks_inside_a_sentence_stay() -> None:
    """"Shortcuts: <span>Ctrl-X / Ctrl-C</span> cut and copy." was read "Shortcuts: cut and copy.": the span dropped as a
    theme's bar. A bar alone in its paragraph is still one."""
    text = _page_text('<p>Shortcuts: <span><a href="cut.html">Ctrl-X</a> / <a href="copy.html">Ctrl-C</a></span> '
                      'cut and copy.</p>')
    assert "Shortcuts: Ctrl-X / Ctrl-C cut and copy." in text
    alone = _page_text('<p><span><a href="index.html">Home</a> | <a href="genindex.html">Index</a></span></p><p>End.</p>')
    assert "Home" not in alone and "End." in alone


@given(st.lists(_word, min_size=2, max_size=5), _word, _word, st.sampled_from(["span", "em", "small", "b"]),
       st.sampled_from(["|", "/", "·"]))
@settings(max_examples=60, deadline=None)
def test_a_sentences_links_are_kept_whatever_marks_part_them(links: list[str], before: str, after: str, tag: str,
                                                            mark: str) -> None:
    inline = f" {mark} ".join(f'<a href="{w}.html">{w}</a>' for w in links)
    text = _page_text(f"<p>{before} <{tag}>{inline}</{tag}> {after}.</p>")
    assert f"{before} {f' {mark} '.join(links)} {after}." in text, text


# -- public ids that read as keys -------------------------------------------------------------------------------------------

_BITCOIN = ["1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
            "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0"]
_CIDS = ["QmXoypizjW3WknFiJnKLwHCnL72vedxjQkDDP1mXWo6uco", "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"]
_SHEET = "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms"
_KEY = "Zq7Xv2Lm9Pw4Rt8Yb3Nc6Hd1"


def test_bitcoin_addresses_ipfs_ids_and_google_documents_urls_are_no_keys() -> None:
    for value in _BITCOIN + _CIDS:
        assert checked_id(value) and not reads_as_key(value)
        assert without_secrets(f"addr = '{value}'") == f"addr = '{value}'"
    assert without_secrets(f"url = 'https://ipfs.io/ipfs/{_CIDS[0]}'").endswith(f"{_CIDS[0]}'")
    for url in (f"https://docs.google.com/spreadsheets/d/{_SHEET}/export?format=csv",
                f"https://drive.google.com/file/d/{_SHEET}/view", f"https://colab.research.google.com/drive/{_SHEET}",
                f"https://drive.google.com/drive/folders/{_SHEET}"):
        code = f"df = pd.read_csv('{url}')"
        assert without_secrets(code) == code


def test_keys_beside_them_stay_hidden() -> None:
    """The exceptions are a checksum's or a Google document's place: a key anywhere else is hidden as before."""
    for code in (f"Client('{_KEY}')", f"u = 'https://gw.example.com/v1/{_KEY}/chat'",
                 f"u = 'https://docs.google.com/v1/{_KEY}/x'", f"u = 'https://docs.google.com.evil.example/d/{_KEY}'",
                 f"u = 'https://evil.example/docs.google.com/d/{_KEY}'",
                 f"u = 'https://docs.google.com/spreadsheets/d/x/edit?key={_KEY}'",
                 f"api_key = '{_BITCOIN[0]}'", f"key = '{_CIDS[0]}'"):
        assert _KEY not in without_secrets(code) and not any(v in without_secrets(code) for v in _BITCOIN[:1] + _CIDS[:1])


@given(st.sampled_from(_BITCOIN + _CIDS[1:]), st.data())
@settings(max_examples=150, deadline=None)
def test_a_checked_id_changed_in_one_character_fails_its_check(value: str, data: st.DataObject) -> None:
    """A Bitcoin address's checksum and a version 1 content id's fixed bytes: one character off, the check fails, so a
    key that merely looks like one is still a key. (A version 0 content id has no checksum: its length and first bytes
    are the test, which a random key of its alphabet passes once in some ten thousand.)"""
    at = data.draw(st.integers(min_value=0, max_value=len(value) - 1))
    alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz" if value[0] in "13" else (
        "qpzry9x8gf2tvdw0s3jn54khce6mua7l" if value.startswith("bc1") else "abcdefghijklmnopqrstuvwxyz234567")
    other = data.draw(st.sampled_from([ch for ch in alphabet if ch != value[at]]))
    changed = value[:at] + other + value[at + 1:]
    if value.startswith("baf") and at >= 8:
        return  # past a content id's fixed bytes its digest is any 32 bytes: still an id
    assert not checked_id(changed)


def test_random_keys_are_not_checked_ids() -> None:
    """Keys of every length a service uses, in base58's and base32's alphabets too: none passes a check."""
    rng = random.Random(35)
    alphabets = ["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
                 "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", "abcdefghijklmnopqrstuvwxyz234567"]
    for _ in range(20_000):
        alphabet = rng.choice(alphabets)
        key = rng.choice(["", "1", "3", "bc1", "b"]) + "".join(rng.choice(alphabet) for _ in range(rng.randint(20, 64)))
        assert not checked_id(key), key


def test_the_ids_reach_the_model_whole_and_the_key_not(ip, fake) -> None:
    """Through %ask --notebook with a model at a real HTTP server."""
    ip.run_line_magic("config", f"DocChat.base_url = {fake.url!r}")
    ip.run_line_magic("config", "DocChat.api_key = 'local-test-key'")
    run_stored(ip, f"donation = '{_BITCOIN[0]}'\nsegwit = '{_BITCOIN[2]}'")
    run_stored(ip, f"cid = '{_CIDS[1]}'")
    run_stored(ip, f"sheet = 'https://docs.google.com/spreadsheets/d/{_SHEET}/export?format=csv'")
    run_stored(ip, f"class Client:\n    def __init__(self, key):\n        self.key = key\nc = Client('{_KEY}')")
    for question in ("What is the donation address?", "What is cid?", "Which sheet is read?", "What does Client hold?"):
        ask(ip, question, "--no-stream --notebook")
    sent = "".join(body.decode() for body in fake.bodies)
    assert _BITCOIN[0] in sent and _BITCOIN[2] in sent and _CIDS[1] in sent and _SHEET in sent
    assert _KEY not in sent


# -- a .docx whose comment, header or footer holds the configured key --------------------------------------------------------


def test_the_configured_key_in_a_docx_comment_header_or_footer_is_never_sent_or_shown(ip, fake, tmp_path: Path) -> None:
    key = "sk-proj-Hc4Wq9Zr2Lx7Nv5Tb8Kd3Mf6Pj5Rk8Ws2X"
    folder = tmp_path / "lab"
    folder.mkdir()
    for name, where in (("comment.docx", "comment"), ("header.docx", "header"), ("footer.docx", "footer")):
        document = docx.Document()
        document.add_heading(f"Server access ({where})", level=1)
        note = document.add_paragraph("Log in to the lab server before the practical.")
        if where == "comment":
            document.add_comment(note.runs, text=f"The server key is {key}", author="Ana")
        else:
            part = document.sections[0].header if where == "header" else document.sections[0].footer
            part.paragraphs[0].text = f"Server key: {key}"
        out = io.BytesIO()
        document.save(out)
        (folder / name).write_bytes(out.getvalue())
    answer = docx.Document()
    answer.add_paragraph("Clay drains slowly: 0.06 cm per hour.")
    answer.save(folder / "soil.docx")
    ip.run_line_magic("config", f"DocChat.base_url = {fake.url!r}")
    ip.run_line_magic("config", f"DocChat.api_key = {key!r}")
    ip.run_line_magic("docchat_index", f'"{folder}" --quiet --wait')
    ask(ip, "What is the lab server key?", "--no-stream")
    ask(ip, "How fast does clay drain?", "--no-stream")
    sent, shown = sent_and_shown(ip, fake, tmp_path)
    assert "0.06 cm per hour" in sent
    notices = " ".join(notice for turn in ip.user_ns["docchat_history"][-2:] for notice in turn["notices"])
    assert all(name in notices for name in ("comment.docx", "header.docx", "footer.docx")), notices
    assert key not in shown and key[8:] not in shown


def test_links_apart_by_marks_under_a_sections_heading_stay() -> None:
    """"See also" over "sin | cos | tan" was read as a heading over nothing: its one paragraph dropped as a bar."""
    for heading, links in (("See also", ["sin", "cos", "tan"]), ("Older releases", ["1.0", "1.1", "1.2"])):
        bar = " · ".join(f'<a href="{name}.html">{name}</a>' for name in links)
        sections = html_sections(f"<html><body><h1>Trigonometry</h1><p>Angles in radians.</p><h2>{heading}</h2>"
                                 f"<p>{bar}</p></body></html>")
        assert [s.text for s in sections if s.heading.endswith(heading)] == [f"{heading}\n\n{' · '.join(links)}"]
    page = ('<html><body><div class="related"><a href="index.html">Home</a> | <a href="genindex.html">Index</a></div>'
            '<h1>Pumps</h1><p>Pumps move water uphill.</p></body></html>')
    assert "Home" not in "\n".join(s.text for s in html_sections(page))


def test_a_colon_in_a_links_anchor_or_query_is_no_other_site() -> None:
    """"ch3.html#sec:results" (a LaTeX label as pandoc writes it) counted as a link to another site: a bar of them was
    read as the page's text."""
    bar = " | ".join(f'<a href="{href}">{label}</a>' for href, label in (
        ("ch1.html#sec:intro", "Previous"), ("index.html#toc:main", "Up"), ("ch3.html#sec:results", "Next")))
    text = _page_text(f"<div>{bar}</div><p>The results follow.</p>")
    assert "Previous" not in text and "The results follow." in text
    search = " | ".join(f'<a href="search.html?q=tag:{tag}">{tag}</a>' for tag in ("zqalpha", "zqbeta", "zqgamma"))
    assert "zqalpha" not in _page_text(f"<div>{search}</div><p>End.</p>")
    mirrors = " | ".join(f'<a href="{href}">{href}</a>' for href in ("https://a.example.org/", "ftp://b.example.org/",
                                                                     "mailto:c@example.org"))
    assert "ftp://b.example.org/" in _page_text(f"<p>{mirrors}</p>")


# -- a notebook file that is no JSON ------------------------------------------------------------------------------------------

_LFS = ("version https://git-lfs.github.com/spec/v1\n"
        "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n")
_CONFLICTED = ('{\n "cells": [\n<<<<<<< HEAD\n  {"cell_type": "markdown", "metadata": {}, "source": "# A"}\n=======\n'
               '  {"cell_type": "markdown", "metadata": {}, "source": "# B"}\n>>>>>>> fit-branch\n ],\n "metadata": {},\n'
               ' "nbformat": 4,\n "nbformat_minor": 5\n}\n')


def test_a_notebook_file_that_is_no_json_is_named_for_what_it_is(tmp_path: Path) -> None:
    """A Git LFS pointer checked out without its notebook, a merge conflict left in one, an empty file and JSON cut short
    were each "unreadable notebook (NotJSONError)"."""
    folder = tmp_path / "nb"
    folder.mkdir()
    (folder / "pointer.ipynb").write_text(_LFS)
    (folder / "conflict.ipynb").write_text(_CONFLICTED)
    (folder / "empty.ipynb").write_bytes(b"")
    (folder / "cut.ipynb").write_text('{"cells": [{"cell_type": "markdown", "source": "# Otters"}')
    (folder / "otters.md").write_text("# Otters\n\nSea otters hold hands.\n")
    with DocIndex(tmp_path / "store") as index:
        report = index.update(folder)
    assert sorted(report.skipped_files) == [
        ("conflict.ipynb", "unreadable notebook (an unresolved merge conflict: <<<<<<< lines)"),
        ("cut.ipynb", "unreadable notebook (not JSON)"), ("empty.ipynb", "unreadable notebook (empty file)"),
        ("pointer.ipynb", "a Git LFS pointer, not the notebook (git lfs pull fetches it)")]


def test_a_notebook_file_that_is_no_json_is_refused_without_importing_nbformat(tmp_path: Path) -> None:
    """nbformat reads with Python's json: what json refuses it refuses, and importing it cost 0.14 CPU-s to say so."""
    import subprocess
    import sys

    book = tmp_path / "cut.ipynb"
    book.write_text('{"cells": [')
    code = ("import sys\nfrom pathlib import Path\nfrom jupyter_docchat.indexing.readers import read_sections\n"
            "from jupyter_docchat.indexing.readers.base import UnreadableFile\n"
            f"p = Path({str(book)!r})\ntry:\n    read_sections(p, p.read_bytes())\nexcept UnreadableFile as e:\n"
            "    print(e.reason, 'nbformat' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "unreadable notebook (not JSON) False"


@given(st.text(max_size=200))
@settings(max_examples=150, deadline=None)
def test_any_text_in_a_notebook_file_is_read_or_named_in_one_line(text: str) -> None:
    from jupyter_docchat.indexing.readers.base import UnreadableFile

    try:
        read_sections(Path("any.ipynb"), text.encode("utf-8", "surrogatepass"))
    except UnreadableFile as exc:
        assert exc.reason and "\n" not in exc.reason


# -- a store being made ----------------------------------------------------------------------------------------------------


def test_a_store_whose_first_run_holds_its_lock_is_said_to_be_in_the_making(tmp_path: Path) -> None:
    """A first index has taken the store's write lock and not yet made its catalog (another thread, another process):
    a search said "no store at ...: index a folder first", sending the user to start a second run. The lock taken as a
    run takes it; once let go, the store that never came is "no store" again."""
    import pytest

    from jupyter_docchat.errors import NoIndexError

    store = tmp_path / "store"
    run = DocIndex(store)._lock()
    run.acquire()
    try:
        with DocIndex(store) as index, pytest.raises(NoIndexError) as making:
            index.search("otters")
        assert str(making.value).startswith(f"the store at {store} is being made now")
        assert "index a folder first" not in str(making.value) and making.value.remedy is None
    finally:
        run.release()
    with DocIndex(store) as index, pytest.raises(NoIndexError, match="no store at"):
        index.search("otters")


# -- secrets written in the user's documents (probe 35's leftover, lead) -----------------------------------------------------


def test_secrets_written_in_documents_reach_no_model_answer_or_saved_chat(ip, fake, tmp_path: Path) -> None:
    """A folder's deploy notes, a config and a report's comment each held a secret under its name: only the configured key
    was withheld, the others were quoted, sent to the model and saved with the chat."""
    aws, password, token = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ9pLx3vT", "Xk9#mQ2vLp7wRt4z", "ghp_R8kLm2Qx7Vt4Zp9Wc3Nb6Jh5Fd1Sa0Ye2Ku"
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "deploy.md").write_text("# Deploying the lab server\n\nThe bucket is s3://lab-results, region eu-west-1.\n\n"
                                      f"```ini\naws_access_key_id = AKIAZ7QX4LMN2PRT5VWY\naws_secret_access_key = {aws}\n```\n")
    (folder / "config.yaml").write_text(f"database:\n  host: db.lab.example\n  user: lab\n  password: {password}\n")
    report = docx.Document()
    note = report.add_paragraph("The lab server is deployed from the main branch every night.")
    report.add_comment(note.runs, text=f"CI pushes with github_token = {token}", author="Ana")
    report.save(folder / "report.docx")
    ip.run_line_magic("config", f"DocChat.base_url = {fake.url!r}")
    ip.run_line_magic("config", "DocChat.api_key = 'sk-test-configured-0000000000000000'")
    ip.run_line_magic("docchat_index", f'"{folder}" --quiet --wait')
    ask(ip, "What are the AWS keys and the database password of the lab server?", "--no-stream")
    ask(ip, "How is the lab server deployed?", "--no-stream")
    sent, shown = sent_and_shown(ip, fake, tmp_path)
    assert "s3://lab-results" in sent and "db.lab.example" in sent  # the documents reached the model, the secrets not
    for secret in (aws, password, token):
        assert secret not in shown


def test_docchat_search_writes_no_secret_of_a_document(tmp_path: Path, capsys) -> None:
    from jupyter_docchat import cli

    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ9pLx3vT"
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "aws.md").write_text(f"# AWS\n\nThe lab's credentials:\n\n    aws_secret_access_key = {secret}\n")
    store = tmp_path / "store"
    assert cli.main(["--store", str(store), "index", str(folder)]) in (0, None)
    capsys.readouterr()
    for mode in ("lexical", "hybrid"):
        assert cli.main(["--store", str(store), "search", "--mode", mode, "aws_secret_access_key credentials"]) in (0, None)
        out = capsys.readouterr().out
        assert "aws_secret_access_key" in out and secret not in out

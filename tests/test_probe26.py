"""Probe 26: failures found attacking the answer's HTML around direction overrides, Debian's note names, and what
the last session changed. Real parts: the IPython shell, the store, the readers."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from conftest import ask, chunks_of
from hypothesis import given
from hypothesis import strategies as st
from pdfgen import pdf_bytes

from jupyter_docchat.markdown_html import bidi_closed

_RLO = "\u202e"
_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


class _Texts(HTMLParser):
    """The text of each element whose tag is in ``tags``, up to its first child block (a source's line: its name,
    location and score, before its snippet)."""

    def __init__(self, tags: set[str]) -> None:
        super().__init__()
        self.tags, self.texts, self._open = tags, [], False

    def handle_starttag(self, tag, attrs):
        if tag in self.tags:
            self.texts.append("")
            self._open = True
        elif tag in ("details", "div", "p", "ol"):
            self._open = False

    def handle_data(self, data):
        if self._open:
            self.texts[-1] += data


def _lines_of(html: str, tag: str) -> list[str]:
    parser = _Texts({tag})
    parser.feed(html)
    return parser.texts


def test_a_file_name_with_a_direction_override_reverses_nothing_after_it(ip, tmp_path: Path) -> None:
    """A file named "invoice\\u202efdp.txt" (shown as "invoicetxt.pdf") left its override open in the source's line:
    the location and score after it read right to left, as the answer's text did before probe 24. The text view drops
    the controls; the HTML closes each name's. A folder's in a note ("the folder docs\\u202ex holds no file ...") reversed
    the rest of the note: the note has none, as in text."""
    docs = tmp_path / f"docs{_RLO}x"
    docs.mkdir()
    (docs / f"invoice{_RLO}fdp.txt").write_text("The zebra count is forty two animals in the park.\n")
    ip.run_line_magic("docchat_index", f'"{docs}" --quiet')
    html = ask(ip, "What is the zebra count?").to_html()
    lines = [line for line in _lines_of(html, "li") if "invoice" in line]
    assert lines and all(bidi_closed(line.split("·")[0]) == line.split("·")[0] for line in lines), lines
    # The folder's files gone but for a minified script: the note names the folder.
    (docs / f"invoice{_RLO}fdp.txt").unlink()
    (docs / "app.min.js").write_text("var a=1;" * 5000)
    html = ask(ip, "What is the zebra count?").to_html()
    notes = re.findall(r'<div class="dc-note">(.*?)</div>', html)
    assert any("holds no file" in note for note in notes) and not any(_RLO in note for note in notes), notes


def test_an_answer_records_html_closes_a_names_override(tmp_path: Path) -> None:
    """DocIndex.ask's Answer shown in a notebook: its sources' names left their overrides open too."""
    from jupyter_docchat import DocIndex

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / f"invoice{_RLO}fdp.txt").write_text("The zebra count is forty two animals in the park.\n")
    with DocIndex(store=tmp_path / "store") as index:
        index.update(docs)
        answer = index.ask(f"What is the zebra count{_RLO}?")
    html = answer.to_html()
    lines = _lines_of(html, "li")
    assert lines and all(bidi_closed(line) == line for line in lines), lines
    question = _lines_of(html, "b")[0]
    assert bidi_closed(question) == question


def test_debians_note_names_keep_a_format_suffix(tmp_path: Path) -> None:
    """"changelog.Debian.amd64" names an architecture; README.Debian.html, README.Debian.pdf, NEWS.Debian.md name a
    format, and were read as plain text: the page's markup indexed as its words, the PDF skipped as binary."""
    page = "<html><body><h1>Walrus for Debian</h1><p>The walrus package installs <b>tusks</b> by default.</p></body></html>"
    text = " ".join(chunk.text for chunk in chunks_of("README.Debian.html", page))
    assert "tusks" in text and "<" not in text, text
    markdown = " ".join(chunk.heading for chunk in chunks_of("NEWS.Debian.md", "# Walrus news\n\nTusks are longer now.\n"))
    assert "Walrus news" in markdown
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "README.Debian.pdf").write_bytes(pdf_bytes([["The walrus package installs tusks by default."]]))
    from jupyter_docchat import DocIndex

    with DocIndex(store=tmp_path / "store") as index:
        report = index.update(docs)
        assert not report.skipped, report.skipped
        assert index.search("walrus tusks")[0].source == "README.Debian.pdf"


def test_a_folder_kept_as_it_was_is_not_read_again_before_each_question(ip, tmp_path: Path, monkeypatch) -> None:
    """A folder whose files are gone but for minified scripts is kept (the index stays as it was), and the check before
    each question read every script again to find it so: 9 s a question for 200 of them. The folder as the last check
    found it is said again without reading; the notice stays under every answer."""
    from jupyter_docchat.indexing import ingest, read_file

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("The zebra count is forty two animals in the park.\n")
    ip.run_line_magic("docchat_index", f"{docs} --quiet")
    (docs / "a.txt").unlink()
    for n in range(3):
        (docs / f"app{n}.js").write_text(f"var a{n}=1;" * 20000)
    reads: list[Path] = []
    real = ingest.read_user_file
    # The check hashes a file it knew; a new one is read (and hashed) by its reader: either read counts.
    for module in (ingest, read_file):
        monkeypatch.setattr(module, "read_user_file", lambda path, *limit: reads.append(path) or real(path, *limit))
    first = ask(ip, "What is the zebra count?")
    assert sorted(p.name for p in reads) == ["app0.js", "app1.js", "app2.js"] and "holds no file to index now" in str(first)
    reads.clear()
    second = ask(ip, "What is the zebra count?")
    assert reads == [] and "holds no file to index now" in str(second) and "forty two" in str(second)
    # A change in the folder is checked again: a document back is indexed.
    (docs / "b.txt").write_text("The giraffe count is seven.\n")
    third = ask(ip, "What is the giraffe count?")
    assert "seven" in str(third) and "holds no file" not in str(third)


_NAME_CHARS = st.text(alphabet=st.sampled_from(list(_CONTROLS) + list("ab<>&\"' .·\n") + ["\u05d0", "\ud800", "\x00"]),
                      max_size=24)


@given(_NAME_CHARS, _NAME_CHARS, _NAME_CHARS)
def test_a_sources_line_leaves_no_override_open_and_no_markup(name: str, location: str, heading: str) -> None:
    """Any name, location and heading: the source's line (its name, location and score, before its snippet) leaves no
    direction override open for the score after it, and none of them adds markup."""
    from jupyter_docchat.views.answer import sources_html

    html = sources_html([{"n": 1, "source": name, "location": location, "heading": heading, "score": 0.5,
                          "text": name, "path": ""}], "a")
    line = _lines_of(html, "li")[0]
    assert bidi_closed(line) == line and line.endswith("score 0.500")
    assert html.count("<li") == 1 and html.count("<details>") == 1 and "<a " not in html


@given(st.sampled_from(["README", "NEWS", "changelog", "copyright"]), st.sampled_from(["Debian", "debian"]),
       st.sampled_from([".html", ".htm", ".pdf", ".md", ".rst", ".ipynb", ".docx", ".csv", ".tex", ".py", ".txt"]))
def test_a_debian_note_with_a_formats_suffix_is_read_as_that_format(name: str, debian: str, suffix: str) -> None:
    from jupyter_docchat.indexing.readers import format_suffix

    assert format_suffix(Path(f"{name}.{debian}{suffix}")) == suffix
    assert format_suffix(Path(f"{name}.{debian}")) == ".txt"


def _kept_refresh(tmp_path: Path, docs: Path):
    """The report of refreshing a folder whose one file went, a minified script (skipped) left in its place."""
    from jupyter_docchat import DocIndex

    docs.mkdir()
    (docs / "a.txt").write_text("The zebra count is forty two animals in the park.\n")
    with DocIndex(store=tmp_path / "store") as index:
        index.update(docs)
        (docs / "a.txt").unlink()
        (docs / "app.min.js").write_text("var a=1;" * 20000)
        report = index.refresh()
    return report


def test_a_kept_refresh_report_says_it_kept_the_index(tmp_path: Path) -> None:
    """DocIndex.refresh() of a folder kept as it was returned a report reading "docs: 0 added, ... 0 in store": the
    store held the collection's chunk, and nothing said it was kept."""
    report = _kept_refresh(tmp_path, tmp_path / "docs")
    assert report is not None and report.kept and report.chunks_total == 1
    assert "holds no file to index now" in str(report) and "0 in store" not in str(report)
    assert report.to_dict()["kept"] == report.kept


def test_a_kept_refresh_report_masks_a_folder_named_with_the_key(tmp_path: Path, monkeypatch) -> None:
    """The kept report names its folder: one named with the configured key is masked there too (its summary is printed
    and its JSON written as any report's)."""
    import json

    key = "sk-proj-ZEBRAZEBRA1234567890abcdef"
    monkeypatch.setenv("OPENAI_API_KEY", key)
    report = _kept_refresh(tmp_path, tmp_path / f"docs-{key}")
    assert report is not None and "holds no file to index now" in str(report)
    assert key not in str(report) and key not in json.dumps(report.to_dict())


def test_a_file_that_shows_nothing_is_no_text(tmp_path: Path) -> None:
    """A file of zero-width spaces, or of a direction override alone, was indexed as a chunk: a source with an empty
    snippet, in the five of an unrelated question ("git-fsck" over a one-line manual page). It reads to no text."""
    from jupyter_docchat import DocIndex

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "zw.txt").write_text("\u200b\u200b\u2060\n\ufeff\n")
    (docs / "rlo.md").write_text(f"{_RLO}\n")
    (docs / "page.html").write_text("<html><body><h1>Title</h1><p>The zebra count is forty two.</p>"
                                    "<h2>Empty</h2><p>\u200b\u200c</p></body></html>")
    with DocIndex(store=tmp_path / "store") as index:
        report = index.update(docs)
        assert dict(report.skipped_files) == {"zw.txt": "no text", "rlo.md": "no text"}, report.skipped_files
        texts = [hit.text for hit in index.search("zebra count", k=10)]
    assert texts and all(text.strip("\u200b\u200c\u2060\ufeff \n") for text in texts), texts


def _capped_without_floor(ranked: list[str], source_of: dict[str, str], per_file: int, k: int) -> list[str]:
    """cap_per_file as it was before its floor (b06e8a2): the oracle for a floor that never applies."""
    taken: dict[str, int] = {}
    first: list[str] = []
    later: list[str] = []
    for chunk_id in ranked:
        source = source_of.get(chunk_id, chunk_id)
        if len(first) < k and taken.get(source, 0) < per_file:
            taken[source] = taken.get(source, 0) + 1
            first.append(chunk_id)
        else:
            later.append(chunk_id)
    return first + later


@given(st.lists(st.sampled_from("abcd"), max_size=25), st.integers(1, 3), st.integers(0, 12),
       st.lists(st.floats(0.01, 1.0), min_size=25, max_size=25), st.floats(0.0, 1.0))
def test_the_caps_floor_keeps_every_chunk_and_changes_nothing_among_equal_scores(
        files: list[str], per_file: int, k: int, scores: list[float], floor: float) -> None:
    from jupyter_docchat.retrieval.fusion import cap_per_file

    ranked = [f"{file}{n}" for n, file in enumerate(files)]
    source_of = {chunk: chunk[0] for chunk in ranked}
    shown = dict(zip(ranked, sorted(scores, reverse=True)))
    capped = cap_per_file(ranked, source_of, per_file, k, frozenset(), shown, floor)
    assert sorted(capped) == sorted(ranked)
    oracle = _capped_without_floor(ranked, source_of, per_file, k)
    assert cap_per_file(ranked, source_of, per_file, k) == oracle
    assert cap_per_file(ranked, source_of, per_file, k, frozenset(), dict.fromkeys(ranked, 0.5), floor) == oracle


def test_an_ini_files_comments_are_not_joined_as_clauses() -> None:
    """Lines starting with ';' joined the line above without a space, as gtk-doc's broken clauses do: an INI file's
    comment block under its section read "[PHP]; This directive sets ... run.; Set it to zero". A comment block (lines
    in a row starting with one mark) and a line after code keep their space; gtk-doc's clauses are joined still."""
    from jupyter_docchat.qa.answer_units import split_units

    text = ("[PHP]\n; This directive sets the maximum time in seconds a script may run.\n"
            "; Set it to zero for no limit at all.\nmax_execution_time = 30\n")
    quoted = " ".join(u.text for u in split_units(text))
    assert "[PHP];" not in quoted and "run.;" not in quoted, quoted
    lone = " ".join(u.text for u in split_units("max_execution_time = 30\n; The maximum time in seconds a script may "
                                                  "run before it is stopped.\n"))
    assert "30;" not in lone, lone
    gtkdoc = [u.text for u in split_units("The size is bounded by *ider\n. The real size is in len\n, and the rest "
                                          "follows.\n")]
    assert gtkdoc == ["The size is bounded by *ider.", "The real size is in len, and the rest follows."]
    listed = [u.text for u in split_units("Set the values of the width\n, the height\n, the depth\n. These are kept.\n")]
    assert listed == ["Set the values of the width, the height, the depth.", "These are kept."], listed


def test_a_folder_named_in_latin1_is_refused_plainly_and_indexed_through_a_link(ip, tmp_path: Path) -> None:
    """A folder whose name is not UTF-8 (an old archive's "R\\xe9sum\\xe9s") failed its index as the store's fault: "the
    store at ... failed: 'utf-8' codec can't encode character '\\udce9' ... surrogates not allowed". The catalog cannot
    record such a name: the error names the folder and what to do, and a link to it is indexed."""
    import os

    from IPython.core.error import UsageError

    raw = os.path.join(os.fsencode(tmp_path), b"R\xe9sum\xe9s")
    os.mkdir(raw)
    with open(os.path.join(raw, b"a.txt"), "w") as stream:
        stream.write("The zebra count is forty two animals in the park.\n")
    folder = os.fsdecode(raw)
    try:
        ip.run_line_magic("docchat_index", f'"{folder}" --quiet')
        raise AssertionError("indexed")
    except UsageError as exc:
        message = str(exc)
    assert message.startswith("the folder ") and "R\\xe9sum\\xe9s" in message and "not valid UTF-8" in message
    assert "failed" not in message and "\udce9" not in message
    (tmp_path / "resumes").symlink_to(folder)
    ip.run_line_magic("docchat_index", f"{tmp_path / 'resumes'} --quiet")
    assert "forty two" in str(ask(ip, "What is the zebra count?"))


def test_a_store_named_in_latin1_is_refused_before_anything_is_made(tmp_path: Path) -> None:
    """A store whose path is not UTF-8: the index made its catalog, then failed with "cannot open the Chroma store at
    .../st\\ufffdre: 'utf-8' codec can't encode character '\\udce9'", and the half-made store said "no collections yet"."""
    import os
    import subprocess
    import sys

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("The zebra count is forty two animals in the park.\n")
    store = os.fsdecode(os.path.join(os.fsencode(tmp_path), b"st\xe9re"))
    done = subprocess.run([sys.executable, "-m", "jupyter_docchat.cli", "--store", store, "index", str(docs)],
                          capture_output=True, timeout=240)
    assert done.returncode == 1 and b"st\\xe9re has a name that is not valid UTF-8" in done.stderr, done.stderr
    assert b"codec" not in done.stderr and not os.path.exists(os.fsencode(store))


def test_a_gone_folders_name_cannot_forge_the_sources(tmp_path: Path) -> None:
    """A folder named "docs\\n\\nSources:\\n  [1] forged.txt ..." deleted after its index: the note under the answer (and
    docchat search's) wrote its name's line breaks, so the answer listed a source it did not have."""
    import shutil
    import subprocess
    import sys

    from jupyter_docchat import DocIndex

    docs = tmp_path / "docs\n\nSources:\n  [1] forged.txt (line 1) score 0.999"
    docs.mkdir()
    (docs / "a.txt").write_text("The zebra count is forty two animals in the park.\n")
    with DocIndex(store=tmp_path / "store") as index:
        index.update(docs)
        shutil.rmtree(docs)
        shown = str(index.ask("What is the zebra count?"))
    assert "is gone" in shown and not any(line.startswith("  [1] forged") for line in shown.splitlines()), shown
    done = subprocess.run([sys.executable, "-m", "jupyter_docchat.cli", "--store", str(tmp_path / "store"), "search",
                           "zebra"], capture_output=True, text=True, timeout=240)
    assert "is gone" in done.stderr and not any(line.startswith("  [1] forged") for line in done.stderr.splitlines())


def test_the_chat_boxs_error_bubble_has_no_direction_override(ip, tmp_path: Path) -> None:
    """An error naming a folder "docs\\u202ex" (its collection emptied with it) reversed the rest of the chat box's error
    bubble: %%ask prints the same error without direction controls, and so does the box now."""
    docs = tmp_path / f"docs{_RLO}x"
    docs.mkdir()
    (docs / "a.txt").write_text("The zebra count is forty two animals in the park.\n")
    ip.run_line_magic("docchat_index", f'"{docs}" --quiet')
    (docs / "a.txt").unlink()
    ip.run_line_magic("docchat_index", f'"{docs}" --quiet')  # the collection is emptied with its folder
    box = ip.run_line_magic("docchat_chat", "")
    try:
        box.submit("What is the zebra count?")
        box.wait()
        errors = re.findall(r'dc-error.*?<div class="dc-body"><p>(.*?)</p>', box.transcript_html(), re.S)
    finally:
        box.close()
    assert errors and "is empty" in errors[0] and _RLO not in errors[0], errors


def test_a_number_ending_a_page_after_a_broken_line_keeps_its_hyphen_when_no_page_is_numbered_so() -> None:
    """"COVID-" over "19" ending a page: the hyphen before a digit is kept (probe 24) but for a page's number, and a
    number ending a page was taken for one before the page numbers were known: "COVID19", and "Form W2" on a page of a
    book whose other pages are numbered 7 and 8. The page numbers are found first; a number left is the page's text."""
    from jupyter_docchat.indexing.readers import read_sections

    pages = [["A report on the schools and the pandemic of COVID-", "19"], ["The second page tells how they opened."]]
    assert [s.text for s in read_sections(Path("r.pdf"), pdf_bytes(pages))][0].endswith("pandemic of COVID-19")
    pages = [["Text of page one about the Form W-", "2"], ["The second page.", "7"], ["The third page.", "8"]]
    assert [s.text for s in read_sections(Path("r.pdf"), pdf_bytes(pages))] == [
        "Text of page one about the Form W-2", "The second page.", "The third page."]


def test_html_in_a_drawings_description_stays_in_the_drawing() -> None:
    """An inline <svg>'s <desc> may hold HTML ("<desc><p>Internal chart notes</p></desc>"), which stays inside it, as
    in a <foreignObject>: no browser shows it. The <p> was taken for a block ending an unclosed <svg>, moved out, and
    read as the page's text, by the tree reader and by the streaming one."""
    from jupyter_docchat.indexing.readers import read_sections
    from jupyter_docchat.indexing.readers.html import _flat_text

    page = ("<html><body><h1>Chart</h1><p>Sales grew in spring.</p><svg viewBox='0 0 10 10'><title>Sales chart</title>"
            "<desc><p>Internal chart notes nobody sees.</p></desc><rect width='10' height='10'/></svg>"
            "<p>After the chart.</p></body></html>")
    text = " ".join(s.text for s in read_sections(Path("a.html"), page.encode()))
    assert "Internal chart notes" not in text and "After the chart." in text, text
    assert "Internal chart notes" not in _flat_text(page) and "After the chart." in _flat_text(page)
    unclosed = "<html><body><h1>T</h1><svg><path d='M0'><p>Prose after an open drawing.</p></body></html>"
    assert "Prose after an open drawing." in " ".join(s.text for s in read_sections(Path("a.html"), unclosed.encode()))


def test_a_soft_hyphen_splits_no_word_for_the_keyword_search(tmp_path: Path) -> None:
    """A page's soft hyphens ("docu&shy;mentation", German's "Donau&shy;dampf&shy;schiff") split the word in the keyword
    index: a search by words for "documentation" found nothing. They show nothing mid-line: the readers leave them out,
    and a question pasted with one is searched without it."""
    from jupyter_docchat import DocIndex

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.html").write_text("<html><body><h1>Ships</h1><p>The Donau&shy;dampf&shy;schiff carries the docu&shy;"
                                 "mentation upstream every week.</p></body></html>")
    (docs / "b.txt").write_text("Unrelated text about zebras and giraffes in the park.\n")
    with DocIndex(store=tmp_path / "store") as index:
        index.update(docs)
        for query in ("documentation", "Donaudampfschiff", "docu\u00admentation"):
            hits = index.search(query, k=2, mode="lexical")
            assert hits and hits[0].source == "a.html" and "\u00ad" not in hits[0].text, query

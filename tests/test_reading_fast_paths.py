"""The reading steps made cheaper for the keyword pass (issue 23 item 6) give what the steps they replace gave.

Each test holds the replaced code as it was and checks the new code against it on random input: the chunks of every
store must stay the same (bench/README.md: a digest of every chunk of the bench corpora, the same before and after).
"""

from __future__ import annotations

import re
from pathlib import Path, PurePath, PurePosixPath

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from jupyter_docchat.indexing import readers
from jupyter_docchat.indexing.readers import clean, html
from jupyter_docchat.indexing.readers.base import HeadingStack, short_heading
from jupyter_docchat.store.token_counts import MiniLMTokenCounter, vocabulary
from jupyter_docchat.types import Section

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# White space of every kind the steps tell apart, the stand-ins for a code block's spaces, and letters.
SPACES = st.text(st.sampled_from(" \n\t\r\f\v\u00a0\u3000\u2028\x01\x02\x03ab"), max_size=80)


# ----- the steps as they were (jupyter_docchat/indexing/readers/html.py and clean.py before) -----

_OLD_BLANKS = re.compile(r"[ \t\r\f\v\u00a0]+")
_OLD_KEEP_SPACES = str.maketrans({" ": "\x01", "\t": "\x02"})
_OLD_SPACES_KEPT = str.maketrans({"\x01": " ", "\x02": "    ", "\x03": ""})


def old_tidy_lines(blanked: str) -> str:
    text = re.sub(r" *\n *", "\n", blanked)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def old_split_marked(text: str, lines: list[int], title: str, sources: list[int] | None = None) -> list[Section]:
    sections: list[Section] = []
    trail = HeadingStack(title)
    heading, start, buf, at = short_heading(title), 1, list[str](), list[int]()
    preamble = True

    def flush(chrome_possible: bool) -> None:
        blanked = _OLD_BLANKS.sub(" ", "\n".join(buf))
        tidied = old_tidy_lines(blanked)
        body = tidied.translate(_OLD_SPACES_KEPT)
        if body and not (preamble and chrome_possible and html._is_chrome(body)):
            line_map = html._tidied_lines(blanked, at, tidied) if sources is not None else None
            sections.append(Section(body, start, heading, kind="html", line_map=line_map))

    for n, line in enumerate(text.split("\n")):
        source = sources[n] if sources is not None else 1
        if line.startswith(html._MARK):
            flush(chrome_possible=True)
            preamble = False
            number, level, head = line[len(html._MARK):].split(":", 2)
            heading, start, buf, at = trail.enter(int(level), head), lines[int(number)], [head], [source]
        else:
            buf.append(line)
            at.append(source)
    flush(chrome_possible=False)
    return sections


_OLD_DROP = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_OLD_SPACE = re.compile("[\x0b\x0c\x1c-\x1f\x85\u2028\u2029]")


def old_clean_text(text: str) -> str:
    if "\x1b" in text:
        text = clean._TERMINAL_ESCAPE.sub("", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii() and re.search("[\ud800-\udfff]", text):
        text = re.sub("[\ud800-\udfff]", "\ufffd", text)
    return _OLD_SPACE.sub(" ", _OLD_DROP.sub("", text))


def old_shorten_runs(text: str) -> str:
    return clean._LONG_RUN.sub(lambda m: m[0] if clean.spaceless_text(m[0])
                               else f"{m[0][:clean.KEPT]}… ({len(m[0]) - clean.KEPT:,} characters left out)", text)


# ----- the white space of a page's text -----

@SETTINGS
@given(SPACES)
def test_blank_runs_and_tidy_lines_as_before(text: str) -> None:
    assert html._BLANK_RUNS.sub(" ", text) == _OLD_BLANKS.sub(" ", text)
    assert html._tidy_lines(text) == old_tidy_lines(text)
    assert html._tidy_lines(_OLD_BLANKS.sub(" ", text)) == old_tidy_lines(_OLD_BLANKS.sub(" ", text))
    assert html._spaces_kept(text) == text.translate(_OLD_KEEP_SPACES)
    assert html._spaces_put_back(text) == text.translate(_OLD_SPACES_KEPT)


def test_tidy_lines_examples() -> None:
    assert html._tidy_lines("  a  \n   \n\n\n  b \n") == "a\n\nb"
    assert html._tidy_lines("\u3000 a") == "a"  # the text's ends lose every kind of space
    assert html._tidy_lines("a \u3000\nb") == "a \u3000\nb"  # inside, only spaces around a line break go



def old_tidied_lines(blanked: str, sources: list[int], body: str) -> tuple[int, ...]:
    tidied = [line.strip() for line in blanked.split("\n")]
    mapped: list[int] = []
    n = 0
    for line in body.split("\n"):
        wanted = line.strip()
        at = n
        while at < len(tidied) and tidied[at] != wanted:
            at += 1
        if at < len(tidied):
            n = at
        mapped.append(sources[min(n, len(sources) - 1)])
        n += 1 if at < len(tidied) else 0
    return tuple(mapped)


@SETTINGS
@given(SPACES, st.booleans(), SPACES, st.lists(st.integers(1, 90), min_size=1, max_size=30))
def test_a_sections_lines_found_as_before(text: str, tidied: bool, other: str, sources: list[int]) -> None:
    """Each line of the body at the file line it had, the body as _tidy_lines made it or another text (a line found
    nowhere), the sources one a line of the text or fewer or more."""
    blanked = html._BLANK_RUNS.sub(" ", text)
    body = html._tidy_lines(blanked) if tidied else other
    assert html._tidied_lines(blanked, sources, body) == old_tidied_lines(blanked, sources, body)


# A page's text as the walk writes it: lines of text, and headings marked on lines of their own.
LINES = st.lists(st.one_of(SPACES, st.tuples(st.integers(1, 6), st.text(st.sampled_from("ab :>\t"), max_size=12))),
                 max_size=25)


@SETTINGS
@given(LINES, st.text(st.sampled_from("ab -|"), max_size=20), st.booleans(), st.data())
def test_sections_cut_at_the_marks_as_before(lines: list, title: str, with_sources: bool, data: st.DataObject) -> None:
    written, heading_lines = [], []
    for line in lines:
        if isinstance(line, tuple):
            level, head = line
            head = html.clean_heading(head)
            written.append(f"\n{html._MARK}{len(heading_lines)}:{level}:{head}\n")
            heading_lines.append(data.draw(st.integers(1, 500)))
        else:
            written.append(line)
    text = "".join(written)
    sources = None
    if with_sources:
        steps = data.draw(st.lists(st.integers(0, 3), min_size=text.count("\n") + 1, max_size=text.count("\n") + 1))
        sources = [1 + sum(steps[:n + 1]) for n in range(len(steps))]
    new = html._split_marked(text, heading_lines, title, sources)
    assert new == old_split_marked(text, heading_lines, title, sources)


# ----- what every reader's text goes through -----

@SETTINGS
@given(st.text(st.characters(codec=None, exclude_categories=()), max_size=60))
def test_clean_text_as_before(text: str) -> None:
    assert clean.clean_text(text) == old_clean_text(text)


@SETTINGS
@given(st.text(st.characters(max_codepoint=127), max_size=60))
def test_clean_text_of_ascii_as_before(text: str) -> None:
    assert clean.clean_text(text) == old_clean_text(text)


# Runs of one character: long runs without a space, of Latin, of Chinese, spaces and line breaks between.
RUNS = st.lists(st.tuples(st.sampled_from("ab中 \n\t\u3000"), st.integers(1, 400)), max_size=12).map(
    lambda runs: "".join(char * count for char, count in runs))


@SETTINGS
@given(RUNS, st.integers(0, 300))
def test_long_runs_cut_as_before(text: str, shift: int) -> None:
    text = "x" * shift + text  # a run starting anywhere against the blocks looked at
    assert clean.shorten_runs(text) == old_shorten_runs(text)


def test_a_run_found_wherever_it_starts() -> None:
    for start in range(0, 300, 7):
        for length in (clean.LONG_RUN - 1, clean.LONG_RUN, clean.LONG_RUN + 1):
            text = "a " * start + "x" * length + " b"
            assert clean.shorten_runs(text) == old_shorten_runs(text)
            assert (clean.shorten_runs(text) != text) == (length >= clean.LONG_RUN)


# ----- the XPath searches -----

_OLD_SEARCHES = {
    "roles": "//*[@role][@role=$a or @role=$b or @role=$c]",
    "bars": ("//*[contains(@class, 'navheader') or contains(@class, 'navfooter')]"
             "[contains(concat(' ', normalize-space(@class), ' '), ' navheader ') or "
             "contains(concat(' ', normalize-space(@class), ' '), ' navfooter ')]"),
    "chrome": "//*[@id][@id='sidebar' or @id='footer']",
    "title": "(//title[not(ancestor::svg)])[1]",
    "main": "//*[@role][@role='main']",
    "viewcode": "//span[contains(concat(' ', normalize-space(@class), ' '), ' viewcode-link ')]",
    "marks": "//a[string-length(normalize-space(.)) <= 2]",
    "numbers": ("//table[contains(@class, 'highlighttable')]//td[contains(concat(' ', normalize-space(@class), ' '), "
                "' linenos ')]"),
    "mkdocs": ("//*[@id][@id='mkdocs-search-query' or @id='mkdocs-search-results'] | "
               "//head/script[contains(., 'mkdocs_page_name')]"),
}
_NEW_SEARCHES = {
    "roles": f"{html._ALL}[@role][@role=$a or @role=$b or @role=$c]",
    "bars": html._NAV_BARS,
    "chrome": html._CHROME_BY_ID,
    "title": "(/descendant::title[not(ancestor::svg)])[1]",
    "main": f"{html._ALL}[@role][@role='main']",
    "viewcode": ("/descendant::span[contains(@class, 'viewcode-link')]"
                 "[contains(concat(' ', normalize-space(@class), ' '), ' viewcode-link ')]"),
    "marks": "/descendant::a[string-length(normalize-space(.)) <= 2]",
    "numbers": f"/descendant::table[contains(@class, 'highlighttable')]/descendant::td[{html._LINE_NUMBERS}]",
    "mkdocs": ("/descendant::*[@id][@id='mkdocs-search-query' or @id='mkdocs-search-results'] | "
               "/descendant::head/script[contains(., 'mkdocs_page_name')]"),
}

TAGS = st.sampled_from(["div", "span", "a", "h1", "main", "article", "svg", "title", "table", "td", "pre", "head",
                        "script", "p", "section"])
ATTRIBUTES = st.sampled_from(['', ' role="navigation"', ' role="main"', ' role="banner"', ' role="contentinfo"',
                              ' class="navheader"', ' class="x navfooter y"', ' class="navheaderx"', ' id="sidebar"',
                              ' id="footer"', ' id="mkdocs-search-query"', ' class="viewcode-link"',
                              ' class="highlighttable"', ' class="linenos"', ' href="#a"'])
TEXTS = st.sampled_from(["", "¶", "ab", "mkdocs_page_name", " x "])


@st.composite
def markup(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4 if depth < 3 else 0))):
        tag = draw(TAGS)
        parts.append(f"<{tag}{draw(ATTRIBUTES)}>{draw(TEXTS)}{draw(markup(depth + 1))}</{tag}>{draw(TEXTS)}")
    return "".join(parts)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markup())
def test_xpath_searches_find_what_they_found(page: str) -> None:
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, encoding="utf-8")
    doc = etree.fromstring(f"<html><head><title>T</title></head><body>{page}</body></html>".encode(), parser)
    roles = dict(a="navigation", b="banner", c="contentinfo")
    for name, old in _OLD_SEARCHES.items():
        variables = roles if name == "roles" else {}
        assert etree.XPath(_NEW_SEARCHES[name])(doc, **variables) == etree.XPath(old)(doc, **variables), name
    holders = set()
    for marker in doc.xpath("//*[self::h1 or self::main or self::article or @role='main']"):
        tag = marker.getparent()
        while tag is not None and tag not in holders:
            holders.add(tag)
            tag = tag.getparent()
    assert html._holders_of_content(doc) == holders


def _old_main_root(doc: etree._Element) -> etree._Element:
    for expression in ("//main", "//*[@role][@role='main']", "//article", "//body"):
        found = doc.xpath(expression)
        if found:
            return found[0]
    return doc


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markup(), st.booleans())
def test_the_main_root_is_what_the_searches_found(page: str, bare: bool) -> None:
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, encoding="utf-8")
    doc = etree.fromstring((page or "<p>x</p>") if bare else f"<html><body>{page}</body></html>".encode(), parser)
    assert html._main_root(doc) is _old_main_root(doc)


# ----- the walk over the page (html._walk) -----

def old_walk(root: etree._Element, doxygen: bool = False) -> tuple[html._Pieces, list[int], set[int]]:
    pieces = html._Pieces()
    lines: list[int] = []
    apart: set[int] = set()
    boxes: dict = {}
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, tag in walker:
        name = tag.tag if isinstance(tag.tag, str) else ""
        at = tag.sourceline or 1
        if at >= html._LAST_LINE_KNOWN:
            at = max(at, pieces.end)
        if event == "start":
            if name in html._HEADINGS and html._in_admonition(tag, boxes):
                pieces.add(f"\n{html.clean_heading(' '.join(html._broken_text(tag)))}\n", at)
                walker.skip_subtree()
                continue
            if name in html._HEADINGS:
                text = html.clean_heading(" ".join(html._broken_text(tag)))
                pieces.add(f"\n{html._MARK}{len(lines)}:{name[1]}:{text}\n", at)
                if doxygen and html.is_member_heading(tag):
                    apart.add(len(lines))
                lines.append(at)
                walker.skip_subtree()
                continue
            if name == "pre":
                pieces.add("\n", at)
                line = at
                for n, part in enumerate(html._broken_text(tag)):
                    if n:
                        pieces.add("\n", line)
                    pieces.add(html._blank_lines_kept(html._spaces_kept(part)), line, step=1)
                    line += part.count("\n")
                pieces.add("\n", at)
                walker.skip_subtree()
                continue
            if name == "table":
                table = html.table_text(tag)
                if table is not None:
                    rows = [row.sourceline or at for row in tag.iter("tr")] or [at]
                    if rows[-1] >= html._LAST_LINE_KNOWN:
                        rows = [at + n for n in range(len(rows))]
                    pieces.add_table(table, rows)
                    walker.skip_subtree()
                    continue
            if name in html._BLOCKS:
                pieces.add("\n", at)
            elif name in html._CELLS:
                pieces.add(" ", at)
            if tag.text:
                pieces.add(tag.text, at, step=1)
        else:
            if name in html._BLOCKS:
                pieces.add("\n", at)
            elif name in html._CELLS:
                pieces.add(" ", at)
            if tag.tail and tag is not root:
                pieces.add(tag.tail, html._tail_line(tag, pieces.end) if tag.tail.strip() else pieces.end, step=1)
    return pieces, lines, apart



def old_add(pieces: html._Pieces, text: str, line: int, step: int = 0) -> None:
    """_Pieces.add as it was: each line of a text of several looked at in a loop."""
    pieces.parts.append(text)
    for n, segment in enumerate(text.split("\n")):
        if n:
            pieces.sources.append(None)
        if pieces.sources[-1] is None and segment.strip():
            pieces.sources[-1] = line + step * n
    pieces.end = max(pieces.end, line + step * text.count("\n"))


@SETTINGS
@given(st.lists(st.tuples(SPACES, st.integers(1, 70_000), st.integers(0, 1)), max_size=12))
def test_pieces_added_as_before(added: list) -> None:
    old, new = html._Pieces(), html._Pieces()
    for text, line, step in added:
        old_add(old, text, line, step)
        new.add(text, line, step)
    assert (new.text(), new.sources, new.end) == (old.text(), old.sources, old.end)
    assert new.line_sources() == old.line_sources()


WALK_TAGS = st.sampled_from(["div", "span", "a", "h1", "h2", "h3", "p", "pre", "br", "table", "tr", "td", "th", "li",
                             "dt", "dd", "code", "em", "section"])
WALK_ATTRIBUTES = st.sampled_from(["", ' class="note"', ' class="warning x"', ' id="a"', ' class="memtitle"'])
WALK_TEXTS = st.sampled_from(["", "word", " two words ", "\n", "a\nb", "\n\n  x \n", "\t", "\u00a0y", "¶"])


@st.composite
def walked_markup(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4 if depth < 3 else 0))):
        tag = draw(WALK_TAGS)
        inner = "" if tag == "br" else f"{draw(WALK_TEXTS)}{draw(walked_markup(depth + 1))}</{tag}>"
        parts.append(f"{draw(WALK_TEXTS)}<{tag}{draw(WALK_ATTRIBUTES)}>{inner}{draw(WALK_TEXTS)}")
    return "".join(parts)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(walked_markup(), st.integers(0, 3), st.booleans())
def test_the_walk_writes_what_it_wrote(page: str, blank_lines: int, doxygen: bool) -> None:
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, encoding="utf-8")
    markup = "<html><body>" + "\n" * blank_lines + page + "</body></html>"
    old, new = (walk(etree.fromstring(markup.encode(), parser).find("body"), doxygen) for walk in (old_walk, html._walk))
    assert new[0].text() == old[0].text()
    assert new[0].line_sources() == old[0].line_sources() and new[0].end == old[0].end
    assert new[1:] == old[1:]


def test_the_walk_past_libxml2s_last_line_writes_what_it_wrote() -> None:
    """Past line 65,535 libxml2 gives every element that line: the walk counts on from the text read so far."""
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True, encoding="utf-8")
    markup = "<html><body>" + "\n" * 65_540 + "<div>a\nb<p>c</p>\n<td>d</td>e</div><h2>T</h2>f</body></html>"
    old, new = (walk(etree.fromstring(markup.encode(), parser).find("body")) for walk in (old_walk, html._walk))
    assert new[0].text() == old[0].text() and new[0].line_sources() == old[0].line_sources()
    assert new[1:] == old[1:] and max(new[0].line_sources()) >= html._LAST_LINE_KNOWN


# ----- a file's format -----

def old_format_suffix(path: PurePath) -> str:
    if readers._ROTATED_LOG.search(path.name):
        return readers.LOG_EXT
    if not path.suffix and path.name.lower() in readers._TEXT_NAMES:
        return ".txt"
    name, *debian = path.name.lower().split(".")
    if debian[:1] == ["debian"] and len(debian) <= 2 and all(
            arch.isalnum() and readers.reader_for(Path(f"x.{arch}")) is None for arch in debian[1:]) \
            and name in readers._TEXT_NAMES:
        return ".txt"
    inner = PurePath(path.stem).suffix.lower()
    if path.suffix.lower() == ".txt" and inner in readers._PAGE_SOURCES:
        return inner
    return path.suffix.lower()


NAME_PARTS = st.sampled_from(["", ".", "..", "a", "README", "Debian", "txt", "rst", "Md", "log", "1", "2024-01-02",
                              "-20240102", "gz", "html", "amd64", "changelog", " ", "é"])


@SETTINGS
@given(st.lists(NAME_PARTS, min_size=1, max_size=6).map("".join).filter(lambda name: name not in ("", ".", "..")))
def test_a_files_format_is_what_pathlib_made_of_its_name(name: str) -> None:
    for path in (Path("docs") / name, PurePosixPath("docs") / name):
        assert readers.format_suffix(path) == old_format_suffix(path), path


def test_a_files_format_examples() -> None:
    for name, ext in [("README", ".txt"), ("guide.rst.txt", ".rst"), ("app.log.3", ".log"), ("a..txt", ".txt"),
                      ("changelog.Debian.amd64", ".txt"), ("README.Debian.html", ".html"), (".bashrc", ""),
                      ("page.HTML", ".html"), ("notes.", "")]:
        assert readers.format_suffix(Path(name)) == ext == old_format_suffix(Path(name)), name


# ----- token counts -----

def test_new_words_counted_as_the_tokenizer_counts_them() -> None:
    count = MiniLMTokenCounter()
    texts = ["Reading HTML pages quickly", "quickly again, and über-fast", "Reading again"]
    assert count(texts) == [len(count._tokenizer.encode(t).ids) for t in texts]
    assert count(texts[::-1]) == [len(count._tokenizer.encode(t).ids) for t in texts[::-1]]


def test_the_vocabulary_read_is_the_tokenizers() -> None:
    vocab = MiniLMTokenCounter()._tokenizer.get_vocab()
    assert vocabulary() == sorted(vocab, key=vocab.__getitem__)  # every word piece, in the order of its id


# ----- the workers' messages -----

def test_a_worker_sends_a_files_ticks_only_after_the_interval() -> None:
    import io
    import pickle

    from jupyter_docchat.indexing.read_progress import Progress
    from jupyter_docchat.indexing.read_worker import _ticks_to

    quiet, ticking = io.BytesIO(), io.BytesIO()
    send = _ticks_to(quiet, Progress, 3600.0)  # a file read sooner than its interval (most files)
    send(1, 2, "characters")
    send(2, 2, "characters")
    assert quiet.getvalue() == b""  # its reply follows at once: the ticks said nothing more
    send = _ticks_to(ticking, Progress, 0.0)
    send(1, 2, "pages")
    sent = ticking.getvalue()
    assert pickle.loads(sent[8:8 + int.from_bytes(sent[:8], "big")]) == Progress(1, 2, "pages")


def test_a_result_waited_for_comes_from_the_workers_as_read_here(tmp_path: Path) -> None:
    from jupyter_docchat.indexing import reading

    files = []
    for n in range(3):
        page = tmp_path / f"page{n}.html"
        page.write_text(f"<html><body><h1>Part {n}</h1><p>Reserves held at the bank, part {n}.</p>"
                        f"<h2>More</h2><p>Deposits insured, part {n}.</p></body></html>")
        files.append((page.name, page))
    spec = reading.ChunkerSpec(1000, 100, "minilm")
    pool = reading.WorkerPool(1, time_limit=60, eager=True, formats=frozenset({".html"}))
    with reading.FileReader(files, spec, pool=pool) as reader:
        for rel, path in files:
            assert reader.ready(wait=120)  # came within the wait
            got = reader.next()
            assert got is not None and got.chunks == reading.read_one(rel, path, spec).chunks
        assert reader.ready(wait=120) and reader.next() is None  # nothing more to wait for


# ----- a file's bytes -----

def test_a_file_grown_since_its_size_was_seen_is_read_on_to_the_limit(tmp_path: Path, monkeypatch) -> None:
    import os

    from jupyter_docchat.indexing import user_file
    from jupyter_docchat.indexing.readers import UnreadableFile

    page = tmp_path / "page.html"
    page.write_bytes(b"0123456789" * 5)
    assert user_file.read_user_file(page) == b"0123456789" * 5
    real = os.fstat

    def smaller(fd: int) -> os.stat_result:  # the size as it was a moment before the file grew to 50 bytes
        info = real(fd)
        return os.stat_result((info.st_mode, *tuple(info)[1:6], 20, *tuple(info)[7:]))

    monkeypatch.setattr(user_file.os, "fstat", smaller)
    assert user_file.read_user_file(page) == b"0123456789" * 5
    with pytest.raises(UnreadableFile, match="too large"):
        user_file.read_user_file(page, limit=30)

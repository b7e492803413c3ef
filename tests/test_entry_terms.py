"""A reference's entries are answered under their own names: a term line ("class HttpResponseGone", "tmp_path",
"-u, --include-untracked") is the section of the paragraphs describing it, and the answer names it; a line of a
table of contents is no answer. The unit splitter alone, then %%ask in a real IPython shell over a real store."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import ask
from hypothesis import given, settings, strategies as st

from jupyter_docchat.qa.answer_levers import SHIPPED
from jupyter_docchat.qa.answer_units import entry_term, split_units


@pytest.mark.parametrize("line, term", [
    ("class HttpResponsePermanentRedirect", "class HttpResponsePermanentRedirect"),
    ("tmp_path", "tmp_path"),
    ("Task.retry(args=None, exc=None)", "Task.retry(args=None, exc=None)"),
    ("connect(url)", "connect(url)"),
    ("-u, --include-untracked", "-u, --include-untracked"),
    ("--port <port>", "--port <port>"),
    ("SESSION_COOKIE_AGE", "SESSION_COOKIE_AGE"),
    ("max_length: int = 50", "max_length: int = 50"),
    ("Default: 300", ""),  # a value, not a name
    ("Installation", ""),  # a title
    ("Note", ""),
    ("Apples are red.", ""),
    ("- a list item", ""),
    ("    indented_code", ""),
    ("x" * 200, ""),
])
def test_which_lines_name_an_entry(line: str, term: str) -> None:
    assert entry_term(line) == term


API = ("The subclasses of HttpResponse are listed here.\n\n"
       "class HttpResponsePermanentRedirect\n\n"
       "Like HttpResponseRedirect, but it returns a permanent redirect (HTTP status code 301).\n\n"
       "class HttpResponseBadRequest\n\n"
       "Acts just like HttpResponse but uses a 400 status code.\n\n"
       "-u\n\n--include-untracked\n\n"
       "When used with the push command, untracked files are stashed too.\n\n"
       "SESSION_COOKIE_AGE\n\nDefault: 1209600\n\nThe age of session cookies, in seconds.\n")


def test_an_entry_term_is_the_section_of_its_description_not_a_unit() -> None:
    units = split_units(API, "Request and response objects > HttpResponse subclasses", entry_terms=True)
    by_text = {u.text: u for u in units}
    assert by_text["Like HttpResponseRedirect, but it returns a permanent redirect (HTTP status code 301)."].entry \
        == "class HttpResponsePermanentRedirect"
    assert by_text["Acts just like HttpResponse but uses a 400 status code."].section == "class HttpResponseBadRequest"
    # a run of term lines names one entry; a field line ("Default: ...") describes the term above it
    assert by_text["When used with the push command, untracked files are stashed too."].entry == "-u, --include-untracked"
    assert by_text["Default: 1209600"].entry == "SESSION_COOKIE_AGE"
    assert not any(u.text.startswith(("class Http", "-u", "--include", "SESSION_COOKIE_AGE")) for u in units)
    assert by_text["The subclasses of HttpResponse are listed here."].entry == ""
    # off, the units are as before: the term lines are sentences and nothing has an entry
    plain = split_units(API, "Request and response objects > HttpResponse subclasses")
    assert "class HttpResponseBadRequest" in {u.text for u in plain} and not any(u.entry for u in plain)


# A paragraph: a term line, or a few words of prose, or a field line; joined by blank lines.
_WORD = st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)
_TERM = st.one_of(
    st.builds(lambda a, b: f"{a}_{b}", _WORD, _WORD),
    st.builds(lambda a: f"class {a.capitalize()}Thing", _WORD),
    st.builds(lambda a, b: f"--{a}-{b}", _WORD, _WORD),
    st.builds(lambda a, b: f"{a}.{b}({a}=None)", _WORD, _WORD))
_PROSE = st.builds(lambda first, rest: " ".join([first.capitalize(), *rest]) + ".", _WORD, st.lists(_WORD, min_size=3, max_size=12))
_FIELD = st.builds(lambda a: f"Default: {a}", _WORD)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_TERM, _PROSE, _FIELD), min_size=1, max_size=12))
def test_no_word_is_lost_and_every_entry_is_a_term_line_above(paragraphs: list[str]) -> None:
    text = "\n\n".join(paragraphs)
    units = split_units(text, "Page", entry_terms=True)
    kept = " ".join(f"{u.text} {u.entry}" for u in units) if units else text
    for word in re.findall(r"\w+", text):
        assert word in kept
    for unit in units:
        if unit.entry:
            assert any(unit.entry.startswith(p) for p in paragraphs if entry_term(p))


def test_the_answer_names_the_entry_it_quotes(ip, tmp_path: Path) -> None:
    folder = tmp_path / "api"
    folder.mkdir()
    rows = "".join(f"<dt>class HttpResponse{name}</dt><dd><p>Acts just like HttpResponse but uses a {code} status "
                   f"code.</p></dd>" for name, code in [("BadRequest", 400), ("NotFound", 404), ("Forbidden", 403),
                                                         ("Gone", 410), ("ServerError", 500)])
    (folder / "responses.html").write_text(
        "<html><head><title>Request and response objects</title></head><body><h1>Request and response objects</h1>"
        "<h2>HttpResponse subclasses</h2><p>Django includes a number of HttpResponse subclasses.</p><dl>"
        "<dt>class HttpResponsePermanentRedirect</dt><dd><p>Like HttpResponseRedirect, but it returns a permanent "
        f"redirect (HTTP status code 301) instead of a found redirect (status code 302).</p></dd>{rows}</dl>"
        "</body></html>")
    (folder / "other.txt").write_text("The warehouse opens at nine in the morning on weekdays.")
    ip.run_line_magic("docchat_index", f'"{folder}" --quiet')
    assert SHIPPED.entry_terms
    ask(ip, "What status code does HttpResponsePermanentRedirect send?", "--no-stream")
    answer = ip.user_ns["docchat_history"][-1]["answer"].split("\n\n*Extractive answer")[0]
    lead = answer.split("\n\nAlso:")[0]
    assert lead.startswith("class HttpResponsePermanentRedirect: Like HttpResponseRedirect") and "301" in lead
    # a sibling quoted under "Also:" says whose status code it gives
    for line in answer.split("\n\nAlso:\n")[1:]:
        for bullet in line.splitlines():
            assert re.match(r"- class HttpResponse\w+: ", bullet), bullet


def test_a_line_of_contents_does_not_lead(ip, tmp_path: Path) -> None:
    folder = tmp_path / "manual"
    folder.mkdir()
    (folder / "manual.md").write_text(
        "# Manual\n\n## Contents\n\n4.7 Check statement . . . . . . . . . . . . . . . . . 39\n"
        "4.8 Display statement . . . . . . . . . . . . . . . . 40\n\n"
        "## Statements\n\nThe check statement checks that a logical condition holds for every member of a domain, "
        "and stops the model with an error when it does not.\n")
    ip.run_line_magic("docchat_index", f'"{folder}" --quiet')
    ask(ip, "What does the check statement do?", "--no-stream")
    answer = ip.user_ns["docchat_history"][-1]["answer"]
    assert answer.startswith("The check statement checks that a logical condition holds")


def test_a_long_run_of_term_lines_names_its_entry_by_the_last_few() -> None:
    # Probe 23: fifty option lines over one sentence led its answer with 1,388 characters of names.
    text = "\n\n".join(f"--opt-{i}" for i in range(50)) + "\n\nThe last option turns the walrus mode on.\n\n" \
        "class Foo\n\nclass Foo\n\nThe foo class holds the walrus."
    units = split_units(text, "Options", entry_terms=True)
    described = next(u for u in units if u.text == "The last option turns the walrus mode on.")
    assert described.entry == "--opt-46, --opt-47, --opt-48, --opt-49"
    assert {u.text for u in units} >= {f"--opt-{i}" for i in range(46)}  # the lines before stay units: nothing lost
    assert next(u for u in units if u.text == "The foo class holds the walrus.").entry == "class Foo"


@pytest.mark.parametrize("heading, lines, name", [
    ("Subparsers > Method Detail > addParser", ["public Subparser addParser(java.lang.String command)"], "addParser"),
    ("Class: Mocha::Expectation > #twice ⇒ Expectation", ["Modifies expectation.", "def twice"], ""),  # not called
    ("Mocha > #returns(value) ⇒ Expectation", ["Returns it.", "object.stubs(:m).returns(1, 2)"], "returns"),
    ("Guide > Installation", ["pip install(x)"], ""),  # a title, not a member: nothing calls "Installation("
    ("Guide > Getting started", ["start(now)"], ""),
    ("", ["addParser(x)"], ""),
    ("Glossary > pull", ["Pulling a branch. See also git-pull(1)."], ""),  # a man page named, not a call
    ("Glossary > pull", ["pull(1)"], ""),
    ("Cache > cache.get", ["cache.get(key, default=None)"], "cache.get"),
])
def test_a_section_named_for_the_member_its_signature_calls(heading: str, lines: list[str], name: str) -> None:
    from jupyter_docchat.qa.answer_units import member_name
    assert member_name(heading, lines) == name


def _javadoc_detail(name: str, signature: str, description: str) -> str:
    return (f'<section class="detail" id="{name}()"><h3>{name}</h3><div class="member-signature">'
            f'<span class="return-type">Subparsers</span>&nbsp;<span class="element-name">{name}</span>&#8203;'
            f'({signature})</div><div class="block">{description}</div></section>')


def test_a_javadoc_member_s_description_is_quoted_under_its_name(ip, tmp_path: Path) -> None:
    """Walk 36 (libargparse4j-java-doc): "Creates new mutually exclusive group ..." was quoted without saying which
    method it describes; in Javadoc the name is the detail's heading and its signature, never the description."""
    folder = tmp_path / "api"
    folder.mkdir()
    members = [("addMutuallyExclusiveGroup", "", "Creates new mutually exclusive group and adds it to this parser."),
               ("addArgumentGroup", "java.lang.String title", "Creates new argument group and adds it to this parser."),
               ("addSubparsers", "", "Returns the sub-parsers of this parser, creating them on first use.")]
    details = "".join(_javadoc_detail(*m) for m in members)
    (folder / "ArgumentParser.html").write_text(
        "<html><head><title>ArgumentParser (argparse4j API)</title></head><body><main><h1>Interface ArgumentParser</h1>"
        f"<section class='details'><h2>Method Detail</h2>{details}</section></main></body></html>")
    (folder / "other.txt").write_text("The warehouse opens at nine in the morning on weekdays.")
    ip.run_line_magic("docchat_index", f'"{folder}" --quiet')
    assert SHIPPED.member_names
    ask(ip, "How do I create a mutually exclusive group?", "--no-stream")
    answer = ip.user_ns["docchat_history"][-1]["answer"].split("\n\n*Extractive answer")[0]
    assert answer.startswith("addMutuallyExclusiveGroup: Creates new mutually exclusive group"), answer
    assert "\u200b" not in answer


@settings(max_examples=80, deadline=None)
@given(st.lists(st.one_of(st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=40),
                          st.sampled_from(["addParser", "Subparser addParser(String c)", "#twice ⇒ Expectation",
                                           "def twice", "Creates a parser.", "Installation", "pip install(x)"]))
                .map(str.strip).filter(bool), min_size=1, max_size=8))
def test_member_names_lose_no_word_but_a_member_s_heading_and_name_only_a_called_title(paragraphs: list[str]) -> None:
    """Whatever the text, naming members keeps every unit's words but those of a member's own line (now the title of
    its section), and a unit is named only for a line that the paragraph after it calls."""
    from jupyter_docchat.qa.answer_units import member_name
    text = "\n\n".join(paragraphs)
    plain = split_units(text, entry_terms=True, markdown=False)
    named = split_units(text, entry_terms=True, markdown=False, member_names=True)
    headings = {w for n, p in enumerate(paragraphs[:-1]) if member_name(p, [paragraphs[n + 1]]) for w in p.split()}
    lost = Counter(w for u in plain for w in u.text.split()) - Counter(w for u in named for w in u.text.split())
    assert set(lost) <= headings, (lost, headings)
    called = {member_name(p, [paragraphs[n + 1]]) for n, p in enumerate(paragraphs[:-1])} - {""}
    for unit in named:
        assert unit.entry in called or unit.entry in {u.entry for u in plain}, unit


def test_a_comment_inside_a_page_s_listing_stays_in_the_code() -> None:
    """YARD's examples end with "# => verify succeeds": on an HTML page that line is the code's, and read as a title it
    was cut from its block and headed the next one, quoted as "**=> verify succeeds**: object.expected_method" (walk 36).
    A Markdown file's "# Heading" is still a heading."""
    text = ("Expected method must be invoked exactly twice.\n\nobject = mock()\nobject.expects(:m).twice\nobject.m\n"
            "object.m\n# => verify succeeds\n\nobject = mock()\nobject.expects(:m).twice\nobject.m\n# => verify fails")
    units = split_units(text, code_majority=True, markdown=False)
    code = [u.text for u in units if u.kind == "code"]
    assert [c.splitlines()[-1] for c in code] == ["# => verify succeeds", "# => verify fails"], units
    assert all(not u.section for u in units)
    markdown = split_units("Intro line here.\n\n# Usage\n\nRun it with care.", markdown=True)
    assert [u.section for u in markdown if u.text == "Run it with care."] == ["Usage"]

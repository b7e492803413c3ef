"""Identifiers named in a question, and whether a text holds one as written."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from jupyter_docchat.retrieval.identifiers import holds, identifiers, words_of


def test_the_shapes_of_identifiers_are_found_and_prose_is_not() -> None:
    assert identifiers("What does the --basetemp option do?") == ["--basetemp"]
    assert identifiers("If both NO_COLOR and PY_COLORS are set, which wins?") == ["NO_COLOR", "PY_COLORS"]
    assert identifiers("How wide is the bar of click.progressbar?") == ["click.progressbar"]
    assert identifiers("What does all.equal compare?") == ["all.equal"]
    assert identifiers("How do I number rows with row_number()?") == ["row_number()"]
    assert identifiers("What does clamp do in an IntRange?") == ["IntRange"]
    assert identifiers("What is \\addlinespace for?") == ["\\addlinespace"]
    assert identifiers("What is a line of /etc/apt/sources.list?") == ["/etc/apt/sources.list"]
    assert identifiers("Set SECRET_KEY.") == ["SECRET_KEY"]
    assert identifiers("How do I send an e-mail, e.g. to a friend, with -f?") == []
    assert identifiers("Port 5000 is already in use. How do I run the server on another port?") == []


def test_holds_wants_the_identifier_as_written_and_not_inside_a_longer_name() -> None:
    assert holds("Run it with --port 5001.", "--port")
    assert not holds("Run it with --portal.", "--port") and not holds("the port option", "--port")
    assert holds("x = all.equal(a, b)", "all.equal") and holds("Use row_number() OVER", "row_number()")
    assert holds("set secret_key here", "SECRET_KEY")  # any case: a question may not keep it
    assert not holds("MY_SECRET_KEY_FILE", "SECRET_KEY")
    assert words_of("SECRET_KEY") == ["SECRET", "KEY"] and words_of("--foo-bar") == ["foo", "bar"]


_PROSE = st.text(alphabet=st.sampled_from("abcdefghij ,?"), max_size=60)
_NAMES = st.sampled_from(["--port", "SECRET_KEY", "all.equal", "row_number()", "IntRange", "\\usepackage",
                          "/etc/hosts.d/x", "full-upgrade", "glp_simplex"])


@given(_PROSE, _NAMES, _PROSE)
def test_an_identifier_between_prose_is_found_and_held(before: str, name: str, after: str) -> None:
    question = f"{before} {name} {after}"
    found = identifiers(question)
    assert name in found
    assert all(holds(question, n) for n in found)  # each is in the question as written
    assert found == identifiers(question) and len(found) == len(set(found))  # same input, same output, each once


@given(st.text(max_size=200))
def test_any_text_gives_identifiers_it_holds(text: str) -> None:
    found = identifiers(text)
    assert all(n and n in text for n in found)
    assert len(found) == len(set(found))

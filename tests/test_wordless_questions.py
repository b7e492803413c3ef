"""A question or query with no letter or digit ("?!...;;", a row of emoji) is refused in one line, as an empty one is.

Offline, "?!...;;" was answered "The indexed documents contain nothing that matches this question." over five sources
with scores, ranked by the punctuation's vector (a walk over Black's manual); a search listed them as hits."""

from __future__ import annotations

import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from IPython.core.error import UsageError

from jupyter_docchat import DocIndex
from jupyter_docchat.errors import DocChatError
from jupyter_docchat.safe_text import has_words

from conftest import EXAMPLE_DOCS, run_cell

WORDLESS = st.text(st.characters(blacklist_categories=("Lu", "Ll", "Lt", "Lm", "Lo", "Nd", "Nl", "No", "Cs")),
                   min_size=1, max_size=40)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("wordless")
    shutil.copytree(EXAMPLE_DOCS, root / "docs")
    with DocIndex(root / "store") as built:
        built.update(root / "docs")
        yield built


@settings(max_examples=50, deadline=None)
@given(text=WORDLESS)
def test_a_question_or_query_without_a_letter_or_digit_is_refused(index: DocIndex, text: str) -> None:
    for call in (lambda: index.ask(text), lambda: index.search(text)):
        with pytest.raises(DocChatError) as refused:
            call()
        assert "\n" not in str(refused.value)
        assert "empty" in str(refused.value) or "no words" in str(refused.value)


@settings(max_examples=50, deadline=None)
@given(text=st.text(min_size=0, max_size=20), letter=st.characters(whitelist_categories=("Lu", "Ll", "Lo", "Nd")))
def test_a_letter_or_digit_of_any_script_is_a_word(text: str, letter: str) -> None:
    assert has_words(text + letter + text)
    assert has_words(text) == any(unicodedata.category(ch)[0] in "LN" for ch in text)


def test_a_question_of_one_word_in_another_script_is_answered(index: DocIndex) -> None:
    assert index.ask("預金保険?").text  # answered, however well: not refused


def test_the_cli_and_the_magic_say_it_in_one_line(tmp_path: Path, index: DocIndex, ip) -> None:
    done = subprocess.run([sys.executable, "-m", "jupyter_docchat.cli", "ask", "?!...;;", "--store", str(index.where)],
                          capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "no words, only punctuation or symbols" in done.stderr
    _, error = run_cell(ip, "%ask ?!...;;")
    assert isinstance(error, UsageError) and "no words" in str(error) and "\n" not in str(error)
    _, error = run_cell(ip, "%%ask\n🚀🚀 ?")
    assert isinstance(error, UsageError) and "no words" in str(error)

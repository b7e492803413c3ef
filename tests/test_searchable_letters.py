"""Fullwidth and styled letters are searched as the plain letters the documents use (probe 22's leftover): the
keyword side, the meaning side and the offline answer all read "ｄｅｐｏｓｉｔ" as "deposit"."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings, strategies as st

from jupyter_docchat import DocIndex
from jupyter_docchat.safe_text import as_typed, searchable


def test_fullwidth_and_styled_questions_find_and_answer_what_plain_ones_do(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "bank.md").write_text("# Deposits\n\nThe standard deposit insurance limit is 250,000 dollars per "
                                    "depositor, per bank.\n")
    (folder / "ferry.md").write_text("# Ferry\n\nThe walrus ferry sails hourly from nine to five.\n")
    index = DocIndex(tmp_path / "store")
    try:
        index.update(folder)
        for question in ("ｄｅｐｏｓｉｔ ｉｎｓｕｒａｎｃｅ ｌｉｍｉｔ", "𝗱𝗲𝗽𝗼𝘀𝗶𝘁 𝗶𝗻𝘀𝘂𝗿𝗮𝗻𝗰𝗲 𝗹𝗶𝗺𝗶𝘁"):
            lexical = index.search(question, k=1, mode="lexical")
            assert lexical and lexical[0].source == "bank.md", question
            answer = index.ask(question)
            assert "250,000" in answer.text and answer.sources[0].file == "bank.md", question
    finally:
        index.close()


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(max_codepoint=0x7F, blacklist_categories=("Cc",)), max_size=60))
def test_plain_ascii_is_searched_as_typed(text: str) -> None:
    # The bench's 637 questions are unchanged by NFKC: a plain question is searched exactly as before.
    assert searchable(text) == as_typed(text)

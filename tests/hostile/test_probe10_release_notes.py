"""Probe 10: "What's new?" asks for the release notes, as "What's new in 2.0?" does. Asked alone it was taken for a
question about something else, so the release notes lost half their score and a guide that happened to say "new"
answered it."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write_tree

from jupyter_docchat import DocIndex
from jupyter_docchat.retrieval.release_notes import asks_about_changes

DOCS = {"CHANGES.md": "# Changes\n\n## 2.0\n\n- New: the otter exporter writes burrow maps as SVG.\n"
                      "- Fixed: the badger importer no longer drops empty burrows.\n"
                      "- Dropped: support for the legacy mole format.\n",
        "guide.md": "# Guide\n\nThe otter exporter writes burrow maps. What you get is new each time you run it: a fresh "
                    "map of every burrow.\nThe badger importer reads burrow lists. The mole format is a plain list.\n",
        "usage.md": "# Usage\n\nRun the exporter on a folder of burrow surveys. Each survey is read and a map is written.\n"}


@pytest.mark.parametrize("question", ["What's new?", "What’s new?", "whats new", "What is new?", "Any new features?",
                                      "Which bugs were fixed?", "What bug fixes are there?", "Which formats were dropped?"])
def test_questions_about_what_changed_ask_about_changes(question: str) -> None:
    assert asks_about_changes(question)


@pytest.mark.parametrize("question", ["How do I make a new map?", "Why are messages dropped?", "How do I set a fixed width?",
                                      "What is the news feed?"])
def test_other_questions_do_not(question: str) -> None:
    assert not asks_about_changes(question)


def test_whats_new_is_answered_from_the_release_notes(tmp_path: Path) -> None:
    docs = write_tree(tmp_path / "docs", DOCS)
    with DocIndex(tmp_path / "store") as index:
        index.update(docs)
        answer = index.ask("What's new?")
        assert answer.sources[0].file == "CHANGES.md", [s.file for s in answer.sources]  # was third of three
        assert "writes burrow maps as SVG" in answer.text  # the offline answer quotes the change (not first: see the report)

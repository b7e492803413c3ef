"""Release notes (CHANGES, changelog, NEWS, releases/...) answer questions about releases, not every question
whose words they name: through DocIndex on a real store, and the two rules that say which is which."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from jupyter_docchat import DocIndex
from jupyter_docchat.qa.answer_levers import SHIPPED as ANSWER_SHIPPED
from jupyter_docchat.qa.extractive import extractive_answer
from jupyter_docchat.retrieval.fusion import SHIPPED
from jupyter_docchat.retrieval.release_notes import asks_about_changes, is_release_notes
from jupyter_docchat.types import Hit

from conftest import write_tree


def test_release_notes_are_known_by_the_names_projects_give_them() -> None:
    for path in ["CHANGES.rst", "CHANGELOG.md", "docs/changelog.html.gz", "NEWS", "HISTORY.txt", "changes.html",
                 "docs/release-notes.rst", "whatsnew.html", "What's New.md", "django/releases/4.2.html",
                 "sqlite/releaselog/3_42_0.html", "doc/relnotes/1.0.txt", "ChangeLog", "RELEASE_NOTES.md"]:
        assert is_release_notes(path), path
    for path in ["guide.html", "news-reader/setup.md", "newsletter.pdf", "history-of-unix.md", "changes-to-make.md",
                 "docs/api.html", "releases.py/notes.md", "", "topics/migrations.html", "exchange.md"]:
        assert not is_release_notes(path), path


def test_questions_about_a_release_or_a_change_are_told_apart() -> None:
    for q in ["What changed in 2.0?", "When was strict_undefined added?", "Is this deprecated?",
              "What is new in version 3?", "Which release removed Python 2 support?", "How do I upgrade?"]:
        assert asks_about_changes(q), q
    for q in ["How do I enable strict undefined?", "What is the default filter?", "Where are the logs kept?"]:
        assert not asks_about_changes(q), q


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_path_or_question_is_an_answer_not_an_error(text: str) -> None:
    assert isinstance(is_release_notes(text), bool) and isinstance(asks_about_changes(text), bool)


GUIDE = ("# Undefined variables\n\nA name missing from the context renders as an empty string.\n\n"
         "To raise an error for a missing name, pass strict_undefined=True to the Template or the TemplateLookup.\n")
CHANGES = ("# Changes\n\n## 1.2\n\n- Fixed strict_undefined with names used in a lambda's arguments.\n\n"
           "## 1.1\n\n- strict_undefined is honoured by include tags; the Template and TemplateLookup pass it on.\n\n"
           "## 1.0\n\n- Added the strict_undefined flag to Template and TemplateLookup, raising NameError.\n")


def test_a_changelog_naming_the_option_does_not_answer_how_to_use_it(tmp_path: Path) -> None:
    folder = write_tree(tmp_path / "docs", {"undefined.md": GUIDE, "CHANGES.md": CHANGES,
                                            "other.md": "# Other\n\nTemplates are text files with expressions.\n"})
    with DocIndex(tmp_path / "store") as index:
        index.update(folder)
        question = "How do I enable strict_undefined on a Template?"
        hits = index.search(question, k=3)
        assert hits[0].source == "undefined.md"
        off = index.search(question, k=3, fusion=SHIPPED.but(release_notes=0.0))
        assert off[0].source == "CHANGES.md"  # what the lever changes: words alone favour the changelog here
        assert "pass strict_undefined=True" in index.ask(question, model="extractive").text
        # A question about a release still finds the release notes first.
        assert index.search("When was the strict_undefined flag added?", k=3)[0].source == "CHANGES.md"


def test_the_answer_leads_with_the_guide_over_a_changelog_among_the_sources() -> None:
    hits = [Hit(id="1", text="- Fixed strict_undefined with names used in a lambda's arguments and in Template calls.",
                source="CHANGES.md", heading="Changes > 1.2"),
            Hit(id="2", text="To raise an error for a missing name, pass strict_undefined=True to the Template.",
                source="undefined.md", heading="Undefined variables")]
    question = "How do I use strict_undefined with a Template?"
    assert extractive_answer(question, hits, levers=ANSWER_SHIPPED).startswith("To raise an error")
    assert extractive_answer(question, hits, levers=ANSWER_SHIPPED.but(release_notes=0.0)).startswith("- Fixed")

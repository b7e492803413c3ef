"""Leftover 7.2: a .gitignore folder pattern ending in "/**/" ("c/**/": the folders inside c) was read by pathspec
as "c/", which left out c itself and every file directly in it; git keeps those. git is the judge."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import write_tree
from test_probe10_ignore import PATTERNS, TREE, indexed, kept_by_git


def test_a_folder_pattern_ending_in_double_star_leaves_out_the_folders_inside_not_the_folder(tmp_path: Path) -> None:
    folder = write_tree(tmp_path / "docs", {**TREE, "c/notes.md": "n\n", ".gitignore": "c/**/\n"})
    kept = indexed(folder)
    assert "c/four.md" in kept and "c/notes.md" in kept and "c/build/five.md" not in kept
    assert kept == kept_by_git(folder)


def test_it_is_matched_at_any_depth_and_taken_back_as_git_takes_it_back(tmp_path: Path) -> None:
    for rules in ("a/**/\n", "a/**/\n!a/b/\n", "*\n!*/\n!*.md\na/**/\n", "a/**/b/**/\n", "a/**/  \n"):
        folder = write_tree(tmp_path / f"docs{len(list(tmp_path.iterdir()))}", {**TREE, ".gitignore": rules})
        assert indexed(folder) == kept_by_git(folder), rules


DOUBLE_STAR_FOLDERS = ["c/**/", "a/**/", "!a/**/", "a/**/b/**/", "!c/**/", "**/b/**/", "a/b/**/", "/a/**/", "c/**/build/"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(PATTERNS + DOUBLE_STAR_FOLDERS * 3), min_size=1, max_size=6))
def test_the_files_indexed_are_the_files_git_keeps_with_double_star_folders(tmp_path_factory: pytest.TempPathFactory,
                                                                            patterns: list[str]) -> None:
    folder = write_tree(tmp_path_factory.mktemp("docs"), {**TREE, ".gitignore": "\n".join(patterns) + "\n"})
    assert indexed(folder) == kept_by_git(folder), patterns

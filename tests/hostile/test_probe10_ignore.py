"""Probe 10: a folder's .gitignore read as git reads it, for the patterns people write to keep only some files
("*", then "!*/" and "!*.md": ignore everything but the Markdown), and git itself as the judge."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import write_tree

from jupyter_docchat.indexing.scan import scan_folder

TREE = {"top.md": "t\n", "keep.md": "k\n", "notes.txt": "n\n", "a/one.md": "1\n", "a/x.txt": "x\n",
        "a/b/two.md": "2\n", "a/b/deep/three.md": "3\n", "c/four.md": "4\n", "c/build/five.md": "5\n",
        "docs/six.md": "6\n"}


def indexed(folder: Path) -> list[str]:
    return sorted(rel for rel, _ in scan_folder(folder).files)


def kept_by_git(folder: Path) -> list[str]:
    """The files git does not ignore (untracked and not ignored, in a fresh repository)."""
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    out = subprocess.run(["git", "-C", str(folder), "ls-files", "--others", "--exclude-standard", "-z"],
                         check=True, capture_output=True, text=True).stdout
    shutil.rmtree(folder / ".git")
    return sorted(rel for rel in out.split("\0") if rel and rel != ".gitignore")


def test_ignore_everything_but_markdown_keeps_the_markdown_of_every_folder(tmp_path: Path) -> None:
    # The idiom to keep only some files: "*" ignores all, "!*/" takes every folder back, "!*.md" the Markdown.
    # pathspec's GitIgnoreSpec ranks "*" (matching the folder's name) above "!*/" (a folder pattern), so every
    # folder was left out and only the top's Markdown indexed; git keeps the Markdown at every depth.
    folder = write_tree(tmp_path / "docs", {**TREE, ".gitignore": "*\n!*/\n!*.md\n"})
    assert indexed(folder) == ["a/b/deep/three.md", "a/b/two.md", "a/one.md", "c/build/five.md", "c/four.md",
                               "docs/six.md", "keep.md", "top.md"]


def test_a_later_folder_pattern_ignores_what_an_earlier_negation_took_back(tmp_path: Path) -> None:
    # The last pattern that matches a path decides: "a/b/" after "!a/**" ignores a/b (git says so); GitIgnoreSpec
    # let "!a/**" win, as a pattern matching the file beats one matching a folder above it.
    folder = write_tree(tmp_path / "docs", {**TREE, ".gitignore": "*\n!*/\n!a/**\na/b/\n"})
    assert indexed(folder) == ["a/one.md", "a/x.txt"]


PATTERNS = ["*", "!*/", "!*.md", "*.md", "!keep.md", "a/", "!a/", "a/b/", "!a/**", "a/**", "**/deep/", "build/",
            "!build/", "/top.md", "docs/*.md", "!docs/six.md", "*.txt", "!*.txt", "c/*", "!c/build/", "**/two.md",
            "deep", "!a/b/deep/", "a/*/", "/c", "*/", "!/a", "", "# comment", "b", "!b", "a/**/two.md", "**", "a/b",
            "!a/b/two.md", "!a/b/", "*.md/", "!**/deep/**", "**/*.txt", "a/b/**", "!a/b/**", "\\!b"]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is the judge")
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(PATTERNS), min_size=1, max_size=8))
def test_the_files_indexed_are_the_files_git_keeps(tmp_path_factory: pytest.TempPathFactory, patterns: list[str]) -> None:
    folder = write_tree(tmp_path_factory.mktemp("docs"), {**TREE, ".gitignore": "\n".join(patterns) + "\n"})
    assert indexed(folder) == kept_by_git(folder), patterns

"""Which files are release notes, and which questions ask about releases.

A project's change log names nearly every option and function it has ever touched, one line each, so
it matches the words of almost any question about the project and answers few of them: "What is the
default filter applied to expressions?" found "added buffer_filters argument, ..." in Mako's changelog
before the page that explains filters. Release notes are found by the names projects give them
(CHANGES, changelog, NEWS, HISTORY, release notes, what's new; a folder of them: releases/, relnotes/).
"""

from __future__ import annotations

import re

# Names of a file (its stem's words) or of a folder on its path that hold release notes, as projects
# name them: GNU's NEWS and ChangeLog, Python's "What's New", Sphinx's changelog, Django's releases/.
_FILE_WORDS = re.compile(
    r"(?:change[s_ -]?log|changes|history|news|release[s_ -]?notes?|releases|release[s_ -]?log|releaselog|relnotes"
    r"|what'?s[_ -]?new|whatsnew|release[s_ -]?history)", re.I)
_FOLDERS = {"releases", "release-notes", "release_notes", "releasenotes", "relnotes", "changelog", "changelogs",
            "changes", "whatsnew", "news", "releaselog", "history"}
_SUFFIXES = {"gz", "bz2", "xz", "txt", "md", "rst", "htm", "html", "pdf", "adoc", "org"}

# A question about a release or a change: a version number, or words that ask what changed and when.
_ASKS_ABOUT_CHANGES = re.compile(
    r"\b(\d+\.\d+(\.\d+)*|v\d+|versions?|releases?d?|changed?|changes|changelog|new in|added|introduced|"
    r"deprecated|deprecations?|removed|since|upgrad\w*|migrat\w*|history|backward\w*|breaking"
    # "What's new?" asked alone, and what release notes list: features, bug fixes, what was fixed or dropped
    # (the passive only: "why are messages dropped?" asks about messages)
    r"|what(?:'|\u2019)?s\s+new|what\s+is\s+new|new\s+features?|bug\s*fix(?:es)?|(?:was|were|been)\s+(?:fixed|dropped|renamed))\b",
    re.I)


def is_release_notes(path: str) -> bool:
    """Whether ``path`` (a file's path in its folder, '/'-separated) names release notes."""
    parts = [p for p in path.replace("\\", "/").split("/") if p]
    if not parts:
        return False
    stem = _stem(parts[-1])
    if _FILE_WORDS.fullmatch(stem) or _FILE_WORDS.fullmatch(stem.split(".")[0]):
        return True
    return any(folder.lower() in _FOLDERS for folder in parts[:-1])


def _stem(name: str) -> str:
    """A file name less its suffixes of _SUFFIXES ("NEWS.txt.gz": "NEWS"). Read from the end: the pattern it
    replaces, tried from every position, took seconds for a name of thousands of them."""
    end = len(name)
    while (dot := name.rfind(".", 0, end)) >= 0 and name[dot + 1:end].lower() in _SUFFIXES:
        end = dot
    return name[:end]


# "change" as the verb of a how-to asks how to do it, not what a release changed: "How do I change the exponent
# range?" had MPFR's ChangeLog at full score, whose "Extend the exponent range early enough" lines took every source
# (walk 30). After "to", or a modal and its subject ("can I", "do you", "should we"), it is that verb.
_CHANGE_TO_DO = re.compile(
    r"\b(?:to|(?:do|does|can|could|should|would|may|might|must|shall|will)\s+(?:i|you|we|one|they|it|users?))"
    r"\s+change\b", re.I)


def asks_about_changes(question: str) -> bool:
    """Whether a question asks about a release or a change, which release notes answer."""
    return bool(_ASKS_ABOUT_CHANGES.search(_CHANGE_TO_DO.sub(" ", question)))

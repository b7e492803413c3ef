"""A folder's ``.gitignore`` and ``.ignore`` files, honoured as git does (patterns compiled by pathspec, the last one
matching a path deciding it, as git decides on its walk).

Each file's patterns apply to the paths below its own folder, relative to it; a deeper file that
matches a path overrides a shallower one, and in one folder ``.ignore`` overrides ``.gitignore``
(as ripgrep reads them). When the indexed folder is inside a git checkout, the ignore files of the
folders above it, up to the checkout's top, count too. A path inside an ignored folder is never
looked at: git cannot re-include it either.
"""

from __future__ import annotations

import re
from pathlib import Path

from jupyter_docchat.indexing.readers import UnreadableFile, decode
from jupyter_docchat.indexing.user_file import read_user_file

IGNORE_FILES = (".ignore", ".gitignore")  # the first that matches a path decides
_MAX_IGNORE_BYTES = 1024 * 1024


class IgnoreFiles:
    def __init__(self, root: Path) -> None:
        self._specs: dict[Path, list[tuple[str, object]]] = {}  # folder -> [(file name, spec)]
        above = _checkout_above(root)
        for folder in above:
            self.load(folder)
        # The user named ``root``: when the files above leave out the folder itself or one on the way to
        # it (a Sphinx build's ``_build/`` in the checkout's .gitignore), they were not written for what
        # is inside it, or nothing would be indexed at all; the folder's own ignore files still count.
        if above and any(self.ignored_by(folder, is_dir=True) for folder in [root, *root.parents[:len(above) - 1]]):
            self._specs.clear()

    def load(self, folder: Path) -> None:
        """Read the ignore files of one folder (the scan calls it for each folder it enters)."""
        specs = []
        for name in IGNORE_FILES:
            spec = _spec(folder / name)
            if spec is not None:
                specs.append((name, spec))
        if specs:
            self._specs[folder] = specs

    def ignored_by(self, path: Path, is_dir: bool) -> str:
        """The name of the ignore file that leaves ``path`` out, or ""."""
        if not self._specs:
            return ""
        for folder in path.parents:
            for name, spec in self._specs.get(folder, ()):
                rel = path.relative_to(folder).as_posix() + ("/" if is_dir else "")
                include = _last_match(spec, rel)
                if include is not None:  # matched: ignored, or re-included by a "!" pattern
                    return name if include else ""
        return ""


# pathspec's name for the "/" a folder pattern matches at ("build/" in "build/", or in "build/out.md": under it).
_DIR_MARK = "ps_d"


def _last_match(spec: object, rel: str) -> bool | None:
    """Whether the last pattern that matches ``rel`` itself ignores it (False: it takes it back; None: none
    matches), which is how git decides for each path its walk meets. The scan walks as git does, so a path
    under an ignored folder is never asked about, and a pattern that matches only a folder above ``rel`` has
    had its say there. GitIgnoreSpec.check_file answers for a path without the walk: it ranks such a folder
    match below any match of the path, which inverted git's answer once the walk had decided the folder ("*"
    beat "!*/", so "*, !*/, !*.md" left every subfolder out; "!a/**" beat a later "a/b/")."""
    verdict = None
    for pattern in spec.patterns:  # type: ignore[attr-defined]
        if pattern.include is None or pattern.regex is None:  # a blank line or a comment
            continue
        if _matches_itself(pattern.regex, rel):
            verdict = pattern.include
    return verdict


def _matches_itself(regex: "re.Pattern[str]", rel: str) -> bool:
    """Whether a pattern's regex matches ``rel`` (a folder's written "a/"), not only a folder above it. A folder
    pattern matches a folder at its closing "/" (finditer: "*/" is "(?P<ps_d>/)", any "/"); any pattern matches
    a folder by its name alone ("a/**" is "^a/", which "a/" holds, yet it means what is inside a, not a)."""
    if rel.endswith("/") and any(m.groupdict().get(_DIR_MARK) is not None and m.end(_DIR_MARK) == len(rel)
                                 for m in regex.finditer(rel)):
        return True
    return any(m.groupdict().get(_DIR_MARK) is None for m in regex.finditer(rel.rstrip("/")))


# A folder pattern ending in "/**/" ("c/**/", "a/**/b/**/"): git reads it as the folders inside (c/d, c/d/e), not
# the folder itself. pathspec compiles it as "c/", which left out c and everything in it (c/x.md, which git keeps).
_INSIDE_ONLY = re.compile(r"(?<=[^/])/\*\*/([ \t]*)$")


def _inside_only(line: str) -> str:
    """``line`` with a trailing "/**/" written as "/**/*/", which pathspec reads as git reads the first."""
    return line if line.startswith("#") else _INSIDE_ONLY.sub(r"/**/*/\1", line)


def _checkout_above(root: Path) -> list[Path]:
    """The folders above ``root`` up to the top of the git checkout holding it, top first ([] outside one)."""
    above = []
    for folder in root.parents:
        above.append(folder)
        if (folder / ".git").exists():
            return list(reversed(above))
    return []


def _spec(path: Path) -> object | None:
    try:
        text = decode(read_user_file(path, _MAX_IGNORE_BYTES))
    except (OSError, UnreadableFile):
        return None  # none there (the usual case), or not a file we can read: no patterns
    # Imported once a folder has an ignore file: at the top, a folder without one paid for the import (0.03 CPU-s)
    # in its scan, before the reading workers were started.
    import pathspec

    lines = [_inside_only(line) for line in text.splitlines()]
    try:
        return pathspec.GitIgnoreSpec.from_lines(lines)
    except Exception:  # one malformed pattern: keep the others, as git does
        good = []
        for line in lines:
            try:
                pathspec.GitIgnoreSpec.from_lines([line])
                good.append(line)
            except Exception:
                continue
        return pathspec.GitIgnoreSpec.from_lines(good)

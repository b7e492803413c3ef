"""A folder's ``.gitignore`` and ``.ignore`` files, honoured as git does (pathspec's GitIgnoreSpec).

Each file's patterns apply to the paths below its own folder, relative to it; a deeper file that
matches a path overrides a shallower one, and in one folder ``.ignore`` overrides ``.gitignore``
(as ripgrep reads them). When the indexed folder is inside a git checkout, the ignore files of the
folders above it, up to the checkout's top, count too. A path inside an ignored folder is never
looked at: git cannot re-include it either.
"""

from __future__ import annotations

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
                include = spec.check_file(rel).include  # type: ignore[attr-defined]
                if include is not None:  # matched: ignored, or re-included by a "!" pattern
                    return name if include else ""
        return ""


def _checkout_above(root: Path) -> list[Path]:
    """The folders above ``root`` up to the top of the git checkout holding it, top first ([] outside one)."""
    above = []
    for folder in root.parents:
        above.append(folder)
        if (folder / ".git").exists():
            return list(reversed(above))
    return []


def _spec(path: Path) -> object | None:
    import pathspec

    try:
        text = decode(read_user_file(path, _MAX_IGNORE_BYTES))
    except (OSError, UnreadableFile):
        return None  # none there (the usual case), or not a file we can read: no patterns
    lines = text.splitlines()
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

"""Which files of a folder to index: globs, excludes, and the default skips."""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path

from .errors import FolderError

DEFAULT_EXCLUDES = (".git", "node_modules", "__pycache__", ".ipynb_checkpoints", ".docchat")


def scan_folder(folder: Path, globs: list[str] | None = None, excludes: list[str] | None = None,
                skip_dirs: list[Path] | None = None) -> list[tuple[str, Path]]:
    """(relative posix path, absolute path) of every file to consider, sorted."""
    if not folder.exists():
        raise FolderError(f"folder not found: {folder}")
    if not folder.is_dir():
        raise FolderError(f"not a folder: {folder}")
    folder = folder.resolve()
    skip = {p.resolve() for p in skip_dirs or []}
    found: list[tuple[str, Path]] = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        here = Path(dirpath)
        dirnames[:] = sorted(
            d for d in dirnames
            if not d.startswith(".") and d not in DEFAULT_EXCLUDES and (here / d).resolve() not in skip
            and not _excluded(_rel(here / d, folder), excludes)
        )
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = here / name
            rel = _rel(path, folder)
            if globs and not any(fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(name, g) for g in globs):
                continue
            if _excluded(rel, excludes):
                continue
            if path.is_file():
                found.append((rel, path))
    return found


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _excluded(rel: str, excludes: list[str] | None) -> bool:
    if not excludes:
        return False
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(name, g) or rel.startswith(g.rstrip("/") + "/") for g in excludes)

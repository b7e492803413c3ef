"""Which files of a folder to index: globs, excludes, and the default skips."""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path

from jupyter_docchat.errors import FolderError

DEFAULT_EXCLUDES = (".git", "node_modules", "__pycache__", ".ipynb_checkpoints", ".docchat")


@dataclass
class Scan:
    files: list[tuple[str, Path]] = field(default_factory=list)  # (stored name, absolute path), sorted
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (stored name, why) of files left out


def scan_folder(folder: Path, globs: list[str] | None = None, excludes: list[str] | None = None,
                skip_dirs: list[Path] | None = None, follow_links: bool = False) -> Scan:
    """Every file to consider. Links that resolve outside ``folder`` are left out (and named)
    unless ``follow_links``: a link to ``/etc/passwd`` must not put it in a shareable store."""
    if not folder.exists():
        raise FolderError(f"folder not found: {folder}")
    if not folder.is_dir():
        raise FolderError(f"not a folder: {folder}")
    folder = folder.resolve()
    skip = {p.resolve() for p in skip_dirs or []}
    scan = Scan()
    seen_dirs = {folder}  # a folder link back up the tree would otherwise loop
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=True):
        here = Path(dirpath)
        kept = []
        for d in sorted(dirnames):
            path = here / d
            rel = _rel(path, folder)
            if d.startswith(".") or d in DEFAULT_EXCLUDES or _excluded(rel, excludes):
                continue
            target = path.resolve()
            if target in skip or target in seen_dirs:
                continue
            if path.is_symlink() and not follow_links and not _inside(target, folder):
                scan.skipped.append((rel + "/", "link outside the folder"))
                continue
            seen_dirs.add(target)
            kept.append(d)
        dirnames[:] = kept
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = here / name
            rel = _rel(path, folder)
            if globs and not any(fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(name, g) for g in globs):
                continue
            if _excluded(rel, excludes):
                continue
            if path.is_symlink() and not follow_links and not _inside(path.resolve(), folder):
                scan.skipped.append((rel, "link outside the folder"))
            elif path.is_file():
                scan.files.append((rel, path))
    return scan


def file_stamp(path: Path) -> tuple[int, int]:
    """(size, modification time in ns): what decides whether a file needs reading again. Raises OSError."""
    stat = path.stat()
    return (stat.st_size, stat.st_mtime_ns)


def _inside(target: Path, folder: Path) -> bool:
    return target == folder or folder in target.parents


def stored_name(rel: str) -> str:
    """A name SQLite and Chroma can store: names that are not valid UTF-8 (os.walk hands them over
    with lone surrogates) get their undecodable bytes as backslash escapes, the same every run."""
    try:
        rel.encode("utf-8")
        return rel
    except UnicodeEncodeError:
        return os.fsencode(rel).decode("utf-8", "backslashreplace")


def _rel(path: Path, root: Path) -> str:
    return stored_name(path.relative_to(root).as_posix())


def _excluded(rel: str, excludes: list[str] | None) -> bool:
    if not excludes:
        return False
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(name, g) or rel.startswith(g.rstrip("/") + "/") for g in excludes)

"""The benchmark corpora, installed with apt: the development set's Debian sqlite3-doc HTML and English
debian-handbook, and the held-out set's git-doc HTML (other real documents, never tuned on)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

SOURCES = {
    "sqlite": ("sqlite3-doc", Path("/usr/share/doc/sqlite3")),
    "handbook": ("debian-handbook", Path("/usr/share/doc/debian-handbook/html/en-US")),
    "git": ("git-doc", Path("/usr/share/doc/git-doc")),
}
CORPORA = {"dev": ("sqlite", "handbook"), "heldout": ("git",)}


def ensure_installed(names: tuple[str, ...] = tuple(SOURCES)) -> None:
    missing = [SOURCES[n][0] for n in names if not any(SOURCES[n][1].glob("*.html"))]
    if not missing:
        return
    if os.geteuid() != 0:
        raise SystemExit(f"install the corpus first: sudo apt-get install {' '.join(missing)}")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=True,
                   env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})


def build(target: Path, max_files: int = 0, corpus: str = "dev") -> Path:
    """Copy a corpus's HTML pages into ``target/<source>/`` (e.g. ``target/sqlite``, ``target/handbook``)."""
    names = CORPORA[corpus]
    ensure_installed(names)
    files = []
    for name in names:
        path = SOURCES[name][1]
        files += [(name, path, f) for f in sorted(path.rglob("*.html"))]
    if max_files:
        files = files[:: max(len(files) // max_files, 1)][:max_files]
    for name, root, src in files:
        dest = target / name / src.relative_to(root)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
    return target

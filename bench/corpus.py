"""The benchmark corpus: Debian's sqlite3-doc HTML and the English debian-handbook, installed with apt."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

SOURCES = {
    "sqlite": ("sqlite3-doc", Path("/usr/share/doc/sqlite3")),
    "handbook": ("debian-handbook", Path("/usr/share/doc/debian-handbook/html/en-US")),
}


def ensure_installed() -> None:
    missing = [pkg for pkg, path in SOURCES.values() if not any(path.glob("*.html"))]
    if not missing:
        return
    if os.geteuid() != 0:
        raise SystemExit(f"install the corpus first: sudo apt-get install {' '.join(missing)}")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=True,
                   env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})


def build(target: Path, max_files: int = 0) -> Path:
    """Copy the corpus's HTML pages into ``target/sqlite`` and ``target/handbook``."""
    ensure_installed()
    files = []
    for name, (_, path) in SOURCES.items():
        files += [(name, path, f) for f in sorted(path.rglob("*.html"))]
    if max_files:
        files = files[:: max(len(files) // max_files, 1)][:max_files]
    for name, root, src in files:
        dest = target / name / src.relative_to(root)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
    return target

"""The benchmark corpora, installed with apt: real documents of different shapes, one store each.

Development corpora (levers are tuned on these, and kept only if they lose on none):
  sqlite    Debian's sqlite3-doc HTML: a reference of many mid-sized pages;
  handbook  the English debian-handbook HTML: a book, long chapters split in sections;
  django    python-django-doc HTML: topic guides, a big reference and ~280 release notes
            ("what's new" pages that mention everything);
  latex     texlive-latex-base-doc PDFs (LaTeX's own guides and the LaTeX News issues): PDF only.
Held out (never tuned on): git, Debian's git-doc HTML. PostgreSQL's documentation is reserved for an
independent check and must never be used here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Callable

_DJANGO_SKIP = ("_modules/", "_static/", "_images/", "_sources/", "genindex", "py-modindex", "search.html")


def _django(rel: str) -> bool:
    return not any(part in rel for part in _DJANGO_SKIP)


def _latex(rel: str) -> bool:
    # The typeset source code (source2e, *-code) is thousands of pages of macros, not documentation.
    return rel != "source2e.pdf" and not rel.endswith("-code.pdf")


# name: (Debian package, folder, file pattern, filter on the path relative to the folder)
SOURCES: dict[str, tuple[str, Path, str, Callable[[str], bool]]] = {
    "sqlite": ("sqlite3-doc", Path("/usr/share/doc/sqlite3"), "*.html", lambda rel: True),
    "handbook": ("debian-handbook", Path("/usr/share/doc/debian-handbook/html/en-US"), "*.html", lambda rel: True),
    "django": ("python-django-doc", Path("/usr/share/doc/python-django-doc/html"), "*.html", _django),
    "latex": ("texlive-latex-base-doc", Path("/usr/share/doc/texlive-doc/latex/base"), "*.pdf", _latex),
    "git": ("git-doc", Path("/usr/share/doc/git-doc"), "*.html", lambda rel: True),
}
DEVELOPMENT = ("sqlite", "handbook", "django", "latex")
HELD_OUT = ("git",)
CORPORA = {name: (name,) for name in SOURCES} | {"dev": ("sqlite", "handbook"), "heldout": ("git",)}


def questions_file(corpus: str) -> Path:
    return Path(__file__).parent / "questions" / f"{corpus}.jsonl"


def ensure_installed(names: tuple[str, ...] = tuple(SOURCES)) -> None:
    missing = [SOURCES[n][0] for n in names if not any(SOURCES[n][1].rglob(SOURCES[n][2]))]
    if not missing:
        return
    if os.geteuid() != 0:
        raise SystemExit(f"install the corpus first: sudo apt-get install {' '.join(missing)}")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], check=True,
                   env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})


def source_files(name: str) -> list[Path]:
    _, root, pattern, keep = SOURCES[name]
    return [f for f in sorted(root.rglob(pattern)) if keep(f.relative_to(root).as_posix())]


def build(target: Path, max_files: int = 0, corpus: str = "dev") -> Path:
    """Copy a corpus's files into ``target/<source>/`` (e.g. ``target/sqlite``), as the questions name them."""
    names = CORPORA[corpus]
    ensure_installed(names)
    files = []
    for name in names:
        root = SOURCES[name][1]
        files += [(name, root, f) for f in source_files(name)]
    if max_files:
        files = files[:: max(len(files) // max_files, 1)][:max_files]
    for name, root, src in files:
        dest = target / name / src.relative_to(root)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
    return target

"""The benchmark corpora, installed with apt: real documents of different shapes, one store each.

Development corpora (levers are tuned on these, and kept only if they lose on none):
  sqlite    Debian's sqlite3-doc HTML: a reference of many mid-sized pages;
  handbook  the English debian-handbook HTML: a book, long chapters split in sections;
  django    python-django-doc HTML: topic guides, a big reference and ~280 release notes
            ("what's new" pages that mention everything);
  latex     texlive-latex-base-doc PDFs (LaTeX's own guides and the LaTeX News issues): PDF only.
Folder shapes users have, copied whole, junk included (the indexer's defaults must cope with it):
  sphinx    python-pytest-doc's Sphinx HTML build as Debian installs it: pages, _static/, _sources/,
            _modules/, searchindex.js, objects.inv, a compressed changelog.html.gz;
  sdist     click 8.1.7's sdist from PyPI, unpacked: a checkout with README, rst docs, code, tests, examples;
  mixed     a downloads folder: PDFs of several kinds (manuals, a paper, slides, reference cards) from
            Debian doc packages, and Markdown READMEs and guides from Debian packages and attrs 23.2.0's sdist.
Held out (never tuned on): git, Debian's git-doc HTML. PostgreSQL's documentation is reserved for an
independent check and must never be used here.
Held out whole (bench/questions/holdout/: no tuning half, every question a test question, written blind
from the documents; benches ask them only when named with --corpora):
  jinja     python-jinja2-doc's Sphinx HTML build as Debian installs it.
  mpich     mpich-doc's HTML man pages (a page per MPI function) as Debian installs them, _c twins, .htm stubs.
  nut       nut-doc (Network UPS Tools) as Debian installs it: DocBook HTML books cut in a page per section, the
            FAQ once more as one page, a PDF of each book, and the gzipped README, NEWS and changelogs.
  notebooks statsmodels 0.14.4's examples/notebooks from its sdist: a data scientist's folder of 77 Jupyter
            notebooks (Markdown and code cells, no outputs) and an image. Questions written during walk 27.
  pomegranate python-pomegranate-doc as Debian installs it: executed tutorial notebooks (gzipped, with their
            outputs), an older copy of most of them under old/, and the manual's reStructuredText sources.
            Questions written during walk 28, most answered only by a cell's output.
  pyswarms  python-pyswarms-doc's Sphinx HTML build as Debian installs it (under python3-pyswarms/html): nbsphinx
            pages of executed notebooks with the .ipynb.gz beside them, _sources twins (one notebook only there,
            its page a failed render), API pages, _modules/. Questions written blind to check notebook outputs.
  drf       python-djangorestframework-doc's MkDocs build as Debian installs it (under python3-djangorestframework/
            html): a page per folder (api-guide/fields/index.html), the whole text once more in
            search/search_index.json, a gzipped sitemap, images, fonts and scripts. Questions written blind.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Callable

DOWNLOADS = Path.home() / ".cache" / "docchat-bench" / "downloads"  # sdists, fetched once

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

# Pinned sdists: project -> (version, sha256 of the .tar.gz).
SDISTS = {
    "click": ("8.1.7", "ca9853ad459e787e2192211578cc907e7594e294c7ccc834310722b41b9ca6de"),
    "attrs": ("23.2.0", "935dc3b529c262f6cf76e50877d35a4bd3c1de194fd41f47a2b7ae8f19971f30"),
    "statsmodels": ("0.14.4", "5d69e0f39060dc72c067f9bb6e8033b6dccdb0bae101d76a7ef0bcc94e898b67"),
}

_TEXLIVE = "/usr/share/doc/texlive-doc/latex/"
# mixed: name in the folder -> (Debian package, the file it installs). A .gz is stored unpacked, as a
# user who downloaded the document would have it.
_MIXED_DEBIAN = {
    "glpk.pdf": ("glpk-doc", "/usr/share/doc/glpk-doc/glpk.pdf"),
    "gmpl.pdf": ("glpk-doc", "/usr/share/doc/glpk-doc/gmpl.pdf"),
    "cnfsat.pdf": ("glpk-doc", "/usr/share/doc/glpk-doc/cnfsat.pdf"),
    "tutorial.pdf": ("pari-doc", "/usr/share/pari/doc/tutorial.pdf"),
    "refcard.pdf": ("pari-doc", "/usr/share/pari/doc/refcard.pdf"),
    "parallel.pdf": ("pari-doc", "/usr/share/pari/doc/parallel.pdf"),
    "user.pdf": ("mpich-doc", "/usr/share/doc/mpich/user.pdf.gz"),
    "install.pdf": ("mpich-doc", "/usr/share/doc/mpich/install.pdf.gz"),
    "CAD.pdf": ("asymptote-doc", "/usr/share/doc/asymptote/CAD.pdf"),
    "asyRefCard.pdf": ("asymptote-doc", "/usr/share/doc/asymptote/asyRefCard.pdf"),
    "asy-latex.pdf": ("asymptote-doc", "/usr/share/doc/asymptote/asy-latex.pdf"),
    "debian-faq.en.pdf": ("debian-faq", "/usr/share/doc/debian/FAQ/debian-faq.en.pdf.gz"),
    "booktabs.pdf": ("texlive-latex-recommended-doc", _TEXLIVE + "booktabs/booktabs.pdf"),
    "beamerexample-conference-talk.pdf": ("texlive-latex-recommended-doc",
                                          _TEXLIVE + "beamer/beamerexample-conference-talk.pdf"),
    "setspace-doc.pdf": ("texlive-latex-recommended-doc", _TEXLIVE + "setspace/setspace-doc.pdf"),
    "microtype.pdf": ("texlive-latex-recommended-doc", _TEXLIVE + "microtype/microtype.pdf"),
    "siunitx.pdf": ("texlive-science-doc", _TEXLIVE + "siunitx/siunitx.pdf"),
    "turnstile_article.pdf": ("texlive-science-doc", _TEXLIVE + "turnstile/turnstile_article.pdf"),
    "BussGuide2.pdf": ("texlive-science-doc", _TEXLIVE + "bussproofs/BussGuide2.pdf"),
    **{f"git-lfs/{name}": ("git-lfs", f"/usr/share/doc/git-lfs/{name}{gz}") for name, gz in (
        ("README.md", ""), ("authentication.md", ""), ("basic-transfers.md", ""), ("batch.md", ".gz"),
        ("custom-transfers.md", ".gz"), ("extensions.md", ".gz"), ("l10n.md", ".gz"), ("linux-build.md", ""),
        ("locking.md", ".gz"), ("server-discovery.md", ""), ("spec.md", ".gz"))},
    **{f"zstd/{name}": ("zstd", f"/usr/share/doc/zstd/{name}{gz}") for name, gz in (
        ("README.md", ".gz"), ("CONTRIBUTING.md", ".gz"), ("TESTING.md", ""), ("CODE_OF_CONDUCT.md", ""))},
    "gorilla-mux/README.md": ("golang-github-gorilla-mux-dev",
                              "/usr/share/doc/golang-github-gorilla-mux-dev/README.md.gz"),
    "logrus/README.md": ("golang-github-sirupsen-logrus-dev",
                         "/usr/share/doc/golang-github-sirupsen-logrus-dev/README.md.gz"),
    "latex-notes/siunitx-CHANGELOG.md": ("texlive-science-doc", _TEXLIVE + "siunitx/CHANGELOG.md.gz"),
    "latex-notes/proof-at-the-end-README.md": ("texlive-science-doc",
                                               _TEXLIVE + "proof-at-the-end/README.md.gz"),
    "latex-notes/physunits-README.md": ("texlive-science-doc", _TEXLIVE + "physunits/README.md"),
    "latex-notes/microtype-README.md": ("texlive-latex-recommended-doc", _TEXLIVE + "microtype/README.md"),
    "latex-notes/fontspec-CHANGES.md": ("texlive-latex-recommended-doc", _TEXLIVE + "fontspec/CHANGES.md.gz"),
    "latex-notes/unicode-math-CHANGES.md": ("texlive-latex-recommended-doc",
                                            _TEXLIVE + "unicode-math/CHANGES.md.gz"),
}
# mixed: folder in it -> (sdist, the Markdown files taken from it)
_MIXED_SDIST = {"attrs": ("attrs", ("README.md", "CHANGELOG.md", "docs/*.md"))}


def sdist_folder(project: str) -> Path:
    """The pinned sdist of ``project``, unpacked under DOWNLOADS; fetched with pip and checked the first time."""
    version, sha256 = SDISTS[project]
    folder = DOWNLOADS / f"{project}-{version}"
    if folder.is_dir():
        return folder
    archive = DOWNLOADS / f"{project}-{version}.tar.gz"
    if not archive.exists():
        DOWNLOADS.mkdir(parents=True, exist_ok=True)
        fetched = subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary",
                                  ":all:", f"{project}=={version}", "--dest", str(DOWNLOADS)], capture_output=True)
        if fetched.returncode or not archive.exists():
            _fetch_from_index(project, archive)  # pip prepares an sdist before it keeps it: statsmodels' needs a compiler
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    if digest != sha256:
        raise SystemExit(f"{archive}: sha256 {digest}, expected {sha256}")
    # Unpacked beside the target and renamed, so an interrupted run never leaves half a folder behind.
    with tempfile.TemporaryDirectory(dir=DOWNLOADS) as tmp, tarfile.open(archive) as tar:
        tar.extractall(tmp, filter="data")
        (Path(tmp) / folder.name).rename(folder)
    return folder


def _fetch_from_index(project: str, archive: Path) -> None:
    """``archive`` as PyPI's simple index links it (its sha256 is checked by the caller)."""
    import re
    import urllib.request

    with urllib.request.urlopen(f"https://pypi.org/simple/{project}/", timeout=60) as page:
        links = re.findall(r'href="([^"#]+)', page.read().decode())
    url = next((link for link in links if link.endswith("/" + archive.name)), None)
    if url is None:
        raise SystemExit(f"{archive.name} is not on PyPI's index of {project}")
    part = archive.with_name(archive.name + ".part")
    with urllib.request.urlopen(url, timeout=300) as response, open(part, "wb") as out:
        out.write(response.read())
    part.rename(archive)


def _tree(root: Path) -> list[tuple[str, Path]]:
    return [(f.relative_to(root).as_posix(), f) for f in sorted(root.rglob("*")) if f.is_file()]


def _mixed() -> list[tuple[str, Path]]:
    files = [(name, Path(src)) for name, (_, src) in _MIXED_DEBIAN.items()]
    for folder, (project, patterns) in _MIXED_SDIST.items():
        root = sdist_folder(project)
        files += [(f"{folder}/{f.relative_to(root).as_posix()}", f)
                  for pattern in patterns for f in sorted(root.glob(pattern))]
    return sorted(files)


# name: (Debian packages, sdists, every file as (name in the corpus, file on disk))
FOLDERS: dict[str, tuple[tuple[str, ...], tuple[str, ...], Callable[[], list[tuple[str, Path]]]]] = {
    "sphinx": (("python-pytest-doc",), (), lambda: _tree(Path("/usr/share/doc/python-pytest-doc/html"))),
    "sdist": ((), ("click",), lambda: _tree(sdist_folder("click"))),
    "mixed": (tuple(sorted({package for package, _ in _MIXED_DEBIAN.values()})), ("attrs",), _mixed),
}
# Held out whole: bench/questions/holdout/NAME.jsonl, never split into halves (see halves.py).
HOLDOUT: dict[str, tuple[tuple[str, ...], tuple[str, ...], Callable[[], list[tuple[str, Path]]]]] = {
    "jinja": (("python-jinja2-doc",), (), lambda: _tree(Path("/usr/share/doc/python-jinja2-doc/html"))),
    "mpich": (("mpich-doc",), (), lambda: _tree(Path("/usr/share/doc/mpich-doc/html"))),
    "nut": (("nut-doc",), (), lambda: _tree(Path("/usr/share/doc/nut-doc"))),
    "notebooks": ((), ("statsmodels",), lambda: _tree(sdist_folder("statsmodels") / "examples" / "notebooks")),
    "pomegranate": (("python-pomegranate-doc",), (), lambda: _tree(Path("/usr/share/doc/python-pomegranate-doc"))),
    # The package's own doc folder holds only its changelog; the manual is installed under python3-pyswarms.
    "pyswarms": (("python-pyswarms-doc",), (), lambda: _tree(Path("/usr/share/doc/python3-pyswarms/html"))),
    # The same split: the doc package's folder holds its changelog, the MkDocs site is under python3-djangorestframework.
    "drf": (("python-djangorestframework-doc",), (),
            lambda: _tree(Path("/usr/share/doc/python3-djangorestframework/html"))),
}
SHAPES = tuple(FOLDERS)
DEVELOPMENT = ("sqlite", "handbook", "django", "latex", *SHAPES)
HELD_OUT = ("git",)
FOLDERS.update(HOLDOUT)
CORPORA = {name: (name,) for name in [*SOURCES, *FOLDERS]} | {"dev": ("sqlite", "handbook"), "heldout": ("git",)}


def questions_file(corpus: str) -> Path:
    folder = Path(__file__).parent / "questions"
    return folder / "holdout" / f"{corpus}.jsonl" if corpus in HOLDOUT else folder / f"{corpus}.jsonl"


def ensure_installed(names: tuple[str, ...] = tuple(SOURCES)) -> None:
    missing = [SOURCES[n][0] for n in names if n in SOURCES and not any(SOURCES[n][1].rglob(SOURCES[n][2]))]
    missing += sorted({package for n in names if n in FOLDERS for package in FOLDERS[n][0]
                       if not Path(f"/usr/share/doc/{package}").is_dir()})
    if missing:
        if os.geteuid() != 0:
            raise SystemExit(f"install the corpus first: sudo apt-get install {' '.join(missing)}")
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], check=True,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    for project in sorted({project for n in names if n in FOLDERS for project in FOLDERS[n][1]}):
        sdist_folder(project)


def source_files(name: str) -> list[Path]:
    _, root, pattern, keep = SOURCES[name]
    return [f for f in sorted(root.rglob(pattern)) if keep(f.relative_to(root).as_posix())]


def corpus_files(name: str) -> list[tuple[str, Path]]:
    """Every file of a corpus as (its path inside the corpus folder, the file on disk it comes from)."""
    if name in FOLDERS:
        return FOLDERS[name][2]()
    root = SOURCES[name][1]
    return [(f.relative_to(root).as_posix(), f) for f in source_files(name)]


def corpus_bytes(rel: str, src: Path) -> bytes:
    """The bytes of a corpus file as the corpus holds it (a Debian-compressed ``.gz`` source unpacked)."""
    data = src.read_bytes()
    return gzip.decompress(data) if src.suffix == ".gz" and not rel.endswith(".gz") else data


def build(target: Path, max_files: int = 0, corpus: str = "dev") -> Path:
    """Copy a corpus's files into ``target/<source>/`` (e.g. ``target/sqlite``), as the questions name them."""
    names = CORPORA[corpus]
    ensure_installed(names)
    files = [(name, rel, src) for name in names for rel, src in corpus_files(name)]
    if max_files:
        files = files[:: max(len(files) // max_files, 1)][:max_files]
    for name, rel, src in files:
        dest = target / name / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(corpus_bytes(rel, src))
    return target

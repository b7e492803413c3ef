"""Walk 40: a project's docs written in AsciiDoc, as packages ship them: pages of the AsciiDoc Language documentation
(an Antora component: antora.yml, a nav file, modules/*/pages/*.adoc; vendored in the asciidoctrine sdist on PyPI),
asciidoctest's getting-started guide (its sdist's docs/), Asciidoctor's syntax reference and Asciidoctor PDF's README
as Debian installs them (ruby-asciidoctor, ruby-asciidoctor-pdf: the README gzipped). The questions were written
before the first run.

    python bench/adoc_walk.py make [--folder DIR]   # needs pip and apt-get (PyPI's sdists, Debian's packages)
    python bench/adoc_walk.py ask [--folder DIR]    # a fresh store, each question asked offline (bench/walk_ask.py)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import walk_ask  # noqa: E402

FOLDER = Path.home() / ".cache/docchat-bench/adoc/folder"

# sdist -> {path in the sdist: path in the folder}
_LANG = "asciidoctrine-0.2.0a8/vendor/asciidoc-lang/docs/"
SDISTS = {
    "asciidoctrine==0.2.0a8": {
        _LANG + "antora.yml": "asciidoc-lang/antora.yml",
        **{_LANG + f"modules/{page}": f"asciidoc-lang/modules/{page}" for page in (
            "ROOT/nav-top.adoc", "ROOT/pages/faq.adoc", "tables/pages/table-ref.adoc", "tables/pages/span-cells.adoc",
            "lists/pages/checklist.adoc", "verbatim/pages/callouts.adoc", "attributes/pages/unset-attributes.adoc",
            "attributes/pages/counters.adoc")},
    },
    "asciidoctest==0.2.0a6": {"asciidoctest-0.2.0a6/docs/getting-started.adoc": "asciidoctest/getting-started.adoc"},
}
# Debian package -> {installed path: path in the folder}
DEBS = {
    "ruby-asciidoctor": {"usr/share/ruby-asciidoctor/reference/syntax.adoc": "asciidoctor/syntax.adoc"},
    "ruby-asciidoctor-pdf": {"usr/share/doc/ruby-asciidoctor-pdf/README.adoc.gz": "asciidoctor-pdf/README.adoc.gz"},
}

QUESTIONS = [
    ("What Ruby version does Asciidoctor PDF need?", ["2.7"], "asciidoctor-pdf/README.adoc.gz"),
    ("How do I install a prerelease of asciidoctor-pdf?", ["--pre"], "asciidoctor-pdf/README.adoc.gz"),
    ("What is the proposed media type for AsciiDoc?", ["text/asciidoc"], "asciidoc-lang/modules/ROOT/pages/faq.adoc"),
    ("How do I unset a document attribute?", ["bang"], "asciidoc-lang/modules/attributes/pages/unset-attributes.adoc"),
    ("What does the csv data format of a table mean?", ["comma"],
     "asciidoc-lang/modules/tables/pages/table-ref.adoc"),
    ("Where must a callout number be placed?", ["end of the line"],
     "asciidoc-lang/modules/verbatim/pages/callouts.adoc"),
    ("How do I make checklist checkboxes clickable?", ["interactive"],
     "asciidoc-lang/modules/lists/pages/checklist.adoc"),
    ("How do I configure asciidoctest in pytest.ini?", ["asciidoctest_mode"], "asciidoctest/getting-started.adoc"),
]


def make(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    with tempfile.TemporaryDirectory() as work:
        for spec, members in SDISTS.items():
            subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "-q", "-d",
                            work, spec], check=True)
            name, version = spec.split("==")
            sdist = next(Path(work).glob(f"{name.replace('-', '_')}-{version}.tar.gz"),
                         Path(work) / f"{name}-{version}.tar.gz")
            with tarfile.open(sdist) as tar:
                for member, rel in members.items():
                    _write(folder / rel, tar.extractfile(member).read())  # type: ignore[union-attr]
        for package, files in DEBS.items():
            subprocess.run(["apt-get", "download", "-q", package], check=True, cwd=work, capture_output=True)
            deb = next(Path(work).glob(f"{package}_*.deb"))
            unpacked = Path(work) / package
            subprocess.run(["dpkg-deb", "-x", str(deb), str(unpacked)], check=True)
            for installed, rel in files.items():
                _write(folder / rel, (unpacked / installed).read_bytes())
    print(f"{sum(1 for p in folder.rglob('*') if p.is_file())} files in {folder}")


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


if __name__ == "__main__":
    walk_ask.main(__doc__, FOLDER, make, QUESTIONS)

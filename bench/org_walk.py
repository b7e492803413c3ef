"""Walk 40: Emacs Org-mode files as researchers keep them: the .org documentation Debian's Emacs packages ship (org-drill's
manual, org-appear's, org-tree-slide's, org-make-toc's README and example, ivy's help, websocket's README, org-ruby's
README), a course in Org from a PyPI sdist (jupytorg's OpenMP course, literate C with its results) and one of orgparse's
test files (a logbook), beside a student's lab notebook and reading notes written here as a student writes them (TODO
items with deadlines, drawers, code with #+RESULTS:, tables, footnotes). The questions were written before the first run.

    python bench/org_walk.py make [--folder DIR]     # apt-get download / pip download, unpacked into DIR
    python bench/org_walk.py ask [--folder DIR]      # a fresh store, each question asked offline (bench/walk_ask.py)
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

FOLDER = Path.home() / ".cache/docchat-bench/org/folder"

# Debian package -> its .org files, as installed (gzipped ones stay gzipped: docchat reads NAME.org.gz as NAME.org).
DEBIAN = {
    "elpa-org-drill": ["usr/share/doc/elpa-org-drill/org-drill.org.gz"],
    "elpa-org-appear": ["usr/share/doc/elpa-org-appear/README.org"],
    "elpa-org-tree-slide": ["usr/share/doc/elpa-org-tree-slide/README.org.gz"],
    "elpa-org-make-toc": ["usr/share/doc/elpa-org-make-toc/README.org.gz",
                          "usr/share/doc/elpa-org-make-toc/example.org.gz"],
    "elpa-ivy": ["usr/share/emacs/site-lisp/elpa-src/ivy-0.13.4/ivy-help.org"],
    "elpa-websocket": ["usr/share/doc/elpa-websocket/README.org"],
    "ruby-org": ["usr/share/doc/ruby-org/README.org.gz"],
}
# PyPI sdist -> its .org files.
PYPI = {
    "jupytorg==0.2.5": ["jupytorg-0.2.5/jupytorg/newcourse.org"],
    "orgparse==0.5.20260926": ["orgparse-0.5.20260926/src/orgparse/tests/data/04_logbook.org"],
}

NOTES = {
    "notes/lab-notebook.org": """#+TITLE: Spectrometer lab notebook
#+AUTHOR: Aiko Sato
#+STARTUP: overview
#+OPTIONS: toc:nil num:nil
#+TODO: TODO WAITING | DONE CANCELLED

# Private: nothing below this comment line is for the group wiki.

* TODO [#A] Order the bandpass filters [1/3]                    :lab:purchase:
  DEADLINE: <2024-05-01 Wed> SCHEDULED: <2024-04-22 Mon>
  :PROPERTIES:
  :VENDOR:   Thorlabs
  :END:
  - [X] ask Tom which filter holder fits the 25 mm mount
  - [ ] get a quote for FB600-10 and FB650-10
  - [ ] send the order to purchasing (cost centre =4471-OPT=)

* DONE Wavelength calibration                                     :lab:
  CLOSED: [2024-04-03 Wed 16:20]
  :LOGBOOK:
  CLOCK: [2024-04-03 Wed 14:00]--[2024-04-03 Wed 16:20] =>  2:20
  :END:
Lamp exposures, taken with the slit at 25 µm:

| Lamp  | Line (nm) | Exposure (s) |
|-------+-----------+--------------|
| neon  |    585.25 |          0.5 |
| neon  |    640.22 |          0.5 |
|-------+-----------+--------------|
| argon |    696.54 |          2.0 |
| argon |    763.51 |          1.5 |

The fit maps pixel to wavelength with a /second-order/ polynomial[fn:1]:

#+NAME: fit
#+BEGIN_SRC python :results output :exports both
import numpy as np
pixels = np.array([112.4, 388.0, 671.9, 950.2])
lines = np.array([585.25, 640.22, 696.54, 763.51])
coef = np.polyfit(pixels, lines, 2)
print("rms residual:", round(float(np.std(lines - np.polyval(coef, pixels))), 3), "nm")
#+END_SRC

#+RESULTS: fit
: rms residual: 0.031 nm

#+BEGIN_NOTE
Refocus the collimator if the *rms residual* goes above 0.05 nm.
#+END_NOTE

* WAITING Cryostat service                                        :cryo:
  SCHEDULED: <2024-05-13 Mon>
The turbo pump of the cryostat is due for its 2,000-hour service; see [[file:cryostat.org::*Service log][the service log]].
#+BEGIN_COMMENT
Ask Tom whether the old pump can go to the teaching lab.
#+END_COMMENT

* Footnotes
[fn:1] A third-order fit over-fits four lines: it passes through every point.
""",
    "notes/reading-notes.org": """#+TITLE: Reading notes
#+FILETAGS: :reading:

* Vaswani et al. 2017, Attention Is All You Need                  :transformers:
  :PROPERTIES:
  :CUSTOM_ID: vaswani2017
  :YEAR:     2017
  :END:
** Summary
The /Transformer/ drops recurrence and convolution altogether: an encoder and a decoder each of *6 layers*,
built from multi-head self-attention and position-wise feed-forward layers.

#+BEGIN_QUOTE
We propose a new simple network architecture, the Transformer, based solely on attention mechanisms.
#+END_QUOTE

** Key numbers
| Model | d_model | heads | d_ff | BLEU EN-DE |
|-------+---------+-------+------+------------|
| base  |     512 |     8 | 2048 |       27.3 |
| big   |    1024 |    16 | 4096 |       28.4 |

** Questions for journal club
- Why scale the dot products by 1/sqrt(d_k)? They say large dot products push the softmax into regions of
  ~extremely small gradients~.
- Does the sinusoidal positional encoding extrapolate to longer sequences than seen in training?

* TODO Read Devlin et al. 2019 (BERT)                              :transformers:
  DEADLINE: <2024-05-08 Wed>
Masked language modelling: 15 % of the tokens are chosen for prediction.
""",
}

QUESTIONS = [
    ("How many times must an item be failed before org-drill calls it a leech?", ["15"],
     "elpa-org-drill/org-drill.org.gz"),
    ("How do I turn on org-appear automatically when Org mode starts?", ["org-appear-mode"],
     "elpa-org-appear/README.org"),
    ("How do I install org-ruby?", ["gem install org-ruby"], "ruby-org/README.org.gz"),
    ("Which key pops up the ivy generic help buffer?", ["C-h m"], "ivy-help.org"),
    ("When is the deadline for ordering the bandpass filters?", ["2024-05-01"], "notes/lab-notebook.org"),
    ("What rms residual did the wavelength calibration fit give?", ["0.031"], "notes/lab-notebook.org"),
    ("What exposure time was used for the argon 696.54 nm line?", ["2.0"], "notes/lab-notebook.org"),
    ("How many attention heads does the base Transformer use?", ["8"], "notes/reading-notes.org"),
]


def make(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as work:
        here = Path(work)
        subprocess.run(["apt-get", "download", *DEBIAN], cwd=here, check=True, capture_output=True)
        for package, files in DEBIAN.items():
            deb = next(here.glob(f"{package}_*.deb"))
            unpacked = here / package
            subprocess.run(["dpkg-deb", "-x", str(deb), str(unpacked)], check=True)
            for rel in files:
                _copy(unpacked / rel, folder / package / Path(rel).name)
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "-d", work,
                        *PYPI], check=True, capture_output=True)
        for requirement, files in PYPI.items():
            name = requirement.split("==")[0]
            with tarfile.open(next(here.glob(f"{name}-*.tar.gz"))) as sdist:
                for rel in files:
                    member = sdist.extractfile(rel)
                    assert member is not None, rel
                    target = folder / name / Path(rel).name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(member.read())
    for rel, text in NOTES.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    print(f"{sum(1 for p in folder.rglob('*') if p.is_file())} files in {folder}")


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


if __name__ == "__main__":
    walk_ask.main(__doc__, FOLDER, make, QUESTIONS)

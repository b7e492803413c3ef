"""Walk 40: a folder of manual pages, as a system or a project keeps them: gzipped roff under man1/, man5/, man8/
(`man(7)` pages written by hand, by help2man, by Pod::Man, by DocBook's stylesheets, by Ronn and by curl's own
generator; `mdoc(7)` pages from OpenBSD's tools: ssh, tmux), and a project's own page uncompressed. The pages come
from the Debian packages installed on the machine (gzip, tar, grep, sed, findutils, coreutils, openssh-client, tmux,
curl, jq, make, mount, apt, openssl); the questions were written before the first run, each checked against
`man`'s own rendering of its page.

    python bench/man_walk.py make [--folder DIR]
    python bench/man_walk.py ask [--folder DIR]     # a fresh store, each question asked offline (bench/walk_ask.py)
"""

from __future__ import annotations

import gzip
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import walk_ask  # noqa: E402

FOLDER = Path.home() / ".cache/docchat-bench/man/folder"
SYSTEM = Path("/usr/share/man")
PAGES = ["man1/gzip.1.gz", "man1/tar.1.gz", "man1/grep.1.gz", "man1/sed.1.gz", "man1/find.1.gz", "man1/xargs.1.gz",
         "man1/sort.1.gz", "man1/ssh.1.gz", "man5/ssh_config.5.gz", "man1/tmux.1.gz", "man1/curl.1.gz",
         "man5/fstab.5.gz", "man1/make.1.gz", "man1/jq.1.gz", "man8/apt-get.8.gz", "man1/openssl-passwd.1ssl.gz"]
# A project's own page, as it ships one uncompressed beside its code (doc/NAME.1), written as man(7) pages are by hand.
PROJECT_PAGE = r""".\" Manual page for specfit, written by hand.
.TH SPECFIT 1 "March 2024" "specfit 0.4" "User Commands"
.SH NAME
specfit \- fit emission lines in a calibrated spectrum
.SH SYNOPSIS
.B specfit
[\fB\-\-model\fR \fIMODEL\fR]
[\fB\-\-window\fR \fINM\fR]
.I spectrum.csv
.SH DESCRIPTION
.B specfit
reads a calibrated spectrum (wavelength in nm, counts) and fits every line above the noise floor.
The noise floor is estimated from the median absolute deviation of the continuum.
.SH OPTIONS
.TP
.BR \-m ", " \-\-model =\fIMODEL\fR
Line profile to fit: \fBgauss\fR, \fBlorentz\fR or \fBvoigt\fR (the default).
.TP
.BR \-w ", " \-\-window =\fINM\fR
Half width of the fitting window around each line, in nanometres (default 2.5).
.TP
.B \-\-no\-baseline
Do not subtract a linear baseline before fitting.
.SH FILES
.TP
.I ~/.config/specfit/lines.toml
Reference line list; the neon and argon lines are used when it is missing.
.SH BUGS
Blended lines closer than 0.1 nm are fitted as one.
.SH SEE ALSO
.BR specplot (1)
"""

QUESTIONS: list[walk_ask.Question] = [
    ("How do I keep the original file when compressing with gzip?", ["--keep"], "man1/gzip.1.gz"),
    ("Which gzip option gives the fastest compression?", ["--fast"], "man1/gzip.1.gz"),
    ("How do I list the contents of a tar archive?", ["--list"], "man1/tar.1.gz"),
    ("How do I extract a tar archive into another directory?", ["--directory"], "man1/tar.1.gz"),
    ("How can grep print only the names of the files that match?", ["--files-with-matches"], "man1/grep.1.gz"),
    ("How do I make grep ignore case?", ["--ignore-case"], "man1/grep.1.gz"),
    ("How do I edit a file in place with sed?", ["--in-place"], "man1/sed.1.gz"),
    ("How do I find files modified in the last 7 days?", ["-mtime"], "man1/find.1.gz"),
    ("How does xargs cope with file names that contain spaces?", ["--null"], "man1/xargs.1.gz"),
    ("How do I sort lines by their numeric value?", ["--numeric-sort"], "man1/sort.1.gz"),
    ("How do I forward a local port to a remote host with ssh?", ["-L"], "man1/ssh.1.gz"),
    ("What does ServerAliveInterval do?", ["seconds", "server"], "man5/ssh_config.5.gz"),
    ("How do I split a tmux pane side by side?", ["-h"], "man1/tmux.1.gz"),
    ("How do I make curl follow redirects?", ["--location"], "man1/curl.1.gz"),
    ("What does the sixth field of fstab mean?", ["fsck"], "man5/fstab.5.gz"),
    ("How do I run make with several jobs at once?", ["--jobs"], "man1/make.1.gz"),
    ("How do I get jq to print strings without quotes?", ["--raw-output"], "man1/jq.1.gz"),
    ("How do I download a source package with apt-get?", ["source"], "man8/apt-get.8.gz"),
    ("Which algorithm does openssl passwd use with -6?", ["SHA512"], "man1/openssl-passwd.1ssl.gz"),
    ("Which line profiles can specfit fit?", ["gauss", "lorentz", "voigt"], "doc/specfit.1"),
    ("How is specfit's noise floor estimated?", ["median absolute deviation"], "doc/specfit.1"),
]


def make(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    for rel in PAGES:
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SYSTEM / rel, folder / rel)
    (folder / "doc").mkdir()
    (folder / "doc/specfit.1").write_text(PROJECT_PAGE, encoding="utf-8")
    size = sum(len(gzip.decompress(p.read_bytes())) if p.suffix == ".gz" else p.stat().st_size
               for p in folder.rglob("*") if p.is_file())
    print(f"{sum(1 for p in folder.rglob('*') if p.is_file())} pages in {folder}, {size / 1e6:.1f} MB of roff")


if __name__ == "__main__":
    walk_ask.main(__doc__, FOLDER, make, QUESTIONS)

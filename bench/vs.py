"""Another commit's figures beside this version's, from the same run: ``--vs REV`` of the benches.

The bench script of the working tree runs each corpus in a child process (``--emit FILE``), once with
this version's package and once with REV's: that child's PYTHONPATH is REV's package, unpacked with
``git archive REV jupyter_docchat docchat.py`` into a temporary folder. Both run on the same question
files, each on a store its own readers made (bench/stores.py keys stores by the format the package
states, and builds a missing one). Each child writes what each question scored; the parent sums both
up with the same code. REV's per-question results are cached under DIR/vs/, keyed by REV's commit,
the corpus, the question file's bytes, REV's store format and the bench scripts' own text, so asking
the same comparison again costs nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent


def git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True, check=True).stdout.strip()


def default_rev() -> str:
    """The commit before this version: HEAD when the package has uncommitted changes, else HEAD's parent."""
    dirty = git("status", "--porcelain", "--", "jupyter_docchat", "docchat.py")
    return "HEAD" if dirty else "HEAD~1"


@dataclass
class Other:
    """Another commit's package, unpacked in a temporary folder for child processes to import."""

    rev: str
    sha: str
    package: Path
    fmt: str = ""
    cached: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        return self.sha[:7]

    def describe(self) -> str:
        return f"{self.sha[:7]} ({self.rev}: {git('log', '-1', '--format=%s', self.sha)[:70]})"

    def env(self) -> dict[str, str]:
        return {**os.environ, "PYTHONPATH": str(self.package)}

    def close(self) -> None:
        shutil.rmtree(self.package, ignore_errors=True)


def checkout(rev: str) -> Other:
    try:
        sha = git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    except subprocess.CalledProcessError:
        raise SystemExit(f"--vs {rev}: no such commit") from None
    package = Path(tempfile.mkdtemp(prefix=f"docchat-vs-{sha[:7]}-"))
    archive = subprocess.run(["git", "-C", str(REPO), "archive", sha, "jupyter_docchat", "docchat.py"],
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(package)], input=archive, check=True)
    other = Other(rev, sha, package)
    other.fmt = subprocess.run([sys.executable, str(BENCH / "stores.py"), "--format"], env=other.env(),
                               capture_output=True, text=True, check=True).stdout.strip()
    return other


def _bench_code() -> str:
    digest = hashlib.sha256()
    for path in sorted(BENCH.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def child(script: str, corpus: str, root: Path, args: list[str], package: Path,
          env: dict[str, str] | None = None, cwd: Path | None = None) -> dict:
    """Run ``script --emit`` on one corpus in a fresh process that imports the package in ``package``."""
    with tempfile.TemporaryDirectory(prefix="docchat-emit-") as tmp:
        out = Path(tmp) / "emit.json"
        subprocess.run([sys.executable, str(BENCH / script), "--emit", str(out), "--corpora", corpus,
                        "--root", str(root.resolve()), *args], env=env, cwd=cwd, check=True)
        emitted = json.loads(out.read_text())
    if not Path(emitted["package"]).resolve().is_relative_to(package.resolve()):
        raise SystemExit(f"the child run imported {emitted['package']}, not the package in {package}: "
                         "is jupyter_docchat installed in a way that outranks PYTHONPATH?")
    return emitted


def here(script: str, corpus: str, root: Path, args: list[str] = ()) -> dict:
    """What each question of ``corpus`` scored with this version, in a fresh process as ``results`` runs REV's.

    Both sides run one corpus per process on all its questions in file order: a search can depend on what
    the process embedded before (ONNX's arithmetic: one question of handbook's test half ranks its file
    first or second that way), and a comparison should differ by the code alone.
    """
    import jupyter_docchat

    return child(script, corpus, root, list(args), Path(jupyter_docchat.__file__).parent)


def results(other: Other, script: str, corpus: str, questions: Path, root: Path, args: list[str] = ()) -> dict:
    """What each question of ``corpus`` scored with ``other``'s package: the child's ``--emit`` output, or its cache."""
    key = hashlib.sha256(json.dumps([other.sha, corpus, hashlib.sha256(questions.read_bytes()).hexdigest(),
                                     other.fmt, _bench_code(), list(args)]).encode()).hexdigest()
    cache = root / "vs" / f"{Path(script).stem}-{other.sha[:12]}-{corpus}-{key[:16]}.json"
    if cache.exists():
        other.cached.add(corpus)
        return json.loads(cache.read_text())
    print(f"{corpus}: running {Path(script).name} on {other.label}'s package (store format {other.fmt})", flush=True)
    emitted = child(script, corpus, root, list(args), other.package, env=other.env(), cwd=other.package)
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps(emitted))
    return emitted


def emit(path: Path, corpora: dict[str, object]) -> None:
    """Write a child run's per-question results for the parent (``--emit``)."""
    import jupyter_docchat
    from stores import package_format

    path.write_text(json.dumps({"package": str(Path(jupyter_docchat.__file__).parent), "format": package_format(),
                                "corpora": corpora}))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--vs", default=None, metavar="REV",
                        help="the commit whose figures are printed beside this version's (default: the parent "
                             "commit, or HEAD when the package has uncommitted changes; 'none' for no comparison)")
    parser.add_argument("--emit", type=Path, help=argparse.SUPPRESS)  # the child run of another commit


def open_other(vs: str | None, emitting: bool) -> Other | None:
    if emitting or (vs or "").lower() == "none":
        return None
    other = checkout(vs or default_rev())
    print(f"beside each figure: {other.describe()}, on the same questions and its own store format {other.fmt}",
          flush=True)
    return other

"""Walk 36: two API references of generators the bench had not met, as Debian installs them: Javadoc
(libargparse4j-java-doc) and YARD (ruby-mocha-doc, a Ruby gem's). Questions written before the first run.

    python bench/api_walk.py make [--folder DIR]    # apt-get download + dpkg -x of both packages
    python bench/api_walk.py ask [--folder DIR]     # a fresh store, each question asked offline (bench/walk_ask.py)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import walk_ask  # noqa: E402

FOLDER = Path.home() / ".cache/docchat-bench/walk36/folder"
PACKAGES = {"libargparse4j-java-doc": "libargparse4j-java", "ruby-mocha-doc": "ruby-mocha"}

QUESTIONS = [
    ("How do I make a stubbed method return different values on consecutive calls?", ["returns", "then"], "Expectation.html"),
    ("How do I make a stub raise an exception?", ["raises"], "Expectation.html"),
    ("How do I expect a method to be called exactly twice?", ["twice"], "Expectation.html"),
    ("How do I check that methods are invoked in a particular order?", ["sequence"], "API.html"),
    ("Which parameter matcher matches any value?", ["anything"], "ParameterMatchers.html"),
    ("How do I stop people from stubbing methods that do not exist?", ["stubbing_non_existent_method"],
     "Configuration.html"),
    ("How do I use Mocha with Minitest?", ["mocha/minitest"], "file.README.html"),
    ("What license is Mocha under?", ["MIT"], "file.README.html"),
    ("How do I create a new ArgumentParser?", ["ArgumentParsers.newArgumentParser"], "ArgumentParsers.html"),
    ("How do I make an argument count how many times a flag is given?", ["count()"], "Arguments.html"),
    ("Which action stores true when the flag is given?", ["storeTrue"], "Arguments.html"),
    ("How do I restrict an argument's values to a range?", ["range"], "Arguments.html"),
    ("How do I add sub-commands?", ["addSubparsers"], "ArgumentParser.html"),
    ("How do I get the parsed value of an argument?", ["Namespace", "get"], "Namespace.html"),
    ("What exception is thrown when the arguments are invalid?", ["ArgumentParserException"], "ArgumentParser.html"),
    ("How do I make two options mutually exclusive?", ["addMutuallyExclusiveGroup"], "ArgumentParser.html"),
]


def make(folder: Path) -> None:
    with tempfile.TemporaryDirectory() as work:
        subprocess.run(["apt-get", "download", *PACKAGES], cwd=work, check=True)
        for deb in Path(work).glob("*.deb"):
            subprocess.run(["dpkg", "-x", str(deb), str(Path(work) / "x")], check=True)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for doc in PACKAGES.values():
            shutil.copytree(Path(work) / "x/usr/share/doc" / doc, folder / doc, symlinks=True)
    print(f"{sum(1 for p in folder.rglob('*') if p.is_file())} files in {folder}")


if __name__ == "__main__":
    walk_ask.main(__doc__, FOLDER, make, QUESTIONS)

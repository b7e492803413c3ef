"""The text docchat reads from Word 97-2003 .doc and PowerPoint 97-2003 .ppt files beside what antiword and catppt
(Debian's antiword and catdoc packages: bench only, docchat never runs them) read from the same files.

    python bench/legacy_office.py FILE_OR_FOLDER... [--show] [--libreoffice]

For each file: its words (letters and digits, case folded) that docchat's text holds of the other tool's, and of its
own that the other tool's holds; --show prints the words each misses. antiword writes "[pic]" for a picture and wraps
lines at 76 columns (``-w 0`` turns that off); catppt prints the text of the deck's list of slides only, and none of a
deck PowerPoint 2007 or LibreOffice wrote: --libreoffice compares a deck with LibreOffice's reading of it instead
(``soffice --convert-to pptx``, then docchat's .pptx reader, python-pptx).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from jupyter_docchat.indexing.readers import UnreadableFile, read_sections  # noqa: E402

_WORD = re.compile(r"\w+")
_TOOL_MARKS = {"pic"}  # antiword's "[pic]"


def words(text: str) -> Counter[str]:
    return Counter(w for w in _WORD.findall(text.casefold()) if w not in _TOOL_MARKS)


def libreoffice_text(path: Path) -> str:
    """A deck's text as LibreOffice's import filter reads it: converted to .pptx, read by docchat's .pptx reader."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{folder}/profile", "--convert-to",
                        "pptx", "--outdir", folder, str(path)], capture_output=True, check=True)
        converted = Path(folder) / f"{path.stem}.pptx"
        return "\n".join(s.text for s in read_sections(converted, converted.read_bytes()))


def other_tool(path: Path, libreoffice: bool = False) -> str:
    if libreoffice and path.suffix.lower() != ".doc":
        return libreoffice_text(path)
    command = ["antiword", "-w", "0", str(path)] if path.suffix.lower() == ".doc" else ["catppt", str(path)]
    if shutil.which(command[0]) is None:
        sys.exit(f"{command[0]} is not installed (apt-get install antiword catdoc)")
    result = subprocess.run(command, capture_output=True, text=True, errors="replace")
    return result.stdout


def share(part: Counter[str], whole: Counter[str]) -> float:
    """The share of ``whole``'s words (with their counts) that ``part`` holds."""
    total = sum(whole.values())
    return sum(min(n, part[w]) for w, n in whole.items()) / total if total else 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--show", action="store_true", help="print the words each side misses")
    parser.add_argument("--libreoffice", action="store_true", help="decks beside LibreOffice's reading, not catppt's")
    args = parser.parse_args()
    files = sorted(p for path in args.paths for p in ([path] if path.is_file() else path.rglob("*"))
                   if p.suffix.lower() in (".doc", ".ppt", ".pps"))
    print(f"{'file':52} {'ours':>6} {'theirs':>6} {'of theirs':>9} {'of ours':>8}")
    for path in files:
        try:
            ours = words("\n".join(s.text for s in read_sections(path, path.read_bytes())))
        except UnreadableFile as exc:
            print(f"{path.name[:52]:52} skipped: {exc.reason}")
            continue
        theirs = words(other_tool(path, args.libreoffice))
        print(f"{path.name[:52]:52} {sum(ours.values()):6} {sum(theirs.values()):6} {share(ours, theirs):9.3f} "
              f"{share(theirs, ours):8.3f}")
        if args.show:
            print("   missed of theirs:", sorted((theirs - ours).elements())[:40])
            print("   not in theirs:   ", sorted((ours - theirs).elements())[:40])


if __name__ == "__main__":
    main()

"""Test files that packages on PyPI ship in their source distributions (msg-parser's Outlook messages, oletools' Word
and PowerPoint 97-2003 files): scripts/test.sh downloads the sdists with pip beside the venv (not installed: the files
are their tests' data, not the packages'); a test run without them downloads them the same way, once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

FOLDER = Path(sys.prefix) / "fixtures"


def sdist(requirement: str, filename: str) -> Path:
    """The source distribution ``filename`` of ``requirement`` ("oletools==0.60.2"), downloaded when missing."""
    path = FOLDER / filename
    if not path.exists():
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
                        requirement, "-d", str(FOLDER)], check=True)
    return path

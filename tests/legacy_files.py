"""Real Office 97-2003 files from oletools' source distribution on PyPI (oletools 0.60.2, BSD-2-Clause, Philippe
Lagadec): its tests/test-data holds .doc and .ppt files Word and PowerPoint saved (harmless ones; the malware samples
there are zipped under a password and not used). scripts/test.sh downloads it with pip (no install: the files are
its test data, not the package's); a test run without it downloads it the same way, once, into tests/.downloads.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from functools import lru_cache
from pathlib import Path

SDIST = "oletools-0.60.2.zip"
FOLDER = Path(__file__).parent / ".downloads"


@lru_cache(maxsize=1)
def _sdist() -> zipfile.ZipFile:
    path = FOLDER / SDIST
    if not path.exists():
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
                        "oletools==0.60.2", "-d", str(FOLDER)], check=True)
    return zipfile.ZipFile(path)


def oletools_file(name: str) -> bytes:
    """A file of oletools' tests/test-data by its path there ("msodde/harmless-clean.doc")."""
    return _sdist().read(f"oletools-0.60.2/tests/test-data/{name}")

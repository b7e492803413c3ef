"""Real Office 97-2003 files from oletools' source distribution on PyPI (oletools 0.60.2, BSD-2-Clause, Philippe
Lagadec): its tests/test-data holds .doc and .ppt files Word and PowerPoint saved (harmless ones; the malware samples
there are zipped under a password and not used), downloaded as sdist_fixtures says.
"""

from __future__ import annotations

import zipfile
from functools import lru_cache

from sdist_fixtures import sdist


@lru_cache(maxsize=1)
def _sdist() -> zipfile.ZipFile:
    return zipfile.ZipFile(sdist("oletools==0.60.2", "oletools-0.60.2.zip"))


def oletools_file(name: str) -> bytes:
    """A file of oletools' tests/test-data by its path there ("msodde/harmless-clean.doc")."""
    return _sdist().read(f"oletools-0.60.2/tests/test-data/{name}")

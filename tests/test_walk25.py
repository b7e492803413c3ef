"""Walk 25 (bzip2's manual as Debian installs it): a binary rebuild's changelog, named for its architecture
(changelog.Debian.amd64.gz), is read as its siblings are; it was "unsupported type"."""

from __future__ import annotations

import gzip
from pathlib import Path

from jupyter_docchat import DocIndex


def test_an_architecture_changelog_is_read(tmp_path: Path) -> None:
    docs = tmp_path / "bzip2"
    docs.mkdir()
    entry = ("bzip2 (1.0.8-5+b1) sid; urgency=low, binary-only=yes\n\n  * Binary-only non-maintainer upload for amd64;"
             " no source changes.\n  * Rebuild against the walrus toolchain.\n\n -- amd64 Build Daemon  Sat, 01 Jan 2022\n")
    (docs / "changelog.Debian.amd64.gz").write_bytes(gzip.compress(entry.encode()))
    (docs / "notes.debian.x").write_text("not a Debian file name: skipped as an unsupported type")
    with DocIndex(tmp_path / "store") as index:
        report = index.update(docs)
        assert set(index.catalog.files(index.collection)) == {"changelog.Debian.amd64.gz"}
        assert dict(report.skipped_files)["notes.debian.x"] == "unsupported type"
        hits = index.search("walrus toolchain rebuild", k=1)
    assert hits and hits[0].source == "changelog.Debian.amd64.gz"

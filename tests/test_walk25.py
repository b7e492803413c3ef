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


def test_each_option_names_its_own_description() -> None:
    """bzip2's manual: "-d --decompress" over "Force decompression." (a short first sentence, wrapped) was no entry,
    and "-c --stdout", the entry above it, named its description: "-c --stdout: Force decompression" was quoted."""
    from jupyter_docchat.qa.answer_units import split_units

    text = ("-c --stdout\n\nCompress or decompress to standard\noutput.\n\n-d --decompress\n\nForce decompression.\n"
            "bzip2,\nbunzip2 and\nbzcat are really the same program.\n\n-z --compress\n\nThe complement to\n-d: forces "
            "compression.\n\n--zebra-mode\n\n42\n\nUnrelated closing words here.")
    named = {u.text: u.entry for u in split_units(text, "2.4. OPTIONS", entry_terms=True)}
    assert named["Compress or decompress to standard output."] == "-c --stdout"
    assert named["Force decompression. bzip2, bunzip2 and bzcat are really the same program."] == "-d --decompress"
    assert named["The complement to -d: forces compression."] == "-z --compress"
    assert named["Unrelated closing words here."] != "-z --compress"  # an unconfirmed name ends the entry above

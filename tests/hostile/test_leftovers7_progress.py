"""Leftover 7.5: the reading bar's postfix names the file being read ("NAME: 3/8 pages"); a file named with the
configured key showed the key there (in a terminal's scrollback, a notebook's output), though the index summary
already withheld the name."""

from __future__ import annotations

from pathlib import Path

from pdfgen import write_pdf

from jupyter_docchat import DocIndex

KEY = "sk-Zq7Wx3Lm9Pt4Rv8Ks2Yb6Nc1Hd5Jf0Gt3Ue7Vm2Xp8"


def _pages(n: int) -> list[list[str]]:
    return [[f"Page {k} of the deploy guide.", "The runner reads its settings at start."] for k in range(n)]


def test_the_reading_bar_does_not_name_a_file_named_with_the_key(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    write_pdf(folder / f"creds-{KEY}.pdf", _pages(6))
    write_pdf(folder / "manual.pdf", [[f"Chapter {k}: the heron nests by the lake."] for k in range(6)])
    with DocIndex(tmp_path / "store", api_key=KEY) as index:
        report = index.update(folder, progress=True)
    err = capsys.readouterr().err
    assert report.added == 2
    assert "manual.pdf: 6/6 pages" in err  # the bar shows the file it reads
    assert "a file whose name holds the configured key: 6/6 pages" in err
    assert KEY[3:20] not in err and KEY not in str(report.summary())

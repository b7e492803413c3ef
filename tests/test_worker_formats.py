"""A reading worker imports the readers of the formats it is started for, and still reads any other."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from jupyter_docchat.indexing import reading


def test_load_all_of_html_leaves_the_notebook_and_pdf_parsers_unimported() -> None:
    code = ("import sys\nfrom jupyter_docchat.indexing.readers import load_all\nload_all(['.html', '.md'])\n"
            "print(sorted(m for m in ('lxml.etree', 'nbformat', 'pypdf', 'pypdfium2') if m in sys.modules))\n"
            "load_all()\nprint(sorted(m for m in ('lxml.etree', 'nbformat', 'pypdf', 'pypdfium2') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.splitlines()
    # pypdf: when PDFium refuses a file; nbformat: for a notebook older than format 4
    assert out == ["['lxml.etree']", "['lxml.etree', 'pypdfium2']"]


def test_a_worker_started_for_html_reads_markdown_and_a_notebook_as_this_process_does(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html><body><h1>Reserves</h1><p>Banks hold reserves at the central bank.</p></body></html>")
    note = tmp_path / "note.md"
    note.write_text("# Deposits\n\nInsured up to a limit per depositor.\n")
    book = tmp_path / "book.ipynb"
    book.write_text('{"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["# Runs\\n", "A bank run."]}],'
                    ' "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    spec = reading.ChunkerSpec(1000, 100, "minilm")
    pool = reading.WorkerPool(1, time_limit=60, eager=True, formats=frozenset({".html"}))
    try:
        for path in (page, note, book):
            got = pool.submit(path.name, path, spec).result(timeout=120)
            want = reading.read_one(path.name, path, spec)
            assert got.chunks and got.chunks == want.chunks and not got.skipped
    finally:
        pool.shutdown()


def test_a_worker_reading_html_imports_no_logging_statistics_entities_or_threading(tmp_path: Path) -> None:
    """A worker's start is part of every pool's cost: logging (with threading and traceback), statistics (with
    fractions, decimal and random) and html's table of entities are imported where they are used, none of which a page
    without an entity in a short title needs (issue 23 item 6)."""
    page = tmp_path / "page.html"
    page.write_text("<html><body><h1>Reserves</h1><p>Banks hold reserves at the central bank.</p>"
                    "<h2>Deposits</h2><p>Insured up to a limit per depositor.</p></body></html>")
    result, imported = _worker_reads(page, ".html")
    assert [c.heading for c in result.chunks] == ["Reserves > Deposits"]
    assert {"jupyter_docchat.indexing.readers.html", "jupyter_docchat.indexing.chunking"} <= imported  # it read the page
    assert not imported & {"logging", "threading", "statistics", "fractions", "html.entities"}


def _worker_reads(path: Path, formats: str) -> tuple[object, set[str]]:
    """What a reading worker started for ``formats`` answers for ``path``, and the modules it imported."""
    import os
    import pickle

    from jupyter_docchat.indexing.read_file import ChunkerSpec, ReadResult
    from jupyter_docchat.indexing.read_worker import FORMATS_VARIABLE, READY

    request = pickle.dumps((path.name, path, ChunkerSpec(800, 100, "minilm"), True))
    worker = subprocess.run([sys.executable, "-X", "importtime", "-m", "jupyter_docchat.indexing.read_worker"],
                            input=request, capture_output=True, timeout=120, env={**os.environ, FORMATS_VARIABLE: formats})
    assert worker.stdout[:1] == READY and worker.returncode == 0
    out, replies = worker.stdout[1:], []
    while out:  # ticks (if the machine is slow), then the result
        size = int.from_bytes(out[:8], "big")
        replies.append(pickle.loads(out[8:8 + size]))
        out = out[8 + size:]
    assert isinstance(replies[-1], ReadResult)
    return replies[-1], {line.split("|")[-1].strip() for line in worker.stderr.decode().splitlines()
                         if line.startswith("import time:")}


def test_a_worker_for_pdfs_imports_pypdf_only_for_a_file_pdfium_refuses(tmp_path: Path) -> None:
    """pypdf, PDFium's fallback, was most of the start of every worker started for PDFs (0.3-0.45 CPU-s); it is
    imported when PDFium refuses a file, and still tries it (issue 23 item 6)."""
    from pdfgen import pdf_bytes

    good = tmp_path / "good.pdf"
    good.write_bytes(pdf_bytes([["Reserves held at the central bank"], ["Deposits insured"]]))
    read, imported = _worker_reads(good, ".pdf")
    # By its modules' names: -X importtime may leave out a package's own line, written when its import ends.
    assert [c.page for c in read.chunks] == [1, 2] and _holds(imported, "pypdfium2") and not _holds(imported, "pypdf")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nthis is not really a pdf")
    read, imported = _worker_reads(broken, ".pdf")
    assert read.skipped.startswith("unreadable PDF") and _holds(imported, "pypdf")  # PDFium refused it: pypdf tried too


def _holds(imported: set[str], package: str) -> bool:
    return any(name == package or name.startswith(f"{package}.") for name in imported)

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
    assert out == ["['lxml.etree']", "['lxml.etree', 'nbformat', 'pypdf', 'pypdfium2']"]


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

"""Reading and chunking cost against file size, per format: is it linear?

    python bench/scaling.py [--formats txt md ...] [--sizes 2 4 8 16] [--runs N] [--vs REV | --no-vs]

Writes one file of each format holding 2, 4, 8 and 16 MB of text (seeded, so every run and every
commit reads the same files), times ``reading.read_one`` on each (read, sections, chunks and their
token counts: what a reading worker does, with a fresh token counter each time), the least of N
timings, and prints the seconds, the ratio per doubling and its mean over the range (linear is 2.0; the
target is at most 2.2). ``--vs REV`` (default: the commit before this version)
times the same files with REV's package in a child process from the same run, and prints its
figures beside.
"""

from __future__ import annotations

import argparse
import html
import io
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Callable

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO / "tests"))  # pdfgen, bookgen: real PDFs, books and .odt without their programs

MB = 1_000_000
FORMATS = ("txt", "md", "rst", "html", "code", "ipynb", "pdf", "docx", "pptx", "csv", "log", "tex",  # csv, log: readers 5
           "xlsx",  # walk 33: a sheet of rows as the CSV's, a date and a number each (XlsxWriter, the test extra)
           "epub", "odt",
           "mbox", "vtt",  # walk 35: a mailbox of a thread's messages quoting each other, a lecture's cues
           "vault",  # walk 38: a notes vault's Markdown (wiki links, callouts, highlights, fields, comment blocks)
           "doc", "ppt",  # legacy38: Word and PowerPoint 97-2003 (tests/legacygen.py writes them)
           "org",  # org40: Emacs Org-mode (headlines, drawers, planning lines, source blocks and results, tables)
           "man",  # walk 40: a manual page in man(7) roff (sections, tagged options, fonts, examples)
           "adoc")  # adoc40: AsciiDoc (titles, attributes, listings, tables, admonitions, lists, inline marks)
EXT = {"code": "py", "vault": "markdown", "man": "1"}
FORMAT_OF = {f".{EXT.get(fmt, fmt)}": fmt for fmt in FORMATS}


# English words, so the tokenizer cuts them as it cuts documents (made-up words cost it several pieces each).
VOCABULARY = """the of and to in is that for it as was with be by on not he this are or his from at which but have an
they you were their one all we can her has there been if more when will would who so no she other its may these
about into than them only some could time two then do any like my now over such our man me even most made after
also did many before must through back years where much your way well down should because each just those people
how too little state good very make world still own see men work long get here between both life being under never
day same another know while last might us great old year off come since against go came right used take three
index search query table column row value result file folder document page section chapter paragraph line word
bank deposit reserve loan rate market price policy report committee board member system process method function
class module package option setting command server client request response error warning message user data record
number string list field type model vector chunk store collection question answer source heading title note""".split()


class Words:
    """Seeded prose of English words: the same text on every run."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.vocab = VOCABULARY

    def sentence(self) -> str:
        words = self.rng.choices(self.vocab, k=self.rng.randint(8, 20))
        return " ".join(words).capitalize() + "."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 6)))

    def lines(self, width: int = 90) -> list[str]:
        """A paragraph wrapped at about ``width`` characters."""
        out, line = [], []
        for word in self.paragraph().split():
            if sum(len(w) + 1 for w in line) + len(word) > width:
                out.append(" ".join(line))
                line = []
            line.append(word)
        return out + [" ".join(line)]


def _blocks(size: int, block: Callable[[Words, int], str], seed: int) -> str:
    words, parts, total, n = Words(seed), [], 0, 0
    while total < size:
        part = block(words, n)
        parts.append(part)
        total += len(part)
        n += 1
    return "".join(parts)


def _txt(w: Words, n: int) -> str:
    return "\n".join(w.lines()) + "\n\n"


def _md(w: Words, n: int) -> str:
    head = f"## Section {n}\n\n" if n % 8 == 0 else ""
    extra = "```python\nx = compute(a, b)\nprint(x)\n```\n\n" if n % 5 == 0 else ""
    items = "".join(f"- {w.sentence()}\n" for _ in range(3)) + "\n" if n % 7 == 0 else ""
    return head + "\n".join(w.lines()) + "\n\n" + extra + items


def _vault(w: Words, n: int) -> str:
    head = f"## Section {n}\n\n" if n % 8 == 0 else ""
    box = f"> [!note] Remember {n}\n> {w.sentence()}\n\n" if n % 3 == 0 else ""
    comment = f"%%\n{w.sentence()}\n%%\n\n" if n % 9 == 0 else ""
    lines = w.lines()
    lines[0] = f"See [[Note {n}#Part {n % 4}|part {n}]] and ==the {n}th== point. ^b{n}x"
    return head + box + "\n".join(lines) + f"\nstatus:: open {n}\n\n" + comment


def _org(w: Words, n: int) -> str:
    head = (f"* TODO [#B] Section {n} [1/2] :work:\n  DEADLINE: <2024-05-01 Wed>\n  :PROPERTIES:\n  :ID: s{n}\n  :END:\n"
            if n % 8 == 0 else "")
    code = ("#+BEGIN_SRC python :results output\nx = compute(a, b)\nprint(x)\n#+END_SRC\n\n#+RESULTS:\n: 42\n\n"
            if n % 5 == 0 else "")
    table = "| name | value |\n|------+-------|\n" + "".join(f"| row{i} | {n * i} |\n" for i in range(4)) + "\n" \
        if n % 7 == 0 else ""
    lines = w.lines()
    lines[0] = f"See [[file:notes.org::*Part {n}][part {n}]], *the {n}th* point and =code_{n}= /here/."
    return head + "\n".join(lines) + "\n\n" + code + table


def _man(w: Words, n: int) -> str:
    head = f'.SH "SECTION {n}"\n' if n % 8 == 0 else ".PP\n"
    option = f'.TP\n.BR \\-o{n} ", " \\-\\-option{n} =\\fIVALUE\\fR\n' if n % 3 == 0 else ""
    example = ".EX\n$ tool \\-\\-run a b\n.EE\n" if n % 5 == 0 else ""
    lines = w.lines()
    lines[0] = f"See \\fBtool\\fR(1) and the \\f(CW{n}\\fP th \\(lqpoint\\(rq \\- here."
    return (".TH TOOL 1\n" if n == 0 else "") + head + option + "\n".join(lines) + "\n" + example


def _adoc(w: Words, n: int) -> str:
    head = f"== Section {n}\n:topic-{n % 50}: value {n}\n\n" if n % 8 == 0 else ""
    code = "[source,python]\n.Compute it\n----\nx = compute(a, b)  # <1>\nprint(x)\n----\n<1> Computes.\n\n" if n % 5 == 0 else ""
    table = (f"[cols=\"1,2\"]\n|===\n|Name |Value\n\n|row {n}\n|{w.sentence()}\n.2+|span\n|a\n|b\n|===\n\n"
             if n % 6 == 0 else "")
    items = "".join(f"* {w.sentence()}\n" for _ in range(3)) + "\n" if n % 7 == 0 else ""
    note = f"[WARNING]\n====\n{w.sentence()}\n====\n\n// a comment {n}\n\n" if n % 9 == 0 else ""
    lines = w.lines()
    lines[0] = f"See *{{topic-{n % 50}}}* and xref:page-{n}.adoc#part[part {n}] or <<section-{n},it>>; _the_ `{n}th`."
    return head + "\n".join(lines) + "\n\n" + code + table + items + note


def _rst(w: Words, n: int) -> str:
    head = f"Section {n}\n{'=' * len(f'Section {n}')}\n\n" if n % 8 == 0 else ""
    extra = "::\n\n    x = compute(a, b)\n    print(x)\n\n" if n % 5 == 0 else ""
    return head + "\n".join(w.lines()) + "\n\n" + extra


def _html(w: Words, n: int) -> str:
    head = f"<h2>Section {n}</h2>\n" if n % 8 == 0 else ""
    extra = "<pre>x = compute(a, b)\n    print(x)</pre>\n" if n % 5 == 0 else ""
    items = "<ul>" + "".join(f"<li>{w.sentence()}</li>" for _ in range(3)) + "</ul>\n" if n % 7 == 0 else ""
    return head + f"<p>{w.paragraph()}</p>\n" + extra + items


def _code(w: Words, n: int) -> str:
    doc = "\n    ".join(w.lines(70))
    return (f"def function_{n}(value, other=None):\n    \"\"\"{doc}\"\"\"\n    total = value * {n}\n"
            f"    if other is not None:\n        total += other\n    return total\n\n\n")


def _tex(w: Words, n: int) -> str:
    # Sections, comments, a verbatim block and a draft left out with \iffalse: what readers 12's LaTeX reader tracks.
    head = f"\\section{{Section {n}}}\n\n" if n % 8 == 0 else ""
    extra = "\\begin{verbatim}\nx = compute(a, b)\n\\end{verbatim}\n\n" if n % 5 == 0 else ""
    draft = f"\\iffalse\n{w.sentence()}\n\\fi\n" if n % 6 == 0 else ""
    return head + "\n".join(w.lines()) + f" % note {n}\n\n" + extra + draft


def _csv(w: Words, n: int) -> str:
    return f'item{n:07d},{n * 7:08d},"{w.sentence()}"\n'


def _log(w: Words, n: int) -> str:
    return f"2024-05-01 12:{n // 60 % 60:02d}:{n % 60:02d} INFO worker-{n % 4} {w.sentence()}\n"


def _mbox(w: Words, n: int) -> str:
    # A list's thread: each message answers the one before, quoting its first lines (left out as repeats), signed.
    quoted = "".join(f"> {line}\n" for line in w.lines()[:3]) if n % 3 else ""
    html_part = n % 5 == 0
    body = "\n".join(w.lines()) + f"\n\nFrom the minutes of meeting {n}.\n"  # mboxrd escapes a body's "From "
    body = body.replace("\nFrom ", "\n>From ")
    head = (f"From user{n % 7}@example.org Mon Jan  1 00:{n // 60 % 60:02d}:{n % 60:02d} 2024\n"
            f"From: =?utf-8?q?User_{n % 7}_M=C3=BCller?= <user{n % 7}@example.org>\nTo: list@example.org\n"
            f"Subject: Re: topic {n // 10}\nDate: Mon, 01 Jan 2024 00:{n // 60 % 60:02d}:{n % 60:02d} +0000\n")
    if html_part:
        return head + ("Content-Type: text/html; charset=utf-8\n\n<html><body><p>"
                       + html.escape(body).replace("\n\n", "</p><p>") + "</p></body></html>\n\n")
    return head + f"Content-Type: text/plain; charset=utf-8\n\n{quoted}{body}-- \nUser {n % 7}\n\n"


def _vtt(w: Words, n: int) -> str:
    start = n * 4
    stamp = f"{start // 3600:02d}:{start // 60 % 60:02d}:{start % 60:02d}"
    end = f"{(start + 3) // 3600:02d}:{(start + 3) // 60 % 60:02d}:{(start + 3) % 60:02d}"
    voice = f"<v Speaker {n // 20 % 3}>" if n % 20 == 0 else ""
    return f"{stamp}.000 --> {end}.500\n{voice}{w.sentence()}\n\n"


def write_input(fmt: str, size: int, folder: Path) -> Path:
    path = folder / f"input-{size / MB:g}mb.{EXT.get(fmt, fmt)}"
    if path.exists():
        return path
    seed = size + FORMATS.index(fmt)
    if fmt == "html":
        path.write_text(f"<html><head><title>Scaling</title></head><body><h1>Scaling</h1>\n"
                        f"{_blocks(size, _html, seed)}</body></html>\n")
    elif fmt == "ipynb":
        words, cells, total, n = Words(seed), [], 0, 0
        while total < size:
            if n % 2:
                cells.append({"cell_type": "code", "metadata": {}, "execution_count": n, "source": _code(words, n),
                              "outputs": [{"output_type": "stream", "name": "stdout", "text": words.sentence() + "\n"}]})
            else:
                cells.append({"cell_type": "markdown", "metadata": {}, "source": _md(words, n)})
            total += len(json.dumps(cells[-1]))
            n += 1
        path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    elif fmt == "pdf":
        from pdfgen import write_pdf

        words, pages, total = Words(seed), [], 0
        while total < size:
            page: list[str] = []
            while len(page) < 45:
                page += words.lines() + [""]
            pages.append(page[:45])
            total += sum(len(line) + 1 for line in pages[-1])
        write_pdf(path, pages)
    elif fmt == "docx":
        import docx

        words, document, total, n = Words(seed), docx.Document(), 0, 0
        while total < size:
            if n % 8 == 0:
                document.add_heading(f"Section {n}", level=2)
            text = words.paragraph()
            document.add_paragraph(text)
            total += len(text)
            n += 1
        document.save(str(path))
    elif fmt == "pptx":
        _write_deck(path, size, Words(seed))
    elif fmt == "doc":
        from legacygen import doc_bytes

        # Paragraphs, a "heading 1" every eighth and a table of three rows every sixteenth, a link's field in each
        # table: a byte a character (Word's "compressed" text), as Word stores Latin text.
        words, parts, total, n, styles, paragraphs = Words(seed), [], 0, 0, {}, 0
        while total < size:
            if n % 8 == 0:
                styles[paragraphs] = 1
                parts.append(f"Section {n}\r")
                paragraphs += 1
            if n % 16 == 15:  # a table's cells end "\x07", no paragraph mark: it joins the paragraph after it
                parts.append("".join(f"{words.sentence()[:30]}\x07\x13 HYPERLINK \"x\" \x14{n}\x15\x07\x07"
                                     for _ in range(3)))
            parts.append(words.paragraph() + "\r")
            paragraphs += 1
            total += len(parts[-1])
            n += 1
        path.write_bytes(doc_bytes("".join(parts), compressed=True, styles=styles))
    elif fmt == "ppt":
        from legacygen import SlideSpec, ppt_bytes

        # Slides of a title and twelve bullets, as _write_deck's, a text box and notes on every fourth
        words, specs, total = Words(seed), [], 0
        while total < size:
            bullets = [words.sentence() for _ in range(12)]
            extra = len(specs) % 4 == 3
            specs.append(SlideSpec(f"Slide {len(specs)}", bullets, box=words.sentence() if extra else "",
                                   notes=[words.sentence()] if extra else []))
            total += sum(len(b) + 1 for b in bullets)
        path.write_bytes(ppt_bytes(specs))
    elif fmt == "epub":
        from bookgen import epub_bytes, xhtml

        # Chapters of about 100 kB, as a book's pages are: the book grows by its number of pages.
        words, pages, total = Words(seed), [], 0
        while total < size:
            body = _blocks(min(100_000, size - total), _html, seed + len(pages))
            pages.append((f"ch{len(pages):04d}.xhtml", xhtml(f"<h1>Chapter {len(pages)}</h1>\n{body}")))
            total += len(body)
        path.write_bytes(epub_bytes("Scaling", pages, toc={name: f"Chapter {n}" for n, (name, _) in enumerate(pages)}))
    elif fmt == "odt":
        from xml.sax.saxutils import escape

        from bookgen import odf_bytes

        words, blocks, total, n = Words(seed), [], 0, 0
        while total < size:
            if n % 8 == 0:
                blocks.append(f'<text:h text:outline-level="2">Section {n}</text:h>')
            text = words.paragraph()
            blocks.append(f"<text:p>{escape(text)}</text:p>")
            if n % 7 == 0:
                blocks.append('<text:list text:style-name="L1">' + "".join(
                    f"<text:list-item><text:p>{escape(words.sentence())}</text:p></text:list-item>" for _ in range(3))
                    + "</text:list>")
            total += len(text)
            n += 1
        path.write_bytes(odf_bytes("text", "".join(blocks), title="Scaling"))
    elif fmt == "csv":
        path.write_text("item,count,note\n" + _blocks(size, _csv, seed))
    elif fmt == "vtt":
        path.write_text("WEBVTT\n\n" + _blocks(size, _vtt, seed))
    elif fmt == "xlsx":
        import datetime

        import xlsxwriter

        # constant_memory: rows written as they come, as a large export is; strings inline, not shared
        book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        sheet = book.add_worksheet("Items")
        day = book.add_format({"num_format": "yyyy-mm-dd"})
        sheet.write_row(0, 0, ["item", "count", "sampled", "note"])
        words, total, n = Words(seed), 0, 0
        while total < size:
            note = words.sentence()
            n += 1
            sheet.write_string(n, 0, f"item{n:07d}")
            sheet.write_number(n, 1, n * 7)
            sheet.write_datetime(n, 2, datetime.datetime(2024, 1, 1) + datetime.timedelta(hours=n), day)
            sheet.write_string(n, 3, note)
            total += len(note) + 30
        book.close()
    else:
        block = {"txt": _txt, "md": _md, "rst": _rst, "code": _code, "log": _log, "tex": _tex, "mbox": _mbox,
                 "vault": _vault, "org": _org, "man": _man, "adoc": _adoc}[fmt]
        path.write_text(_blocks(size, block, seed))
    return path


def _write_deck(path: Path, size: int, words: Words) -> None:
    """A deck of slides of a title and twelve bullets, grown by slides (walk 32): with five, 16 MB of text was over 64 MB
    of XML, and the reader refused it as a zip bomb (office_package). python-pptx
    adds a slide in time that grows with the deck (4 MB, 11,000 slides, took 11 minutes to write), so one slide it
    made is copied in the package's XML: a slide part, its relationship and its id for each."""
    import pptx

    deck = pptx.Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    slide.shapes.title.text = "TITLE"
    slide.placeholders[1].text_frame.text = "BODY"
    one = io.BytesIO()
    deck.save(one)
    with zipfile.ZipFile(one) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    template = parts.pop("ppt/slides/slide1.xml").decode()
    slide_rels = parts.pop("ppt/slides/_rels/slide1.xml.rels")
    slides, total = [], 0
    while total < size:
        bullets = [words.sentence() for _ in range(12)]
        body = "</a:t></a:r></a:p><a:p><a:r><a:t>".join(html.escape(b) for b in bullets)
        slides.append(template.replace("TITLE", f"Slide {len(slides)}").replace("BODY", body))
        total += sum(len(b) + 1 for b in bullets)
    rels = parts["ppt/_rels/presentation.xml.rels"].decode()
    rel_one = re.search(r'<Relationship [^>]*Target="slides/slide1.xml"/>', rels)
    rid = re.search(r'Id="(rId\d+)"', rel_one.group()).group(1)
    rels = rels.replace(rel_one.group(), "".join(
        rel_one.group().replace(f'"{rid}"', f'"rIdS{n}"').replace("slide1.xml", f"slide{n}.xml")
        for n in range(1, len(slides) + 1)))
    show = parts["ppt/presentation.xml"].decode()
    id_one = re.search(r"<p:sldId [^>]*/>", show).group()
    show = show.replace(id_one, "".join(f'<p:sldId id="{256 + n}" r:id="rIdS{n}"/>' for n in range(1, len(slides) + 1)))
    types = parts["[Content_Types].xml"].decode()
    type_one = re.search(r'<Override PartName="/ppt/slides/slide1.xml"[^>]*/>', types).group()
    types = types.replace(type_one, "".join(type_one.replace("slide1.xml", f"slide{n}.xml")
                                            for n in range(1, len(slides) + 1)))
    parts.update({"ppt/_rels/presentation.xml.rels": rels.encode(), "ppt/presentation.xml": show.encode(),
                  "[Content_Types].xml": types.encode()})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
        for n, xml in enumerate(slides, 1):
            out.writestr(f"ppt/slides/slide{n}.xml", xml)
            out.writestr(f"ppt/slides/_rels/slide{n}.xml.rels", slide_rels)


def time_reads(paths: list[Path], runs: int = 2) -> dict[str, float]:
    """CPU seconds to read and chunk each file, in this process, with this interpreter's package. CPU time,
    not wall time: the figures hold on a machine other work shares (its threads' time counts too)."""
    from jupyter_docchat.indexing.readers import load_all
    from jupyter_docchat.indexing.reading import ChunkerSpec, read_one

    spec = ChunkerSpec(1000, 100, "minilm")
    load_all()
    warm = Path(tempfile.mkdtemp(prefix="docchat-warm-"))
    for path in paths[:1]:  # the parsers, the splitter and the tokenizer load outside the figures
        small = warm / f"small{path.suffix}"
        shutil.copyfile(write_input(FORMAT_OF[path.suffix], MB // 10, warm), small)
        read_one(small.name, small, spec)
    shutil.rmtree(warm, ignore_errors=True)
    try:  # where read_one builds its chunkers (read_file), or reading in a package of an older commit
        from jupyter_docchat.indexing import read_file as chunkers
    except ImportError:
        from jupyter_docchat.indexing import reading as chunkers

    out = {}
    for path in paths:
        timings = []
        for _ in range(runs):  # the least of ``runs``, the same for every size
            # A fresh chunker each run: its token counter remembers the words it has counted, and a second run
            # over the same file found them all. Files under 5 MB were timed so (the least of three), larger
            # ones once, cold: CSV, whose ids are new words on every row, showed x3.6 from 4 to 8 MB for that.
            if hasattr(chunkers, "_chunker"):  # a package of another commit may build its chunkers otherwise
                chunkers._chunker.cache_clear()
                spec.build()
            started = time.process_time()
            result = read_one(path.name, path, spec)
            timings.append(time.process_time() - started)
        out[str(path)] = min(timings)
        if result.skipped:
            raise SystemExit(f"{path.name} was skipped: {result.skipped}")
    return out


def other_package(rev: str) -> Path:
    """REV's package (and docchat.py) unpacked in a temporary folder, for a child process to import."""
    sha = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--verify", f"{rev}^{{commit}}"], capture_output=True,
                         text=True, check=True).stdout.strip()
    folder = Path(tempfile.mkdtemp(prefix=f"docchat-scaling-{sha[:7]}-"))
    archive = subprocess.run(["git", "-C", str(REPO), "archive", sha, "jupyter_docchat", "docchat.py"],
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def default_rev() -> str:
    dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", "jupyter_docchat"],
                           capture_output=True, text=True, check=True).stdout.strip()
    return "HEAD" if dirty else "HEAD~1"


def report(label: str, fmt: str, sizes: list[int], seconds: list[float]) -> str:
    cells = []
    for n, (size, s) in enumerate(zip(sizes, seconds)):
        ratio = f" x{s / seconds[n - 1]:.2f}" if n else ""
        cells.append(f"{size / MB:>2g} MB {s:7.2f} s{ratio:7}")
    worst = max((b / a for a, b in zip(seconds, seconds[1:])), default=0.0)
    # The ratio per doubling over the whole range: one timing's noise moves it less than a step's ratio.
    doublings = math.log2(sizes[-1] / sizes[0]) if len(sizes) > 1 else 0
    mean = (seconds[-1] / seconds[0]) ** (1 / doublings) if doublings and seconds[0] else 0.0
    return f"{fmt:6} {label:8} " + "  ".join(cells) + f"   worst x{worst:.2f}, mean x{mean:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--formats", nargs="+", default=list(FORMATS), choices=FORMATS)
    parser.add_argument("--sizes", nargs="+", type=float, default=[2, 4, 8, 16], help="MB of text")
    parser.add_argument("--vs", default=None, help="another commit to time beside (default: the one before)")
    parser.add_argument("--no-vs", action="store_true", help="time this version only")
    parser.add_argument("--runs", type=int, default=2, help="timings of each file, the least kept (default 2)")
    parser.add_argument("--inputs", type=Path, default=None, help="keep the inputs here (default: a temporary folder)")
    parser.add_argument("--emit", type=Path, default=None, help=argparse.SUPPRESS)  # a child's figures, as JSON
    parser.add_argument("--paths", nargs="*", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.emit:  # the child: time the given files with the package on PYTHONPATH
        args.emit.write_text(json.dumps(time_reads(args.paths, args.runs)))
        return
    sizes = [int(s * MB) for s in args.sizes]
    work = args.inputs or Path(tempfile.mkdtemp(prefix="docchat-scaling-"))
    rev = None if args.no_vs else (args.vs or default_rev())
    other = other_package(rev) if rev else None
    try:
        if other is not None:
            print(f"beside {rev} ({subprocess.run(['git', '-C', str(REPO), 'log', '-1', '--format=%h %s', rev], capture_output=True, text=True).stdout.strip()[:80]})")
        print(f"CPU seconds of reading.read_one in one process ({os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}); "
              "chunks of 1000 characters, MiniLM token counts")
        for fmt in args.formats:
            folder = work / fmt
            folder.mkdir(parents=True, exist_ok=True)
            paths = [write_input(fmt, size, folder) for size in sizes]
            mine = time_reads(paths, args.runs)
            print(report("this", fmt, sizes, [mine[str(p)] for p in paths]), flush=True)
            if other is not None:
                emit = work / f"{fmt}-other.json"
                child = subprocess.run([sys.executable, __file__, "--emit", str(emit), "--runs", str(args.runs),
                                        "--paths", *map(str, paths)],
                                       env={**os.environ, "PYTHONPATH": str(other)}, cwd=str(work))
                if child.returncode:
                    print(f"{fmt:6} {rev:8} failed (exit {child.returncode})")
                    continue
                theirs = json.loads(emit.read_text())
                print(report(rev[:8], fmt, sizes, [theirs[str(p)] for p in paths]), flush=True)
    finally:
        if other is not None:
            shutil.rmtree(other, ignore_errors=True)
        if args.inputs is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

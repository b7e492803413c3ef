"""Turn one file into sections of text that remember where they came from, one module per format.

A reader never raises for bad content it can work around (odd encodings, broken markup); it raises
:class:`UnreadableFile` for a file it cannot read at all (a corrupt or encrypted PDF), so the caller can
skip and name it. Formats with heavy parsers (HTML, PDF, notebooks, .docx, .pptx) load them on first use.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path, PurePath
from typing import Callable, Iterable

from jupyter_docchat.indexing.readers.base import (DOC_EXTS, DOCX_EXTS, EPUB_EXTS, ODP_EXTS, ODT_EXTS, OFFICE_EXTS,
                                                   PPT_EXTS, PPTX_EXTS, SHEET_EXTS, ZIP_EXTS, UnreadableFile, decode,
                                                   looks_binary)
from jupyter_docchat.indexing.readers.clean import clean_text, shorten_runs
from jupyter_docchat.indexing.readers.gzipped import gunzip, gzipped, read_as
from jupyter_docchat.safe_text import SOFT_HYPHEN
from jupyter_docchat.types import MAIL_SUFFIXES, OUTLOOK_SUFFIXES, TRANSCRIPT_SUFFIXES, Section

__all__ = ["HTML_EXTS", "MAIL_EXTS", "OUTLOOK_EXTS", "PLAIN_TEXT_EXTS", "TRANSCRIPT_EXTS", "READERS_VERSION", "UnreadableFile", "decode", "format_suffix", "load_all", "looks_binary", "may_be_mailbox",
           "read_as", "reader_for", "read_sections", "unpacked"]

LOG_EXT = ".log"
# What logrotate and Python's RotatingFileHandler leave beside a log: app.log.1, app.log.2 (app.log.3.gz unpacks
# to one), logrotate's dateext app.log-20241201 (hourly: app.log-2024120113), and Python's
# TimedRotatingFileHandler app.log.2024-12-01 (by the hour, minute or second: app.log.2024-12-01_13-05-09).
# Read without raising READERS_VERSION: a file skipped as of an unsupported type is in no store, so the next
# update reads it.
_ROTATED_LOG = re.compile(r"\.log(?:\.\d{1,4}|-\d{8}(?:\d{2})?|\.\d{4}-\d{2}-\d{2}(?:_\d{2}(?:-\d{2}){0,2})?)$",
                          re.IGNORECASE)
# Text a project or a paper is written in beside its prose: LaTeX and BibTeX (a thesis folder), the
# configuration a checkout keeps (pyproject.toml, setup.cfg, tox.ini, environment.yml). Data formats (.json,
# .xml) stay unsupported: a folder's JSON is more often records than something to ask about.
TEXT_EXTS = {".txt", ".text", LOG_EXT, ".bib", ".toml", ".cfg", ".ini", ".yaml", ".yml"}
LATEX_EXTS = {".tex", ".sty", ".cls"}
TABLE_EXTS = {".csv", ".tsv"}
# R Markdown and Quarto are Markdown whose code blocks run (```{r}, ```{python}).
MARKDOWN_EXTS = {".md", ".markdown", ".rmd", ".qmd"}
RST_EXTS = {".rst"}
HTML_EXTS = {".html", ".htm", ".xhtml"}
# Saved mail (a message, a mailbox) and transcripts or subtitles (walk 35): new formats, no older chunk changes.
MAIL_EXTS = set(MAIL_SUFFIXES)
OUTLOOK_EXTS = set(OUTLOOK_SUFFIXES)  # Outlook's .msg, an OLE file: only one with its signature (readers/outlook.py)
# A .msg of text (a Tcl message catalog, gettext-like text) that is no mail message: skipped, as it was when .msg was
# an unsupported type. A catalog is the same few hundred strings of an application's buttons and menus once per
# language, which crowded a folder's answers with translations of "Cancel".
TEXT_MSG = "text .msg, not an Outlook message"
TRANSCRIPT_EXTS = set(TRANSCRIPT_SUFFIXES)
# A notes vault's boards (JSON Canvas, walk 38): a new format, no older chunk changes.
CANVAS_EXTS = {".canvas"}
# AsciiDoc pages (Asciidoctor, Antora, Spring's and Fedora's docs; adoc40): a new format, no older chunk changes. Not
# ".asc", which is as often a signature beside a download (a PGP "ASCII armor" file) as a page.
ASCIIDOC_EXTS = {".adoc", ".asciidoc"}
# Manual pages (walk 40), as man(1) finds them: a section digit and an optional suffix (ls.1, printf.3, CA.pl.1ssl,
# Foo::Bar.3pm, ssh_config.5), Tcl's ".n", a project's "tool.man". A file so named that holds no roff stays an
# unsupported type (readers/manpage.py); a new format, no older chunk changes.
# Not a year ("archive.2023", "Project.2024": a mail program's folders, probe 40): a section's own suffix is letters.
MAN_SUFFIX = re.compile(r"\.(?:[1-9](?:[a-z][a-z0-9+_-]{0,7})?|n|man)$")
CODE_EXTS = {
    ".py", ".js", ".ts", ".java", ".go", ".rs", ".c", ".h", ".cpp", ".hpp", ".cc",
    ".r", ".jl", ".sh", ".sql",
    ".jsx", ".tsx", ".mjs", ".rb", ".php", ".kt", ".swift", ".scala", ".cs", ".lua", ".pl", ".hs", ".m", ".f90",
}
# Files a project names without a suffix, read as text: a checkout's README, LICENSE and CHANGES, its Makefile.
# (PKG-INFO is not among them: an sdist's holds its README again under its metadata.) "copyright" is the license
# Debian installs beside every package's documentation (/usr/share/doc/PKG/copyright): "What license is Mako
# under?" had no answer in python-mako-doc's folder. GNU packages ship BUGS (known bugs and how to report one) and FAQ
# beside NEWS and TODO: libmpfr-doc's BUGS was "unsupported type" (walk 30).
_TEXT_NAMES = {"readme", "license", "licence", "copying", "copyright", "changes", "changelog", "news", "history",
               "install", "authors", "contributors", "contributing", "notice", "todo", "thanks", "makefile",
               "dockerfile", "bugs", "faq"}
# Text written by hand, line by line: a file of these whose lines are machine-length is build output.
# Not logs: a structured log's JSON lines are machine-length and hold no word share of prose, yet they are the
# user's records, not build output (the machine-length check skipped every JSON-lines log). Read since readers 5
# without raising READERS_VERSION: a skipped file is in no store, so the next update reads it.
PLAIN_TEXT_EXTS = (TEXT_EXTS - {LOG_EXT}) | LATEX_EXTS | MARKDOWN_EXTS | RST_EXTS | CODE_EXTS | ASCIIDOC_EXTS
Reader = Callable[[Path, bytes], list[Section]]

# Raise it whenever a reader's output changes, so the next update of an existing store reads every file
# again (a chunk whose text is unchanged keeps its vector). Stores made before it was recorded count as 1.
# 2: HTML <pre> blocks keep their indentation.
# 3: each file's text digest is recorded (copies are indexed once) and text files of machine-length lines
#    are skipped: both are known only by reading the file. Text is cleaned (clean.py), PDF pages come from
#    PDFium, and a section over chunking.WINDOW is split in pieces: chunks may differ. HTML tables of data and
#    Markdown pipe tables are written as pipe tables, a line a row under its header; permalink marks
#    (Sphinx's "¶", "#", "§", "🔗") are gone from headings and text.
# 4: the same reading as 3. Two branches each raised it to 3 for half of that list before they merged,
#    so a store recorded as 3 may lack the other half; 4 reads those again.
# 5: gzipped pages (NAME.EXT.gz) are read as NAME.EXT, and a Sphinx build's _sources twin of one is skipped;
#    .csv/.tsv are read as tables, .log as text; a site's 404.html is skipped; Markdown link reference
#    definitions are not a table's introduction (a table's chunks differ).
# 6: a CSV/TSV's blank lines between rows are kept as lines (empty rows, or a new table under its header past
#    two): the rows after them were cited a line early for each. Files without such lines read as before.
# 7: an HTML page's chunks cite the page's own lines (they counted the lines of its text as laid out, past
#    the end of the file); their text is the same.
# 8: a run of 256 or more characters without a space (a pasted image's base64, a line of "=") is cut to its
#    first 40 and the count of the rest (readers/clean.py): such runs were chunks of gibberish.
# 9: a Markdown file's YAML front matter is a section of its own and its title heads the trail (the closing
#    "---" made it a setext heading); new formats (.tex .sty .cls with their comments blanked, .bib .toml .cfg
#    .ini .yaml .rmd .qmd, more code, a README or Makefile without a suffix) change no older chunk.
# 10: a terminal's other escapes (ESC 7, ESC 8, ESC =, ESC ( B) are dropped whole, not only their ESC; a "%"
#     LaTeX prints (in verbatim and listings, \verb, \lstinline, \url) is no comment; a front matter title is
#     read as YAML reads it (its quotes' escapes, a plain one's comment); a paragraph of Chinese, Japanese or Thai
#     (no spaces between words) is no run to cut short (readers 8 kept its first 40 characters).
# 11: a Sphinx build's _modules/ (the viewcode extension's highlighted source pages) is skipped by default.
# 12: LaTeX's \iffalse ... \fi is blanked, and a comment environment on one line blanks only itself; a CSV's
#     second table below a gap has its own header, and Excel's "sep=;" line names the delimiter; blank lines in
#     an HTML <pre> stay; a heading holding " > " is one level of the trail (its ">" written "›").
# 13: a Sphinx page's source ("guide.rst.txt", "intro.md.txt") is read as its own format, not as plain text.
# 14: a CSV's table below a gap as wide as the one above has its own header when that record reads as one where
#     no row can (the header again, or names over numbers: readers/delimited.py); it was a row of the first.
#     A UTF-8 file with a few bad bytes is read as UTF-8 (it was read whole as cp1252); <br> in HTML <pre> and
#     headings breaks the line.
# 15: a Markdown heading's trail (and a notebook's) reads its markup: "Install with pip & run", not "Install with
#     `pip` &amp; **run**"; the heading line in the text is kept as written.
# 16: a "#" or "§" that a Markdown heading's markup gives (a code span's, an escaped one's) stays in the trail
#     ("# comments in Python", "# of rows", not "comments in Python", "of rows"); a notebook's heading keeps a
#     glued "#" ("Learning C#") and a "#" line in a markdown cell's fenced block is not its heading.
# 17: an HTML heading that labels a note, tip or warning box (DocBook's <div class="note"><h3>Note</h3>) is a
#     line of its section, not a heading that took the section's place in the trail; DocBook's Prev / Next
#     bars (class navheader, navfooter) are left out.
# 18: chunking: a piece of a section under 80 characters joins its neighbour (a reST title the splitter cut from
#     its underline, a code fence alone), and a title alone over a long section joins it, under its heading.
# 19: probe 14: a notebook without its "nbformat" version keeps its code cells (nbformat read it as version 3,
#     every code cell empty); a CSV's second table one blank line below the first has its own header, and a table
#     is not joined under another with no line between; a cp1252 file with a byte cp1252 leaves undefined keeps
#     its curly quotes, dashes and euro signs (it was read as Latin-1, they as control characters).
# 20: probe 15: a title alone joins the section below only when that section lies under its heading (a short
#     sibling keeps its own); an HTML title joins without its markup's blank lines; a heading in a note box is its
#     label only when the box holds no other heading (a page inside <div class="note"> keeps its sections);
#     slivers are under 80 characters or a quarter of the chunk size, the less.
# 21: a LaTeX source is in sections at its sectioning commands (\part to \subparagraph), each headed by the trail
#     of titles above it under the document's \title; a Perl file longer than a chunk is read (it stopped the index).
#     Probe 16: a reST title over- and underlined is a title of its own style (the overline was a section without
#     a heading, and the sections under the title its siblings); a CSV table of a header alone is cited at the
#     header's line (its rule was counted as the line below, past the end of the file); a Markdown heading's
#     attributes ("{.unnumbered}", "{-}", "{: #id }") are left out of its trail, as "{#id}" was, and its reference
#     links read as their text ("## See the [guide][1]"); a notebook's Markdown
#     cell titled Setext-style ("Results\n=======") heads the cells below it, as an ATX "# Results" does.
# 22: chunking: a passage a file repeats word for word under the same heading is one chunk, at its first copy.
# 23: probe 17: a piece is counted against the model's window as it is embedded (under its file's name when it has
#     no heading); a heading trail over half the window is cut to half; a LaTeX title ends at a blank line, reads as
#     printed (accents, \&, \texorpdfstring, logos; no labels, keys or footnotes), and one in a verbatim block, in
#     \verb or \lstinline, or a macro's parameter, heads nothing.
# 24: a theme's chrome in HTML: a bar of links apart only by separators ("Home | Contents", "« previous | up"),
#     an element with the id "sidebar" or "footer" (what HTML5 writes as <aside> and <footer>) are left out, and
#     a heading that is all one link to another page of the site (the site's name) is a line, not a heading.
# 25: a title alone joins the section it heads, not the end of the one before; HTML sections joined into one chunk
#     stay a blank line apart; Debian's copyright file is read; a README, CHANGES or changelog without a suffix
#     that opens with an underlined title is read as reST; a notebook's Markdown cell is headed by its first
#     heading as markdown-it reads it (not a "#" line in an HTML block, a list or a quote; reference links read).
# 26: a Doxygen page is read without its chrome, under its title, its declarations one line each and its code as
#     code; every LaTeX sectioning command starts a section, one in mid-line or with its title on the next line too;
#     a page MkDocs wrote without its theme's "Back to top", edit buttons and code line numbers, its tabs labelled;
#     a permalink of an icon font's glyph left out; probe 19's readers (see tests/test_probe19.py).
# 27: a short passage under a title ("Limits", "Up to 3.") is cited under its own heading, not joined as if it were
#     a title alone over the next section's subsection; Pygments' line numbers are left out of every HTML page's
#     code (Sphinx's :linenos:), not only MkDocs'; a redirect notice gzipped is skipped as one; a bundled library's
#     script (a banner naming a release and a license: jquery.js, lunr.js) is skipped.
# 28: Sphinx's viewcode links ("[source]" after an API entry's signature) are left out of HTML pages; a page's title
#     heads its trail without the site's " — Project 1.0 documentation"; Sphinx's "<no title>", a title of the suffix
#     alone or of no letter or digit (")") heads none, nor does an inline SVG icon's <title>; a redirect notice of up
#     to 25 words besides its <noscript> is skipped (a dozen before); chunking: an empty title joined with a sibling's
#     passage ("# Notes", then "# Limits" and a line) is cited under the sibling (django's front page, one chunk).
# 29: a PDF keeps a compound's own hyphen at a line's end ("interior-point") where the document writes it hyphenated
#     more often than joined, and leaves out a page's number alone on its last line where most pages end with
#     theirs (walk 23); an <svg> left open ends at the first HTML block in it, as in a browser (probe 22).
# 30: a gtk-doc build's generated indexes are skipped (walk 24); an <svg> left open ends at any of HTML's breakout
#     tags, found by one walk, and in the streaming reader too; a PDF keeps a hyphen ending a line before a digit
#     ("COVID-19") and drops a page's number joined to a broken last word; README.Debian and its kin are read at
#     their underlined titles (probe 24).
# 31: a binary rebuild's changelog, named for its architecture (changelog.Debian.amd64.gz), is read (walk 25).
# 32: (a PDF's pages cut where its outline starts a section, headed by its trail: measured on the tuning halves and
#     dropped, bench/README.md; the bench's r32-r34 stores read so)
# 33: probe 26: Debian's note names with a format's suffix (README.Debian.html, .pdf) are read as that format; soft
#     hyphens are left out; a PDF's page numbers are found before its line-end hyphens are mended; an <svg>'s <desc>
#     and <title> hold their HTML; a piece that shows nothing (zero-width spaces, a lone override) is no chunk.
# 34: a PDF's dot leaders are cut to six dots (walk 26: a contents page's chunk held a handful of entries).
# 35: 33 and 34 without 32: a PDF's pages are read a page a section, headed "page N", as at 31.
# 36: 35 without 34 (measured on the tuning halves and dropped: a contents page's denser chunk took a source's place).
# 37: a notebook's consecutive cells under one heading share a chunk; an "Also:" quote stands apart (walk 27).
# 38: a notebook's code cell holds what it printed as text, under "Output:", a long output (and a cell of typed-in
#     numbers) its first and last lines (walk 28: executed tutorials); a Markdown cell's open code block is closed;
#     UTF-16 without a byte order mark is read; a halved piece of only repeated lines is no chunk (probe 28).
# 39: a notebook's Markdown cell is cut at its headings: the text above its first stays under the heading before
#     the cell, the cells below go under its last (probe 28's leftover).
# 40: a MkDocs (or any) page's title loses the site's name its home link shows; dialog, search and sidebar roles and an
#     in-page contents list above the first heading are left out; one trail per page; a MkDocs sitemap.html is
#     skipped (mkdocs29). Base64 blocks are cut, a file of base64 alone skipped; a cell of output without code is
#     read under its own label; a warning split over standard error's outputs is left out; indented fences open no
#     block (probe 29).
# 41: contents written as boxes of in-page links above the first heading are left out (sqlite.org's pages); Texinfo's
#     labelled Next/Previous/Up bars, a node's title without the manual's name, its index nodes and redirect pages
#     (under 8 kB) skipped; a PDF's running heads and printed contents or index lines left out (walk 30); a notebook
#     cell's null or object source read as no text (probe 30).
# 42: a PDF's printed contents and index lines are read again (leaving them out lost latex's test half four answers).
# 43: a Doxygen page's members each a passage of its own, its parameter tables a row a line, its "... Documentation"
#     labels, "Definition at line N" lines and summary rows that repeat a member's documentation left out (walk 31);
#     a Texinfo manual made as one page read (an index node has at most 150 words beside its table), links a label
#     introduces with commas kept, an HTML heading on its own line in Markdown heads what follows, a backtick line
#     inside raw HTML opens no code block (probe 31); a table whose cells hold no text (a Doxygen inheritance page's
#     images) is read around, not a reader's failure (probe 32).
# 44: a .docx read in document order: its tables as pipe tables, heading levels in the trail, list markers, text
#     boxes, headers and footers, notes and comments, lines counted through the document; a PDF exported beside its
#     .docx or .pptx skipped as built from it (walk 32; .pptx is read from now on, which needs no raise: an
#     unsupported file is in no store). Links apart by separators that go mostly to other sites are text, not a bar.
#     A deck named .docx or a report named .pptx is read as what it is (it was unreadable), .docm/.pptm as .docx/.pptx;
#     a zip bomb, an encrypted or an old binary Office file is named (probe 34).
# 45: a section header slide heads the slides after it, and a cover or section header that is its title alone is no
#     passage (walk 32); a Markdown cell's parts cut at its headings join at their own lines; a notebook's output shown
#     as HTML alone read as a page, a display object's repr is no text, an older notebook's every worksheet and heading
#     cells read; links apart by marks inside a sentence or right under a heading stay, a colon in a link's anchor is
#     no other site (probe 35); a CSV beside its workbook is built from it. New, needing no raise: workbooks (walk 33),
#     EPUB books and OpenDocument .odt/.odp (walk 34).
# 46: a gutter of line numbers beside a listing (YARD's, Rouge's) is left out; a zero-width space beside ASCII is
#     dropped (Javadoc's before every signature's parenthesis). New, needing no raise: saved mail (.eml, .mbox) and
#     transcripts (.vtt, .srt) (walk 35). Workbooks: numbers in their cell's format (.xlsx: "12.5%", "$1,234.50"; .ods:
#     the text stored), formula errors in .xls/.xlsb/.ods, 1900's serial 0 and 60 and negative serials, a header's
#     unnamed columns by their letter; a book's page under its name alone cited by that name, not "part N".
# 47: notes as the app shows them (walk 38): wiki links, embeds, callouts and GitHub's alerts, highlights in Markdown
#     ("[[Calibration#Neon lines|neon calibration]]" reads "neon calibration", "> [!warning] Laser class" reads
#     "> Warning: Laser class"); pages without them read as before. A vault's boards (.canvas, JSON Canvas) are read.
#     MyST's and Quarto's boxes are prose under their titles, not code (sphinx-design's tabs and cards, list tables, MkDocs'
#     indented box bodies, Logseq's Org blocks too); roles read as their text. Mail (mail38):
#     Outlook's .msg, Maildir and Thunderbird folders read; a bounce's delivery report and a multipart cut short read;
#     a message Thunderbird marks deleted left out. Probe 38: a body line "From ..." starts no message; UTF-8 text under
#     a one-byte charset label read as UTF-8; an .srt cue's counter under the cue before dropped; .xlsx conditions,
#     scaling commas, accounting zeros, times and durations as Excel shows them; numbers beside a listing that are
#     no gutter of its lines kept. Word and PowerPoint 97-2003 (.doc, .ppt, .pps) read (legacy38); a PDF beside one of
#     its name is built from it.
# 48: a caret word ends a block only at the block's end; a fence inside a MyST/Quarto prose box stays code, a box in a
#     box is a box; a Quarto title holding "}" and Pandoc's "::: warning" read; Dataview's "[key:: value]" and
#     "(key:: value)" in a sentence; an Excalidraw drawing's words are its page, without the plugin's front matter
#     (leftovers40). An EPUB's page-break numbers are no text; .xls and .xlsb cells as their number format shows them.
#     Probe 40: a .doc's tracked deletions left out, its table rows ended where Word ends them; Thunderbird's dotted
#     folder names, Apple Mail's .mbox bundles and .emlx, mutt's folders read; deleted and junk mail skipped (Gmail's
#     Spam and Trash labels, Trash.sbd/). New, needing no raise: Org-mode (.org) and manual pages (walk 40).
READERS_VERSION = 48


# The parsers a format's reader imports when it first reads (lxml, PDFium). Not pypdf, PDFium's fallback for
# the rare file it refuses (readers/pdf.py imports it then): it was a third of the start of every worker started for
# PDFs (0.19 -> 0.12 CPU-s from compiled modules, 0.35 more where they are compiled anew), for files it seldom reads.
# Nor nbformat: a notebook of format 4 is read from its JSON, and nbformat only converts an older one.
_PARSERS = {**dict.fromkeys((*HTML_EXTS, *EPUB_EXTS, *ODT_EXTS, *ODP_EXTS), ("lxml.etree",)), ".pdf": ("pypdfium2",)}


def load_all(exts: Iterable[str] | None = None) -> None:
    """Import the readers of the suffixes ``exts`` (every format's by default) and the parsers they use: a
    reading worker does so before it is ready, for the formats of the files it is started for (a folder of
    HTML pages does not wait for nbformat and PDFium). A reader not loaded here is imported
    when its first file comes."""
    exts = (".txt", ".csv", ".md", ".rst", ".html", ".pdf", ".ipynb", ".docx", ".pptx") if exts is None else exts
    import importlib

    for ext in sorted({e.lower() for e in exts}):
        if reader_for(Path(f"x{ext}")) is not None:
            for module in _PARSERS.get(ext, ()):
                importlib.import_module(module)


def unpacked(path: Path, data: bytes, limit: int) -> tuple[Path, bytes]:
    """The name a file is read as and its bytes: a gzipped page (``NAME.EXT.gz``) unpacked, within ``limit``
    bytes (UnreadableFile beyond), when docchat reads NAME.EXT; any other file as it is."""
    if not gzipped(path):
        return path, data
    inner = read_as(path)
    if reader_for(inner) is None:
        raise UnreadableFile("unsupported type")
    return inner, gunzip(data, limit)


# A Sphinx page's source as Sphinx copies it ("guide.rst.txt", "intro.md.txt": a build's _sources/, and the rst/ folder
# Debian ships beside the HTML) is read as its own format: as text, it was one section without a heading trail, and
# answers quoted reStructuredText's underlines. (Readers 13.)
_PAGE_SOURCES = {".rst", ".md", ".markdown"}


def format_suffix(path: PurePath) -> str:
    """The suffix that says how a file is read: its own, lower case, but ``.log`` for a rotated log and ``.txt``
    for a README, LICENSE, Makefile... without one, or with Debian's (README.Debian, changelog.Debian)."""
    return _format_suffix(path.name)


@lru_cache(maxsize=4096)
def _format_suffix(name: str) -> str:
    """``format_suffix`` of a file named ``name``, by its name alone: asked three or four times a file (its reader, the
    skips, the chunker), pathlib's suffix and stem were a twentieth of reading mpich's small pages."""
    if _ROTATED_LOG.search(name):
        return LOG_EXT
    suffix = _suffix(name)
    if not suffix and name.lower() in _TEXT_NAMES:
        return ".txt"
    # Debian's notes beside every package's documentation (/usr/share/doc/PKG/README.Debian, changelog.Debian.gz,
    # NEWS.Debian.gz) were "unsupported type" in every such folder (walk 23), and so was a binary rebuild's own
    # changelog, named for its architecture (changelog.Debian.amd64.gz; walk 25).
    # An architecture is no format docchat reads: README.Debian.html is a page and README.Debian.pdf a PDF, which were
    # read as plain text (the page's markup indexed, the PDF "binary"; probe 26).
    base, *debian = name.lower().split(".")
    if debian[:1] == ["debian"] and len(debian) <= 2 and all(arch.isalnum() and reader_for(Path(f"x.{arch}")) is None
                                                             for arch in debian[1:]) and base in _TEXT_NAMES:
        return ".txt"
    inner = _suffix(name[:len(name) - len(suffix)]).lower()
    if suffix.lower() == ".txt" and inner in _PAGE_SOURCES:
        return inner
    return suffix.lower()


def may_be_mailbox(path: PurePath) -> bool:
    """Whether a file may be a mailbox, read up to a mailbox's size limit: an .mbox, or a file without a suffix (a
    Thunderbird folder's, whose content tells: ``_mail_kind``)."""
    return format_suffix(path) in MAIL_EXTS - {".eml"} or not _suffix(path.name)


def _suffix(name: str) -> str:
    """``PurePath(name).suffix`` of a file's name, as pathlib finds it (a dot neither first nor last)."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def reader_for(path: Path) -> Reader | None:
    ext = format_suffix(path)
    if ext in TEXT_EXTS:
        from jupyter_docchat.indexing.readers.text import read_text as reader
    elif ext in LATEX_EXTS:
        from jupyter_docchat.indexing.readers.latex import read_latex as reader
    elif ext in TABLE_EXTS:
        from jupyter_docchat.indexing.readers.delimited import read_delimited as reader
    elif ext in MARKDOWN_EXTS:
        from jupyter_docchat.indexing.readers.markdown import read_markdown as reader
    elif ext in RST_EXTS:
        from jupyter_docchat.indexing.readers.rst import read_rst as reader
    elif ext in HTML_EXTS:
        from jupyter_docchat.indexing.readers.html import read_html as reader
    elif ext == ".pdf":
        from jupyter_docchat.indexing.readers.pdf import read_pdf as reader
    elif ext == ".ipynb":
        from jupyter_docchat.indexing.readers.notebook import read_notebook as reader
    elif ext in DOCX_EXTS:
        from jupyter_docchat.indexing.readers.docx import read_docx as reader
    elif ext in PPTX_EXTS:
        from jupyter_docchat.indexing.readers.pptx import read_pptx as reader
    elif ext in DOC_EXTS:
        from jupyter_docchat.indexing.readers.legacy_office import read_doc as reader
    elif ext in PPT_EXTS:
        from jupyter_docchat.indexing.readers.legacy_office import read_ppt as reader
    elif ext in SHEET_EXTS:
        from jupyter_docchat.indexing.readers.sheets import read_workbook as reader
    elif ext in EPUB_EXTS:
        from jupyter_docchat.indexing.readers.epub import read_epub as reader
    elif ext in ODT_EXTS or ext in ODP_EXTS:
        from jupyter_docchat.indexing.readers.odf import read_odf as reader
    elif ext in MAIL_EXTS:
        from jupyter_docchat.indexing.readers.mail import read_mail as reader
    elif ext in OUTLOOK_EXTS:
        from jupyter_docchat.indexing.readers.outlook import read_outlook as reader
    elif ext in TRANSCRIPT_EXTS:
        from jupyter_docchat.indexing.readers.transcript import read_transcript as reader
    elif ext in CANVAS_EXTS:
        from jupyter_docchat.indexing.readers.canvas import read_canvas as reader
    elif ext in ASCIIDOC_EXTS:
        from jupyter_docchat.indexing.readers.asciidoc import read_asciidoc as reader
    elif ext == ".org":  # Emacs Org-mode (org40): a new format, no older chunk changes
        from jupyter_docchat.indexing.readers.org import read_org as reader
    elif ext in CODE_EXTS:
        from jupyter_docchat.indexing.readers.text import read_code as reader
    elif MAN_SUFFIX.match(ext) and ".so." not in path.name.lower():  # not a shared library's version (libz.so.1)
        from jupyter_docchat.indexing.readers.manpage import read_manpage as reader
    else:
        return None
    return reader


# The names of prose a package ships without a suffix, as Debian installs them: dh_installchangelogs writes upstream's
# CHANGES.rst as "changelog" (changelog.gz), and README.rst or NEWS.rst keep no suffix either. Not a license, a
# Makefile or a Dockerfile: their underlined lines are no titles.
_PROSE_NAMES = _TEXT_NAMES - {"license", "licence", "copying", "copyright", "notice", "makefile", "dockerfile"}


def _titled_prose(path: Path, data: bytes) -> bool:
    """Whether a README, CHANGES, changelog... without a suffix opens with a title underlined (or over- and
    underlined) by punctuation, as reStructuredText and plain text write one: it is read at its titles, with their
    trail, as a .rst file is. Read as one section of text, python-mako-doc's changelog.gz (upstream's
    changelog.rst) was 103 chunks without a heading. So with Debian's suffix: dh_make's README.Debian opens "walrus
    for Debian" over dashes, and its sections were one untitled text (probe 24)."""
    name = path.stem if path.suffix.lower() == ".debian" else path.name
    if PurePath(name).suffix or name.lower() not in _PROSE_NAMES:
        return False
    from jupyter_docchat.indexing.readers.rst import title_at

    lines = decode(data[:4096]).splitlines()[:64]
    first = next((n for n, line in enumerate(lines) if line.strip()), None)
    return first is not None and title_at(lines, first) is not None


# An ATX heading at a line's start ("## Install"): reStructuredText has none (its code is indented, its comments
# start ".. "), Markdown writes its sections so under a setext title.
_ATX_HEADING = re.compile(rb"^#{1,6}[ \t]+\S", re.MULTILINE)


def _prose_reader(data: bytes) -> Reader:
    """The reader of a suffixless README... that opens with an underlined title: Markdown's when an ATX heading
    follows (a README.md installed without its suffix titles itself "Storks\n======" and its sections "## Install":
    read as reST, they were one section "Storks", probe 19), reStructuredText's otherwise."""
    if _ATX_HEADING.search(data):
        from jupyter_docchat.indexing.readers.markdown import read_markdown

        return read_markdown
    from jupyter_docchat.indexing.readers.rst import read_rst

    return read_rst


def _mail_kind(path: Path, data: bytes, ext: str, known: bool) -> str:
    """The suffix a file of mail is read as when its structure or content tells what its name does not: ".eml" for a
    Maildir's message or a .msg of text that is one, ".mbox" for a file without a suffix that opens as a mailbox (a
    Thunderbird folder), ".msg" for an Outlook message; "" for any other file (``known``: its name has a reader).
    Raises UnreadableFile for a file of a mail program's that is no mail (readers/mail_folders.py), or a .msg of other
    text (TEXT_MSG)."""
    from jupyter_docchat.indexing.readers import mail_folders
    from jupyter_docchat.indexing.readers.mail import looks_like_mail, text_message

    folder = mail_folders.in_maildir(path)
    # A file a reader knows by its name, in folders that happen to be named so (a project's "new/" beside "cur/" and
    # "tmp/"), is read as its name says unless it opens as a message does.
    if folder and (not known or looks_like_mail(data)):
        if folder == "tmp":
            raise UnreadableFile(mail_folders.BEING_DELIVERED)
        if mail_folders.trashed(path):
            raise UnreadableFile(mail_folders.TRASHED)
        return ".eml"
    if ext in OUTLOOK_EXTS:
        from jupyter_docchat.indexing.readers.office_package import ole_file

        if ole_file(data):
            return ext
        if text_message(data):
            return ".eml"
        raise UnreadableFile("binary" if looks_binary(data) else TEXT_MSG)
    if mail_folders.apple_record(path):
        raise UnreadableFile(mail_folders.APPLE_MAIL_INDEX)
    if ext == mail_folders.EMLX_SUFFIX and not known:
        found = mail_folders.emlx_message(data)
        if found is not None and looks_like_mail(found[0]):
            return ext
    if (mail_folders.mbox_start(data) or not data[:4096].strip() and not data.strip()) \
            and mail_folders.thunderbird_folder(path):
        return ".mbox"  # its index beside it says so, whatever its name ends with; a folder emptied is no file's type
    if (not known or ext == ".txt") and not _suffix(path.name) and mail_folders.mbox_start(data):
        return ".mbox"  # "News" is a README's name too (.txt), and a Thunderbird folder's
    if not known and mail_folders.mbox_start(data) and not mail_folders.git_patch(data):
        return ".mbox"  # a folder procmail or mutt keeps ("lists.python", "archive.2023"), its name no format's
    if not known and mail_folders.mork_index(data):
        raise UnreadableFile(mail_folders.MORK_INDEX)
    return ""


# Word's and PowerPoint's 97-2003 templates (a letterhead, a form, a company's deck) are their documents' files: read as
# them when they are OLE files. Their suffixes are Graphviz's graphs' (.dot) and gettext's catalogs' templates (.pot)
# too, text that stays what it was (probe 40).
OLE_TEMPLATES = {".dot": ".doc", ".pot": ".ppt"}


def read_sections(path: Path, data: bytes) -> list[Section]:
    """Sections of one file; raises UnreadableFile for unsupported or broken files."""
    reader = reader_for(path)
    ext = format_suffix(path)
    # A name like a manual page's ("inbox.1") says less than a mailbox's content does: no page opens as one.
    kind = _mail_kind(path, data, ext, reader is not None and not MAN_SUFFIX.match(ext))
    if kind:
        from jupyter_docchat.indexing.readers.mail import read_emlx, read_mailbox, read_message

        reader = {".mbox": read_mailbox, ".eml": read_message, ".emlx": read_emlx}.get(kind, reader)
        ext = ".eml" if kind == ".emlx" else kind  # a message, as a saved one: its checks are the same
    if reader is None and ext in OLE_TEMPLATES:
        from jupyter_docchat.indexing.readers.office_package import ole_file

        if ole_file(data):
            ext = OLE_TEMPLATES[ext]
            reader = reader_for(Path(f"template{ext}"))
    if reader is None:
        raise UnreadableFile("unsupported type")
    # A log cut by a crash holds a run of NUL bytes where its last blocks were lost; the text around them is
    # the log's (clean_text drops the NULs). A binary file is binary without its NULs too. Other text files
    # with a NUL stay binary: a log is the one a crash leaves so. So may a mailbox of years (one message's stray NUL
    # skipped all of them) and a transcript a tool wrote.
    packaged = (ext == ".pdf" or ext in ZIP_EXTS or ext in SHEET_EXTS or ext in OUTLOOK_EXTS or ext in DOC_EXTS
                or ext in PPT_EXTS)
    nul_kept = ext == LOG_EXT or ext in MAIL_EXTS or ext in TRANSCRIPT_EXTS
    if ext in MAIL_EXTS:
        from jupyter_docchat.indexing.readers.mail import looks_like_mail

        packaged = looks_like_mail(data)  # a message of control characters is a message, a short one too
    if not packaged and looks_binary(data.replace(b"\x00", b"") if nul_kept else data):
        raise UnreadableFile("binary")
    if ext == ".txt" and _titled_prose(path, data):
        reader = _prose_reader(data)
    if ext in OFFICE_EXTS:
        # Looked at before python-docx or python-pptx reads it whole (a zip bomb, an encrypted file); a deck named
        # .docx is read as the deck it is.
        from jupyter_docchat.indexing.readers.office_package import package_kind

        reader = reader_for(Path(f"x.{package_kind(data, 'docx' if ext in DOCX_EXTS else 'pptx')}")) or reader
    sections = reader(path, data)
    for section in sections:  # what parsers hand back (a notebook's JSON escapes, a PDF's text) is cleaned too
        # Without soft hyphens, which only say where a line may break: "docu&shy;mentation" was two words to the keyword
        # index, and a search for "documentation" (or German's "Donau&shy;dampf&shy;schiff") found nothing (probe 26).
        section.text = shorten_runs(clean_text(section.text)).replace(SOFT_HYPHEN, "")
        section.heading = clean_text(section.heading).replace(SOFT_HYPHEN, "")
    return sections

"""The files a user does not mean when they index a folder: build output, theme assets, twins.

Every one is left out by default and named in the summary with its reason; ``--all`` turns them
all off and ``--include GLOB`` brings back the files it matches. Hidden files and the folders in
``scan.DEFAULT_EXCLUDES`` (.git, __pycache__, ...) are not among them: they are never documents.
Installed packages are (node_modules, a virtual environment): a package's README may be what a user
means to ask about.
"""

from __future__ import annotations

import codecs
import fnmatch
import json
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Literal

from jupyter_docchat.indexing.readers.base import (DOC_EXTS, EPUB_EXTS, ODP_EXTS, ODT_EXTS, OFFICE_EXTS, PPT_EXTS,
                                                   SHEET_EXTS, decode)
from jupyter_docchat.indexing.readers.clean import encoded_parts
from jupyter_docchat.indexing.readers import MAN_SUFFIX
from jupyter_docchat.indexing.readers.gzipped import GZIP_SUFFIX, read_as
from jupyter_docchat.indexing.readers.mail_folders import maildir_folder

# Reasons, as the summary groups them.
SEARCH_INDEX = "search index of a documentation build"
THEME_ASSETS = "theme assets"
MINIFIED = "minified"
SOURCE_MAP = "source map"
LOCK_FILE = "lock file"
INDEX_PAGE = "generated index page"
NOT_FOUND_PAGE = "page-not-found page of a site build"
PAGE_SOURCE = "source of a rendered page"
SOURCE_PAGES = "source code pages of a documentation build"
MACHINE_LINES = "machine-length lines"
ENCODED = "base64-encoded data"
COPY = "copy of another file"
BUILT = "built from a source beside it"
DOXYGEN_SCRIPTS = "scripts of a Doxygen build"
REDIRECT = "redirect to another page"
BUNDLED = "bundled third-party library"
IGNORED = "ignored by {}"  # the ignore file's name
PACKAGES = "installed packages"
NOTE_APP = "a note app's settings and backups"
NOTE_TEMPLATES = "note templates"
MAIL_BIN = "deleted or junk mail folder"
DEFAULT_REASONS = (SEARCH_INDEX, THEME_ASSETS, MINIFIED, SOURCE_MAP, LOCK_FILE, INDEX_PAGE, NOT_FOUND_PAGE, PAGE_SOURCE,
                   SOURCE_PAGES, DOXYGEN_SCRIPTS, REDIRECT, BUNDLED, MACHINE_LINES, ENCODED, COPY, BUILT, PACKAGES, NOTE_APP,
                   MAIL_BIN, *(IGNORED.format(name) for name in (".gitignore", ".ignore")))
# A mail program's folders of mail the user deleted or that its filter took for spam: a Maildir++ folder (Dovecot's
# ".Trash", ".Junk"; ".Spam" and Outlook's "Deleted Messages" synced by IMAP) and Thunderbird's mbox files, whose
# names stay English in every language (the folder is shown translated). Known by their structure too: a Maildir, or
# an mbox beside its Mork index. Outlook.com's and Exchange's junk folder ("Junk Email", "Junk E-mail" before 2013),
# synced by IMAP beside the others, was read as mail (probe 40).
_MAIL_BINS = {"trash", "junk", "spam", "deleted messages", "deleted items", "junk email", "junk e-mail"}

_SEARCH_INDEXES = {"searchindex.js", "search_index.json"}  # Sphinx, MkDocs
_LOCK_FILES = {
    "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lockb", "poetry.lock",
    "pipfile.lock", "pdm.lock", "uv.lock", "cargo.lock", "gemfile.lock", "composer.lock", "go.sum", "flake.lock",
    "conda-lock.yml", "conda-lock.yaml",  # YAML is read since readers 9: a conda lock file is thousands of pins
}
# Word and PowerPoint keep "~$report.docx" beside a document while it is open (its owner's name, 162 bytes): no
# document, and "unreadable .docx" in every summary of a folder indexed while the user works in it (walk 32).
# LibreOffice's ".~lock.report.docx#" is a hidden file, never listed.
_OFFICE_OWNER = "~$"
_OFFICE_SUFFIXES = (*OFFICE_EXTS, *SHEET_EXTS, *DOC_EXTS, *PPT_EXTS)
_MINIFIED = (".min.js", ".min.mjs", ".min.css")
_SOURCE_MAPS = (".js.map", ".mjs.map", ".cjs.map", ".css.map", ".min.map")
_THEME_DIRS = {"_static"}  # Sphinx copies its theme's scripts, styles and fonts there
# A Sphinx build is known by the files only its builder writes at the top of the output.
_SPHINX_MARKS = ("objects.inv", "searchindex.js")
_SPHINX_INDEX_PAGES = {"genindex.html", "search.html", "py-modindex.html", "genindex-all.html"}
# A Doxygen HTML build is known by the files Doxygen writes beside its pages: its stylesheet with the script that
# folds its sections (every version since 1.8) or the crawler's page of links (1.10 on). Not the stylesheet alone:
# a project keeps its own doxygen.css beside its Doxyfile and its code, whose scripts are no build's.
_DOXYGEN_STYLESHEET = "doxygen.css"
_DOXYGEN_MARKS = ("dynsections.js", "doxygen_crawl.html")
# Doxygen's generated indexes: the members of every class, file and namespace by letter (functions_a.html,
# globals_func.html, namespacemembers_enum.html), a class's list of all its members (NAME-members.html), the
# classes by letter, and the crawler's page of links. Names and links only: what they list is on its own page.
_DOXYGEN_INDEX_PREFIXES = ("functions", "globals", "namespacemembers")
_DOXYGEN_INDEX_PAGES = {"classes.html", "doxygen_crawl.html"}
# A MkDocs build is known by the sitemap MkDocs writes at its top, plain and gzipped (every version since 1.0), or by
# its search plugin's index. What it copies there from its theme: Material's assets/javascripts (its bundle, the
# search worker and lunr's languages, some not minified: wordcut.js alone was 827 chunks of a 35-page site's 1,223)
# and assets/stylesheets; the mkdocs and readthedocs themes' js/, css/, fonts/ (webfonts/); the search plugin's
# search/ (its index, lunr.js, main.js, worker.js). The site's own pages, images and downloads stay.
_MKDOCS_MARKS = ("sitemap.xml", "sitemap.xml.gz")
_MKDOCS_SEARCH_INDEX = ("search", "search_index.json")
_MKDOCS_THEME_DIRS = {"js", "css", "fonts", "webfonts"}
_MKDOCS_THEME_ASSETS = {"javascripts", "stylesheets"}  # in assets/
_SOURCE_SUFFIXES = (".rst", ".md", ".ipynb", ".txt", ".rest", ".markdown")
# MkDocs writes 404.html at the top of every site, sphinx-notfound-page at the top of a Sphinx build: "Page not
# found" and the site's navigation, the same words on every site. Only beside the site's index.html: a 404.html
# in a folder that is not a site is the user's own page. A site's is brought back by --include.
_NOT_FOUND_PAGES = {"404.html", "404.htm"}
_SITE_INDEXES = ("index.html", "index.htm")
# What a document is built into -> the sources it is built from, most likely first. A folder holding both (a
# paper's .tex and its .pdf, notes.md and the notes.html pandoc made, a notebook and its nbconvert export) held
# every passage twice: two of an answer's five places went to one passage, and the vectors took twice as long
# (PARI/GP's manuals as Debian ships them, .tex beside .pdf: 15,129 chunks, 20 minutes). The source is kept:
# it is what the user edits, so it is never behind (a PDF is until it is built again), its lines are cited
# exactly, and a PDF's text comes from glyphs on a page (hyphens, ligatures, columns). R Markdown and Quarto
# are not sources here: their renderings hold the results the source computes. A Word report or a deck exported to PDF
# beside it ("lecture3.pptx" and "lecture3.pdf", as a course's folder keeps them) is one document too (walk 32); their
# readers are optional extras, and without one the source is unreadable, so the PDF is read in its place (ingest.py).
# A book or a LibreOffice file exported to PDF beside it ("thesis.odt" and "thesis.pdf", an .epub and the PDF of it).
BOOK_AND_ODF_EXTS = (*EPUB_EXTS, *ODT_EXTS, *ODP_EXTS)
# An AsciiDoc page and what Asciidoctor made of it ("guide.adoc" and "guide.html", asciidoctor-pdf's "guide.pdf") too.
_BUILT_FROM = {
    ".pdf": (".tex", ".ltx", ".md", ".markdown", ".rst", ".adoc", ".asciidoc", ".ipynb", *OFFICE_EXTS, *DOC_EXTS, *PPT_EXTS,
             *BOOK_AND_ODF_EXTS),
    ".html": (".md", ".markdown", ".rst", ".adoc", ".asciidoc", ".ipynb", ".tex"),
    ".htm": (".md", ".markdown", ".rst", ".adoc", ".asciidoc", ".ipynb", ".tex"),
    # A sheet saved as CSV beside its workbook (data.csv from data.xlsx): the workbook holds it and its other sheets,
    # its dates and merged headers, and is what the user edits (walk 33).
    ".csv": SHEET_EXTS,
    ".tsv": SHEET_EXTS,
    # Captions saved as SubRip beside their WebVTT ("lecture.srt" from "lecture.vtt", as a video platform's download
    # or a transcription tool gives both): one talk, and the WebVTT holds who speaks (walk 35).
    ".srt": (".vtt",),
}


@dataclass(frozen=True)
class SkipRules:
    """Which default skips apply: every one, unless ``all_files``; a file an ``includes`` glob matches
    is exempt from them (globs as ``--exclude`` takes them: a path, a name, or a folder's prefix)."""

    all_files: bool = False
    includes: tuple[str, ...] = ()

    def exempt(self, rel: str) -> bool:
        return self.all_files or any(glob_matches(rel, g) for g in self.includes)

    def may_hold_included(self, rel_dir: str) -> bool:
        """Whether an include glob could match something inside the folder ``rel_dir``."""
        return self.all_files or any(_could_hold(rel_dir, g) for g in self.includes)


def glob_matches(rel: str, glob: str, folders: bool = True) -> bool:
    """Whether ``rel`` is what ``glob`` names: its path or its name, or (``folders``: --include and --exclude,
    not --glob) a folder above it. A leading ``**/`` means any folder or none, as in git and shells'
    globstar ("**/404.html" is the top's too). Names compare composed (NFC): a folder from a Mac writes "café.md"
    decomposed, and a pattern typed here matched nothing of it."""
    rel, glob = unicodedata.normalize("NFC", rel), unicodedata.normalize("NFC", glob)
    name = rel.rsplit("/", 1)[-1]
    while True:
        if fnmatch.fnmatch(rel, glob) or fnmatch.fnmatch(name, glob) \
                or (folders and rel.startswith(glob.rstrip("/") + "/")):
            return True
        if not glob.startswith("**/"):
            return False
        glob = glob[3:]


def _could_hold(rel_dir: str, glob: str) -> bool:
    parts = unicodedata.normalize("NFC", glob).strip("/").split("/")
    rel_dir = unicodedata.normalize("NFC", rel_dir)
    if len(parts) == 1:
        return True  # a name glob matches at any depth
    for pattern, name in zip(parts, rel_dir.split("/")):
        if "**" in pattern:
            return True
        if not fnmatch.fnmatch(name, pattern):
            return False
    return True


def mail_bin(path: Path) -> str:
    """MAIL_BIN for a Thunderbird folder of deleted or junk mail: "Trash" or "Junk" beside its "Trash.msf" index."""
    if path.name.lower() not in _MAIL_BINS:
        return ""
    return MAIL_BIN if path.with_name(path.name + ".msf").is_file() else ""


def mail_bin_folder(path: Path) -> bool:
    """Whether a folder holds deleted or junk mail: a Maildir++ ".Trash", or one of its subfolders (".Trash.2023",
    Maildir++ names a folder's subfolder so); a Thunderbird "Trash.sbd", a "Trash" folder's subfolders, beside the
    "Trash" mbox or its index; an Apple Mail bundle ("Junk.mbox/"). Their mail was indexed and answered from as the
    user's mail (probe 40)."""
    name = path.name
    if name.startswith("."):
        return name[1:].split(".")[0].lower() in _MAIL_BINS and maildir_folder(path)
    if name.lower().endswith(".mbox"):  # Apple Mail's bundle, exported or its own ("Deleted Messages.mbox/")
        return name[:-len(".mbox")].lower() in _MAIL_BINS
    stem = name.removesuffix(".sbd")
    if stem == name or stem.lower() not in _MAIL_BINS:
        return False
    try:
        return path.with_name(stem).is_file() or path.with_name(stem + ".msf").is_file()
    except OSError:
        return False


def generated_file(name: str) -> str:
    """Why a file is build output by its name alone ("" when it is not)."""
    lower = name.lower()
    if lower in _SEARCH_INDEXES:
        return SEARCH_INDEX
    if lower.endswith(_MINIFIED):
        return MINIFIED
    if lower.endswith(_SOURCE_MAPS):
        return SOURCE_MAP
    if lower in _LOCK_FILES or (lower.startswith(_OFFICE_OWNER) and lower.endswith(_OFFICE_SUFFIXES)):
        return LOCK_FILE
    return ""


def not_found_page(path: Path) -> str:
    """Why a file is a site build's page-not-found page ("" when it is not): a 404.html beside an index.html or a
    sitemap.xml, either of them perhaps gzipped as Debian ships pages (404.html.gz, index.html.gz), in any case."""
    if read_as(path).name.lower() not in _NOT_FOUND_PAGES:
        return ""
    # Its neighbours' names, in any case as the 404 page's own (INDEX.HTML): the folder is listed once, for
    # the one or two 404 pages it may hold.
    # MkDocs' sitemap.xml counts as the index: a site whose docs have no index.md has no index.html at its top, and its
    # 404.html ("404 - Not found" and the theme's words) was read.
    indexes = {f"{name}{gz}" for name in (*_SITE_INDEXES, _MKDOCS_MARKS[0]) for gz in ("", GZIP_SUFFIX)}
    try:
        beside = [entry for entry in path.parent.iterdir() if entry.name.lower() in indexes]
    except OSError:  # the folder went away since the scan listed it
        return ""
    return NOT_FOUND_PAGE if any(entry.is_file() for entry in beside) else ""


# A page that only sends the browser on to another (mkdocs-redirects, Jekyll's redirect_from, sphinx-reredirects):
# a <meta http-equiv="refresh" content="0; url=..."> and "Redirecting..." or "Click here if you are not redirected.".
# Its words were a passage headed "Redirecting..." (mkdocs' own site, 3 pages). Small: a page of its own with a
# refresh in its head is longer than a notice. Texinfo writes one for each @anchor of a manual split per node ("The node
# you are looking for is at mpfr_pow."), its head holding the manual's copying notice as a comment and its style sheet:
# 2.2 kB for MPFR's, more for a manual with a longer notice, and read as a passage of its own under 2 kB (walk 30).
# The words' count below is what tells a notice from a page.
_REDIRECT_MAX_BYTES = 8192
# "This page has moved. If you are not redirected automatically, follow this link to the new page." is 17 words: a
# dozen let such a notice through as a passage (probe 20), as did a <noscript> sentence, which no reader shows.
_REDIRECT_MAX_WORDS = 25
# A meta tag's attributes in either order: minifiers and hand-written notices put content= before http-equiv=, and
# <meta content="0; url=../guide/" http-equiv="refresh"> was read as a page "Redirecting..." (probe 20).
_META = re.compile(rb"<meta\b[^>]*>", re.I)
_REFRESH_EQUIV = re.compile(rb"""http-equiv\s*=\s*["']?refresh""", re.I)
_REFRESH_URL = re.compile(rb"""content\s*=\s*["']?[^"'>]*url\s*=""", re.I)
_HEAD_AND_SCRIPTS = re.compile(rb"<(head|script|style|title|noscript)\b.*?</\1\s*>", re.I | re.S)
_COMMENT = re.compile(rb"<!--.*?-->", re.S)  # a comment may hold a ">" ("a -> b"): its words are no text
_TAG = re.compile(rb"<[^>]*>")
# The byte order marks of UTF-16 (and UTF-32 LE) pages, by codecs' names: Hypothesis draws the byte literals of the
# modules a test imports, and the decoding test of probe 12 met a BOM it was not written for.
_UTF16_32 = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def redirect_page(data: bytes) -> bool:
    """Whether an HTML page's bytes are a redirect notice: under 8 kB, a refresh to an address in its meta tags, and
    at most 25 words of text besides its head, scripts and <noscript>. Asked of the bytes the reader has anyway: asked at
    the scan, it read every small page of a folder twice."""
    if data.startswith(_UTF16_32):
        # A page saved as UTF-16 (Windows' editors): its tags are not ASCII bytes, and its notice was read (probe 20).
        # Its size is taken as UTF-8's.
        if len(data) > 4 * _REDIRECT_MAX_BYTES:
            return False
        data = decode(data).encode("utf-8", "replace")
    if len(data) > _REDIRECT_MAX_BYTES or not any(
            _REFRESH_EQUIV.search(meta) and _REFRESH_URL.search(meta) for meta in _META.findall(data)):
        return False
    return len(_TAG.sub(b" ", _HEAD_AND_SCRIPTS.sub(b" ", _COMMENT.sub(b" ", data))).split()) <= _REDIRECT_MAX_WORDS


# A library copied into a project whole, not minified (jquery.js, lunr.js, bootstrap.bundle.js, sizzle.js): known by
# the banner its authors put at the top, a comment naming its version and its license ("/*!\n * jQuery JavaScript
# Library v3.6.0 ... Released under the MIT license"). Thousands of lines of code nobody here wrote: a Doxygen
# build's jquery.js was 501 of its 1,811 chunks before its scripts were skipped, and outside a build nothing marked
# it (its lines are short). A project's own script with a copyright line and no license, or no version, is read.
_BANNER = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:/\*[\s\S]*?\*/|(?://[^\n]*(?:\n[ \t]*|\Z))+)")
_BANNER_HEAD = 4096
# A release's version: "v3.6.0", "v1.2", "2.3.9", "@version". Not "Version 2.0" of the Apache License (or "2.1" of the
# LGPL), which heads every file of a project that uses it, the project's own scripts among them.
_VERSION = re.compile(rb"(?<![\w./-])(?:v\d+(?:\.\d+)+|\d+\.\d+\.\d+)(?![\w.])|@version\b")
_LICENSE = re.compile(rb"licen[cs]e|\b(?:MIT|BSD|ISC|Apache|[AL]?GPL(?:v\d)?|MPL)\b")
SCRIPT_EXTS = {".js", ".mjs"}


def bundled_library(data: bytes) -> bool:
    """Whether a script opens with a library's banner: a comment naming a version and a license."""
    banner = _BANNER.match(data[:_BANNER_HEAD])
    return bool(banner and _VERSION.search(banner.group()) and _LICENSE.search(banner.group()))


def generated_folder(path: Path) -> str:
    """Why a folder is left out by its name or its marks ("" when it is not)."""
    if path.name in _THEME_DIRS:
        return THEME_ASSETS
    # npm's install folder, and a virtual environment (a venv, virtualenv or conda env writes pyvenv.cfg
    # or conda-meta/ at its top) whatever it is called
    if path.name == "node_modules":
        return PACKAGES
    if mail_bin_folder(path):
        return MAIL_BIN
    try:
        if vault_templates(path):
            return NOTE_TEMPLATES
        if path.name == "logseq" and (path / "config.edn").is_file():
            # A Logseq graph's own folder: its settings, and in bak/ and .recycle/ earlier copies of pages, which
            # answered "When was the oil changed?" with the date the page held before (walk 38).
            return NOTE_APP
        return PACKAGES if (path / "pyvenv.cfg").is_file() or (path / "conda-meta").is_dir() else ""
    except OSError:  # a folder one may not enter (another user's, lost+found): the walk names it
        return ""


# An Obsidian vault's settings, and the files in them that name its template folder: the core Templates plugin's
# "folder", Templater's "templates_folder" (a path from the vault's top).
_VAULT_SETTINGS = ".obsidian"
_TEMPLATE_SETTINGS = (("templates.json", "folder"), ("plugins/templater-obsidian/data.json", "templates_folder"))
_VAULT_DEPTH = 8  # folders above a folder searched for the vault's settings
# Obsidian writes these settings in a few hundred bytes; past this a file is no settings the app wrote, and is not read.
_SETTINGS_BYTES = 1 << 20


def vault_templates(folder: Path) -> bool:
    """Whether ``folder`` is the template folder its Obsidian vault's settings name: notes of placeholders
    ("{{date}}", "{{title}}") a new note starts from, which answered as if they were notes (walk 38)."""
    for root in (folder.parent, *folder.parent.parents)[:_VAULT_DEPTH]:
        settings = root / _VAULT_SETTINGS
        if settings.is_dir():
            return any(root / name == folder for name in _template_folders(settings))
    return False


def _template_folders(settings: Path) -> list[str]:
    names = []
    for file, key in _TEMPLATE_SETTINGS:
        try:
            with open(settings / file, "rb") as handle:
                value = json.loads(handle.read(_SETTINGS_BYTES + 1)[:_SETTINGS_BYTES]).get(key)
        except (OSError, ValueError, AttributeError, RecursionError):  # deep nesting raised out of the walk (probe 39)
            continue
        if isinstance(value, str) and value.strip("/ "):
            names.append(value.strip("/ "))
    return names


def sphinx_build(folder: Path, files: set[str], folders: set[str]) -> bool:
    """Whether ``folder`` (holding ``files`` and ``folders``) is the top of a Sphinx HTML build."""
    return any(mark in files for mark in _SPHINX_MARKS)


def doxygen_build(folder: Path, files: set[str], folders: set[str]) -> bool:
    """Whether ``folder`` (holding ``files`` and ``folders``) is the top of a Doxygen HTML build."""
    return _DOXYGEN_STYLESHEET in files and any(mark in files for mark in _DOXYGEN_MARKS)


def mkdocs_build(folder: Path, files: set[str], folders: set[str]) -> bool:
    """Whether ``folder`` (holding ``files`` and ``folders``) is the top of a MkDocs build."""
    if all(mark in files for mark in _MKDOCS_MARKS):
        return True
    if _MKDOCS_SEARCH_INDEX[0] not in folders:  # looked into only where there is a search/: one stat a folder else
        return False
    try:
        return folder.joinpath(*_MKDOCS_SEARCH_INDEX).is_file()
    except OSError:
        return False


def mkdocs_folder(name: str) -> str:
    """Why a folder at the top of a MkDocs build is left out: the search plugin's ``search/`` and the theme's
    scripts, styles and fonts."""
    if name == _MKDOCS_SEARCH_INDEX[0]:
        return SEARCH_INDEX
    return THEME_ASSETS if name in _MKDOCS_THEME_DIRS else ""


# The mkdocs and readthedocs themes' search page ("Search Results", "Searching...": the results are filled in by its
# script) and the nature theme's site map (every page's title as a link, read as a passage of names: Debian's
# Python-Markdown and guizero manuals).
_MKDOCS_GENERATED_PAGES = {"search.html", "sitemap.html"}


def mkdocs_file(name: str) -> str:
    """Why a file at the top of a MkDocs build is left out: a page its theme generates, _MKDOCS_GENERATED_PAGES."""
    return INDEX_PAGE if name.lower() in _MKDOCS_GENERATED_PAGES else ""


def mkdocs_assets_folder(name: str) -> str:
    """Why a folder in a MkDocs build's ``assets/`` is left out: Material's scripts and styles."""
    return THEME_ASSETS if name in _MKDOCS_THEME_ASSETS else ""


def doxygen_folder(name: str) -> str:
    """Why a folder at the top of a Doxygen build is left out: ``search/``, its search engine's data (a script
    of every name for each letter, and the pages that show the results)."""
    return SEARCH_INDEX if name == "search" else ""


def doxygen_file(name: str) -> str:
    """Why a file at the top of a Doxygen build is left out ("" for a page of the documentation): its scripts
    (jQuery, the menus and their data, the navigation tree and its indexes, resizing, cookies: all of them
    Doxygen's, whatever the version names them), the source files as highlighted pages (``NAME_source.html``:
    the code, its documentation is on the class and file pages) and the generated indexes."""
    lower = name.lower()
    if lower.endswith(".js"):
        return DOXYGEN_SCRIPTS
    if lower.endswith("_source.html"):
        return SOURCE_PAGES
    if lower in _DOXYGEN_INDEX_PAGES or lower.endswith("-members.html") or (
            lower.startswith(_DOXYGEN_INDEX_PREFIXES) and lower.endswith(".html")):
        return INDEX_PAGE
    return ""


def sphinx_source_pages(name: str) -> str:
    """Why a folder at the top of a Sphinx build is left out: ``_modules/``, where the viewcode extension
    writes the project's code as highlighted pages. A third of a Sphinx build's chunks (pytest's: 1,404 of
    4,055), and code answers "how do I" by its length: the docs' own examples and the checkout say it better."""
    return SOURCE_PAGES if name == "_modules" else ""


def sphinx_index_page(name: str) -> str:
    """Why a page at the top of a Sphinx build is generated navigation (the general and module
    indexes, the search page), "" for a page of the documentation."""
    return INDEX_PAGE if name in _SPHINX_INDEX_PAGES else ""


# A gtk-doc HTML build (the API references of GLib, GTK and most C libraries Debian ships) is known by the Devhelp
# book gtk-doc writes beside its pages (NAME.devhelp2; NAME.devhelp before 1.12). Its generated indexes list every
# symbol with its kind ("asn1_read_value, function in libtasn1"): names and links only, what they list is on its own
# page, and they came first for questions about a function where its page's entry belonged (walk 24).
_GTKDOC_MARKS = (".devhelp2", ".devhelp")
_GTKDOC_INDEX_PAGES = {"deprecated-api-index.html", "annotation-glossary.html"}


# A Texinfo manual's index nodes (@printindex: "Concept Index", "Function and Type Index"), one page each when the
# manual is split per node, named as the manual names them: a table of every entry with a link to its node
# ("mpfr_fms: Arithmetic Functions"). Names and links only, what they list is on its own page, and they came before it
# for a question naming a function (walk 30). Known by makeinfo's generator meta in the head and the index's table:
# class "index-cp", "index-fn" (Texinfo 5 and 6) or "cp-entries-printindex" (7).
_TEXINFO_HEAD_BYTES = 16384
_MAKEINFO = re.compile(rb"<meta\b[^>]*\bcontent\s*=\s*[\"']?\s*(?:makeinfo|texi2any)", re.I)
_PRINTINDEX = re.compile(rb"<table\b[^>]*\bclass\s*=\s*[\"']?(?:index-[a-z]{2}\b|[a-z]{2}-entries-printindex\b)", re.I)


# Words an index node holds besides its index: its Next/Previous/Up bar (above and below), its title, the letters to
# jump to and a line or two of introduction. A manual made as one page (makeinfo --no-split) holds its index at its
# end too, and was skipped whole as an index page (probe 31).
_INDEX_NODE_WORDS = 150  # libffi's index node: 29 (entities counted)
_TABLE_END = re.compile(rb"</table\s*>", re.I)
_WORD_BYTES = re.compile(rb"[^\W\d_]{2,}")


def texinfo_index_page(data: bytes) -> bool:
    """Whether an HTML page's bytes are a Texinfo index node: makeinfo's page holding @printindex's table, and few
    words besides it (_INDEX_NODE_WORDS)."""
    if not (_MAKEINFO.search(data, 0, _TEXINFO_HEAD_BYTES) and _PRINTINDEX.search(data)):
        return False
    outside, at = [], 0
    for table in _PRINTINDEX.finditer(data):
        if table.start() < at:
            continue
        outside.append(data[at:table.start()])
        end = _TABLE_END.search(data, table.end())
        at = end.end() if end else len(data)
    outside.append(data[at:])
    text = _TAG.sub(b" ", _HEAD_AND_SCRIPTS.sub(b" ", _COMMENT.sub(b" ", b"".join(outside))))
    return len(_WORD_BYTES.findall(text)) <= _INDEX_NODE_WORDS


def gtkdoc_build(folder: Path, files: set[str], folders: set[str]) -> bool:
    """Whether ``folder`` (holding ``files`` and ``folders``) is the top of a gtk-doc HTML build."""
    return "index.html" in files and any(name.endswith(_GTKDOC_MARKS) for name in files)


def gtkdoc_file(name: str) -> str:
    """Why a file at the top of a gtk-doc build is left out: its generated indexes (all symbols, those added in a
    version, the deprecated ones) and the glossary of annotations every gtk-doc build carries."""
    lower = name.lower()
    if lower in _GTKDOC_INDEX_PAGES or (lower.startswith("api-index-") and lower.endswith(".html")):
        return INDEX_PAGE
    return ""


def _kept(name: str) -> str:
    return ""


@dataclass(frozen=True)
class BuildKind:
    """One kind of documentation build: how its top is known (the files only its builder writes there), and why a
    folder or a file at its top, or a folder inside one of its top folders (``within``), is left out."""

    name: Literal["sphinx", "doxygen", "mkdocs", "gtkdoc"]
    is_top: Callable[[Path, set[str], set[str]], bool]  # (folder, its files' names, its folders' names)
    folder: Callable[[str], str] = _kept
    file: Callable[[str], str] = _kept
    within: Mapping[str, Callable[[str], str]] = field(default_factory=dict)


BUILD_KINDS = (
    BuildKind("sphinx", sphinx_build, folder=sphinx_source_pages, file=sphinx_index_page),
    BuildKind("doxygen", doxygen_build, folder=doxygen_folder, file=doxygen_file),
    BuildKind("mkdocs", mkdocs_build, folder=mkdocs_folder, file=mkdocs_file, within={"assets": mkdocs_assets_folder}),
    BuildKind("gtkdoc", gtkdoc_build, file=gtkdoc_file),
)


def builds_at(folder: Path, files: set[str], folders: set[str]) -> tuple[BuildKind, ...]:
    """The kinds of build whose top ``folder`` is: none, one, or more (a project may build its docs with two)."""
    return tuple(kind for kind in BUILD_KINDS if kind.is_top(folder, files, folders))


def build_folder(kinds: tuple[BuildKind, ...], name: str) -> str:
    """Why the folder ``name`` at the top of builds of ``kinds`` is left out ("" when it is kept)."""
    return next((why for kind in kinds if (why := kind.folder(name))), "")


def build_file(kinds: tuple[BuildKind, ...], name: str) -> str:
    """Why the file ``name`` at the top of builds of ``kinds`` is left out ("" when it is kept)."""
    return next((why for kind in kinds if (why := kind.file(name))), "")


def rendered_page(build: Path, source: str) -> Path | None:
    """The page a file of a Sphinx build's ``_sources/`` was rendered to, if it is there.

    ``source`` is the path below ``_sources/``: Sphinx writes ``guide/intro.rst`` as
    ``_sources/guide/intro.rst.txt`` (old versions: ``intro.txt``) and renders it to
    ``guide/intro.html``, or ``guide/intro/index.html`` with the dirhtml builder.
    """
    doc = source[:-4] if source.endswith(".txt") else source
    for suffix in _SOURCE_SUFFIXES:
        if doc.endswith(suffix):
            doc = doc[: -len(suffix)]
            break
    # Debian ships some pages gzipped (changelog.html.gz), which docchat reads as the page
    for page in (build / f"{doc}.html", build / doc / "index.html", build / f"{doc}.html.gz"):
        if page.is_file():
            return page
    return None


MACHINE_LINE = 500  # characters: longer lines are not written by hand, or are a paragraph on one line
# Letters and spaces make 93-98% of paragraphs of prose; 58-80% of minified jQuery, underscore and CSS,
# a source map, and Sphinx's searchindex.js.
_WORDS_SHARE = 0.85
_NOT_WORDS = re.compile(r"[^\w\s]|[\d_]")


def built_from_sources(files: list[str]) -> dict[str, str]:
    """Each of ``files`` (paths in one folder tree) built from a source beside it -> that source's path: the
    same name in the same folder, in any case and Unicode form, with a source's suffix (``_BUILT_FROM``; a gzipped page as the
    page). Only files present count, so a source that is excluded or ignored leaves its build indexed."""
    by_stem: dict[tuple[str, str], dict[str, str]] = {}
    for rel in files:
        folder, _, name = read_as(PurePosixPath(rel)).as_posix().rpartition("/")
        # composed: a Mac writes "café.md" decomposed, and the "café.html" made from it here is not (probe 14)
        stem, dot, suffix = unicodedata.normalize("NFC", name).lower().rpartition(".")
        if dot and stem:
            by_stem.setdefault((folder, stem), {}).setdefault("." + suffix, rel)
    built: dict[str, str] = {}
    for (folder, stem), present in by_stem.items():
        for suffix, rel in present.items():
            source = next((present[s] for s in _BUILT_FROM.get(suffix, ()) if s in present), None)
            if source is None and MAN_SUFFIX.match(suffix):
                source = _page_source(by_stem, folder, stem, suffix)
            elif source is None and suffix in (".html", ".htm", ".pdf") and MAN_SUFFIX.search(stem):
                page, _, page_suffix = stem.rpartition(".")
                source = by_stem.get((folder, page), {}).get("." + page_suffix)
            if source is not None:
                built[rel] = source
    return built


# A manual page made from Markdown or reStructuredText (Ronn's and pandoc's "tool.1.md", "tool.md", "tool.1.rst")
# or from AsciiDoc's text (git's Documentation/git-add.txt beside git-add.1), and its HTML or PDF made from the page
# ("tool.1.html"): one document, read in its source (walk 40).
_PAGE_SOURCES = (".md", ".markdown", ".rst", ".adoc", ".txt")


def _page_source(by_stem: dict[tuple[str, str], dict[str, str]], folder: str, stem: str, suffix: str) -> str | None:
    """The source a manual page ``stem + suffix`` was made from, if one is beside it."""
    for present in (by_stem.get((folder, stem + suffix), {}), by_stem.get((folder, stem), {})):
        source = next((present[s] for s in _PAGE_SOURCES if s in present), None)
        if source is not None:
            return source
    return None


def machine_length(text: str) -> bool:
    """Whether a text or code file's lines are machine-length: the median line (blank ones aside)
    is over MACHINE_LINE characters and the long lines are not words. A book with a paragraph per
    line has long lines too, but they are letters and spaces; minified code and JSON are not."""
    import statistics  # here: with fractions, decimal and random, not in every reading worker's start

    lengths = [len(line) for line in text.splitlines() if line.strip()]
    if not lengths or statistics.median(lengths) <= MACHINE_LINE:
        return False
    long = [line for line in text.splitlines() if len(line) > MACHINE_LINE]
    chars = sum(len(line) for line in long)
    other = sum(len(_NOT_WORDS.findall(line)) for line in long)
    return (chars - other) / chars < _WORDS_SHARE


ENCODED_CHARS = 1024
ENCODED_WORDS = 12  # "BEGIN OPENSSH PRIVATE KEY", "END OPENSSH PRIVATE KEY" around a key's block are eight
_WORD = re.compile(r"[^\W\d_]{2,}")


def encoded_data(text: str) -> bool:
    """Whether a text file is base64 (a certificate or a key saved as .txt, an exported blob): ENCODED_CHARS or more
    in blocks of base64 lines, and fewer than ENCODED_WORDS words outside them. Read, it was a chunk of a few letters
    of noise (the block cut short) or, before, thousands; a page with words around such a block is read, the block
    cut short."""
    chars, outside = encoded_parts(text)
    return chars >= ENCODED_CHARS and len(_WORD.findall(outside, 0, 10_000)) < ENCODED_WORDS

"""EPUB books (2 and 3): a zip of XHTML pages, read in the order of the OPF's spine, each page through the HTML reader,
under the trail "Book title > Chapter > section".

A page's chapter is the name the book's contents (EPUB 3's nav, EPUB 2's NCX) give it, as a reader finds it in the
book's table of contents; a page the contents do not list continues the chapter before it (a converter splits a long
chapter in files), unless it opens with a heading of its own. Each section's ``page`` is the page's place in the
reading order (a PDF's page is cited so): Hit.location cites the chapter by its name, the book's name for a
page under it alone (the title page, a chapter named as the book), that number where there is no heading at all.

Left out: the nav page (the contents again, every chapter's name in one chunk) and the cover (an image). Footnotes
stay where the book puts them, read as text: EPUB 3's <aside epub:type="footnote"> (which the HTML reader leaves out
as a sidebar) becomes a block, and a note's reference reads "[1]" (not glued to the word before it, "word1").
A book under DRM (its pages encrypted) is named and skipped; fonts obfuscated as EPUB allows are no DRM.

A print edition's pages (EPUB 3's page-list nav, EPUB 2's NCX pageList, the page breaks marked in the text) are not
cited: a section's ``page`` is a number in the reading order, and a printed page ("xii") would be a new field of the
store's chunks. Their numbers are kept out of the text (a break's "7" read "rock.7 They grow"), and a page list is
never taken for the contents.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag

from lxml import etree

from jupyter_docchat.indexing.readers.base import UnreadableFile, decode, looks_binary, short_heading
from jupyter_docchat.indexing.readers.html import html_sections
from jupyter_docchat.indexing.readers.office_package import open_checked
from jupyter_docchat.indexing.readers.package_xml import parse_xml, part_xml
from jupyter_docchat.types import HeadingTrail, Section

_CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
_OPF = "{http://www.idpf.org/2007/opf}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_NCX = "{http://www.daisy.org/z3986/2005/ncx/}"
_XHTML = "{http://www.w3.org/1999/xhtml}"
_EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
_ENC = "{http://www.w3.org/2001/04/xmlenc#}"
# The two ways EPUB lets a book obfuscate its embedded fonts (IDPF's and Adobe's): a font so mangled is no DRM.
_FONT_OBFUSCATION = {"http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC"}
_PAGE_TYPES = {"application/xhtml+xml", "text/html", "application/x-dtbook+xml"}
_NOTE_TYPES = {"footnote", "endnote", "rearnote", "note", "doc-footnote", "doc-endnote"}
# By EPUB 3's epub:type, ARIA's role, or the class pandoc gives them in EPUB 2 (which has no epub:type).
_NOTEREF_TYPES = {"noteref", "doc-noteref", "footnote-ref"}
_BACKLINK_TYPES = {"doc-backlink", "backlink", "footnote-back"}
# A print edition's page break, marked where it falls (its number as text, often): "rock.7 They grow" was read as a
# sentence.
_PAGEBREAK_TYPES = {"pagebreak", "doc-pagebreak"}
# The nav page's lists that are no contents: the print pages ("7", "ix") and the book's landmarks.
_NOT_CONTENTS = {"page-list", "landmarks", "doc-pagelist"}
_WORDS = re.compile(r"[^\W_]+")
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_NOTES_TYPES = {"footnotes", "endnotes", "rearnotes", "doc-endnotes"}  # a page's notes, together at its end
NOTES_HEADING = "Notes"
# The roots of an EPUB's own parts (OPF, NCX, container, encryption): a spine that reads one as a page read the OPF's
# identifier as the book's last page ("urn:uuid:...").
_PACKAGE_PARTS = {"package", "ncx", "container", "encryption", "rights"}


@dataclass
class _Book:
    title: str = ""
    pages: list[str] = field(default_factory=list)  # the spine's pages, their paths in the zip, in reading order
    chapters: dict[str, str] = field(default_factory=dict)  # page path -> its name in the book's contents


def read_epub(path: Path, data: bytes) -> list[Section]:
    with open_checked(data, "epub") as package:
        _refuse_drm(package)
        book = _book(package, path)
        sections: list[Section] = []
        chapter, number, pages = "", 0, set(book.pages)
        for page in book.pages:
            try:
                markup = package.read(page)
            except KeyError:  # a spine naming a page the zip lacks: the others are read
                continue
            except (zipfile.BadZipFile, OSError, ValueError) as exc:
                raise UnreadableFile(f"unreadable .epub ({type(exc).__name__})") from None
            if looks_binary(markup):  # an image or a font the manifest calls a page: no text in it
                continue
            html = _as_html(_utf8_unless_declared(markup), page, pages)
            page_sections = html_sections(html, posixpath.basename(page)) if html else []
            if not page_sections:
                continue
            # A page the contents do not name continues the chapter before it, unless a heading opens it.
            opening = [part for part in HeadingTrail.of(page_sections[0].heading).parts if not _same(part, (book.title,))]
            page_chapter = book.chapters.get(page) or (opening[0] if opening else chapter)
            if _same(" ".join(s.text for s in page_sections), (f"{book.title} {page_chapter}",)):
                # A title page of the title alone (pandoc's), a part's divider ("About", "User" in live-manual): a chunk
                # that only names the book or the part, taking an answer's place.
                continue
            chapter, number = page_chapter, number + 1
            for section in page_sections:
                section.heading = _trail(book.title, chapter, section.heading)
                section.page = number
                section.kind = "epub"
                sections.append(section)
    return sections


def _trail(title: str, chapter: str, heading: str) -> str:
    """"Book > Chapter > the page's own headings below the chapter's name" (a page's first heading is the chapter's
    name again, mostly, and its <title> the book's)."""
    parts = list(HeadingTrail.of(heading).parts)
    while parts and _same(parts[0], (title, chapter)):
        parts.pop(0)
    # The title page, or a chapter named as the book (systemd's "Hacking on systemd"): the trail names it once, and the
    # chunk is cited by the book's name. Only a name of the book's words and all of them: a chapter "Notes" of the
    # book "Developer notes" is a chapter of its own.
    chapter = "" if _same(chapter, (title,)) and _same(title, (chapter,)) else chapter
    return str(HeadingTrail(tuple(p for p in (title, chapter, *parts) if p)))


def _same(part: str, names: tuple[str, ...]) -> bool:
    """Whether a heading names one of ``names`` again: in none but its words (the contents' "1. Crustose lichens" over
    the page's "Crustose lichens")."""
    words = set(_WORDS.findall(part.casefold()))
    return bool(words) and any(words <= set(_WORDS.findall(name.casefold())) for name in names if name)


def _refuse_drm(package: zipfile.ZipFile) -> None:
    """UnreadableFile for a book whose pages are encrypted (Adobe's ADEPT, Apple's FairPlay, Readium LCP...): only
    the fonts may be obfuscated."""
    names = set(package.namelist())
    if "META-INF/rights.xml" in names or "META-INF/license.lcpl" in names:
        raise UnreadableFile("DRM-protected .epub: only a book without DRM can be indexed")
    root = part_xml(package, "META-INF/encryption.xml")
    if root is None:
        return
    for data in root.iter(f"{_ENC}EncryptedData"):
        method = data.find(f"{_ENC}EncryptionMethod")
        if method is None or method.get("Algorithm") not in _FONT_OBFUSCATION:
            raise UnreadableFile("DRM-protected .epub (its pages are encrypted): only a book without DRM can be indexed")


def _book(package: zipfile.ZipFile, path: Path) -> _Book:
    opf_path = _opf_path(package)
    opf = part_xml(package, opf_path) if opf_path else None
    if opf is None:
        raise UnreadableFile("unreadable .epub (no package document)")
    base = posixpath.dirname(opf_path)
    manifest: dict[str, tuple[str, str, set[str]]] = {}  # id -> (path, media type, properties)
    names = set(package.namelist())
    for item in opf.iter(f"{_OPF}item"):
        href = item.get("href")
        if href:
            manifest[item.get("id") or ""] = (_item_path(base, href, names), (item.get("media-type") or "").strip().lower(),
                                              set((item.get("properties") or "").split()))
    title_element = next(opf.iter(f"{_DC}title"), None)
    title = short_heading(etree.tostring(title_element, method="text", encoding=str, with_tail=False)
                          if title_element is not None else "") or short_heading(path.stem)
    spine = next(opf.iter(f"{_OPF}spine"), None)
    skip = _cover_pages(opf, base)
    nav = {path for path, _, props in manifest.values() if "nav" in props}
    pages = []
    for ref in spine.iter(f"{_OPF}itemref") if spine is not None else ():
        page, media, _ = manifest.get(ref.get("idref") or "", ("", "", set()))
        if page and media in _PAGE_TYPES and page not in nav and page not in skip and page not in pages:
            pages.append(page)
    chapters: dict[str, str] = {}
    for nav_page in nav:
        _nav_names(part_xml(package, nav_page), posixpath.dirname(nav_page), chapters, names)
    ncx = manifest.get(spine.get("toc") or "") if spine is not None else None
    ncx_path = ncx[0] if ncx else next((p for p, media, _ in manifest.values() if media == "application/x-dtbncx+xml"),
                                       None)
    if ncx_path and not chapters:
        _ncx_names(part_xml(package, ncx_path), posixpath.dirname(ncx_path), chapters, names)
    return _Book(title, pages, chapters)


def _opf_path(package: zipfile.ZipFile) -> str:
    """The package document's path: the first rootfile META-INF/container.xml names, else the zip's first .opf."""
    container = part_xml(package, "META-INF/container.xml")
    if container is not None:
        for rootfile in container.iter(f"{_CONTAINER}rootfile"):
            full_path = rootfile.get("full-path")
            if full_path and (rootfile.get("media-type") or "application/oebps-package+xml") == "application/oebps-package+xml":
                name = unquote(full_path).lstrip("/")
                if name in package.namelist():  # a container naming a part the zip lacks: the zip's own .opf
                    return name
    return next((name for name in package.namelist() if name.lower().endswith(".opf")), "")


def _item_path(base: str, href: str, names: set[str]) -> str:
    """A manifest item's path in the zip. Its href is a URL, but converters write a file's own name there unescaped:
    "ch%201.xhtml" and "a#b.xhtml" named files so named, and were read as "ch 1.xhtml" and "a.xhtml", pages the zip
    lacks (the chapter was left out in silence; probe 36). The name as written, when only it is in the zip."""
    path = _resolve(base, href)
    if path in names:
        return path
    raw = posixpath.normpath(posixpath.join(base, href)).lstrip("/")
    return raw if raw in names else path


def _resolve(base: str, href: str) -> str:
    """A reference's path in the zip: relative to the part that makes it, without its fragment, percent-decoded."""
    return posixpath.normpath(posixpath.join(base, unquote(urldefrag(href)[0]))).lstrip("/")


def _cover_pages(opf: Any, base: str) -> set[str]:
    """The pages that show the cover (EPUB 2's guide names them): an image, with "Cover" its only text."""
    return {_resolve(base, ref.get("href") or "") for ref in opf.iter(f"{_OPF}reference")
            if (ref.get("type") or "").lower() == "cover" and ref.get("href")}


def _nav_names(nav: Any, base: str, chapters: dict[str, str], names: set[str]) -> None:
    """Each page's name in EPUB 3's contents: the outermost entry naming it (a chapter over its sections)."""
    if nav is None:
        return
    tocs = [n for n in nav.iter(f"{_XHTML}nav") if "toc" in (n.get(_EPUB_TYPE) or "").split()] or \
        [n for n in nav.iter(f"{_XHTML}nav") if not _NOT_CONTENTS & set((n.get(_EPUB_TYPE) or "").split())][:1]
    for toc in tocs:
        for link in toc.iter(f"{_XHTML}a"):
            href = link.get("href")
            if href:
                name = short_heading(etree.tostring(link, method="text", encoding=str, with_tail=False))
                if name:
                    chapters.setdefault(_item_path(base, href, names), name)


def _ncx_names(ncx: Any, base: str, chapters: dict[str, str], names: set[str]) -> None:
    """EPUB 2's contents (the NCX's navMap, entries in reading order, a chapter before its sections)."""
    if ncx is None:
        return
    for point in ncx.iter(f"{_NCX}navPoint"):
        label, content = point.find(f"{_NCX}navLabel/{_NCX}text"), point.find(f"{_NCX}content")
        if label is not None and content is not None and content.get("src"):
            name = short_heading(label.text or "")
            if name:
                chapters.setdefault(_item_path(base, content.get("src") or "", names), name)


_DECLARED = re.compile(rb"\s*<\?xml[^>]*\bencoding\s*=")


def _utf8_unless_declared(markup: bytes) -> bytes:
    """A page as XML reads it: as written when it is UTF-8 (or UTF-16 with its BOM) or its XML header names its
    encoding; else decoded as docchat decodes a text file (cp1252 for a Western page) and written as UTF-8. XML reads
    a page with no header as UTF-8, and a cp1252 page's "Caf\xe9" was "Caf\ufffd" (probe 36)."""
    if markup.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or _DECLARED.match(markup):
        return markup
    try:
        markup.decode("utf-8")
    except UnicodeDecodeError:
        return decode(markup).encode("utf-8")
    return markup


def _as_html(markup: bytes, page: str, pages: set[str]) -> str:
    """An XHTML page as the HTML reader should read it: its footnotes as blocks (EPUB 3 writes them as <aside>, which
    the reader leaves out as a sidebar), a note's reference as "[1]", a note's link back left out, and no <title>
    (a book's pages repeat the book's title there, or a converter's "Unknown"; the trail names book and chapter).
    "" for a page of contents the spine reads as a page (EPUB 2 has no nav page: live-manual's index.xhtml)."""
    root = parse_xml(markup)
    if root is None:  # not XML: read as the HTML it may be
        return decode(markup)
    if etree.QName(root).localname in _PACKAGE_PARTS:  # the book's own parts the manifest calls a page
        return ""
    if _contents_page(root, page, pages):
        return ""
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        local = etree.QName(element).localname
        if element.tag.startswith(_XHTML):
            # As HTML's own elements: serialized as HTML, an XHTML <br/> in its namespace was "<br></br>", two breaks.
            element.tag = local
        types = {word for name in (_EPUB_TYPE, "role", "class") for word in (element.get(name) or "").split()}
        if local == "title":
            _drop(element)
        elif types & _BACKLINK_TYPES or _PAGEBREAK_TYPES & {word for name in (_EPUB_TYPE, "role")
                                                            for word in (element.get(name) or "").split()}:
            _drop(element)  # a page break by its type, not its class: a converter's class="pagebreak" may hold text
        elif types & _NOTEREF_TYPES:
            mark = " ".join(etree.tostring(element, method="text", encoding=str, with_tail=False).split()).strip("[]")
            tail = element.tail
            element.clear()
            element.text, element.tail = f"[{mark}]" if mark else "", tail
        elif local == "aside" and types & _NOTE_TYPES:
            element.tag = "div"
        elif types & _NOTES_TYPES and not any(etree.QName(e).localname in _HEADINGS for e in element.iter()
                                              if isinstance(e.tag, str)):
            # Under a heading of their own, not the last section's ("Sampling" held the chapter's notes): a section
            # heading at the page's top level, so the trail reads "Book > Chapter > Notes".
            heading = etree.Element("h1")
            heading.text = NOTES_HEADING
            element.insert(0, heading)
    etree.cleanup_namespaces(root)
    return etree.tostring(root, encoding=str, method="html")


# A page is the book's contents when most of its words are links to its other pages, and there are a few of them.
_CONTENTS_SHARE, _CONTENTS_LINKS = 0.7, 5


def _contents_page(root: Any, page: str, pages: set[str]) -> bool:
    body = next((e for e in root.iter() if isinstance(e.tag, str) and etree.QName(e).localname == "body"), root)
    words = len(etree.tostring(body, method="text", encoding=str).split())
    base, linked, links = posixpath.dirname(page), 0, 0
    for link in body.iter(f"{_XHTML}a", "a"):
        href = link.get("href") or ""
        target = _resolve(base, href) if href and not href.startswith("#") else page
        if target != page and target in pages:
            links += 1
            linked += len(etree.tostring(link, method="text", encoding=str, with_tail=False).split())
    return links >= _CONTENTS_LINKS and linked >= _CONTENTS_SHARE * words


def _drop(element: Any) -> None:
    """Removes an element, its tail kept."""
    parent = element.getparent()
    if parent is None:
        return
    tail, previous = element.tail, element.getprevious()
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)

"""Books and LibreOffice's files written by a test: an EPUB's zip (container, OPF, nav or NCX, XHTML pages) and an
OpenDocument file's (content.xml, styles.xml, meta.xml), or its flat XML, laid out as EPUB and OpenDocument say, so no
test needs pandoc or LibreOffice."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape


def _put(package: zipfile.ZipFile, name: str | zipfile.ZipInfo, data: str | bytes) -> None:
    """A part written as a file may hold it: broken characters (lone surrogates) and all."""
    package.writestr(name, data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)

_CONTAINER = ('<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
              '<rootfiles><rootfile full-path="{opf}" media-type="application/oebps-package+xml"/></rootfiles>'
              '</container>')


def xhtml(body: str, title: str = "Unknown") -> str:
    return ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml" '
            f'xmlns:epub="http://www.idpf.org/2007/ops">\n<head><title>{escape(title)}</title></head>\n'
            f'<body>\n{body}\n</body>\n</html>\n')


def epub_bytes(title: str, pages: list[tuple[str, str]], spine: list[int] | None = None, version: int = 3,
               toc: dict[str, str] | None = None, extra: dict[str, bytes] | None = None, folder: str = "OEBPS",
               cover: bool = True, page_list: dict[str, str] | None = None) -> bytes:
    """A book: ``pages`` (file name, XHTML) in the manifest, read in ``spine``'s order (their indexes); ``toc`` names
    pages (file name -> chapter) in EPUB 3's nav or EPUB 2's NCX; a cover page and image the spine opens with;
    ``page_list`` the print pages (link as "ch1.xhtml#p7" -> page label) in the nav's page-list or the NCX's
    pageList."""
    spine = list(range(len(pages))) if spine is None else spine
    toc = toc or {}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        _put(book, zipfile.ZipInfo("mimetype"), "application/epub+zip")
        _put(book, "META-INF/container.xml", _CONTAINER.format(opf=f"{folder}/content.opf"))
        items = [f'<item id="p{n}" href="text/{escape(name, {chr(34): "&quot;"})}" media-type="application/xhtml+xml"/>'
                 for n, (name, _) in enumerate(pages)]
        refs = [f'<itemref idref="p{n}"/>' for n in spine]
        guide = ""
        if cover:
            _put(book, f"{folder}/images/cover.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
            _put(book, f"{folder}/text/cover.xhtml", xhtml('<div><img src="../images/cover.png" alt="cover"/></div>'))
            items += ['<item id="cover-image" href="images/cover.png" media-type="image/png" properties="cover-image"/>',
                      '<item id="cover" href="text/cover.xhtml" media-type="application/xhtml+xml"/>']
            refs.insert(0, '<itemref idref="cover" linear="no"/>')
            guide = '<guide><reference type="cover" href="text/cover.xhtml" title="Cover"/></guide>'
        links = "".join(f'<li><a href="text/{name}">{escape(label)}</a></li>' for name, label in toc.items())
        printed = "".join(f'<li><a href="text/{link}">{escape(label)}</a></li>'
                          for link, label in (page_list or {}).items())
        if version == 3:
            listed = f'<nav epub:type="page-list" hidden=""><h2>Pages</h2><ol>{printed}</ol></nav>' if page_list else ""
            _put(book, f"{folder}/nav.xhtml",
                 xhtml(f'{listed}<nav epub:type="toc"><h1>Contents</h1><ol>{links}</ol></nav>'))
            items.append('<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>')
            refs.insert(1 if cover else 0, '<itemref idref="nav"/>')  # many books read their contents as a page too
        else:
            points = "".join(f'<navPoint id="n{n}" playOrder="{n}"><navLabel><text>{escape(label)}</text></navLabel>'
                             f'<content src="text/{name}"/></navPoint>' for n, (name, label) in enumerate(toc.items(), 1))
            _put(book, f"{folder}/toc.ncx", '<?xml version="1.0"?><ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" '
                          f'version="2005-1"><navMap>{points}</navMap>{_page_targets(page_list)}</ncx>')
            items.append('<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>')
        _put(book, f"{folder}/content.opf", (
            f'<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="{version}.0" '
            'unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f'<dc:identifier id="id">urn:uuid:1</dc:identifier><dc:title>{escape(title)}</dc:title></metadata>'
            f'<manifest>{"".join(items)}</manifest><spine{"" if version == 3 else " toc=" + chr(34) + "ncx" + chr(34)}>'
            f'{"".join(refs)}</spine>{guide}</package>'))
        for name, page in pages:
            _put(book, f"{folder}/text/{name}", page)
        for name, data in (extra or {}).items():
            _put(book, name, data)
    return out.getvalue()


_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
       'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
       'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
       'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
       'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
       'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" '
       'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
       'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"')
_LISTS = ('<office:automatic-styles><text:list-style style:name="L1"><text:list-level-style-bullet text:level="1"/>'
          '<text:list-level-style-number text:level="2" style:num-format="a"/></text:list-style>'
          '<text:list-style style:name="L2"><text:list-level-style-number text:level="1" style:num-format="1"/>'
          '</text:list-style></office:automatic-styles>')


def odf_bytes(kind: str, body: str, styles: str = "", title: str = "", flat: bool = False) -> bytes:
    """An OpenDocument file: ``kind`` "text" or "presentation", ``body`` the XML inside office:body's element."""
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_NS}>{_LISTS}'
               f'<office:body><office:{kind}>{body}</office:{kind}></office:body></office:document-content>')
    meta = f'<office:document-meta {_NS}><office:meta><dc:title>{escape(title)}</dc:title></office:meta></office:document-meta>'
    style_xml = f'<office:document-styles {_NS}><office:master-styles>{styles}</office:master-styles></office:document-styles>'
    if flat:
        return (f'<?xml version="1.0" encoding="UTF-8"?><office:document {_NS}>{_LISTS}<office:master-styles>{styles}'
                f'</office:master-styles><office:body><office:{kind}>{body}</office:{kind}></office:body>'
                '</office:document>').encode("utf-8", "surrogatepass")
    out = io.BytesIO()
    mime = f"application/vnd.oasis.opendocument.{kind}"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        _put(package, zipfile.ZipInfo("mimetype"), mime)
        _put(package, "META-INF/manifest.xml", '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:'
                         'xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="'
                         f'{mime}"/></manifest:manifest>')
        _put(package, "content.xml", content)
        _put(package, "styles.xml", style_xml)
        if title:
            _put(package, "meta.xml", meta)
    return out.getvalue()


def _page_targets(page_list: dict[str, str] | None) -> str:
    if not page_list:
        return ""
    targets = "".join(f'<pageTarget id="pt{n}" type="normal" value="{n}" playOrder="{n + 100}"><navLabel><text>'
                      f'{escape(label)}</text></navLabel><content src="text/{link}"/></pageTarget>'
                      for n, (link, label) in enumerate(page_list.items(), 1))
    return f"<pageList><navLabel><text>Pages</text></navLabel>{targets}</pageList>"

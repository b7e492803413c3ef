"""An XML part of a zip package (an EPUB's container and OPF, an OpenDocument's content.xml) parsed safely: no entity
expanded (a billion-laughs part), no DTD or network fetched, a broken part read as far as it goes."""

from __future__ import annotations

import zipfile
from typing import Any

from lxml import etree

from jupyter_docchat.indexing.readers.base import UnreadableFile


def _parser() -> Any:
    # huge_tree: a part's size is bounded already (office_package's limits), and a long book's page holds text nodes
    # over libxml2's default 10 MB.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, recover=True, huge_tree=True,
                           remove_comments=True, remove_pis=True)


def parse_xml(data: bytes) -> Any:
    """The root element of ``data``, or None for a part that holds no XML at all. UnreadableFile for a part past
    libxml2's limits: entities that amplify past them (a billion-laughs part; libxml2 stops though it expands none of
    them) or elements nested over 2,048 deep. What it recovered was the part cut there, read in silence as the whole:
    an OPF lost its spine, the book read as no text (probe 36)."""
    parser = _parser()
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError):
        return None
    for error in parser.error_log:
        if error.type_name == "ERR_RESOURCE_LIMIT":
            raise UnreadableFile(_BEYOND_LIMIT[0] if "amplification" in error.message else _BEYOND_LIMIT[1])
    return root


_BEYOND_LIMIT = ("unreadable (its XML declares entities that expand past any limit: a billion-laughs file)",
                 "unreadable (its XML is nested too deep to read)")


def part_xml(package: zipfile.ZipFile, name: str) -> Any:
    """The root of the part ``name``, or None when the package lacks it or it holds no XML."""
    try:
        data = package.read(name)
    except KeyError:
        return None
    return parse_xml(data)

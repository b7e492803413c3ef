"""An XML part of a zip package (an EPUB's container and OPF, an OpenDocument's content.xml) parsed safely: no entity
expanded (a billion-laughs part), no DTD or network fetched, a broken part read as far as it goes."""

from __future__ import annotations

import zipfile
from typing import Any

from lxml import etree


def _parser() -> Any:
    # huge_tree: a part's size is bounded already (office_package's limits), and a long book's page holds text nodes
    # over libxml2's default 10 MB.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, recover=True, huge_tree=True,
                           remove_comments=True, remove_pis=True)


def parse_xml(data: bytes) -> Any:
    """The root element of ``data``, or None for a part that holds no XML at all."""
    try:
        return etree.fromstring(data, _parser())
    except (etree.XMLSyntaxError, ValueError):
        return None


def part_xml(package: zipfile.ZipFile, name: str) -> Any:
    """The root of the part ``name``, or None when the package lacks it or it holds no XML."""
    try:
        data = package.read(name)
    except KeyError:
        return None
    return parse_xml(data)

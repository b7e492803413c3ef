"""XPath expressions compiled once per process: lxml compiles the string of every ``element.xpath(...)`` call again,
and a page's dozen expressions took a tenth of reading a folder of small HTML pages (mpich's 966)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=256)
def _compiled(expression: str) -> Any:
    from lxml import etree

    # An XPath object evaluates under its own lock: a thread reading in-process beside another is safe.
    return etree.XPath(expression)


def xpath(element: Any, expression: str, **variables: Any) -> Any:
    """``element.xpath(expression, **variables)``, the expression compiled once."""
    return _compiled(expression)(element, **variables)


def has_class(name: str) -> str:
    """An XPath test that an element's class attribute holds the class ``name`` (one of its words, as CSS's ``.name``)."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"

"""A MkDocs page's text as its reader sees it: the theme's buttons left out, code without its line numbers, each
tab's label over its own content. Only for a page MkDocs wrote (Material's ``<meta name="generator" content="mkdocs-1.4.2,
mkdocs-material-8.2.5">``, the built-in themes' marks): the classes below are Material's and the Python-Markdown extensions' (pymdownx) own
names, and another site's may mean other things."""

from __future__ import annotations

from typing import Any

from jupyter_docchat.indexing.readers.xpath import has_class, xpath

# Material's "Back to top" button (a link in 8.x, a button in 9.x, inside <main> on every page), the "Last update"
# line of the git-revision-date plugins (a div in 8.x; 9.x's <aside> is left out already), and the edit and view
# source buttons (an icon, some with words). md-top read "Back to top" at the end of every page's last passage.
_CHROME_CLASSES = ("md-top", "md-source-file", "md-content__button")
_CHROME_COMPONENTS = ("top",)


def is_mkdocs(doc: Any) -> bool:
    """Whether MkDocs wrote the page: its generator meta (Material's), or the marks of MkDocs' own themes, which write
    none: the mkdocs theme's search box (ids mkdocs-search-query, mkdocs-search-results), the readthedocs theme's
    script naming the page (``var mkdocs_page_name = ...``)."""
    if any(str(content).lstrip().lower().startswith("mkdocs")
           for content in xpath(doc, "//meta[@name='generator']/@content")):
        return True
    # "[@id]" first: the comparisons then run on the elements with an id only (the same elements, half the time).
    return bool(xpath(doc, "/descendant::*[@id][@id='mkdocs-search-query' or @id='mkdocs-search-results'] | "
                           "/descendant::head/script[contains(., 'mkdocs_page_name')]"))


def tidy_mkdocs(doc: Any, drop: Any) -> None:
    """Rewrite a MkDocs page in place for reading: ``drop`` removes an element (its tail kept)."""
    from lxml import etree

    classes = " or ".join(has_class(name) for name in _CHROME_CLASSES)
    components = " or ".join(f"@data-md-component='{name}'" for name in _CHROME_COMPONENTS)
    for tag in xpath(doc, f"//*[{classes} or {components}]"):
        if tag.getparent() is not None:
            drop(tag)
    # Pygments' line numbers (pymdownx.highlight's linenums) go on every page: html.py's _drop_line_numbers.
    # pymdownx.tabbed's alternate style (Material's): the labels of all the tabs in one row above their contents,
    # read glued ("PythonShell") and away from what each names. Each label is put at the top of its tab's block.
    for tabs in xpath(doc, f"//div[{has_class('tabbed-set')}]"):
        labels = [label for bar in xpath(tabs, f"./div[{has_class('tabbed-labels')}]") for label in bar.iter("label")]
        blocks = xpath(tabs, f"./div[{has_class('tabbed-content')}]/div[{has_class('tabbed-block')}]")
        if not labels or len(labels) != len(blocks):
            continue
        for label, block in zip(labels, blocks):
            title = etree.Element("p")
            title.text, title.sourceline = " ".join("".join(label.itertext()).split()), label.sourceline
            title.tail = block.text
            block.text = None
            block.insert(0, title)
        for bar in xpath(tabs, f"./div[{has_class('tabbed-labels')}]"):
            drop(bar)

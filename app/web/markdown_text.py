"""Instructor-written Markdown (assignment instructions) as safe HTML.

Raw HTML is never passed through: the block and inline HTML readers are removed, so `<b>` is
shown as text. Links keep only http(s), mailto and same-site addresses, and open nothing new;
images are dropped (the page's CSP would block outside ones anyway, and an instructor who wants
one can link to it).
"""

from __future__ import annotations

from urllib.parse import urlsplit
from xml.etree import ElementTree

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

SAFE_SCHEMES = {"http", "https", "mailto", ""}


def safe_href(href: str) -> bool:
    # Browsers ignore tabs and newlines inside a scheme ("java\tscript:"), so drop them first.
    cleaned = "".join(ch for ch in href if ch not in "\t\r\n").strip()
    try:
        scheme = urlsplit(cleaned).scheme.lower()
    except ValueError:
        return False
    # A colon before any / ? # is a scheme to a browser even where urlsplit sees none.
    head = cleaned.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    if ":" in head and scheme not in SAFE_SCHEMES - {""}:
        return False
    return scheme in SAFE_SCHEMES and not cleaned.startswith("//")


class _Sanitize(Treeprocessor):
    def run(self, root: ElementTree.Element) -> None:
        for parent in root.iter():
            for child in list(parent):
                if child.tag == "img":
                    # A span in its place keeps the alt text and the text after it.
                    index = list(parent).index(child)
                    parent.remove(child)
                    span = ElementTree.Element("span")
                    span.text, span.tail = child.get("alt") or "", child.tail
                    parent.insert(index, span)
                elif child.tag == "a":
                    href = child.get("href", "")
                    attrib = {"href": href} if safe_href(href) else {}
                    if attrib:
                        attrib["rel"] = "nofollow noopener"
                    child.attrib.clear()
                    child.attrib.update(attrib)


class _NoRawHtml(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (the library's name)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_Sanitize(md), "gradwork_sanitize", 0)


def render(text: str | None) -> Markup:
    """Markdown to HTML that can be put in a page as it is."""
    converter = markdown.Markdown(extensions=[_NoRawHtml(), "sane_lists"],
                                  output_format="html")
    # The converter escapes every < and & that no Markdown rule turned into markup.
    return Markup(converter.convert(text or ""))  # noqa: S704

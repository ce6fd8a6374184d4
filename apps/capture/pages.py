"""Read what the bookmarklet (or a paste) sends about a page: its address, its title, its
JSON-LD and meta tags. Nothing here fetches anything; it only reads the text it is given.

Input is hostile by default: every string is trimmed, capped and stripped of markup before it
reaches a form, and only the first MAX_SOURCE characters of a paste are read."""

import html
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

MAX_SOURCE = 2_000_000
MAX_JSONLD_BLOCKS = 20
MAX_FIELD = 300
MAX_DESCRIPTION = 5_000
MAX_DEPTH = 12


def clean_text(value, limit: int = MAX_FIELD) -> str:
    """Plain text from a field that may hold HTML, entities (even twice-escaped) or nothing."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = ", ".join(clean_text(item, limit) for item in value if item)
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or ""
    text = str(value)[: limit * 4]
    for _ in range(2):  # "&amp;lt;p&amp;gt;" is common in postings: unescape, strip, twice
        text = html.unescape(text)
        text = re.sub(r"<[^>]*>", " ", text)
    return " ".join(text.split())[:limit]


def clean_url(value) -> str:
    text = clean_text(value, 500)
    try:
        parts = urlsplit(text)
    except ValueError:
        return ""
    return text if parts.scheme in ("http", "https") and parts.netloc else ""


class _HeadReader(HTMLParser):
    """JSON-LD blocks, meta tags and the <title> of a page's source."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.jsonld: list[str] = []
        self.meta: dict[str, str] = {}
        self.title = ""
        self._in = None
        self._buffer: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = {k.lower(): (v or "") for k, v in attrs}
        if tag == "script" and attrs.get("type", "").lower().startswith("application/ld+json"):
            self._in, self._buffer = "jsonld", []
        elif tag == "title" and not self.title:
            self._in, self._buffer = "title", []
        elif tag == "meta":
            key = (attrs.get("property") or attrs.get("name") or "").lower()
            if key and key not in self.meta and "content" in attrs:
                self.meta[key] = attrs["content"]
        elif tag == "link" and "canonical" in attrs.get("rel", "").lower().split():
            self.meta.setdefault("canonical", attrs.get("href", ""))

    def handle_data(self, data):
        if self._in:
            self._buffer.append(data)

    def handle_endtag(self, tag):
        if self._in == "jsonld" and tag == "script":
            if len(self.jsonld) < MAX_JSONLD_BLOCKS:
                self.jsonld.append("".join(self._buffer))
            self._in = None
        elif self._in == "title" and tag == "title":
            self.title = "".join(self._buffer)
            self._in = None


@dataclass
class Page:
    url: str = ""
    title: str = ""
    meta: dict = field(default_factory=dict)
    data: list = field(default_factory=list)  # parsed JSON-LD objects


def _parse_json(text: str) -> list:
    text = text.strip()
    if not text:
        return []
    try:
        value = json.loads(text)
    except RecursionError:
        return []  # nested deeper than any real page
    except ValueError:
        # Some pages wrap JSON-LD in HTML comments or CDATA.
        stripped = re.sub(r"^\s*(<!--|//<!\[CDATA\[)|(-->|//\]\]>)\s*$", "", text)
        try:
            value = json.loads(stripped)
        except (ValueError, RecursionError):
            return []
    return value if isinstance(value, list) else [value]


def read_page(*, url: str = "", title: str = "", source: str = "") -> Page:
    """A page from what was sent: `source` is a page's HTML, its JSON-LD, or empty."""
    source = (source or "")[:MAX_SOURCE]
    page = Page(url=clean_url(url), title=clean_text(title))
    stripped = source.lstrip()
    if stripped.startswith(("{", "[")):
        page.data = _parse_json(stripped)
    elif stripped:
        reader = _HeadReader()
        try:
            reader.feed(source)
            reader.close()
        except (AssertionError, ValueError):
            pass  # a broken page still gives what was read before the break
        page.meta = {k: clean_text(v, 500) for k, v in reader.meta.items()}
        for block in reader.jsonld:
            page.data.extend(_parse_json(block))
        page.title = page.title or clean_text(page.meta.get("og:title") or reader.title)
        page.url = (
            page.url or clean_url(page.meta.get("og:url")) or clean_url(page.meta.get("canonical"))
        )
    return page


def _types(node: dict) -> set[str]:
    kind = node.get("@type", "")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).rsplit("/", 1)[-1].lower() for k in kinds}


def walk(values, depth: int = 0):
    """Every JSON-LD object in `values`: top-level, in arrays and in @graph, at any depth."""
    if depth > MAX_DEPTH:
        return
    for value in values if isinstance(values, list) else [values]:
        if isinstance(value, dict):
            yield value
            for key in ("@graph", "mainEntity", "itemListElement", "item"):
                if key in value:
                    yield from walk(value[key], depth + 1)
        elif isinstance(value, list):
            yield from walk(value, depth + 1)


def find_type(page: Page, kind: str) -> dict | None:
    for node in walk(page.data):
        if kind in _types(node):
            return node
    return None

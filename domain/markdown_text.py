"""Members' Markdown rendered to HTML that is safe to put in a page.

A pure function, in the domain because what a post may show is a rule about posts,
not about a page: the views store its output and the API serves it, so every reader
gets the same safe HTML. Two well-kept libraries do the work, none of it is ours:
markdown-it-py parses CommonMark (with raw HTML switched off, so ``<script>`` in a
post is text), and nh3 (ammonia) then sanitises the result with an allow-list, in
case a parser bug or a future option lets markup through. Links keep only http(s)
and mailto and get ``rel="nofollow noopener"``: a post is no endorsement, and a
page opened from it cannot reach back into ours.

The domain refuses bodies over the posts' limit (``domain.question.BODY_MAX``)
before anything is rendered, so no one can make a page render a megabyte.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

# CommonMark with tables and strikethrough; "html": False makes raw HTML in a post
# plain text, and linkify stays off (bare addresses are left as typed).
_PARSER = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])

TAGS = {"p", "br", "hr", "em", "strong", "del", "s", "code", "pre", "blockquote",
        "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "h5", "h6",
        "table", "thead", "tbody", "tr", "th", "td"}
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"style"}, "td": {"style"}}
URL_SCHEMES = {"http", "https", "mailto"}


def render(markdown: str) -> str:
    """Safe HTML for a post's Markdown: no scripts, styles, frames or event handlers,
    links only to http(s) and mailto, each with rel="nofollow noopener"."""
    html = _PARSER.render(markdown or "")
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="nofollow noopener", strip_comments=True,
                     # Only table alignment survives in a style attribute.
                     filter_style_properties={"text-align"})

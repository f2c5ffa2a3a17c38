"""The model seen as MEDLINE fields: which tag each attribute of an :class:`Article` is written as.

:func:`article_fields` lists an article's fields in PubMed's canonical order (``FORMAT.md`` §4),
walking the table of :mod:`~medline_parse.medline.mapping` in that order: a tag of a plain kind is
written from its attribute where it stands, and at the first tag of a block (the people of a
list, comments and corrections, other abstracts, keywords) the whole block is written.  Values in
:attr:`Article.extra` go after the values of their tag, and tags of no known kind at the end.
The writer (through :mod:`~medline_parse.medline.order`) and ``article["AU"]`` use these.  The
emitter itself is a kernel (``_emit.py``, compiled as ``_emit_c.pyx``).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Article
from ._emit import NO_OWNER, EmittedFields, FieldItem
from .tags import TAGS

try:  # the compiled kernel, when the extension was built (medline_parse.COMPILED)
    from ._emit_c import emit_fields
except ImportError:  # pragma: no cover - the pure-Python build
    from ._emit import emit_fields

__all__ = [
    "NO_OWNER",
    "EmittedFields",
    "FieldItem",
    "article_fields",
    "emit_fields",
    "iter_tag_values",
    "tag_values",
]


def article_fields(article: Article) -> list[FieldItem]:
    """The article's ``(tag, value)`` fields in PubMed's canonical order."""
    return emit_fields(article).fields


def iter_tag_values(article: Article, tag: str) -> Iterator[str]:
    """The values of every *tag* field of the article, in canonical order."""
    for field_tag, value in article_fields(article):
        if field_tag == tag:
            yield value


def tag_values(article: Article, tag: str) -> str | list[str]:
    """``article[tag]``: a list for repeatable (or unknown) tags, a string for the others."""
    values = list(iter_tag_values(article, tag))
    if not values:
        raise KeyError(tag)
    info = TAGS.get(tag)
    if info is not None and not info.repeatable:
        return values[0]
    return values

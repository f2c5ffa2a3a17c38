"""medline-parse: read and write PubMed's MEDLINE text format, losslessly, and read PubMed XML.

The record layer (:func:`iter_records`) gives every field of every MEDLINE record with its exact
source text; the typed layer (:func:`parse`) builds immutable :class:`Article` objects from MEDLINE
text and PubMed XML alike; :func:`iter_events` adds the deletion notices of PubMed's update files.
"""

from __future__ import annotations

from typing import Any

from . import _docs
from ._compiled import is_compiled as _is_compiled
from .errors import Diagnostic, MedlineError, MedlineWarning, ParseError, Severity
from .eutils import fetch
from .medline.records import Field, Record
from .medline.tags import TAGS, TagInfo
from .medline.writer import WriteError, detect_style, dumps, write
from .model import (
    AbstractSection,
    Article,
    ArticleId,
    Author,
    AuthorIdentifier,
    Chemical,
    Deletion,
    Grant,
    Issn,
    Journal,
    Keyword,
    MeshHeading,
    MeshQualifier,
    OtherAbstract,
    Reference,
    Relation,
)
from .model.dates import HistoryEvent, PubDate
from .reader import (
    collect,
    detect_format,
    iter_events,
    iter_records,
    loads,
    parse,
    parse_many,
    read,
)
from .sources import SourceError
from .store import sync

__version__ = "0.1.0"


def to_dataframe(articles_or_source: Any, *, per_author: bool = False) -> Any:
    """A pandas DataFrame with one row per article (or per author with ``per_author=True``) and
    the flat columns of the CSV output (``convert.csv.ARTICLE_COLUMNS``): list columns hold lists,
    ``year`` is a nullable integer.

    *articles_or_source* is an iterable of articles, or anything :func:`parse` reads (a path, a
    file object, lines of text).  Needs pandas (the ``[pandas]`` extra).
    """
    from .convert.frames import to_dataframe as frame

    return frame(articles_or_source, per_author=per_author)


_docs.add_attribute_docs(
    [
        Article,
        ArticleId,
        Author,
        AuthorIdentifier,
        Chemical,
        Diagnostic,
        Grant,
        HistoryEvent,
        Issn,
        Journal,
        Keyword,
        MeshHeading,
        MeshQualifier,
        OtherAbstract,
        PubDate,
        Record,
        Relation,
    ]
)

COMPILED: bool = _is_compiled()
"""True in the compiled build: the reading kernels (cutting records into fields, ...) are the C
extensions Cython made of them, not their pure-Python twins.

``pip install .`` compiles them when a C compiler is there and installs the pure-Python build
otherwise (``MEDLINE_PARSE_PURE=1`` asks for it).  Both builds give identical results.
"""

__all__ = [
    "COMPILED",
    "TAGS",
    "AbstractSection",
    "Article",
    "ArticleId",
    "Author",
    "AuthorIdentifier",
    "Chemical",
    "Deletion",
    "Diagnostic",
    "Field",
    "Grant",
    "HistoryEvent",
    "Issn",
    "Journal",
    "Keyword",
    "MedlineError",
    "MedlineWarning",
    "MeshHeading",
    "MeshQualifier",
    "OtherAbstract",
    "ParseError",
    "PubDate",
    "Record",
    "Reference",
    "Relation",
    "Severity",
    "SourceError",
    "TagInfo",
    "WriteError",
    "__version__",
    "collect",
    "detect_format",
    "detect_style",
    "dumps",
    "fetch",
    "iter_events",
    "iter_records",
    "loads",
    "parse",
    "parse_many",
    "read",
    "sync",
    "to_dataframe",
    "write",
]

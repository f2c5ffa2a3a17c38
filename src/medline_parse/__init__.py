"""medline-parse: read and write PubMed's MEDLINE text format, losslessly.

The record layer (:func:`iter_records`) gives every field of every record with its exact source text;
the typed layer (:func:`parse`) builds immutable :class:`Article` objects from it.
"""

from __future__ import annotations

from ._compiled import is_compiled as _is_compiled
from .errors import Diagnostic, MedlineError, MedlineWarning, ParseError, Severity
from .eutils import fetch
from .medline.records import Field, Record
from .medline.tags import TAGS, TagInfo
from .medline.writer import WriteError, detect_style, dumps, write
from .model import (
    Article,
    ArticleId,
    Author,
    AuthorIdentifier,
    Chemical,
    Grant,
    Issn,
    Journal,
    Keyword,
    MeshHeading,
    MeshQualifier,
    OtherAbstract,
    Relation,
)
from .model.dates import HistoryEvent, PubDate
from .reader import collect, iter_records, loads, parse, parse_many, read
from .sources import SourceError

__version__ = "0.1.0"

COMPILED: bool = _is_compiled()
"""True in the compiled build: the reading kernels (cutting records into fields, ...) are the C
extensions Cython made of them, not their pure-Python twins.

``pip install .`` compiles them when a C compiler is there and installs the pure-Python build
otherwise (``MEDLINE_PARSE_PURE=1`` asks for it).  Both builds give identical results.
"""

__all__ = [
    "COMPILED",
    "TAGS",
    "Article",
    "ArticleId",
    "Author",
    "AuthorIdentifier",
    "Chemical",
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
    "Relation",
    "Severity",
    "SourceError",
    "TagInfo",
    "WriteError",
    "__version__",
    "collect",
    "detect_style",
    "dumps",
    "fetch",
    "iter_records",
    "loads",
    "parse",
    "parse_many",
    "read",
    "write",
]

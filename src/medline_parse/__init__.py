"""medline-parse: read and write PubMed's MEDLINE text format, losslessly.

The record layer (:func:`iter_records`) gives every field of every record with its exact source text;
the typed layer (:func:`parse`) builds immutable :class:`Article` objects from it.
"""

from __future__ import annotations

from .errors import Diagnostic, MedlineError, MedlineWarning, ParseError, Severity
from .reader import iter_records
from .records import Field, Record
from .sources import SourceError
from .tags import TAGS, TagInfo

__version__ = "0.1.0"

__all__ = [
    "TAGS",
    "Diagnostic",
    "Field",
    "MedlineError",
    "MedlineWarning",
    "ParseError",
    "Record",
    "Severity",
    "SourceError",
    "TagInfo",
    "__version__",
    "iter_records",
]

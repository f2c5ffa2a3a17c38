"""The format-free model: immutable articles and the values they are made of.

Readers of every format (MEDLINE text, PubMed XML) build these classes; writers and converters read
them. Nothing here imports a format module.
"""

from __future__ import annotations

from .article import *  # noqa: F403
from .article import __all__ as _article_all
from .dates import HistoryEvent, PubDate
from .deletion import Deletion

__all__ = [*_article_all, "Deletion", "HistoryEvent", "PubDate"]

"""The PubMed XML format: efetch ``retmode=xml``, the annual baseline and the daily update files.

:func:`iter_xml` reads the bytes of such a file into :class:`~medline_parse.model.Article` and
:class:`~medline_parse.model.Deletion` events; :func:`medline_parse.parse` and
:func:`medline_parse.iter_events` use it when the input is XML.
"""

from __future__ import annotations

from .reader import iter_xml

__all__ = ["iter_xml"]

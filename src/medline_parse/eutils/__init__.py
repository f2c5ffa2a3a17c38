"""Records from PubMed's E-utilities: a query or a list of PMIDs, politely and completely.

:func:`fetch` yields :class:`~medline_parse.Article` objects; :func:`download` writes the records
to a file (or stream) byte for byte as PubMed serves them, resumably. Both search with the history
server and fetch in batches, keep NCBI's request rate (3 a second, 10 with an API key) over a
sliding window, retry with backoff on 429, 5xx and broken connections, fetch again a batch that
comes back short or cut, and go past PubMed's 9,999-record paging cap by cutting the search by
publication date. They need the ``[fetch]`` extra (``requests``).

``medline_parse.fetch`` is the function :func:`fetch` (exported by the package); import the
rest from here, ``from medline_parse.eutils import download``.

=============  ==================================================================================
module         what it holds
=============  ==================================================================================
``client``     HTTP: the session, the sliding-window rate limiter, retries
``responses``  ESearch JSON read; EFetch bodies cut into records, NCBI's in-band errors set apart
``search``     ESearch/EFetch with the history server, date and PMID-range cutting, PMID batches
``state``      the sidecar state file of an unfinished download
``output``     :func:`download`: the output file, its protection and resumption
``articles``   :func:`fetch`: batches parsed into articles
``command``    the ``medline fetch`` subcommand
=============  ==================================================================================
"""

from __future__ import annotations

from .articles import fetch, xml_reader_available
from .client import DEFAULT_URL, PAGE_LIMIT, Client, FetchError, RateLimiter
from .output import FetchReport, download

__all__ = [
    "DEFAULT_URL",
    "PAGE_LIMIT",
    "Client",
    "FetchError",
    "FetchReport",
    "RateLimiter",
    "download",
    "fetch",
    "xml_reader_available",
]

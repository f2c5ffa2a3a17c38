"""Fetched records as :class:`~medline_parse.Article` objects, batch by batch."""

from __future__ import annotations

import inspect
import io
import warnings
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, cast

from .. import arguments
from ..errors import MedlineWarning
from .client import Client, FetchError
from .search import MAX_BATCH, Batch, Fetcher

if TYPE_CHECKING:
    from .. import Article

__all__ = ["fetch", "xml_reader_available"]


def xml_reader_available() -> bool:
    """True when :func:`medline_parse.parse` reads PubMed XML (it takes ``format=``)."""
    import medline_parse

    try:
        return "format" in inspect.signature(medline_parse.parse).parameters
    except (TypeError, ValueError):
        return False


def fetch(
    query: str | None = None,
    pmids: Iterable[object] | None = None,
    format: str = "medline",
    *,
    batch_size: int = 500,
    strict: bool = False,
    client: Client | None = None,
    api_key: str | None = None,
    email: str | None = None,
    eutils_url: str | None = None,
) -> Iterator[Article]:
    """Fetch PubMed records and yield them as articles, as they arrive.

    Give a *query* (PubMed search syntax, as on the web site) or *pmids* (an iterable of PMIDs;
    duplicates are dropped and the order is kept; one PMID, ``"12345"`` or ``12345``, is one). Large searches are cut by publication date
    past PubMed's 9,999-record paging cap, so that every record comes, each once.

    Args:
        format: ``"medline"`` (MEDLINE text) or ``"xml"`` (PubMed XML, which needs a
            medline-parse whose ``parse`` reads XML).
        batch_size: records per EFetch request (1 to 10,000; NCBI suggests a few hundred).
        strict: parse with ``strict=True`` (raise on the first problem in a record).
        client: a :class:`~medline_parse.eutils.Client` to use (its settings win over the next
            three arguments).
        api_key: NCBI API key (default ``$NCBI_API_KEY``): 10 requests a second instead of 3.
        email: your address, sent as NCBI asks (default ``$NCBI_EMAIL``).
        eutils_url: the E-utilities' base URL (default ``$MEDLINE_PARSE_EUTILS_URL``, else NCBI).

    PMIDs PubMed does not have, and NCBI's in-band error messages, are issued as
    :class:`~medline_parse.MedlineWarning` warnings; the other records still come.

    Raises:
        FetchError: bad arguments, a query PubMed rejects or that finds nothing, none of the PMIDs
            found, no network, the service failing after retries.
    """
    query, pmids = _checked(query, pmids, batch_size, client, api_key, email, eutils_url)
    if format == "xml" and not xml_reader_available():
        raise FetchError(
            "PubMed XML cannot be parsed into articles by this version of medline-parse; fetch "
            "format='medline', or save the XML with medline_parse.eutils.download(...)"
        )
    own = client is None
    connection = client or Client(api_key=api_key, email=email, base_url=eutils_url)
    fetcher = Fetcher(connection, format, batch_size, notify=_warn)
    batches = fetcher.batches(query, pmids)  # checks the arguments now, not at the first next()
    return _articles(fetcher, batches, connection if own else None, query is None, strict)


def _checked(
    query: object,
    pmids: object,
    batch_size: object,
    client: object,
    api_key: object,
    email: object,
    eutils_url: object,
) -> tuple[str | None, Iterable[object] | None]:
    """:func:`fetch`'s arguments checked: a :class:`FetchError` for one of the wrong kind, before
    any request; a single PMID (a ``str`` or ``int``) is one PMID, not a list of digits."""
    texts = ((query, "query"), (api_key, "api_key"), (email, "email"), (eutils_url, "eutils_url"))
    for value, name in texts:
        arguments.text_or_none(value, name, FetchError)
    arguments.count(batch_size, "batch_size", maximum=MAX_BATCH, error=FetchError)
    if client is not None and not isinstance(client, Client):
        raise FetchError(
            f"client must be a medline_parse.eutils.Client, not {type(client).__name__}"
        )
    if pmids is not None:
        single = isinstance(pmids, int) and not isinstance(pmids, bool)
        pmids = [pmids] if single else arguments.one_or_many(pmids, "pmids", FetchError)
    return cast("str | None", query), cast("Iterable[object] | None", pmids)


def _warn(message: str) -> None:
    warnings.warn(message, MedlineWarning, stacklevel=3)


def _articles(
    fetcher: Fetcher,
    batches: Iterator[Batch],
    own: Client | None,
    by_pmid: bool,
    strict: bool,
) -> Iterator[Article]:
    import medline_parse

    count = 0
    try:
        for batch in batches:
            if batch.unknown:
                shown = ", ".join(batch.unknown)
                _warn(f"not in PubMed (no record came back): PMID {shown}")
            if not batch.records:
                continue
            data = b"".join(piece.data for piece in batch.records)
            if fetcher.format == "xml":
                document = batch.header + data + batch.footer
                articles = medline_parse.parse(io.BytesIO(document), format="xml", strict=strict)  # type: ignore[call-arg,unused-ignore]
            else:
                articles = medline_parse.parse(io.BytesIO(data), strict=strict)
            for article in articles:
                count += 1
                yield article
        if count == 0 and by_pmid:
            raise FetchError("none of the PMIDs is in PubMed")
    finally:
        if own is not None:
            own.close()

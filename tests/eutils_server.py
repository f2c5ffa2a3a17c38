"""A local stand-in for NCBI's E-utilities, started by the fetch tests; the real service is never
called.

It behaves as ESearch and EFetch do, as far as the fetch code meets them:

* ESearch (``retmode=json``): ``count``, ``retmax``, ``retstart``, ``idlist``, ``webenv`` and
  ``querykey`` with ``usehistory=y``; ``datetype=pdat`` with ``mindate``/``maxdate``; the
  ``errorlist`` (``phrasesnotfound``, ``fieldsnotfound``) and ``warninglist`` (``outputmessages``:
  ``No items found.``); ``ERROR`` for a query it cannot run, and for ``retstart`` past the paging
  cap. A small PubMed query language: words (title, MeSH, journal, author), ``[tiab]``, ``[ti]``,
  ``[mh]``, ``[au]``, ``[ta]``, ``[dp]``/``[pdat]`` (``2019``, ``2019/03``, ``2018:2020``),
  ``N:M[uid]``, ``all[sb]``; ``AND``, ``OR``, ``NOT``, parentheses. A publication date matches the
  print date and the electronic one, as PubMed's does.
* EFetch: ``rettype=medline&retmode=text`` (records separated by empty lines, the body starting
  with one) and ``retmode=xml`` (one ``<PubmedArticleSet>``), by ``id=`` (GET or POST) or from the
  history (``WebEnv``, ``query_key``, ``retstart``, ``retmax``). An unknown PMID gives the in-band
  line ``id: N Error occurred: The following PMID is not available: N`` in text and nothing in XML.
  Paging a history search past the cap (9,999 records by default) answers an ``<eFetchResult>``
  error inside a 200; a page across the cap comes back silently short. An unknown WebEnv answers
  "Cannot retrieve history data".
* The rate limit: more than 3 requests (10 with an ``api_key``) in any one-second window, counted
  over a sliding window, answer 429 with NCBI's JSON body. The clock can be injected (tests share
  a fake one with the client, so nobody waits).
* Any reply on demand (:meth:`EUtils.answer`): the next request to a utility gets a body as
  given, for replies the real service should never send.
* Failures on demand (:meth:`EUtils.fail`): 500/502/503, 429, the rate-limit JSON inside a 200, a
  dropped connection, a body shorter than its Content-Length, a body cut mid-record, a batch short
  of records, NCBI's in-band "Empty Response ... Timeout" error, a server that stops answering; or
  at random, with a seed.

The records are fictional and generated (:func:`make_records`): valid MEDLINE text and the
matching PubMed XML, journal articles and a few book chapters, each with a print publication date
and, for some, an electronic one.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime
import functools
import html
import json
import random
import re
import socket
import textwrap
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
TOPICS = ("asthma", "malaria", "diabetes", "glaucoma", "scurvy", "migraine", "rickets", "gout")
DESIGNS = ("trial", "cohort", "survey", "review", "registry")
PLACES = ("Ruritania", "Freedonia", "Grand Fenwick", "Borduria", "Syldavia", "Genovia")
SURNAMES = ("Okafor", "Lindqvist", "Moreau", "Tanaka", "Quispe", "Haddad", "Novak", "Ferreira")
GIVEN = ("Ada", "Bruno", "Chidi", "Dana", "Emil", "Farah", "Goran", "Hana")
DOCTYPE = (
    b'<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
    b'"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">'
)


# -- records -----------------------------------------------------------------------------------------


@dataclass
class Record:
    """One fictional PubMed record."""

    pmid: int
    title: str
    topic: str
    printed: datetime.date
    electronic: datetime.date | None
    book: bool
    words: frozenset[str]
    authors: tuple[tuple[str, str], ...]
    comment_on: int | None = None
    _medline: bytes | None = field(default=None, repr=False)
    _xml: bytes | None = field(default=None, repr=False)

    @property
    def medline(self) -> bytes:
        if self._medline is None:
            self._medline = _medline_text(self).encode("utf-8")
        return self._medline

    @property
    def xml(self) -> bytes:
        if self._xml is None:
            self._xml = _xml_text(self).encode("utf-8")
        return self._xml

    def dates(self) -> tuple[datetime.date, ...]:
        return (self.printed,) if self.electronic is None else (self.printed, self.electronic)


def make_records(
    count: int,
    *,
    first_pmid: int = 30_000_001,
    step: int = 7,
    dates: Callable[[int], datetime.date] | None = None,
    seed: int = 19,
    books_every: int = 23,
    epub_every: int = 3,
) -> list[Record]:
    """*count* fictional records, PMIDs from *first_pmid* by *step*; *dates* gives the print
    date of record i (default: spread over 2015-2019)."""
    rng = random.Random(seed)
    start = datetime.date(2015, 1, 1).toordinal()

    def spread(i: int) -> datetime.date:
        return datetime.date.fromordinal(start + (i * 37) % (5 * 365))

    date_of = dates or spread
    records = []
    for i in range(count):
        topic = TOPICS[i % len(TOPICS)]
        design = DESIGNS[(i // len(TOPICS)) % len(DESIGNS)]
        place = PLACES[rng.randrange(len(PLACES))]
        title = f"{topic.capitalize()} in {place}: a fictional {design} (number {i + 1})."
        printed = date_of(i)
        electronic = printed - datetime.timedelta(days=20) if i % epub_every == 1 else None
        authors = tuple(
            (SURNAMES[rng.randrange(len(SURNAMES))], GIVEN[rng.randrange(len(GIVEN))])
            for _ in range(1 + i % 3)
        )
        words = {w.lower().strip(".,:()") for w in title.split()}
        words.update({"fictional", "medicine", design, "j", "fict", "med"})
        words.update(a[0].lower() for a in authors)
        records.append(
            Record(
                pmid=first_pmid + i * step,
                title=title,
                topic=topic,
                printed=printed,
                electronic=electronic,
                book=books_every > 0 and i % books_every == books_every - 1,
                words=frozenset(words),
                authors=authors,
                comment_on=first_pmid if i % 5 == 4 else None,
            )
        )
    return records


def _wrap(tag: str, value: str) -> list[str]:
    head = f"{tag:<4}- "
    if len(value) <= 82:
        return [head + value]
    return [head + line if i == 0 else "      " + line for i, line in enumerate(_lines(value))]


@functools.lru_cache(maxsize=256)
def _lines(value: str) -> tuple[str, ...]:
    return tuple(textwrap.wrap(value, width=82, break_long_words=False, break_on_hyphens=False))


def _dp(date: datetime.date) -> str:
    return f"{date.year} {MONTHS[date.month - 1]} {date.day}"


def _medline_text(r: Record) -> str:
    doi = f"10.5555/fict.{r.pmid}"
    abstract = (
        f"BACKGROUND: {r.topic.capitalize()} is common in the fictional land of the study. "
        "METHODS: We counted what could be counted, twice, in every season of the year. "
        "RESULTS: The counts agreed with each other more often than chance alone would allow. "
        "CONCLUSIONS: Counting twice is worth the trouble."
    )
    lines = [f"PMID- {r.pmid}"]
    if r.book:
        lines += ["OWN - NCBI", "STAT- Publisher", f"DP  - {_dp(r.printed)}"]
        lines += _wrap("TI", r.title)
        lines += [f"BTI - Fictional Reviews of {r.topic.capitalize()}", "CP  - Chapter 1"]
        lines += _wrap("AB", abstract)
        for last, first in r.authors:
            lines += [f"FAU - {last}, {first}", f"AU  - {last} {first[0]}"]
        lines += [
            "LA  - eng",
            "PT  - Review",
            "PT  - Book Chapter",
            "PL  - Ruritania",
            f"EDAT- {r.printed:%Y/%m/%d} 00:00",
            f"CRDT- {r.printed:%Y/%m/%d} 00:00",
            f"AID - NBK{r.pmid} [bookaccession]",
            "PB  - Fictional Press",
            "CY  - Port Callander",
            f"SO  - Fictional Reviews of {r.topic.capitalize()}. Port Callander: Fictional "
            f"Press; {r.printed.year}.",
        ]
        return "\n".join(lines) + "\n"
    lines += [
        "OWN - NLM",
        "STAT- MEDLINE",
        f"DCOM- {r.printed + datetime.timedelta(days=40):%Y%m%d}",
        "IS  - 2999-0019 (Electronic)",
        "VI  - 12",
        "IP  - 3",
        f"DP  - {_dp(r.printed)}",
    ]
    lines += _wrap("TI", r.title)
    lines += ["PG  - 101-9", f"LID - {doi} [doi]"]
    lines += _wrap("AB", abstract)
    for last, first in r.authors:
        lines += [f"FAU - {last}, {first}", f"AU  - {last} {first[0]}"]
        lines += _wrap("AD", f"Department of Counting, University of {PLACES[len(last) % 6]}.")
    lines += ["LA  - eng", "PT  - Journal Article"]
    if r.electronic is not None:
        lines.append(f"DEP - {r.electronic:%Y%m%d}")
    lines += [
        "PL  - Ruritania",
        "TA  - J Fict Med",
        "JT  - Journal of fictional medicine",
        "JID - 9999019",
        "SB  - IM",
    ]
    if r.comment_on is not None and r.comment_on != r.pmid:
        lines.append(f"CON - J Fict Med. 2015;1:1. PMID: {r.comment_on}")
    lines += [f"MH  - {r.topic.capitalize()}/*epidemiology", "MH  - Humans"]
    lines += [
        f"EDAT- {r.printed:%Y/%m/%d} 06:00",
        f"MHDA- {r.printed:%Y/%m/%d} 06:01",
        f"CRDT- {r.printed:%Y/%m/%d} 05:30",
        f"AID - {doi} [doi]",
        "PST - ppublish",
        f"SO  - J Fict Med. {_dp(r.printed)};12(3):101-9. doi: {doi}.",
    ]
    return "\n".join(lines) + "\n"


def _x(text: str) -> str:
    return html.escape(text, quote=False)


def _date_xml(tag: str, date: datetime.date, indent: str, attrs: str = "") -> str:
    return (
        f"{indent}<{tag}{attrs}>\n{indent}    <Year>{date.year}</Year>\n"
        f"{indent}    <Month>{date.month:02d}</Month>\n{indent}    <Day>{date.day:02d}</Day>\n"
        f"{indent}</{tag}>\n"
    )


def _authors_xml(r: Record, indent: str, kind: str = "") -> str:
    out = [f'{indent}<AuthorList CompleteYN="Y"{kind}>\n']
    for last, first in r.authors:
        out.append(
            f'{indent}    <Author ValidYN="Y">\n'
            f"{indent}        <LastName>{_x(last)}</LastName>\n"
            f"{indent}        <ForeName>{_x(first)}</ForeName>\n"
            f"{indent}        <Initials>{first[0]}</Initials>\n"
            f"{indent}    </Author>\n"
        )
    out.append(f"{indent}</AuthorList>\n")
    return "".join(out)


def _pubmed_data(r: Record, element: str, more_ids: str) -> str:
    return (
        f"    <{element}>\n"
        "        <History>\n"
        + _date_xml("PubMedPubDate", r.printed, "            ", ' PubStatus="pubmed"')
        + "        </History>\n"
        "        <PublicationStatus>ppublish</PublicationStatus>\n"
        "        <ArticleIdList>\n"
        f'            <ArticleId IdType="pubmed">{r.pmid}</ArticleId>\n'
        + more_ids
        + "        </ArticleIdList>\n"
        f"    </{element}>\n"
    )


def _xml_text(r: Record) -> str:
    abstract = f"{r.topic.capitalize()} was counted twice in a fictional land."
    if r.book:
        return (
            "<PubmedBookArticle>\n"
            "    <BookDocument>\n"
            f'        <PMID Version="1">{r.pmid}</PMID>\n'
            "        <ArticleIdList>\n"
            f'            <ArticleId IdType="bookaccession">NBK{r.pmid}</ArticleId>\n'
            "        </ArticleIdList>\n"
            "        <Book>\n"
            "            <Publisher>\n"
            "                <PublisherName>Fictional Press</PublisherName>\n"
            "                <PublisherLocation>Port Callander</PublisherLocation>\n"
            "            </Publisher>\n"
            f'            <BookTitle book="fict{r.pmid}">Fictional Reviews of '
            f"{r.topic.capitalize()}</BookTitle>\n"
            "            <PubDate>\n"
            f"                <Year>{r.printed.year}</Year>\n"
            f"                <Month>{MONTHS[r.printed.month - 1]}</Month>\n"
            f"                <Day>{r.printed.day:02d}</Day>\n"
            "            </PubDate>\n"
            "        </Book>\n"
            f"        <ArticleTitle>{_x(r.title)}</ArticleTitle>\n"
            "        <Language>eng</Language>\n"
            + _authors_xml(r, "        ", ' Type="authors"')
            + '        <PublicationType UI="D016454">Review</PublicationType>\n'
            f"        <Abstract>\n            <AbstractText>{_x(abstract)}</AbstractText>\n"
            "        </Abstract>\n"
            "    </BookDocument>\n" + _pubmed_data(r, "PubmedBookData", "") + "</PubmedBookArticle>"
        )
    electronic = (
        _date_xml("ArticleDate", r.electronic, "            ", ' DateType="Electronic"')
        if r.electronic is not None
        else ""
    )
    comments = ""
    if r.comment_on is not None and r.comment_on != r.pmid:
        comments = (
            "        <CommentsCorrectionsList>\n"
            '            <CommentsCorrections RefType="CommentOn">\n'
            "                <RefSource>J Fict Med. 2015;1:1</RefSource>\n"
            f'                <PMID Version="1">{r.comment_on}</PMID>\n'
            "            </CommentsCorrections>\n"
            "        </CommentsCorrectionsList>\n"
        )
    return (
        "<PubmedArticle>\n"
        '    <MedlineCitation Status="MEDLINE" Owner="NLM">\n'
        f'        <PMID Version="1">{r.pmid}</PMID>\n'
        + _date_xml("DateCompleted", r.printed + datetime.timedelta(days=40), "        ")
        + '        <Article PubModel="Print">\n'
        "            <Journal>\n"
        '                <ISSN IssnType="Electronic">2999-0019</ISSN>\n'
        '                <JournalIssue CitedMedium="Internet">\n'
        "                    <Volume>12</Volume>\n"
        "                    <Issue>3</Issue>\n"
        "                    <PubDate>\n"
        f"                        <Year>{r.printed.year}</Year>\n"
        f"                        <Month>{MONTHS[r.printed.month - 1]}</Month>\n"
        f"                        <Day>{r.printed.day:02d}</Day>\n"
        "                    </PubDate>\n"
        "                </JournalIssue>\n"
        "                <Title>Journal of fictional medicine</Title>\n"
        "                <ISOAbbreviation>J Fict Med</ISOAbbreviation>\n"
        "            </Journal>\n"
        f"            <ArticleTitle>{_x(r.title)}</ArticleTitle>\n"
        "            <Pagination>\n                <MedlinePgn>101-9</MedlinePgn>\n"
        "            </Pagination>\n"
        f'            <ELocationID EIdType="doi" ValidYN="Y">10.5555/fict.{r.pmid}</ELocationID>\n'
        f"            <Abstract>\n                <AbstractText>{_x(abstract)}</AbstractText>\n"
        "            </Abstract>\n"
        + _authors_xml(r, "            ")
        + "            <Language>eng</Language>\n"
        "            <PublicationTypeList>\n"
        '                <PublicationType UI="D016428">Journal Article</PublicationType>\n'
        "            </PublicationTypeList>\n" + electronic + "        </Article>\n"
        "        <MedlineJournalInfo>\n"
        "            <Country>Ruritania</Country>\n"
        "            <MedlineTA>J Fict Med</MedlineTA>\n"
        "            <NlmUniqueID>9999019</NlmUniqueID>\n"
        "        </MedlineJournalInfo>\n"
        "        <CitationSubset>IM</CitationSubset>\n" + comments + "        <MeshHeadingList>\n"
        "            <MeshHeading>\n"
        f'                <DescriptorName UI="D000001" MajorTopicYN="N">{r.topic.capitalize()}'
        "</DescriptorName>\n"
        "            </MeshHeading>\n"
        "        </MeshHeadingList>\n"
        "    </MedlineCitation>\n"
        + _pubmed_data(
            r,
            "PubmedData",
            f'            <ArticleId IdType="doi">10.5555/fict.{r.pmid}</ArticleId>\n',
        )
        + "</PubmedArticle>"
    )


def medline_body(records: Iterable[Record | int]) -> bytes:
    """An EFetch ``rettype=medline`` body: each record after an empty line; an int is a PMID the
    service does not have (its in-band error line)."""
    parts = []
    for item in records:
        if isinstance(item, int):
            parts.append(
                f"\nid: {item} Error occurred: The following PMID is not available: {item}\n".encode()
            )
        else:
            parts.append(b"\n" + item.medline)
    return b"".join(parts)


def xml_body(records: Iterable[Record]) -> bytes:
    """An EFetch ``retmode=xml`` body: one ``<PubmedArticleSet>``."""
    inner = b"".join(b"\n" + r.xml for r in records)
    return (
        b'<?xml version="1.0" ?>\n'
        + DOCTYPE
        + b"\n<PubmedArticleSet>"
        + inner
        + b"\n</PubmedArticleSet>\n"
    )


def efetch_error(message: str) -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8" ?>\n'
        b'<!DOCTYPE eEfetchResult PUBLIC "-//NLM//DTD efetch 20131226//EN" '
        b'"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20131226/efetch.dtd">\n'
        b"<eFetchResult>\n\t<ERROR>"
        + html.escape(message).encode()
        + b"</ERROR>\n</eFetchResult>\n"
    )


# -- the query language --------------------------------------------------------------------------

_TOKENS = re.compile(r'\s*(\(|\)|"[^"]*"(?:\[[^\]]*\])?|[^\s()]+)')
_FIELDS = {"tiab", "ti", "mh", "majr", "au", "ta", "dp", "pdat", "uid", "pmid", "sb", "all"}


class QueryError(Exception):
    pass


@dataclass
class Evaluation:
    ids: set[int]
    phrases_not_found: list[str] = field(default_factory=list)
    fields_not_found: list[str] = field(default_factory=list)


def _parse_date(text: str, end: bool) -> datetime.date:
    parts = [int(p) for p in text.split("/")]
    year = parts[0]
    if len(parts) == 1:
        return datetime.date(year, 12, 31) if end else datetime.date(year, 1, 1)
    month = parts[1]
    if len(parts) == 2:
        if not end:
            return datetime.date(year, month, 1)
        following = datetime.date(year + month // 12, month % 12 + 1, 1)
        return following - datetime.timedelta(days=1)
    return datetime.date(year, month, parts[2])


def date_range(text: str) -> tuple[datetime.date, datetime.date]:
    low, _, high = text.partition(":")
    return _parse_date(low.strip(), False), _parse_date((high or low).strip(), True)


class Database:
    """The records, searched with a small PubMed query language."""

    def __init__(self, records: Sequence[Record]) -> None:
        self.records = {r.pmid: r for r in records}
        self.order = sorted(self.records, reverse=True)  # "most recent" first, roughly
        self.index: dict[str, set[int]] = {}
        for r in records:
            for word in r.words:
                self.index.setdefault(word, set()).add(r.pmid)
        # print and electronic dates, sorted, for date ranges
        self.dated = sorted((d.toordinal(), r.pmid) for r in records for d in r.dates())

    def by_date(self, low: datetime.date, high: datetime.date) -> set[int]:
        """The records with a print or electronic date from *low* to *high*."""
        first = bisect.bisect_left(self.dated, (low.toordinal(), 0))
        last = bisect.bisect_right(self.dated, (high.toordinal(), 1 << 62))
        return {pmid for _, pmid in self.dated[first:last]}

    def search(self, term: str) -> Evaluation:
        tokens = [t for t in _TOKENS.findall(term) if t]
        if not tokens:
            raise QueryError("Empty term and query_key - nothing todo")
        result = Evaluation(set())
        position, ids = self._expression(tokens, 0, result)
        if position != len(tokens):
            raise QueryError(f"Invalid query: unexpected {tokens[position]!r}")
        result.ids = ids if ids is not None else set()
        return result

    def _expression(
        self, tokens: list[str], i: int, out: Evaluation
    ) -> tuple[int, set[int] | None]:
        i, value = self._operand(tokens, i, out)
        while i < len(tokens) and tokens[i] in ("AND", "OR", "NOT"):
            operator = tokens[i]
            i, right = self._operand(tokens, i + 1, out)
            if right is None:
                continue
            if value is None:
                value = right if operator != "NOT" else set()
            elif operator == "AND":
                value = value & right
            elif operator == "OR":
                value = value | right
            else:
                value = value - right
        return i, value

    def _operand(self, tokens: list[str], i: int, out: Evaluation) -> tuple[int, set[int] | None]:
        if i >= len(tokens):
            raise QueryError("Invalid query: it ends with an operator")
        token = tokens[i]
        if token == "(":
            i, value = self._expression(tokens, i + 1, out)
            if i >= len(tokens) or tokens[i] != ")":
                raise QueryError("Invalid query: unbalanced parentheses")
            return i + 1, value
        if token == ")":
            raise QueryError("Invalid query: unbalanced parentheses")
        # words run together until an operator or parenthesis: "gout in ruritania"
        words = [token]
        i += 1
        while i < len(tokens) and tokens[i] not in ("AND", "OR", "NOT", "(", ")"):
            words.append(tokens[i])
            i += 1
        values = [self._atom(word, out) for word in words]
        known = [v for v in values if v is not None]
        if not known:
            return i, None
        result = known[0]
        for value in known[1:]:
            result = result & value
        return i, result

    def _atom(self, token: str, out: Evaluation) -> set[int] | None:
        text, tag = token, None
        match = re.fullmatch(r"(.*)\[([^\]]*)\]", token)
        if match:
            text, tag = match.group(1), match.group(2).strip().lower()
        text = text.strip('"').strip()
        if tag is not None and tag not in _FIELDS:
            out.fields_not_found.append(f"[{tag}]" if tag else "[]")
            tag = None
        if tag in ("dp", "pdat"):
            try:
                low, high = date_range(text)
            except ValueError:
                out.phrases_not_found.append(text)
                return None
            return self.by_date(low, high)
        if tag in ("uid", "pmid"):
            low_text, _, high_text = text.partition(":")
            low, high = int(low_text), int(high_text or low_text)
            return {p for p in self.records if low <= p <= high}
        if tag == "sb" and text.lower() == "all":
            return set(self.records)
        found = self.index.get(text.lower())
        if found is None:
            out.phrases_not_found.append(text)
            return None
        return set(found)


# -- the server --------------------------------------------------------------------------------------


@dataclass
class Request:
    """One request the server received."""

    time: float
    utility: str
    method: str
    params: dict[str, str]
    status: int = 0
    failure: str | None = None


FAILURES = (
    "500",
    "502",
    "503",
    "429",
    "ratelimit-200",
    "drop",
    "truncate",
    "cut",
    "short",
    "inband-timeout",
)


class EUtils:
    """The fake E-utilities, serving *records* on 127.0.0.1 (use as a context manager).

    Args:
        records: what PubMed holds.
        clock: time source of the rate limit (share a fake clock with the client).
        page_cap: records of a history search EFetch pages through (PubMed: 9,999).
        rate_limit: enforce 3 (10 with an API key) requests per second.
        cap_status: the HTTP status of the paging-cap error (200 as in-band, or 400).
        valid_keys: the API keys it accepts (others get NCBI's 400 "API key invalid").
    """

    def __init__(
        self,
        records: Sequence[Record],
        *,
        clock: Callable[[], float] = time.monotonic,
        page_cap: int = 9999,
        rate_limit: bool = True,
        cap_status: int = 200,
        valid_keys: Iterable[str] | None = None,
    ) -> None:
        self.db = Database(records)
        self.clock = clock
        self.page_cap = page_cap
        self.rate_limit = rate_limit
        self.cap_status = cap_status
        self.valid_keys = set(valid_keys) if valid_keys is not None else None
        """API keys the service knows (None: any)."""
        self.log: list[Request] = []
        self.history: dict[str, list[list[int]]] = {}
        self.lock = threading.Lock()
        self._arrivals: dict[str, deque[float]] = {}
        self._planned: dict[str, list[tuple[int, str]]] = {}
        self._counts: dict[str, int] = {}
        self._random: tuple[random.Random, float, tuple[str, ...]] | None = None
        self._answers: dict[str, deque[tuple[int, bytes, str]]] = {}
        self.stop_after: int | None = None
        """Stop answering (drop every connection) once this many EFetch answers were served."""
        self.served: dict[str, int] = {}
        self.on_served: Callable[[str, int], None] | None = None
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- control --

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/entrez/eutils/"

    def __enter__(self) -> EUtils:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        server.daemon_threads = True
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def fail(self, kind: str, *, utility: str = "efetch", at: Iterable[int] = (1,)) -> None:
        """Answer the *at*-th requests (1-based, counted from now) to *utility* with *kind*."""
        assert kind in FAILURES, kind
        with self.lock:
            done = self._counts.get(utility, 0)
            plan = self._planned.setdefault(utility, [])
            plan.extend((done + n, kind) for n in at)

    def answer(
        self,
        body: bytes,
        *,
        utility: str = "esearch",
        status: int = 200,
        content_type: str = "application/json",
    ) -> None:
        """Answer the next request to *utility* with *body* as it is (a malformed reply)."""
        with self.lock:
            self._answers.setdefault(utility, deque()).append((status, body, content_type))

    def fail_randomly(
        self, rate: float, *, seed: int = 1, kinds: Sequence[str] = ("500", "cut")
    ) -> None:
        """Fail that share of EFetch requests at random (reproducibly), with one of *kinds*."""
        self._random = (random.Random(seed), rate, tuple(kinds))

    def requests_to(self, utility: str) -> list[Request]:
        return [r for r in self.log if r.utility == utility]

    # -- behaviour --

    def _failure(self, utility: str) -> str | None:
        with self.lock:
            number = self._counts.get(utility, 0) + 1
            self._counts[utility] = number
            for planned in self._planned.get(utility, []):
                if planned[0] == number:
                    return planned[1]
            if self._random is not None and utility == "efetch":
                rng, rate, kinds = self._random
                if rng.random() < rate:
                    return kinds[rng.randrange(len(kinds))]
        return None

    def _over_rate(self, params: dict[str, str], client: str) -> tuple[bool, int, int]:
        key = params.get("api_key") or client
        limit = 10 if params.get("api_key") else 3
        now = self.clock()
        with self.lock:
            arrivals = self._arrivals.setdefault(key, deque())
            arrivals.append(now)
            while arrivals and arrivals[0] <= now - 1.0:
                arrivals.popleft()
            return len(arrivals) > limit, len(arrivals), limit

    def esearch(self, params: dict[str, str]) -> tuple[int, bytes]:
        if params.get("db", "pubmed") != "pubmed":
            return 200, _json(
                {"esearchresult": {"ERROR": "Invalid db name specified: " + params["db"]}}
            )
        try:
            evaluation = self.db.search(params.get("term", ""))
        except QueryError as error:
            return 200, _json({"header": _HEADER, "esearchresult": {"ERROR": str(error)}})
        ids = evaluation.ids
        mindate, maxdate = params.get("mindate"), params.get("maxdate")
        if params.get("datetype") in ("pdat", "dp") and mindate and maxdate:
            low = _parse_date(mindate, False)
            high = _parse_date(maxdate, True)
            ids = ids & self.db.by_date(low, high)
        ordered = [p for p in self.db.order if p in ids]
        retstart = int(params.get("retstart", "0") or 0)
        retmax = int(params.get("retmax", "20") or 20)
        if retstart > self.page_cap - 1:
            message = (
                f"Search Backend failed: Exception:\n'retstart' cannot be larger than "
                f"{self.page_cap - 1}. For PubMed, ESearch can only retrieve the first "
                f"{self.page_cap:,} records matching the query. To obtain more than "
                f"{self.page_cap:,} PubMed records, consider using EDirect that contains additional "
                "logic to batch PubMed search results automatically so that an arbitrary number "
                "can be retrieved. For details see https://www.ncbi.nlm.nih.gov/books/NBK25499/"
            )
            return 200, _json({"header": _HEADER, "esearchresult": {"ERROR": message}})
        retmax = min(retmax, self.page_cap)
        result: dict[str, Any] = {
            "count": str(len(ordered)),
            "retmax": str(len(ordered[retstart : retstart + retmax])),
            "retstart": str(retstart),
            "idlist": [str(p) for p in ordered[retstart : retstart + retmax]],
            "translationset": [],
            "querytranslation": params.get("term", ""),
        }
        if params.get("usehistory") == "y":
            with self.lock:
                webenv = params.get("WebEnv") or f"MCID_{len(self.history) + 1:024x}"
                sets = self.history.setdefault(webenv, [])
                sets.append(ordered)
                result["querykey"] = str(len(sets))
                result["webenv"] = webenv
        if evaluation.phrases_not_found or evaluation.fields_not_found:
            result["errorlist"] = {
                "phrasesnotfound": evaluation.phrases_not_found,
                "fieldsnotfound": evaluation.fields_not_found,
            }
        if not ordered:
            result["warninglist"] = {
                "phrasesignored": [],
                "quotedphrasesnotfound": [],
                "outputmessages": ["No items found."],
            }
        return 200, _json({"header": _HEADER, "esearchresult": result})

    def efetch(self, params: dict[str, str]) -> tuple[int, bytes, list[Record | int]]:
        xml = params.get("retmode", "xml") == "xml"
        rettype = params.get("rettype", "")
        if not xml and rettype != "medline":
            return 400, efetch_error(f"Unsupported rettype {rettype!r} for retmode text"), []
        items: list[Record | int]
        if "id" in params:
            wanted = [p for p in re.split(r"[,\s]+", params["id"]) if p]
            if not wanted:
                return 200, efetch_error("Empty id list - nothing todo"), []
            items = [self.db.records.get(int(p), int(p)) for p in wanted if p.isdigit()]
        else:
            webenv, key = params.get("WebEnv", ""), params.get("query_key", "")
            retstart = int(params.get("retstart", "0") or 0)
            retmax = min(int(params.get("retmax", "20") or 20), 10_000)
            sets = self.history.get(webenv)
            if sets is None or not key.isdigit() or not 1 <= int(key) <= len(sets):
                return (
                    200,
                    efetch_error(
                        f"Cannot retrieve history data. query_key: {key}, WebEnv: {webenv}, "
                        f"retstart: {retstart}, retmax: {retmax}"
                    ),
                    [],
                )
            if retstart > self.page_cap - 1:
                return (
                    self.cap_status,
                    efetch_error(
                        "Search backend cannot retrieve history data. Reason: Exception: 'retstart' "
                        f"cannot be larger than {self.page_cap - 1}. For PubMed, ESearch can only "
                        f"retrieve the first {self.page_cap:,} records matching the query."
                    ),
                    [],
                )
            ids = sets[int(key) - 1]
            end = min(retstart + retmax, self.page_cap)  # a page across the cap: silently short
            items = [self.db.records[p] for p in ids[retstart:end]]
        if xml:
            return 200, xml_body(i for i in items if not isinstance(i, int)), items
        return 200, medline_body(items), items


_HEADER = {"type": "esearch", "version": "0.3"}


def _json(data: Any, compact: bool = False) -> bytes:
    separators = (",", ":") if compact else None
    return json.dumps(data, separators=separators).encode("utf-8")


def _cut_body(body: bytes, items: list[Record | int], kind: str, xml: bool) -> bytes:
    records = [i for i in items if not isinstance(i, int)]
    if kind == "short":
        keep = records[: max(0, len(records) - 2)]
        return xml_body(keep) if xml else medline_body(keep)
    # "cut": the body stops in the middle of its last record
    if not records:
        return body[: len(body) // 2]
    last = records[-1].xml if xml else records[-1].medline
    start = body.rfind(last)
    return body[: start + len(last) // 2]


def _handler(service: EUtils) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go in two writes

        def log_message(self, format: str, *args: Any) -> None:
            return None

        def do_GET(self) -> None:
            query = urlsplit(self.path).query
            self._serve(_params(query), "GET")

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            data = self.rfile.read(length).decode("utf-8")
            params = _params(urlsplit(self.path).query)
            params.update(_params(data))
            self._serve(params, "POST")

        def _serve(self, params: dict[str, str], method: str) -> None:
            path = urlsplit(self.path).path
            utility = path.rsplit("/", 1)[-1].removesuffix(".fcgi")
            entry = Request(service.clock(), utility, method, params)
            with service.lock:
                service.log.append(entry)
            served = service.served.get("efetch", 0)
            if service.stop_after is not None and served >= service.stop_after:
                entry.failure = "stopped"
                self._drop()
                return
            key = params.get("api_key")
            if key and service.valid_keys is not None and key not in service.valid_keys:
                body = _json(
                    {
                        "error": "API key invalid",
                        "api-key": key,
                        "type": "invalid",
                        "status": "unknown",
                    },
                    compact=True,
                )
                entry.status = 400
                self._send(400, body, "application/json")
                return
            over, count, limit = service._over_rate(params, self.client_address[0])
            if service.rate_limit and over:
                body = _json(
                    {
                        "error": "API rate limit exceeded",
                        "api-key": params.get("api_key") or self.client_address[0],
                        "count": str(count),
                        "limit": str(limit),
                    },
                    compact=True,
                )
                entry.status = 429
                self._send(
                    429,
                    body,
                    "application/json",
                    {"X-RateLimit-Limit": str(limit), "X-RateLimit-Remaining": "0"},
                )
                return
            with service.lock:
                planned = service._answers.get(utility)
                answer = planned.popleft() if planned else None
            if answer is not None:
                entry.status = answer[0]
                self._send(*answer)
                return
            failure = service._failure(utility)
            entry.failure = failure
            if failure in ("500", "502", "503"):
                entry.status = int(failure)
                self._send(
                    int(failure), b"<html><body>Service unavailable</body></html>", "text/html"
                )
                return
            if failure == "429":
                entry.status = 429
                self._send(
                    429,
                    _json({"error": "API rate limit exceeded", "count": "4", "limit": "3"}, True),
                    "application/json",
                )
                return
            if failure == "ratelimit-200":
                entry.status = 200
                self._send(
                    200,
                    _json({"error": "API rate limit exceeded", "count": "11"}, True),
                    "application/json",
                )
                return
            if failure == "inband-timeout" and utility == "efetch":
                entry.status = 200
                message = (
                    " Error: External viewer error: Empty Response. Bytes read: 0 Status: Timeout"
                )
                self._send(200, efetch_error(message), "text/xml")
                return
            if failure == "drop":
                self._drop()
                return
            if utility == "esearch":
                status, body = service.esearch(params)
                entry.status = status
                self._send(status, body, "application/json")
                return
            if utility != "efetch":
                entry.status = 404
                self._send(404, b"<html><body>Not found</body></html>", "text/html")
                return
            status, body, items = service.efetch(params)
            xml = params.get("retmode", "xml") == "xml"
            if failure in ("cut", "short") and status == 200:
                body = _cut_body(body, items, failure, xml)
            entry.status = status
            content = "text/xml" if xml or body.startswith(b"<?xml") else "text/plain"
            if failure == "truncate":
                self._truncated(body, content)
            else:
                self._send(status, body, content)
            with service.lock:
                service.served["efetch"] = service.served.get("efetch", 0) + 1
                number = service.served["efetch"]
            if service.on_served is not None:
                service.on_served("efetch", number)

        def _send(
            self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", f"{content_type}; charset=UTF-8")
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def _truncated(self, body: bytes, content_type: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", f"{content_type}; charset=UTF-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self._close()

        def _drop(self) -> None:
            self._close()

        def _close(self) -> None:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)

    return Handler


def _params(query: str) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}


class FakeClock:
    """A clock that moves only when something sleeps on it (shared by client and server)."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.slept: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.slept.append(seconds)
            self.now += max(0.0, seconds)


def windows(times: Sequence[float], width: float = 1.0) -> Iterator[int]:
    """For each request time, how many requests fall in the window of *width* starting there."""
    ordered = sorted(times)
    for i, start in enumerate(ordered):
        yield sum(1 for t in ordered[i:] if t < start + width)


@contextlib.contextmanager
def serving(
    records: Sequence[Record], *, page_limit: int | None = None, **options: Any
) -> Iterator[tuple[EUtils, Any]]:
    """A fake E-utilities and a client of it sharing a fake clock (nobody waits); the client's
    paging cap is the server's unless *page_limit* says otherwise."""
    from medline_parse.eutils import Client

    clock = FakeClock()
    with EUtils(records, clock=clock, **options) as server:
        limit = page_limit if page_limit is not None else server.page_cap
        client = Client(base_url=server.url, clock=clock, sleep=clock.sleep, page_limit=limit)
        try:
            yield server, client
        finally:
            client.close()

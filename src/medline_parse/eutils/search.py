"""ESearch and EFetch as NCBI asks, past the paging cap, in batches that are checked.

Strategy. A query is searched once with the history server (``usehistory=y``): the count, a
WebEnv and a query_key. When the count is within what PubMed pages through (9,999 records of a
search), the records are fetched from the history in batches (``retstart``/``retmax``). When it is
over, the query is cut by publication date (``datetype=pdat`` with ``mindate``/``maxdate``), in
halves, each half searched again, recursively down to single days; a single day still over the cap
is cut by PMID range (``AND N:M[uid]``). Parts are fetched in order, earliest first. PubMed's
publication date matches both the print and the electronic date, so one record can fall in two
parts: records are kept once, by PMID, in the order first met.

Each batch is counted against what was asked and checked whole (:mod:`.responses`); a short or
cut batch is fetched again and never handed on as if whole. A batch still short after the retries,
or the service's "retstart cannot be larger" refusal, means paging went past what the service
serves: that part is cut in two and searched again (records already met are skipped).

A list of PMIDs is fetched in batches by ``id=`` (POST for long lists), in the order given; PMIDs
missing from an answer are asked for once more on their own, and those still missing are
reported as unknown.

A :class:`Resume` says what is done, so that a fetch started again skips it; the consumer of the
batches (:mod:`.output`) advances it once a batch is safely written.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Generator, Iterable, Iterator

import attrs

from .client import Client, FetchError, Reply
from .responses import Body, Piece, Search, cut, error_kind, read_search

__all__ = ["FORMATS", "MAX_BATCH", "Batch", "Fetcher", "Part", "Resume", "clean_pmids"]

FORMATS = ("medline", "xml")
MAX_BATCH = 10_000
"""The largest batch EFetch serves."""

DATE_MIN = datetime.date(1000, 1, 1)
DATE_MAX = datetime.date(2999, 12, 31)
UID_MAX = 999_999_999

_PMID = re.compile(r"^[0-9]{1,10}$")
_CAP = re.compile(r"cannot be larger than (\d+)")


def clean_pmids(pmids: Iterable[object]) -> list[str]:
    """PMIDs as strings, duplicates dropped (the first kept), order kept; raises
    :class:`FetchError` naming values that are not PMIDs."""
    seen: set[str] = set()
    ordered: list[str] = []
    bad: list[str] = []
    for value in pmids:
        text = str(value).strip()
        if isinstance(value, bool) or not _PMID.match(text) or int(text) == 0:
            bad.append(repr(value) if not isinstance(value, str) else repr(text))
            continue
        text = str(int(text))  # no leading zeros
        if text not in seen:
            seen.add(text)
            ordered.append(text)
    if bad:
        shown = ", ".join(bad[:5]) + (f" and {len(bad) - 5} more" if len(bad) > 5 else "")
        raise FetchError(f"not a PMID (a positive whole number): {shown}")
    return ordered


def _day(date: datetime.date) -> str:
    return f"{date.year:04d}/{date.month:02d}/{date.day:02d}"


@attrs.frozen
class Part:
    """A part of a search: the whole query, a publication-date range, or one day's PMID range."""

    first_day: datetime.date | None = None
    last_day: datetime.date | None = None
    first_uid: int | None = None
    last_uid: int | None = None

    @property
    def key(self) -> str:
        """A stable name of the part (the resume state keeps these)."""
        if self.first_day is None or self.last_day is None:
            return "all"
        key = f"{_day(self.first_day)}-{_day(self.last_day)}"
        if self.first_uid is not None:
            key += f" uid {self.first_uid}-{self.last_uid}"
        return key

    def describe(self) -> str:
        if self.first_day is None or self.last_day is None:
            return "the search"
        if self.first_day == self.last_day:
            days = f"publication date {_day(self.first_day)}"
        else:
            days = f"publication dates {_day(self.first_day)}-{_day(self.last_day)}"
        if self.first_uid is not None:
            days += f", PMIDs {self.first_uid}-{self.last_uid}"
        return days

    def term(self, query: str) -> str:
        if self.first_uid is None:
            return query
        return f"({query}) AND {self.first_uid}:{self.last_uid}[uid]"

    def dates(self) -> dict[str, str]:
        if self.first_day is None or self.last_day is None:
            return {}
        return {"datetype": "pdat", "mindate": _day(self.first_day), "maxdate": _day(self.last_day)}

    def children(self) -> tuple[Part, Part] | None:
        """The two halves of this part, or None when it cannot be cut."""
        if self.first_day is None or self.last_day is None:
            return _halves_of_days(DATE_MIN, DATE_MAX)
        if self.first_day < self.last_day:
            return _halves_of_days(self.first_day, self.last_day)
        low = 1 if self.first_uid is None else self.first_uid
        high = UID_MAX if self.last_uid is None else self.last_uid
        if low >= high:
            return None
        middle = (low + high) // 2
        day = self.first_day
        return Part(day, day, low, middle), Part(day, day, middle + 1, high)


def _halves_of_days(first: datetime.date, last: datetime.date) -> tuple[Part, Part]:
    middle = datetime.date.fromordinal((first.toordinal() + last.toordinal()) // 2)
    return Part(first, middle), Part(middle + datetime.timedelta(days=1), last)


@attrs.define
class Resume:
    """How far a fetch got: parts cut in two, parts done, the part under way and how far into it."""

    splits: set[str] = attrs.Factory(set)
    done: set[str] = attrs.Factory(set)
    part: str | None = None
    offset: int = 0
    cap: int | None = None
    """A lower paging cap than the client's, learnt from the service."""

    def advance(self, batch: Batch) -> None:
        """Record *batch* as safely written."""
        if batch.done:
            self.done.add(batch.unit)
            self.part, self.offset = None, 0
        else:
            self.part, self.offset = batch.unit, batch.offset


@attrs.frozen
class Batch:
    """Records fetched together, ready to be written: the unit (a search part, or ``"pmids"``)
    and how far into it they go."""

    unit: str
    offset: int
    done: bool
    records: tuple[Piece, ...]
    header: bytes = b""
    footer: bytes = b""
    unknown: tuple[str, ...] = ()
    """PMIDs asked for that did not come back."""


_Notify = Callable[[str], object]


def _ignore(message: str) -> None:
    return None


class Fetcher:
    """Turns a query or a PMID list into :class:`Batch` es of records, in order.

    *seen* holds the PMIDs already written (a record met again is skipped); *resume* says what is
    done already; *notify* gets each problem as a sentence, as it happens.
    """

    def __init__(
        self,
        client: Client,
        format: str = "medline",
        batch_size: int = 500,
        *,
        seen: set[str] | None = None,
        resume: Resume | None = None,
        notify: _Notify = _ignore,
        attempts: int = 3,
    ) -> None:
        if format not in FORMATS:
            raise FetchError(f"format must be 'medline' or 'xml', not {format!r}")
        if not 1 <= batch_size <= MAX_BATCH:
            raise FetchError(f"the batch size must be between 1 and {MAX_BATCH:,}")
        self.client = client
        self.format = format
        self.batch_size = batch_size
        self.seen = seen if seen is not None else set()
        self.resume = resume if resume is not None else Resume()
        self.notify = notify
        self.attempts = attempts
        """Tries of a batch that comes back short or cut, before other measures."""
        self.total: int | None = None
        """Records expected: the search's count, or the number of PMIDs."""
        self.searched: int | None = None
        """The count of the whole search (query mode)."""
        self.duplicates = 0
        """Records met a second time (in two date parts) and skipped."""
        self.unknown: list[str] = []
        self.problems = 0

    @property
    def cap(self) -> int:
        cap = self.client.page_limit
        return min(cap, self.resume.cap) if self.resume.cap else cap

    def _problem(self, message: str) -> None:
        self.problems += 1
        self.notify(message)

    def _format_params(self) -> dict[str, str]:
        if self.format == "xml":
            return {"db": "pubmed", "retmode": "xml"}
        return {"db": "pubmed", "rettype": "medline", "retmode": "text"}

    def _new(self, pieces: Iterable[Piece]) -> tuple[Piece, ...]:
        kept: list[Piece] = []
        for piece in pieces:
            if piece.pmid is not None:
                if piece.pmid in self.seen:
                    self.duplicates += 1
                    continue
                self.seen.add(piece.pmid)
            kept.append(piece)
        return tuple(kept)

    def batches(
        self, query: str | None = None, pmids: Iterable[object] | None = None
    ) -> Iterator[Batch]:
        """The batches of *query* or of *pmids* (exactly one of them)."""
        if (query is None) == (pmids is None):
            raise FetchError("give a query or PMIDs (one of the two)")
        if query is not None:
            if not query.strip():
                raise FetchError("the query is empty")
            return self._query(query.strip())
        ids = clean_pmids(pmids if pmids is not None else ())
        if not ids:
            raise FetchError("no PMIDs given")
        return self._pmids(ids)

    # -- searches ----------------------------------------------------------------------------------

    def search(self, query: str, part: Part = Part()) -> Search:
        """ESearch *query* (limited to *part*) on the history server."""
        term = part.term(query)
        params = {
            "db": "pubmed",
            "term": term,
            "usehistory": "y",
            "retmax": "0",
            "retmode": "json",
            **part.dates(),
        }
        return read_search(self.client.request("esearch", params, post=len(term) > 2000))

    def _query(self, query: str) -> Iterator[Batch]:
        top = self.search(query)
        self.searched = self.total = top.count
        if top.not_found:
            detail = "; ".join(top.not_found)
            if top.count == 0:
                raise FetchError(f"PubMed found no records for {query!r} ({detail})")
            self._problem(f"PubMed searched without what it did not recognise: {detail}")
        if top.count == 0:
            raise FetchError(f"no PubMed records match {query!r}")
        yield from self._part(query, Part(), top)

    def _part(self, query: str, part: Part, search: Search | None = None) -> Iterator[Batch]:
        key = part.key
        if key in self.resume.done:
            return
        if key not in self.resume.splits:
            if search is None:
                search = self.search(query, part)
            if search.count <= self.cap:
                finished = yield from self._fetch_part(query, part, search)
                if finished:
                    return
        children = part.children()
        if children is None:  # a single PMID: it cannot be over any cap
            raise FetchError(f"{part.describe()} could not be fetched")
        self.resume.splits.add(key)
        left, right = children
        found = [None if c.key in self.resume.done else self.search(query, c) for c in children]
        if search is not None and all(found):
            counted = sum(s.count for s in found if s is not None)
            if counted < search.count:
                self._problem(
                    f"{search.count - counted:,} of the {search.count:,} records of "
                    f"{part.describe()} fall in no part of it when it is cut by date or PMID; "
                    "they cannot be fetched"
                )
        yield from self._part(query, left, found[0])
        yield from self._part(query, right, found[1])

    def _fetch_part(self, query: str, part: Part, search: Search) -> Generator[Batch, None, bool]:
        """Fetch a part within the paging cap; False when it must be cut instead."""
        key = part.key
        count = search.count
        offset = self.resume.offset if self.resume.part == key else 0
        if count == 0 or offset >= count:
            yield Batch(key, count, True, ())
            return True
        while offset < count:
            size = min(self.batch_size, count - offset)
            body: Body | None = None
            for attempt in range(1, self.attempts + 1):
                if attempt > 1:
                    self.client.pause(attempt - 1)
                if not search.webenv or not search.query_key:
                    raise FetchError("the search service gave no WebEnv and query_key")
                params = {
                    **self._format_params(),
                    "WebEnv": search.webenv,
                    "query_key": search.query_key,
                    "retstart": str(offset),
                    "retmax": str(size),
                }
                reply = self.client.request("efetch", params)
                body = cut(reply.body, self.format)
                kinds = {error_kind(message) for message in body.errors}
                if "cap" in kinds:
                    return self._capped(part, count, offset, body.errors)
                if "history" in kinds:
                    search = self.search(query, part)  # the WebEnv expired: search again
                    if search.count != count:
                        self._problem(
                            f"{part.describe()}: the search now counts {search.count:,} records "
                            f"instead of {count:,} (PubMed changed while fetching)"
                        )
                    continue
                self._raise_unless_records(reply, body)
                if body.complete and len(body.records) + len(body.unavailable) >= size:
                    break
            else:
                assert body is not None
                got = len(body.records)
                if part.children() is not None and count > 1:
                    if body.complete and offset + got < count:
                        self._probe_cap(search, offset + got)
                    return False  # cut the part and search its halves
                if not body.complete and body.records:
                    body = attrs.evolve(body, records=body.records[:-1])
                self._problem(
                    f"{part.describe()}: records {offset + 1:,}-{offset + size:,} came back "
                    f"{'cut short' if not body.complete else 'short'} ({got} of {size}) after "
                    f"{self.attempts} tries; kept the whole records that came"
                )
            for message in body.errors:
                self._problem(f"PubMed: {message}")
            offset += size
            yield Batch(
                key,
                offset,
                offset >= count,
                self._new(body.records),
                body.header,
                body.footer,
                body.unavailable,
            )
        return True

    def _probe_cap(self, search: Search, position: int) -> None:
        """Ask for the record at *position* of a search whose page stopped short there: when the
        service refuses to page that far, that is its paging cap (learnt for the other parts)."""
        if not search.webenv or not search.query_key:  # a search again that gave none
            return
        params = {
            **self._format_params(),
            "WebEnv": search.webenv,
            "query_key": search.query_key,
            "retstart": str(position),
            "retmax": "1",
        }
        body = cut(self.client.request("efetch", params).body, self.format)
        if "cap" in {error_kind(message) for message in body.errors}:
            self._learn_cap(body.errors, position)

    def _learn_cap(self, errors: tuple[str, ...], offset: int) -> int:
        """The paging cap the service's refusal states ("cannot be larger than 9998"), else
        *offset*; kept for the rest of the fetch."""
        found = None
        for message in errors:
            found = _CAP.search(message) or found
        cap = int(found.group(1)) + 1 if found else offset
        if cap > 0:
            self.resume.cap = min(cap, self.resume.cap or cap)
        return cap

    def _capped(self, part: Part, count: int, offset: int, errors: tuple[str, ...]) -> bool:
        cap = self._learn_cap(errors, offset)
        if cap >= count or cap <= 0 or part.children() is None:
            raise FetchError(f"PubMed would not page through {part.describe()}: {errors[0]}")
        return False

    def _raise_unless_records(self, reply: Reply, body: Body) -> None:
        if body.records or (not body.errors and reply.status < 400):
            return
        kinds = {error_kind(message) for message in body.errors}
        if body.errors and kinds <= {"transient"}:
            return  # tried again by the caller
        detail = "; ".join(body.errors) or f"HTTP {reply.status}"
        raise FetchError(f"PubMed could not serve the records: {detail}")

    # -- PMIDs -------------------------------------------------------------------------------------

    def _pmids(self, ids: list[str]) -> Iterator[Batch]:
        self.total = len(ids)
        if "pmids" in self.resume.done:
            return
        offset = self.resume.offset if self.resume.part == "pmids" else 0
        while offset < len(ids):
            chunk = ids[offset : offset + self.batch_size]
            records, unknown, header, footer = self._id_batch(chunk)
            offset += len(chunk)
            self.unknown.extend(unknown)
            yield Batch(
                "pmids",
                offset,
                offset >= len(ids),
                self._new(records),
                header,
                footer,
                tuple(unknown),
            )

    def _id_batch(self, chunk: list[str]) -> tuple[list[Piece], list[str], bytes, bytes]:
        found: dict[str, Piece] = {}
        extra: list[Piece] = []
        said_unknown: set[str] = set()
        header = footer = b""
        asked = set(chunk)
        ask = list(chunk)
        missing_tries = 0
        was_cut = False
        for attempt in range(1, self.attempts + 2):
            if was_cut:
                self.client.pause(attempt - 1)
            params = {**self._format_params(), "id": ",".join(ask)}
            reply = self.client.request("efetch", params, post=len(ask) > 200)
            body = cut(reply.body, self.format)
            self._raise_unless_records(reply, body)
            if body.header and not header:
                header, footer = body.header, body.footer
            records = list(body.records)
            was_cut = not body.complete
            if was_cut and records:
                records.pop()  # the last one may be cut: ask for it again
            for piece in records:
                if piece.pmid in asked and piece.pmid not in found:
                    found[piece.pmid] = piece
                elif piece.pmid not in asked:
                    extra.append(piece)
            said_unknown.update(body.unavailable)
            last = attempt == self.attempts + 1
            kinds = {error_kind(message) for message in body.errors}
            if not body.records and body.errors and not last and kinds <= {"transient"}:
                was_cut = True  # "try again later": so it is, after a pause
                continue
            for message in body.errors:
                self._problem(f"PubMed: {message}")
            ask = [p for p in chunk if p not in found and p not in said_unknown]
            if not ask:
                break
            if body.complete:
                # Missing without a word: asked once more on their own, then taken as unknown.
                missing_tries += 1
                if missing_tries > 1:
                    break
            elif last:
                self._problem(
                    f"PMIDs {ask[0]}...: the answer came back cut short {self.attempts + 1} times"
                )
        for piece in extra:
            self._problem(f"PubMed sent record {piece.pmid}, which was not asked for; kept")
        ordered = [found[p] for p in chunk if p in found] + extra
        unknown = [p for p in chunk if p not in found]
        return ordered, unknown, header, footer

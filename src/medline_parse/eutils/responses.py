"""What the E-utilities answer, read: ESearch JSON, and EFetch bodies cut into records.

Strategy. An EFetch body is cut into *pieces*, each one record's exact bytes with the whitespace
before it, so that joining the pieces gives the body back byte for byte; what is not a record
(NCBI's in-band error lines, ``id: N Error occurred: ...`` in MEDLINE text or an
``<eFetchResult><ERROR>`` document, in XML an ``<ERROR>`` between records) is set apart as a
message and never written. The cut also says whether the body is whole: a MEDLINE body must end
with a line break and its last record with its ``SO`` (source) field, which PubMed always writes
last; a PubMed XML body must close every record and the ``<PubmedArticleSet>``. Counting the pieces
against what was asked is left to the caller, who knows what was asked.
"""

from __future__ import annotations

import json
import re
from typing import Any

import attrs

from .client import FetchError, Reply, excerpt

__all__ = [
    "Body",
    "Piece",
    "Search",
    "cut",
    "cut_medline",
    "cut_xml",
    "error_kind",
    "read_search",
]


@attrs.frozen
class Piece:
    """One record as served: its PMID (when it has one) and its bytes, leading whitespace
    included."""

    pmid: str | None
    data: bytes


@attrs.frozen
class Body:
    """An EFetch answer cut into records."""

    records: tuple[Piece, ...]
    header: bytes = b""
    """XML: everything up to and including the ``<PubmedArticleSet>`` tag."""
    footer: bytes = b""
    """XML: what follows the last record (the closing tag)."""
    errors: tuple[str, ...] = ()
    """NCBI's in-band error messages, and text that was neither record nor error."""
    unavailable: tuple[str, ...] = ()
    """PMIDs the service said it does not have (its in-band "PMID is not available" lines)."""
    complete: bool = True
    """False when the body was cut short."""


# -- MEDLINE text ----------------------------------------------------------------------------------

_TAG_LINE = re.compile(rb"^([A-Z][A-Z0-9]{1,3}) *- ")
_XML_ERROR = re.compile(rb"<ERROR>(.*?)</ERROR>", re.S)
_NOT_AVAILABLE = re.compile(rb"PMIDs? (?:is |are )?not available:?\s*([\d,\s]+)")
_NOT_AVAILABLE2 = re.compile(rb"following PMIDs? (?:is|are) not available:?\s*([\d,\s]+)")


def _text(data: bytes | str, limit: int = 300) -> str:
    return excerpt(data, limit)  # never raw: a body can hold terminal escapes


def _unavailable(content: bytes) -> list[str]:
    found: list[bytes] = []
    for pattern in (_NOT_AVAILABLE2, _NOT_AVAILABLE):
        for match in pattern.finditer(content):
            found.extend(p for p in re.split(rb"[,\s]+", match.group(1)) if p)
        if found:
            break
    return [p.decode("ascii") for p in found]


def _error_messages(content: bytes) -> list[str]:
    messages = [_text(m.group(1)) for m in _XML_ERROR.finditer(content)]
    if not messages:
        for line in content.splitlines():
            if b"Error occurred" in line or b"ERROR" in line:
                messages.append(_text(line))
    return [m for m in messages if m] or [_text(content)]


def _is_error(content: bytes) -> bool:
    head = content.lstrip()[:200]
    return (
        b"Error occurred" in content
        or b"<ERROR>" in content
        or head.startswith((b"<?xml", b"<!DOCTYPE", b"<eFetchResult", b"<html", b"<!doctype"))
    )


def cut_medline(body: bytes) -> Body:
    """Cut an ``rettype=medline`` body into records (records are separated by empty lines)."""
    records: list[Piece] = []
    errors: list[str] = []
    unavailable: list[str] = []
    prefix: list[bytes] = []
    content: list[bytes] = []

    def finish() -> None:
        data = b"".join(content)
        first = content[0]
        if first.startswith(b"PMID-"):
            pmid = first[5:].strip().decode("ascii", "replace")
            records.append(Piece(pmid or None, b"".join(prefix) + data))
        elif _is_error(data):
            pmids = _unavailable(data)  # "id: N Error occurred: ... PMID is not available: N"
            unavailable.extend(pmids)
            if not pmids:
                errors.extend(_error_messages(data))
        else:
            errors.append(f"text that is not a MEDLINE record: {_text(data, 120)}")

    for line in body.splitlines(keepends=True):
        if line.strip():
            content.append(line)
            continue
        if content:
            finish()
            prefix, content = [], []
        prefix.append(line)
    if content:
        finish()
    elif prefix and records:  # blank lines after the last record stay with it
        last = records[-1]
        records[-1] = Piece(last.pmid, last.data + b"".join(prefix))
    complete = not body or body.endswith((b"\n", b"\r"))
    if complete and records:
        complete = _last_tag(records[-1].data) == b"SO"
    return Body(
        tuple(records), errors=tuple(errors), unavailable=tuple(unavailable), complete=complete
    )


def _last_tag(record: bytes) -> bytes | None:
    for line in reversed(record.splitlines()):
        match = _TAG_LINE.match(line)
        if match:
            return match.group(1)
    return None


# -- PubMed XML ------------------------------------------------------------------------------------

_SET_OPEN = re.compile(rb"<PubmedArticleSet(?:\s[^>]*)?>")
_SET_EMPTY = re.compile(rb"<PubmedArticleSet(?:\s[^>]*)?/>")
_SET_CLOSE = b"</PubmedArticleSet>"
_RECORD_OPEN = re.compile(rb"<(PubmedArticle|PubmedBookArticle)(?:\s[^>]*)?>")
_PMID = re.compile(rb"<PMID(?:\s[^>]*)?>\s*(\d+)\s*</PMID>")


def cut_xml(body: bytes) -> Body:
    """Cut a PubMed XML body (a ``<PubmedArticleSet>``) into ``<PubmedArticle>`` and
    ``<PubmedBookArticle>`` records."""
    opened = _SET_OPEN.search(body)
    if opened is None:
        empty = _SET_EMPTY.search(body)
        if empty is not None:  # a set with nothing in it
            return Body((), header=body[: empty.start()], footer=body[empty.start() :])
        if not body.strip():
            return Body((), complete=False)  # nothing at all came: a failed answer
        if _is_error(body):
            pmids = _unavailable(body)
            messages = () if pmids else tuple(_error_messages(body))
            return Body((), errors=messages, unavailable=tuple(pmids))
        return Body((), errors=(f"an answer that is not PubMed XML: {_text(body, 120)}",))
    header = body[: opened.end()]
    records: list[Piece] = []
    errors: list[str] = []
    position = opened.end()
    while True:
        start = _RECORD_OPEN.search(body, position)
        if start is None:
            break
        between = body[position : start.start()]
        begin = position
        if between.strip():
            errors.extend(_stray(between))
            begin = start.start()
        close_tag = b"</" + start.group(1) + b">"
        close = body.find(close_tag, start.end())
        if close < 0:
            return Body(tuple(records), header=header, errors=tuple(errors), complete=False)
        end = close + len(close_tag)
        element = body[start.start() : end]
        pmid = _PMID.search(element)
        records.append(Piece(pmid.group(1).decode("ascii") if pmid else None, body[begin:end]))
        position = end
    rest = body[position:]
    closing = rest.find(_SET_CLOSE)
    if closing < 0:
        return Body(tuple(records), header=header, errors=tuple(errors), complete=False)
    if rest[:closing].strip():
        errors.extend(_stray(rest[:closing]))
        rest = rest[closing:]
    return Body(tuple(records), header=header, footer=rest, errors=tuple(errors))


def _stray(text: bytes) -> list[str]:
    if b"<ERROR>" in text:
        return _error_messages(text)
    return [f"text between records that is not a record: {_text(text, 120)}"]


def cut(body: bytes, format: str) -> Body:
    """Cut an EFetch body of *format* (``"medline"`` or ``"xml"``) into records."""
    return cut_xml(body) if format == "xml" else cut_medline(body)


def error_kind(message: str) -> str:
    """What an in-band error means for the fetch: ``"cap"`` (paged past what the service pages
    through), ``"history"`` (the search's WebEnv is gone), ``"transient"`` (try again) or
    ``"fatal"``."""
    lower = message.lower()
    if "retstart" in lower and ("cannot be larger" in lower or "out of acceptable range" in lower):
        return "cap"
    if "history" in lower or "webenv" in lower or "unable to obtain query" in lower:
        return "history"
    transient = ("timeout", "timed out", "temporarily", "unavailable", "empty response", "backend")
    if any(word in lower for word in transient):
        return "transient"
    return "fatal"


# -- ESearch ---------------------------------------------------------------------------------------


@attrs.frozen
class Search:
    """What ESearch said about a query."""

    count: int
    webenv: str | None = None
    query_key: str | None = None
    ids: tuple[str, ...] = ()
    translation: str | None = None
    not_found: tuple[str, ...] = ()
    """Phrases and fields PubMed did not know (it searched without them)."""
    notes: tuple[str, ...] = ()
    """PubMed's warnings and messages (phrases ignored, "No items found.")."""


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [_text(value)] if value else []
    if isinstance(value, list):
        return [_text(str(item)) for item in value if item]
    return []


def _unexpected(reply: Reply, what: str) -> FetchError:
    return FetchError(
        f"the search service gave an unexpected answer ({what}): {_text(reply.body, 120)}"
    )


def _count(reply: Reply, value: Any) -> int:
    """ESearch's ``count``: a string of digits (or a JSON number), nothing else."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value)
    raise FetchError(f"the search service gave no count: {_text(reply.body, 120)}")


def _scalar(reply: Reply, result: dict[str, Any], key: str) -> str | None:
    """A string field of the result (a number is taken as its digits); absent or empty is None,
    any other JSON type a malformed answer."""
    value = result.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
        return str(value)
    raise _unexpected(reply, f"{key} is a JSON {type(value).__name__}")


def _ids(reply: Reply, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(
        isinstance(item, (str, int)) and not isinstance(item, bool) for item in value
    ):
        raise _unexpected(reply, "idlist is not a list of PMIDs")
    return tuple(str(item) for item in value if item != "")


def read_search(reply: Reply) -> Search:
    """Read an ESearch ``retmode=json`` answer; raise :class:`FetchError` with NCBI's message when
    it reports an error."""
    text = reply.body.decode("utf-8", "replace")
    try:
        data = json.loads(text, strict=False)  # NCBI's messages can hold raw line breaks
    except (ValueError, RecursionError):  # RecursionError: nested deeper than Python goes
        data = None
    if not isinstance(data, dict):
        found = _XML_ERROR.search(reply.body)
        if found:
            raise FetchError(f"PubMed answered with an error: {_text(found.group(1))}")
        raise FetchError(
            f"the search service gave an answer that is not ESearch JSON (HTTP {reply.status}): "
            f"{_text(reply.body, 120)}"
        )
    if "error" in data and "esearchresult" not in data:
        message = _text(str(data["error"]))
        if "api key" in message.lower() or "api-key" in message.lower():
            message += " (check --api-key / NCBI_API_KEY)"
        raise FetchError(f"PubMed answered with an error: {message}")
    result = data.get("esearchresult")
    if not isinstance(result, dict):
        raise FetchError(f"the search service gave an unexpected answer: {_text(reply.body, 120)}")
    if result.get("ERROR"):
        raise FetchError(f"PubMed rejected the search: {_text(str(result['ERROR']))}")
    if reply.status >= 400:
        raise FetchError(f"the search failed (HTTP {reply.status}): {_text(reply.body, 200)}")
    count = _count(reply, result.get("count"))
    errors = result.get("errorlist") or {}
    warnings = result.get("warninglist") or {}
    not_found: list[str] = []
    notes: list[str] = []
    if isinstance(errors, dict):
        for phrase in _strings(errors.get("phrasesnotfound")):
            not_found.append(f"phrase not found: {phrase}")
        for field in _strings(errors.get("fieldsnotfound")):
            not_found.append(f"field not found: {field}")
    if isinstance(warnings, dict):
        for phrase in _strings(warnings.get("phrasesignored")):
            notes.append(f"phrase ignored: {phrase}")
        for phrase in _strings(warnings.get("quotedphrasesnotfound")):
            notes.append(f"quoted phrase not found: {phrase}")
        notes.extend(_strings(warnings.get("outputmessages")))
    return Search(
        count=count,
        webenv=_scalar(reply, result, "webenv"),
        query_key=_scalar(reply, result, "querykey"),
        ids=_ids(reply, result.get("idlist")),
        translation=_scalar(reply, result, "querytranslation"),
        not_found=tuple(not_found),
        notes=tuple(notes),
    )

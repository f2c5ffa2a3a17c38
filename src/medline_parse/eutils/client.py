"""HTTP for the E-utilities: one session, NCBI's request rate, retries.

Strategy. Every request, first attempts and retries alike, passes a :class:`RateLimiter` that
remembers when the last *limit* requests were sent and, when there are that many, waits until the
oldest is a full window old: at most 3 requests (10 with an API key) fall in any one-second window,
whatever second they straddle. The window is a little longer than a second (``margin``) because
NCBI counts arrivals, and a request sent late can arrive early relative to the one before.

A request is tried again, after an exponential backoff with random jitter, when the service
answers 429 (over the rate; its ``Retry-After`` is honoured), a 5xx, NCBI's rate-limit JSON inside
a 200, or when the connection fails, times out or is cut short (requests notices a body shorter
than its ``Content-Length`` or a broken chunked stream). Other 4xx answers go back to the caller,
who knows what the body means. ``requests`` is imported on first use, so that the rest of
medline-parse works without the ``[fetch]`` extra.
"""

from __future__ import annotations

import collections
import json
import os
import random as _random
import re
import threading
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import attrs

from ..errors import MedlineError

if TYPE_CHECKING:
    import requests

__all__ = [
    "DEFAULT_URL",
    "PAGE_LIMIT",
    "Client",
    "FetchError",
    "RateLimiter",
    "Reply",
    "check_url",
    "excerpt",
]

DEFAULT_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
"""Where the E-utilities live (``MEDLINE_PARSE_EUTILS_URL`` or ``eutils_url=`` change it)."""

PAGE_LIMIT = 9999
"""How many records of one search PubMed pages through (since 2022), whatever it counts."""

TOOL = "medline-parse"
_RATE_LIMITED = re.compile(rb'\s*\{\s*"error"\s*:\s*"API rate limit exceeded"', re.I)


class FetchError(MedlineError):
    """Records could not be fetched: no network, the service failing, a query PubMed rejects,
    a search that found nothing, or arguments that cannot be used."""


def excerpt(data: bytes | str, limit: int = 300) -> str:
    """Text the service sent, fit for one line of a message: decoded (bad UTF-8 replaced), runs of
    whitespace as one space, characters that are not printable (terminal escapes, other control
    and format characters) as ``repr``-style escapes (``\\x1b``), at most *limit* characters."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    text = " ".join(text.split())[: limit + 1]
    shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


def _requests() -> Any:
    try:
        import requests
    except ImportError as error:
        from ..convert import missing_extra

        raise missing_extra("requests", "fetch", error, "fetching from PubMed") from None
    return requests


class RateLimiter:
    """At most *limit* acquisitions in any window of *window* seconds (plus *margin*), over a
    sliding window: each acquisition waits until the one *limit* places before it is a window old.

    *clock* and *sleep* default to :func:`time.monotonic` and :func:`time.sleep`; tests pass a
    fake clock whose ``sleep`` advances it.
    """

    def __init__(
        self,
        limit: int,
        window: float = 1.0,
        *,
        margin: float = 0.1,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], object] | None = None,
    ) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.limit = limit
        self.window = window + margin
        self._clock = clock or time.monotonic
        self._sleep = sleep or time.sleep
        self._sent: collections.deque[float] = collections.deque(maxlen=limit)
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Wait until one more request may go, record it, and return the clock's time of it."""
        with self._lock:
            while True:
                now = self._clock()
                if len(self._sent) < self.limit:
                    break
                wait = self._sent[0] + self.window - now
                if wait <= 0:
                    break
                self._sleep(wait)
            self._sent.append(now)  # the deque drops the oldest
            return now


@attrs.frozen
class Reply:
    """An answer of the service: HTTP status and body bytes."""

    status: int
    body: bytes
    url: str


def _env(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


def check_url(url: str) -> str:
    """*url* as the base URL of the E-utilities (ending in ``/``); raises :class:`FetchError` when
    it is not an http(s) URL with a host (and a valid port, when it has one)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is no number in range
    except ValueError as error:  # "Invalid IPv6 URL", "Port out of range 0-65535"
        raise FetchError(f"not a valid URL for the E-utilities ({error}): {url!r}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"not an http(s) URL for the E-utilities: {url!r}")
    return url if url.endswith("/") else url + "/"


class Client:
    """A connection to the E-utilities that keeps NCBI's rules.

    Args:
        api_key: NCBI API key (default ``$NCBI_API_KEY``): 10 requests a second instead of 3.
        email: contact address sent with each request, as NCBI asks (default ``$NCBI_EMAIL``).
        base_url: the E-utilities (default ``$MEDLINE_PARSE_EUTILS_URL``, else NCBI's).
        tool: the ``tool`` parameter (``medline-parse``).
        max_attempts: tries per request before giving up (retries on 429, 5xx, broken
            connections).
        backoff: first retry delay in seconds; it doubles each time, up to *max_backoff*, and
            a random part of it (jitter) is taken off so that clients do not retry in step.
        timeout: seconds to connect and to wait for data.
        page_limit: records of one search the service pages through (9,999 for PubMed).
        clock: the time source of the rate limit (default :func:`time.monotonic`).
        sleep: how to wait (default :func:`time.sleep`); tests pass a fake clock's.
        random: the source of the backoff's jitter (default :func:`random.random`).
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        email: str | None = None,
        base_url: str | None = None,
        tool: str = TOOL,
        max_attempts: int = 6,
        backoff: float = 1.0,
        max_backoff: float = 60.0,
        timeout: tuple[float, float] = (15.0, 300.0),
        page_limit: int = PAGE_LIMIT,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], object] | None = None,
        random: Callable[[], float] | None = None,
    ) -> None:
        self.api_key = api_key if api_key is not None else _env("NCBI_API_KEY")
        self.email = email if email is not None else _env("NCBI_EMAIL")
        self.base_url = check_url(base_url or _env("MEDLINE_PARSE_EUTILS_URL") or DEFAULT_URL)
        self.tool = tool
        if max_attempts < 1:
            raise FetchError("max_attempts must be at least 1")
        self.max_attempts = max_attempts
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.timeout = timeout
        self.page_limit = page_limit
        self.limiter = RateLimiter(10 if self.api_key else 3, clock=clock, sleep=sleep)
        self._sleep = sleep or time.sleep
        self._random = random or _random.random
        self._session: requests.Session | None = None
        self.requests = 0
        """Requests sent so far (attempts included)."""

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).netloc

    def _session_(self) -> requests.Session:
        if self._session is None:
            from .. import __version__

            session = _requests().Session()
            session.headers["User-Agent"] = (
                f"medline-parse/{__version__} (+https://medline-parse.readthedocs.io)"
            )
            self._session = session
        return self._session

    def close(self) -> None:
        """Close the HTTP connections (the client opens new ones if used again)."""
        if self._session is not None:
            self._session.close()
            self._session = None

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _delay(self, attempt: int) -> float:
        """Backoff before retry *attempt* (1-based): exponential, capped, half of it jittered."""
        base = min(self.max_backoff, self.backoff * 2.0 ** (attempt - 1))
        return base / 2 + base / 2 * self._random()

    def pause(self, retry: int) -> None:
        """Sleep the backoff before retry number *retry* (of a batch that came back short)."""
        self._sleep(self._delay(retry))

    def request(self, utility: str, params: Mapping[str, str], *, post: bool = False) -> Reply:
        """Send *params* to ``UTILITY.fcgi`` (GET, or POST for long lists) and return the answer.

        Raises :class:`FetchError` when no answer comes after the retries (no network, the service
        down or over its rate); other 4xx answers are returned for the caller to read.
        """
        requests = _requests()
        url = f"{self.base_url}{utility}.fcgi"
        sent = dict(params)
        sent["tool"] = self.tool
        if self.email:
            sent["email"] = self.email
        if self.api_key:
            sent["api_key"] = self.api_key
        session = self._session_()
        problem = ""
        wait = 0.0
        for attempt in range(1, self.max_attempts + 1):
            if attempt > 1:
                self._sleep(wait)
            self.limiter.acquire()
            self.requests += 1
            try:
                if post:
                    response = session.post(url, data=sent, timeout=self.timeout)
                else:
                    response = session.get(url, params=sent, timeout=self.timeout)
                body = response.content  # reads the body: a cut-short one raises here
            except requests.RequestException as error:
                problem = _network_reason(error)
                wait = self._delay(attempt)
                continue
            status = response.status_code
            if status == 429 or status >= 500 or _RATE_LIMITED.match(body) is not None:
                problem = _status_reason(status, body)
                wait = self._delay(attempt)
                retry_after = _retry_after(response.headers.get("Retry-After"))
                if status == 429 or _RATE_LIMITED.match(body) is not None:
                    wait = max(wait, self.limiter.window, retry_after or 0.0)
                continue
            if status >= 400:
                _raise_refusal(self.host, body)
            return Reply(status, body, url)
        tries = "once" if self.max_attempts == 1 else f"{self.max_attempts} times"
        raise FetchError(f"{self.host}: {problem} (tried {tries})")


def _raise_refusal(host: str, body: bytes) -> None:
    """Raise NCBI's own JSON refusal (``{"error": "API key invalid", ...}``) as a FetchError."""
    if not body.lstrip().startswith(b"{"):
        return
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # not JSON, or nested deeper than Python goes
        return
    if not isinstance(data, dict) or not isinstance(data.get("error"), str):
        return
    message = excerpt(data["error"])
    if "key" in message.lower():
        message += " (check --api-key or NCBI_API_KEY)"
    raise FetchError(f"{host}: the service refused the request: {message}")


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return max(0.0, min(float(value), 300.0))
    except ValueError:
        return None  # an HTTP date: rare, and the backoff covers it


def _status_reason(status: int, body: bytes) -> str:
    if status == 429 or _RATE_LIMITED.match(body) is not None:
        return "the service says the request rate was exceeded (HTTP 429)"
    text = excerpt(body, 200)
    return f"the service failed (HTTP {status}{': ' + text if text else ''})"


def _network_reason(error: BaseException) -> str:
    requests = _requests()
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return "no connection (timed out while connecting)"
    if isinstance(error, requests.exceptions.Timeout):
        return "the service stopped answering (timed out)"
    if isinstance(error, requests.exceptions.ChunkedEncodingError):
        return "the connection broke before the whole answer arrived"
    if isinstance(error, requests.exceptions.ConnectionError):
        text = str(error)
        for needle, reason in (
            ("Name or service not known", "no network, or the host name is unknown"),
            ("nodename nor servname", "no network, or the host name is unknown"),
            (
                "Temporary failure in name resolution",
                "no network (the host name cannot be resolved)",
            ),
            ("Connection refused", "connection refused"),
            ("Network is unreachable", "no network (unreachable)"),
            ("RemoteDisconnected", "the service closed the connection without answering"),
            ("Connection aborted", "the connection was cut"),
            ("Connection reset", "the connection was reset"),
        ):
            if needle in text:
                return reason
        return "no connection"
    return f"the request failed ({type(error).__name__})"

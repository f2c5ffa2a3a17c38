"""HTTP for the E-utilities: NCBI's rate over a sliding window, the parameters NCBI asks for, and
retries (with backoff and jitter) on 429, 5xx, rate-limit bodies, dropped and cut-short
connections. Against the local fake E-utilities (tests/eutils_server.py), never the network."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from medline_parse.eutils import Client, FetchError, RateLimiter

from .eutils_server import EUtils, FakeClock, make_records, windows

RECORDS = make_records(30)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def server(clock: FakeClock) -> Iterator[EUtils]:
    with EUtils(RECORDS, clock=clock) as service:
        yield service


def client_of(server: EUtils, clock: FakeClock, **options: object) -> Client:
    return Client(base_url=server.url, clock=clock, sleep=clock.sleep, **options)  # type: ignore[arg-type]


def test_sliding_window_with_a_fake_clock_never_lets_four_into_one_second(clock: FakeClock) -> None:
    limiter = RateLimiter(3, clock=clock, sleep=clock.sleep)
    times = []
    for i in range(40):
        times.append(limiter.acquire())
        clock.sleep(0.05 * (i % 4))  # the caller's own work between requests
    assert max(windows(times)) == 3
    # not a per-calendar-second count: three at x.9 and three at (x+1).0 would pass that
    fixed_second_counts: dict[int, int] = {}
    for t in times:
        fixed_second_counts[int(t)] = fixed_second_counts.get(int(t), 0) + 1
    assert max(fixed_second_counts.values()) <= 3


def test_sliding_window_waits_only_as_long_as_needed(clock: FakeClock) -> None:
    limiter = RateLimiter(3, clock=clock, sleep=clock.sleep, margin=0.0)
    start = clock()
    for _ in range(3):
        limiter.acquire()
    assert clock() == start  # three go at once
    limiter.acquire()
    assert clock() == pytest.approx(start + 1.0)  # the fourth waits for the first to be 1 s old


def test_sliding_window_with_the_real_monotonic_clock() -> None:
    # a short window so that the test is quick; the same code serves NCBI's one second
    limiter = RateLimiter(3, window=0.2, margin=0.0)
    began = time.monotonic()
    times = [limiter.acquire() for _ in range(9)]
    took = time.monotonic() - began
    assert max(windows(times, 0.2)) == 3
    assert took >= 0.4 - 0.01  # requests 4-6 wait for 1-3, 7-9 for 4-6
    assert took < 5  # bounded: it does not wait more than it must (by far)


def test_requests_carry_tool_email_and_key(server: EUtils, clock: FakeClock) -> None:
    client = client_of(server, clock, email="someone@example.org", api_key="KEY123")
    client.request("esearch", {"db": "pubmed", "term": "gout", "retmode": "json"})
    sent = server.log[-1].params
    assert sent["tool"] == "medline-parse"
    assert sent["email"] == "someone@example.org"
    assert sent["api_key"] == "KEY123"
    assert client.limiter.limit == 10


def test_environment_gives_key_email_and_url(
    server: EUtils, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NCBI_API_KEY", "ENVKEY")
    monkeypatch.setenv("NCBI_EMAIL", "env@example.org")
    monkeypatch.setenv("MEDLINE_PARSE_EUTILS_URL", server.url)
    client = Client(clock=clock, sleep=clock.sleep)
    client.request("esearch", {"db": "pubmed", "term": "gout", "retmode": "json"})
    sent = server.log[-1].params
    assert (sent["api_key"], sent["email"]) == ("ENVKEY", "env@example.org")


def test_without_a_key_the_rate_is_three(server: EUtils, clock: FakeClock) -> None:
    client = client_of(server, clock)
    for _ in range(12):
        reply = client.request("esearch", {"db": "pubmed", "term": "gout", "retmode": "json"})
        assert reply.status == 200
    assert "api_key" not in server.log[-1].params
    assert all(r.status == 200 for r in server.log)  # the server never had to say 429
    assert max(windows([r.time for r in server.log])) == 3


def test_with_a_key_the_rate_is_ten(server: EUtils, clock: FakeClock) -> None:
    client = client_of(server, clock, api_key="K")
    for _ in range(25):
        client.request("esearch", {"db": "pubmed", "term": "gout", "retmode": "json"})
    assert all(r.status == 200 for r in server.log)
    assert max(windows([r.time for r in server.log])) == 10


def test_a_client_over_the_rate_gets_429_and_backs_off(server: EUtils, clock: FakeClock) -> None:
    client = client_of(server, clock)
    client.limiter = RateLimiter(100, clock=clock, sleep=clock.sleep)  # a client too eager
    for _ in range(8):
        assert client.request("esearch", {"db": "pubmed", "term": "gout"}).status == 200
    assert [r.status for r in server.log].count(429) >= 1
    assert client.requests == len(server.log)
    assert min(clock.slept) >= 1.0  # after a 429, at least a window's wait


@pytest.mark.parametrize("kind", ["500", "502", "503", "429", "ratelimit-200", "drop", "truncate"])
def test_transient_failures_are_retried(server: EUtils, clock: FakeClock, kind: str) -> None:
    client = client_of(server, clock)
    server.fail(kind, utility="efetch", at=[1, 2])
    reply = client.request(
        "efetch",
        {"db": "pubmed", "id": str(RECORDS[0].pmid), "rettype": "medline", "retmode": "text"},
    )
    assert reply.status == 200
    assert reply.body.endswith(RECORDS[0].medline)
    assert [r.failure for r in server.requests_to("efetch")] == [kind, kind, None]
    assert len(clock.slept) >= 2


def test_backoff_grows_and_is_jittered(server: EUtils, clock: FakeClock) -> None:
    client = client_of(server, clock, backoff=1.0, max_attempts=5)
    server.fail("503", at=[1, 2, 3, 4])
    client.request("efetch", {"db": "pubmed", "id": str(RECORDS[0].pmid), "retmode": "xml"})
    waits = clock.slept[-4:]
    for attempt, wait in enumerate(waits, 1):
        base = 2.0 ** (attempt - 1)
        assert base / 2 <= wait <= base
    assert len(set(waits)) == 4


def test_giving_up_says_why(server: EUtils, clock: FakeClock) -> None:
    client = client_of(server, clock, max_attempts=3)
    server.fail("503", at=[1, 2, 3])
    with pytest.raises(FetchError, match=r"HTTP 503.*tried 3 times"):
        client.request("efetch", {"db": "pubmed", "id": "1", "retmode": "xml"})


def test_no_network_is_a_clear_error(clock: FakeClock) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = Client(
        base_url=f"http://127.0.0.1:{port}/", clock=clock, sleep=clock.sleep, max_attempts=2
    )
    with pytest.raises(FetchError, match=r"127\.0\.0\.1:\d+: connection refused \(tried 2 times\)"):
        client.request("esearch", {"db": "pubmed", "term": "x"})


def test_a_bad_url_is_refused() -> None:
    with pytest.raises(FetchError, match="not an http"):
        Client(base_url="ftp://example.org/")


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://[::1", "Invalid IPv6 URL"),
        ("http://example.org:99999/", "Port out of range"),
        ("http://example.org:eighty/", "Port could not be cast"),
        ("http://:80/", "not an http"),
    ],
)
def test_a_malformed_url_is_a_fetch_error(
    url: str, why: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(FetchError, match=why):
        Client(base_url=url)
    monkeypatch.setenv("MEDLINE_PARSE_EUTILS_URL", url)
    with pytest.raises(FetchError, match=why):
        Client()


def test_other_4xx_answers_go_back_to_the_caller(server: EUtils, clock: FakeClock) -> None:
    client = client_of(server, clock)
    reply = client.request(
        "efetch", {"db": "pubmed", "id": "1", "rettype": "fasta", "retmode": "text"}
    )
    assert reply.status == 400
    assert b"Unsupported rettype" in reply.body
    assert len(server.log) == 1


def test_an_invalid_api_key_is_said_plainly(clock: FakeClock) -> None:
    with EUtils(RECORDS, clock=clock, valid_keys={"GOOD"}) as service:
        good = client_of(service, clock, api_key="GOOD")
        assert good.request("esearch", {"db": "pubmed", "term": "gout"}).status == 200
        bad = client_of(service, clock, api_key="BAD")
        with pytest.raises(
            FetchError, match=r"refused the request: API key invalid \(check --api-key"
        ):
            bad.request("efetch", {"db": "pubmed", "id": "1", "retmode": "xml"})
        assert len(service.log) == 2  # not retried

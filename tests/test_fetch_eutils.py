"""ESearch and EFetch as NCBI asks: the history server and batches, past the paging cap by date
and PMID range (every record once), batches checked whole and fetched again, PMID lists in the
given order with unknown PMIDs reported, and NCBI's errors shown. Against the local fake
E-utilities with a shared fake clock (nobody waits)."""

from __future__ import annotations

import datetime
import io
import xml.etree.ElementTree as ET

import pytest

from medline_parse import loads
from medline_parse.eutils import FetchError, download

from .eutils_server import Record, make_records, medline_body, serving, xml_body

RECORDS = make_records(400)
BY_PMID = {r.pmid: r for r in RECORDS}


def grab(
    client: object, query: str | None = None, pmids: object = None, **options: object
) -> tuple[bytes, object, list[str]]:
    problems: list[str] = []
    out = io.BytesIO()
    report = download(
        out, query=query, pmids=pmids, client=client, notify=problems.append, **options
    )  # type: ignore[arg-type]
    return out.getvalue(), report, problems


def pmids_of(data: bytes) -> list[int]:
    return [int(a.pmid) for a in loads(data.decode("utf-8"))]


def in_search_order(server: object, pmids: set[int]) -> list[Record]:
    return [BY_PMID[p] for p in server.db.order if p in pmids]  # type: ignore[attr-defined]


def test_a_search_within_the_cap_is_fetched_from_the_history_in_batches() -> None:
    with serving(RECORDS) as (server, client):
        data, report, problems = grab(client, "fictional", batch_size=150)
    # what the service serves, in its order, byte for byte
    assert data == medline_body(in_search_order(server, set(BY_PMID)))
    assert report.records == report.searched == 400 and problems == []
    searches = server.requests_to("esearch")
    assert len(searches) == 1
    assert searches[0].params["usehistory"] == "y" and searches[0].params["retmax"] == "0"
    fetches = server.requests_to("efetch")
    assert [(f.params["retstart"], f.params["retmax"]) for f in fetches] == [
        ("0", "150"),
        ("150", "150"),
        ("300", "100"),
    ]
    assert "WebEnv" not in searches[0].params  # a new history session, used by every batch
    assert {f.params["WebEnv"] for f in fetches} == set(server.history)
    assert {f.params["query_key"] for f in fetches} == {"1"}
    assert all(f.params["rettype"] == "medline" and f.params["retmode"] == "text" for f in fetches)


def test_past_the_cap_the_search_is_cut_by_publication_date() -> None:
    with serving(RECORDS, page_cap=60) as (server, client):
        data, report, problems = grab(client, "fictional", batch_size=25)
    pmids = pmids_of(data)
    assert sorted(pmids) == sorted(BY_PMID)  # every record, each once
    assert report.records == 400 and report.searched == 400
    assert report.duplicates > 0  # print and electronic dates in two parts: written once
    assert problems == []
    for request in server.requests_to("efetch"):
        start, size = int(request.params["retstart"]), int(request.params["retmax"])
        assert start + size <= 60  # never paged past what the service serves
    parts = [r for r in server.requests_to("esearch") if "mindate" in r.params]
    assert parts and all(r.params["datetype"] == "pdat" for r in parts)
    # parts come earliest first: each batch's search part starts no earlier than the last one's
    searches = server.requests_to("esearch")
    first_day = {f"MCID_{i + 1:024x}": r.params.get("mindate", "") for i, r in enumerate(searches)}
    days = [first_day[f.params["WebEnv"]] for f in server.requests_to("efetch")]
    assert len(set(days)) > 3 and days == sorted(days)


def test_a_single_day_over_the_cap_is_cut_by_pmid_range() -> None:
    day = datetime.date(2018, 6, 1)
    records = make_records(
        150, dates=lambda i: day if i < 130 else datetime.date(2019, 1, i % 28 + 1)
    )
    with serving(records, page_cap=40) as (server, client):
        data, _report, problems = grab(client, "fictional", batch_size=40)
    assert sorted(pmids_of(data)) == sorted(r.pmid for r in records)
    assert problems == []
    terms = [r.params["term"] for r in server.requests_to("esearch")]
    assert any("[uid]" in term and term.startswith("(fictional) AND ") for term in terms)


@pytest.mark.parametrize("cap_status", [200, 400])
def test_a_lower_cap_than_expected_is_learnt_from_the_service(cap_status: int) -> None:
    with serving(RECORDS, page_cap=70, page_limit=9999, cap_status=cap_status) as (_server, client):
        data, report, problems = grab(client, "fictional", batch_size=30)
    assert sorted(pmids_of(data)) == sorted(BY_PMID)
    assert report.records == 400 and problems == []


def test_fifty_thousand_hits_give_fifty_thousand_records_each_once() -> None:
    start = datetime.date(2000, 1, 1).toordinal()
    records = make_records(
        50_000, dates=lambda i: datetime.date.fromordinal(start + (i * 7919) % 7300), books_every=0
    )
    with serving(records) as (server, client):  # PubMed's cap: 9,999
        out = io.BytesIO()
        report = download(out, query="fictional", client=client, batch_size=10_000)
    pmids = [int(line[6:]) for line in out.getvalue().split(b"\n") if line.startswith(b"PMID- ")]
    assert len(pmids) == 50_000 and len(set(pmids)) == 50_000
    assert report.records == report.searched == 50_000
    assert all(
        int(r.params["retstart"]) + int(r.params["retmax"]) <= 9999
        for r in server.requests_to("efetch")
    )


@pytest.mark.parametrize("format", ["medline", "xml"])
@pytest.mark.parametrize("kind", ["short", "cut", "truncate", "drop", "500", "inband-timeout"])
def test_a_bad_batch_is_fetched_again_never_written_as_whole(format: str, kind: str) -> None:
    with serving(RECORDS[:90]) as (server, client):
        server.fail(kind, at=[2])
        data, _report, problems = grab(client, "fictional", batch_size=40, format=format)
        clean, _, _ = grab(client, "fictional", batch_size=40, format=format)
    assert data == clean
    expected = in_search_order(server, {r.pmid for r in RECORDS[:90]})
    assert data == (xml_body(expected) if format == "xml" else medline_body(expected))
    starts = [r.params["retstart"] for r in server.requests_to("efetch")]
    assert starts[:4] == ["0", "40", "40", "80"]  # the second batch asked for twice
    assert problems == []


def test_random_failures_change_nothing_in_the_result() -> None:
    with serving(RECORDS, page_cap=80) as (server, client):
        clean, _, _ = grab(client, "fictional", batch_size=30, format="xml")
        server.fail_randomly(
            0.35, seed=7, kinds=("500", "503", "429", "cut", "short", "drop", "truncate")
        )
        data, _report, _problems = grab(client, "fictional", batch_size=30, format="xml")
    assert data == clean
    assert sum(1 for r in server.log if r.failure) > 5
    ET.fromstring(data)  # one well-formed document


def test_an_expired_history_is_searched_again() -> None:
    with serving(RECORDS) as (server, client):
        server.on_served = lambda utility, number: server.history.clear() if number == 1 else None
        data, _report, _problems = grab(client, "fictional", batch_size=150)
    assert sorted(pmids_of(data)) == sorted(BY_PMID)
    assert len(server.requests_to("esearch")) == 2


def test_xml_batches_merge_into_one_document() -> None:
    with serving(RECORDS[:100]) as (server, client):
        data, report, _ = grab(client, "fictional", batch_size=30, format="xml")
    assert data.count(b"<?xml") == 1 and data.count(b"<!DOCTYPE") == 1
    assert data.count(b"<PubmedArticleSet>") == 1 and data.count(b"</PubmedArticleSet>") == 1
    root = ET.fromstring(data)
    assert len(root) == 100 == report.records
    assert {e.tag for e in root} == {"PubmedArticle", "PubmedBookArticle"}
    assert data == xml_body(in_search_order(server, {r.pmid for r in RECORDS[:100]}))


# -- PMID lists ----------------------------------------------------------------------------------


def test_pmids_in_the_given_order_duplicates_dropped() -> None:
    chosen = [r.pmid for r in RECORDS[::-3]][:50]
    given = chosen[:10] + chosen[:5] + [str(p) for p in chosen[10:]]
    with serving(RECORDS) as (server, client):
        data, report, problems = grab(client, pmids=given, batch_size=7)
    assert pmids_of(data) == chosen
    assert data == medline_body(BY_PMID[p] for p in chosen)
    assert report.unknown == () and problems == []
    assert all(r.method == "GET" for r in server.requests_to("efetch"))


def test_long_pmid_lists_are_posted() -> None:
    chosen = [r.pmid for r in RECORDS[:300]]
    with serving(RECORDS) as (server, client):
        data, _report, _ = grab(client, pmids=chosen, batch_size=250, format="xml")
    methods = [(r.method, len(r.params["id"].split(","))) for r in server.requests_to("efetch")]
    assert methods == [("POST", 250), ("GET", 50)]
    assert [e.findtext("./*/PMID") for e in ET.fromstring(data)] == [str(p) for p in chosen]


@pytest.mark.parametrize("format", ["medline", "xml"])
def test_unknown_pmids_are_reported_and_the_rest_fetched(format: str) -> None:
    chosen = [RECORDS[0].pmid, 99_000_001, RECORDS[1].pmid, 99_000_002]
    with serving(RECORDS) as (server, client):
        data, report, _problems = grab(client, pmids=chosen, format=format)
    assert report.unknown == ("99000001", "99000002")
    assert report.records == 2
    assert b"Error occurred" not in data and b"ERROR" not in data
    expected = [RECORDS[0], RECORDS[1]]
    assert data == (xml_body(expected) if format == "xml" else medline_body(expected))
    fetches = server.requests_to("efetch")
    if format == "xml":  # XML says nothing of unknown PMIDs: they are asked for once more
        assert [f.params["id"] for f in fetches] == [
            ",".join(map(str, chosen)),
            "99000001,99000002",
        ]
    else:  # MEDLINE text says so in-band
        assert len(fetches) == 1


def test_a_pmid_batch_short_of_records_asks_for_the_missing_ones() -> None:
    chosen = [r.pmid for r in RECORDS[:12]]
    with serving(RECORDS) as (server, client):
        server.fail("short", at=[1])
        data, report, _problems = grab(client, pmids=chosen)
    assert pmids_of(data) == chosen and report.unknown == ()
    second = server.requests_to("efetch")[1].params["id"]
    assert second == ",".join(map(str, chosen[-2:]))


@pytest.mark.parametrize("kind", ["cut", "truncate", "inband-timeout", "503"])
@pytest.mark.parametrize("format", ["medline", "xml"])
def test_a_failed_pmid_batch_is_asked_for_again(kind: str, format: str) -> None:
    chosen = [r.pmid for r in RECORDS[10:40]]
    with serving(RECORDS) as (server, client):
        server.fail(kind, at=[2])
        data, report, problems = grab(client, pmids=chosen, batch_size=10, format=format)
    expected = [BY_PMID[p] for p in chosen]
    assert data == (xml_body(expected) if format == "xml" else medline_body(expected))
    assert report.unknown == () and problems == []


def test_no_pmid_known_is_an_error_and_writes_nothing() -> None:
    with (
        serving(RECORDS) as (_server, client),
        pytest.raises(FetchError, match="none of the PMIDs"),
    ):
        grab(client, pmids=[99_000_001, 99_000_002])


@pytest.mark.parametrize("bad", [["12", "x1"], ["0"], ["-5"], [12.5]])
def test_values_that_are_not_pmids_are_refused(bad: list[object]) -> None:
    with serving(RECORDS) as (server, client):
        with pytest.raises(FetchError, match="not a PMID"):
            grab(client, pmids=bad)
        assert server.log == []


# -- what PubMed says about queries ----------------------------------------------------------------


def test_an_invalid_query_shows_ncbis_message() -> None:
    with (
        serving(RECORDS) as (_server, client),
        pytest.raises(
            FetchError, match="PubMed rejected the search: Invalid query: unbalanced parentheses"
        ),
    ):
        grab(client, "(gout AND ruritania")


def test_an_empty_result_is_an_error() -> None:
    with serving(RECORDS) as (_server, client):
        with pytest.raises(FetchError, match=r"no PubMed records match 'gout AND 1990\[dp\]'"):
            grab(client, "gout AND 1990[dp]")
        with pytest.raises(FetchError, match="phrase not found: zzyzx"):
            grab(client, "zzyzx")


def test_what_pubmed_did_not_know_is_reported() -> None:
    with serving(RECORDS) as (_server, client):
        data, report, problems = grab(client, "gout AND zzyzx")
    assert problems == [
        "PubMed searched without what it did not recognise: phrase not found: zzyzx"
    ]
    assert report.records == 50 == len(pmids_of(data))


def test_query_or_pmids_not_both() -> None:
    with serving(RECORDS) as (_, client):
        with pytest.raises(FetchError, match="one of the two"):
            grab(client, "gout", pmids=[1])
        with pytest.raises(FetchError, match="one of the two"):
            grab(client)
        with pytest.raises(FetchError, match="batch size"):
            grab(client, "gout", batch_size=10_001)
        with pytest.raises(FetchError, match="format"):
            grab(client, "gout", format="json")

"""``medline_parse.fetch``: PubMed records as articles, as they arrive. Against the local fake
E-utilities with a shared fake clock."""

from __future__ import annotations

import io
import sys
import warnings

import pytest

import medline_parse
from medline_parse import Article, MedlineError, MedlineWarning, parse
from medline_parse.eutils import FetchError, download, xml_reader_available
from medline_parse.eutils import fetch as fetch_function

from .eutils_server import make_records, serving

RECORDS = make_records(120)


def test_the_package_exports_fetch() -> None:
    assert medline_parse.fetch is fetch_function
    assert "fetch" in medline_parse.__all__


def test_fetched_articles_are_the_downloaded_records_parsed() -> None:
    with serving(RECORDS, page_cap=50) as (_server, client):
        articles = list(medline_parse.fetch("fictional", client=client, batch_size=20))
        raw = io.BytesIO()
        download(raw, query="fictional", client=client, batch_size=20)
    assert all(isinstance(a, Article) for a in articles)
    assert articles == list(parse(io.BytesIO(raw.getvalue())))
    assert sorted(a.pmid for a in articles) == sorted(str(r.pmid) for r in RECORDS)
    by_pmid = {str(r.pmid): r for r in RECORDS}
    assert all(a.title == by_pmid[a.pmid].title for a in articles)


def test_nothing_is_asked_before_the_first_article_is_wanted() -> None:
    with serving(RECORDS) as (server, client):
        articles = medline_parse.fetch(pmids=[RECORDS[3].pmid], client=client)
        assert server.log == []
        first = next(articles)
    assert first.pmid == str(RECORDS[3].pmid)


def test_arguments_are_checked_at_the_call() -> None:
    with pytest.raises(FetchError, match="not a PMID"):
        medline_parse.fetch(pmids=["12", "abc"])
    with pytest.raises(MedlineError, match="one of the two"):
        medline_parse.fetch()


def test_unknown_pmids_are_warnings_and_the_rest_come() -> None:
    chosen = [RECORDS[0].pmid, 99_000_001, RECORDS[5].pmid]
    with serving(RECORDS) as (_server, client), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        articles = list(medline_parse.fetch(pmids=chosen, client=client))
    assert [a.pmid for a in articles] == [str(RECORDS[0].pmid), str(RECORDS[5].pmid)]
    messages = [str(w.message) for w in caught if issubclass(w.category, MedlineWarning)]
    assert messages == ["not in PubMed (no record came back): PMID 99000001"]


def test_no_known_pmid_raises() -> None:
    with serving(RECORDS) as (_server, client), warnings.catch_warnings():
        warnings.simplefilter("ignore", MedlineWarning)
        articles = medline_parse.fetch(pmids=[99_000_001], client=client)
        with pytest.raises(FetchError, match="none of the PMIDs"):
            list(articles)


@pytest.mark.skipif(xml_reader_available(), reason="this medline-parse reads PubMed XML")
def test_xml_articles_need_the_xml_reader() -> None:
    with serving(RECORDS) as (server, client):
        with pytest.raises(MedlineError, match="PubMed XML cannot be parsed into articles"):
            medline_parse.fetch("gout", format="xml", client=client)
        assert server.log == []  # said before anything was fetched


@pytest.mark.skipif(not xml_reader_available(), reason="medline_parse.parse does not read XML yet")
def test_xml_articles_match_the_medline_ones() -> None:
    with serving(RECORDS) as (_server, client):
        from_xml = list(medline_parse.fetch("gout", format="xml", client=client, batch_size=7))
        from_text = list(medline_parse.fetch("gout", client=client, batch_size=7))
    assert [a.pmid for a in from_xml] == [a.pmid for a in from_text]
    assert [a.title for a in from_xml] == [a.title for a in from_text]


def test_without_requests_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "requests", None)
    with serving(RECORDS) as (_server, client):
        client.close()
        with pytest.raises(
            ImportError, match=r'fetching from PubMed.*pip install "medline-parse\[fetch\]"'
        ):
            list(medline_parse.fetch("gout", client=client))


@pytest.mark.parametrize("kind", [str, int])
def test_one_pmid_is_one_pmid_not_its_digits(kind: type) -> None:
    wanted = RECORDS[12].pmid
    with serving(RECORDS) as (_server, client):
        articles = list(medline_parse.fetch(pmids=kind(wanted), client=client))
    assert [a.pmid for a in articles] == [str(wanted)]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"query": 5}, "query must be a str or None, not int"),
        ({"pmids": None, "query": b"gout"}, "query must be a str or None, not bytes"),
        ({"pmids": 5.0}, "pmids must be an iterable, not float"),
        ({"pmids": ["12"], "batch_size": "5"}, "batch_size must be a whole number from 1 to"),
        ({"pmids": ["12"], "batch_size": True}, "batch_size must be a whole number from 1 to"),
        ({"pmids": ["12"], "batch_size": 0}, "batch_size must be a whole number from 1 to"),
        ({"pmids": ["12"], "eutils_url": 5}, "eutils_url must be a str or None, not int"),
        ({"pmids": ["12"], "api_key": 5}, "api_key must be a str or None, not int"),
        ({"pmids": ["12"], "email": 5}, "email must be a str or None, not int"),
        ({"pmids": ["12"], "client": 5}, "client must be a medline_parse.eutils.Client"),
    ],
)
def test_arguments_of_the_wrong_kind_are_refused_at_the_call(
    arguments: dict[str, object], message: str
) -> None:
    with pytest.raises(FetchError, match=message):
        medline_parse.fetch(**arguments)  # type: ignore[arg-type]

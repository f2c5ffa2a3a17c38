"""What the E-utilities answer, read: EFetch bodies cut into records (byte for byte, NCBI's in-band
errors set apart, cut-short bodies noticed) and ESearch JSON (counts, history, NCBI's errors)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medline_parse import loads
from medline_parse.eutils import FetchError
from medline_parse.eutils.client import Reply, excerpt
from medline_parse.eutils.responses import cut_medline, cut_xml, error_kind, read_search

from .eutils_server import efetch_error, make_records, medline_body, xml_body

RECORDS = make_records(40)
JOURNAL = next(r for r in RECORDS if not r.book)
BOOK = next(r for r in RECORDS if r.book)


def test_fictional_records_are_valid_medline_and_xml() -> None:
    articles = loads(medline_body(RECORDS).decode("utf-8"))
    assert [a.pmid for a in articles] == [str(r.pmid) for r in RECORDS]
    problems = [d for a in articles for d in a.diagnostics if d.is_problem]
    assert problems == []
    root = ET.fromstring(xml_body(RECORDS))
    pmids = [element.findtext("./*/PMID") for element in root]
    assert pmids == [str(r.pmid) for r in RECORDS]
    assert {element.tag for element in root} == {"PubmedArticle", "PubmedBookArticle"}


def test_medline_pieces_join_back_to_the_body() -> None:
    body = medline_body(RECORDS[:5])
    cut = cut_medline(body)
    assert cut.complete
    assert [p.pmid for p in cut.records] == [str(r.pmid) for r in RECORDS[:5]]
    assert b"".join(p.data for p in cut.records) == body
    assert cut.errors == () and cut.unavailable == ()


def test_medline_in_band_errors_are_set_apart() -> None:
    body = medline_body([RECORDS[0], 99_999_999, RECORDS[1]])
    body += efetch_error("Something failed on our side")
    body = body.replace(b"</eFetchResult>\n", b"</eFetchResult>\n")
    cut = cut_medline(body.replace(b"<?xml", b"\n<?xml", 1))
    assert [p.pmid for p in cut.records] == [str(RECORDS[0].pmid), str(RECORDS[1].pmid)]
    assert cut.unavailable == ("99999999",)
    assert cut.errors == ("Something failed on our side",)
    written = b"".join(p.data for p in cut.records)
    assert b"Error occurred" not in written and b"ERROR" not in written
    assert written == medline_body(RECORDS[:2])


def test_medline_body_cut_in_a_record_is_incomplete() -> None:
    body = medline_body(RECORDS[:3])
    last = RECORDS[2].medline
    cut_at = body.rfind(last) + len(last) // 2
    cut = cut_medline(body[:cut_at])
    assert not cut.complete
    cut = cut_medline(body[: body.rfind(b"\nSO  - ")])  # whole lines, but the SO line missing
    assert not cut.complete


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(RECORDS), max_size=6),
    st.data(),
)
def test_any_cut_of_a_medline_body_is_noticed_or_loses_records(records, data) -> None:  # type: ignore[no-untyped-def]
    body = medline_body(records)
    end = data.draw(st.integers(0, len(body)))
    cut = cut_medline(body[:end])
    whole = b"".join(p.data for p in cut.records)
    if cut.complete:
        # what is taken as whole is exactly the whole records at the start of the body
        assert body.startswith(whole)
        assert [p.pmid for p in cut.records] == [str(r.pmid) for r in records[: len(cut.records)]]
        assert all(
            p.data.rstrip().endswith(r.medline.rstrip()) for p, r in zip(cut.records, records)
        )
    else:
        assert end < len(body)


def test_xml_pieces_header_and_footer() -> None:
    body = xml_body(RECORDS[:4])
    cut = cut_xml(body)
    assert cut.complete
    assert [p.pmid for p in cut.records] == [str(r.pmid) for r in RECORDS[:4]]
    assert cut.header + b"".join(p.data for p in cut.records) + cut.footer == body
    assert cut.header.startswith(b'<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet')
    assert cut.footer == b"\n</PubmedArticleSet>\n"


def test_xml_pmid_is_the_records_own_not_a_cited_one() -> None:
    commented = next(r for r in RECORDS if r.comment_on and not r.book and r.pmid != r.comment_on)
    cut = cut_xml(xml_body([commented, BOOK]))
    assert [p.pmid for p in cut.records] == [str(commented.pmid), str(BOOK.pmid)]
    assert f">{commented.comment_on}</PMID>".encode() in cut.records[0].data


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, 0.999])
def test_xml_cut_short_is_incomplete(keep: float) -> None:
    body = xml_body(RECORDS[:3])
    end = int(len(body) * keep)
    cut = cut_xml(body[:end])
    assert not cut.complete
    # only whole records are taken, however far the body got
    assert len(cut.records) == body[:end].count(b"</PubmedArticle>") + body[:end].count(
        b"</PubmedBookArticle>"
    )
    assert all(p.data.endswith((b"</PubmedArticle>", b"</PubmedBookArticle>")) for p in cut.records)


def test_xml_error_documents_and_empty_sets() -> None:
    cut = cut_xml(efetch_error("Cannot retrieve history data. query_key: 1, WebEnv: X"))
    assert cut.records == () and cut.errors == (
        "Cannot retrieve history data. query_key: 1, WebEnv: X",
    )
    assert error_kind(cut.errors[0]) == "history"
    empty = cut_xml(b'<?xml version="1.0" ?>\n<PubmedArticleSet></PubmedArticleSet>\n')
    assert empty.complete and empty.records == () and empty.errors == ()
    assert not cut_xml(b"").complete


def test_error_kinds() -> None:
    assert (
        error_kind(
            "Search backend cannot retrieve history data. Reason: Exception: 'retstart' cannot be larger than 9998."
        )
        == "cap"
    )
    assert error_kind("Unable to obtain query #1") == "history"
    assert (
        error_kind(" Error: External viewer error: Empty Response. Bytes read: 0 Status: Timeout")
        == "transient"
    )
    assert error_kind("Invalid id") == "fatal"


def _reply(data: object, status: int = 200) -> Reply:
    return Reply(status, json.dumps(data).encode(), "http://x/esearch.fcgi")


def test_read_search_history_and_count() -> None:
    search = read_search(
        _reply(
            {
                "header": {"type": "esearch", "version": "0.3"},
                "esearchresult": {
                    "count": "1234",
                    "retmax": "0",
                    "retstart": "0",
                    "querykey": "1",
                    "webenv": "MCID_abc",
                    "idlist": [],
                    "querytranslation": "asthma[All Fields]",
                },
            }
        )
    )
    assert (search.count, search.webenv, search.query_key) == (1234, "MCID_abc", "1")
    assert search.translation == "asthma[All Fields]"


def test_read_search_reports_ncbi_errors_in_its_words() -> None:
    raw = b'{"esearchresult": {"ERROR": "Search Backend failed: Exception:\n\'retstart\' cannot be larger than 9998."}}'
    with pytest.raises(FetchError, match="retstart' cannot be larger than 9998"):
        read_search(Reply(200, raw, "u"))
    with pytest.raises(FetchError, match="API key invalid"):
        read_search(_reply({"error": "API key invalid", "api-key": "x"}, 400))
    with pytest.raises(FetchError, match="not ESearch JSON"):
        read_search(Reply(502, b"<html>Bad gateway</html>", "u"))


def test_read_search_phrases_not_found() -> None:
    search = read_search(
        _reply(
            {
                "esearchresult": {
                    "count": "0",
                    "idlist": [],
                    "errorlist": {"phrasesnotfound": ["zzyzx"], "fieldsnotfound": ["[xx]"]},
                    "warninglist": {"outputmessages": ["No items found."], "phrasesignored": []},
                }
            }
        )
    )
    assert search.count == 0
    assert search.not_found == ("phrase not found: zzyzx", "field not found: [xx]")
    assert search.notes == ("No items found.",)


@pytest.mark.parametrize(
    ("result", "message"),
    [
        ({"count": None}, "gave no count"),
        ({"count": []}, "gave no count"),
        ({"count": {"n": 1}}, "gave no count"),
        ({"count": True}, "gave no count"),
        ({"count": -3}, "gave no count"),
        ({"count": "-3"}, "gave no count"),
        ({"count": "1e3"}, "gave no count"),
        (
            {"count": "12", "webenv": {"id": "MCID_1"}},
            r"unexpected answer \(webenv is a JSON dict\)",
        ),
        ({"count": "12", "querykey": [1]}, r"unexpected answer \(querykey is a JSON list\)"),
        ({"count": "12", "querytranslation": 1.5}, r"querytranslation is a JSON float"),
        ({"count": "12", "idlist": "123"}, r"idlist is not a list of PMIDs"),
        ({"count": "12", "idlist": [{"id": 1}]}, r"idlist is not a list of PMIDs"),
    ],
)
def test_read_search_refuses_fields_of_the_wrong_type(
    result: dict[str, object], message: str
) -> None:
    with pytest.raises(FetchError, match=message):
        read_search(_reply({"esearchresult": result}))


def test_read_search_takes_numbers_where_ncbi_writes_strings() -> None:
    search = read_search(
        _reply({"esearchresult": {"count": 7, "querykey": 1, "idlist": [12, "34"]}})
    )
    assert (search.count, search.query_key, search.ids) == (7, "1", ("12", "34"))


def test_json_nested_deeper_than_python_goes_is_not_esearch_json() -> None:
    deep = b"[" * 200_000 + b"]" * 200_000
    with pytest.raises(FetchError, match="not ESearch JSON"):
        read_search(Reply(200, deep, "u"))


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
_FIELDS = (
    "count",
    "webenv",
    "querykey",
    "idlist",
    "querytranslation",
    "errorlist",
    "warninglist",
    "ERROR",
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(_FIELDS), _JSON), st.sampled_from([200, 400]))
def test_any_esearch_result_is_a_search_or_a_fetch_error(
    result: dict[str, object], status: int
) -> None:
    try:
        search = read_search(_reply({"esearchresult": result}, status))
    except FetchError:
        return
    assert isinstance(search.count, int) and search.count >= 0
    for value in (search.webenv, search.query_key, search.translation):
        assert value is None or isinstance(value, str)
    assert all(isinstance(pmid, str) for pmid in search.ids)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600) | st.text(max_size=600), st.integers(10, 300))
def test_an_excerpt_is_one_printable_line_of_bounded_length(data: bytes | str, limit: int) -> None:
    shown = excerpt(data, limit)
    assert shown.isprintable() and len(shown) <= limit


def test_an_excerpt_escapes_what_a_terminal_would_obey() -> None:
    body = b"\x1b]0;owned\x07\x1b[2J\x00hello\xe2\x80\xaeworld\r\nnext  line" + b"x" * 500
    shown = excerpt(body, 80)
    assert shown.startswith(r"\x1b]0;owned\x07\x1b[2J\x00hello\u202eworld next linexxx")
    assert shown.endswith("...") and len(shown) == 80
    message = cut_medline(body + b"\n").errors[0]
    assert "\x1b" not in message and message.startswith(r"text that is not a MEDLINE record: \x1b")

"""What PubMed XML input holds besides records: reported with its line, never lost in silence.

A concatenated file whose second batch failed (E-utilities answers ``<eFetchResult><ERROR>``),
an HTML page after the records, an element PubMed's DTD does not have, text between records:
each is skipped with an ``xml-stray-content`` diagnostic, the records around it are read.  Also:
text that is not XML read as XML, empty identifiers, and what the command line says about
damage, deletions and documents of no article.
"""

from __future__ import annotations

import gzip
import io
import sqlite3
import warnings
from pathlib import Path

import pytest

import medline_parse as mp
from medline_parse import MedlineWarning, ParseError
from medline_parse.cli import main
from medline_parse.convert import sqlite as sqlite_writer
from medline_parse.sniff import WrongFormatError

from .xml_helpers import XML_FIXTURES

BARE = (XML_FIXTURES / "bare_run.xml").read_text(encoding="utf-8-sig")
BARE_PMIDS = ["99600001", "99600002"]
SET = (XML_FIXTURES / "pubmed_250101.xml").read_text(encoding="utf-8")
SET_PMIDS = [a.pmid for a in mp.parse(XML_FIXTURES / "pubmed_250101.xml")]
ERROR = "<eFetchResult>\n  <ERROR>Unable to obtain query #1</ERROR>\n</eFetchResult>\n"
_FIRST_CLOSE = BARE.index("</PubmedArticle>") + len("</PubmedArticle>")


def _read(text: str) -> tuple[list[str | None], list[tuple[int | None, str]]]:
    """The PMIDs read from *text* and the (line, message) of each stray reported."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", MedlineWarning)
        pmids = [a.pmid for a in mp.loads(text, format="xml")]
    found = []
    for warning in caught:
        diagnostic = getattr(warning.message, "diagnostic", None)
        assert diagnostic is not None, warning.message
        assert diagnostic.code == "xml-stray-content"
        found.append((diagnostic.line, diagnostic.message))
    return pmids, found


def _line_of(text: str, marker: str) -> int:
    return text[: text.index(marker)].count("\n") + 1


def test_a_failed_batch_between_responses_is_reported_and_the_others_read() -> None:
    text = SET + '<?xml version="1.0"?>\n' + ERROR + SET.replace("991000", "992000")
    pmids, found = _read(text)
    assert pmids == SET_PMIDS + [p.replace("991000", "992000") for p in SET_PMIDS]  # type: ignore[union-attr]
    assert found == [
        (
            _line_of(text, "<eFetchResult>"),
            "<eFetchResult> is not part of PubMed XML (it says 'Unable to obtain query #1'); "
            "skipped",
        )
    ]
    with pytest.raises(ParseError) as raised:
        mp.loads(text, format="xml", strict=True)
    assert raised.value.code == "xml-stray-content"
    assert raised.value.line == _line_of(text, "<eFetchResult>")


@pytest.mark.parametrize(
    ("text", "marker", "said"),
    [
        # an element the DTD does not have between two records of a bare run
        (BARE[:_FIRST_CLOSE] + "\n<Foo>bar</Foo>" + BARE[_FIRST_CLOSE:], "<Foo>", "<Foo>"),
        # text between two records
        (BARE[:_FIRST_CLOSE] + "\nstray words\n" + BARE[_FIRST_CLOSE:], "stray words", "text"),
        # text before the first record
        ("junk line\n" + BARE, "junk line", "text"),
        # an HTML error page after the records
        (BARE + "\n<html><body>502 Bad Gateway</body></html>\n", "<html>", "<html>"),
    ],
    ids=["element", "text-between", "text-before", "html-after"],
)
def test_stray_content_is_reported_with_its_line(text: str, marker: str, said: str) -> None:
    pmids, found = _read(text)
    assert pmids == BARE_PMIDS
    assert len(found) == 1
    line, message = found[0]
    assert line == _line_of(text, marker)
    assert message.startswith(said)
    assert message.endswith("skipped")


def test_stray_content_inside_a_set_after_its_last_record() -> None:
    closing = SET.rindex("</PubmedArticleSet>")
    text = SET[:closing] + "<Unknown/>\n" + SET[closing:]
    pmids, found = _read(text)
    assert pmids == SET_PMIDS
    assert found == [(_line_of(text, "<Unknown/>"), "<Unknown> is not part of PubMed XML; skipped")]


@pytest.mark.parametrize(
    "name",
    ["pubmed_250101.xml", "concatenated.xml", "bare_run.xml", "medline_2016.xml", "mathml.xml"],
)
def test_pubmed_documents_hold_no_stray_content(name: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", MedlineWarning)
        assert list(mp.iter_events(XML_FIXTURES / name))
    assert list(mp.iter_events(XML_FIXTURES / name, strict=True))


def test_records_in_a_wrapper_are_read_and_the_wrapper_not_called_skipped() -> None:
    text = "<PubmedArticleSet><MyBatch>\n" + BARE + "\n</MyBatch></PubmedArticleSet>\n"
    pmids, found = _read(text)
    assert pmids == BARE_PMIDS
    assert found == []


# -- text that is not XML, documents of nothing ---------------------------------------------------


def test_medline_text_read_as_xml_is_refused_naming_what_it_is() -> None:
    with pytest.raises(WrongFormatError) as raised:
        mp.loads("PMID- 31452104\nTI  - A title.\n", format="xml")
    assert raised.value.format == "medline"
    assert "not XML but MEDLINE text: it starts with 'PMID- 31452104'" in str(raised.value)
    with pytest.raises(WrongFormatError, match="not XML: it starts with 'hello <b>world</b>'"):
        mp.loads("hello <b>world</b>", format="xml")


@pytest.mark.parametrize("text", ["", "  \n", '<?xml version="1.0"?>\n', "<!-- nothing -->"])
def test_xml_of_no_element_is_damage(text: str) -> None:
    with pytest.raises(ParseError, match="holds no XML element") as raised:
        mp.loads(text, format="xml", strict=True)
    assert raised.value.code == "xml-syntax"
    with pytest.warns(MedlineWarning, match="holds no XML element"):
        assert mp.loads(text, format="xml") == []


def test_iter_records_refuses_pubmed_xml_when_not_told_the_format() -> None:
    with pytest.raises(WrongFormatError, match="PubMed XML, not MEDLINE text"):
        list(mp.iter_records(XML_FIXTURES / "pubmed_250101.xml"))


def test_empty_identifiers_state_nothing() -> None:
    text = SET
    for filled, empty in [
        ('<ArticleId IdType="doi">10.5555/jfm.101</ArticleId>', '<ArticleId IdType="doi"/>'),
        (
            '<ArticleId IdType="pii">JFM-2025-0101</ArticleId>',
            '<ArticleId IdType="pii"> </ArticleId>',
        ),
        ('<ArticleId IdType="doi">10.5555/jfm.7.1</ArticleId>', '<ArticleId IdType="doi"/>'),
        (">10.5555/jfm.101</ELocationID>", "></ELocationID>"),
    ]:
        assert filled in text
        text = text.replace(filled, empty, 1)
    first = mp.loads(text, format="xml")[0]
    original = mp.loads(SET, format="xml")[0]
    assert (len(original.article_ids), len(original.location_ids)) == (2, 1)
    assert (first.article_ids, first.location_ids) == ((), ())
    assert first.references[0].article_ids == original.references[0].article_ids[:1]
    assert first.doi is None
    assert " [doi]" not in mp.dumps(first)


# -- the command line ---------------------------------------------------------------------------


def _write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_convert_names_the_damage_and_fails_after_writing_what_came_before(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = XML_FIXTURES / "truncated.xml"
    target = tmp_path / "out.jsonl"
    assert main(["convert", str(path), "-o", str(target)]) == 1
    err = capsys.readouterr().err
    assert f"medline: {path}:28: the input ends before <Article> (line 22)" in err
    assert "(1 article before it read)" in err
    assert len(target.read_text().splitlines()) == 1


def test_convert_counts_stray_content_among_the_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _write(tmp_path / "in.xml", SET + ERROR)
    assert main(["convert", source, "-o", str(tmp_path / "out.jsonl")]) == 0
    assert f"medline: {source}: 1 problem in the input (medline check shows them)" in (
        capsys.readouterr().err
    )
    assert main(["check", source]) == 1
    out = capsys.readouterr().out
    assert f"{source}:{_line_of(SET + ERROR, '<eFetchResult>')}: warning: <eFetchResult>" in out


def test_an_empty_pubmed_document_is_a_file_of_no_records(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _write(
        tmp_path / "none.xml", '<?xml version="1.0"?>\n<PubmedArticleSet>\n</PubmedArticleSet>\n'
    )
    assert main(["check", source]) == 0
    assert f"{source}: 0 records, 0 problems" in capsys.readouterr().out
    target = tmp_path / "out.json"
    assert main(["convert", source, "--to", "json", "-o", str(target)]) == 0
    assert "a PubMed XML document of no articles" in capsys.readouterr().err
    assert target.read_text().strip() == "[]"


def test_deletions_are_counted_and_said_not_applied(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = str(XML_FIXTURES / "update_deletions.xml")
    deleted = sum(len(e.pmids) for e in mp.iter_events(source) if isinstance(e, mp.Deletion))
    articles = sum(1 for e in mp.iter_events(source) if isinstance(e, mp.Article))
    assert main(["check", source]) == 0
    assert f"{source}: {articles} records, {deleted} deleted PMIDs, 0 problems" in (
        capsys.readouterr().out
    )
    assert main(["convert", source, "-o", str(tmp_path / "out.jsonl")]) == 0
    assert f"deletion notices (<DeleteCitation>) for {deleted} PMIDs, not applied here" in (
        capsys.readouterr().err
    )


def test_convert_to_sqlite_keeps_the_newest_version(tmp_path: Path) -> None:
    record = BARE[:_FIRST_CLOSE]
    newer = record.replace('<PMID Version="1">', '<PMID Version="2">').replace("Bare one.", "New.")
    older = record.replace("Bare one.", "Old again.")
    source = _write(tmp_path / "versions.xml", newer + "\n" + older + "\n")
    database = tmp_path / "out.sqlite"
    assert main(["convert", source, "-o", str(database)]) == 0
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT pmid, pmid_version, title FROM articles").fetchall()
    assert rows == [("99600001", 2, "New.")]
    summary = sqlite_writer.write(mp.loads(older, format="xml"), database)
    assert (summary.articles, summary.older) == (0, 1)


def test_a_dry_run_refuses_what_the_first_bytes_show(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "pubmed26n0001.xml"
    empty.write_bytes(b"")
    database = tmp_path / "view.db"
    assert main(["sync", "--dry-run", str(database), str(empty)]) == 1
    assert "the file is empty" in capsys.readouterr().err
    search = _write(
        tmp_path / "pubmed26n0002.xml", "<eSearchResult><Count>0</Count></eSearchResult>"
    )
    assert main(["sync", "--dry-run", str(database), search]) == 1
    assert "not PubMed XML: it starts with <eSearchResult>" in capsys.readouterr().err
    assert not database.exists()


# -- numbers, surrogates, truncated gzip, comments (a hostile-input audit) ----------------------

_BIG = "9" * 5000  # beyond the 4,300 digits Python's int() takes


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('<PMID Version="1">99600001', f'<PMID Version="{_BIG}">99600001'),
        ("<Year>2024</Year>", f"<Year>{_BIG}</Year>"),
        ("<Year>2024</Year>", f"<Year>2024</Year><Month>Jan</Month><Day>0{_BIG}</Day>"),
    ],
    ids=["version", "year", "day"],
)
def test_numbers_of_any_length_are_read_not_raised(old: str, new: str) -> None:
    assert old in BARE
    text = BARE.replace(old, new, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MedlineWarning)
        articles = mp.loads(text, format="xml")
    assert [a.pmid for a in articles] == BARE_PMIDS
    assert mp.dumps(articles)
    assert articles[0].pmid_version in (None, 1)


def test_history_and_deletion_numbers_of_any_length() -> None:
    history = (
        '<PubmedData><History><PubMedPubDate PubStatus="pubmed">'
        f"<Year>{_BIG}</Year><Month>1</Month><Day>1</Day><Hour>{_BIG}</Hour>"
        "</PubMedPubDate></History>"
    )
    text = BARE.replace("<PubmedData>", history, 1).replace("</History>", "</History>", 1)
    text += f'\n<DeleteCitation><PMID Version="{_BIG}">99600009</PMID></DeleteCitation>\n'
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MedlineWarning)
        events = list(mp.iter_events(io.BytesIO(text.encode()), format="xml"))
    assert [getattr(e, "pmid", None) for e in events[:2]] == BARE_PMIDS
    assert events[2].pmids == ("99600009",) and events[2].versions == (None,)


def test_a_comment_inside_a_pmid_is_no_part_of_it_and_an_empty_pmid_is_diagnosed() -> None:
    text = BARE.replace(">99600001<", "><!-- checked -->99600001<", 1)
    text = text.replace(">99600002<", "><", 1)
    first, second = mp.loads(text, format="xml")
    assert first.pmid == "99600001" and not first.diagnostics
    assert [d.code for d in second.diagnostics] == ["invalid-pmid"]


def test_a_lone_surrogate_at_the_start_of_text_is_diagnosed_not_raised() -> None:
    for text in ["PMID- 1\nTI  - smile \ud83d\n", "PMID- 1\nTI  - bytes \udc80 \ud800\n"]:
        article = mp.loads(text)[0]
        assert [d.code for d in article.diagnostics] == ["lone-surrogate"]
        assert [d.code for r in mp.iter_records(io.StringIO(text)) for d in r.diagnostics] == [
            "lone-surrogate"
        ]


def test_a_truncated_gzip_of_xml_gives_the_articles_before_the_damage(tmp_path: Path) -> None:
    body = SET[SET.index("<PubmedArticle>") : SET.rindex("</PubmedArticleSet>")]
    whole = (SET[: SET.index("<PubmedArticle>")] + body * 300).encode()
    path = tmp_path / "pubmed26n0001.xml.gz"
    path.write_bytes(gzip.compress(whole)[:-100])
    read: list[str | None] = []
    with pytest.raises(mp.SourceError, match="damaged or truncated gzip data"):
        read.extend(a.pmid for a in mp.parse(path))
    assert len(read) > 100
    assert read == (SET_PMIDS * 300)[: len(read)]
    target = tmp_path / "out.jsonl"
    assert main(["convert", str(path), "-o", str(target), "-q"]) == 1
    assert len(target.read_text().splitlines()) == len(read)


def test_pubmed_elements_in_a_namespace_are_reported_not_dropped_in_silence() -> None:
    text = BARE.replace("<PubmedArticle>", '<PubmedArticle xmlns="urn:x">', 1)
    pmids, found = _read(text)
    assert pmids == BARE_PMIDS[1:]
    assert [message.split(" is not")[0] for _, message in found] == [
        "<PubmedArticle> in the namespace <urn:x>"
    ]
    with pytest.raises(ParseError, match="in the namespace"):
        mp.loads(f'<PubmedArticleSet xmlns="urn:y">{BARE}</PubmedArticleSet>', strict=True)

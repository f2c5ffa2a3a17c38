"""The PubMed XML reader: records of every shape into the same typed articles as MEDLINE text.

The fixtures in tests/fixtures/xml are fictional records written for these tests; the pair
``pubmed_250101.xml`` / ``pubmed_250101.txt`` is one set of records in both formats, the text
written by hand in PubMed's current layout.
"""

from __future__ import annotations

import datetime
import gzip
import io
import warnings

import attrs
import pytest

import medline_parse as mp
from medline_parse import (
    AbstractSection,
    Article,
    ArticleId,
    AuthorIdentifier,
    Deletion,
    HistoryEvent,
    MedlineError,
    MedlineWarning,
    ParseError,
    PubDate,
    Reference,
)

from .xml_helpers import XML_FIXTURES, shared_view

PAIR_XML = XML_FIXTURES / "pubmed_250101.xml"
PAIR_TEXT = XML_FIXTURES / "pubmed_250101.txt"


def _articles(name: str) -> list[Article]:
    return list(mp.parse(XML_FIXTURES / name))


# -- the same Article from both formats -----------------------------------------------------------


def test_paired_records_give_equal_typed_values() -> None:
    from_xml = list(mp.parse(PAIR_XML))
    from_text = list(mp.parse(PAIR_TEXT))
    assert [a.pmid for a in from_xml] == [a.pmid for a in from_text]
    for xml_article, text_article in zip(from_xml, from_text, strict=True):
        assert shared_view(xml_article) == text_article


def test_paired_records_are_written_as_pubmed_text() -> None:
    assert mp.dumps(mp.parse(PAIR_XML)) == PAIR_TEXT.read_text(encoding="utf-8")


def test_xml_only_values_are_typed() -> None:
    first, second, book = _articles("pubmed_250101.xml")
    assert first.pmid_version == 1
    assert second.pmid_version == 2
    assert first.abstract_sections[2] == AbstractSection(
        "Speed fell by 0.2 m/s (P < 0.05).", "RESULTS", "RESULTS"
    )
    heading = first.mesh[1]
    assert (heading.descriptor, heading.descriptor_id) == ("Hip Fractures", "D006620")
    assert [(q.name, q.major, q.qualifier_id) for q in heading.qualifiers] == [
        ("physiopathology", False, "Q000503"),
        ("rehabilitation", True, "Q000534"),
    ]
    maja, john, group = first.authors
    assert maja.equal_contribution is True and group.equal_contribution is None
    assert maja.affiliation_identifiers == (
        (AuthorIdentifier("https://ror.org/00example1", "ROR"),),
        (),
    )
    assert john.affiliation_identifiers == (
        (AuthorIdentifier("grid.0000.1", "GRID"), AuthorIdentifier("0000 0000 0000 0001", "ISNI")),
    )
    assert john.suffix == "Jr" and john.last_name == "Smith"
    assert group.collective_name == "Fictional Hip Study Group"
    assert first.journal.iso_abbreviation == "J Fict Med"
    assert first.publisher_dates == (HistoryEvent("Electronic", datetime.date(2025, 2, 2)),)
    assert first.references == (
        Reference(
            "Doe J. Gait after falls. J Fict Med. 2020;7:1-9.",
            (ArticleId("99000777", "pubmed"), ArticleId("10.5555/jfm.7.1", "doi")),
        ),
        Reference("Roe R. Walking. Nowhere Press; 2019."),
    )
    assert first.chemicals[0].substance_id == "D014409"
    assert [k.major for k in first.keywords] == [False, True]
    assert second.other_abstracts[0].origin == "Publisher"
    assert second.pmc == "PMC9912345"
    assert book.is_book and book.editors[0].full_name == "Quinn, Harper"
    assert book.chapters == ("1",)


def test_history_dates_without_a_time_are_midnight_as_pubmed_text_shows_them() -> None:
    first = _articles("pubmed_250101.xml")[0]
    assert first.history[0] == HistoryEvent("received", datetime.datetime(2024, 11, 20, 0, 0))
    assert first.entrez_date == datetime.datetime(2025, 2, 3, 6, 0)
    assert first.create_date == datetime.datetime(2025, 2, 2, 23, 14)


def test_source_citation_is_composed_as_pubmed_does() -> None:
    first, second, book = _articles("pubmed_250101.xml")
    assert first.source.endswith("doi: 10.5555/jfm.101. Epub 2025 Feb 2.")
    assert second.source.startswith("Open J Invent Res. 2025 Apr 7;4:e1234.")
    assert second.source.endswith("eCollection 2025.")
    assert book.source is None


def test_ahead_of_print_source_has_no_epub() -> None:
    first = next(mp.iter_events(XML_FIXTURES / "update_deletions.xml"))
    assert isinstance(first, Article)
    assert first.publication_status == "aheadofprint"
    assert first.source == "Ann Made-up Surg. 2025 Jun 1."


# -- eras and shapes ------------------------------------------------------------------------------


def test_medline_citation_set_of_2016() -> None:
    events = list(mp.iter_events(XML_FIXTURES / "medline_2016.xml"))
    article, deletion = events
    assert isinstance(article, Article) and isinstance(deletion, Deletion)
    assert article.created_date == datetime.date(1998, 3, 12)
    assert article.publication_date == PubDate(year=1998, month=1, end_month=2)
    assert article.publication_date.text == "1998 Jan-Feb"
    assert article.affiliations == ("Department of Physiology, Pretend College, Nowhere, UK.",)
    assert [a.valid for a in article.authors] == [True, False]
    assert article.mesh[1].text == "Heart Rate/*physiology"
    assert deletion.pmids == ("99300009",) and deletion.versions == (1,)


def test_dtd_of_2008() -> None:
    (article,) = _articles("pubmed_080101.xml")
    assert article.pmid_version is None
    assert article.publication_date == PubDate(year=2007, season="Winter")
    assert article.authors[0].full_name == "Dale, Robin"
    assert article.authors[0].name == "Dale R"
    assert article.affiliations[0].startswith("School of Nursing")
    assert article.references == (
        Reference("Nurs Fict. 2001;3:4-5", (ArticleId("99000555", "pubmed"),)),
    )
    assert [(r.kind, r.pmid) for r in article.relations] == [("CON", None)]
    assert article.other_ids == ("NLM: PMC1111111",)
    assert article.general_notes == ("Fictional note.",)


def test_inline_markup_and_mathml_become_pubmed_text() -> None:
    (article,) = _articles("mathml.xml")
    assert article.title == "Growth of cells under load(1)."
    assert article.abstract == (
        "RESULTS: The rate was k1=0.5 per hour in H(2)O at 37 °C. Unlabelled part over two lines."
    )
    assert article.abstract_sections[1] == AbstractSection(
        "Unlabelled part over two lines.", "", "UNASSIGNED"
    )


def test_concatenated_responses_and_bare_runs() -> None:
    assert [a.title for a in _articles("concatenated.xml")] == ["One.", "Two.", "Three.", "Four."]
    assert [a.pmid for a in _articles("bare_run.xml")] == ["99600001", "99600002"]


# -- deletions ------------------------------------------------------------------------------------


def test_iter_events_keeps_file_order() -> None:
    events = list(mp.iter_events(XML_FIXTURES / "update_deletions.xml"))
    kinds = [(type(e).__name__, e.pmid if isinstance(e, Article) else e.pmids) for e in events]
    assert kinds == [
        ("Article", "99200001"),
        ("Deletion", ("99000101", "99000102", "99000103")),
        ("Article", "99000101"),
        ("Deletion", ("99000104",)),
    ]
    deletion = events[1]
    assert isinstance(deletion, Deletion)
    assert deletion.versions == (1, 2, None)
    assert deletion.source == str(XML_FIXTURES / "update_deletions.xml")
    lines = (XML_FIXTURES / "update_deletions.xml").read_text().splitlines()
    assert lines[deletion.line - 1] == "<DeleteCitation>"


def test_parse_warns_once_about_deletions() -> None:
    with pytest.warns(MedlineWarning, match="iter_events") as caught:
        articles = list(mp.parse(XML_FIXTURES / "update_deletions.xml"))
    assert [a.pmid for a in articles] == ["99200001", "99000101"]
    assert len([w for w in caught if issubclass(w.category, MedlineWarning)]) == 1


def test_parse_does_not_warn_without_deletions() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(_articles("pubmed_250101.xml")) == 3


def test_iter_events_of_medline_text_are_its_articles() -> None:
    assert list(mp.iter_events(PAIR_TEXT)) == list(mp.parse(PAIR_TEXT))


def test_deletion_needs_a_version_per_pmid() -> None:
    with pytest.raises(ValueError, match="one version"):
        Deletion(("1", "2"), (1,))


# -- format= and sources --------------------------------------------------------------------------


def test_detect_format() -> None:
    assert mp.detect_format(b"\xef\xbb\xbf \n\t<?xml") == "xml"
    assert mp.detect_format(b"<PubmedArticle>") == "xml"
    assert mp.detect_format(b"\nPMID- 1\n") == "medline"
    assert mp.detect_format(b"") == "medline"


def test_every_kind_of_source(tmp_path: object) -> None:
    expected = list(mp.parse(PAIR_XML))
    data = PAIR_XML.read_bytes()
    packed = tmp_path / "pubmed.xml.gz"  # type: ignore[operator]
    packed.write_bytes(gzip.compress(data))
    text = data.decode("utf-8")
    assert list(mp.parse(packed)) == expected
    assert list(mp.parse(str(packed))) == expected
    assert list(mp.parse(io.BytesIO(data))) == expected
    assert list(mp.parse(io.BytesIO(gzip.compress(data)))) == expected
    assert list(mp.parse(io.StringIO(text))) == expected
    assert list(mp.parse(text.splitlines(keepends=True))) == expected
    assert mp.loads(text) == expected
    assert mp.loads(text, format="xml") == expected
    assert mp.read(XML_FIXTURES / "pubmed_080101.xml").pmid == "99400001"


def test_forced_format() -> None:
    for strict in (True, False):  # MEDLINE text read as XML: refused, saying what it is
        with pytest.raises(mp.SourceError, match="not XML but MEDLINE text"):
            list(mp.parse(PAIR_TEXT, format="xml", strict=strict))
    # XML read as MEDLINE text is text without fields: no article, no crash
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MedlineWarning)
        assert list(mp.parse(PAIR_XML, format="medline")) == []
    with pytest.raises(MedlineError, match="unknown format"):
        list(mp.parse(PAIR_XML, format="json"))


def test_iter_records_refuses_xml_naming_parse() -> None:
    with pytest.raises(MedlineError, match="parse"):
        list(mp.iter_records(PAIR_XML, format="xml"))


def test_parse_many_reads_xml_and_text_alike() -> None:
    paths = [PAIR_XML, PAIR_TEXT, XML_FIXTURES / "concatenated.xml"]
    sequential = [a for p in paths for a in mp.parse(p)]
    assert list(mp.parse_many(paths, workers=2)) == sequential
    assert list(mp.parse_many(paths, workers=1)) == sequential
    pmids = list(mp.parse_many(paths, workers=2, transform=_pmid))
    assert pmids == [a.pmid for a in sequential]


def _pmid(article: Article) -> str | None:
    return article.pmid


def test_missing_file_is_a_source_error(tmp_path: object) -> None:
    with pytest.raises(mp.SourceError, match="no such file"):
        list(mp.parse(tmp_path / "absent.xml", format="xml"))  # type: ignore[operator]


# -- damage and hostile input ---------------------------------------------------------------------


def test_truncated_file_gives_the_articles_before_the_damage() -> None:
    path = XML_FIXTURES / "truncated.xml"
    last_line = path.read_text().count("\n") + 1
    articles = mp.parse(path, strict=True)
    assert next(articles).pmid == "99700001"
    with pytest.raises(ParseError) as caught:
        next(articles)
    assert caught.value.path == str(path)
    assert caught.value.line == last_line
    assert "truncated" in str(caught.value)
    # lenient: the same articles, and the damage as a warning naming the file and line
    with pytest.warns(MedlineWarning, match=f"truncated.xml:{last_line}: .*truncated"):
        assert [a.pmid for a in mp.parse(path)] == ["99700001"]


def test_malformed_markup_names_file_and_line() -> None:
    path = XML_FIXTURES / "malformed.xml"
    articles = mp.parse(path, strict=True)
    assert next(articles).pmid == "99800001"
    with pytest.raises(ParseError) as caught:
        next(articles)
    lines = path.read_text().splitlines()
    assert "Broken <i>markup." in lines[caught.value.line - 1]


@pytest.mark.parametrize("name", ["billion_laughs.xml", "external_entity.xml"])
def test_entity_declarations_are_refused_at_once(name: str) -> None:
    events = mp.iter_events(XML_FIXTURES / name)
    with pytest.raises(ParseError, match="declares entities") as caught:
        next(events)
    assert caught.value.line == 2
    assert caught.value.code == "xml-entity-declaration"


def test_an_undeclared_entity_is_a_clear_error() -> None:
    with pytest.raises(ParseError, match="Entity 'nbsp' not defined") as caught:
        list(mp.parse(XML_FIXTURES / "undeclared_entity.xml", strict=True))
    assert caught.value.line == 8


def test_strict_mode_raises_on_a_bad_date() -> None:
    text = (XML_FIXTURES / "pubmed_080101.xml").read_text()
    broken = text.replace("<Day>14</Day>", "<Day>34</Day>")
    (article,) = mp.loads(broken)
    assert [d.code for d in article.diagnostics] == ["invalid-date"]
    assert article.created_date == "20080234"
    with pytest.raises(ParseError, match="not a valid date"):
        mp.loads(broken, strict=True)


def test_xml_articles_round_trip_through_text() -> None:
    for article in mp.parse(PAIR_XML):
        again = mp.loads(mp.dumps(article))[0]
        assert again == attrs.evolve(shared_view(article), field_order=again.field_order)


# -- the command line -----------------------------------------------------------------------------

_OUTPUTS = ["jsonl", "json", "csv", "ris", "bibtex", "csl-json", "medline", "sqlite", "parquet"]


@pytest.mark.parametrize("to", _OUTPUTS)
def test_every_output_format_works_from_xml(to: str, tmp_path: object) -> None:
    from medline_parse.cli import main

    target = tmp_path / f"out.{to}"  # type: ignore[operator]
    assert main(["convert", str(PAIR_XML), "--to", to, "-o", str(target)]) == 0
    data = target.read_bytes()
    assert data
    if to == "medline":
        assert data.decode("utf-8") == PAIR_TEXT.read_text(encoding="utf-8")
    elif to in ("jsonl", "csv", "ris", "bibtex"):
        assert b"99100002" in data or b"10.5555/ojir.1234" in data


def test_check_reports_the_damage_of_a_truncated_file(capsys: pytest.CaptureFixture[str]) -> None:
    from medline_parse.cli import main

    path = XML_FIXTURES / "truncated.xml"
    assert main(["check", str(path)]) != 0
    out = capsys.readouterr().out
    assert f"{path}:28: warning: the input ends before <Article> (line 22)" in out
    assert f"{path}: 1 record, 1 problem" in out


def test_comments_and_processing_instructions_are_no_values() -> None:
    text = (XML_FIXTURES / "pubmed_250101.xml").read_text(encoding="utf-8")
    for tag in (
        "AuthorList",
        "MeshHeadingList",
        "ChemicalList",
        "GrantList",
        "History",
        "ArticleIdList",
        "CommentsCorrectionsList",
        "KeywordList",
        "ArticleTitle",
        "PublicationTypeList",
        "SupplMeshList",
        "AccessionNumberList",
        "ReferenceList",
    ):
        text = text.replace(f"<{tag}>", f"<{tag}><!-- a note --><?pi x?>")
        text = text.replace(f"<{tag} ", f"<!-- before --><{tag} ")
    assert mp.loads(text) == list(mp.parse(PAIR_XML))

"""Tests for medline_parse.medline.builder: which typed attribute every field of a record lands in.

Every record here is fictional.
"""

from __future__ import annotations

import datetime
from collections import Counter

import pytest

from medline_parse import (
    Article,
    ArticleId,
    Author,
    AuthorIdentifier,
    Chemical,
    Grant,
    HistoryEvent,
    Issn,
    Keyword,
    MeshHeading,
    OtherAbstract,
    ParseError,
    PubDate,
    Relation,
    Severity,
    iter_records,
    read,
)
from medline_parse.medline.builder import build_article, build_from_fields
from medline_parse.medline.fields import article_fields
from medline_parse.medline.tags import COMMENT_TAGS, TAGS

from .conftest import FIXTURES

BUILDER_FIXTURES = FIXTURES / "builder"
ORCID_A = "ORCID: 0000-0002-1825-0097"
ORCID_B = "ORCID: 0000-0001-5109-3700"


def build(*fields: tuple[str, str]) -> Article:
    """The article of a record made of *fields*, read from MEDLINE text."""
    text = "".join(f"{tag:<4}- {value}\n" for tag, value in fields)
    return read([text])


def lost(article: Article, *fields: tuple[str, str]) -> Counter[tuple[str, str]]:
    """The fields that article_fields() does not give back."""
    return Counter(fields) - Counter(article_fields(article))


def person(
    full: str | None, short: str | None, ids: tuple[str, ...] = (), ads: tuple[str, ...] = ()
) -> Author:
    return Author(full, short, None, tuple(AuthorIdentifier.parse(i) for i in ids), ads)


# --------------------------------------------------------------------------------------------------
# Authors


def test_modern_author_groups() -> None:
    fields = (
        ("PMID", "99000001"),
        ("FAU", "Doe, Jane Q"),
        ("AU", "Doe JQ"),
        ("AUID", ORCID_A),
        ("AD", "Dept A, Fictional University, Ruritania."),
        ("AD", "Dept B, Fictional Hospital, Ruritania."),
        ("FAU", "Roe, Richard"),
        ("AU", "Roe R"),
        ("AD", "Dept C, Fictional Institute, Ruritania."),
        ("FAU", "Poe, Edgar"),
        ("AU", "Poe E"),
    )
    article = build(*fields)
    assert article.authors == (
        person(
            "Doe, Jane Q",
            "Doe JQ",
            (ORCID_A,),
            ("Dept A, Fictional University, Ruritania.", "Dept B, Fictional Hospital, Ruritania."),
        ),
        person("Roe, Richard", "Roe R", (), ("Dept C, Fictional Institute, Ruritania.",)),
        person("Poe, Edgar", "Poe E"),
    )
    assert article.authors[0].orcid == "0000-0002-1825-0097"
    assert article.affiliations == ()
    assert not lost(article, *fields)


def test_two_authors_with_the_same_short_name_keep_their_own_affiliations() -> None:
    article = build(
        ("PMID", "99000002"),
        ("FAU", "Wang, Yi"),
        ("AU", "Wang Y"),
        ("AD", "Affiliation of Yi."),
        ("FAU", "Wang, Yan"),
        ("AU", "Wang Y"),
        ("AUID", ORCID_B),
        ("AD", "Affiliation of Yan."),
        ("AD", "Second affiliation of Yan."),
    )
    first, second = article.authors
    assert (first.full_name, first.name, first.affiliations, first.identifiers) == (
        "Wang, Yi",
        "Wang Y",
        ("Affiliation of Yi.",),
        (),
    )
    assert (second.full_name, second.name) == ("Wang, Yan", "Wang Y")
    assert second.affiliations == ("Affiliation of Yan.", "Second affiliation of Yan.")
    assert second.orcid == "0000-0001-5109-3700"


def test_same_short_name_without_full_names_are_two_authors() -> None:
    article = build(
        ("PMID", "99000003"), ("AU", "Wang Y"), ("AD", "First."), ("AU", "Wang Y"), ("AD", "Two.")
    )
    assert article.authors == (
        person(None, "Wang Y", (), ("First.",)),
        person(None, "Wang Y", (), ("Two.",)),
    )


def test_collective_name_keeps_its_place_and_its_affiliations() -> None:
    article = build(
        ("PMID", "99000004"),
        ("FAU", "Doe, Jane"),
        ("AU", "Doe J"),
        ("AD", "Jane's place."),
        ("CN", "Fictional Trial Group"),
        ("AD", "The group's secretariat."),
        ("AUID", "ISNI: 0000 0000 1111 2222"),
        ("FAU", "Roe, Richard"),
        ("AU", "Roe R"),
        ("CN", "Second Fictional Consortium"),
    )
    assert [a.display_name for a in article.authors] == [
        "Doe, Jane",
        "Fictional Trial Group",
        "Roe, Richard",
        "Second Fictional Consortium",
    ]
    group = article.authors[1]
    assert group.is_collective
    assert group.affiliations == ("The group's secretariat.",)
    assert group.identifiers == (AuthorIdentifier("0000 0000 1111 2222", "ISNI"),)
    assert article.authors[0].affiliations == ("Jane's place.",)
    assert article.authors[2].affiliations == ()
    assert article["CN"] == ["Fictional Trial Group", "Second Fictional Consortium"]


def test_pre_2002_short_names_and_et_al_are_authors() -> None:
    fields = (
        ("PMID", "99000005"),
        ("AD", "Department of Fiction, Nowhere University, Ruritania."),
        ("AU", "Kessler JR"),
        ("AU", "Dunmore PL"),
        ("AU", "van der Berg A"),
        ("AU", "et al."),
        ("LA", "eng"),
    )
    article = build(*fields)
    assert [a.name for a in article.authors] == [
        "Kessler JR",
        "Dunmore PL",
        "van der Berg A",
        "et al.",
    ]
    assert all(a.full_name is None for a in article.authors)
    assert [a.is_et_al for a in article.authors] == [False, False, False, True]
    assert article.authors[2].last_name == "van der Berg"
    # the AD before the authors is the record's, not an author's
    assert article.affiliations == ("Department of Fiction, Nowhere University, Ruritania.",)
    assert all(a.affiliations == () for a in article.authors)
    assert article["AD"] == ["Department of Fiction, Nowhere University, Ruritania."]
    assert not lost(article, *fields)


def test_short_names_without_full_names_do_not_misalign() -> None:
    article = build(
        ("PMID", "99000006"),
        ("FAU", "Doe, Jane"),
        ("AU", "Doe J"),
        ("AU", "Roe R"),  # no FAU
        ("AD", "Roe's place."),
        ("FAU", "Poe, Edgar"),
        ("AU", "Poe E"),
        ("AU", "et al"),
    )
    assert [(a.full_name, a.name) for a in article.authors] == [
        ("Doe, Jane", "Doe J"),
        (None, "Roe R"),
        ("Poe, Edgar", "Poe E"),
        (None, "et al"),
    ]
    assert article.authors[1].affiliations == ("Roe's place.",)
    assert article.authors[0].affiliations == article.authors[2].affiliations == ()


def test_full_name_without_short_name() -> None:
    article = build(
        ("PMID", "99000007"), ("FAU", "Doe, Jane"), ("FAU", "Roe, Richard"), ("AU", "Roe R")
    )
    assert [(a.full_name, a.name) for a in article.authors] == [
        ("Doe, Jane", None),
        ("Roe, Richard", "Roe R"),
    ]


def test_record_level_affiliation_before_the_first_full_author() -> None:
    article = build(
        ("PMID", "99000008"),
        ("AD", "Record-level affiliation."),
        ("FAU", "Doe, Jane"),
        ("AU", "Doe J"),
        ("AD", "Jane's own."),
    )
    assert article.affiliations == ("Record-level affiliation.",)
    assert article.authors[0].affiliations == ("Jane's own.",)
    assert article["AD"] == ["Record-level affiliation.", "Jane's own."]


def test_affiliation_after_the_first_author_of_a_legacy_record_is_that_authors() -> None:
    article = build(
        ("PMID", "99000009"), ("AU", "Doe J"), ("AD", "Single legacy affiliation."), ("AU", "Roe R")
    )
    assert article.affiliations == ()
    assert article.authors[0].affiliations == ("Single legacy affiliation.",)


def test_author_identifier_with_no_person_before_it_is_kept_in_extra() -> None:
    fields = (("PMID", "99000010"), ("AUID", ORCID_A), ("FAU", "Doe, Jane"), ("AU", "Doe J"))
    article = build(*fields)
    assert article.extra == (("AUID", ORCID_A),)
    assert article.authors == (person("Doe, Jane", "Doe J"),)
    assert not lost(article, *fields)


# --------------------------------------------------------------------------------------------------
# Investigators, editors, personal name subjects


INVESTIGATOR_FIELDS = {
    "FIR-IR": (
        ("FIR", "Alpha, Ann"),
        ("IR", "Alpha A"),
        ("AUID", ORCID_A),
        ("IRAD", "Alpha's site."),
        ("IRAD", "Alpha's second site."),
        ("FIR", "Beta, Bob"),
        ("IR", "Beta B"),
        ("FIR", "Gamma, Gil"),
        ("IR", "Gamma G"),
        ("IRAD", "Gamma's site."),
    ),
    "IR-FIR": (
        ("IR", "Alpha A"),
        ("FIR", "Alpha, Ann"),
        ("AUID", ORCID_A),
        ("IRAD", "Alpha's site."),
        ("IRAD", "Alpha's second site."),
        ("IR", "Beta B"),
        ("FIR", "Beta, Bob"),
        ("IR", "Gamma G"),
        ("FIR", "Gamma, Gil"),
        ("IRAD", "Gamma's site."),
    ),
}


@pytest.mark.parametrize("order", sorted(INVESTIGATOR_FIELDS))
def test_investigators_in_either_order(order: str) -> None:
    fields = (
        ("PMID", "99000011"),
        ("FAU", "Doe, Jane"),
        ("AU", "Doe J"),
        ("AD", "Author's place."),
        *INVESTIGATOR_FIELDS[order],
        ("EDAT", "2024/01/02 06:00"),
    )
    article = build(*fields)
    assert article.investigators == (
        person("Alpha, Ann", "Alpha A", (ORCID_A,), ("Alpha's site.", "Alpha's second site.")),
        person("Beta, Bob", "Beta B"),
        person("Gamma, Gil", "Gamma G", (), ("Gamma's site.",)),
    )
    assert article.authors == (person("Doe, Jane", "Doe J", (), ("Author's place.",)),)
    assert article.extra == ()
    assert article["IRAD"] == ["Alpha's site.", "Alpha's second site.", "Gamma's site."]
    assert not lost(article, *fields)


def test_investigator_affiliation_with_no_investigator_is_kept_in_extra() -> None:
    article = build(("PMID", "99000012"), ("FAU", "Doe, Jane"), ("AU", "Doe J"), ("IRAD", "Lost?"))
    assert article.extra == (("IRAD", "Lost?"),)
    assert article.authors[0].affiliations == ()


def test_editors_before_authors_with_affiliations() -> None:
    fields = (
        ("PMID", "99000013"),
        ("FED", "Editor, Erin"),
        ("ED", "Editor E"),
        ("AD", "Erin's publisher."),
        ("FED", "Redacteur, Remy"),
        ("ED", "Redacteur R"),
        ("FAU", "Doe, Jane"),
        ("AU", "Doe J"),
        ("AD", "Jane's place."),
    )
    article = build(*fields)
    assert article.editors == (
        person("Editor, Erin", "Editor E", (), ("Erin's publisher.",)),
        person("Redacteur, Remy", "Redacteur R"),
    )
    assert article.authors == (person("Doe, Jane", "Doe J", (), ("Jane's place.",)),)
    assert article.affiliations == ()
    assert article["ED"] == ["Editor E", "Redacteur R"]
    assert not lost(article, *fields)


@pytest.mark.parametrize(
    "pairs",
    [
        (
            ("PS", "Pasteur L"),
            ("FPS", "Pasteur, Louis"),
            ("PS", "Curie M"),
            ("FPS", "Curie, Marie"),
        ),
        (
            ("FPS", "Pasteur, Louis"),
            ("PS", "Pasteur L"),
            ("FPS", "Curie, Marie"),
            ("PS", "Curie M"),
        ),
    ],
)
def test_personal_name_subjects(pairs: tuple[tuple[str, str], ...]) -> None:
    article = build(("PMID", "99000014"), ("MH", "History, 19th Century"), *pairs)
    assert article.personal_name_subjects == (
        person("Pasteur, Louis", "Pasteur L"),
        person("Curie, Marie", "Curie M"),
    )
    assert article.authors == ()
    assert article["PS"] == ["Pasteur L", "Curie M"]


def test_a_person_tag_never_pairs_across_lists() -> None:
    # an IR right after an FAU is an investigator of its own, not the author's short name
    article = build(("PMID", "99000015"), ("FAU", "Doe, Jane"), ("IR", "Doe J"))
    assert article.authors == (person("Doe, Jane", None),)
    assert article.investigators == (person(None, "Doe J"),)


# --------------------------------------------------------------------------------------------------
# Keywords, other abstracts


def test_keyword_lists_keep_their_owners() -> None:
    fields = (
        ("PMID", "99000016"),
        ("OTO", "NOTNLM"),
        ("OT", "prehabilitation"),
        ("OT", "older adults"),
        ("OTO", "NLM"),
        ("OT", "Surgery"),
    )
    article = build(*fields)
    assert article.keywords == (
        Keyword("prehabilitation", "NOTNLM"),
        Keyword("older adults", "NOTNLM"),
        Keyword("Surgery", "NLM"),
    )
    assert article.extra == ()
    assert article["OTO"] == ["NOTNLM", "NLM"]
    assert not lost(article, *fields)


@pytest.mark.parametrize(
    ("fields", "keywords", "kept"),
    [
        # an empty list at the end
        ((("OTO", "NOTNLM"), ("COIS", "None declared.")), (), "NOTNLM"),
        # an empty list before another
        (
            (("OTO", "NOTNLM"), ("OTO", "NLM"), ("OT", "Surgery")),
            (Keyword("Surgery", "NLM"),),
            "NOTNLM",
        ),
        ((("OTO", "NOTNLM"), ("OT", "a"), ("OTO", "KIE")), (Keyword("a", "NOTNLM"),), "KIE"),
    ],
)
def test_keyword_list_owner_with_no_keyword_is_kept(
    fields: tuple[tuple[str, str], ...], keywords: tuple[Keyword, ...], kept: str
) -> None:
    article = build(("PMID", "99000017"), *fields)
    assert article.keywords == keywords
    assert article.extra == (("OTO", kept),)
    assert not lost(article, ("PMID", "99000017"), *fields)
    assert sorted(article["OTO"]) == sorted(v for t, v in fields if t == "OTO")


def test_two_keyword_lists_with_the_same_owner_lose_no_line() -> None:
    # regression: the second "OTO - NOTNLM" line was dropped
    fields = (
        ("PMID", "99000018"),
        ("OTO", "NOTNLM"),
        ("OT", "a"),
        ("OTO", "NOTNLM"),
        ("OT", "b"),
    )
    article = build(*fields)
    assert article.keywords == (Keyword("a", "NOTNLM"), Keyword("b", "NOTNLM"))
    assert not lost(article, *fields)


def test_keyword_without_list_owner() -> None:
    article = build(("PMID", "99000019"), ("OT", "orphan"), ("OTO", "NOTNLM"), ("OT", "owned"))
    assert article.keywords == (Keyword("orphan"), Keyword("owned", "NOTNLM"))


def test_other_abstracts_and_their_languages() -> None:
    fields = (
        ("PMID", "99000020"),
        ("OAB", "Resumen ficticio."),
        ("OABL", "spa"),
        ("OAB", "Resume fictif sans langue."),
        ("OAB", "Zusammenfassung."),
        ("OABL", "ger"),
        ("OABL", "dut"),  # a second language for one abstract: kept aside
    )
    article = build(*fields)
    assert article.other_abstracts == (
        OtherAbstract("Resumen ficticio.", "spa"),
        OtherAbstract("Resume fictif sans langue."),
        OtherAbstract("Zusammenfassung.", "ger"),
    )
    assert article.extra == (("OABL", "dut"),)
    assert not lost(article, *fields)


def test_other_abstract_language_with_no_abstract_is_kept_in_extra() -> None:
    article = build(("PMID", "99000021"), ("OABL", "spa"))
    assert article.other_abstracts == ()
    assert article.extra == (("OABL", "spa"),)


# --------------------------------------------------------------------------------------------------
# Repeats and unknown tags


def test_second_title_goes_to_extra_with_its_diagnostic() -> None:
    article = read(["PMID- 99000022\nTI  - First title.\nTI  - Second title.\n"])
    assert article.title == "First title."
    assert article.extra == (("TI", "Second title."),)
    assert [(d.code, d.line) for d in article.diagnostics] == [("repeated-tag", 3)]
    assert article["TI"] == "First title."
    assert [v for t, v in article_fields(article) if t == "TI"] == ["First title.", "Second title."]


@pytest.mark.parametrize(
    ("tag", "first", "second"),
    [
        ("AB", "One.", "Two."),
        ("DP", "2024 Jan", "2023"),
        ("DEP", "20240102", "2024xx01"),
        ("EDAT", "2024/01/02 06:00", "2024/01/03 06:00"),
        ("JT", "Fictional journal", "Another journal"),
        ("PMC", "PMC9900001", "PMC9900002"),
    ],
)
def test_repeats_of_single_tags_are_kept_raw(tag: str, first: str, second: str) -> None:
    fields = (("PMID", "99000023"), (tag, first), (tag, second))
    article = build_from_fields(fields)
    assert article.extra == ((tag, second),)
    assert not lost(article, *fields)


def test_unknown_tags_go_to_extra_in_order() -> None:
    fields = (
        ("PMID", "99000024"),
        ("EP", "local note 1"),
        ("TI", "A title."),
        ("XYZ", "custom"),
        ("EP", "local note 2"),
        ("Q1", "q"),
    )
    article = build(*fields)
    assert article.extra == (
        ("EP", "local note 1"),
        ("XYZ", "custom"),
        ("EP", "local note 2"),
        ("Q1", "q"),
    )
    assert article["EP"] == ["local note 1", "local note 2"]
    assert article.title == "A title."
    assert not lost(article, *fields)


# --------------------------------------------------------------------------------------------------
# Every registry tag


_DATE_VALUES = {
    "DA": "19990101",
    "DCOM": "19990102",
    "DRDT": "19990103",
    "LR": "19990104",
    "CTDT": "19990105",
    "DEP": "19990106",
    "EDAT": "1999/01/07 09:30",
    "MHDA": "1999/01/08 09:30",
    "PMCR": "1999/01/09",
    "CRDT": "1999/01/10 09:30",
    "CDAT": "1999/01/11 09:30",
    "PHST": "1999/01/12 00:00 [received]",
    "DP": "1999 Jan",
}
EVERY_TAG = tuple((tag, _DATE_VALUES.get(tag, f"value of {tag}")) for tag in TAGS)


def test_every_registry_tag_lands_in_a_typed_attribute() -> None:
    article = build_from_fields(EVERY_TAG)
    assert article.extra == ()
    assert article.diagnostics == ()
    assert Counter(article_fields(article)) == Counter(EVERY_TAG)
    assert article_fields(article) == list(EVERY_TAG)  # the registry is in canonical order
    # each person tag in its list, with its attachments
    assert article.authors == (
        person("value of FAU", "value of AU", ("value of AUID",), ("value of AD",)),
        Author(collective_name="value of CN"),
    )
    assert article.editors == (person("value of FED", "value of ED"),)
    assert article.investigators == (person("value of FIR", "value of IR", (), ("value of IRAD",)),)
    assert article.personal_name_subjects == (person("value of FPS", "value of PS"),)
    assert article.other_abstracts == (OtherAbstract("value of OAB", "value of OABL"),)
    assert article.keywords == (Keyword("value of OT", "value of OTO"),)
    assert [r.kind for r in article.relations] == [t for t in TAGS if t in COMMENT_TAGS]


def test_every_registry_tag_read_from_text() -> None:
    text = "".join(f"{tag:<4}- {value}\n" for tag, value in EVERY_TAG)
    article = read([text])
    assert article == build_from_fields(EVERY_TAG)
    assert article.field_order == tuple(TAGS)
    # "value of PMID" is no PMID (issue 14): the only problem
    assert [(d.code, d.line) for d in article.diagnostics if d.is_problem] == [("invalid-pmid", 1)]


@pytest.mark.parametrize("tag", [t for t in TAGS if t != "PMID"])
def test_each_registry_tag_alone_is_kept(tag: str) -> None:
    fields = (("PMID", "99000025"), (tag, _DATE_VALUES.get(tag, "some value")))
    article = build_from_fields(fields)
    assert not lost(article, *fields)
    assert tag in article


# --------------------------------------------------------------------------------------------------
# Dates


def test_dates_are_typed() -> None:
    article = build(
        ("PMID", "99000026"),
        ("DA", "19990101"),
        ("DCOM", "20241003"),
        ("LR", "20250101"),
        ("DP", "2024 Sep 9"),
        ("DEP", "20240815"),
        ("EDAT", "2024/08/16 06:00"),
        ("MHDA", "1996/05/01"),
        ("PMCR", "2025/08/15"),
        ("CRDT", "2024/08/16 04:12"),
        ("PHST", "2024/05/30 00:00 [received]"),
        ("PHST", "2024/08/01 00:00 [accepted]"),
        ("PHST", "2024/07/02 00:00 [revised]"),  # not sorted: source order is kept
        ("PHST", "2024/08/16 06:00 [pubmed]"),
        ("PHST", "1996/05/01 [medline]"),
    )
    assert article.created_date == datetime.date(1999, 1, 1)
    assert article.completed_date == datetime.date(2024, 10, 3)
    assert article.revised_date == datetime.date(2025, 1, 1)
    assert article.publication_date == PubDate(2024, 9, day=9)
    assert article.year == 2024
    assert article.electronic_date == datetime.date(2024, 8, 15)
    assert article.entrez_date == datetime.datetime(2024, 8, 16, 6, 0)
    assert article.mesh_date == datetime.date(1996, 5, 1)
    assert not isinstance(article.mesh_date, datetime.datetime)
    assert article.pmc_release_date == datetime.date(2025, 8, 15)
    assert article.create_date == datetime.datetime(2024, 8, 16, 4, 12)
    assert article.history == (
        HistoryEvent("received", datetime.datetime(2024, 5, 30)),
        HistoryEvent("accepted", datetime.datetime(2024, 8, 1)),
        HistoryEvent("revised", datetime.datetime(2024, 7, 2)),
        HistoryEvent("pubmed", datetime.datetime(2024, 8, 16, 6)),
        HistoryEvent("medline", datetime.date(1996, 5, 1)),
    )
    assert article.diagnostics == ()


def test_book_dates_are_dates() -> None:
    article = build(
        ("PMID", "99000027"),
        ("DRDT", "20200301"),
        ("CTDT", "20011116"),
        ("PB", "Fictional University Press"),
        ("BTI", "A Fictional Handbook"),
        ("CDAT", "2011/03/04 06:00"),
    )
    assert article.book_revised_date == datetime.date(2020, 3, 1)
    assert article.contribution_date == datetime.date(2001, 11, 16)
    assert article.legacy_create_date == datetime.datetime(2011, 3, 4, 6, 0)
    assert article.is_book


def test_partial_publication_dates_invent_nothing() -> None:
    article = build(("PMID", "99000028"), ("DP", "2023 Jul-Aug"))
    assert article.publication_date == PubDate(2023, 7, end_month=8)
    assert article.publication_date is not None
    assert article.publication_date.day is None
    assert article.publication_date.end_year is None
    assert article["DP"] == "2023 Jul-Aug"


INVALID_DATES = [
    ("DEP", "20040003", "electronic_date"),
    ("DCOM", "2004013", "completed_date"),
    ("LR", "2004-01-03", "revised_date"),
    ("DA", "20040231", "created_date"),
    ("EDAT", "2004/00/03", "entrez_date"),
    ("MHDA", "2004/01/03 25:00", "mesh_date"),
    ("CRDT", "03/01/2004", "create_date"),
    ("PMCR", "20481061", "pmc_release_date"),
]


@pytest.mark.parametrize(("tag", "value", "attribute"), INVALID_DATES)
def test_invalid_date_keeps_its_text_with_a_diagnostic(
    tag: str, value: str, attribute: str
) -> None:
    article = read(
        [f"PMID- 99000029\nTI  - A title.\nAB  - An\n      abstract.\n{tag:<4}- {value}\n"]
    )
    assert getattr(article, attribute) == value
    assert [(d.code, d.line, d.severity) for d in article.diagnostics] == [
        ("invalid-date", 5, Severity.WARNING)
    ]
    assert value in article.diagnostics[0].message
    assert article[tag] == value


def test_invalid_history_dates_keep_their_text() -> None:
    text = (
        "PMID- 99000030\n"
        "PHST- 2004/00/03 00:00 [received]\n"
        "PHST- 2004/01/05 00:00 [accepted]\n"
        "PHST- 2016 [ecollection]\n"
        "PHST- no status at all\n"
    )
    article = read([text])
    assert article.history == (
        HistoryEvent("received", "2004/00/03 00:00"),
        HistoryEvent("accepted", datetime.datetime(2004, 1, 5)),
        HistoryEvent("ecollection", "2016"),
    )
    assert article.extra == (("PHST", "no status at all"),)
    assert [(d.code, d.line, d.severity) for d in article.diagnostics] == [
        ("invalid-date", 2, Severity.WARNING),
        ("unclear-date", 4, Severity.INFO),  # a year alone: partial, as PubMed writes it
        ("invalid-date", 5, Severity.WARNING),
    ]
    assert article["PHST"] == [
        "2004/00/03 00:00 [received]",
        "2004/01/05 00:00 [accepted]",
        "2016 [ecollection]",
        "no status at all",
    ]


@pytest.mark.parametrize("value", ["Spring", "Article 10", "n.d."])
def test_publication_date_with_no_year(value: str) -> None:
    article = read([f"PMID- 99000031\nDP  - {value}\n"])
    assert article.publication_date is not None
    assert article.publication_date.text == value
    assert article.publication_date.year is None
    assert article.year is None
    assert [(d.code, d.line) for d in article.diagnostics] == [("invalid-date", 2)]
    assert article["DP"] == value


def test_unclear_publication_date_is_a_note() -> None:
    article = read(["PMID- 99000032\nDP  - 2023 Jul-Aug 01\n"])
    assert article.year == 2023
    assert [(d.code, d.severity) for d in article.diagnostics] == [("unclear-date", Severity.INFO)]


@pytest.mark.parametrize(
    ("tag", "value"),
    [
        *((tag, value) for tag, value, _ in INVALID_DATES),
        ("PHST", "2004/00/03 [received]"),
        ("DP", "Spring"),
    ],
)
def test_strict_mode_raises_on_an_invalid_date(tag: str, value: str) -> None:
    text = f"PMID- 99000033\nTI  - A title.\n{tag:<4}- {value}\n"
    with pytest.raises(ParseError) as caught:
        read([text], strict=True)
    assert caught.value.code == "invalid-date"
    assert caught.value.line == 3
    assert caught.value.text == value
    assert read([text]).diagnostics[0].code == "invalid-date"  # lenient mode goes on


def test_invalid_date_never_stops_the_parse() -> None:
    text = "PMID- 99000034\nDEP - 20040003\n\nPMID- 99000035\nDEP - 20040103\n"
    first, second = list(iter_records([text]))
    assert build_article(first).electronic_date == "20040003"
    assert build_article(second).electronic_date == datetime.date(2004, 1, 3)


# --------------------------------------------------------------------------------------------------
# Identifiers, indexing, links, journal


def test_article_and_location_ids_keep_their_types_and_order() -> None:
    fields = (
        ("PMID", "99000036"),
        ("LID", "10.5555/loc.1 [doi]"),
        ("LID", "e0353121"),
        ("LID", "S99-1 [pii]"),
        ("AID", "10.5555/aid.1 [doi]"),
        ("AID", "S99-2 [pii]"),
        ("AID", "10.5555/aid.2 [doi]"),
        ("AID", "NBK99 [bookaccession]"),
    )
    article = build(*fields)
    assert article.location_ids == (
        ArticleId("10.5555/loc.1", "doi"),
        ArticleId("e0353121"),
        ArticleId("S99-1", "pii"),
    )
    assert article.article_ids == (
        ArticleId("10.5555/aid.1", "doi"),
        ArticleId("S99-2", "pii"),
        ArticleId("10.5555/aid.2", "doi"),
        ArticleId("NBK99", "bookaccession"),
    )
    assert article.doi == "10.5555/aid.1"
    assert article.pii == "S99-2"
    assert article["LID"] == ["10.5555/loc.1 [doi]", "e0353121", "S99-1 [pii]"]
    assert not lost(article, *fields)


def test_indexing_and_links() -> None:
    article = build(
        ("PMID", "99000037"),
        ("GR", "P30 CA999999/CA/NCI NIH HHS/United States"),
        ("GR", "Berlin Institute of Health/"),
        ("RN", "0 (Fictional Antibodies)"),
        ("RN", "EC 3.1.1.7 (Acetylcholinesterase)"),
        ("RN", "9999-99-9"),
        ("CIN", "Fict J. 2024 Jan;1(1):1-2. doi: 10.5555/c.1. PMID: 99000100"),
        ("EIN", "Fict J. 2024 Feb;1(2):3."),
        ("CIN", "Fict J. 2024 Mar;1(3):. PMID: 99000101"),
        ("MH", "Humans"),
        ("MH", "*Fictional Disease/*therapy/diagnosis"),
        ("MH", "Adult"),
    )
    assert article.grants == (
        Grant("P30 CA999999", "CA", "NCI NIH HHS", "United States"),
        Grant(None, None, "Berlin Institute of Health", ""),
    )
    assert article.chemicals == (
        Chemical("0", "Fictional Antibodies"),
        Chemical("EC 3.1.1.7", "Acetylcholinesterase"),
        Chemical("9999-99-9"),
    )
    assert article.relations == (
        Relation("CIN", "Fict J. 2024 Jan;1(1):1-2. doi: 10.5555/c.1", "99000100"),
        Relation("EIN", "Fict J. 2024 Feb;1(2):3."),
        Relation("CIN", "Fict J. 2024 Mar;1(3):", "99000101"),
    )
    assert [m.text for m in article.mesh] == [
        "Humans",
        "*Fictional Disease/*therapy/diagnosis",
        "Adult",
    ]  # indexing order, not sorted
    assert article.mesh[1] == MeshHeading.parse("*Fictional Disease/*therapy/diagnosis")
    assert article.major_mesh == (article.mesh[1],)


def test_journal_fields() -> None:
    article = build(
        ("PMID", "99000038"),
        ("IS", "2999-401X (Electronic)"),
        ("IS", "2999-4020 (Linking)"),
        ("VI", "12"),
        ("IP", "Pt 2"),
        ("PG", "377-86"),
        ("TA", "Fict J Rehab"),
        ("JT", "Fictional journal of rehabilitation"),
        ("JID", "9999999R"),
        ("PL", "Ruritania"),
        ("SO", "Fict J Rehab. 2024 Sep;12(Pt 2):377-86."),
    )
    journal = article.journal
    assert journal.issns == (Issn("2999-401X", "Electronic"), Issn("2999-4020", "Linking"))
    assert (journal.abbreviation, journal.title, journal.nlm_id) == (
        "Fict J Rehab",
        "Fictional journal of rehabilitation",
        "9999999R",
    )
    assert (article.volume, article.issue, article.pagination, article.place) == (
        "12",
        "Pt 2",
        "377-86",
        "Ruritania",
    )
    assert article.source == "Fict J Rehab. 2024 Sep;12(Pt 2):377-86."
    assert article["IS"] == ["2999-401X (Electronic)", "2999-4020 (Linking)"]


def test_builder_diagnostics_follow_the_records() -> None:
    records = list(iter_records(["PMID- 99000039\nTI  - a\nTI  - b\nDEP - 2004\n"]))
    article = build_article(records[0])
    assert [d.code for d in article.diagnostics] == ["repeated-tag", "invalid-date"]
    assert article.field_order == ("PMID", "TI", "TI", "DEP")


def test_build_from_fields_without_line_numbers() -> None:
    article = build_from_fields([("PMID", "1"), ("DEP", "bad")])
    assert article.diagnostics[0].line is None
    assert article.electronic_date == "bad"
    with pytest.raises(ParseError):
        build_from_fields([("PMID", "1"), ("DEP", "bad")], strict=True)


# --------------------------------------------------------------------------------------------------
# A complete fictional record from a fixture


def test_fixture_record() -> None:
    article = read(BUILDER_FIXTURES / "people.txt")
    assert article.pmid == "99000900"
    assert [a.display_name for a in article.authors] == [
        "Okonkwo-Smith, Adaeze",
        "Wang, Yi",
        "Wang, Yan",
        "Fictional Registry Investigators",
        "van der Berg, Anna Maria",
        "Fraumeni, Julian F Jr",
    ]
    wang_yi, wang_yan, group, berg, jr = article.authors[1:]
    assert wang_yi.affiliations == ("School of Fictional Medicine, Eastport, Ruritania.",)
    assert wang_yan.affiliations == (
        "Institute of Imaginary Biology, Westport, Ruritania.",
        "Department of Invented Studies, Westport, Ruritania.",
    )
    assert wang_yan.orcid == "0000-0002-1825-0097"
    assert group.affiliations == ("Registry office, Fictional Hospital, Eastport, Ruritania.",)
    assert (berg.last_name, berg.fore_name, berg.initials) == ("van der Berg", "Anna Maria", "AM")
    assert (jr.last_name, jr.fore_name, jr.initials, jr.suffix) == (
        "Fraumeni",
        "Julian F",
        "JF",
        "Jr",
    )
    assert [i.display_name for i in article.investigators] == ["Alvarez, Berta", "Brandt, Carl"]
    assert article.investigators[0].affiliations == ("Site 1, Eastport, Ruritania.",)
    assert article.investigators[1].orcid == "0000-0001-5109-3700"
    assert article.keywords == (Keyword("registries", "NOTNLM"), Keyword("invented data", "NOTNLM"))
    assert article.other_abstracts == (OtherAbstract("Resumen ficticio del estudio.", "spa"),)
    assert [d for d in article.diagnostics if d.is_problem] == []
    fields = [(f.tag, f.value) for f in next(iter_records(BUILDER_FIXTURES / "people.txt")).fields]
    assert Counter(article_fields(article)) == Counter(fields)

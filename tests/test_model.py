"""Tests for medline_parse.model: the value classes, the Author name parts and the Article itself."""

from __future__ import annotations

import datetime
from typing import Any

import attrs
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from medline_parse import (
    Article,
    ArticleId,
    Author,
    AuthorIdentifier,
    Chemical,
    Diagnostic,
    Grant,
    HistoryEvent,
    Issn,
    Journal,
    Keyword,
    MeshHeading,
    MeshQualifier,
    OtherAbstract,
    PubDate,
    Relation,
)
from medline_parse.medline.fields import article_fields
from medline_parse.medline.tags import COMMENT_TAGS

FEW = settings(max_examples=300, deadline=None)

# One line of text: anything but line breaks (values never hold one).
LINE = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters="\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029",
    ),
    max_size=60,
)
# Text made of the characters the parsers split on, so that odd shapes come up often.
SHAPED = st.text(alphabet=st.sampled_from(list("*/ ()[]:.PMID0123aAbX_-,")), max_size=30)
ANY_LINE = LINE | SHAPED


# --------------------------------------------------------------------------------------------------
# MeSH headings


@pytest.mark.parametrize(
    ("text", "descriptor", "major", "qualifiers"),
    [
        ("Humans", "Humans", False, ()),
        ("*Software", "Software", True, ()),
        (
            "Information Storage and Retrieval/*methods",
            "Information Storage and Retrieval",
            False,
            (MeshQualifier("methods", True),),
        ),
        (
            "Larva/genetics/*growth & development",
            "Larva",
            False,
            (MeshQualifier("genetics"), MeshQualifier("growth & development", True)),
        ),
        (
            "*Sequence Alignment/methods/statistics & numerical data/standards",
            "Sequence Alignment",
            True,
            (
                MeshQualifier("methods"),
                MeshQualifier("statistics & numerical data"),
                MeshQualifier("standards"),
            ),
        ),
    ],
)
def test_mesh_heading_parts_and_text(
    text: str, descriptor: str, major: bool, qualifiers: tuple[MeshQualifier, ...]
) -> None:
    heading = MeshHeading.parse(text)
    assert heading.descriptor == descriptor
    assert heading.major is major
    assert heading.qualifiers == qualifiers
    assert heading.text == text
    assert str(heading) == text
    assert heading == MeshHeading(descriptor, major, qualifiers)


def test_mesh_heading_is_major_on_descriptor_or_any_qualifier() -> None:
    assert MeshHeading.parse("*Software").is_major
    assert MeshHeading.parse("Larva/genetics/*growth & development").is_major
    assert not MeshHeading.parse("Larva/genetics/growth & development").is_major
    assert not MeshHeading.parse("Humans").is_major


def test_mesh_heading_built_from_parts_writes_medline_text() -> None:
    heading = MeshHeading("Neoplasms", qualifiers=[MeshQualifier("therapy", True)])
    assert heading.qualifiers == (MeshQualifier("therapy", True),)  # a list became a tuple
    assert heading.text == "Neoplasms/*therapy"


# --------------------------------------------------------------------------------------------------
# Chemicals


@pytest.mark.parametrize(
    ("text", "number", "name"),
    [
        ("0 (Antibodies)", "0", "Antibodies"),
        ("38LVP0K73A (Sevoflurane)", "38LVP0K73A", "Sevoflurane"),
        ("9007-49-2 (DNA)", "9007-49-2", "DNA"),
        ("EC 3.1.1.7 (Acetylcholinesterase)", "EC 3.1.1.7", "Acetylcholinesterase"),
        ("EC 3.6.1.- (Adenosine Triphosphatases)", "EC 3.6.1.-", "Adenosine Triphosphatases"),
        ("0 (Interleukin-1 (IL-1))", "0", "Interleukin-1 (IL-1)"),  # parentheses in the name
        ("9007-49-2", "9007-49-2", None),  # no name: kept whole as the number
        ("0 (unclosed", "0 (unclosed", None),
        ("Aspirin", "Aspirin", None),
    ],
)
def test_chemical_split(text: str, number: str, name: str | None) -> None:
    chemical = Chemical.parse(text)
    assert (chemical.registry_number, chemical.name) == (number, name)
    assert chemical.text == text
    assert str(chemical) == text


# --------------------------------------------------------------------------------------------------
# Grants


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        (
            "P30 CA008748/CA/NCI NIH HHS/United States",
            ("P30 CA008748", "CA", "NCI NIH HHS", "United States"),
        ),
        (
            "26813/CRUK_/Cancer Research UK/United Kingdom",
            ("26813", "CRUK_", "Cancer Research UK", "United Kingdom"),
        ),
        # the grant ID itself holds "/"
        (
            "MR/T044934/1/MRC_/Medical Research Council/United Kingdom",
            ("MR/T044934/1", "MRC_", "Medical Research Council", "United Kingdom"),
        ),
        # empty country
        (
            "R016432020/Faculty of Medicine Siriraj Hospital, Mahidol University/",
            ("R016432020", None, "Faculty of Medicine Siriraj Hospital, Mahidol University", ""),
        ),
        ("Berlin Institute of Health/", (None, None, "Berlin Institute of Health", "")),
        # acronym, no ID
        ("CA/NCI NIH HHS/United States", (None, "CA", "NCI NIH HHS", "United States")),
        # ID, no acronym
        ("ZX-4471/Fictional Trust/Ruritania", ("ZX-4471", None, "Fictional Trust", "Ruritania")),
        ("Fictional Trust/Ruritania", (None, None, "Fictional Trust", "Ruritania")),
        ("Fictional Trust", (None, None, "Fictional Trust", None)),
    ],
)
def test_grant_split_from_the_right(text: str, parts: tuple[str | None, ...]) -> None:
    grant = Grant.parse(text)
    assert (grant.grant_id, grant.acronym, grant.agency, grant.country) == parts
    assert grant.text == text
    assert str(grant) == text


def test_grant_from_parts_leaves_absent_parts_out() -> None:
    assert Grant(agency="Fictional Trust", country="Ruritania").text == "Fictional Trust/Ruritania"
    assert Grant("X1", "AB", "Agency", "").text == "X1/AB/Agency/"


# --------------------------------------------------------------------------------------------------
# Article and location identifiers, ISSNs


@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [
        ("10.5555/abc.2024.001 [doi]", "10.5555/abc.2024.001", "doi"),
        ("S0140-6736(23)01962-1 [pii]", "S0140-6736(23)01962-1", "pii"),
        ("NBK1116 [bookaccession]", "NBK1116", "bookaccession"),
        ("e0353121", "e0353121", None),  # an untyped LID
        ("1112", "1112", None),
        ("10.5555/x[1]y [doi]", "10.5555/x[1]y", "doi"),
        ("a [b] [doi]", "a [b]", "doi"),
        ("10.5555/x[doi]", "10.5555/x[doi]", None),  # no space: not a type
        ("x [a[b]", "x [a[b]", None),
    ],
)
def test_article_id_type(text: str, value: str, kind: str | None) -> None:
    identifier = ArticleId.parse(text)
    assert (identifier.value, identifier.type) == (value, kind)
    assert identifier.text == text
    assert str(identifier) == text


@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [
        ("2999-5019 (Print)", "2999-5019", "Print"),
        ("2999-501X (Electronic)", "2999-501X", "Electronic"),
        ("2999-5019 (Linking)", "2999-5019", "Linking"),
        ("2999-5019", "2999-5019", None),
    ],
)
def test_issn_type(text: str, value: str, kind: str | None) -> None:
    issn = Issn.parse(text)
    assert (issn.value, issn.type) == (value, kind)
    assert issn.text == text


def test_journal_issn_by_kind() -> None:
    journal = Journal(
        issns=[Issn("2999-501X", "Electronic"), Issn("2999-5019", "Print")],
    )
    assert isinstance(journal.issns, tuple)
    assert journal.issn() == "2999-501X"
    assert journal.issn("Print") == "2999-5019"
    assert journal.issn("Linking") is None


# --------------------------------------------------------------------------------------------------
# Relations (comments and corrections)


@pytest.mark.parametrize(
    ("text", "citation", "pmid"),
    [
        (
            "J Fict Med. 2023 Nov 18;402(10415):1806-1807. doi: 10.5555/jfm.2023.1. PMID: 99000001",
            "J Fict Med. 2023 Nov 18;402(10415):1806-1807. doi: 10.5555/jfm.2023.1",
            "99000001",
        ),
        # no PMID, a legacy note
        (
            "Fict J Obstet. 2009 Jun;49(3):253. Kornmann, Tina [corrected to Korman, Tina M]",
            "Fict J Obstet. 2009 Jun;49(3):253. Kornmann, Tina [corrected to Korman, Tina M]",
            None,
        ),
        # empty pages
        (
            "Fict Ageing. 2022 Mar 1;51(3):. PMID: 99000002",
            "Fict Ageing. 2022 Mar 1;51(3):",
            "99000002",
        ),
        ("PMID: 99000003", "", "99000003"),
        ("Fict J. 2020. PMID: pending", "Fict J. 2020. PMID: pending", None),
        ("Fict J. 2020. PMID: 1. PMID: 2", "Fict J. 2020. PMID: 1", "2"),
        # regression: an empty citation before ". PMID: " used to come back as "PMID: 12"
        (". PMID: 12", ". PMID: 12", None),
    ],
)
def test_relation_citation_and_pmid(text: str, citation: str, pmid: str | None) -> None:
    relation = Relation.parse("CIN", text)
    assert (relation.kind, relation.citation, relation.pmid) == ("CIN", citation, pmid)
    assert relation.text == text
    assert str(relation) == text


def test_relation_pmid_must_be_ascii_digits() -> None:
    text = "Fict J. 2020. PMID: \u0661\u0662"  # Arabic-Indic digits are not a PMID
    assert Relation.parse("EIN", text).pmid is None
    assert Relation.parse("EIN", text).text == text


def test_relation_kind_names() -> None:
    assert Relation("EIN", "x").kind_name == "Erratum in"
    assert Relation("UOF", "x").kind_name == "Update of"
    assert Relation("ZZZ", "x").kind_name == "ZZZ"
    assert all(Relation(tag, "x").kind_name != tag for tag in COMMENT_TAGS)


# --------------------------------------------------------------------------------------------------
# Author identifiers


@pytest.mark.parametrize(
    ("text", "value", "source", "orcid"),
    [
        ("ORCID: 0000-0002-2815-7558", "0000-0002-2815-7558", "ORCID", "0000-0002-2815-7558"),
        ("ORCID: 0000-0001-5109-370X", "0000-0001-5109-370X", "ORCID", "0000-0001-5109-370X"),
        (
            "ORCID: https://orcid.org/0000-0002-2815-7558",
            "https://orcid.org/0000-0002-2815-7558",
            "ORCID",
            "0000-0002-2815-7558",
        ),
        (
            "https://orcid.org/0000-0002-2815-7558",
            "https://orcid.org/0000-0002-2815-7558",
            None,
            "0000-0002-2815-7558",
        ),
        ("ISNI: 0000 0001 2345 6789", "0000 0001 2345 6789", "ISNI", None),
        ("0000-0002-2815-7558", "0000-0002-2815-7558", None, None),  # says not what it is
        ("Fictional Scheme: 12", "Fictional Scheme: 12", None, None),  # no space in a scheme
    ],
)
def test_author_identifier(text: str, value: str, source: str | None, orcid: str | None) -> None:
    identifier = AuthorIdentifier.parse(text)
    assert (identifier.value, identifier.source, identifier.orcid) == (value, source, orcid)
    assert identifier.text == text
    assert str(identifier) == text


# --------------------------------------------------------------------------------------------------
# Authors: name parts

# full name, short name, last name, fore name, initials, suffix
NAME_CASES: list[tuple[str | None, str | None, str | None, str | None, str | None, str | None]] = [
    ("Casbon, James A", "Casbon JA", "Casbon", "James A", "JA", None),
    ("O'Connor, M B", "O'Connor MB", "O'Connor", "M B", "MB", None),
    ("Garcia-Lopez, Maria", "Garcia-Lopez M", "Garcia-Lopez", "Maria", "M", None),
    ("van der Berg, Anna", "van der Berg A", "van der Berg", "Anna", "A", None),
    ("de la Cruz, Juan", "Cruz J", "de la Cruz", "Juan", "J", None),
    ("Fraumeni, Joseph F Jr", "Fraumeni JF Jr", "Fraumeni", "Joseph F", "JF", "Jr"),
    ("Mainous, Arch G 3rd", "Mainous AG 3rd", "Mainous", "Arch G", "AG", "3rd"),
    ("Smith, John III", "Smith J III", "Smith", "John", "J", "III"),
    ("Smith, John III", "Smith J 3rd", "Smith", "John", "J", "3rd"),
    ("Smith, John Jr", None, "Smith", "John", None, "Jr"),
    # a lone capital V, IV or II is an initial, never a suffix (regression: "V" was a suffix)
    ("Gaborieau, Valerie", "Gaborieau V", "Gaborieau", "Valerie", "V", None),
    ("Conti, David V", "Conti DV", "Conti", "David V", "DV", None),
    ("Ivanov, Ivan V", "Ivanov IV", "Ivanov", "Ivan V", "IV", None),
    ("Petrov, Igor I", "Petrov II", "Petrov", "Igor I", "II", None),
    ("Le Moing, V", "Le Moing V", "Le Moing", "V", "V", None),
    (None, "Sankar T V", "Sankar T", None, "V", None),
    # pre-2002: short name only
    (None, "van der Berg A", "van der Berg", None, "A", None),
    (None, "Gaborieau V", "Gaborieau", None, "V", None),
    (None, "Fraumeni JF Jr", "Fraumeni", None, "JF", "Jr"),
    (None, "Smith J III", "Smith", None, "J", "III"),
    (None, "Kessler", "Kessler", None, None, None),
    (None, "et al.", None, None, None, None),
    (None, "et al", None, None, None, None),
    # one-word names
    ("Kavita", "Kavita", "Kavita", None, None, None),
]


@pytest.mark.parametrize(("full", "short", "last", "fore", "initials", "suffix"), NAME_CASES)
def test_author_name_parts(
    full: str | None,
    short: str | None,
    last: str | None,
    fore: str | None,
    initials: str | None,
    suffix: str | None,
) -> None:
    author = Author(full, short)
    assert author.last_name == last
    assert author.fore_name == fore
    assert author.initials == initials
    assert author.suffix == suffix
    assert not author.is_collective
    assert author.display_name == (full or short)
    assert str(author) == author.display_name


def test_et_al_is_an_author_entry() -> None:
    assert Author(name="et al.").is_et_al
    assert Author(name="et al").is_et_al
    assert not Author(name="Etal A").is_et_al
    assert not Author("Smith, John", "Smith J").is_et_al


def test_collective_author() -> None:
    group = Author.collective("Fictional Study Group", ["Fictional Institute, Ruritania."])
    assert group.is_collective
    assert group.collective_name == "Fictional Study Group"
    assert group.affiliations == ("Fictional Institute, Ruritania.",)
    assert (group.full_name, group.name, group.last_name, group.initials) == (None,) * 4
    assert group.display_name == "Fictional Study Group"
    assert str(group) == "Fictional Study Group"


@pytest.mark.parametrize(
    ("args", "kwargs", "full", "short"),
    [
        (("Doe", "Jane Q"), {}, "Doe, Jane Q", "Doe JQ"),
        (("Doe", "Jane-Marie"), {}, "Doe, Jane-Marie", "Doe JM"),
        (("van der Berg", "Anna Maria"), {}, "van der Berg, Anna Maria", "van der Berg AM"),
        (("Doe", "Jane"), {"suffix": "Jr"}, "Doe, Jane Jr", "Doe J Jr"),
        (("Doe", "Jane", "JX"), {}, "Doe, Jane", "Doe JX"),
        (("Doe",), {"initials": "J"}, None, "Doe J"),
        (("Kavita",), {}, "Kavita", "Kavita"),  # one-word names: PubMed writes FAU and AU
    ],
)
def test_author_from_parts(
    args: tuple[Any, ...], kwargs: dict[str, Any], full: str | None, short: str
) -> None:
    author = Author.from_parts(*args, **kwargs)
    assert (author.full_name, author.name) == (full, short)
    assert author.last_name == args[0]
    if len(args) > 1:
        assert author.fore_name == args[1]
    if "suffix" in kwargs:
        assert author.suffix == kwargs["suffix"]


def test_author_from_parts_reads_a_trailing_generational_word_as_the_suffix() -> None:
    author = Author.from_parts("Doe", "John Jr")
    assert (author.full_name, author.name) == ("Doe, John Jr", "Doe J Jr")
    assert (author.fore_name, author.suffix, author.initials) == ("John", "Jr", "J")
    assert Author.from_parts("Doe", "John Jr") == Author.from_parts("Doe", "John", suffix="Jr")


def test_author_from_parts_identifiers_and_affiliations() -> None:
    author = Author.from_parts(
        "Doe",
        "Jane",
        identifiers=["ORCID: 0000-0002-2815-7558", AuthorIdentifier("X1", "ISNI")],
        affiliations=iter(["Dept A, Fictional University.", "Dept B."]),
    )
    assert author.identifiers == (
        AuthorIdentifier("0000-0002-2815-7558", "ORCID"),
        AuthorIdentifier("X1", "ISNI"),
    )
    assert author.affiliations == ("Dept A, Fictional University.", "Dept B.")
    assert author.orcid == "0000-0002-2815-7558"


def test_author_identifiers_given_as_text_are_parsed() -> None:
    # regression: strings were stored as they were, and Author.orcid then raised AttributeError
    author = Author("Doe, Jane", "Doe J", identifiers=["ORCID: 0000-0002-2815-7558"])
    assert author.identifiers == (AuthorIdentifier("0000-0002-2815-7558", "ORCID"),)
    assert author.orcid == "0000-0002-2815-7558"


def test_author_orcid_is_the_first_orcid() -> None:
    author = Author(
        "Doe, Jane",
        "Doe J",
        identifiers=(
            AuthorIdentifier("1", "ISNI"),
            AuthorIdentifier("0000-0001-5109-370X", "ORCID"),
        ),
    )
    assert author.orcid == "0000-0001-5109-370X"
    assert Author("Doe, Jane", "Doe J").orcid is None


# --------------------------------------------------------------------------------------------------
# Small value classes


def test_keyword_and_other_abstract() -> None:
    keyword = Keyword("prehabilitation", "NOTNLM")
    assert str(keyword) == "prehabilitation"
    assert keyword.owner == "NOTNLM"
    assert Keyword("x").owner is None
    other = OtherAbstract("Resumen ficticio.", "spa")
    assert (other.text, other.language) == ("Resumen ficticio.", "spa")
    assert OtherAbstract("x").language is None


@pytest.mark.parametrize(
    "value",
    [
        MeshHeading("A"),
        MeshQualifier("b"),
        Chemical("0", "X"),
        Grant("1", None, "A", "B"),
        ArticleId("x", "doi"),
        Issn("1", "Print"),
        Relation("CIN", "x", "1"),
        AuthorIdentifier("1", "ORCID"),
        Author("A, B", "A B"),
        Keyword("k"),
        OtherAbstract("t"),
        Journal(),
        Article(),
    ],
)
def test_value_classes_are_frozen_slotted_and_hashable(value: Any) -> None:
    first = attrs.fields(type(value))[0].name
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        setattr(value, first, getattr(value, first))
    assert not hasattr(value, "__dict__")
    assert hash(value) == hash(attrs.evolve(value))
    assert value == attrs.evolve(value)


# --------------------------------------------------------------------------------------------------
# The article


def _article(**changes: Any) -> Article:
    values: dict[str, Any] = {
        "pmid": "99000001",
        "title": "A fictional title.",
        "authors": [Author("Doe, Jane", "Doe J", affiliations=["Fictional University."])],
        "mesh": [MeshHeading.parse("Humans"), MeshHeading.parse("*Fictional Disease/therapy")],
        "article_ids": [ArticleId("99-1", "pii"), ArticleId("10.5555/f.1", "doi")],
        "location_ids": [ArticleId("10.5555/l.1", "doi"), ArticleId("e1")],
        "publication_date": PubDate.parse("2024 Sep"),
        "languages": ["eng"],
    }
    values.update(changes)
    return Article(**values)


def test_hand_built_article_with_few_fields_is_valid() -> None:
    article = Article(pmid="99000001", title="A fictional title.")
    assert article.authors == ()
    assert article.journal == Journal()
    assert article.extra == ()
    assert article.field_order is None
    assert article.doi is None and article.year is None and article.pmcid is None
    assert article_fields(article) == [("PMID", "99000001"), ("TI", "A fictional title.")]
    assert article["TI"] == "A fictional title."


def test_collections_are_tuples_never_lists() -> None:
    article = _article(
        extra=[["ZZ", "x"]],
        field_order=["PMID", "TI"],
        history=(e for e in [HistoryEvent("received", datetime.date(2024, 1, 2))]),
    )
    for field in attrs.fields(Article):
        value = getattr(article, field.name)
        assert not isinstance(value, list), field.name
    assert article.extra == (("ZZ", "x"),)
    assert isinstance(article.extra[0], tuple)
    assert article.field_order == ("PMID", "TI")
    assert isinstance(article.authors[0].affiliations, tuple)
    hash(article)  # hashable, even when built from lists


def test_article_properties() -> None:
    article = _article()
    assert article.doi == "10.5555/f.1"  # AID first
    assert article.pii == "99-1"
    assert article.year == 2024
    assert article.major_mesh == (MeshHeading.parse("*Fictional Disease/therapy"),)
    assert not article.is_book
    assert article.pmcid is None


def test_doi_and_pii_fall_back_to_the_location_ids() -> None:
    article = _article(
        article_ids=[], location_ids=[ArticleId("S1-2", "pii"), ArticleId("10.5555/l.1", "doi")]
    )
    assert article.doi == "10.5555/l.1"
    assert article.pii == "S1-2"
    assert _article(article_ids=[], location_ids=[ArticleId("e1")]).doi is None


def test_pmcid_from_pmc_then_from_a_pmc_article_id() -> None:
    assert _article(pmc="PMC9900001").pmcid == "PMC9900001"
    with_aid = _article(article_ids=[ArticleId("PMC9900002", "pmc")])
    assert with_aid.pmcid == "PMC9900002"
    assert _article(pmc="PMC1", article_ids=[ArticleId("PMC2", "pmc")]).pmcid == "PMC1"


def test_year_only_when_dp_states_one() -> None:
    assert _article(publication_date=PubDate.parse("Spring")).year is None
    assert _article(publication_date=None).year is None
    assert _article(publication_date=PubDate.parse("2000 Dec-2001 Jan")).year == 2000


def test_is_book() -> None:
    assert _article(book_title="A Fictional Handbook").is_book
    assert _article(publisher="Fictional Press").is_book
    assert not _article().is_book


def test_mnemonic_access() -> None:
    article = _article(
        abstract="An abstract.",
        authors=[Author("Doe, Jane", "Doe J"), Author(name="Roe R"), Author.collective("G")],
        extra=[("ZZ", "one"), ("ZZ", "two")],
    )
    assert article["AU"] == ["Doe J", "Roe R"]  # repeatable: a list
    assert article["FAU"] == ["Doe, Jane"]
    assert article["CN"] == ["G"]
    assert article["AB"] == "An abstract."  # not repeatable: a string
    assert article.get("AB") == "An abstract."
    assert article["MH"] == ["Humans", "*Fictional Disease/therapy"]
    assert article["AID"] == ["99-1 [pii]", "10.5555/f.1 [doi]"]
    assert article["DP"] == "2024 Sep"
    assert article["ZZ"] == ["one", "two"]  # unknown tags: a list
    with pytest.raises(KeyError):
        article["CI"]
    with pytest.raises(KeyError):
        article["NOPE"]
    assert article.get("CI") is None
    assert article.get("CI", "none") == "none"
    assert "AB" in article
    assert "CI" not in article
    assert "ZZ" in article
    assert 12 not in article  # type: ignore[operator]


def test_evolve_returns_an_edited_copy() -> None:
    article = _article(diagnostics=[Diagnostic("x", "y")], field_order=("PMID",))
    edited = attrs.evolve(article, title="Another title.")
    assert edited.title == "Another title."
    assert article.title == "A fictional title."
    assert edited.authors == article.authors
    assert edited.diagnostics == article.diagnostics
    assert edited != article
    author = attrs.evolve(article.authors[0], affiliations=["Elsewhere."])
    assert author.affiliations == ("Elsewhere.",)


def test_equality_and_hash_ignore_diagnostics_and_field_order() -> None:
    plain = _article()
    noted = _article(
        diagnostics=[Diagnostic("invalid-date", "something", 3)], field_order=("TI", "PMID")
    )
    assert plain == noted
    assert hash(plain) == hash(noted)
    assert len({plain, noted}) == 1
    assert plain != _article(title="Other.")
    assert plain != _article(extra=[("ZZ", "x")])


# --------------------------------------------------------------------------------------------------
# Properties


@FEW
@given(ANY_LINE)
def test_value_class_text_round_trips(text: str) -> None:
    assert MeshHeading.parse(text).text == text
    assert Grant.parse(text).text == text
    assert Chemical.parse(text).text == text
    assert ArticleId.parse(text).text == text
    assert Issn.parse(text).text == text
    assert AuthorIdentifier.parse(text).text == text
    assert Relation.parse("CIN", text).text == text


@FEW
@given(ANY_LINE, st.sampled_from(sorted(COMMENT_TAGS)))
def test_relation_parse_is_stable(text: str, kind: str) -> None:
    relation = Relation.parse(kind, text)
    assert Relation.parse(kind, relation.text) == relation
    assert relation.kind == kind


@FEW
@given(
    st.text(alphabet=st.characters(blacklist_characters="/*\r\n"), min_size=0, max_size=20),
    st.booleans(),
    st.lists(
        st.tuples(
            st.text(alphabet=st.characters(blacklist_characters="/*\r\n"), max_size=10),
            st.booleans(),
        ),
        max_size=4,
    ),
)
def test_mesh_heading_parts_round_trip(
    descriptor: str, major: bool, qualifiers: list[tuple[str, bool]]
) -> None:
    heading = MeshHeading(descriptor, major, [MeshQualifier(n, m) for n, m in qualifiers])
    assert MeshHeading.parse(heading.text) == heading


@FEW
@given(st.none() | ANY_LINE, st.none() | ANY_LINE, st.none() | ANY_LINE)
def test_author_name_parts_never_raise(
    full: str | None, short: str | None, group: str | None
) -> None:
    author = Author(full, short, group)
    for name in ("last_name", "fore_name", "initials", "suffix", "orcid", "display_name"):
        value = getattr(author, name)
        assert value is None or isinstance(value, str)
    assert isinstance(author.is_et_al, bool)
    if author.suffix is not None:
        assert author.suffix in (short or "") + " " + (full or "")


@FEW
@example(last="Aa", fore="Aa Jr", suffix=None)  # found by CI: the trailing word is the suffix
@given(
    st.from_regex(r"[A-Z][a-z]{1,8}( [a-z]{2,3})?( [A-Z][a-z]{1,8})?", fullmatch=True),
    st.from_regex(r"[A-Z][a-z]{1,8}( [A-Z][a-z]{1,8}| [A-Z])*", fullmatch=True),
    st.none() | st.sampled_from(["Jr", "Sr", "2nd", "3rd", "4th"]),
)
def test_from_parts_name_parts_read_back(last: str, fore: str, suffix: str | None) -> None:
    author = Author.from_parts(last, fore, suffix=suffix)
    given, _, last_word = fore.rpartition(" ")
    if suffix is None and given and last_word in {"Jr", "Sr"}:
        # a trailing generational word is the suffix: the names cannot say otherwise
        fore, suffix = given, last_word
    assert author.last_name == last
    assert author.fore_name == fore
    assert author.suffix == suffix
    assert author.initials == "".join(word[0] for word in fore.split(" "))
    # and the same parts from the short name alone, as in a pre-2002 record
    short_only = Author(name=author.name)
    assert short_only.initials == author.initials
    assert short_only.suffix == suffix

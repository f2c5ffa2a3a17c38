"""The tag table (medline_parse.medline.mapping): complete, consistent with the registry and the
model, and obeyed by both directions: the builder puts each tag where its row says, and the field
emitter writes from there exactly the values the article holds.

The expectations are worked out here from the row (its kind and attribute) and the model's own
value classes, never from the builder's or the emitter's code.  Every record here is fictional.
"""

from __future__ import annotations

import datetime
import types
from collections import Counter
from operator import attrgetter
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

from medline_parse import Article, Author, HistoryEvent, Keyword, OtherAbstract, PubDate, Relation
from medline_parse.medline.builder import build_from_fields
from medline_parse.medline.fields import emit_fields
from medline_parse.medline.mapping import (
    HOMES,
    RETIRED_TAGS,
    HomeRow,
    Kind,
    part_tag,
    people_lists,
    tags_of,
)
from medline_parse.medline.tags import TAGS
from medline_parse.model import Journal
from medline_parse.model.dates import format_compact_date, format_stamp

from . import article_strategies as s

# Attributes of an Article that no MEDLINE tag fills.
NOT_FROM_TEXT = {"extra", "diagnostics", "field_order"}
# What only PubMed XML carries: no MEDLINE tag is their home.
XML_ONLY = {"pmid_version", "abstract_sections", "publisher_dates", "references"}
XML_ONLY_PARTS = {
    "Journal": {"iso_abbreviation"},
    "Author": {"affiliation_identifiers", "valid", "equal_contribution"},
    "Keyword": {"major"},  # written as a '*' before the term, not as a tag of its own
    "OtherAbstract": {"origin", "sections"},
}
# Kinds whose tag appears once per record (a second value goes to Article.extra).
ONCE = {Kind.TEXT, Kind.DATE, Kind.STAMP, Kind.PUB_DATE}
# The type of the attribute each plain kind fills, as the model annotates it.
TYPES = {
    Kind.TEXT: "str | None",
    Kind.TEXTS: "tuple[str, ...]",
    Kind.DATE: "DateValue | None",
    Kind.STAMP: "StampValue | None",
    Kind.PUB_DATE: "PubDate | None",
    Kind.HISTORY: "tuple[HistoryEvent, ...]",
    Kind.RELATION: "tuple[Relation, ...]",
    Kind.PERSON: "tuple[Author, ...]",
    Kind.KEYWORD: "tuple[Keyword, ...]",
    Kind.OTHER_ABSTRACT: "tuple[OtherAbstract, ...]",
}
# The value class whose attributes the rows of a kind name as their part.
PART_CLASSES = {
    Kind.PERSON: Author,
    Kind.PERSON_PART: Author,
    Kind.KEYWORD: Keyword,
    Kind.OTHER_ABSTRACT: OtherAbstract,
}
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))


def _attribute_type(path: str) -> str:
    """The annotated type of an Article attribute, or of its journal's (``journal.title``)."""
    owner, dot, name = path.rpartition(".")
    cls = Journal if dot else Article
    assert owner in ("", "journal"), path
    return str(attrs.fields_dict(cls)[name].type)


def _rows(*kinds: Kind) -> list[HomeRow]:
    return [row for row in HOMES.values() if row.kind in kinds]


def _ids(rows: list[HomeRow]) -> list[str]:
    return [row.tag for row in rows]


# --------------------------------------------------------------------------------------------------
# The table itself


def test_every_registry_tag_has_exactly_one_row_in_canonical_order() -> None:
    assert list(HOMES) == list(TAGS)
    assert all(row.tag == tag for tag, row in HOMES.items())


def test_every_attribute_that_comes_from_text_is_some_tag_s_home() -> None:
    homes = {row.attribute.partition(".")[0] for row in HOMES.values()}
    assert homes - {"extra"} == {f.name for f in attrs.fields(Article)} - NOT_FROM_TEXT - XML_ONLY
    journal = {row.attribute for row in HOMES.values() if row.attribute.startswith("journal.")}
    assert journal == {
        f"journal.{f.name}"
        for f in attrs.fields(Journal)
        if f.name not in XML_ONLY_PARTS["Journal"]
    }
    for kind, cls in PART_CLASSES.items():
        parts = {row.part for row in HOMES.values() if PART_CLASSES.get(row.kind) is cls}
        expected = set(attrs.fields_dict(cls)) - XML_ONLY_PARTS.get(cls.__name__, set())
        assert parts == expected, (kind, cls)


@pytest.mark.parametrize("row", list(HOMES.values()), ids=list(HOMES))
def test_row_agrees_with_the_model_and_the_registry(row: HomeRow) -> None:
    info = TAGS[row.tag]
    assert info.repeatable == (row.kind not in ONCE)
    if row.kind is Kind.VALUES:
        assert row.value_class is not None
        assert _attribute_type(row.attribute) == f"tuple[{row.value_class.__name__}, ...]"
        text = "Fictional value"
        assert row.value_class.parse(text).text == text
    elif row.kind is Kind.PERSON_PART:
        assert row.people and set(row.people) <= set(people_lists())
        assert row.attribute == "extra" or _attribute_type(row.attribute) == "tuple[str, ...]"
    else:
        assert _attribute_type(row.attribute) == TYPES[row.kind]
    if row.kind in PART_CLASSES:
        assert row.part in attrs.fields_dict(PART_CLASSES[row.kind])
    else:
        assert row.part is None
    if row.pairs_after is not None:
        partner = HOMES[row.pairs_after]
        assert (partner.kind, partner.attribute) == (row.kind, row.attribute)
        assert partner.part != row.part
    if row.kind is Kind.RELATION:
        assert info.group == "comments_corrections"


def test_helpers() -> None:
    assert tags_of("authors", "full_name") == ("FAU",)
    assert tags_of("journal.issns") == ("IS",)
    assert part_tag("investigators", "affiliations") == "IRAD"
    assert people_lists() == ("editors", "authors", "personal_name_subjects", "investigators")
    assert isinstance(HOMES, types.MappingProxyType)


# --------------------------------------------------------------------------------------------------
# Where a value lives, read from a row


def _texts_at_home(article: Article, row: HomeRow) -> list[str]:
    """Every text the row's home in *article* holds, as MEDLINE writes it (the model's own
    ``text`` properties and date formatters, nothing from the emitter)."""
    if row.kind is Kind.PERSON_PART:
        out = [] if row.attribute == "extra" else list(getattr(article, row.attribute))
        for people in row.people:
            for person in getattr(article, people):
                values = getattr(person, row.part or "")
                out.extend(v if isinstance(v, str) else v.text for v in values)
        return out
    value = attrgetter(row.attribute)(article)
    if row.kind is Kind.TEXT:
        return [] if value is None else [value]
    if row.kind is Kind.TEXTS:
        return list(value)
    if row.kind is Kind.VALUES:
        return [v.text for v in value]
    if row.kind is Kind.DATE:
        if value is None:
            return []
        return [value if isinstance(value, str) else format_compact_date(value)]
    if row.kind is Kind.STAMP:
        return [] if value is None else [value if isinstance(value, str) else format_stamp(value)]
    if row.kind is Kind.PUB_DATE:
        return [] if value is None else [value.text]
    if row.kind is Kind.HISTORY:
        return [str(event) for event in value]
    if row.kind is Kind.RELATION:
        return [relation.text for relation in value if relation.kind == row.tag]
    if row.kind is Kind.KEYWORD and row.part == "owner":
        # One owner line per list: a run of keywords with the same owner.
        owners: list[str] = []
        previous: object = object()
        for keyword in value:
            if keyword.owner is not None and keyword.owner != previous:
                owners.append(keyword.owner)
            previous = keyword.owner
        return owners
    if row.kind is Kind.KEYWORD:  # the term, after a '*' when it is a major topic
        return [keyword.text for keyword in value]
    parts = [getattr(item, row.part or "") for item in value]
    return [part for part in parts if part is not None]


# --------------------------------------------------------------------------------------------------
# The builder follows the table


SAMPLES = {
    Kind.TEXT: ("A fictional title.", "A fictional title."),
    Kind.TEXTS: ("eng", ("eng",)),
    Kind.DATE: ("20200102", datetime.date(2020, 1, 2)),
    Kind.STAMP: ("2020/01/02 03:04", datetime.datetime(2020, 1, 2, 3, 4)),
    Kind.PUB_DATE: ("2020 Jan", PubDate(2020, 1)),
    Kind.HISTORY: (
        "2020/01/02 00:00 [received]",
        (HistoryEvent("received", datetime.datetime(2020, 1, 2, 0, 0)),),
    ),
}


@pytest.mark.parametrize(
    "row", _rows(*SAMPLES, Kind.VALUES), ids=_ids(_rows(*SAMPLES, Kind.VALUES))
)
def test_builder_puts_a_plain_tag_at_its_home(row: HomeRow) -> None:
    if row.kind is Kind.VALUES:
        assert row.value_class is not None
        text = "Fictional value [doi]"
        expected: Any = (row.value_class.parse(text),)
    else:
        text, expected = SAMPLES[row.kind]
    article = build_from_fields([(row.tag, text)])
    assert attrgetter(row.attribute)(article) == expected
    assert article.extra == ()
    if row.kind in ONCE:  # a second value has no home but Article.extra
        twice = build_from_fields([(row.tag, text), (row.tag, "second")])
        assert twice.extra == ((row.tag, "second"),)


@pytest.mark.parametrize("row", _rows(Kind.RELATION), ids=_ids(_rows(Kind.RELATION)))
def test_builder_reads_a_relation_of_the_tag_s_kind(row: HomeRow) -> None:
    article = build_from_fields([(row.tag, "Fict J. 2020;1:1. PMID: 99000001")])
    assert getattr(article, row.attribute) == (Relation(row.tag, "Fict J. 2020;1:1", "99000001"),)


@pytest.mark.parametrize("row", _rows(Kind.PERSON), ids=_ids(_rows(Kind.PERSON)))
def test_builder_starts_a_person_of_the_row_s_list(row: HomeRow) -> None:
    article = build_from_fields([(row.tag, "Doe J")])
    assert getattr(article, row.attribute) == (Author(**{row.part or "": "Doe J"}),)
    if row.pairs_after is not None:  # printed right after its partner: the same person
        partner = HOMES[row.pairs_after]
        paired = build_from_fields([(partner.tag, "Roe R"), (row.tag, "Doe J")])
        person = Author(**{partner.part or "": "Roe R", row.part or "": "Doe J"})
        assert getattr(paired, row.attribute) == (person,)


@pytest.mark.parametrize("row", _rows(Kind.PERSON_PART), ids=_ids(_rows(Kind.PERSON_PART)))
@pytest.mark.parametrize("people", people_lists())
def test_builder_gives_a_person_part_to_the_person_before_it(row: HomeRow, people: str) -> None:
    text = "ORCID: 0000-0002-1825-0097"
    start = part_tag(people, "name")
    article = build_from_fields([(start, "Doe J"), (row.tag, text)])
    value: Any = text if row.value_class is None else row.value_class.parse(text)
    if people in row.people:
        assert getattr(getattr(article, people)[0], row.part or "") == (value,)
        assert article.extra == ()
    else:
        assert article.extra == ((row.tag, text),)
    alone = build_from_fields([(row.tag, text)])
    if row.attribute == "extra":
        assert alone.extra == ((row.tag, text),)
    else:
        assert getattr(alone, row.attribute) == (text,)


def test_builder_reads_keywords_and_other_abstracts_by_their_rows() -> None:
    owner, term = (tags_of("keywords", part)[0] for part in ("owner", "term"))
    article = build_from_fields([(owner, "NOTNLM"), (term, "fictional term")])
    assert article.keywords == (Keyword("fictional term", "NOTNLM"),)
    text, language = (tags_of("other_abstracts", part)[0] for part in ("text", "language"))
    assert HOMES[language].pairs_after == text
    article = build_from_fields([(text, "Un resumen ficticio."), (language, "spa")])
    assert article.other_abstracts == (OtherAbstract("Un resumen ficticio.", "spa"),)


# --------------------------------------------------------------------------------------------------
# The emitter follows the table


@SETTINGS
@given(s.articles())
def test_emitter_writes_exactly_what_each_row_s_home_holds(article: Article) -> None:
    emitted = emit_fields(article)
    written: dict[str, list[str]] = {}
    for index, (tag, value) in enumerate(emitted.fields):
        if index not in emitted.extras:
            written.setdefault(tag, []).append(value)
    assert set(written) <= set(HOMES)
    for tag, row in HOMES.items():
        if tag in RETIRED_TAGS and not article.field_order:
            assert tag not in written  # today's layout
            continue
        assert Counter(written.get(tag, [])) == Counter(_texts_at_home(article, row)), tag
    extras = [emitted.fields[index] for index in sorted(emitted.extras)]
    assert Counter(extras) == Counter(article.extra)

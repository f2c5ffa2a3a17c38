"""Round trips through the writer: the semantic guarantee on generated articles and idempotence on
generated text (the corpus side of both is in test_corpus_writer).

2. Semantic: ``loads(dumps(a)) == [a]`` for articles covering every attribute of Article and of
   its value classes (tests/article_strategies.py), in every style and line ending.
3. Idempotent: ``dumps(loads(dumps(loads(x)))) == dumps(loads(x))`` for any text ``x``: generated
   MEDLINE with the damage real files carry (tests/strategies.py) and hand-edited examples.
"""

from __future__ import annotations

import datetime
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from medline_parse import (
    Article,
    ArticleId,
    Author,
    AuthorIdentifier,
    Chemical,
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
    WriteError,
    dumps,
    loads,
)
from medline_parse.medline.mapping import HOMES, RETIRED_TAGS
from medline_parse.medline.wrap import STYLES, WIDTHS
from medline_parse.model.dates import parse_pub_date

from . import article_strategies as s
from .strategies import medline_text

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
NEWLINES = st.sampled_from(["\n", "\r\n", "\r"])


def in_todays_layout(article: Article) -> Article:
    """What reading back gives: an article with no tag order is written without the retired tags."""
    if article.field_order:
        return article
    retired = {HOMES[tag].attribute: None for tag in RETIRED_TAGS}
    return attrs.evolve(article, **retired)


def differences(a: Article, b: Article) -> dict[str, tuple[Any, Any]]:
    """The attributes (in equality) where two articles differ, for failure messages."""
    return {
        f.name: (getattr(a, f.name), getattr(b, f.name))
        for f in attrs.fields(Article)
        if f.eq and getattr(a, f.name) != getattr(b, f.name)
    }


def assert_roundtrip(article: Article, **options: Any) -> str:
    text = dumps(article, **options)
    back = loads(text)
    assert len(back) == 1, f"{len(back)} articles read back from\n{text}"
    expected = in_todays_layout(article)
    assert back[0] == expected, f"{differences(expected, back[0])}\n{text}"
    return text


# --------------------------------------------------------------------------------------------------
# The strategies cover the model


@pytest.mark.parametrize(
    ("cls", "fields"),
    [
        (Article, s.ARTICLE_FIELDS),
        (Author, s.AUTHOR_FIELDS),
        (AuthorIdentifier, s.AUTHOR_IDENTIFIER_FIELDS),
        (MeshHeading, s.MESH_HEADING_FIELDS),
        (MeshQualifier, s.MESH_QUALIFIER_FIELDS),
        (Chemical, s.CHEMICAL_FIELDS),
        (Keyword, s.KEYWORD_FIELDS),
        (Grant, s.GRANT_FIELDS),
        (ArticleId, s.ARTICLE_ID_FIELDS),
        (Issn, s.ISSN_FIELDS),
        (Journal, s.JOURNAL_FIELDS),
        (Relation, s.RELATION_FIELDS),
        (OtherAbstract, s.OTHER_ABSTRACT_FIELDS),
        (PubDate, s.PUB_DATE_FIELDS),
        (HistoryEvent, s.HISTORY_EVENT_FIELDS),
    ],
    ids=lambda value: value.__name__ if isinstance(value, type) else "",
)
def test_strategies_cover_every_attribute(cls: type, fields: dict[str, Any]) -> None:
    """Each class has a strategy for every attribute in equality (Article's diagnostics and
    field_order are not data)."""
    assert set(fields) == {f.name for f in attrs.fields(cls) if f.eq}


# --------------------------------------------------------------------------------------------------
# 2. Semantic round trip


@SETTINGS
@given(s.articles(), st.sampled_from(STYLES), NEWLINES)
def test_generated_article_roundtrips(article: Article, style: str, newline: str) -> None:
    assume(in_todays_layout(article) != Article())  # nothing left to write
    text = assert_roundtrip(article, style=style, newline=newline)
    assert text.endswith(newline)
    assert not text.endswith(newline + newline)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(s.articles(), min_size=2, max_size=4), st.sampled_from(STYLES), st.booleans())
def test_generated_articles_roundtrip_together(
    articles: list[Article], style: str, leading: bool
) -> None:
    assume(all(in_todays_layout(article) != Article() for article in articles))
    text = dumps(articles, style=style, leading_blank_line=leading)
    assert loads(text) == [in_todays_layout(article) for article in articles]
    assert text.startswith("\n") == leading


@SETTINGS
@given(s.PLAIN, st.sampled_from(STYLES))
def test_layout_of_pubmed_shaped_values(value: str, style: str) -> None:
    """A value of PubMed's own shape (single spaces) is laid out on lines of at most the style's
    width; a wrapped line keeps its trailing space in the modern styles; a longer line holds one
    word; the last line never ends in a space."""
    text = assert_roundtrip(Article(pmid="1", abstract=value), style=style)
    lines = text.splitlines()[1:]
    width = WIDTHS[style]
    for number, line in enumerate(lines):
        part = line[6:]
        last = number == len(lines) - 1
        if last:
            assert not part.endswith(" ")
        elif style != "legacy":
            assert part.endswith(" ") and not part.endswith("  ")
        core = part.rstrip(" ")
        # A last word of only tabs stays on the line before (alone, it would make a blank-looking
        # line that ends the record), so the line may run over by it: measure the line without it.
        words = core.rstrip(" \t")
        if core[len(words) :].startswith(" "):
            core = words
        assert len(core) <= width or " " not in core, line


@SETTINGS
@given(s.TEXT)
def test_values_with_space_runs_and_leading_spaces(value: str) -> None:
    """Runs of spaces and leading spaces are no PubMed shape, but they survive every style."""
    for style in STYLES:
        assert_roundtrip(Article(pmid="1", title="  " + value.replace(" ", "   ")), style=style)


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize(
    "value",
    [
        "",
        " leading",
        "double  space",
        "x" * 100,
        ("word " * 16) + "y" * 90 + (" word" * 20),
        ("a" * 80) + "   " + "b" * 10,
        ("a" * 81) + "  " + "b",
        "\u00a0".join(["nbsp"] * 40),
        "e\u0301" * 50 + " " + "\U0001f600" * 80 + " end",
        "\u2028 line separator \u0085 next line \x0c form feed",
        "HIV- 1 AU  - not a tag",
    ],
)
def test_difficult_values(value: str, style: str) -> None:
    assert_roundtrip(Article(pmid="1", title=value, abstract=value), style=style)


@pytest.mark.parametrize(
    "text",
    [
        "2020",
        "2020 Mar",
        "2020 Mar 5",
        "2020 Winter",
        "2023 Jul-Aug",
        "2023 Jan 5-11",
        "2000 Dec-2001 Jan",
        "1998 Spring-Summer",
        "1999-2000",
        "2023 Jul-Aug 01",
        "2018 Jul-Ago",
        "2020 Mar/Apr",
        "Apr 2019",
        "2021 Feb 29",
        "Spring",
        "no date at all",
    ],
)
def test_pub_date_shapes(text: str) -> None:
    date = parse_pub_date(text)
    assert assert_roundtrip(Article(pmid="1", publication_date=date)) == f"PMID- 1\nDP  - {text}\n"


def test_pub_date_from_parts() -> None:
    for date in [
        PubDate(2020),
        PubDate(2020, 3, day=5),
        PubDate(2020, season="Fall"),
        PubDate(2020, 7, end_month=8),
        PubDate(2020, 1, day=5, end_day=11),
        PubDate(2000, 12, end_year=2001, end_month=1),
        PubDate(1998, season="Spring", end_season="Summer"),
    ]:
        assert_roundtrip(Article(pmid="1", publication_date=date))


@pytest.mark.parametrize(
    "value",
    [
        datetime.datetime(2020, 1, 2, 3, 4),
        datetime.date(2020, 1, 2),
        "2004/00/03 00:00",
        "2000 Jan 5",
        "",
    ],
)
def test_dates_of_every_kind(value: Any) -> None:
    compact = value if isinstance(value, str) else datetime.date(2020, 1, 2)
    article = Article(
        pmid="1",
        completed_date=compact,
        entrez_date=value,
        pmc_release_date=value,
        history=(HistoryEvent("received", value), HistoryEvent("", value)),
    )
    assert_roundtrip(article)


# -- what has no text form ---------------------------------------------------------------------


def test_people_merge_rule_matches_the_reader() -> None:
    """The strategies' people_merge() rule, on the cases it names."""
    full = Author("Doe, Jane")
    short = Author(name="Roe R")
    both = Author("Doe, Jane", "Doe J")
    assert s.people_merge([full, short], True, False)
    assert not s.people_merge([short, full], True, False)
    assert not s.people_merge([both, short], True, False)
    assert s.people_merge([short, full], True, True)  # investigators pair both ways
    assert s.people_merge([short, both], True, True)
    assert not s.people_merge([attrs.evolve(full, affiliations=("x",)), short], True, False)
    assert s.people_merge([full, short], False, True)  # PS is printed before FPS
    assert not s.people_merge([Author.collective("G"), short], True, False)
    for persons, merged in [([full, short], True), ([short, full], False), ([both, short], False)]:
        back = loads(dumps(Article(pmid="1", authors=persons)))[0].authors
        assert (len(back) == 1) == merged
    back = loads(dumps(Article(pmid="1", investigators=(short, full))))[0].investigators
    assert len(back) == 1


def test_what_the_strategies_leave_out() -> None:
    """Combinations the model allows but MEDLINE cannot tell apart (so the strategies avoid
    them); written as documented behaviour, not as a promise."""
    # A keyword with no owner after an owned list belongs to that list once read.
    article = Article(pmid="1", keywords=(Keyword("a", "NOTNLM"), Keyword("b")))
    assert loads(dumps(article))[0].keywords == (Keyword("a", "NOTNLM"), Keyword("b", "NOTNLM"))
    # Trailing spaces are not part of a MEDLINE value.
    assert loads(dumps(Article(pmid="1", title="x  ")))[0].title == "x"
    assert loads(dumps(Article(pmid="1", title=" ")))[0].title == ""
    # An identifier scheme with an empty value writes "ORCID: ", whose space is dropped.
    author = Author("Doe, J", identifiers=(AuthorIdentifier("", "ORCID"),))
    back = loads(dumps(Article(pmid="1", authors=(author,))))[0]
    assert back.authors[0].identifiers == (AuthorIdentifier("ORCID:"),)
    # CN is an author tag: a group among the editors is read back as an author.
    back = loads(dumps(Article(pmid="1", editors=(Author.collective("G"),))))[0]
    assert (back.editors, back.authors) == ((), (Author.collective("G"),))
    # XML's PersonalNameSubject has no affiliation; an AD after a PS belongs to no one.
    subject = Author("Doe, J", "Doe J", affiliations=("x",))
    back = loads(dumps(Article(pmid="1", personal_name_subjects=(subject,))))[0]
    assert back.personal_name_subjects == (attrs.evolve(subject, affiliations=()),)
    assert back.extra == (("AD", "x"),)


# -- line breaks ----------------------------------------------------------------------------------

BREAKS = st.sampled_from(["\n", "\r", "\r\n"])
EDITS = {
    "title": lambda a, v: attrs.evolve(a, title=v),
    "abstract": lambda a, v: attrs.evolve(a, abstract=v),
    "affiliation": lambda a, v: attrs.evolve(a, authors=(Author("Doe, J", affiliations=(v,)),)),
    "author name": lambda a, v: attrs.evolve(a, authors=(Author(name=v),)),
    "collective": lambda a, v: attrs.evolve(a, authors=(Author.collective(v),)),
    "identifier": lambda a, v: attrs.evolve(
        a, investigators=(Author("Doe, J", identifiers=(AuthorIdentifier(v, "ORCID"),)),)
    ),
    "keyword": lambda a, v: attrs.evolve(a, keywords=(Keyword(v, "NOTNLM"),)),
    "keyword owner": lambda a, v: attrs.evolve(a, keywords=(Keyword("k", v),)),
    "mesh qualifier": lambda a, v: attrs.evolve(
        a, mesh=(MeshHeading("D", qualifiers=(MeshQualifier(v),)),)
    ),
    "grant": lambda a, v: attrs.evolve(a, grants=(Grant(agency=v),)),
    "relation": lambda a, v: attrs.evolve(a, relations=(Relation("CIN", v, "1"),)),
    "other abstract language": lambda a, v: attrs.evolve(
        a, other_abstracts=(OtherAbstract("x", v),)
    ),
    "journal": lambda a, v: attrs.evolve(a, journal=Journal(title=v)),
    "issn": lambda a, v: attrs.evolve(a, journal=Journal(issns=(Issn(v, "Print"),))),
    "pub date": lambda a, v: attrs.evolve(a, publication_date=PubDate(raw=v)),
    "raw date": lambda a, v: attrs.evolve(a, revised_date=v),
    "history": lambda a, v: attrs.evolve(a, history=(HistoryEvent(v, "2020/01/01"),)),
    "extra": lambda a, v: attrs.evolve(a, extra=(("XY", v),)),
    "list": lambda a, v: attrs.evolve(a, publication_types=("Journal Article", v)),
}


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(EDITS)), s.SHORT0, BREAKS, s.SHORT0, st.sampled_from(STYLES))
@example("title", "a", "\n", "b", "pubmed")
def test_line_break_in_a_value_raises(
    where: str, before: str, line_break: str, after: str, style: str
) -> None:
    article = EDITS[where](Article(pmid="1"), before + line_break + after)
    with pytest.raises(WriteError, match="line break"):
        dumps(article, style=style)


# --------------------------------------------------------------------------------------------------
# 3. Idempotence


def assert_idempotent(text: str, style: str = "pubmed") -> None:
    once = dumps(loads(text), style=style)
    assert dumps(loads(once), style=style) == once


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(medline_text(), st.sampled_from(STYLES))
def test_idempotent_on_generated_text(text: str, style: str) -> None:
    assert_idempotent(text, style)


HAND_EDITED = [
    "PMID-22664220\nTI-\nTI  - x\n",
    "PMID- 1\nSO  invalid line\nTI  - This is a test title\n",
    "PMID- 1\nTI  - wrapped by hand\n       with seven spaces\n   and three\n",
    "    PMID- 1\n    TI  - indented record\n          continued\n",
    "\ufeffPMID- 1\r\nTI  - CRLF with BOM\r\n\r\n\r\nPMID- 2\r\nTI  - two\r\n",
    "PMID- 1\rTI  - classic Mac\r\rPMID- 2\rAB  - x\r",
    "PMID- 1 OWN - NLM STAT- MEDLINE TI - A collapsed record - with a dash. AU - Doe J",
    "PMID- 1\nAB  - \nAB  - \nOTO - NOTNLM\nOT  - k\nOABL- eng\nIRAD- nobody\nAUID- x\n",
    "PMID- 1\nAD  - before anyone\nFAU - Doe, Jane\nAU  - Doe J\nAU  - Roe R\nFAU - Roe, Rick\n",
    "PMID- 1\nEP  - custom\nTI  - x\nDP  - 2020\nPMID- 2\nTI  - no blank line before me\n",
    "PMID- 1\nPHST- not a history line\nPHST- 2020/13/01 00:00 [received]\nDP  - 2021 Feb 29\n",
    "OWN - ERIC\nTI  - no PMID\n\n\n\nPMC - PMC1\nAB  - MEDLARS\n",
    "PMID- 1\nTI  - no final newline",
    "TI  - \u2028 U+2028 \x85 NEL \x0c FF\nAB  - control \x00 \x1b\n",
]


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("text", HAND_EDITED)
def test_idempotent_on_hand_edited_text(text: str, style: str) -> None:
    assert_idempotent(text, style)


@pytest.mark.parametrize("text", HAND_EDITED)
def test_hand_edited_articles_roundtrip(text: str) -> None:
    """What was read from a damaged file writes back as the same articles (with the
    diagnostics gone: the written text is clean)."""
    articles = loads(text)
    assert loads(dumps(articles)) == articles


REORDERED = "PMID- 1\nAB  - \nAB  - \nOTO - NOTNLM\nOTO - NLM\nOT  - k\nOABL- eng\nIRAD- x\n"


def test_idempotent_on_stray_keyword_owner() -> None:
    assert_idempotent(REORDERED)


def test_stray_keyword_owner_keeps_extra_order() -> None:
    articles = loads(REORDERED)
    assert loads(dumps(articles)) == articles

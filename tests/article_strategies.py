"""Hypothesis strategies for typed articles: every attribute of :class:`Article` and of the value
classes it is made of, with values that survive MEDLINE text.

Values are what a MEDLINE field can hold: one line, no trailing space (the joining rule strips it),
no ``\\n`` or ``\\r``.  They do include what real files hold and what breaks naive writers: non-BMP
characters, combining marks, NBSP and other non-ASCII spaces (never break points), words longer
than a line (never split), empty strings, leading spaces and runs of spaces (the wrap module keeps
them; ``test_roundtrip`` shows they survive), tokens that look like tags, identifiers or dates.

Some combinations the model allows have no text form, because MEDLINE says which person a line
belongs to only by position.  The strategies leave them out, each for a stated reason
(:func:`people_merge`, :func:`people`, :func:`keywords`, :func:`roundtrips`, the
``personal_name_subjects`` entry); ``test_roundtrip.test_what_the_strategies_leave_out`` shows what
the writer does with them.  Every other generated article must satisfy
``loads(dumps(article)) == [article]``.  Control characters and U+2028/U+2029 are left out of
generated values (PubMed text has none), although they survive too (``test_difficult_values``).

Other test files import :func:`articles` (and the smaller strategies) from here.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import attrs
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
)
from medline_parse.medline.tags import COMMENT_TAGS, TAGS, canonical_position
from medline_parse.medline.wrap import can_represent
from medline_parse.model.dates import (
    MONTH_ABBREVIATIONS,
    SEASONS,
    format_history,
    parse_compact_date,
    parse_history,
    parse_pub_date,
    parse_stamp,
)

T = TypeVar("T")

# --------------------------------------------------------------------------------------------------
# Text

#: Characters a value may hold: any code point but surrogates, control characters (``\n``, ``\r``,
#: NEL ...), line/paragraph separators, and the ASCII space (words are joined with it explicitly).
CHAR = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters=" ")

#: Characters and words that real files hold and writers get wrong.
SPECIAL = (
    "\u00a0",  # NBSP: not a break point
    "\u2009",  # thin space
    "\u202f",  # narrow NBSP
    "\u3000",  # ideographic space
    "e\u0301",  # e + combining acute: two code points, one glyph
    "\u0301",  # a lone combining mark
    "\U0001f600",  # non-BMP emoji
    "\U00020000",  # non-BMP CJK
    "\u4e2d\u6587",
    "\u00a9",
    "\u00b1",
    "\u2265",
    "\u00df",
    "\u0130",
    "\ufeff",  # a BOM inside a value
    "\t",  # whitespace, but no break point
)
TRICKY = (
    "-",
    "--",
    "TI",
    "AU  -",
    "AB  -",
    "PMID-",
    "HIV-",
    "SO",
    "[doi]",
    "[pii]",
    "(Print)",
    "(Electronic)",
    "PMID:",
    ".",
    "/",
    "*",
    "//",
    ":",
    "(",
    ")",
    "[",
    "]",
    "ORCID:",
    "NOTNLM",
    "2020",
    "Jan",
    "Winter",
    "2020/01/01",
    "00:00",
    "19991231",
)
SHORT_WORD = st.text(CHAR, min_size=1, max_size=10)
#: Longer than a line (81 or 84 value characters): it stands alone on its line, never split.
LONG_WORD = st.text(CHAR, min_size=82, max_size=100)
WORD = st.one_of(
    SHORT_WORD,
    SHORT_WORD,
    SHORT_WORD,
    SHORT_WORD,
    st.sampled_from(SPECIAL),
    st.sampled_from(TRICKY),
    st.sampled_from(TRICKY),
    LONG_WORD,
)
#: Between words: mostly one space, sometimes a run (kept by the wrap rule; never at the end).
GAP = st.sampled_from([" "] * 12 + ["  ", "   "])


@st.composite
def _value(draw: st.DrawFn, min_words: int, max_words: int, spaces: bool) -> str:
    words = draw(st.lists(WORD, min_size=min_words, max_size=max_words))
    if not words:
        return ""
    if not spaces:  # PubMed's shape: words joined by single spaces ("AU  -" has a run)
        words = [word.replace(" ", "") for word in words]
    out = words[0]
    for word in words[1:]:
        out += (draw(GAP) if spaces else " ") + word
    if spaces and draw(st.integers(0, 15)) == 0:
        out = " " * draw(st.integers(1, 2)) + out  # a leading space survives too
    return out


#: A non-empty field value, long enough to wrap now and then.
TEXT = _value(1, 15, True)
#: A longer one (titles, abstracts) that wraps over several lines.
LONG_TEXT = _value(1, 40, True)
#: A short non-empty value (names, codes).
SHORT = _value(1, 3, True)
#: A value that may be empty (``"AB  - "`` is a valid line).
TEXT0 = TEXT | st.just("")
SHORT0 = SHORT | st.just("")
#: A value of PubMed's own shape: single spaces only, no leading space.
PLAIN = _value(1, 40, False)


def no(sep: str, strategy: st.SearchStrategy[str] = SHORT) -> st.SearchStrategy[str]:
    """*strategy* without the separator *sep*."""
    return strategy.map(lambda s: s.replace(sep, "_"))


def opt(strategy: st.SearchStrategy[T]) -> st.SearchStrategy[T | None]:
    """``None`` or a value."""
    return st.none() | strategy


def roundtrips(parse: Callable[[str], Any]) -> Callable[[Any], bool]:
    """A filter: the value's ``text`` can be written (no trailing space) and parses back to the
    same value (the value classes store their MEDLINE text losslessly, but not every combination
    of parts has a text of its own: ``AuthorIdentifier("", "X")`` is ``"X: "``)."""
    return lambda value: can_represent(value.text) and parse(value.text) == value


# --------------------------------------------------------------------------------------------------
# Value classes.  Each ``*_FIELDS`` dict names a strategy for every attribute of its class, so that
# test_roundtrip can check nothing is left out.

AUTHOR_IDENTIFIER_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    # a scheme is one word with no ": " ("ORCID"); the value is anything
    "value": TEXT0,
    "source": opt(st.one_of(st.just("ORCID"), no(" ", SHORT_WORD).map(lambda s: s.rstrip(":")))),
}
AUTHOR_IDENTIFIERS = st.one_of(
    st.builds(AuthorIdentifier, **AUTHOR_IDENTIFIER_FIELDS),
    st.from_regex(r"\A\d{4}-\d{4}-\d{4}-\d{3}[\dX]\Z").map(lambda o: AuthorIdentifier(o, "ORCID")),
).filter(roundtrips(AuthorIdentifier.parse))

MESH_QUALIFIER_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "name": no("/", SHORT0),
    "major": st.booleans(),
    "qualifier_id": st.just(None),  # PubMed XML only: MEDLINE text never carries it
}
MESH_QUALIFIERS = st.builds(MeshQualifier, **MESH_QUALIFIER_FIELDS)
MESH_HEADING_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "descriptor": no("/", SHORT0),
    "major": st.booleans(),
    "qualifiers": st.lists(MESH_QUALIFIERS, max_size=3).map(tuple),
    "descriptor_id": st.just(None),  # PubMed XML only: MEDLINE text never carries it
}
MESH_HEADINGS = st.builds(MeshHeading, **MESH_HEADING_FIELDS).filter(roundtrips(MeshHeading.parse))

CHEMICAL_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "registry_number": st.sampled_from(["0", "38LVP0K73A", "9007-49-2", "EC 3.6.1.-"]) | SHORT0,
    "name": opt(TEXT0),
    "substance_id": st.just(None),  # PubMed XML only: MEDLINE text never carries it
}
CHEMICALS = st.builds(Chemical, **CHEMICAL_FIELDS).filter(roundtrips(Chemical.parse))

KEYWORD_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "term": TEXT0,
    "owner": opt(st.sampled_from(["NOTNLM", "NLM", "KIE", "NASA", "PIP", ""]) | SHORT),
    "major": st.booleans(),  # keywords() draws it where the term can carry it
}

_ACRONYM = st.from_regex(r"\A[A-Z]{1,6}_?\Z")
GRANT_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "grant_id": opt(st.sampled_from(["R01 CA12345", "MR/T044934/1", "26813", ""]) | SHORT),
    "acronym": opt(_ACRONYM),
    "agency": no("/", SHORT0),
    "country": opt(no("/", SHORT0)),
}


@st.composite
def grants(draw: st.DrawFn) -> Grant:
    """A grant of a shape GR can hold: ``Agency`` alone, or ``[id/][acronym/]agency/country`` (the
    country may be empty); parts left out are ``None``."""
    values = {name: draw(strategy) for name, strategy in GRANT_FIELDS.items()}
    if values["country"] is None:  # "Agency" alone: nothing else can be told apart
        values["grant_id"] = values["acronym"] = None
    return Grant(**values)


GRANTS = grants().filter(roundtrips(Grant.parse))

ARTICLE_ID_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "value": st.sampled_from(["10.5555/abc.2020.1", "S0140-6736(23)01962-1", "e0353121"]) | TEXT0,
    "type": opt(st.sampled_from(["doi", "pii", "bookaccession", "pmc", ""]) | no("[", SHORT)),
    "valid": st.just(True),  # PubMed XML only: MEDLINE text never carries it
}
ARTICLE_IDS = st.builds(ArticleId, **ARTICLE_ID_FIELDS).filter(roundtrips(ArticleId.parse))

ISSN_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "value": st.from_regex(r"\A\d{4}-\d{3}[\dX]\Z") | SHORT0,
    "type": opt(st.sampled_from(["Print", "Electronic", "Linking", ""]) | no("(", SHORT)),
}
ISSNS = st.builds(Issn, **ISSN_FIELDS).filter(roundtrips(Issn.parse))

JOURNAL_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "title": opt(TEXT0),
    "abbreviation": opt(SHORT0),
    "nlm_id": opt(st.from_regex(r"\A\d{7}R?\Z") | SHORT0),
    "issns": st.lists(ISSNS, max_size=3).map(tuple),
    "iso_abbreviation": st.just(None),  # PubMed XML only: MEDLINE text never carries it
}
JOURNALS = st.builds(Journal, **JOURNAL_FIELDS)

RELATION_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "kind": st.sampled_from(sorted(COMMENT_TAGS)),
    "citation": TEXT0,
    "pmid": opt(st.from_regex(r"\A[1-9]\d{0,8}\Z")),
}
RELATIONS = st.builds(Relation, **RELATION_FIELDS).filter(
    lambda r: can_represent(r.text) and Relation.parse(r.kind, r.text) == r
)

OTHER_ABSTRACT_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "text": LONG_TEXT | st.just(""),
    "language": opt(st.sampled_from(["eng", "spa", "fre", "ger", "jpn", ""]) | SHORT),
    "origin": st.just(None),  # PubMed XML only: MEDLINE text never carries it
    "sections": st.just(()),  # PubMed XML only: MEDLINE text never carries it
}
OTHER_ABSTRACTS = st.builds(OtherAbstract, **OTHER_ABSTRACT_FIELDS)

# -- dates -----------------------------------------------------------------------------------------

DATES = st.dates(datetime.date(1, 1, 1), datetime.date(9999, 12, 31))
#: Stamps carry minutes, no seconds (the format has none).
DATETIMES = st.datetimes(datetime.datetime(1, 1, 1), datetime.datetime(9999, 12, 31, 23, 59)).map(
    lambda d: d.replace(second=0, microsecond=0)
)
#: Texts that are no valid ``YYYYMMDD`` date, kept raw (an ``invalid-date`` diagnostic).
RAW_COMPACT = (
    st.sampled_from(["20201301", "20200230", "2020", "2020-01-01", "00000000"]) | SHORT0
).filter(lambda s: parse_compact_date(s) is None)
#: Texts that are no valid ``YYYY/MM/DD[ HH:MM]`` stamp.
RAW_STAMP = (
    st.sampled_from(["2004/00/03 00:00", "2020/01/01 25:00", "2000 Jan 5", "2015", "2020/1/1"])
    | SHORT0
).filter(lambda s: parse_stamp(s) is None)
DATE_VALUES: st.SearchStrategy[datetime.date | str] = DATES | RAW_COMPACT
STAMP_VALUES: st.SearchStrategy[datetime.datetime | datetime.date | str] = (
    DATETIMES | DATES | RAW_STAMP
)

PUB_DATE_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "year": opt(st.integers(1, 9999)),
    "month": opt(st.integers(1, 12)),
    "season": opt(st.sampled_from(sorted(SEASONS))),
    "day": opt(st.integers(1, 31)),
    "end_year": opt(st.integers(1, 9999)),
    "end_month": opt(st.integers(1, 12)),
    "end_season": opt(st.sampled_from(sorted(SEASONS))),
    "end_day": opt(st.integers(1, 31)),
    "raw": opt(TEXT),
}


@st.composite
def _pub_date_parts(draw: st.DrawFn) -> PubDate:
    """A PubDate from its parts (``raw`` is None: the text is PubMed's rendering of them)."""
    values = {name: draw(strategy) for name, strategy in PUB_DATE_FIELDS.items() if name != "raw"}
    if values["month"] is not None and values["season"] is not None:
        values[draw(st.sampled_from(["month", "season"]))] = None
    if values["end_month"] is not None and values["end_season"] is not None:
        values[draw(st.sampled_from(["end_month", "end_season"]))] = None
    if values["day"] is not None and values["month"] is None:
        values["day"] = None
    if values["end_day"] is not None and values["end_month"] is None and values["day"] is None:
        values["end_day"] = None
    return PubDate(**values)


_DP_WORD = st.sampled_from(
    [
        *MONTH_ABBREVIATIONS,
        *sorted(SEASONS),
        *("2020", "1999", "2000", "1", "9", "15", "31", "01", "-", "/", "Ago", "Sept", "March"),
        *("Jul-Aug", "Dec-2001", "2023", "0000", "32", "Mon"),
    ]
)
#: DP texts of every shape: canonical parts, PubMed's oddities and free text.
PUB_DATES: st.SearchStrategy[PubDate] = st.one_of(
    _pub_date_parts(),
    _pub_date_parts(),
    _pub_date_parts(),
    st.lists(_DP_WORD, min_size=1, max_size=5).map(" ".join).map(parse_pub_date),
    st.sampled_from(
        [
            "2023 Jul-Aug 01",
            "2018 Jul-Ago",
            "2000 Dec-2001 Jan",
            "1998 Spring-Summer",
            "2020 Winter",
            "2023 Jan 5-11",
            "2020 Mar/Apr",
            "Apr 2019",
            "2020-03-05",
            "2021 Feb 29",
            "1999-2000",
            "",
        ]
    ).map(parse_pub_date),
    # A raw text is kept only with the parts it states: a raw PubDate is a parsed text.
    PUB_DATE_FIELDS["raw"].filter(lambda raw: raw is not None).map(parse_pub_date),
).filter(lambda d: parse_pub_date(d.text) == d)

HISTORY_EVENT_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "status": st.sampled_from(
        ["received", "accepted", "pubmed", "medline", "entrez", "pmc-release"]
    )
    | no("[", SHORT0),
    "date": STAMP_VALUES,
}
HISTORY_EVENTS = st.builds(HistoryEvent, **HISTORY_EVENT_FIELDS).filter(
    lambda e: parse_history(format_history(e)) == e
)

# -- people ----------------------------------------------------------------------------------------

AUTHOR_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "full_name": opt(
        st.sampled_from(["Doe, Jane", "Nguyen, Thi Minh Khai", "Doe, John Jr"]) | SHORT0
    ),
    "name": opt(st.sampled_from(["Doe J", "Nguyen TMK", "Doe J Jr", "et al"]) | SHORT0),
    "collective_name": opt(TEXT0),
    "identifiers": st.lists(AUTHOR_IDENTIFIERS, max_size=2).map(tuple),
    "affiliations": st.lists(TEXT0, max_size=3).map(tuple),
    "affiliation_identifiers": st.just(()),  # PubMed XML only: MEDLINE text never carries it
    "valid": st.just(True),  # PubMed XML only: MEDLINE text never carries it
    "equal_contribution": st.just(None),  # PubMed XML only: MEDLINE text never carries it
}


@st.composite
def people(
    draw: st.DrawFn, *, groups: bool = False, affiliations: bool = True, max_size: int = 5
) -> tuple[Author, ...]:
    """A list of persons (and, with *groups*, groups): each has a name (FAU and/or AU) or is a
    group (CN, which has no personal names), with identifiers and affiliations.

    Only authors have groups: CN is an author tag, so a group among the editors, investigators or
    personal name subjects would read back as an author."""
    out = []
    for _ in range(draw(st.integers(0, max_size))):
        values = {name: draw(strategy) for name, strategy in AUTHOR_FIELDS.items()}
        if not affiliations:
            values["affiliations"] = ()
        if not groups:
            values["collective_name"] = None
        if values["collective_name"] is not None:
            values["full_name"] = values["name"] = None
        elif values["full_name"] is None and values["name"] is None:
            values["name"] = draw(SHORT0)
        out.append(Author(**values))
    return tuple(out)


def people_merge(persons: Sequence[Author], full_first: bool, pairs_both_ways: bool) -> bool:
    """Whether reading the list back would merge two persons into one.

    MEDLINE tells persons apart by position only: a short-name line right after a full-name line
    (``FAU`` then ``AU``) is the same person.  So a person with only a full name and nothing printed
    after it (no identifier, no affiliation), followed by a person with only a short name, reads
    back as one person.  Investigators (FIR/IR) and personal name subjects (FPS/PS) pair in either
    order, which adds the mirror case.  ``full_first`` is the order the writer prints the names in
    (FAU AU, FIR IR, but PS FPS).  This rule is written from the format, independently of the code
    under test.
    """

    def tags(person: Author) -> list[str]:
        if person.collective_name is not None:
            return ["CN"]
        names = [("full", person.full_name), ("short", person.name)]
        if not full_first:
            names.reverse()
        return [kind for kind, value in names if value is not None]

    for before, after in itertools.pairwise(persons):
        if before.identifiers or before.affiliations:
            continue
        last, first = tags(before)[-1], tags(after)[0]
        if last == "CN" or first == "CN" or last == first:
            continue
        # "after" pairs with "before" when its first name line fills an empty name slot of it
        fills = (first == "short" and before.name is None) or (
            first == "full" and before.full_name is None
        )
        if fills and (pairs_both_ways or last == ("full" if full_first else "short")):
            return True
    return False


# -- keywords ----------------------------------------------------------------------------------------


@st.composite
def keywords(draw: st.DrawFn) -> tuple[Keyword, ...]:
    """Keyword lists: maybe keywords with no owner first (OT lines with no OTO before them), then
    lists with an owner each (OTO, then its OT lines); owners may repeat in separate lists.

    A keyword with no owner after an owned one has no text form (an OT line belongs to the OTO
    above it), so there are none."""
    terms = st.lists(KEYWORD_FIELDS["term"], min_size=1, max_size=4)

    def keyword(term: str, owner: str | None) -> Keyword:
        # OT writes a major keyword with "*" before it, so a term that itself starts with "*" has
        # a text form only as a major keyword ("**x"), and an empty one none as a major keyword.
        starred = term.startswith("*") and len(term) > 1
        return Keyword(term, owner, starred or (bool(term) and draw(st.booleans())))

    out = [keyword(t, None) for t in draw(st.lists(KEYWORD_FIELDS["term"], max_size=3))]
    owner_strategy = KEYWORD_FIELDS["owner"].filter(lambda o: o is not None)
    for _ in range(draw(st.integers(0, 3))):
        owner = draw(owner_strategy)
        out.extend(keyword(term, owner) for term in draw(terms))
    return tuple(out)


# -- the article ---------------------------------------------------------------------------------------

#: Tags no registry lists, as other tools add them (``EP``, ``NR``, custom ones).
UNKNOWN_TAGS = st.from_regex(r"\A[A-Z][A-Z0-9]{0,3}\Z").filter(lambda t: t not in TAGS)

_LIST = st.lists(TEXT0, max_size=3).map(tuple)
_SHORT_LIST = st.lists(SHORT0, max_size=3).map(tuple)

#: A strategy for every attribute of Article (test_roundtrip checks none is missing).
ARTICLE_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "pmid": opt(st.from_regex(r"\A[1-9]\d{0,8}\Z") | SHORT0),
    "pmid_version": st.just(None),  # PubMed XML only: MEDLINE text never carries it
    "abstract_sections": st.just(()),  # PubMed XML only: MEDLINE text never carries it
    "publisher_dates": st.just(()),  # PubMed XML only: MEDLINE text never carries it
    "references": st.just(()),  # PubMed XML only: MEDLINE text never carries it
    "owner": opt(st.sampled_from(["NLM", "ERIC"]) | SHORT0),
    "status": opt(st.sampled_from(["MEDLINE", "PubMed-not-MEDLINE", "In-Process"]) | SHORT0),
    "publishing_model": opt(st.sampled_from(["Print", "Print-Electronic"]) | SHORT0),
    "created_date": opt(DATE_VALUES),
    "completed_date": opt(DATE_VALUES),
    "revised_date": opt(DATE_VALUES),
    "title": opt(LONG_TEXT | st.just("")),
    "transliterated_title": opt(TEXT0),
    "abstract": opt(LONG_TEXT | st.just("")),
    "copyright": opt(TEXT0),
    "other_copyrights": _LIST,
    "other_abstracts": st.lists(OTHER_ABSTRACTS, max_size=3).map(tuple),
    "conflict_of_interest": opt(TEXT0),
    "general_notes": _LIST,
    "authors": people(groups=True).filter(lambda p: not people_merge(p, True, False)),
    "affiliations": _LIST,
    "investigators": people().filter(lambda p: not people_merge(p, True, True)),
    "editors": people(max_size=3).filter(lambda p: not people_merge(p, True, False)),
    # XML's PersonalNameSubject has no affiliation, and the builder reads an AD after a PS as
    # belonging to nobody (Article.extra): personal name subjects are generated without one.
    "personal_name_subjects": people(affiliations=False, max_size=3).filter(
        lambda p: not people_merge(p, False, True)
    ),
    "journal": JOURNALS,
    "volume": opt(SHORT0),
    "issue": opt(SHORT0),
    "pagination": opt(st.sampled_from(["296-302", "e0353121", "S36-S41"]) | SHORT0),
    "publication_date": opt(PUB_DATES),
    "electronic_date": opt(DATE_VALUES),
    "place": opt(SHORT0),
    "languages": st.lists(st.sampled_from(["eng", "spa", "fre"]) | SHORT0, max_size=3).map(tuple),
    "publication_types": _SHORT_LIST,
    "publication_status": opt(st.sampled_from(["ppublish", "epublish", "aheadofprint"]) | SHORT0),
    "source": opt(TEXT0),
    "publisher": opt(SHORT0),
    "book_title": opt(TEXT0),
    "collection_titles": _LIST,
    "volume_titles": _LIST,
    "edition": opt(SHORT0),
    "chapters": _SHORT_LIST,
    "isbns": _SHORT_LIST,
    "book_revised_date": opt(DATE_VALUES),
    "contribution_date": opt(DATE_VALUES),
    "mesh": st.lists(MESH_HEADINGS, max_size=4).map(tuple),
    "keywords": keywords(),
    "chemicals": st.lists(CHEMICALS, max_size=3).map(tuple),
    "substance_names": _SHORT_LIST,
    "subsets": _SHORT_LIST,
    "gene_symbols": _SHORT_LIST,
    "secondary_source_ids": _SHORT_LIST,
    "space_flight_missions": _SHORT_LIST,
    "number_of_references": opt(SHORT0),
    "grants": st.lists(GRANTS, max_size=3).map(tuple),
    "relations": st.lists(RELATIONS, max_size=3).map(tuple),
    "article_ids": st.lists(ARTICLE_IDS, max_size=3).map(tuple),
    "location_ids": st.lists(ARTICLE_IDS, max_size=2).map(tuple),
    "pmc": opt(st.from_regex(r"\APMC\d{1,8}\Z") | SHORT0),
    "manuscript_ids": _SHORT_LIST,
    "other_ids": _SHORT_LIST,
    "entrez_date": opt(STAMP_VALUES),
    "mesh_date": opt(STAMP_VALUES),
    "create_date": opt(STAMP_VALUES),
    "legacy_create_date": opt(STAMP_VALUES),
    "pmc_release_date": opt(STAMP_VALUES),
    "history": st.lists(HISTORY_EVENTS, max_size=4).map(tuple),
    "extra": st.just(()),  # drawn in articles(): it depends on the other attributes
}

#: Scalar tags whose second occurrence goes to Article.extra, and the attribute of the first one.
REPEATED_SCALARS: dict[str, Callable[[Article], object]] = {
    "TI": lambda a: a.title,
    "AB": lambda a: a.abstract,
    "DP": lambda a: a.publication_date,
    "DCOM": lambda a: a.completed_date,
    "JT": lambda a: a.journal.title,
    "EDAT": lambda a: a.entrez_date,
    "VI": lambda a: a.volume,
    "SO": lambda a: a.source,
}


@st.composite
def extras(draw: st.DrawFn, article: Article) -> tuple[tuple[str, str], ...]:
    """Article.extra: unknown tags, PHST lines that are no history entry, and second values of
    tags that appear once (a second TI), in the order reading gives them: known tags in canonical
    order, unknown ones after (where a hand-built article's writer puts them)."""
    known: list[tuple[str, str]] = []
    for tag, present in REPEATED_SCALARS.items():
        if present(article) is not None and draw(st.integers(0, 5)) == 0:
            known.append((tag, draw(TEXT0)))
    if draw(st.integers(0, 4)) == 0:
        known.append(("PHST", draw(TEXT0.filter(lambda s: parse_history(s) is None))))
    known.sort(key=lambda item: canonical_position(item[0]))
    unknown = draw(st.lists(st.tuples(UNKNOWN_TAGS, TEXT0), max_size=3))
    return tuple(known + unknown)


@st.composite
def articles(draw: st.DrawFn) -> Article:
    """A hand-built article (no field order) with any attribute set, every value writable.

    Each attribute is drawn with a probability that varies from article to article (a sparse
    article, a full one); the others keep their default."""
    density = draw(st.sampled_from([10, 30, 60]))
    values = {
        name: draw(strategy)
        for name, strategy in ARTICLE_FIELDS.items()
        if draw(st.integers(0, 99)) < density
    }
    article = Article(**values)
    article = attrs.evolve(article, extra=draw(extras(article)))
    if article == Article():  # no field at all: nothing to write (see test_writer)
        article = Article(pmid=draw(ARTICLE_FIELDS["pmid"].filter(lambda p: p is not None)))
    return article

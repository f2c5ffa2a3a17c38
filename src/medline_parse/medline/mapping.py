"""Where each MEDLINE tag lives in an :class:`~medline_parse.model.Article`: the one table of it.

The builder (fields to article), the field emitter (article to fields), order recovery and the
documentation all read :data:`HOMES`; none of them names a tag's attribute on its own.  Each row
gives a tag's *kind* (how its text becomes a value and back) and its *attribute*:

========================  =======================================================================
kind                      attribute, and what the text is
========================  =======================================================================
``TEXT``                  an ``str | None`` attribute (``TI`` -> ``title``); a second value goes
                          to :attr:`~Article.extra`
``TEXTS``                 a ``tuple[str, ...]`` attribute (``LA`` -> ``languages``)
``VALUES``                a tuple of :attr:`HomeRow.value_class` values, each read with its
                          ``parse(text)`` and written as its ``.text`` (``MH`` -> ``mesh``)
``DATE``                  a ``YYYYMMDD`` date (``DCOM`` -> ``completed_date``)
``STAMP``                 a ``YYYY/MM/DD HH:MM`` stamp (``EDAT`` -> ``entrez_date``)
``PUB_DATE``              the publication date, a :class:`~medline_parse.PubDate` (``DP``)
``HISTORY``               the publication history, :class:`~medline_parse.HistoryEvent` s (``PHST``)
``RELATION``              ``relations``: a :class:`~medline_parse.Relation` whose kind is the tag
``PERSON``                a name line that starts a person (or completes the one before, see
                          :attr:`HomeRow.pairs_after`) in a list of people; :attr:`HomeRow.part`
                          names the :class:`~medline_parse.Author` attribute it fills
``PERSON_PART``           a line that belongs to the person before it (``AUID``, ``AD``, ``IRAD``),
                          when that person is in one of :attr:`HomeRow.people`
``KEYWORD``               ``keywords``: the list owner (``OTO``) or a term (``OT``)
``OTHER_ABSTRACT``        ``other_abstracts``: the text (``OAB``) or the language (``OABL``)
========================  =======================================================================

A dotted attribute (``journal.title``) belongs to the article's :class:`~medline_parse.Journal`.
Every tag of the registry (:data:`~medline_parse.medline.tags.TAGS`) has exactly one row; a tag the
registry does not know has none and is kept in :attr:`Article.extra`.  Which tags may repeat, their
group and their canonical order stay in the registry.  Not public API.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

import attrs

from ..model import ArticleId, AuthorIdentifier, Chemical, Grant, Issn, MeshHeading
from .tags import COMMENT_TAGS, TAGS

__all__ = ["HOMES", "HomeRow", "Kind", "part_tag", "people_lists", "row_of", "tags_of"]


class Kind(enum.IntEnum):
    """How a tag's text becomes a value of the model and back (see the module docstring)."""

    TEXT = 1
    TEXTS = 2
    VALUES = 3
    DATE = 4
    STAMP = 5
    PUB_DATE = 6
    HISTORY = 7
    RELATION = 8
    PERSON = 9
    PERSON_PART = 10
    KEYWORD = 11
    OTHER_ABSTRACT = 12


@attrs.frozen(slots=True)
class HomeRow:
    """Where one tag's values live in an article."""

    tag: str
    """The MEDLINE tag (``"FAU"``)."""
    kind: Kind
    """How its text becomes a value and back."""
    attribute: str
    """The :class:`~medline_parse.Article` attribute that holds it (``"journal.title"`` for an
    attribute of the journal).  ``PERSON``: the list of people; ``PERSON_PART``: where a line
    printed before any person goes (``"extra"`` when it has no home there)."""
    value_class: type[Any] | None = None
    """``VALUES`` and ``PERSON_PART``: the class that reads the text (``parse``) and writes it
    back (``text``); ``None`` for plain text."""
    part: str | None = None
    """``PERSON``, ``PERSON_PART``, ``KEYWORD`` and ``OTHER_ABSTRACT``: the attribute of the
    :class:`~medline_parse.Author`, :class:`~medline_parse.Keyword` or
    :class:`~medline_parse.OtherAbstract` it fills."""
    people: tuple[str, ...] = ()
    """``PERSON_PART``: the lists of people whose persons it belongs to; after a person of
    another list it goes to :attr:`Article.extra`."""
    pairs_after: str | None = None
    """``PERSON`` and ``OTHER_ABSTRACT``: the tag whose person (or abstract) it completes when
    printed right after it (``AU`` after ``FAU`` is the same author, ``AU`` after ``AU`` a second
    one; ``OABL`` after ``OAB`` is that abstract's language)."""


_ALL_PEOPLE = ("authors", "investigators", "editors", "personal_name_subjects")


def _rows() -> list[HomeRow]:
    k = Kind
    rows = [
        HomeRow("PMID", k.TEXT, "pmid"),
        HomeRow("OWN", k.TEXT, "owner"),
        HomeRow("STAT", k.TEXT, "status"),
        HomeRow("DA", k.DATE, "created_date"),
        HomeRow("DCOM", k.DATE, "completed_date"),
        HomeRow("DRDT", k.DATE, "book_revised_date"),
        HomeRow("LR", k.DATE, "revised_date"),
        HomeRow("CTDT", k.DATE, "contribution_date"),
        HomeRow("PB", k.TEXT, "publisher"),
        HomeRow("PUBM", k.TEXT, "publishing_model"),
        HomeRow("IS", k.VALUES, "journal.issns", Issn),
        HomeRow("ISBN", k.TEXTS, "isbns"),
        HomeRow("VI", k.TEXT, "volume"),
        HomeRow("IP", k.TEXT, "issue"),
        HomeRow("CTI", k.TEXTS, "collection_titles"),
        HomeRow("DP", k.PUB_DATE, "publication_date"),
        HomeRow("TI", k.TEXT, "title"),
        HomeRow("BTI", k.TEXT, "book_title"),
        HomeRow("VTI", k.TEXTS, "volume_titles"),
        HomeRow("EN", k.TEXT, "edition"),
        HomeRow("CP", k.TEXTS, "chapters"),
        HomeRow("PG", k.TEXT, "pagination"),
        HomeRow("LID", k.VALUES, "location_ids", ArticleId),
        HomeRow("AB", k.TEXT, "abstract"),
        HomeRow("CI", k.TEXT, "copyright"),
        HomeRow("OCI", k.TEXTS, "other_copyrights"),
        HomeRow("FED", k.PERSON, "editors", part="full_name"),
        HomeRow("ED", k.PERSON, "editors", part="name", pairs_after="FED"),
        HomeRow("FAU", k.PERSON, "authors", part="full_name"),
        HomeRow("AU", k.PERSON, "authors", part="name", pairs_after="FAU"),
        HomeRow(
            "AUID", k.PERSON_PART, "extra", AuthorIdentifier, "identifiers", people=_ALL_PEOPLE
        ),
        # An AD before any person is a record-level affiliation (legacy records).
        HomeRow("AD", k.PERSON_PART, "affiliations", None, "affiliations", ("authors", "editors")),
        HomeRow("CN", k.PERSON, "authors", part="collective_name"),
        HomeRow("LA", k.TEXTS, "languages"),
        HomeRow("SI", k.TEXTS, "secondary_source_ids"),
        HomeRow("GR", k.VALUES, "grants", Grant),
        HomeRow("PT", k.TEXTS, "publication_types"),
        HomeRow("TT", k.TEXT, "transliterated_title"),
        HomeRow("DEP", k.DATE, "electronic_date"),
        HomeRow("PL", k.TEXT, "place"),
        HomeRow("TA", k.TEXT, "journal.abbreviation"),
        HomeRow("JT", k.TEXT, "journal.title"),
        HomeRow("JID", k.TEXT, "journal.nlm_id"),
        HomeRow("RN", k.VALUES, "chemicals", Chemical),
        HomeRow("NM", k.TEXTS, "substance_names"),
        HomeRow("SB", k.TEXTS, "subsets"),
        HomeRow("GS", k.TEXTS, "gene_symbols"),
        *(HomeRow(tag, k.RELATION, "relations") for tag in COMMENT_TAGS),
        HomeRow("MH", k.VALUES, "mesh", MeshHeading),
        # Personal name subjects and investigators pair in either order (PS is printed first).
        HomeRow("PS", k.PERSON, "personal_name_subjects", part="name", pairs_after="FPS"),
        HomeRow("FPS", k.PERSON, "personal_name_subjects", part="full_name", pairs_after="PS"),
        HomeRow("RF", k.TEXT, "number_of_references"),
        HomeRow("PMC", k.TEXT, "pmc"),
        HomeRow("MID", k.TEXTS, "manuscript_ids"),
        HomeRow("OID", k.TEXTS, "other_ids"),
        HomeRow("OAB", k.OTHER_ABSTRACT, "other_abstracts", part="text"),
        HomeRow("OABL", k.OTHER_ABSTRACT, "other_abstracts", part="language", pairs_after="OAB"),
        HomeRow("OTO", k.KEYWORD, "keywords", part="owner"),
        HomeRow("OT", k.KEYWORD, "keywords", part="term"),
        HomeRow("COIS", k.TEXT, "conflict_of_interest"),
        HomeRow("SFM", k.TEXTS, "space_flight_missions"),
        HomeRow("FIR", k.PERSON, "investigators", part="full_name", pairs_after="IR"),
        HomeRow("IR", k.PERSON, "investigators", part="name", pairs_after="FIR"),
        HomeRow("IRAD", k.PERSON_PART, "extra", None, "affiliations", ("investigators",)),
        HomeRow("GN", k.TEXTS, "general_notes"),
        HomeRow("EDAT", k.STAMP, "entrez_date"),
        HomeRow("MHDA", k.STAMP, "mesh_date"),
        HomeRow("PMCR", k.STAMP, "pmc_release_date"),
        HomeRow("CRDT", k.STAMP, "create_date"),
        HomeRow("CDAT", k.STAMP, "legacy_create_date"),
        HomeRow("PHST", k.HISTORY, "history"),
        HomeRow("AID", k.VALUES, "article_ids", ArticleId),
        HomeRow("PST", k.TEXT, "publication_status"),
        HomeRow("SO", k.TEXT, "source"),
    ]
    return sorted(rows, key=lambda row: TAGS[row.tag].position)


HOMES: Mapping[str, HomeRow] = MappingProxyType({row.tag: row for row in _rows()})
"""Every registry tag and where its values live, iterating in canonical order."""


def row_of(kind: Kind, part: str | None = None) -> HomeRow:
    """The first row (canonical order) of *kind* (and *part*): ``row_of(Kind.KEYWORD, "owner")``
    is the row of ``OTO``."""
    for row in HOMES.values():
        if row.kind is kind and (part is None or row.part == part):
            return row
    raise LookupError(f"no tag of kind {kind.name} ({part})")


def people_lists() -> tuple[str, ...]:
    """The lists of people (``"editors"``, ``"authors"`` ...), in the canonical order of their
    first name tag."""
    return tuple(dict.fromkeys(row.attribute for row in HOMES.values() if row.kind is Kind.PERSON))


def tags_of(attribute: str, part: str | None = None) -> tuple[str, ...]:
    """The tags whose rows name *attribute* (and *part*), in canonical order: ``tags_of("authors",
    "full_name") == ("FAU",)``.  A person part counts for each list of people it belongs to."""
    return tuple(
        row.tag
        for row in HOMES.values()
        if (part is None or row.part == part)
        and (row.attribute == attribute or attribute in row.people)
    )


def part_tag(people: str, part: str) -> str:
    """The tag a person of the list *people* has its *part* written as (``"FIR"`` for the
    ``full_name`` of an investigator).

    A part no tag of the list holds (the affiliations of a personal name subject, the collective
    name of an investigator) is written with the authors' tag for it: read back, the line lands
    in :attr:`Article.extra` or among the authors, kept rather than dropped.
    """
    for candidate in (people, "authors"):
        found = tags_of(candidate, part)
        if found:
            return found[0]
    raise LookupError(f"no tag holds the {part} of a person")


RETIRED_TAGS: Final = frozenset({"DA", "PUBM"})
"""Tags PubMed's MEDLINE text stopped writing around 2016. An article with no remembered tag order
(read from PubMed XML, or built by hand) is written in today's layout, without them; their values
stay in the model and reach every other output."""

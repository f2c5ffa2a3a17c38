"""Helpers for the PubMed XML tests: where the fixtures are, and the view both formats share."""

from __future__ import annotations

from pathlib import Path

import attrs

from medline_parse import Article, Author

XML_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "xml"
CORPUS_XML = Path(__file__).resolve().parents[1].parent / "shared" / "corpus-xml"
CORPUS_TEXT = CORPUS_XML.parent / "corpus"
SKIP_CORPUS_XML = (
    "../shared/corpus-xml not found: the PubMed XML corpus tests need the shared folder beside "
    "the project (a fresh clone does not have it)"
)


def _person(person: Author) -> Author:
    return attrs.evolve(person, affiliation_identifiers=(), valid=True, equal_contribution=None)


def shared_view(article: Article) -> Article:
    """*article* with every value only PubMed XML carries set to its default, so that an article
    read from XML can be compared with the same record read from MEDLINE text."""
    return attrs.evolve(
        article,
        pmid_version=None,
        publishing_model=None,
        abstract_sections=(),
        publisher_dates=(),
        references=(),
        authors=tuple(_person(p) for p in article.authors),
        investigators=tuple(_person(p) for p in article.investigators),
        editors=tuple(_person(p) for p in article.editors),
        personal_name_subjects=tuple(_person(p) for p in article.personal_name_subjects),
        journal=attrs.evolve(article.journal, iso_abbreviation=None),
        mesh=tuple(
            attrs.evolve(
                heading,
                descriptor_id=None,
                qualifiers=tuple(attrs.evolve(q, qualifier_id=None) for q in heading.qualifiers),
            )
            for heading in article.mesh
        ),
        chemicals=tuple(attrs.evolve(c, substance_id=None) for c in article.chemicals),
        location_ids=tuple(attrs.evolve(i, valid=True) for i in article.location_ids),
        other_abstracts=tuple(
            attrs.evolve(o, origin=None, sections=()) for o in article.other_abstracts
        ),
    )

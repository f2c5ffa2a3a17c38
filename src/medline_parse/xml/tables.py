"""Fixed vocabularies of PubMed XML and what each word becomes in the model.

Element and attribute names are NLM's (pubmed_250101.dtd and its predecessors back to
pubmed_080101 and the MEDLINE citation DTDs); the values on the right are the model's, which are
MEDLINE's own words where the model has them (a relation's kind is its MEDLINE tag).
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "ARTICLE_ID_HOMES",
    "HISTORY_STAMPS",
    "MONTHS",
    "REFERENCE_KINDS",
    "RELATION_KINDS",
]

RELATION_KINDS: Final[dict[str, str]] = {
    "CommentOn": "CON",
    "CommentIn": "CIN",
    "ErratumIn": "EIN",
    "ErratumFor": "EFR",
    "CorrectedandRepublishedIn": "CRI",
    "CorrectedandRepublishedFrom": "CRF",
    "RetractionIn": "RIN",
    "RetractionOf": "ROF",
    "RetractedandRepublishedIn": "RRI",
    "RetractedandRepublishedFrom": "RRF",
    "RepublishedIn": "RPI",
    "RepublishedFrom": "RPF",
    "UpdateIn": "UIN",
    "UpdateOf": "UOF",
    "SummaryForPatientsIn": "SPIN",
    "OriginalReportIn": "ORI",
    "ExpressionOfConcernIn": "ECI",
    "ExpressionOfConcernFor": "ECF",
    "AssociatedDataset": "DDIN",
    "AssociatedPublication": "DRIN",
    "PartialRetractionIn": "PRIN",
    "PartialRetractionOf": "PROF",
    "ReprintIn": "RPI",
    "ReprintOf": "RPF",
}
"""``CommentsCorrections@RefType`` -> the relation's kind (its MEDLINE tag)."""

REFERENCE_KINDS: Final = frozenset({"Cites"})
"""``RefType`` values that list a cited work, not a comment or correction: they join
:attr:`~medline_parse.model.Article.references` (records from before ``<ReferenceList>``)."""

ARTICLE_ID_HOMES: Final[dict[str, str]] = {
    "doi": "article_ids",
    "pii": "article_ids",
    "bookaccession": "article_ids",
    "pmc": "pmc",
    "mid": "manuscript_ids",
    "pubmed": "",  # the record's own PMID again
}
"""``ArticleId@IdType`` -> where the identifier goes; other types go to ``article_ids`` too."""

HISTORY_STAMPS: Final[dict[str, str]] = {
    "pubmed": "entrez_date",
    "medline": "mesh_date",
    "entrez": "create_date",
}
"""History statuses whose date is also one of the article's stamps (EDAT, MHDA, CRDT)."""

MONTHS: Final[dict[str, int]] = {
    **{
        name: number
        for number, name in enumerate(
            ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
            1,
        )
    },
    **{str(number): number for number in range(1, 13)},
    **{f"{number:02d}": number for number in range(1, 10)},
}
"""Month words of ``<Month>`` (``Jan`` ... or ``1``/``01`` ...) -> 1..12."""

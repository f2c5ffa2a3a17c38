"""The registry of MEDLINE tags.

Every tag NLM documents (and a few legacy ones met in real files), in PubMed's canonical emission order
(``FORMAT.md`` §4).  Each entry says what the tag means, whether it may repeat within a record, which
group it belongs to (author block, investigator block, comments/corrections, ...) and its canonical
position.  Tags that are not in the registry are still valid data: :func:`lookup` returns ``None`` for
them and every layer of the library keeps them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

import attrs

__all__ = [
    "COMMENT_TAGS",
    "TAGS",
    "TagInfo",
    "canonical_position",
    "is_known",
    "is_tag_name",
    "lookup",
]


@attrs.frozen(slots=True)
class TagInfo:
    """What the registry knows of one tag."""

    tag: str
    """The tag as it stands in the file (``"FAU"``)."""
    name: str
    """NLM's name for it (``"Full Author"``)."""
    repeatable: bool
    """Whether a record may hold it more than once."""
    group: str
    """The block it belongs to: ``record``, ``record_dates``, ``journal``, ``book``, ``content``,
    ``author``, ``editor``, ``investigator``, ``classification``, ``comments_corrections``,
    ``subject``, ``identifiers``, ``other_abstract``, ``keywords`` or ``history``."""
    position: int
    """Its place in PubMed's canonical emission order (0 for PMID)."""


# tag, name, repeatable, group: rows in canonical order, from shared/spec/tags.tsv.
_ROWS: tuple[tuple[str, str, bool, str], ...] = (
    ("PMID", "PubMed Unique Identifier", False, "record"),
    ("OWN", "Owner", False, "record"),
    ("STAT", "Status", False, "record"),
    ("DA", "Date Created", False, "record_dates"),
    ("DCOM", "Date Completed", False, "record_dates"),
    ("DRDT", "Date Revised (book)", False, "record_dates"),
    ("LR", "Date Last Revised", False, "record_dates"),
    ("CTDT", "Contribution Date (book)", False, "record_dates"),
    ("PB", "Publisher (book)", False, "book"),
    ("PUBM", "Publishing Model", False, "record"),
    ("IS", "ISSN", True, "journal"),
    ("ISBN", "ISBN", True, "book"),
    ("VI", "Volume", False, "journal"),
    ("IP", "Issue", False, "journal"),
    ("CTI", "Collection Title", True, "book"),
    ("DP", "Date of Publication", False, "journal"),
    ("TI", "Title", False, "content"),
    ("BTI", "Book Title", False, "book"),
    ("VTI", "Volume Title", True, "book"),
    ("EN", "Edition", False, "book"),
    ("CP", "Chapter", True, "book"),
    ("PG", "Pagination", False, "journal"),
    ("LID", "Location Identifier", True, "journal"),
    ("AB", "Abstract", False, "content"),
    ("CI", "Copyright Information", False, "content"),
    ("OCI", "Other Copyright Information", True, "content"),
    ("FED", "Full Editor Name", True, "editor"),
    ("ED", "Editor", True, "editor"),
    ("FAU", "Full Author", True, "author"),
    ("AU", "Author", True, "author"),
    ("AUID", "Author Identifier", True, "author"),
    ("AD", "Affiliation", True, "author"),
    ("CN", "Corporate Author", True, "author"),
    ("LA", "Language", True, "classification"),
    ("SI", "Secondary Source ID", True, "classification"),
    ("GR", "Grant Number", True, "classification"),
    ("PT", "Publication Type", True, "classification"),
    ("TT", "Transliterated Title", False, "content"),
    ("DEP", "Date of Electronic Publication", False, "journal"),
    ("PL", "Place of Publication", False, "journal"),
    ("TA", "Journal Title Abbreviation", False, "journal"),
    ("JT", "Journal Title", False, "journal"),
    ("JID", "NLM Unique ID", False, "journal"),
    ("RN", "Registry Number/EC Number", True, "classification"),
    ("NM", "Substance Name", True, "classification"),
    ("SB", "Subset", True, "classification"),
    ("GS", "Gene Symbol", True, "classification"),
    ("CON", "Comment On", True, "comments_corrections"),
    ("CIN", "Comment In", True, "comments_corrections"),
    ("EIN", "Erratum In", True, "comments_corrections"),
    ("EFR", "Erratum For", True, "comments_corrections"),
    ("CRI", "Corrected and Republished In", True, "comments_corrections"),
    ("CRF", "Corrected and Republished From", True, "comments_corrections"),
    ("RIN", "Retraction In", True, "comments_corrections"),
    ("ROF", "Retraction Of", True, "comments_corrections"),
    ("RRI", "Retracted and Republished In", True, "comments_corrections"),
    ("RRF", "Retracted and Republished From", True, "comments_corrections"),
    ("RPI", "Republished In", True, "comments_corrections"),
    ("RPF", "Republished From", True, "comments_corrections"),
    ("UIN", "Update In", True, "comments_corrections"),
    ("UOF", "Update Of", True, "comments_corrections"),
    ("SPIN", "Summary for Patients In", True, "comments_corrections"),
    ("ORI", "Original Report In", True, "comments_corrections"),
    ("ECI", "Expression of Concern In", True, "comments_corrections"),
    ("ECF", "Expression of Concern For", True, "comments_corrections"),
    ("DDIN", "Dataset Described In", True, "comments_corrections"),
    ("DRIN", "Dataset Use Reported In", True, "comments_corrections"),
    ("PRIN", "Partial Retraction In", True, "comments_corrections"),
    ("PROF", "Partial Retraction Of", True, "comments_corrections"),
    ("MH", "MeSH Terms", True, "subject"),
    ("PS", "Personal Name as Subject", True, "subject"),
    ("FPS", "Full Personal Name as Subject", True, "subject"),
    ("RF", "Number of References", False, "identifiers"),
    ("PMC", "PubMed Central Identifier", False, "identifiers"),
    ("MID", "Manuscript Identifier", True, "identifiers"),
    ("OID", "Other ID", True, "identifiers"),
    ("OAB", "Other Abstract", True, "other_abstract"),
    ("OABL", "Other Abstract Language", True, "other_abstract"),
    ("OTO", "Other Term Owner", True, "keywords"),
    ("OT", "Other Term", True, "keywords"),
    ("COIS", "Conflict of Interest Statement", False, "content"),
    ("SFM", "Space Flight Mission", True, "classification"),
    ("FIR", "Full Investigator Name", True, "investigator"),
    ("IR", "Investigator", True, "investigator"),
    ("IRAD", "Investigator Affiliation", True, "investigator"),
    ("GN", "General Note", True, "content"),
    ("EDAT", "Entrez Date", False, "history"),
    ("MHDA", "MeSH Date", False, "history"),
    ("PMCR", "PubMed Central Release", False, "history"),
    ("CRDT", "Create Date", False, "history"),
    ("CDAT", "Create Date (legacy book records)", False, "history"),
    ("PHST", "Publication History Status", True, "history"),
    ("AID", "Article Identifier", True, "identifiers"),
    ("PST", "Publication Status", False, "identifiers"),
    ("SO", "Source", False, "journal"),
)

TAGS: Mapping[str, TagInfo] = MappingProxyType(
    {
        tag: TagInfo(tag, name, repeatable, group, position)
        for position, (tag, name, repeatable, group) in enumerate(_ROWS)
    }
)
"""Every known tag, keyed by tag, iterating in canonical order."""

COMMENT_TAGS: frozenset[str] = frozenset(
    tag for tag, info in TAGS.items() if info.group == "comments_corrections"
)
"""The comments/corrections tags (``CIN``, ``EIN``, ``UOF`` ...)."""

_TAG_NAME = re.compile(r"[A-Z][A-Z0-9]{0,3}\Z")


def lookup(tag: str) -> TagInfo | None:
    """The registry entry for *tag*, or ``None`` for a tag NLM does not document."""
    return TAGS.get(tag)


def is_known(tag: str) -> bool:
    """Whether *tag* is in the registry."""
    return tag in TAGS


def is_tag_name(tag: str) -> bool:
    """Whether *tag* has the shape of a MEDLINE tag: one to four capitals or digits, starting with a
    capital.  Unknown tags of this shape are kept as data."""
    return _TAG_NAME.match(tag) is not None


def canonical_position(tag: str) -> int:
    """The tag's place in canonical order; unknown tags sort after every known one."""
    info = TAGS.get(tag)
    return info.position if info is not None else len(TAGS)

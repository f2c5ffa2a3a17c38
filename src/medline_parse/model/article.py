"""The typed model: immutable articles and the values they are made of.

Every class is an ``attrs`` frozen, slotted value class; collections are tuples.  Nothing here knows
a format: the MEDLINE builder fills these classes from records, the writer turns them back into
fields, and the PubMed XML reader fills the same classes (plus the values only XML carries:
MeSH unique IDs, abstract sections, affiliation identifiers, references ...).

Each value class parses its MEDLINE string losslessly: ``X.parse(text).text == text`` for every text,
so a record read and written back is unchanged, while the parts (a MeSH descriptor and its
qualifiers, a grant's agency, an identifier's type) are typed attributes that can be edited with
:func:`attrs.evolve`.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import ItemsView, Iterable, Iterator, KeysView, Mapping, ValuesView
from typing import Any, Protocol, overload

import attrs

from ..errors import Diagnostic
from .dates import HistoryEvent, PubDate
from .pickling import by_construction

by_construction(Diagnostic)  # errors.py cannot import the model; its values are pickled here

__all__ = [
    "AbstractSection",
    "Article",
    "ArticleId",
    "Author",
    "AuthorIdentifier",
    "Chemical",
    "DateValue",
    "Grant",
    "HistoryEvent",
    "Issn",
    "Journal",
    "Keyword",
    "MeshHeading",
    "MeshQualifier",
    "OtherAbstract",
    "PubDate",
    "Reference",
    "Relation",
    "StampValue",
    "TagView",
    "register_tag_view",
]

DateValue = datetime.date | str
"""A ``YYYYMMDD`` date (DCOM, LR, DEP ...): a :class:`datetime.date`, or the raw text when the value
is no valid date (a diagnostic says so)."""
StampValue = datetime.datetime | datetime.date | str
"""An EDAT/MHDA/CRDT/PMCR stamp: a :class:`datetime.datetime` when it has a time, a
:class:`datetime.date` otherwise, or the raw text when it is no valid date."""

# Generational suffixes.  NLM writes them as Jr, Sr, 2nd, 3rd, 4th; Roman numerals (other tools) are
# suffixes only where they cannot be initials: "Ivanov IV" and "Le Moing V" are initials, so a Roman
# numeral counts only after initials in a short name ("Smith J III") or after a fore name in a full
# name ("Smith, John III"), and "V" never does (it is a common middle initial: "Conti, David V").
_SUFFIXES = frozenset({"Jr", "Sr", "2nd", "3rd", "4th", "5th", "Jr.", "Sr."})
_ROMAN_SUFFIXES = frozenset({"II", "III", "IV"})
_INITIALS = re.compile(r"[A-Z]+\Z")
_ORCID = re.compile(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])")


def _tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    return value if isinstance(value, tuple) else tuple(value)


def _optional_tuple(value: Iterable[str] | None) -> tuple[str, ...] | None:
    return None if value is None else _tuple(value)


def _pairs(value: Iterable[Iterable[str]]) -> tuple[tuple[str, str], ...]:
    pairs = []
    for item in value:
        tag, text = item
        pairs.append((tag, text))
    return tuple(pairs)


# -- people --------------------------------------------------------------------------------------


@by_construction
@attrs.frozen(slots=True)
class AuthorIdentifier:
    """An author identifier (AUID), such as ``ORCID: 0000-0002-2815-7558``."""

    value: str
    """The identifier itself (``"0000-0002-2815-7558"``)."""
    source: str | None = None
    """The scheme before ``": "`` (``"ORCID"``), or ``None`` when the text names none."""

    @classmethod
    def parse(cls, text: str) -> AuthorIdentifier:
        """Split ``"SOURCE: value"``; text of another shape is kept whole as the value."""
        source, sep, value = text.partition(": ")
        if sep and source and " " not in source:
            return cls(value, source)
        return cls(text)

    @property
    def text(self) -> str:
        """The AUID value as MEDLINE writes it."""
        return f"{self.source}: {self.value}" if self.source is not None else self.value

    @property
    def orcid(self) -> str | None:
        """The bare ORCID iD (``0000-0002-2815-7558``) when this is one, else ``None``."""
        if self.source is not None and self.source.upper() != "ORCID":
            return None
        match = _ORCID.search(self.value)
        if match is None:
            return None
        if self.source is None and "orcid" not in self.value.lower():
            return None
        return match.group(1)

    def __str__(self) -> str:
        return self.text


def _identifiers(values: Iterable[AuthorIdentifier | str]) -> tuple[AuthorIdentifier, ...]:
    if type(values) is tuple and str not in map(type, values):
        return values  # the common case, on the parse hot path
    return tuple(AuthorIdentifier.parse(v) if isinstance(v, str) else v for v in values)


def _identifier_lists(
    values: Iterable[Iterable[AuthorIdentifier | str]],
) -> tuple[tuple[AuthorIdentifier, ...], ...]:
    return tuple(_identifiers(_tuple(v)) for v in values)


@by_construction
@attrs.frozen(slots=True)
class Author:
    """A person or a group in an author, investigator, editor or personal-subject list.

    Authors come from FAU/AU (or CN for a group), investigators from FIR/IR, editors from FED/ED,
    personal name subjects from FPS/PS.  The MEDLINE strings are stored as they are; the name parts
    (:attr:`last_name`, :attr:`fore_name`, :attr:`initials`, :attr:`suffix`) are read from them.
    Build one from parts with :meth:`from_parts`.
    """

    full_name: str | None = None
    """Full name, ``"Last, Fore Names"`` (FAU, FIR, FED, FPS); ``None`` before 2002."""
    name: str | None = None
    """Short name, ``"Last Initials"`` (AU, IR, ED, PS)."""
    collective_name: str | None = None
    """The group's name for a collective author (CN); it keeps its place in the list."""
    identifiers: tuple[AuthorIdentifier, ...] = attrs.field(default=(), converter=_identifiers)
    """Identifiers (AUID) printed after the name, in order (strings are read with
    :meth:`AuthorIdentifier.parse`)."""
    affiliations: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    """Every affiliation (AD, or IRAD for investigators) printed after the name, in order."""
    affiliation_identifiers: tuple[tuple[AuthorIdentifier, ...], ...] = attrs.field(
        default=(), converter=_identifier_lists
    )
    """The identifiers of each affiliation (ROR, GRID, ISNI ...), one tuple per affiliation in the
    same order; empty when the source gives none (MEDLINE text never does)."""
    valid: bool = True
    """Whether the source marks the name as valid; PubMed keeps names it found to be wrong (a
    misspelling later corrected) but marks them invalid."""
    equal_contribution: bool | None = None
    """``True`` when the source marks this person as an equal contributor, ``False`` when it marks
    them as not one, ``None`` when it does not say (MEDLINE text never does)."""

    @classmethod
    def from_parts(
        cls,
        last_name: str,
        fore_name: str | None = None,
        initials: str | None = None,
        suffix: str | None = None,
        *,
        identifiers: Iterable[AuthorIdentifier | str] = (),
        affiliations: Iterable[str] = (),
    ) -> Author:
        """An author built from name parts; initials are derived from the fore name if not given.

        ``Author.from_parts("Doe", "Jane Q")`` gives ``full_name="Doe, Jane Q"``, ``name="Doe JQ"``;
        a one-word name gives both names as that word, as PubMed writes them.
        A fore name ending in a generational word (``"John Jr"``) with no ``suffix`` given is
        read as that suffix, since PubMed's names could not tell the two apart.
        """
        if suffix is None and fore_name:
            given, space, last_word = fore_name.rpartition(" ")
            if space and given and last_word in _SUFFIXES | _ROMAN_SUFFIXES:
                fore_name, suffix = given, last_word
        if initials is None and fore_name:
            initials = "".join(part[0] for part in re.split(r"[\s-]+", fore_name) if part)
        full = f"{last_name}, {fore_name}" if fore_name else last_name
        short = f"{last_name} {initials}" if initials else last_name
        if suffix:
            full += f" {suffix}"
            short += f" {suffix}"
        return cls(
            full if fore_name or not initials else None,
            short,
            None,
            _identifiers(identifiers),
            affiliations,
        )

    @classmethod
    def collective(cls, name: str, affiliations: Iterable[str] = ()) -> Author:
        """A collective (group) author."""
        return cls(collective_name=name, affiliations=tuple(affiliations))

    @property
    def is_collective(self) -> bool:
        """Whether this is a group (CN) rather than a person."""
        return self.collective_name is not None

    @property
    def is_et_al(self) -> bool:
        """Whether this entry is the "et al." of old records."""
        return (self.name or "").strip(" .").lower() == "et al"

    def _short_suffix(self) -> str | None:
        words = (self.name or "").split(" ")
        last_word = words[-1]
        if len(words) >= 2 and last_word in _SUFFIXES:
            return last_word
        if len(words) >= 3 and last_word in _ROMAN_SUFFIXES and _INITIALS.match(words[-2]):
            return last_word
        return None

    def _full_suffix(self) -> str | None:
        _, sep, fore = (self.full_name or "").partition(", ")
        words = fore.split(" ")
        if sep and len(words) >= 2 and words[-1] in _SUFFIXES | _ROMAN_SUFFIXES:
            return words[-1]
        return None

    @property
    def suffix(self) -> str | None:
        """A generational suffix (``Jr``, ``3rd``, ``III`` ...) where the names carry one."""
        return self._short_suffix() or self._full_suffix()

    @property
    def last_name(self) -> str | None:
        """The family name: before the comma of the full name, else read from the short name."""
        if self.full_name:
            last, sep, _ = self.full_name.partition(", ")
            return last if sep else self.full_name
        if self.name and not self.is_et_al:
            name = self.name
            suffix = self._short_suffix()
            if suffix:
                name = name[: -len(suffix) - 1]
            last, sep, _ = name.rpartition(" ")
            return last if sep else name
        return None

    @property
    def fore_name(self) -> str | None:
        """The given names, from the full name (``None`` when only the short name is known)."""
        if not self.full_name:
            return None
        _, sep, fore = self.full_name.partition(", ")
        if not sep:
            return None
        suffix = self._full_suffix()
        if suffix:
            fore = fore[: -len(suffix) - 1]
        return fore or None

    @property
    def initials(self) -> str | None:
        """The initials, from the short name (``"JA"`` in ``"Casbon JA"``)."""
        if not self.name or self.is_et_al:
            return None
        name = self.name
        suffix = self._short_suffix()
        if suffix:
            name = name[: -len(suffix) - 1]
        last = self.last_name
        if last and name.startswith(last + " "):
            return name[len(last) + 1 :] or None
        _, sep, initials = name.rpartition(" ")
        return initials if sep else None

    @property
    def orcid(self) -> str | None:
        """The first ORCID iD among the identifiers, or ``None``."""
        for identifier in self.identifiers:
            orcid = identifier.orcid
            if orcid is not None:
                return orcid
        return None

    @property
    def display_name(self) -> str:
        """The best name to show: full name, short name, or the group's name."""
        return self.full_name or self.name or self.collective_name or ""

    def __str__(self) -> str:
        return self.display_name


# -- subjects, chemicals, keywords ----------------------------------------------------------------


@by_construction
@attrs.frozen(slots=True)
class MeshQualifier:
    """A MeSH subheading, with its own major-topic flag (``/*methods``)."""

    name: str
    """The subheading (``"methods"``), without the ``*``."""
    major: bool = False
    """Whether the descriptor with this subheading is a major topic (``*`` before it)."""
    qualifier_id: str | None = None
    """The qualifier's MeSH unique identifier (``"Q000379"``), when the source gives it."""


@functools.lru_cache(maxsize=1024)  # about 80 subheadings, each with and without "*"
def _mesh_qualifier(text: str) -> MeshQualifier:
    """A qualifier as MH writes it after a "/" (immutable, so one instance serves every heading)."""
    return MeshQualifier(text[1:], True) if text.startswith("*") else MeshQualifier(text)


@by_construction
@attrs.frozen(slots=True)
class MeshHeading:
    """A MeSH heading (MH): ``[*]Descriptor[/[*]qualifier]...``; ``*`` marks a major topic."""

    descriptor: str
    """The descriptor (``"Neoplasms"``), without the ``*``."""
    major: bool = False
    """Whether the descriptor itself is a major topic."""
    qualifiers: tuple[MeshQualifier, ...] = attrs.field(default=(), converter=_tuple)
    """The subheadings after it, in order."""
    descriptor_id: str | None = None
    """The descriptor's MeSH unique identifier (``"D009369"``), when the source gives it."""

    @classmethod
    def parse(cls, text: str) -> MeshHeading:
        """Read an MH value; ``MeshHeading.parse(t).text == t`` for every text."""
        descriptor, *rest = text.split("/")
        major = descriptor.startswith("*")
        qualifiers = tuple([_mesh_qualifier(q) for q in rest])
        return cls(descriptor[1:] if major else descriptor, major, qualifiers)

    @property
    def text(self) -> str:
        """The MH value as MEDLINE writes it."""
        out = ("*" if self.major else "") + self.descriptor
        for qualifier in self.qualifiers:
            out += ("/*" if qualifier.major else "/") + qualifier.name
        return out

    @property
    def is_major(self) -> bool:
        """Whether the heading is a major topic, on the descriptor or on any qualifier."""
        return self.major or any(q.major for q in self.qualifiers)

    def __str__(self) -> str:
        return self.text


@by_construction
@attrs.frozen(slots=True)
class Chemical:
    """A substance (RN): registry number (UNII, CAS, ``EC n.n.n.n`` or ``0``) and its name."""

    registry_number: str
    """The number before the name: a UNII, a CAS number, ``EC n.n.n.n``, or ``0`` when none."""
    name: str | None = None
    """The substance's name (in parentheses in MEDLINE), or ``None`` when the text has none."""
    substance_id: str | None = None
    """The MeSH unique identifier of the substance's name (``"D000077185"``), when the source
    gives it."""

    @classmethod
    def parse(cls, text: str) -> Chemical:
        """Split ``"<number> (<name>)"``; other text is kept whole as the registry number."""
        number, sep, rest = text.partition(" (")
        if sep and rest.endswith(")"):
            return cls(number, rest[:-1])
        return cls(text)

    @property
    def text(self) -> str:
        """The RN value as MEDLINE writes it."""
        return (
            f"{self.registry_number} ({self.name})"
            if self.name is not None
            else self.registry_number
        )

    def __str__(self) -> str:
        return self.text


@by_construction
@attrs.frozen(slots=True)
class Keyword:
    """A keyword (OT) and the owner of its list (OTO: ``NOTNLM`` for author keywords)."""

    term: str
    """The keyword as printed."""
    owner: str | None = None
    """The owner of the list it belongs to (the OTO before it: ``NOTNLM``, ``NLM``, ``NASA``
    ...), or ``None`` when no OTO precedes it."""
    major: bool = False
    """Whether the keyword is a major topic (``*`` before it in MEDLINE)."""

    @property
    def text(self) -> str:
        """The OT value as MEDLINE writes it: the term, after a ``*`` when it is a major topic."""
        return f"*{self.term}" if self.major else self.term

    def __str__(self) -> str:
        return self.term


@by_construction
@attrs.frozen(slots=True)
class Grant:
    """A grant (GR): ``[GrantID/][Acronym/]Agency/Country``, read from the right.

    The grant ID may itself contain ``/``, and the country may be empty; absent parts are ``None``.
    Joining the present parts with ``/`` gives back the text, so nothing is lost when a split is
    ambiguous.
    """

    grant_id: str | None = None
    """The grant or contract number (``"R01 CA123456"``); may itself contain ``/``."""
    acronym: str | None = None
    """The institute's acronym (``"CA"``), when given."""
    agency: str | None = None
    """The funding agency (``"NCI NIH HHS"``)."""
    country: str | None = None
    """The agency's country (``"United States"``); may be empty."""

    @classmethod
    def parse(cls, text: str) -> Grant:
        """Read a GR value; ``Grant.parse(t).text == t`` for every text."""
        parts = text.split("/")
        if len(parts) == 1:
            return cls(agency=text)
        country = parts[-1]
        agency = parts[-2]
        head = parts[:-2]
        acronym = None
        if (len(head) >= 2 and _ACRONYM.match(head[-1])) or (
            len(head) == 1 and _ACRONYM.match(head[0])
        ):
            acronym = head.pop()
        grant_id = "/".join(head) if head else None
        return cls(grant_id, acronym, agency, country)

    @property
    def text(self) -> str:
        """The GR value as MEDLINE writes it."""
        return "/".join(
            part
            for part in (self.grant_id, self.acronym, self.agency, self.country)
            if part is not None
        )

    def __str__(self) -> str:
        return self.text


# Grant acronyms are NIH institute codes and funder codes: "CA", "NCI", "CRUK_", "MRC_", "WT_".
_ACRONYM = re.compile(r"[A-Z]{1,6}_?\Z")


# -- identifiers ----------------------------------------------------------------------------------


@by_construction
@attrs.frozen(slots=True)
class ArticleId:
    """An article identifier (AID) or location identifier (LID): ``<value> [<type>]``.

    The type (``doi``, ``pii``, ``bookaccession`` ...) is ``None`` for an untyped LID.
    """

    value: str
    """The identifier itself (``"10.1000/xyz123"``)."""
    type: str | None = None
    """The kind in brackets (``"doi"``, ``"pii"``, ``"bookaccession"`` ...), or ``None``."""
    valid: bool = True
    """Whether the source marks the identifier as valid (a location identifier the publisher
    got wrong is kept but marked invalid)."""

    @classmethod
    def parse(cls, text: str) -> ArticleId:
        """Read an AID/LID value; ``ArticleId.parse(t).text == t`` for every text."""
        if text.endswith("]"):
            value, sep, kind = text[:-1].rpartition(" [")
            if sep and "[" not in kind:
                return cls(value, kind)
        return cls(text)

    @property
    def text(self) -> str:
        """The value as MEDLINE writes it."""
        return f"{self.value} [{self.type}]" if self.type is not None else self.value

    def __str__(self) -> str:
        return self.text


@by_construction
@attrs.frozen(slots=True)
class Issn:
    """An ISSN (IS) with its type: ``Print``, ``Electronic`` or ``Linking``."""

    value: str
    """The ISSN (``"1234-5678"``)."""
    type: str | None = None
    """``"Print"``, ``"Electronic"`` or ``"Linking"`` (in parentheses in MEDLINE), or ``None``."""

    @classmethod
    def parse(cls, text: str) -> Issn:
        """Read an IS value; ``Issn.parse(t).text == t`` for every text."""
        if text.endswith(")"):
            value, sep, kind = text[:-1].rpartition(" (")
            if sep and "(" not in kind:
                return cls(value, kind)
        return cls(text)

    @property
    def text(self) -> str:
        """The IS value as MEDLINE writes it."""
        return f"{self.value} ({self.type})" if self.type is not None else self.value

    def __str__(self) -> str:
        return self.text


@by_construction
@attrs.frozen(slots=True)
class Journal:
    """The journal: title (JT), abbreviation (TA), NLM ID (JID) and ISSNs (IS)."""

    title: str | None = None
    """The full journal title (JT)."""
    abbreviation: str | None = None
    """The NLM title abbreviation (TA), as in ``"J Biol Chem"``."""

    nlm_id: str | None = None
    """The NLM catalog ID of the journal (JID)."""
    issns: tuple[Issn, ...] = attrs.field(default=(), converter=_tuple)
    """Every ISSN (IS), in record order."""
    iso_abbreviation: str | None = None
    """The ISO 4 title abbreviation (``"J Biol Chem"``), when the source gives it."""

    def issn(self, kind: str | None = None) -> str | None:
        """The ISSN of *kind* (``"Print"``, ``"Electronic"``, ``"Linking"``), or the first one."""
        for issn in self.issns:
            if kind is None or issn.type == kind:
                return issn.value
        return None


# -- relations, other abstracts -------------------------------------------------------------------

_RELATION_NAMES = {
    "CON": "Comment on",
    "CIN": "Comment in",
    "EIN": "Erratum in",
    "EFR": "Erratum for",
    "CRI": "Corrected and republished in",
    "CRF": "Corrected and republished from",
    "RIN": "Retraction in",
    "ROF": "Retraction of",
    "RRI": "Retracted and republished in",
    "RRF": "Retracted and republished from",
    "RPI": "Republished in",
    "RPF": "Republished from",
    "UIN": "Update in",
    "UOF": "Update of",
    "SPIN": "Summary for patients in",
    "ORI": "Original report in",
    "ECI": "Expression of concern in",
    "ECF": "Expression of concern for",
    "DDIN": "Dataset described in",
    "DRIN": "Dataset use reported in",
    "PRIN": "Partial retraction in",
    "PROF": "Partial retraction of",
}
_PMID_SUFFIX = ". PMID: "


def _is_pmid(text: str) -> bool:
    return text.isascii() and text.isdigit()


@by_construction
@attrs.frozen(slots=True)
class Relation:
    """A comment or correction link (CIN, EIN, RIN, UOF ...): its kind, citation and cited PMID."""

    kind: str
    """The MEDLINE tag naming the relation (``"CIN"`` = comment in)."""
    citation: str
    """The cited source (``"Lancet. 2023 Nov 18;402(10415):1806-1807. doi: ..."``)."""
    pmid: str | None = None
    """The cited record's PMID, when given."""

    @classmethod
    def parse(cls, kind: str, text: str) -> Relation:
        """Read a comments/corrections value; ``Relation.parse(k, t).text == t``."""
        citation, sep, pmid = text.rpartition(_PMID_SUFFIX)
        if sep and citation and _is_pmid(pmid):
            return cls(kind, citation, pmid)
        if text.startswith("PMID: ") and _is_pmid(text[6:]):
            return cls(kind, "", text[6:])
        return cls(kind, text)

    @property
    def text(self) -> str:
        """The value as MEDLINE writes it."""
        if self.pmid is None:
            return self.citation
        if not self.citation:
            return f"PMID: {self.pmid}"
        return f"{self.citation}{_PMID_SUFFIX}{self.pmid}"

    @property
    def kind_name(self) -> str:
        """The relation in words (``"Erratum in"``)."""
        return _RELATION_NAMES.get(self.kind, self.kind)

    def __str__(self) -> str:
        return self.text


@by_construction
@attrs.frozen(slots=True)
class AbstractSection:
    """One labelled section of a structured abstract (``BACKGROUND: ...``)."""

    text: str
    """The section's text, without its label."""
    label: str | None = None
    """The label as the journal printed it (``"PATIENTS AND METHODS"``), or ``None``."""
    category: str | None = None
    """NLM's category for the label: ``BACKGROUND``, ``OBJECTIVE``, ``METHODS``, ``RESULTS``,
    ``CONCLUSIONS`` or ``UNASSIGNED``; ``None`` when the source gives none."""


@by_construction
@attrs.frozen(slots=True)
class Reference:
    """A work in the article's reference list: its citation as printed and its identifiers."""

    citation: str
    """The citation text (``"Nature. 2001;409:860-921."``)."""
    article_ids: tuple[ArticleId, ...] = attrs.field(default=(), converter=_tuple)
    """Identifiers of the cited work (types ``pubmed``, ``doi``, ``pmc`` ...)."""


@by_construction
@attrs.frozen(slots=True)
class OtherAbstract:
    """An abstract in another language or from another source (OAB) and its language (OABL)."""

    text: str
    """The abstract (OAB)."""
    language: str | None = None
    """Its language (OABL, ``"eng"``, ``"spa"`` ...), or ``None`` when no OABL follows it."""
    origin: str | None = None
    """Who wrote or supplied it (``"Publisher"``, ``"NASA"``, ``"KIE"`` ...), when the source says."""
    sections: tuple[AbstractSection, ...] = attrs.field(default=(), converter=_tuple)
    """Its labelled sections, when the source gives them (see :attr:`Article.abstract_sections`)."""


# -- the article ----------------------------------------------------------------------------------


class TagView(Protocol):
    """How a format shows an article as tagged fields (``article["AU"]``).

    The model knows no format; the MEDLINE text package registers its view with
    :func:`register_tag_view` when it is imported, so the dependency points down the pipe.
    """

    def values(self, article: Article, tag: str) -> str | list[str]:
        """The value(s) of *tag*, ``KeyError`` when the article has none."""
        ...

    def fields(self, article: Article) -> dict[str, str | list[str]]:
        """Every tag of the article in record order, with its value(s) as :meth:`values` gives."""
        ...


_TAG_VIEWS: list[TagView] = []


def register_tag_view(view: TagView) -> None:
    """Make *view* the one that answers ``article[tag]`` (the MEDLINE package does this)."""
    _TAG_VIEWS[:] = [view]


def _tag_view() -> TagView:
    if not _TAG_VIEWS:  # pragma: no cover - medline_parse/__init__ imports the MEDLINE package
        raise LookupError("no tag view registered: import medline_parse")
    return _TAG_VIEWS[0]


def _t(default: tuple[Any, ...] = ()) -> Any:
    return attrs.field(default=default, converter=_tuple)


@by_construction
@attrs.frozen(slots=True)
class Article:
    """One PubMed record, typed.

    Every MEDLINE tag has a home here: known tags in typed attributes, unknown ones in :attr:`extra`,
    in order.  All attributes are optional, so a hand-built ``Article(pmid="1", title="...")`` is
    valid; edit with :func:`attrs.evolve`.  :attr:`diagnostics` and :attr:`field_order` travel with
    the article but are not part of equality.

    An article is also a read-only mapping of its MEDLINE tags, as Biopython's ``Bio.Medline``
    records are: ``article["AU"]`` and ``article.get("AB")`` give a tag's values (a list of strings
    for tags that repeat, a string for the others), ``"MH" in article``, ``len(article)``,
    ``list(article)``, ``keys()``, ``values()``, ``items()`` and ``dict(article)`` go over its tags
    in record order.  (Unlike an empty dict, an article with no field is still true.)  For a
    table with one row per article, use :func:`medline_parse.to_dataframe`.
    """

    # record
    pmid: str | None = None
    """PubMed ID (PMID)."""
    pmid_version: int | None = None
    """The version of the record under its PMID (1 for nearly all records; a publisher may
    replace a record with version 2 ...); ``None`` when the source does not say, as in MEDLINE
    text."""
    owner: str | None = None
    """Owner (OWN): ``NLM`` for PubMed records."""
    status: str | None = None
    """Status (STAT): ``MEDLINE``, ``PubMed-not-MEDLINE``, ``In-Process``, ``Publisher`` ..."""
    publishing_model: str | None = None
    """Publishing model (PUBM), legacy records only."""
    created_date: DateValue | None = None
    """Date created (DA), legacy records only."""
    completed_date: DateValue | None = None
    """Date completed (DCOM)."""
    revised_date: DateValue | None = None
    """Date last revised (LR)."""

    # content
    title: str | None = None
    """Article title (TI)."""
    transliterated_title: str | None = None
    """Title in the original language, transliterated (TT)."""
    abstract: str | None = None
    """Abstract (AB); structured abstracts keep their inline labels."""
    abstract_sections: tuple[AbstractSection, ...] = _t()
    """The abstract's sections with their labels and NLM categories, in order, when the source
    gives them apart (PubMed XML does; in MEDLINE text they are only inline in
    :attr:`abstract`)."""
    copyright: str | None = None
    """Copyright information (CI)."""
    other_copyrights: tuple[str, ...] = _t()
    """Other copyright information (OCI)."""
    other_abstracts: tuple[OtherAbstract, ...] = _t()
    """Other abstracts (OAB) with their languages (OABL)."""
    conflict_of_interest: str | None = None
    """Conflict of interest statement (COIS)."""
    general_notes: tuple[str, ...] = _t()
    """General notes (GN)."""

    # people
    authors: tuple[Author, ...] = _t()
    """Authors in order (FAU/AU with AUID and AD; CN groups at their place)."""
    affiliations: tuple[str, ...] = _t()
    """Record-level affiliations: AD printed before any author (legacy records)."""
    investigators: tuple[Author, ...] = _t()
    """Investigators (FIR/IR with AUID and IRAD)."""
    editors: tuple[Author, ...] = _t()
    """Editors (FED/ED), mostly of books."""
    personal_name_subjects: tuple[Author, ...] = _t()
    """People the article is about (PS/FPS)."""

    # publication
    journal: Journal = attrs.field(factory=Journal)
    """The journal (JT, TA, JID, IS)."""
    volume: str | None = None
    """Volume (VI)."""
    issue: str | None = None
    """Issue (IP)."""
    pagination: str | None = None
    """Pagination (PG), verbatim: ``"296-302"``, ``"e0353121"``."""
    publication_date: PubDate | None = None
    """Date of publication (DP): what the text states, nothing invented."""
    electronic_date: DateValue | None = None
    """Date of electronic publication (DEP)."""
    publisher_dates: tuple[HistoryEvent, ...] = _t()
    """The dates the publisher gave for forms of the article, each with its kind (``Electronic``:
    published online), in source order; empty when the source gives none (MEDLINE text keeps only
    :attr:`electronic_date`)."""
    place: str | None = None
    """Place of publication (PL): a country for journals, a city for books."""
    languages: tuple[str, ...] = _t()
    """Languages (LA), ISO 639-2 codes such as ``eng``."""
    publication_types: tuple[str, ...] = _t()
    """Publication types (PT)."""
    publication_status: str | None = None
    """Publication status (PST): ``ppublish``, ``epublish``, ``aheadofprint``."""
    source: str | None = None
    """Source citation (SO), as PubMed composes it."""

    # book
    publisher: str | None = None
    """Publisher (PB), book records."""
    book_title: str | None = None
    """Book title (BTI)."""
    collection_titles: tuple[str, ...] = _t()
    """Collection titles (CTI)."""
    volume_titles: tuple[str, ...] = _t()
    """Volume titles (VTI)."""
    edition: str | None = None
    """Edition (EN)."""
    chapters: tuple[str, ...] = _t()
    """Chapters (CP)."""
    isbns: tuple[str, ...] = _t()
    """ISBNs."""
    book_revised_date: DateValue | None = None
    """Date revised of a book record (DRDT)."""
    contribution_date: DateValue | None = None
    """Contribution date of a book record (CTDT)."""

    # indexing
    mesh: tuple[MeshHeading, ...] = _t()
    """MeSH headings (MH) in the record's order."""
    keywords: tuple[Keyword, ...] = _t()
    """Keywords (OT) with their list owner (OTO)."""
    chemicals: tuple[Chemical, ...] = _t()
    """Substances (RN)."""
    substance_names: tuple[str, ...] = _t()
    """Supplementary concept names (NM)."""
    subsets: tuple[str, ...] = _t()
    """Citation subsets (SB)."""
    gene_symbols: tuple[str, ...] = _t()
    """Gene symbols (GS), 1991-1996 records."""
    secondary_source_ids: tuple[str, ...] = _t()
    """Databank accessions (SI): ``ClinicalTrials.gov/NCT04102098``."""
    space_flight_missions: tuple[str, ...] = _t()
    """Space flight missions (SFM)."""
    number_of_references: str | None = None
    """Number of references (RF), legacy records."""

    # links
    grants: tuple[Grant, ...] = _t()
    """Grants (GR)."""
    relations: tuple[Relation, ...] = _t()
    """Comments and corrections (CIN, EIN, RIN, UOF ...), in order."""
    references: tuple[Reference, ...] = _t()
    """The works the article cites, in order, when the source lists them (MEDLINE text does
    not)."""
    article_ids: tuple[ArticleId, ...] = _t()
    """Article identifiers (AID): doi, pii, bookaccession."""
    location_ids: tuple[ArticleId, ...] = _t()
    """Location identifiers (LID): doi, pii, or an untyped article number."""
    pmc: str | None = None
    """PubMed Central ID (PMC), ``PMC`` + digits."""
    manuscript_ids: tuple[str, ...] = _t()
    """Author manuscript IDs (MID)."""
    other_ids: tuple[str, ...] = _t()
    """Other IDs (OID)."""

    # history
    entrez_date: StampValue | None = None
    """Entrez date (EDAT)."""
    mesh_date: StampValue | None = None
    """MeSH date (MHDA)."""
    create_date: StampValue | None = None
    """Create date (CRDT)."""
    legacy_create_date: StampValue | None = None
    """The CDAT of a few legacy book records, where CRDT would be."""
    pmc_release_date: StampValue | None = None
    """PubMed Central release date (PMCR)."""
    history: tuple[HistoryEvent, ...] = _t()
    """Publication history (PHST) in source order (not sorted)."""

    # everything else
    extra: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_pairs)
    """Fields with no typed home, in order, as ``(tag, value)``: tags the registry does not know,
    and repeats of tags that appear once per record (a second TI)."""

    diagnostics: tuple[Diagnostic, ...] = attrs.field(default=(), eq=False, converter=_tuple)
    """Problems met while reading this article (not part of equality)."""
    field_order: tuple[str, ...] | None = attrs.field(
        default=None, eq=False, repr=False, converter=_optional_tuple
    )
    """The tags in the order the source had them, so the writer can keep that order (not part of
    equality): ``None`` for a hand-built article, empty for one read from PubMed XML (which the
    writer lays out as PubMed writes that record today, without the legacy DA and PUBM)."""

    # -- convenience ----------------------------------------------------------------------------

    @property
    def doi(self) -> str | None:
        """The DOI: from AID ``[doi]``, else from LID ``[doi]``."""
        for identifier in self.article_ids:
            if identifier.type == "doi":
                return identifier.value
        for identifier in self.location_ids:
            if identifier.type == "doi":
                return identifier.value
        return None

    @property
    def pii(self) -> str | None:
        """The publisher item identifier: AID ``[pii]``, else LID ``[pii]``."""
        for identifier in (*self.article_ids, *self.location_ids):
            if identifier.type == "pii":
                return identifier.value
        return None

    @property
    def pmcid(self) -> str | None:
        """The PubMed Central ID (PMC), or an AID ``[pmc]`` when the record has one."""
        if self.pmc is not None:
            return self.pmc
        for identifier in self.article_ids:
            if identifier.type == "pmc":
                return identifier.value
        return None

    @property
    def year(self) -> int | None:
        """The publication year (from DP); ``None`` when DP states none."""
        return self.publication_date.year if self.publication_date is not None else None

    @property
    def major_mesh(self) -> tuple[MeshHeading, ...]:
        """The MeSH headings that are major topics."""
        return tuple(heading for heading in self.mesh if heading.is_major)

    @property
    def is_book(self) -> bool:
        """Whether this is a book or book chapter record."""
        return self.book_title is not None or self.publisher is not None

    @overload
    def get(self, tag: str) -> str | list[str] | None: ...
    @overload
    def get(self, tag: str, default: Any) -> Any: ...
    def get(self, tag: str, default: Any = None) -> Any:
        """The value(s) of *tag* (``"AU"``, ``"MH"``, ``"AB"``), or *default* when absent."""
        try:
            return self[tag]
        except KeyError:
            return default

    def __getitem__(self, tag: str) -> str | list[str]:
        """The value(s) of *tag*: a list for tags that repeat, a string otherwise (``KeyError`` when
        the article has no such field)."""
        return _tag_view().values(self, tag)

    def __contains__(self, tag: object) -> bool:
        return isinstance(tag, str) and self.get(tag) is not None

    def _tags(self) -> dict[str, str | list[str]]:
        return _tag_view().fields(self)

    def __iter__(self) -> Iterator[str]:
        """The article's tags, in record order (each once)."""
        return iter(self._tags())

    def __len__(self) -> int:
        """How many different tags the article has."""
        return len(self._tags())

    def __bool__(self) -> bool:
        return True

    def keys(self) -> KeysView[str]:
        """The article's tags, in record order."""
        return self._tags().keys()

    def values(self) -> ValuesView[str | list[str]]:
        """The value(s) of each tag, in record order."""
        return self._tags().values()

    def items(self) -> ItemsView[str, str | list[str]]:
        """``(tag, value(s))`` for each tag, in record order."""
        return self._tags().items()


Mapping.register(Article)

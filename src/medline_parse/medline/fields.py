"""The model seen as MEDLINE fields: which tag each attribute of an :class:`Article` is written as.

:func:`article_fields` lists an article's fields in PubMed's canonical order (``FORMAT.md`` §4);
:func:`ordered_fields` follows the order the article was read in (:attr:`Article.field_order`)
wherever that order still fits the article's content.  The writer and ``article["AU"]`` use these.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from itertools import chain, combinations, islice, product

from ..model import Article, Author, DateValue, StampValue
from ..model.dates import format_compact_date, format_history, format_stamp
from .tags import TAGS, canonical_position

__all__ = ["FieldItem", "article_fields", "ordered_fields", "tag_values"]

FieldItem = tuple[str, str]

# Owner kinds for the attachment check: which earlier field a field belongs to.
_NONE = 0


def _date(value: DateValue) -> str:
    return value if isinstance(value, str) else format_compact_date(value)


def _stamp(value: StampValue) -> str:
    if isinstance(value, str):
        return value
    return format_stamp(value)


class _Emitter:
    """Collects fields with the entity each belongs to, for the attachment check."""

    __slots__ = ("extras", "fields", "owners")

    def __init__(self) -> None:
        self.fields: list[FieldItem] = []
        # (owner id, starts the owner) per field; owner 0 = belongs to nothing in particular.
        self.owners: list[tuple[int, bool]] = []
        self.extras: set[int] = set()  # indexes of the fields that come from Article.extra

    def add(
        self,
        tag: str,
        value: str | None,
        owner: int = _NONE,
        starts: bool = False,
        extra: bool = False,
    ) -> None:
        if value is not None:
            if extra:
                self.extras.add(len(self.fields))
            self.fields.append((tag, value))
            self.owners.append((owner, starts))


def _people(
    out: _Emitter,
    people: tuple[Author, ...],
    full_tag: str,
    short_tag: str,
    affiliation_tag: str,
    next_id: int,
    short_first: bool = False,
) -> int:
    for person in people:
        next_id += 1
        if person.collective_name is not None:
            out.add("CN", person.collective_name, next_id, True)
        elif short_first:
            out.add(short_tag, person.name, next_id, True)
            out.add(full_tag, person.full_name, next_id, person.name is None)
        else:
            out.add(full_tag, person.full_name, next_id, True)
            out.add(short_tag, person.name, next_id, person.full_name is None)
        for identifier in person.identifiers:
            out.add("AUID", identifier.text, next_id)
        for affiliation in person.affiliations:
            out.add(affiliation_tag, affiliation, next_id)
    return next_id


def _emit(article: Article) -> _Emitter:
    a = article
    out = _Emitter()
    add = out.add
    extra_known: defaultdict[str, list[str]] = defaultdict(list)
    extra_unknown: list[FieldItem] = []
    for tag, value in a.extra:
        if tag in TAGS:
            extra_known[tag].append(value)
        else:
            extra_unknown.append((tag, value))

    def scalar(tag: str, value: str | None) -> None:
        add(tag, value)
        for more in extra_known.pop(tag, ()):
            add(tag, more, extra=True)

    def many(tag: str, values: tuple[str, ...]) -> None:
        for value in values:
            add(tag, value)
        for more in extra_known.pop(tag, ()):
            add(tag, more, extra=True)

    scalar("PMID", a.pmid)
    scalar("OWN", a.owner)
    scalar("STAT", a.status)
    # DA and PUBM left PubMed's MEDLINE text around 2016; an article read from XML (an empty
    # field_order: no tag order) is written as PubMed writes that record today, without them.
    legacy = a.field_order != ()
    scalar("DA", None if a.created_date is None or not legacy else _date(a.created_date))
    scalar("DCOM", None if a.completed_date is None else _date(a.completed_date))
    scalar("DRDT", None if a.book_revised_date is None else _date(a.book_revised_date))
    scalar("LR", None if a.revised_date is None else _date(a.revised_date))
    scalar("CTDT", None if a.contribution_date is None else _date(a.contribution_date))
    scalar("PB", a.publisher)
    scalar("PUBM", a.publishing_model if legacy else None)
    many("IS", tuple(issn.text for issn in a.journal.issns))
    many("ISBN", a.isbns)
    scalar("VI", a.volume)
    scalar("IP", a.issue)
    many("CTI", a.collection_titles)
    scalar("DP", None if a.publication_date is None else a.publication_date.text)
    scalar("TI", a.title)
    scalar("BTI", a.book_title)
    many("VTI", a.volume_titles)
    scalar("EN", a.edition)
    many("CP", a.chapters)
    scalar("PG", a.pagination)
    many("LID", tuple(i.text for i in a.location_ids))
    scalar("AB", a.abstract)
    scalar("CI", a.copyright)
    many("OCI", a.other_copyrights)
    # Record-level AD of legacy records: before any person (after an editor it would read back as
    # that editor's affiliation).
    for affiliation in a.affiliations:
        add("AD", affiliation, -1)
    # Identifiers and investigator affiliations that belonged to no person: before any person,
    # where they read back as belonging to none.
    for tag in ("AUID", "IRAD"):
        for more in extra_known.pop(tag, ()):
            add(tag, more, -1, extra=True)
    next_id = _people(out, a.editors, "FED", "ED", "AD", 0)
    next_id = _people(out, a.authors, "FAU", "AU", "AD", next_id)
    for tag in ("FED", "ED", "FAU", "AU", "AUID", "CN"):
        for more in extra_known.pop(tag, ()):
            add(tag, more, extra=True)
    # An AD the builder could give to no author followed an investigator or a personal name
    # subject: write it after those, where it reads back as belonging to none again.
    stray_affiliations = extra_known.pop("AD", [])
    if not (a.investigators or a.personal_name_subjects):
        for more in stray_affiliations:
            add("AD", more, extra=True)
    many("LA", a.languages)
    many("SI", a.secondary_source_ids)
    many("GR", tuple(g.text for g in a.grants))
    many("PT", a.publication_types)
    scalar("TT", a.transliterated_title)
    scalar("DEP", None if a.electronic_date is None else _date(a.electronic_date))
    scalar("PL", a.place)
    scalar("TA", a.journal.abbreviation)
    scalar("JT", a.journal.title)
    scalar("JID", a.journal.nlm_id)
    many("RN", tuple(c.text for c in a.chemicals))
    many("NM", a.substance_names)
    many("SB", a.subsets)
    many("GS", a.gene_symbols)
    for relation in a.relations:
        add(relation.kind, relation.text)
    many("MH", tuple(h.text for h in a.mesh))
    next_id = _people(out, a.personal_name_subjects, "FPS", "PS", "AD", next_id, short_first=True)
    if a.personal_name_subjects and not a.investigators:
        for more in stray_affiliations:
            add("AD", more, -2, extra=True)
    scalar("RF", a.number_of_references)
    scalar("PMC", a.pmc)
    many("MID", a.manuscript_ids)
    many("OID", a.other_ids)
    for other in a.other_abstracts:
        next_id += 1
        add("OAB", other.text, next_id, True)
        add("OABL", other.language, next_id)
    owner: str | None = None
    keyword_list_id = _NONE
    for index, keyword in enumerate(a.keywords):
        if keyword.owner is not None and (index == 0 or keyword.owner != owner):
            next_id += 1
            add("OTO", keyword.owner, next_id, True)
        owner = keyword.owner
        if owner is not None:
            keyword_list_id = next_id
        add("OT", keyword.text, next_id if keyword.owner is not None else keyword_list_id)
    scalar("COIS", a.conflict_of_interest)
    many("SFM", a.space_flight_missions)
    next_id = _people(out, a.investigators, "FIR", "IR", "IRAD", next_id)
    if a.investigators:
        for more in stray_affiliations:
            add("AD", more, -2, extra=True)
    many("GN", a.general_notes)
    scalar("EDAT", None if a.entrez_date is None else _stamp(a.entrez_date))
    scalar("MHDA", None if a.mesh_date is None else _stamp(a.mesh_date))
    scalar("PMCR", None if a.pmc_release_date is None else _stamp(a.pmc_release_date))
    scalar("CRDT", None if a.create_date is None else _stamp(a.create_date))
    scalar("CDAT", None if a.legacy_create_date is None else _stamp(a.legacy_create_date))
    many("PHST", tuple(format_history(event) for event in a.history))
    many("AID", tuple(i.text for i in a.article_ids))
    scalar("PST", a.publication_status)
    scalar("SO", a.source)
    # Repeats of known tags whose attribute was not emitted (the first one is missing), then
    # unknown tags, at the end in canonical order.
    for tag in sorted(extra_known, key=canonical_position):
        for value in extra_known[tag]:
            add(tag, value, extra=True)
    for tag, value in extra_unknown:
        add(tag, value, extra=True)
    return out


def article_fields(article: Article) -> list[FieldItem]:
    """The article's ``(tag, value)`` fields in PubMed's canonical order."""
    return _emit(article).fields


_PERSON_START = frozenset({"FAU", "AU", "CN", "FIR", "IR", "FED", "ED", "FPS", "PS"})
# As the builder reads them: a tag joins the person before it when printed right after this partner.
_PAIR_AFTER = {"AU": "FAU", "ED": "FED", "IR": "FIR", "FIR": "IR", "PS": "FPS", "FPS": "PS"}


def _fits(fields: list[FieldItem], owners: list[tuple[int, bool]], order: list[int]) -> bool:
    """Whether writing the fields in *order* attaches every field to its own person, keyword list
    or other abstract, as the builder will read them back."""
    person = 0  # owner of the current person (0: none yet)
    names: dict[int | None, set[str]] = {}  # the name tags written so far, per person
    keyword_list = _NONE
    previous: int | None = None
    for index in order:
        tag = fields[index][0]
        owner = owners[index][0]
        before = fields[previous][0] if previous is not None else ""
        same_as_before = previous is not None and owners[previous][0] == owner
        if tag in _PERSON_START:
            previous_owner = owners[previous][0] if previous is not None else None
            if before == _PAIR_AFTER.get(tag) and tag not in names.get(previous_owner, ()):
                if not same_as_before:
                    return False  # would be read as the partner of the person before
            elif owner in names:
                return False  # a person's second name field, apart from its first
            person = owner
            names.setdefault(owner, set()).add(tag)
        elif tag in ("AUID", "AD", "IRAD"):
            if owner != person and not (owner == -1 and person == 0):
                return False
        elif tag == "OTO":
            keyword_list = owner
        elif tag == "OT":
            if owner != keyword_list:
                return False
        elif tag == "OABL" and not same_as_before:
            return False
        previous = index
    return True


def ordered_fields(article: Article) -> list[FieldItem]:
    """The article's fields in the order it was read in, where that order still fits its content.

    Fields are matched to the remembered order tag by tag (the n-th AU to the n-th AU); fields the
    order does not know (added since) go next to their canonical neighbours.  When the result would
    attach an affiliation, identifier or keyword to the wrong owner, canonical order is used.
    """
    emitted = _emit(article)
    fields = emitted.fields
    order_tags = article.field_order
    if not order_tags:
        return fields
    by_tag: defaultdict[str, list[int]] = defaultdict(list)
    for index, (tag, _) in enumerate(fields):
        by_tag[tag].append(index)
    extras = emitted.extras
    # Which occurrence of a tag went to Article.extra is not remembered: with extras, also try
    # their other possible places among the tag's occurrences (a bounded number of them).
    attempts = chain([by_tag], _extra_placements(by_tag, extras)) if extras else [by_tag]
    for slots_by_tag in attempts:
        sequence = _sequence(order_tags, slots_by_tag, len(fields))
        if sequence == sorted(sequence):
            return fields
        reordered = [fields[index] for index in sequence]
        # With extras the quick check cannot see their order: read the fields back instead.
        if (not extras and _fits(fields, emitted.owners, sequence)) or _rebuilds_to(
            reordered, article
        ):
            return reordered
    return fields


_MAX_PLACEMENTS = 64


def _extra_placements(
    by_tag: defaultdict[str, list[int]], extras: set[int]
) -> Iterator[defaultdict[str, list[int]]]:
    """Each repeatable tag's field indexes reordered so that its extra values (values that could
    not be typed) take every possible place among its occurrences (at most ``_MAX_PLACEMENTS``)."""
    choices: list[list[tuple[str, list[int]]]] = []
    for tag, slots in by_tag.items():
        kept = [i for i in slots if i in extras]
        info = TAGS.get(tag)
        if not kept or len(kept) == len(slots) or (info is not None and not info.repeatable):
            continue  # a tag that appears once keeps its first value; the extras come after it
        others = [i for i in slots if i not in extras]
        options = []
        for places in islice(combinations(range(len(slots)), len(kept)), _MAX_PLACEMENTS):
            from_kept, from_others = iter(kept), iter(others)
            options.append(
                (
                    tag,
                    [
                        next(from_kept) if k in places else next(from_others)
                        for k in range(len(slots))
                    ],
                )
            )
        choices.append(options)
    for combination in islice(product(*choices), _MAX_PLACEMENTS):
        variant = defaultdict(list, by_tag)
        variant.update(combination)
        yield variant


def _sequence(
    order_tags: tuple[str, ...], by_tag: defaultdict[str, list[int]], count: int
) -> list[int]:
    """The canonical field indexes in remembered order, unknown ones next to their neighbours."""
    cursor: defaultdict[str, int] = defaultdict(int)
    sequence: list[int] = []
    for tag in order_tags:
        slots = by_tag.get(tag)
        if slots is None:
            continue
        position = cursor[tag]
        if position < len(slots):
            sequence.append(slots[position])
            cursor[tag] = position + 1
    if len(sequence) != count:
        used = set(sequence)
        for index in range(count):
            if index in used:
                continue
            # after the last placed field that comes before it canonically, else first
            best = -1
            for at, placed in enumerate(sequence):
                if placed < index and (best == -1 or placed > sequence[best]):
                    best = at
            sequence.insert(best + 1, index)
    return sequence


def _rebuilds_to(fields: list[FieldItem], article: Article) -> bool:
    # The exact test, for the rare orders the quick check above cannot vouch for (stray fields
    # kept in Article.extra): reading the fields back must give the same article.
    from .builder import build_from_fields

    return build_from_fields(fields) == article


def iter_tag_values(article: Article, tag: str) -> Iterator[str]:
    """The values of every *tag* field of the article, in canonical order."""
    for field_tag, value in article_fields(article):
        if field_tag == tag:
            yield value


def tag_values(article: Article, tag: str) -> str | list[str]:
    """``article[tag]``: a list for repeatable (or unknown) tags, a string for the others."""
    values = list(iter_tag_values(article, tag))
    if not values:
        raise KeyError(tag)
    info = TAGS.get(tag)
    if info is not None and not info.repeatable:
        return values[0]
    return values

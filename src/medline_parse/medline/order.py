"""Order recovery: writing an article's fields in the order it was read in.

An article read from text remembers its tags in order (:attr:`Article.field_order`); the emitter
(:mod:`~medline_parse.medline.fields`) gives its fields in canonical order.  :func:`ordered_fields`
matches the two tag by tag and keeps the remembered order when it still fits the article's
content: a quick check that every person part, keyword and other-abstract language stays with its
owner, or, where values kept in :attr:`Article.extra` make that check blind, reading the fields
back with the builder.  This is the writer's business, so it lives here and the emitter needs no
builder.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from itertools import chain, combinations, islice, product
from operator import itemgetter

from ..model import Article
from .builder import build_from_fields
from .fields import NO_OWNER, FieldItem, emit_fields
from .mapping import HOMES, Kind, row_of
from .tags import TAGS

__all__ = ["ordered_fields"]

_PERSON_START = frozenset(tag for tag, row in HOMES.items() if row.kind is Kind.PERSON)
_PERSON_PARTS = frozenset(tag for tag, row in HOMES.items() if row.kind is Kind.PERSON_PART)
# As the builder reads them: a tag joins the person before it when printed right after this partner.
_PAIR_AFTER = {
    tag: row.pairs_after
    for tag, row in HOMES.items()
    if row.kind is Kind.PERSON and row.pairs_after is not None
}
_KEYWORD_OWNER = row_of(Kind.KEYWORD, "owner").tag
_KEYWORD_TERM = row_of(Kind.KEYWORD, "term").tag
_OTHER_ABSTRACT_LANGUAGE = row_of(Kind.OTHER_ABSTRACT, "language").tag
_TAG_OF = itemgetter(0)


def _fits(fields: list[FieldItem], owners: list[tuple[int, bool]], order: list[int]) -> bool:
    """Whether writing the fields in *order* attaches every field to its own person, keyword list
    or other abstract, as the builder will read them back."""
    person = 0  # owner of the current person (0: none yet)
    names: dict[int | None, set[str]] = {}  # the name tags written so far, per person
    keyword_list = NO_OWNER
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
        elif tag in _PERSON_PARTS:
            if owner != person and not (owner == -1 and person == 0):
                return False
        elif tag == _KEYWORD_OWNER:
            keyword_list = owner
        elif tag == _KEYWORD_TERM:
            if owner != keyword_list:
                return False
        elif tag == _OTHER_ABSTRACT_LANGUAGE and not same_as_before:
            return False
        previous = index
    return True


def ordered_fields(article: Article) -> list[FieldItem]:
    """The article's fields in the order it was read in, where that order still fits its content.

    Fields are matched to the remembered order tag by tag (the n-th AU to the n-th AU); fields the
    order does not know (added since) go next to their canonical neighbours.  When the result would
    attach an affiliation, identifier or keyword to the wrong owner, canonical order is used.
    """
    emitted = emit_fields(article)
    fields = emitted.fields
    order_tags = article.field_order
    if not order_tags:
        return fields
    if len(fields) == len(order_tags) and tuple(map(_TAG_OF, fields)) == order_tags:
        # The article still has the fields it was read with, in the order they were emitted (most
        # articles read from text): matching tag by tag gives every field its own place.
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
    return build_from_fields(fields) == article

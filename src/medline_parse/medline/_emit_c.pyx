# cython: language_level=3, boundscheck=False, wraparound=False
"""The field emitter: the compiled kernel (``_emit.py`` is its specification, and holds the
tables this module reads).

The same walk over the steps, with the step codes as C ints, the fields appended through the C
list API, and the dates and stamps of the ``datetime`` classes written with C digit loops (any
other value, a subclass included, goes to the model's own formatting functions).
"""

from cpython.datetime cimport (
    PyDate_CheckExact,
    PyDateTime_CheckExact,
    date_day,
    date_month,
    date_year,
    datetime_hour,
    datetime_minute,
    import_datetime,
)
from cpython.list cimport PyList_GET_ITEM, PyList_GET_SIZE
from cpython.tuple cimport PyTuple_GET_ITEM, PyTuple_GET_SIZE

from ..model.dates import format_compact_date, format_stamp
from ._emit import (
    _ALONE_PARTS,
    _CURRENT_STEPS,
    _EXTRA_PARTS,
    _KEYWORD_OWNER,
    _KEYWORD_TERM,
    _OTHER_ABSTRACT,
    _OTHER_ABSTRACT_LANGUAGE,
    _PEOPLE_LISTS,
    _PERSON_TAGS,
    _STEPS,
    EmittedFields,
)
from .mapping import HOMES
from .tags import TAGS, canonical_position

import_datetime()

cdef enum:
    TEXT = 1
    TEXTS = 2
    VALUES = 3
    DATE = 4
    STAMP = 5
    PUB_DATE = 6
    HISTORY = 7
    PEOPLE_BLOCK = 100
    RELATIONS_BLOCK = 101
    OTHER_ABSTRACTS_BLOCK = 102
    KEYWORDS_BLOCK = 103
    NO_OWNER = 0
    BEFORE_ANY_PERSON = -1
    AFTER_PEOPLE = -2

cdef tuple _PLAIN = (0, False)
cdef list _ALL_STEPS = list(_STEPS)
cdef list _TODAYS_STEPS = list(_CURRENT_STEPS)
cdef str _OTHER_ABSTRACT_TAG = _OTHER_ABSTRACT.tag
cdef str _OTHER_ABSTRACT_LANGUAGE_TAG = _OTHER_ABSTRACT_LANGUAGE.tag
cdef str _KEYWORD_OWNER_TAG = _KEYWORD_OWNER.tag
cdef str _KEYWORD_TERM_TAG = _KEYWORD_TERM.tag


cdef inline void _digits(char* out, int value, int count) noexcept:
    cdef int i
    for i in range(count - 1, -1, -1):
        out[i] = <char>(48 + value % 10)
        value //= 10


cdef str _ymd(object value, char separator):
    """``YYYY{sep}MM{sep}DD`` of an exact date or datetime (no separator when it is 0)."""
    cdef char buffer[10]
    cdef int at = 0
    _digits(buffer, date_year(value), 4)
    at = 4
    if separator:
        buffer[at] = separator
        at += 1
    _digits(buffer + at, date_month(value), 2)
    at += 2
    if separator:
        buffer[at] = separator
        at += 1
    _digits(buffer + at, date_day(value), 2)
    at += 2
    return buffer[:at].decode("ascii")


cdef str _stamp_text(object value):
    """``format_stamp``: ``YYYY/MM/DD HH:MM`` or ``YYYY/MM/DD``."""
    cdef char buffer[16]
    if PyDateTime_CheckExact(value):
        _digits(buffer, date_year(value), 4)
        buffer[4] = b"/"
        _digits(buffer + 5, date_month(value), 2)
        buffer[7] = b"/"
        _digits(buffer + 8, date_day(value), 2)
        buffer[10] = b" "
        _digits(buffer + 11, datetime_hour(value), 2)
        buffer[13] = b":"
        _digits(buffer + 14, datetime_minute(value), 2)
        return buffer[:16].decode("ascii")
    if PyDate_CheckExact(value):
        return _ymd(value, b"/")
    return format_stamp(value)


cdef inline object _stamp(object value):
    if isinstance(value, str):
        return value
    return _stamp_text(value)


cdef inline object _date(object value):
    if isinstance(value, str):
        return value
    if PyDate_CheckExact(value) or PyDateTime_CheckExact(value):
        return _ymd(value, 0)
    return format_compact_date(value)


cdef str _history(object event):
    """``format_history``: ``<date> [status]``, or ``<date>[status]`` when the date is blank."""
    value = event.date
    cdef str date_text = value if isinstance(value, str) else _stamp_text(value)
    if (len(date_text) and date_text[0] != " ") or date_text.strip(" "):
        return f"{date_text} [{event.status}]"
    return f"{date_text}[{event.status}]"


cdef inline void _add(list fields, list owners, set extras, object tag, object value,
                      long owner, bint starts, bint extra) except *:
    if value is not None:
        if extra:
            extras.add(len(fields))
        fields.append((tag, value))
        owners.append((owner, starts))


cdef long _people(list fields, list owners, set extras, object people, object tags,
                  long next_id) except? -3:
    cdef str short = tags.short, full = tags.full, collective = tags.collective
    cdef str identifier_tag = tags.identifier, affiliation_tag = tags.affiliation
    cdef bint short_first = tags.short_first
    for person in people:
        next_id += 1
        collective_name = person.collective_name
        if collective_name is not None:
            _add(fields, owners, extras, collective, collective_name, next_id, True, False)
        elif short_first:
            name = person.name
            _add(fields, owners, extras, short, name, next_id, True, False)
            _add(fields, owners, extras, full, person.full_name, next_id, name is None, False)
        else:
            full_name = person.full_name
            _add(fields, owners, extras, full, full_name, next_id, True, False)
            _add(fields, owners, extras, short, person.name, next_id, full_name is None, False)
        for identifier in person.identifiers:
            _add(fields, owners, extras, identifier_tag, identifier.text, next_id, False, False)
        for affiliation in person.affiliations:
            _add(fields, owners, extras, affiliation_tag, affiliation, next_id, False, False)
    return next_id


def emit_fields(article):
    """The article's fields in canonical order, with the owner of each (see
    ``_emit.emit_fields``)."""
    a = article
    out = EmittedFields()
    cdef list fields = out.fields
    cdef list owners = out.owners
    cdef set extras = out.extras
    cdef dict extra_known = {}
    cdef list extra_unknown = []
    for tag, value in a.extra:
        if tag in TAGS:
            extra_known.setdefault(tag, []).append(value)
        else:
            extra_unknown.append((tag, value))
    cdef long next_id = 0
    cdef bint first_people = True
    cdef list strays = []
    strays_after = None
    cdef tuple plain = _PLAIN
    cdef list steps = _ALL_STEPS if a.field_order else _TODAYS_STEPS
    cdef Py_ssize_t index, count = PyList_GET_SIZE(steps)
    cdef tuple entry
    cdef int step
    cdef long keyword_list_id, list_id
    for index in range(count):
        entry = <tuple>PyList_GET_ITEM(steps, index)
        step = <int>entry[0]
        tag = entry[1]
        get = entry[2]
        if step == TEXT:
            value = get(a)
            if value is not None:
                fields.append((tag, value))
                owners.append(plain)
        elif step == TEXTS:
            for value in get(a):
                if value is not None:
                    fields.append((tag, value))
                    owners.append(plain)
        elif step == VALUES:
            for value in get(a):
                fields.append((tag, value.text))
                owners.append(plain)
        elif step == DATE:
            value = get(a)
            if value is not None:
                fields.append((tag, _date(value)))
                owners.append(plain)
        elif step == STAMP:
            value = get(a)
            if value is not None:
                fields.append((tag, _stamp(value)))
                owners.append(plain)
        elif step == PUB_DATE:
            value = get(a)
            if value is not None:
                fields.append((tag, value.text))
                owners.append(plain)
        elif step == HISTORY:
            for event in get(a):
                fields.append((tag, _history(event)))
                owners.append(plain)
        elif step == PEOPLE_BLOCK:
            if first_people:
                for row in _ALONE_PARTS:
                    for value in getattr(a, row.attribute):
                        _add(fields, owners, extras, row.tag, value, BEFORE_ANY_PERSON, False, False)
                for part in _EXTRA_PARTS:
                    for more in extra_known.pop(part, ()):
                        _add(fields, owners, extras, part, more, BEFORE_ANY_PERSON, False, True)
            for people in get:
                next_id = _people(fields, owners, extras, people.get(a), people, next_id)
            if first_people:
                names = {people.name for people in get}
                for person_tag in _PERSON_TAGS:
                    if HOMES[person_tag].attribute in names:
                        for more in extra_known.pop(person_tag, ()):
                            _add(fields, owners, extras, person_tag, more, NO_OWNER, False, True)
                for row in _ALONE_PARTS:
                    strays.extend([(row.tag, more) for more in extra_known.pop(row.tag, ())])
                    for people_name in _PEOPLE_LISTS:
                        if people_name not in row.people and getattr(a, people_name):
                            strays_after = people_name
                if strays_after is None:
                    for stray_tag, more in strays:
                        _add(fields, owners, extras, stray_tag, more, NO_OWNER, False, True)
                first_people = False
            elif any([people.name == strays_after for people in get]):
                for stray_tag, more in strays:
                    _add(fields, owners, extras, stray_tag, more, AFTER_PEOPLE, False, True)
            continue
        elif step == RELATIONS_BLOCK:
            for relation in get(a):
                _add(fields, owners, extras, relation.kind, relation.text, NO_OWNER, False, False)
            continue
        elif step == OTHER_ABSTRACTS_BLOCK:
            for other in get(a):
                next_id += 1
                _add(fields, owners, extras, _OTHER_ABSTRACT_TAG, other.text, next_id, True,
                     False)
                _add(fields, owners, extras, _OTHER_ABSTRACT_LANGUAGE_TAG, other.language,
                     next_id, False, False)
            continue
        elif step == KEYWORDS_BLOCK:
            owner = None
            keyword_list_id = NO_OWNER
            first = True
            for keyword in get(a):
                keyword_owner = keyword.owner
                if keyword_owner is not None and (first or keyword_owner != owner):
                    next_id += 1
                    _add(fields, owners, extras, _KEYWORD_OWNER_TAG, keyword_owner, next_id,
                         True, False)
                first = False
                owner = keyword_owner
                if owner is not None:
                    keyword_list_id = next_id
                list_id = next_id if keyword_owner is not None else keyword_list_id
                _add(fields, owners, extras, _KEYWORD_TERM_TAG, keyword.text, list_id, False,
                     False)
            continue
        if extra_known:
            for more in extra_known.pop(tag, ()):
                _add(fields, owners, extras, tag, more, NO_OWNER, False, True)
    for tag in sorted(extra_known, key=canonical_position):
        for value in extra_known[tag]:
            _add(fields, owners, extras, tag, value, NO_OWNER, False, True)
    for tag, value in extra_unknown:
        _add(fields, owners, extras, tag, value, NO_OWNER, False, True)
    return out

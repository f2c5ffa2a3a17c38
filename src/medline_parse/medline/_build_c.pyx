# cython: language_level=3, boundscheck=False, wraparound=False
"""A record's tags and values to an Article: the compiled kernel (``_build.py`` is its
specification; same function, same results).

Two walks over the fields instead of the pure one's grouping: the first looks each tag up once
(one dictionary lookup, a C struct behind it) and counts the values of each attribute, the second
writes each value where it belongs.  The article is allocated first, with its defaults, and its
slots are written directly (as ``model/_construct_c.pyx`` does); a tuple attribute is allocated at
its final size on its first value and filled in place.  Values that repeat across records are
parsed once and shared (they are immutable): MeSH headings, chemicals, grants and ISSNs, the
``YYYYMMDD`` dates, the stamps, the publication dates with their verdict, the history entries and
whole journals (keyed by their raw text), each cache emptied when it is full so memory stays
bounded.  Identifiers (AID, LID, AUID) and comments and corrections rarely repeat: they are cut with
C string calls.  People, keywords and other abstracts are read in record order, as ``_people.py``
does.  A date's problem is noted as ``(first field of its tag, field)`` and the notes are made,
in that order, only after the walk: the order of the pure builder, which goes tag by tag.
"""

import attrs

from cpython.dict cimport PyDict_GetItem, PyDict_SetItem
from cpython.list cimport PyList_AsTuple, PyList_GET_ITEM, PyList_GET_SIZE
from cpython.ref cimport PyObject, Py_INCREF, Py_XDECREF
from cpython.tuple cimport PyTuple_GET_ITEM, PyTuple_GET_SIZE, PyTuple_New, PyTuple_SET_ITEM
from libc.stdlib cimport free, malloc
from libc.string cimport memset

from cpython.datetime cimport date_new, datetime_new, import_datetime

from ..model import ArticleId, AuthorIdentifier, Keyword, OtherAbstract, Relation
from ..model.article import Article, Author, Journal, MeshHeading, MeshQualifier
from ..model.dates import HistoryEvent, PubDate, parse_pub_date, pub_date_is_clean

import_datetime()

cdef extern from "Python.h":
    ctypedef struct PyMemberDef:
        Py_ssize_t offset
    ctypedef struct PyMemberDescrObject:
        PyMemberDef* d_member
    ctypedef struct PyTypeObject
    object PyType_GenericAlloc(PyTypeObject* type, Py_ssize_t nitems)
    bint PyObject_IS_GC(PyObject* o)
    int PyUnicode_KIND(object o)
    void* PyUnicode_DATA(object o)
    int PyUnicode_1BYTE_KIND
    bint PyObject_GC_IsTracked(PyObject* o)
    void PyObject_GC_UnTrack(void* o)

cdef enum:
    MAX_FIELDS = 128
    TAG_SLOTS = 512  # the tag table's size (a power of 2, well above the number of tags)
    # the builder's kinds (builder.py, _assemble.py, _build.py)
    EXTRA = 0
    SCALAR = 1
    LIST = 2
    SEQUENTIAL = 3
    PARSED = 4
    HISTORY = 5
    COMPACT = 6
    STAMP = 7
    PUBLICATION_DATE = 8
    JOURNAL_VALUES = 9
    JOURNAL_TEXT = 10
    RELATION = 11
    # the sequential roles (_people.py)
    PERSON = 1
    PERSON_PART = 2
    KEYWORD_OWNER = 3
    KEYWORD_TERM = 4
    OTHER_ABSTRACT = 5
    OTHER_ABSTRACT_LANGUAGE = 6
    # how a PARSED value is read
    CALL = 0
    CACHED = 1
    ARTICLE_ID = 2
    MESH = 3
    # a date's problem
    INVALID = 0
    UNCLEAR_HISTORY = 1
    UNCLEAR_PUB_DATE = 2

cdef Py_ssize_t DATE_CACHE = 4096
cdef Py_ssize_t QUALIFIER_CACHE = 1024
cdef object _NOT_A_DATE = object()  # a cached verdict: the text is no date


cdef class _Layout:
    """Where the fields of one slotted attrs class live in its instances, and their defaults."""

    cdef object cls
    cdef Py_ssize_t count
    cdef Py_ssize_t offsets[MAX_FIELDS]
    cdef tuple defaults
    cdef dict position  # field name -> position


cdef _Layout _layout(object cls):
    fields = attrs.fields(cls)
    if len(fields) > MAX_FIELDS or cls.__new__ is not object.__new__:
        raise TypeError(f"{cls.__qualname__}: not a class this kernel can build")
    cdef _Layout layout = _Layout.__new__(_Layout)
    layout.cls = cls
    layout.count = len(fields)
    defaults = []
    for i, field in enumerate(fields):
        descriptor = None
        for klass in cls.__mro__:
            descriptor = klass.__dict__.get(field.name)
            if descriptor is not None:
                break
        if type(descriptor).__name__ != "member_descriptor":
            raise TypeError(f"{cls.__qualname__}.{field.name}: not a plain slot")
        layout.offsets[i] = (<PyMemberDescrObject*><PyObject*>descriptor).d_member.offset
        default = field.default
        if default is attrs.NOTHING:
            default = None  # a required field: always written
        elif isinstance(default, attrs.Factory):
            default = default.factory()
            if attrs.has(type(default)):  # an empty journal: values only
                _sealed(_layout(type(default)), default)
        hash(default)  # immutable, so it can be shared between instances
        defaults.append(default)
    layout.defaults = tuple(defaults)
    layout.position = {field.name: i for i, field in enumerate(fields)}
    return layout


cdef inline object _new(_Layout layout):
    """An instance of the layout's class holding its defaults."""
    cdef object instance = PyType_GenericAlloc(<PyTypeObject*>layout.cls, 0)
    cdef char* base = <char*><PyObject*>instance
    cdef PyObject* value
    cdef Py_ssize_t i
    for i in range(layout.count):
        value = PyTuple_GET_ITEM(layout.defaults, i)
        Py_INCREF(<object>value)
        (<PyObject**>(base + layout.offsets[i]))[0] = value
    return instance


cdef inline void _set(object instance, Py_ssize_t offset, object value):
    cdef PyObject** slot = <PyObject**>((<char*><PyObject*>instance) + offset)
    Py_INCREF(value)
    Py_XDECREF(slot[0])
    slot[0] = <PyObject*>value


cdef inline object _two(_Layout layout, object first, object second):
    cdef object instance = _new(layout)
    _set(instance, layout.offsets[0], first)
    _set(instance, layout.offsets[1], second)
    return instance


cdef inline void _put(tuple items, Py_ssize_t i, object value):
    Py_INCREF(value)
    PyTuple_SET_ITEM(items, i, value)


# Untracking: the values built here are immutable and hold only strings, numbers, dates and other
# such values, so they can be in no reference cycle; left out of the cyclic GC's reach (as the
# record layer's Field tuples are), they cost its collections nothing.  An object is untracked only
# when everything it holds is untracked or no container at all.


cdef inline bint _inert(PyObject* value):
    return not PyObject_IS_GC(value) or not PyObject_GC_IsTracked(value)


cdef inline object _sealed_tuple(tuple items):
    cdef Py_ssize_t i
    for i in range(PyTuple_GET_SIZE(items)):
        if not _inert(PyTuple_GET_ITEM(items, i)):
            return items
    PyObject_GC_UnTrack(<void*>items)
    return items


cdef inline object _sealed(_Layout layout, object instance):
    cdef char* base = <char*><PyObject*>instance
    cdef Py_ssize_t i
    for i in range(layout.count):
        if not _inert((<PyObject**>(base + layout.offsets[i]))[0]):
            return instance
    PyObject_GC_UnTrack(<void*>instance)
    return instance


cdef inline object _leaf(object instance):
    """An instance that holds only strings, numbers, dates and None: untracked."""
    PyObject_GC_UnTrack(<void*>instance)
    return instance


cdef inline void _remember(dict cache, Py_ssize_t size, object key, object value):
    if len(cache) >= size:
        cache.clear()
    PyDict_SetItem(cache, key, value)


cdef class _Tag:
    """How one tag is built: its kind, the position of the attribute it fills (in the article, or
    in its journal), and how its values are read."""

    cdef int kind
    cdef Py_ssize_t field
    cdef int mode
    cdef object parse
    cdef dict cache
    cdef Py_ssize_t size
    cdef str what  # the date's shape, for an invalid-date note
    cdef tuple row  # a sequential tag's row (_people.py), and its parts in C:
    cdef int role
    cdef int people  # PERSON: the list of people it adds to (an index of Plan.people_fields)
    cdef int part  # PERSON: the name it fills (0 full, 1 short, 2 collective); PERSON_PART: 3 or 4
    cdef unsigned int joins  # PERSON_PART: the lists of people whose persons take it (bits)
    cdef Py_ssize_t home  # PERSON_PART: the article field it fills before any person, or -1
    cdef PyObject* pair  # the entry of the tag it pairs with when printed right after it
    cdef bint identifier  # a person part read as an AuthorIdentifier (AUID)
    cdef _Layout layout  # of the class a CACHED parser makes


# The tags (up to four one-byte characters) packed into an integer with their length: the key of a
# small open-addressing table, which finds a tag's entry without hashing the string.


cdef inline unsigned long long _tag_key(object tag):
    """The tag's key, or 0 when it is not up to four one-byte characters."""
    cdef Py_ssize_t n = len(<str>tag), i
    if n == 0 or n > 4 or PyUnicode_KIND(tag) != PyUnicode_1BYTE_KIND:
        return 0
    cdef unsigned char* chars = <unsigned char*>PyUnicode_DATA(tag)
    cdef unsigned long long key = <unsigned long long>n << 32
    for i in range(n):
        key |= (<unsigned long long>chars[i]) << (8 * i)
    return key


cdef inline Py_ssize_t _tag_slot(unsigned long long key):
    return <Py_ssize_t>(((key * 11400714819323198485ULL) >> 40) & (TAG_SLOTS - 1))


cdef class Plan:
    """The compiled plan of :func:`build` (see ``_build.prepare``)."""

    cdef dict tags
    cdef unsigned long long tag_keys[TAG_SLOTS]
    cdef PyObject* tag_entries[TAG_SLOTS]  # borrowed from the dictionary tags
    cdef object notes
    cdef _Layout article, author, journal, keyword, other_abstract, relation, article_id
    cdef _Layout author_identifier, history_event, mesh_heading, mesh_qualifier, pub_date
    cdef dict qualifiers
    cdef dict layouts  # class -> layout, for the values parsers written in Python make
    cdef Py_ssize_t journal_field, extra_field, diagnostics_field, order_field
    cdef Py_ssize_t keywords_field, other_abstracts_field, relations_field, history_field
    cdef dict field_of
    cdef list people_fields  # the article field of each list of people
    cdef list journal_parse  # per journal field: the parser of its values (None for text)
    cdef dict journals
    cdef dict pub_dates
    cdef dict history


def prepare(kinds, rows, names, notes):
    """The plan of :func:`build` (see ``_build.prepare``)."""
    cdef Plan plan = Plan.__new__(Plan)
    plan.notes = notes
    plan.article = _layout(Article)
    plan.author = _layout(Author)
    plan.journal = _layout(Journal)
    plan.keyword = _layout(Keyword)
    plan.other_abstract = _layout(OtherAbstract)
    plan.relation = _layout(Relation)
    plan.article_id = _layout(ArticleId)
    plan.author_identifier = _layout(AuthorIdentifier)
    plan.history_event = _layout(HistoryEvent)
    plan.pub_date = _layout(PubDate)
    plan.mesh_heading = _layout(MeshHeading)
    plan.mesh_qualifier = _layout(MeshQualifier)
    plan.qualifiers = {}
    plan.layouts = {}
    plan.field_of = plan.article.position
    keywords, other_abstracts, relations = names
    plan.keywords_field = plan.field_of[keywords]
    plan.other_abstracts_field = plan.field_of[other_abstracts]
    plan.relations_field = plan.field_of[relations]
    plan.journal_field = plan.field_of["journal"]
    plan.extra_field = plan.field_of["extra"]
    plan.diagnostics_field = plan.field_of["diagnostics"]
    plan.order_field = plan.field_of["field_order"]
    plan.journal_parse = [None] * plan.journal.count
    plan.journals = {}
    plan.pub_dates = {}
    plan.history = {}
    plan.tags = {}
    plan.history_field = -1
    caches = {}  # one cache per parser (and per date kind)
    cdef _Tag entry
    for tag, (kind, attribute, parse) in kinds.items():
        entry = _Tag.__new__(_Tag)
        entry.kind = kind
        entry.parse = parse
        entry.mode = CALL
        entry.row = rows.get(tag)
        entry.identifier = entry.row is not None and entry.row[5] == AuthorIdentifier.parse
        if kind in (JOURNAL_TEXT, JOURNAL_VALUES):
            entry.field = plan.journal.position[attribute]
            if kind == JOURNAL_VALUES:
                plan.journal_parse[entry.field] = parse
        elif kind in (SCALAR, LIST, PARSED, HISTORY, COMPACT, STAMP, PUBLICATION_DATE):
            entry.field = plan.field_of[attribute]
        elif kind == RELATION:
            entry.field = plan.relations_field
        elif kind == SEQUENTIAL:
            entry.field = -1
            if entry.row is None:
                raise ValueError(f"{tag}: a sequential tag without its row")
        elif kind == EXTRA:
            entry.field = -1
        else:
            raise ValueError(f"{tag}: unknown kind {kind}")
        if kind == HISTORY:
            plan.history_field = entry.field
        if kind == PARSED or kind == JOURNAL_VALUES:
            wrapped = getattr(parse, "__wrapped__", None)
            if wrapped is not None and hasattr(parse, "cache_parameters"):
                entry.mode = MESH if wrapped == MeshHeading.parse else CACHED
                entry.parse = wrapped
                entry.layout = _layout(wrapped.__self__)
                plan.layouts[wrapped.__self__] = entry.layout
                entry.size = parse.cache_parameters()["maxsize"] or 4096
                entry.cache = caches.setdefault(id(parse), {})
            elif parse == ArticleId.parse:
                entry.mode = ARTICLE_ID
        elif kind in (COMPACT, STAMP):
            entry.cache = caches.setdefault(kind, {})
            entry.size = DATE_CACHE
            entry.what = "YYYYMMDD date" if kind == COMPACT else "YYYY/MM/DD HH:MM date"
        plan.tags[tag] = entry
    people = {}  # list of people -> its index
    for tag, entry in plan.tags.items():
        if entry.row is None:
            continue
        role, home, part, pair, joins, _ = entry.row
        entry.role = role
        entry.part = part
        entry.home = -1
        entry.people = -1
        if role == PERSON:
            entry.people = people.setdefault(home, len(people))
    if len(people) > 32:
        raise ValueError("more lists of people than the kernel's bits")
    plan.people_fields = [plan.field_of[name] for name in people]
    for tag, entry in plan.tags.items():
        if entry.row is None:
            continue
        role, home, part, pair, joins, _ = entry.row
        if role == PERSON_PART:
            if part not in (3, 4):
                raise ValueError(f"{tag}: a person part is an identifier or an affiliation")
            entry.home = plan.field_of[home] if home else -1
            entry.joins = 0
            for name in joins:
                if name in people:
                    entry.joins |= 1u << <int>people[name]
        entry.pair = NULL
        if pair:
            entry.pair = <PyObject*>plan.tags[pair]
    cdef unsigned long long key
    cdef Py_ssize_t slot
    for tag, entry in plan.tags.items():
        key = _tag_key(tag)
        if key == 0:
            raise ValueError(f"{tag!r}: a tag is one to four one-byte characters")
        slot = _tag_slot(key)
        while plan.tag_keys[slot] != 0:
            slot = (slot + 1) & (TAG_SLOTS - 1)
        plan.tag_keys[slot] = key
        plan.tag_entries[slot] = <PyObject*>entry
    # a tuple attribute filled in place must have one tag (the relations share theirs)
    seen = set()
    for entry in plan.tags.values():
        if entry.kind in (SCALAR, LIST, PARSED, HISTORY, COMPACT, STAMP, PUBLICATION_DATE):
            if entry.field in seen:
                raise ValueError("two tags fill the same attribute")
            seen.add(entry.field)
    return plan


cdef object _article_id(_Layout layout, str text):
    cdef Py_ssize_t n = len(text), cut
    if n and text[n - 1] == "]":
        cut = text.rfind(" [", 0, n - 1)
        if cut >= 0:
            kind = text[cut + 2 : n - 1]
            if "[" not in kind:
                return _leaf(_two(layout, text[:cut], kind))
    instance = _new(layout)
    _set(instance, layout.offsets[0], text)
    return _leaf(instance)


cdef object _author_identifier(_Layout layout, str text):
    cdef Py_ssize_t cut = text.find(": ")
    if cut > 0:
        source = text[:cut]
        if " " not in source:
            return _leaf(_two(layout, text[cut + 2 :], source))
    instance = _new(layout)
    _set(instance, layout.offsets[0], text)
    return _leaf(instance)


cdef inline int _digits(str text, Py_ssize_t start, Py_ssize_t count):
    """The number the ASCII digits text[start:start+count] write, or -1."""
    cdef int value = 0, digit
    cdef Py_ssize_t i
    for i in range(start, start + count):
        digit = <int><Py_UCS4>text[i] - 48
        if digit < 0 or digit > 9:
            return -1
        value = value * 10 + digit
    return value


cdef inline bint _real_day(int year, int month, int day):
    cdef int last
    if year < 1 or month < 1 or month > 12 or day < 1:
        return False
    if month == 2:
        last = 29 if (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)) else 28
    elif month == 4 or month == 6 or month == 9 or month == 11:
        last = 30
    else:
        last = 31
    return day <= last


cdef object _compact_date(str text):
    """``dates.parse_compact_date``: ``YYYYMMDD`` as a date, or None."""
    if len(text) != 8:
        return None
    cdef int year = _digits(text, 0, 4), month = _digits(text, 4, 2), day = _digits(text, 6, 2)
    if year < 0 or month < 0 or day < 0 or not _real_day(year, month, day):
        return None
    return date_new(year, month, day)


cdef object _stamp(str text):
    """``dates.parse_stamp``: ``YYYY/MM/DD HH:MM`` as a datetime, ``YYYY/MM/DD`` as a date, or
    None."""
    cdef Py_ssize_t n = len(text)
    if (n != 10 and n != 16) or text[4] != "/" or text[7] != "/":
        return None
    cdef int year = _digits(text, 0, 4), month = _digits(text, 5, 2), day = _digits(text, 8, 2)
    cdef int hour, minute
    if year < 0 or month < 0 or day < 0:
        return None
    if n == 10:
        return date_new(year, month, day) if _real_day(year, month, day) else None
    if text[10] != " " or text[13] != ":":
        return None
    hour = _digits(text, 11, 2)
    minute = _digits(text, 14, 2)
    if hour < 0 or minute < 0:
        return None
    if not _real_day(year, month, day) or hour > 23 or minute > 59:
        return None
    return datetime_new(year, month, day, hour, minute, 0, 0, None)


cdef object _history_event(_Layout layout, str text):
    """``dates.parse_history``: ``<date> [status]`` as a HistoryEvent, or None."""
    cdef Py_ssize_t n = len(text)
    if n == 0 or text[n - 1] != "]":
        return None
    cdef Py_ssize_t cut = text.rfind(" [")
    if cut < 0:
        if text[0] != "[":
            return None
        date_text = ""
        status = text[1 : n - 1]
    else:
        date_text = text[:cut]
        status = text[cut + 2 : n - 1]
        if not date_text.strip(" "):
            date_text = date_text + " "
    if "[" in status:
        return None
    stamp = _stamp(date_text)
    return _leaf(_two(layout, status, date_text if stamp is None else stamp))


cdef object _mesh_heading(Plan plan, str text):
    """``MeshHeading.parse``, with the qualifiers shared."""
    cdef list parts = text.split("/")
    cdef Py_ssize_t i, count = len(parts) - 1
    cdef tuple qualifiers = PyTuple_New(count)
    cdef PyObject* found
    cdef str part
    for i in range(count):
        part = parts[i + 1]
        found = PyDict_GetItem(plan.qualifiers, part)
        if found is NULL:
            if part.startswith("*"):
                qualifier = _leaf(_two(plan.mesh_qualifier, part[1:], True))
            else:
                qualifier = _new(plan.mesh_qualifier)
                _set(qualifier, plan.mesh_qualifier.offsets[0], part)
                _leaf(qualifier)
            _remember(plan.qualifiers, QUALIFIER_CACHE, part, qualifier)
        else:
            qualifier = <object>found
        _put(qualifiers, i, qualifier)
    PyObject_GC_UnTrack(<void*>qualifiers)
    cdef str descriptor = parts[0]
    cdef bint major = descriptor.startswith("*")
    heading = _two(plan.mesh_heading, descriptor[1:] if major else descriptor, major)
    _set(heading, plan.mesh_heading.offsets[2], qualifiers)
    return _leaf(heading)


cdef tuple _MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


cdef object _pub_date(_Layout layout, str text, int* verdict):
    """``dates.parse_pub_date`` and its verdict for the usual shapes (``YYYY``, ``YYYY Mon``,
    ``YYYY Mon D``), whose parts render back to the text; None for any other (read in Python)."""
    cdef Py_ssize_t n = len(text)
    if n != 4 and n != 8 and n != 10 and n != 11:
        return None
    cdef int year = _digits(text, 0, 4), month = 0, day = 0, i
    if year <= 0:
        return None
    if n > 4:
        if text[4] != " ":
            return None
        word = text[5:8]
        for i in range(12):
            if word == _MONTHS[i]:
                month = i + 1
                break
        if month == 0:
            return None
    if n > 8:
        if text[8] != " " or text[9] == "0":
            return None
        day = _digits(text, 9, n - 9)
        if day < 1 or day > 31:
            return None
    date = _new(layout)
    _set(date, layout.offsets[0], year)
    if month:
        _set(date, layout.offsets[1], month)
    if day:
        _set(date, layout.offsets[3], day)
    verdict[0] = -1 if day == 0 or _real_day(year, month, day) else UNCLEAR_PUB_DATE
    return _leaf(date)


cdef inline bint _is_pmid(str text):
    return text.isascii() and text.isdigit()


cdef object _relation(_Layout layout, str kind, str text):
    cdef Py_ssize_t cut = text.rfind(". PMID: ")
    if cut > 0:
        pmid = text[cut + 8 :]
        if _is_pmid(pmid):
            instance = _two(layout, kind, text[:cut])
            _set(instance, layout.offsets[2], pmid)
            return _leaf(instance)
    if text.startswith("PMID: "):
        pmid = text[6:]
        if _is_pmid(pmid):
            instance = _two(layout, kind, "")
            _set(instance, layout.offsets[2], pmid)
            return _leaf(instance)
    return _leaf(_two(layout, kind, text))


cdef inline object _parsed(Plan plan, _Tag entry, object text):
    cdef PyObject* found
    if entry.mode == CACHED or entry.mode == MESH:
        found = PyDict_GetItem(entry.cache, text)
        if found is not NULL:
            return <object>found
        if entry.mode == MESH:
            value = _mesh_heading(plan, text)
        else:
            value = entry.parse(text)
            if type(value) is entry.layout.cls:
                _sealed(entry.layout, value)
        _remember(entry.cache, entry.size, text, value)
        return value
    if entry.mode == ARTICLE_ID:
        return _article_id(plan.article_id, text)
    return entry.parse(text)


def build(list tags, list values, line_of, diagnostics, path, strict, Plan plan):
    """Build the article of a record's *tags* and *values* by *plan* (see ``_build.build``)."""
    cdef Py_ssize_t n = PyList_GET_SIZE(tags)
    if PyList_GET_SIZE(values) < n:
        raise IndexError("list index out of range")
    cdef PyObject** entries = <PyObject**>malloc(max(n, 1) * sizeof(PyObject*))
    if entries is NULL:
        raise MemoryError()
    try:
        return _build(tags, values, n, entries, line_of, diagnostics, path, strict, plan)
    finally:
        free(entries)


cdef object _build(
    list tags,
    list values,
    Py_ssize_t n,
    PyObject** entries,
    line_of,
    diagnostics,
    path,
    strict,
    Plan plan,
):
    cdef _Layout layout = plan.article
    cdef Py_ssize_t counts[MAX_FIELDS]
    cdef Py_ssize_t filled[MAX_FIELDS]
    cdef Py_ssize_t first[MAX_FIELDS]
    cdef PyObject* tuples[MAX_FIELDS]  # the tuple attributes being filled (the article holds them)
    cdef char done[MAX_FIELDS]
    memset(counts, 0, sizeof(counts))
    memset(filled, 0, sizeof(filled))
    memset(done, 0, sizeof(done))
    cdef PyObject* found
    cdef _Tag entry
    cdef Py_ssize_t i, f, sequential = 0
    cdef int kind
    cdef unsigned long long key
    cdef Py_ssize_t slot
    cdef object tag
    # 1. each tag looked up once; how many values each tuple attribute gets
    for i in range(n):
        tag = <object>PyList_GET_ITEM(tags, i)
        if type(tag) is not str:  # (the dictionary says)
            entries[i] = PyDict_GetItem(plan.tags, tag)
            continue
        key = _tag_key(tag)
        found = NULL
        if key != 0:  # else no tag of the table: an extra
            slot = _tag_slot(key)
            while plan.tag_keys[slot] != 0:
                if plan.tag_keys[slot] == key:
                    found = plan.tag_entries[slot]
                    break
                slot = (slot + 1) & (TAG_SLOTS - 1)
        entries[i] = found
        if found is not NULL:
            entry = <_Tag><object>found
            kind = entry.kind
            if kind == LIST or kind == PARSED or kind == HISTORY or kind == RELATION:
                counts[entry.field] += 1
            elif kind == SEQUENTIAL:
                sequential += 1
    # 2. every value where it belongs
    cdef object article = _new(layout)
    cdef list extra = []
    cdef list problems = None
    cdef list journal = None
    cdef object value, parsed, verdict
    cdef int fast_verdict
    cdef tuple items
    cdef Py_ssize_t journal_count = plan.journal.count
    for i in range(n):
        found = entries[i]
        tag = <object>PyList_GET_ITEM(tags, i)
        value = <object>PyList_GET_ITEM(values, i)
        if found is NULL:
            extra.append((i, tag, value))
            continue
        entry = <_Tag><object>found
        kind = entry.kind
        f = entry.field
        if kind == SCALAR:
            if done[f]:
                extra.append((i, tag, value))
            else:
                done[f] = 1
                _set(article, layout.offsets[f], value)
        elif kind == LIST or kind == PARSED or kind == RELATION:
            if not done[f]:
                done[f] = 1
                items = PyTuple_New(counts[f])
                _set(article, layout.offsets[f], items)
                tuples[f] = <PyObject*>items
            if kind == LIST:
                parsed = value
            elif kind == PARSED:
                parsed = _parsed(plan, entry, value)
            else:
                parsed = _relation(plan.relation, tag, value)
            _put(<tuple><object>tuples[f], filled[f], parsed)
            filled[f] += 1
        elif kind == SEQUENTIAL:
            pass
        elif kind == HISTORY:
            if not done[f]:
                done[f] = 1
                first[f] = i
                items = PyTuple_New(counts[f])
                _set(article, layout.offsets[f], items)
                tuples[f] = <PyObject*>items
            found = PyDict_GetItem(plan.history, value)
            if found is NULL:
                parsed = _history_event(plan.history_event, value)
                _remember(plan.history, DATE_CACHE, value, parsed)
            else:
                parsed = <object>found
            if parsed is None:
                problems = _problem(problems, first[f], i, INVALID, "history entry ('date [status]')")
                extra.append((i, tag, value))
            else:
                if type(parsed.date) is str:
                    if pub_date_is_clean(parsed.date):
                        problems = _problem(problems, first[f], i, UNCLEAR_HISTORY, parsed.date)
                    else:
                        problems = _problem(problems, first[f], i, INVALID, "history date")
                _put(<tuple><object>tuples[f], filled[f], parsed)
                filled[f] += 1
        elif kind == COMPACT or kind == STAMP:
            if done[f]:
                extra.append((i, tag, value))
                continue
            done[f] = 1
            found = PyDict_GetItem(entry.cache, value)
            if found is NULL:
                parsed = _compact_date(value) if kind == COMPACT else _stamp(value)
                _remember(entry.cache, entry.size, value, _NOT_A_DATE if parsed is None else parsed)
            else:
                parsed = <object>found
                if parsed is _NOT_A_DATE:
                    parsed = None
            if parsed is None:
                problems = _problem(problems, i, i, INVALID, entry.what)
                parsed = value
            _set(article, layout.offsets[f], parsed)
        elif kind == PUBLICATION_DATE:
            if done[f]:
                extra.append((i, tag, value))
                continue
            done[f] = 1
            found = PyDict_GetItem(plan.pub_dates, value)
            if found is NULL:
                parsed = _pub_date(plan.pub_date, value, &fast_verdict)
                if parsed is not None:
                    verdict = None if fast_verdict < 0 else fast_verdict
                else:
                    parsed = parse_pub_date.__wrapped__(value)
                    if type(parsed) is plan.pub_date.cls:
                        _sealed(plan.pub_date, parsed)
                    if parsed.year is None:
                        verdict = INVALID
                    elif not pub_date_is_clean(value):
                        verdict = UNCLEAR_PUB_DATE
                    else:
                        verdict = None
                _remember(plan.pub_dates, DATE_CACHE, value, (parsed, verdict))
            else:
                parsed, verdict = <tuple>found
            if verdict is not None:
                problems = _problem(
                    problems, i, i, verdict, "publication date" if verdict == INVALID else value
                )
            _set(article, layout.offsets[f], parsed)
        elif kind == JOURNAL_TEXT or kind == JOURNAL_VALUES:
            if journal is None:
                journal = [None] * journal_count
            if kind == JOURNAL_VALUES:
                if journal[f] is None:
                    journal[f] = [value]
                else:
                    journal[f].append(value)
            elif journal[f] is None:
                journal[f] = value
            else:
                extra.append((i, tag, value))
        else:  # EXTRA
            extra.append((i, tag, value))
    # what was left out of a tuple (history entries with no status) shortens it
    f = plan.history_field
    if f >= 0 and done[f] and filled[f] < counts[f]:
        _set(article, layout.offsets[f], (<tuple><object>tuples[f])[: filled[f]])
    if journal is not None:
        _set(article, layout.offsets[plan.journal_field], _journal(plan, journal))
    if sequential:
        _sequential(plan, tags, values, n, entries, article, extra)
    if extra:
        if len(extra) > 1:
            extra.sort()
        items = PyTuple_New(len(extra))
        for i in range(len(extra)):
            _put(items, i, _sealed_tuple((<tuple>extra[i])[1:]))
        _set(article, layout.offsets[plan.extra_field], items)
    if problems is not None:
        diagnostics = _notes(plan, problems, tags, values, line_of, diagnostics, path, strict)
    elif type(diagnostics) is not tuple:
        diagnostics = tuple(diagnostics)
    _set(article, layout.offsets[plan.diagnostics_field], diagnostics)
    _set(article, layout.offsets[plan.order_field], _sealed_tuple(PyList_AsTuple(tags)))
    # the tuple attributes, then the article, out of the GC's reach when they hold only values
    cdef char* base = <char*><PyObject*>article
    cdef PyObject* held
    for f in range(layout.count):
        held = (<PyObject**>(base + layout.offsets[f]))[0]
        if type(<object>held) is tuple and PyObject_GC_IsTracked(held):
            _sealed_tuple(<tuple><object>held)
    return _sealed(layout, article)


cdef list _problem(list problems, Py_ssize_t first, Py_ssize_t index, int code, object detail):
    if problems is None:
        problems = []
    problems.append((first, index, code, detail))
    return problems


cdef tuple _notes(Plan plan, list problems, tags, values, line_of, diagnostics, path, strict):
    problems.sort()
    notes = plan.notes(tags, values, line_of, list(diagnostics), path, strict)
    for _, index, code, detail in problems:
        if code == INVALID:
            notes.invalid(index, detail)
        elif code == UNCLEAR_HISTORY:
            notes.unclear_history(index, detail)
        else:
            notes.unclear_pub_date(index, detail)
    return tuple(notes.notes)


cdef object _journal(Plan plan, list parts):
    cdef Py_ssize_t i
    for i in range(len(parts)):
        if type(parts[i]) is list:
            parts[i] = PyList_AsTuple(parts[i])
    key = PyList_AsTuple(parts)
    cdef PyObject* found = PyDict_GetItem(plan.journals, key)
    if found is not NULL:
        return <object>found
    cdef _Layout layout = plan.journal
    journal = _new(layout)
    for i in range(len(parts)):
        part = parts[i]
        if part is None:
            continue
        parse = plan.journal_parse[i]
        if parse is not None:
            part = _sealed_tuple(tuple([_sealed_value(plan, parse(text)) for text in part]))
        _set(journal, layout.offsets[i], part)
    _remember(plan.journals, DATE_CACHE, _sealed_tuple(key), _sealed(layout, journal))
    return journal


cdef object _sealed_value(Plan plan, object value):
    """A value some parser made, untracked when its class is one of the plan's and it holds only
    values."""
    cdef PyObject* found = PyDict_GetItem(plan.layouts, type(value))
    if found is not NULL:
        _sealed(<_Layout><object>found, value)
    return value


cdef void _sequential(
    Plan plan, list tags, list values, Py_ssize_t n, PyObject** entries, object article,
    list extra,
) except *:
    """People, keywords and other abstracts, in record order (``_people.sequential``), written
    into the article.  A person is an Author from the start, its names written into its slots;
    its identifiers and affiliations are gathered in lists, made tuples when the next person
    starts."""
    cdef _Layout layout = plan.article
    cdef _Layout author = plan.author
    cdef list people = [None] * len(plan.people_fields)  # per list of people: its persons
    cdef dict alone = None
    cdef list keywords = None
    cdef list other_abstracts = None
    cdef object current = None
    cdef int current_people = -1
    cdef list parts = [None, None]  # the current person's identifiers and affiliations
    cdef object keyword_owner = None
    cdef object empty_owner = None
    cdef object empty_tag = ""
    cdef Py_ssize_t empty_index = -1
    cdef Py_ssize_t index
    cdef int role
    cdef object tag, raw, value
    cdef list last
    cdef PyObject* found
    cdef _Tag entry
    for index in range(n):
        found = entries[index]
        if found is NULL:
            continue
        entry = <_Tag><object>found
        if entry.kind != SEQUENTIAL:
            continue
        raw = <object>PyList_GET_ITEM(values, index)
        role = entry.role
        if role == PERSON:
            if (
                current is not None
                and current_people == entry.people
                and entry.pair is not NULL
                and index > 0
                and entries[index - 1] == entry.pair
                and _slot(current, author, entry.part) is None
                and _slot(current, author, 2) is None
            ):
                _set(current, author.offsets[entry.part], raw)
            else:
                if current is not None:
                    _finish(author, current, parts)
                current = _new(author)
                _set(current, author.offsets[entry.part], raw)
                if people[entry.people] is None:
                    people[entry.people] = [current]
                else:
                    (<list>people[entry.people]).append(current)
                current_people = entry.people
        elif role == PERSON_PART:
            if current is not None and (entry.joins >> current_people) & 1:
                if entry.identifier:
                    value = _author_identifier(plan.author_identifier, raw)
                elif entry.row[5] is not None:
                    value = entry.row[5](raw)
                else:
                    value = raw
                if parts[entry.part - 3] is None:
                    parts[entry.part - 3] = [value]
                else:
                    (<list>parts[entry.part - 3]).append(value)
            elif current is None and entry.home >= 0:
                if alone is None:
                    alone = {}
                found = PyDict_GetItem(alone, entry.home)
                if found is NULL:
                    alone[entry.home] = [raw]
                else:
                    (<list><object>found).append(raw)
            else:
                extra.append((index, <object>PyList_GET_ITEM(tags, index), raw))
        elif role == KEYWORD_OWNER:
            tag = <object>PyList_GET_ITEM(tags, index)
            if empty_owner is not None:
                extra.append((empty_index, empty_tag, empty_owner))
                keyword_owner = empty_owner = raw
                empty_index = index
                empty_tag = tag
            elif keywords and raw == keyword_owner:
                extra.append((index, tag, raw))
            else:
                keyword_owner = empty_owner = raw
                empty_index = index
                empty_tag = tag
        elif role == KEYWORD_TERM:
            if keywords is None:
                keywords = []
            if len(raw) > 1 and (<str>raw).startswith("*"):
                keywords.append(_keyword(plan.keyword, raw[1:], keyword_owner, True))
            else:
                keywords.append(_keyword(plan.keyword, raw, keyword_owner, False))
            empty_owner = None
        elif role == OTHER_ABSTRACT:
            if other_abstracts is None:
                other_abstracts = []
            other_abstracts.append([raw, None])
        elif (
            role == OTHER_ABSTRACT_LANGUAGE
            and index > 0
            and entries[index - 1] == entry.pair
            and other_abstracts
        ):
            last = other_abstracts[len(other_abstracts) - 1]
            if last[1] is None:
                last[1] = raw
            else:
                extra.append((index, <object>PyList_GET_ITEM(tags, index), raw))
        else:
            extra.append((index, <object>PyList_GET_ITEM(tags, index), raw))
    if empty_owner is not None:
        extra.append((empty_index, empty_tag, empty_owner))
    if current is not None:
        _finish(author, current, parts)
    cdef Py_ssize_t i, count
    cdef tuple items
    for i in range(len(people)):
        if people[i] is not None:
            _set(
                article,
                layout.offsets[<Py_ssize_t>plan.people_fields[i]],
                _sealed_tuple(PyList_AsTuple(people[i])),
            )
    if alone is not None:
        for home, group in alone.items():
            _set(article, layout.offsets[<Py_ssize_t>home], PyList_AsTuple(group))
    if keywords is not None:
        _set(article, layout.offsets[plan.keywords_field], PyList_AsTuple(keywords))
    if other_abstracts is not None:
        count = len(other_abstracts)
        items = PyTuple_New(count)
        for i in range(count):
            last = <list>other_abstracts[i]
            made = _two(plan.other_abstract, last[0] if last[0] is not None else "", last[1])
            _put(items, i, _leaf(made))
        _set(article, layout.offsets[plan.other_abstracts_field], items)


cdef inline object _slot(object instance, _Layout layout, int position):
    return <object>(<PyObject**>((<char*><PyObject*>instance) + layout.offsets[position]))[0]


cdef void _finish(_Layout author, object person, list parts) except *:
    """A person complete: its identifiers and affiliations become tuples."""
    if parts[0] is not None:
        _set(person, author.offsets[3], _sealed_tuple(PyList_AsTuple(parts[0])))
        parts[0] = None
    if parts[1] is not None:
        _set(person, author.offsets[4], _sealed_tuple(PyList_AsTuple(parts[1])))
        parts[1] = None
    _sealed(author, person)


cdef inline object _keyword(_Layout layout, object term, object owner, object major):
    cdef object instance = _two(layout, term, owner)
    _set(instance, layout.offsets[2], major)
    return _leaf(instance)

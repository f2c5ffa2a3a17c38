# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Cutting one record's text into fields: the compiled kernel (``_cut.py`` is its specification).

One pass over the characters, in C, for each of the three ways CPython stores a string (1, 2 or 4
bytes a character): find each line's end, classify the line (tag line, continuation, anything
else), look the tag up in a small hash table of the known tags, and build each value directly at
its final size (a field on one line is one substring; a field on several lines is written once,
its lines joined by one space, trailing spaces dropped).  A record with any other kind of line is
declined (``None``): the tokenizer's line path reads it and reports what it finds.

Per block, ``block_spans`` finds where each record ends, counts its line feeds and looks for odd
characters in one pass (line ends with memchr in one-byte text, SSE2 compares in two-byte text and
for the odd characters); per record, ``plain_record`` answers whether the record needs a
record-level diagnostic, so that the tokenizer's Python check runs only for those that do.
"""

from cpython.mem cimport PyMem_Free, PyMem_Malloc, PyMem_Realloc
from cpython.list cimport PyList_GET_ITEM
from cpython.ref cimport PyObject, Py_INCREF, Py_XDECREF
from cpython.tuple cimport PyTuple_New
from libc.stdint cimport uint32_t, uint64_t
from libc.string cimport memchr, memcpy, memset

cdef extern from "Python.h":
    ctypedef unsigned char Py_UCS1
    ctypedef unsigned short Py_UCS2
    int PyUnicode_KIND(object o)
    void* PyUnicode_DATA(object o)
    Py_ssize_t PyUnicode_GET_LENGTH(object o)
    Py_UCS4 PyUnicode_MAX_CHAR_VALUE(object o)
    object PyUnicode_Substring(object o, Py_ssize_t start, Py_ssize_t end)
    object PyUnicode_New(Py_ssize_t size, Py_UCS4 maxchar)
    void PyUnicode_WRITE(int kind, void* data, Py_ssize_t index, Py_UCS4 value)
    int PyUnicode_1BYTE_KIND
    int PyUnicode_2BYTE_KIND
    ctypedef struct PyTypeObject
    object PyType_GenericAlloc(PyTypeObject* type, Py_ssize_t nitems)
    void PyObject_GC_UnTrack(object o)
    void PyTuple_SET_ITEM(object p, Py_ssize_t pos, object o)
    Py_UCS4 PyUnicode_READ_CHAR(object o, Py_ssize_t index)
    char* PyByteArray_AS_STRING(object o)
    int PySet_Contains(object anyset, object key) except -1

cdef extern from *:
    """
    /* SSE2 (every x86-64 CPU has it) scans of one- and two-byte text; plain loops elsewhere. */
    #if defined(__SSE2__)
    #include <emmintrin.h>
    #endif
    #include <stdint.h>

    /* Where the first line feed of d[pos:end] is, or end. */
    static Py_ssize_t mp_find_lf_u16(const uint16_t* d, Py_ssize_t pos, Py_ssize_t end) {
    #if defined(__SSE2__)
        const __m128i lf = _mm_set1_epi16(10);
        while (pos + 8 <= end) {
            __m128i v = _mm_loadu_si128((const __m128i*)(d + pos));
            int mask = _mm_movemask_epi8(_mm_cmpeq_epi16(v, lf));
            if (mask) return pos + (__builtin_ctz(mask) >> 1);
            pos += 8;
        }
    #endif
        while (pos < end && d[pos] != 10) pos++;
        return pos;
    }

    static int mp_odd_char(uint32_t c) {
        if (c < 32) return c != 9 && c != 10 && c != 13;
        return c == 127 || c == 0xFEFF || (c >= 0xD800 && c <= 0xDFFF);
    }

    /* Whether d[:n] holds a control character (but tab, LF, CR), a BOM or a lone surrogate. */
    static int mp_has_odd_u8(const uint8_t* d, Py_ssize_t n) {
        Py_ssize_t i = 0;
    #if defined(__SSE2__)
        const __m128i c31 = _mm_set1_epi8(31), zero = _mm_setzero_si128();
        const __m128i tab = _mm_set1_epi8(9), lf = _mm_set1_epi8(10), cr = _mm_set1_epi8(13);
        const __m128i del = _mm_set1_epi8(127);
        for (; i + 16 <= n; i += 16) {
            __m128i v = _mm_loadu_si128((const __m128i*)(d + i));
            __m128i low = _mm_cmpeq_epi8(_mm_subs_epu8(v, c31), zero);  /* v <= 31 */
            __m128i ok = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, tab), _mm_cmpeq_epi8(v, lf)),
                                      _mm_cmpeq_epi8(v, cr));
            __m128i bad = _mm_or_si128(_mm_andnot_si128(ok, low), _mm_cmpeq_epi8(v, del));
            if (_mm_movemask_epi8(bad)) return 1;
        }
    #endif
        for (; i < n; i++) if (mp_odd_char(d[i])) return 1;
        return 0;
    }

    static int mp_has_odd_u16(const uint16_t* d, Py_ssize_t n) {
        Py_ssize_t i = 0;
    #if defined(__SSE2__)
        const __m128i c31 = _mm_set1_epi16(31), zero = _mm_setzero_si128();
        const __m128i tab = _mm_set1_epi16(9), lf = _mm_set1_epi16(10), cr = _mm_set1_epi16(13);
        const __m128i del = _mm_set1_epi16(127), bom = _mm_set1_epi16((short)0xFEFF);
        const __m128i top = _mm_set1_epi16((short)0xF800), sur = _mm_set1_epi16((short)0xD800);
        for (; i + 8 <= n; i += 8) {
            __m128i v = _mm_loadu_si128((const __m128i*)(d + i));
            __m128i low = _mm_cmpeq_epi16(_mm_subs_epu16(v, c31), zero);  /* v <= 31 */
            __m128i ok = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi16(v, tab), _mm_cmpeq_epi16(v, lf)),
                                      _mm_cmpeq_epi16(v, cr));
            __m128i bad = _mm_or_si128(_mm_andnot_si128(ok, low), _mm_cmpeq_epi16(v, del));
            bad = _mm_or_si128(bad, _mm_cmpeq_epi16(v, bom));
            bad = _mm_or_si128(bad, _mm_cmpeq_epi16(_mm_and_si128(v, top), sur));
            if (_mm_movemask_epi8(bad)) return 1;
        }
    #endif
        for (; i < n; i++) if (mp_odd_char(d[i])) return 1;
        return 0;
    }
    """
    Py_ssize_t mp_find_lf_u16(const unsigned short* d, Py_ssize_t pos, Py_ssize_t end) nogil
    int mp_has_odd_u8(const unsigned char* d, Py_ssize_t n) nogil
    int mp_has_odd_u16(const unsigned short* d, Py_ssize_t n) nogil
    int mp_odd_char(unsigned int c) nogil

ctypedef fused char_t:
    Py_UCS1
    Py_UCS2
    Py_UCS4

# -- the known tags: a 4-character head packed into 32 bits, in an open-addressing table --------

cdef enum:
    TABLE_SIZE = 1024  # a power of two, several times the number of known tags

cdef uint32_t _keys[TABLE_SIZE]
cdef PyObject* _tags[TABLE_SIZE]
cdef object _table_source = None  # the mapping the table was built from (kept alive: _tags)
cdef list _table_values = []


cdef inline uint32_t _slot(uint32_t key) nogil:
    return (key * <uint32_t>2654435761u) >> 22  # 10 bits: TABLE_SIZE


cdef int _build_table(object known) except -1:
    """Fill the table from *known* (head -> tag); heads are "XXXX- " with ASCII tag characters."""
    global _table_source, _table_values
    cdef uint32_t key, slot
    cdef str head
    memset(_keys, 0, sizeof(_keys))
    memset(_tags, 0, sizeof(_tags))
    values = []
    for head, tag in known.items():
        if len(head) != 6 or head[4:] != "- " or not head.isascii():
            continue
        key = (<uint32_t>ord(head[0]) << 24) | (<uint32_t>ord(head[1]) << 16) | \
              (<uint32_t>ord(head[2]) << 8) | <uint32_t>ord(head[3])
        slot = _slot(key)
        while _keys[slot] != 0:
            slot = (slot + 1) & (TABLE_SIZE - 1)
        _keys[slot] = key
        _tags[slot] = <PyObject*>tag
        values.append(tag)
    _table_values = values
    _table_source = known
    return 0


cdef inline PyObject* _lookup(uint32_t key) noexcept nogil:
    cdef uint32_t slot = _slot(key)
    while _keys[slot] != 0:
        if _keys[slot] == key:
            return _tags[slot]
        slot = (slot + 1) & (TABLE_SIZE - 1)
    return NULL


# -- character classes --------------------------------------------------------------------------

cdef inline bint _upper(Py_UCS4 c) noexcept nogil:
    return 65 <= c <= 90  # A-Z


cdef inline bint _alnum(Py_UCS4 c) noexcept nogil:
    return 65 <= c <= 90 or 48 <= c <= 57  # A-Z 0-9


# -- the record cutter ------------------------------------------------------------------------


cdef object _joined(char_t* data, Py_ssize_t* starts, Py_ssize_t* ends, Py_ssize_t count):
    """The pieces data[starts[i]:ends[i]] joined by one space (empty pieces are never given)."""
    cdef Py_ssize_t i, j, length = count - 1, at = 0
    cdef Py_UCS4 maxchar = 32, c
    cdef Py_UCS1 bits = 0
    cdef Py_UCS1* out1
    if char_t is Py_UCS1:
        # one byte a character in and out: OR the bytes (ASCII when no high bit is set), copy
        for i in range(count):
            length += ends[i] - starts[i]
            for j in range(starts[i], ends[i]):
                bits |= data[j]
        value = PyUnicode_New(length, 255 if bits >= 128 else 127)
        out1 = <Py_UCS1*>PyUnicode_DATA(value)
        for i in range(count):
            if i:
                out1[at] = 32
                at += 1
            memcpy(out1 + at, data + starts[i], ends[i] - starts[i])
            at += ends[i] - starts[i]
        return value
    for i in range(count):
        length += ends[i] - starts[i]
        for j in range(starts[i], ends[i]):
            c = data[j]
            if c > maxchar:
                maxchar = c
    value = PyUnicode_New(length, maxchar)
    cdef int kind = PyUnicode_KIND(value)
    cdef void* out = PyUnicode_DATA(value)
    for i in range(count):
        if i:
            PyUnicode_WRITE(kind, out, at, 32)
            at += 1
        for j in range(starts[i], ends[i]):
            PyUnicode_WRITE(kind, out, at, data[j])
            at += 1
    return value


cdef inline Py_ssize_t _line_end(char_t* data, Py_ssize_t pos, Py_ssize_t end) noexcept nogil:
    """Where the line that starts at *pos* ends: its line feed, or *end* (memchr, or SSE2)."""
    cdef const void* hit
    if char_t is Py_UCS1:
        if pos >= end:
            return end
        hit = memchr(data + pos, 10, end - pos)
        return end if hit == NULL else <Py_UCS1*>hit - data
    elif char_t is Py_UCS2:
        return mp_find_lf_u16(data, pos, end)
    else:
        while pos < end and data[pos] != 10:
            pos += 1
        return pos


cdef inline bint _has_odd(char_t* data, Py_ssize_t length) noexcept nogil:
    """Whether data[:length] holds a control character other than tab, line feed and carriage
    return, a byte-order mark or a lone surrogate (SSE2: sixteen bytes at a time)."""
    cdef Py_ssize_t i
    if char_t is Py_UCS1:
        return mp_has_odd_u8(data, length)
    elif char_t is Py_UCS2:
        return mp_has_odd_u16(data, length)
    else:
        for i in range(length):
            if mp_odd_char(data[i]):
                return True
        return False


cdef struct Pieces:
    Py_ssize_t* starts
    Py_ssize_t* ends
    Py_ssize_t capacity


cdef int _grow(Pieces* pieces) except -1:
    cdef Py_ssize_t capacity = pieces.capacity * 2
    cdef Py_ssize_t* starts = <Py_ssize_t*>PyMem_Realloc(pieces.starts, capacity * sizeof(Py_ssize_t))
    if starts == NULL:
        raise MemoryError()
    pieces.starts = starts
    cdef Py_ssize_t* ends = <Py_ssize_t*>PyMem_Realloc(pieces.ends, capacity * sizeof(Py_ssize_t))
    if ends == NULL:
        raise MemoryError()
    pieces.ends = ends
    pieces.capacity = capacity
    return 0


cdef object _cut(char_t* data, Py_ssize_t end, bint crlf, object text, object collapsed):
    cdef Pieces pieces
    pieces.capacity = 64
    pieces.starts = <Py_ssize_t*>PyMem_Malloc(64 * sizeof(Py_ssize_t))
    pieces.ends = <Py_ssize_t*>PyMem_Malloc(64 * sizeof(Py_ssize_t))
    try:
        if pieces.starts == NULL or pieces.ends == NULL:
            raise MemoryError()
        return _cut_pieces(data, end, crlf, text, collapsed, &pieces)
    finally:
        PyMem_Free(pieces.starts)
        PyMem_Free(pieces.ends)


cdef object _cut_pieces(
    char_t* data, Py_ssize_t end, bint crlf, object text, object collapsed, Pieces* pieces
):
    cdef Py_ssize_t pos = 0, line_end, stop, i, j, nparts = 0
    cdef Py_UCS4 c0, c1, c2, c3
    cdef uint32_t key
    cdef PyObject* found
    cdef bint first = True
    cdef list tags = []
    cdef list values = []
    cdef object tag = None

    while True:
        line_end = _line_end(data, pos, end)
        stop = line_end - 1 if (crlf and line_end < end) else line_end
        if crlf and line_end < end and (stop < pos or data[stop] != 13):
            return None  # cannot happen: the tokenizer checks the line endings
        # drop trailing spaces
        j = stop
        while j > pos and data[j - 1] == 32:
            j -= 1
        c0 = data[pos] if pos < stop else 0
        if c0 == 32:
            # a continuation: six spaces, then something that is not whitespace
            if first or stop - pos < 7 or nparts == 0:
                return None
            for i in range(pos + 1, pos + 6):
                if data[i] != 32:
                    return None
            i = pos + 6
            while i < stop and (data[i] == 32 or data[i] == 9):
                i += 1
            if i == stop:
                return None  # whitespace only
            if nparts == 1 and pieces.ends[0] == pieces.starts[0]:
                pieces.starts[0] = pos + 6  # the tag line's value was empty: the line replaces it
                pieces.ends[0] = j
            else:
                if nparts == pieces.capacity:
                    _grow(pieces)
                pieces.starts[nparts] = pos + 6
                pieces.ends[nparts] = j
                nparts += 1
        else:
            # a tag line: "XXXX- value" with the tag in the shape PubMed writes
            if stop - pos < 6 or not _upper(c0):
                return None
            c1 = data[pos + 1]
            c2 = data[pos + 2]
            c3 = data[pos + 3]
            if not _alnum(c1) or data[pos + 4] != 45 or data[pos + 5] != 32:  # "- "
                return None
            if c2 == 32:
                if c3 != 32:
                    return None
            elif not _alnum(c2) or not (c3 == 32 or _alnum(c3)):
                return None
            key = (<uint32_t>c0 << 24) | (<uint32_t>c1 << 16) | (<uint32_t>c2 << 8) | <uint32_t>c3
            if not first and key == 0x504D4944:  # "PMID": a second record runs on
                return None
            if nparts:
                tags.append(tag)
                values.append(_value(data, text, pieces.starts, pieces.ends, nparts))
            found = _lookup(key)
            if found is not NULL:
                tag = <object>found
            else:
                tag = PyUnicode_Substring(text, pos, pos + (2 if c2 == 32 else 3 if c3 == 32 else 4))
            if (
                collapsed is not None
                and stop - pos > 46
                and (key == 0x504D4944 or key == 0x504D4320 or key == 0x4F574E20)  # PMID PMC OWN
                and collapsed(PyUnicode_Substring(text, pos, stop))
            ):
                return None
            pieces.starts[0] = pos + 6
            pieces.ends[0] = j if j > pos + 6 else pos + 6
            nparts = 1
            first = False
        if line_end >= end:
            break
        pos = line_end + 1
        if pos >= end:
            return None  # the text ends with a line break: not what the tokenizer hands over
    tags.append(tag)
    values.append(_value(data, text, pieces.starts, pieces.ends, nparts))
    return tags, values


cdef inline object _value(
    char_t* data, object text, Py_ssize_t* starts, Py_ssize_t* ends, Py_ssize_t count
):
    if count == 1:
        return PyUnicode_Substring(text, starts[0], ends[0])
    return _joined(data, starts, ends, count)


def cut_record(str text, Py_ssize_t end, str nl, object known, object collapsed):
    """The tags and values of the record ``text[:end]``, or ``None`` when it is not in PubMed's
    layout (see ``_cut.cut_record``)."""
    if known is not _table_source:
        _build_table(known)
    if end <= 0 or end > PyUnicode_GET_LENGTH(text):
        return None
    cdef bint crlf = nl == "\r\n"
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    if kind == PyUnicode_1BYTE_KIND:
        return _cut(<Py_UCS1*>data, end, crlf, text, collapsed)
    if kind == PyUnicode_2BYTE_KIND:
        return _cut(<Py_UCS2*>data, end, crlf, text, collapsed)
    return _cut(<Py_UCS4*>data, end, crlf, text, collapsed)


# -- line numbers and raw text of the fields ------------------------------------------------------


cdef list _field_starts(char_t* data, Py_ssize_t end, Py_ssize_t first, bint want_lines):
    """For each field: its line number (want_lines) or the offset where it starts."""
    cdef Py_ssize_t pos = 0, line = first
    cdef list out = []
    while pos < end:
        if data[pos] != 32:
            out.append(line if want_lines else pos)
        pos = _line_end(data, pos, end) + 1
        line += 1
    return out


cdef list _starts(str text, Py_ssize_t end, Py_ssize_t first, bint want_lines):
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    if end > PyUnicode_GET_LENGTH(text):
        end = PyUnicode_GET_LENGTH(text)
    if kind == PyUnicode_1BYTE_KIND:
        return _field_starts(<Py_UCS1*>data, end, first, want_lines)
    if kind == PyUnicode_2BYTE_KIND:
        return _field_starts(<Py_UCS2*>data, end, first, want_lines)
    return _field_starts(<Py_UCS4*>data, end, first, want_lines)


def field_lines(str text, Py_ssize_t end, str nl, Py_ssize_t first):
    """The line number of each field of a record that :func:`cut_record` took, the record's first
    line being number *first*."""
    return _starts(text, end, first, True)


def field_raws(str text, Py_ssize_t end, str nl):
    """The exact text of each field of a record that :func:`cut_record` took: its lines, each with
    its line ending (the last field's too)."""
    cdef list starts = _starts(text, end, 0, False)
    cdef Py_ssize_t i, n = len(starts), length = PyUnicode_GET_LENGTH(text)
    cdef Py_ssize_t nl_len = len(nl)
    cdef list out = []
    for i in range(n - 1):
        out.append(PyUnicode_Substring(text, starts[i], starts[i + 1]))
    if n:
        if end + nl_len <= length and text[end:end + nl_len] == nl:
            out.append(PyUnicode_Substring(text, starts[n - 1], end + nl_len))
        else:
            out.append(PyUnicode_Substring(text, starts[n - 1], end) + nl)
    return out


# -- control characters and byte-order marks ------------------------------------------------------


def has_odd_character(str text):
    """Whether *text* holds a control character (other than tab, line feed and carriage return), a
    byte-order mark or a lone surrogate."""
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef Py_ssize_t length = PyUnicode_GET_LENGTH(text)
    if kind == PyUnicode_1BYTE_KIND:
        return _has_odd(<Py_UCS1*>data, length)
    if kind == PyUnicode_2BYTE_KIND:
        return _has_odd(<Py_UCS2*>data, length)
    return _has_odd(<Py_UCS4*>data, length)


# -- the fields of a record, as Field tuples ---------------------------------------------------------


cdef tuple _make_fields(
    char_t* data, PyTypeObject* field_type, str text, Py_ssize_t end, str nl, Py_ssize_t first,
    list tags, list values
):
    cdef Py_ssize_t n = len(tags), i = -1, pos = 0, line = first, start = 0
    cdef Py_ssize_t length = PyUnicode_GET_LENGTH(text), nl_len = len(nl)
    cdef tuple out = PyTuple_New(n)
    cdef object item, field, raw
    cdef object line_number = None
    # one pass: a line that does not start with a space starts the next field; the field before
    # it is complete then
    while True:
        if pos >= end or data[pos] != 32:
            if i >= 0:
                if pos < end:
                    raw = PyUnicode_Substring(text, start, pos)
                elif end + nl_len <= length and text[end:end + nl_len] == nl:
                    raw = PyUnicode_Substring(text, start, end + nl_len)
                else:
                    raw = PyUnicode_Substring(text, start, end) + nl
                field = PyType_GenericAlloc(field_type, 4)
                item = <object>PyList_GET_ITEM(tags, i)
                Py_INCREF(item)
                PyTuple_SET_ITEM(field, 0, item)
                item = <object>PyList_GET_ITEM(values, i)
                Py_INCREF(item)
                PyTuple_SET_ITEM(field, 1, item)
                Py_INCREF(line_number)
                PyTuple_SET_ITEM(field, 2, line_number)
                Py_INCREF(raw)
                PyTuple_SET_ITEM(field, 3, raw)
                # Strings and an int cannot form a reference cycle: the garbage collector need not
                # follow this tuple (it would find that out itself, and untrack it, at its next
                # collection, after scanning it).
                PyObject_GC_UnTrack(field)
                Py_INCREF(field)
                PyTuple_SET_ITEM(out, i, field)
            if pos >= end:
                break
            i += 1
            if i >= n:
                raise ValueError("tags and values do not match the record's fields")
            start = pos
            line_number = line
        pos = _line_end(data, pos, end) + 1
        line += 1
    if i + 1 != n:
        raise ValueError("tags and values do not match the record's fields")
    return out


def make_fields(type field_type, str text, Py_ssize_t end, str nl, Py_ssize_t first, list tags,
                list values):
    """The fields of a record that :func:`cut_record` took, as *field_type* tuples ``(tag, value,
    line number, raw text)``: one pass over the record, each tuple allocated with its four items."""
    if not issubclass(field_type, tuple):
        raise TypeError("field_type must be a tuple class")
    if len(values) != len(tags):
        raise ValueError("tags and values do not match the record's fields")
    if end > PyUnicode_GET_LENGTH(text):
        end = PyUnicode_GET_LENGTH(text)
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef PyTypeObject* kind_type = <PyTypeObject*>field_type
    if kind == PyUnicode_1BYTE_KIND:
        return _make_fields(<Py_UCS1*>data, kind_type, text, end, nl, first, tags, values)
    if kind == PyUnicode_2BYTE_KIND:
        return _make_fields(<Py_UCS2*>data, kind_type, text, end, nl, first, tags, values)
    return _make_fields(<Py_UCS4*>data, kind_type, text, end, nl, first, tags, values)


# -- where the records of a block end -----------------------------------------------------------


def record_spans(str text, str nl):
    """Where the records of a block end (see ``_cut.record_spans``): :func:`block_spans` without
    its odd-character flags (the tokenizer asks block_spans)."""
    cdef list spans = block_spans(text, nl)
    cdef Py_ssize_t i
    return [spans[i] for i in range(len(spans)) if i % 4 != 3]


# -- where the records of a block end, their line counts and odd characters, in one pass ---------


cdef list _block_spans(char_t* data, Py_ssize_t length, bint crlf):
    cdef list out = []
    cdef Py_ssize_t pos = 0, start = 0, p, q, r, groups, lines = 0
    cdef Py_UCS4 c
    cdef bint lone = False
    while pos < length:
        pos = _line_end(data, pos, length)
        if pos >= length:
            break
        lines += 1
        if crlf and (pos == 0 or data[pos - 1] != 13):
            lone = True  # a lone line feed: no line break of this input
            pos += 1
            continue
        p = pos - 1 if crlf else pos  # where the line break starts
        # blank lines after it: [ \t]* then a line break, as many as there are
        q = pos + 1
        groups = 0
        while True:
            r = q
            while r < length and (data[r] == 32 or data[r] == 9):
                r += 1
            if crlf:
                if r + 1 < length and data[r] == 13 and data[r + 1] == 10:
                    q = r + 2
                    groups += 1
                    continue
            elif r < length and data[r] == 10:
                q = r + 1
                groups += 1
                continue
            break
        if groups == 0:
            pos += 1
            continue
        if q >= length:
            break  # blank lines end the text: the end of a record is not known yet
        lines += groups
        c = data[q]
        if c == 32 or c == 9 or c == 13 or c == 10:
            pos = q  # an indented line after the blank ones: no record ends in this run
            continue
        # a boundary: the record's text ends at p, the next one starts at q
        out.append(p)
        out.append(q)
        out.append(-1 if lone else lines)
        out.append(1 if _has_odd(data + start, q - start) else 0)
        lines = 0
        lone = False
        start = q
        pos = q
    return out


def block_spans(str text, str nl):
    """Where the records of a block end, how many line feeds each holds and whether it holds an
    odd character (see ``_cut.block_spans``)."""
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef Py_ssize_t length = PyUnicode_GET_LENGTH(text)
    cdef bint crlf = nl == "\r\n"
    if kind == PyUnicode_1BYTE_KIND:
        return _block_spans(<Py_UCS1*>data, length, crlf)
    if kind == PyUnicode_2BYTE_KIND:
        return _block_spans(<Py_UCS2*>data, length, crlf)
    return _block_spans(<Py_UCS4*>data, length, crlf)


# -- whether a record needs a record-level diagnostic ------------------------------------------------

cdef enum:
    MAX_SINGLES = 64  # more tags of the once-per-record kind than this: the full check decides
    PMID_BITS_LIMIT = 1 << 27


cdef enum:
    CACHE_SIZE = 256  # a power of two

# Whether a tag is in the frozenset _cache_set, by the tag object's address: the tags of records
# the cutter took are the table's objects, so a few addresses answer nearly every lookup.  The
# cache holds a reference to each tag it keeps, so that no other string can take its address.
cdef PyObject* _cache_tags[CACHE_SIZE]
cdef unsigned char _cache_single[CACHE_SIZE]
cdef object _cache_set = None


cdef int _is_single(object tag, object single) except -1:
    global _cache_set
    cdef size_t slot
    cdef int found
    if type(single) is not frozenset:
        return PySet_Contains(single, tag)  # a set may change
    if single is not _cache_set:
        for slot in range(CACHE_SIZE):
            Py_XDECREF(_cache_tags[slot])
            _cache_tags[slot] = NULL
        _cache_set = single
    slot = (<size_t><PyObject*>tag >> 4) & (CACHE_SIZE - 1)
    if _cache_tags[slot] == <PyObject*>tag:
        return _cache_single[slot]
    found = PySet_Contains(single, tag)
    Py_XDECREF(_cache_tags[slot])
    Py_INCREF(tag)
    _cache_tags[slot] = <PyObject*>tag
    _cache_single[slot] = found
    return found


def plain_record(list tags, list values, object single, bytearray bits):
    """Which record-level diagnostics a record needs: 0 none (its PMID's bit is then set in
    *bits*), 1 only a duplicate PMID in its first field, 2 the full check decides (see
    ``_cut.plain_record``)."""
    cdef PyObject* seen[MAX_SINGLES]
    cdef Py_ssize_t n = len(tags), i, j, count = 0, at = -1, length
    cdef object tag
    cdef str pmid
    cdef Py_hash_t h
    cdef Py_hash_t hashes[MAX_SINGLES]
    cdef unsigned long long number = 0
    cdef unsigned int c
    cdef int found
    if not isinstance(single, (set, frozenset)) or len(values) != n:
        raise TypeError("single must be a set; values as many as tags")
    for i in range(n):
        tag = <object>PyList_GET_ITEM(tags, i)
        if at < 0 and tag == "PMID":
            at = i
        if _is_single(tag, single):
            h = hash(tag)  # cached in the string
            for j in range(count):
                if hashes[j] == h and (<object>seen[j] is tag or <object>seen[j] == tag):
                    return 2  # repeated
            if count == MAX_SINGLES:
                return 2
            seen[count] = <PyObject*>tag
            hashes[count] = h
            count += 1
    if at < 0:
        return 2
    value = <object>PyList_GET_ITEM(values, at)
    if type(value) is not str:
        return 2
    pmid = value
    length = PyUnicode_GET_LENGTH(pmid)
    if length < 1 or length > 10:
        return 2
    for i in range(length):
        c = <unsigned int>PyUnicode_READ_CHAR(pmid, i)
        if c < 48 or c > 57 or (i == 0 and c == 48):
            return 2
        number = number * 10 + (c - 48)
    if number >= PMID_BITS_LIMIT or <Py_ssize_t>(number >> 3) >= len(bits):
        return 2
    cdef unsigned char* data = <unsigned char*>PyByteArray_AS_STRING(bits)
    cdef unsigned char bit = 1 << (number & 7)
    if data[number >> 3] & bit:
        return 1 if at == 0 else 2
    data[number >> 3] |= bit
    return 0

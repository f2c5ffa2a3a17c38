# cython: language_level=3, boundscheck=False, wraparound=False
"""A record's fields laid out as MEDLINE lines: the compiled kernel (``_lines.py`` is its
specification).

One C pass over each value looks for line breaks and tabs; a value that fits on a line is written
as it is, a longer one is wrapped here by the rule of ``wrap._wrap`` (greedy, on the first space of
a run, the break space kept on every line but, in the legacy style, on full lines only).  A long
value holding a tab goes to ``wrap.wrap_value`` itself, whose tab rule (a part of only spaces and
tabs stays on the line before) is rare enough to stay in Python.  The pieces are slices of the
values, copied once into the record's text (no string object is made for each line).
"""

from cpython.dict cimport PyDict_GetItem
from cpython.mem cimport PyMem_Free, PyMem_Malloc, PyMem_Realloc
from cpython.list cimport PyList_GET_ITEM, PyList_GET_SIZE
from cpython.ref cimport PyObject
from libc.string cimport memcpy

from .wrap import WIDTHS, wrap_value

cdef extern from "Python.h":
    int PyUnicode_KIND(object text)
    void* PyUnicode_DATA(object text)
    Py_UCS4 PyUnicode_READ(int kind, void* data, Py_ssize_t index)
    object PyUnicode_New(Py_ssize_t size, Py_UCS4 maxchar)
    Py_UCS4 PyUnicode_MAX_CHAR_VALUE(object text)
    Py_ssize_t PyUnicode_CopyCharacters(object to, Py_ssize_t to_start, object source,
                                        Py_ssize_t source_start, Py_ssize_t count) except -1

cdef str _INDENT = "      "

cdef enum:
    LINE_BREAK = 1
    TAB = 2


cdef inline int _scan(str value, Py_ssize_t n):
    """LINE_BREAK when *value* holds ``\\n`` or ``\\r``, else TAB when it holds a tab, else 0."""
    cdef int kind = PyUnicode_KIND(value)
    cdef void* data = PyUnicode_DATA(value)
    cdef const unsigned char* narrow
    cdef Py_ssize_t i
    cdef Py_UCS4 c
    cdef int found = 0
    if kind == 1:
        narrow = <const unsigned char*>data
        for i in range(n):
            c = narrow[i]
            if c <= 13:
                if c == 10 or c == 13:
                    return LINE_BREAK
                if c == 9:
                    found = TAB
    else:
        for i in range(n):
            c = PyUnicode_READ(kind, data, i)
            if c <= 13:
                if c == 10 or c == 13:
                    return LINE_BREAK
                if c == 9:
                    found = TAB
    return found


cdef inline Py_ssize_t _break(int kind, void* data, Py_ssize_t start, Py_ssize_t end,
                              Py_ssize_t width):
    """The break point of the line starting at *start* (``wrap._last_break``, else
    ``wrap._first_break``) in the text up to *end*, or -1."""
    cdef Py_ssize_t i = start + width  # < end: the rest is longer than the width
    while i > start and PyUnicode_READ(kind, data, i) != 32:
        i -= 1
    if i > start:  # back to the first space of its run
        while i > start and PyUnicode_READ(kind, data, i - 1) == 32:
            i -= 1
        if i > start:
            return i
    for i in range(start + 1, end):  # a word longer than the width: the first break after it
        if PyUnicode_READ(kind, data, i) == 32 and PyUnicode_READ(kind, data, i - 1) != 32:
            return i
    return -1


cdef struct Piece:
    PyObject* text  # kept alive by the fields, the prefixes, the locals or ``keep``
    Py_ssize_t start
    Py_ssize_t end


cdef class _Pieces:
    """The pieces of the text, as slices of strings that stay alive: copied once into the result,
    with no string object made for each slice."""

    cdef Piece* items
    cdef Py_ssize_t count, capacity, length
    cdef Py_UCS4 maxchar

    def __cinit__(self):
        self.capacity = 256
        self.items = <Piece*>PyMem_Malloc(self.capacity * sizeof(Piece))
        if self.items is NULL:
            raise MemoryError()

    def __dealloc__(self):
        PyMem_Free(self.items)

    cdef int add(self, str text, Py_ssize_t start, Py_ssize_t end) except -1:
        cdef Piece* grown
        if self.count == self.capacity:
            grown = <Piece*>PyMem_Realloc(self.items, 2 * self.capacity * sizeof(Piece))
            if grown is NULL:
                raise MemoryError()
            self.items = grown
            self.capacity *= 2
        self.items[self.count].text = <PyObject*>text
        self.items[self.count].start = start
        self.items[self.count].end = end
        self.count += 1
        self.length += end - start
        cdef Py_UCS4 top = PyUnicode_MAX_CHAR_VALUE(text)
        if top > self.maxchar:
            self.maxchar = top
        return 0

    cdef str text(self):
        # Every character of a value is in a piece but the break spaces, so the widest character
        # of the pieces' strings is in the result: it is in CPython's canonical (narrowest) form.
        cdef str out = PyUnicode_New(self.length, self.maxchar)
        cdef int kind = PyUnicode_KIND(out)
        cdef char* data = <char*>PyUnicode_DATA(out)
        cdef Py_ssize_t i, size, at = 0
        cdef Piece* piece
        for i in range(self.count):
            piece = &self.items[i]
            size = piece.end - piece.start
            if PyUnicode_KIND(<object>piece.text) == kind:  # most pieces: one memcpy
                memcpy(data + at * kind,
                       <char*>PyUnicode_DATA(<object>piece.text) + piece.start * kind,
                       size * kind)
            else:
                PyUnicode_CopyCharacters(out, at, <object>piece.text, piece.start, size)
            at += size
        return out


cdef int _wrapped(_Pieces out, str value, Py_ssize_t n, Py_ssize_t width, bint always_keep,
                  str continuation) except -1:
    """Add the lines of a long *value* with no tab (``wrap.wrap_value``), joined by
    *continuation*, to *out*."""
    cdef int kind = PyUnicode_KIND(value)
    cdef void* data = PyUnicode_DATA(value)
    cdef Py_ssize_t core = n, start = 0, brk
    cdef Py_ssize_t gap = len(continuation)
    while core > 0 and PyUnicode_READ(kind, data, core - 1) == 32:
        core -= 1
    while core - start > width:
        brk = _break(kind, data, start, core, width)
        if brk < 0:
            break
        if always_keep or brk - start == width - 1:
            out.add(value, start, brk + 1)
        else:
            out.add(value, start, brk)
        out.add(continuation, 0, gap)
        start = brk + 1
    # the last line keeps the value's trailing spaces (a parser strips them)
    out.add(value, start, n)
    return 0


def field_text(list fields, str style, str newline, dict prefixes):
    """The lines of *fields* in *style*, or ``None`` when a value holds a line break (see
    ``_lines.field_text``)."""
    cdef Py_ssize_t width = WIDTHS[style]
    cdef bint always_keep = style != "legacy"
    cdef str continuation = newline + _INDENT
    cdef Py_ssize_t ending = len(newline)
    cdef _Pieces out = _Pieces()
    cdef list keep = []  # strings made here, alive until the text is copied
    cdef Py_ssize_t i, n, count = PyList_GET_SIZE(fields)
    cdef PyObject* found
    cdef object prefix
    cdef str value, text
    cdef int scanned
    for i in range(count):
        tag, item = <object>PyList_GET_ITEM(fields, i)
        value = item
        n = len(value)
        scanned = _scan(value, n)
        if scanned == LINE_BREAK:
            return None
        found = PyDict_GetItem(prefixes, tag)
        prefix = <object>found if found is not NULL else None
        if not prefix:
            prefix = f"{tag:<4}- "
            keep.append(prefix)
        text = prefix
        out.add(text, 0, len(text))
        if n <= width:
            out.add(value, 0, n)
        elif scanned == TAB:
            text = continuation.join(wrap_value(value, style))
            keep.append(text)
            out.add(text, 0, len(text))
        else:
            _wrapped(out, value, n, width, always_keep, continuation)
        out.add(newline, 0, ending)
    return out.text()

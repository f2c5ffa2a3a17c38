# cython: language_level=3, boundscheck=False, wraparound=False
"""A record's fields laid out as MEDLINE lines: the compiled kernel (``_lines.py`` is its
specification).

One C pass over each value looks for line breaks and tabs; a value that fits on a line is written
as it is, a longer one is wrapped here by the rule of ``wrap._wrap`` (greedy, on the first space of
a run, the break space kept on every line but, in the legacy style, on full lines only).  A long
value holding a tab goes to ``wrap.wrap_value`` itself, whose tab rule (a part of only spaces and
tabs stays on the line before) is rare enough to stay in Python.  The pieces are joined once.
"""

from cpython.dict cimport PyDict_GetItem
from cpython.list cimport PyList_GET_ITEM, PyList_GET_SIZE
from cpython.ref cimport PyObject

from .wrap import WIDTHS, wrap_value

cdef extern from "Python.h":
    int PyUnicode_KIND(object text)
    void* PyUnicode_DATA(object text)
    Py_UCS4 PyUnicode_READ(int kind, void* data, Py_ssize_t index)
    object PyUnicode_Substring(object text, Py_ssize_t start, Py_ssize_t end)

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


cdef int _wrapped(list out, str value, Py_ssize_t n, Py_ssize_t width, bint always_keep,
                  str continuation) except -1:
    """Append the lines of a long *value* with no tab (``wrap.wrap_value``), joined by
    *continuation*, to *out*."""
    cdef int kind = PyUnicode_KIND(value)
    cdef void* data = PyUnicode_DATA(value)
    cdef Py_ssize_t core = n, start = 0, brk
    while core > 0 and PyUnicode_READ(kind, data, core - 1) == 32:
        core -= 1
    while core - start > width:
        brk = _break(kind, data, start, core, width)
        if brk < 0:
            break
        if always_keep or brk - start == width - 1:
            out.append(PyUnicode_Substring(value, start, brk + 1))
        else:
            out.append(PyUnicode_Substring(value, start, brk))
        out.append(continuation)
        start = brk + 1
    # the last line keeps the value's trailing spaces (a parser strips them)
    out.append(value if start == 0 else PyUnicode_Substring(value, start, n))
    return 0


def field_text(list fields, str style, str newline, dict prefixes):
    """The lines of *fields* in *style*, or ``None`` when a value holds a line break (see
    ``_lines.field_text``)."""
    cdef Py_ssize_t width = WIDTHS[style]
    cdef bint always_keep = style != "legacy"
    cdef str continuation = newline + _INDENT
    cdef list out = []
    cdef Py_ssize_t i, n, count = PyList_GET_SIZE(fields)
    cdef PyObject* found
    cdef object prefix
    cdef str value
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
        out.append(prefix)
        if n <= width:
            out.append(value)
        elif scanned == TAB:
            out.append(continuation.join(wrap_value(value, style)))
        else:
            _wrapped(out, value, n, width, always_keep, continuation)
        out.append(newline)
    return "".join(out)

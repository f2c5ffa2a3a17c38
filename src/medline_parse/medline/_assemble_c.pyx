# cython: language_level=3, boundscheck=False, wraparound=False
"""Grouping fields by tag and building the plain kinds: the compiled kernel (``_assemble.py`` is
its specification): the same two passes with C loops and C-API list, tuple and dict calls."""

from cpython.dict cimport PyDict_GetItem, PyDict_SetItem
from cpython.list cimport PyList_GET_ITEM, PyList_GET_SIZE
from cpython.ref cimport PyObject, Py_INCREF
from cpython.tuple cimport PyTuple_New, PyTuple_SET_ITEM

cdef enum:
    EXTRA = 0
    SCALAR = 1
    LIST = 2
    SEQUENTIAL = 3
    PARSED = 4
    RELATION = 11


cdef inline tuple _values_at(list values, list indexes):
    cdef Py_ssize_t i, n = PyList_GET_SIZE(indexes)
    cdef tuple out = PyTuple_New(n)
    cdef object value
    for i in range(n):
        value = <object>PyList_GET_ITEM(values, <Py_ssize_t>(<object>PyList_GET_ITEM(indexes, i)))
        Py_INCREF(value)
        PyTuple_SET_ITEM(out, i, value)
    return out


def assemble(list tags, list values, kinds):
    """Group a record's fields and build the plain kinds (see ``_assemble.assemble``)."""
    cdef dict groups = {}
    cdef Py_ssize_t index, i, n = PyList_GET_SIZE(tags), m
    cdef PyObject* found
    cdef object tag
    cdef list indexes
    for index in range(n):
        tag = <object>PyList_GET_ITEM(tags, index)
        found = PyDict_GetItem(groups, tag)
        if found is NULL:
            PyDict_SetItem(groups, tag, [index])
        else:
            (<list><object>found).append(index)
    cdef dict out = {}
    cdef list extra = []
    cdef list sequential = []
    cdef list relations = []
    cdef dict later = {}
    cdef dict kind_table = kinds if type(kinds) is dict else dict(kinds)
    cdef int kind
    cdef tuple entry
    cdef tuple parsed
    cdef object attribute, parse, value
    for tag, group in groups.items():
        indexes = <list>group
        found = PyDict_GetItem(kind_table, tag)
        if found is NULL:
            kind = EXTRA
            attribute = ""
            parse = None
        else:
            entry = <tuple><object>found
            kind = entry[0]
            attribute = entry[1]
            parse = entry[2]
        m = PyList_GET_SIZE(indexes)
        if kind == SCALAR:
            out[attribute] = values[<Py_ssize_t>indexes[0]]
            for i in range(1, m):
                index = indexes[i]
                extra.append((index, tag, values[index]))
        elif kind == SEQUENTIAL:
            sequential.extend(indexes)
        elif kind == LIST:
            out[attribute] = _values_at(values, indexes)
        elif kind == PARSED:
            parsed = PyTuple_New(m)
            for i in range(m):
                value = parse(values[<Py_ssize_t>indexes[i]])
                Py_INCREF(value)
                PyTuple_SET_ITEM(parsed, i, value)
            out[attribute] = parsed
        elif kind == RELATION:
            relations.extend(indexes)
        elif kind == EXTRA:
            for i in range(m):
                index = indexes[i]
                extra.append((index, tag, values[index]))
        else:
            later[tag] = indexes
    sequential.sort()
    relations.sort()
    return out, extra, sequential, relations, later

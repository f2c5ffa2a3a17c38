# cython: language_level=3, boundscheck=False, wraparound=False
"""People, keywords and other abstracts: the compiled kernel (``_people.py`` is its specification).

The same walk as the pure one, over the same table, with the row unpacked into C variables, the
person under construction held as a typed list and the results built with C-API calls.
"""

from cpython.dict cimport PyDict_GetItem
from cpython.list cimport PyList_GET_ITEM, PyList_GET_SIZE
from cpython.ref cimport PyObject

cdef enum:
    PERSON = 1
    PERSON_PART = 2
    KEYWORD_OWNER = 3
    KEYWORD_TERM = 4
    OTHER_ABSTRACT = 5
    OTHER_ABSTRACT_LANGUAGE = 6


def sequential(list tags, list values, list indexes, table):
    """Read the fields at *indexes* (see ``_people.sequential``)."""
    cdef dict rows = table if type(table) is dict else dict(table)
    cdef dict people = {}
    cdef dict alone = {}
    cdef list keywords = []
    cdef list other_abstracts = []
    cdef list extra = []
    cdef list current = None
    cdef object current_list = ""
    cdef object keyword_owner = None
    cdef object empty_owner = None
    cdef object empty_tag = ""
    cdef Py_ssize_t empty_index = -1
    cdef Py_ssize_t i, n = PyList_GET_SIZE(indexes), index, slot
    cdef int role
    cdef object tag, raw, home, pair, joins, parse
    cdef tuple row
    cdef list last
    cdef PyObject* found
    for i in range(n):
        index = <object>PyList_GET_ITEM(indexes, i)
        tag = <object>PyList_GET_ITEM(tags, index)
        raw = <object>PyList_GET_ITEM(values, index)
        found = PyDict_GetItem(rows, tag)
        if found is NULL:
            raise KeyError(tag)
        row = <tuple><object>found
        role = row[0]
        home = row[1]
        slot = row[2]
        pair = row[3]
        if role == PERSON:
            if (
                current is not None
                and current_list == home
                and pair
                and index > 0
                and <object>PyList_GET_ITEM(tags, index - 1) == pair
                and current[slot] is None
                and current[2] is None
            ):
                current[slot] = raw
            else:
                current = [None, None, None, [], []]
                current[slot] = raw
                found = PyDict_GetItem(people, home)
                if found is NULL:
                    people[home] = [current]
                else:
                    (<list><object>found).append(current)
                current_list = home
        elif role == PERSON_PART:
            joins = row[4]
            if current is not None and current_list in joins:
                parse = row[5]
                (<list>current[slot]).append(raw if parse is None else parse(raw))
            elif current is None and home:
                found = PyDict_GetItem(alone, home)
                if found is NULL:
                    alone[home] = [raw]
                else:
                    (<list><object>found).append(raw)
            else:
                extra.append((index, tag, raw))
        elif role == KEYWORD_OWNER:
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
            if len(raw) > 1 and (<str>raw).startswith("*"):
                keywords.append((raw[1:], keyword_owner, True))
            else:
                keywords.append((raw, keyword_owner, False))
            empty_owner = None
        elif role == OTHER_ABSTRACT:
            other_abstracts.append([raw, None])
        elif (
            role == OTHER_ABSTRACT_LANGUAGE
            and index > 0
            and <object>PyList_GET_ITEM(tags, index - 1) == pair
            and other_abstracts
        ):
            last = other_abstracts[len(other_abstracts) - 1]
            if last[1] is None:
                last[1] = raw
            else:
                extra.append((index, tag, raw))
        else:
            extra.append((index, tag, raw))
    if empty_owner is not None:
        extra.append((empty_index, empty_tag, empty_owner))
    return people, alone, keywords, other_abstracts, extra

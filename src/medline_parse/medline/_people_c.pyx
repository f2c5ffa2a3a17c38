# cython: language_level=3, boundscheck=False, wraparound=False
"""People, keywords and other abstracts: the compiled kernel (``_people.py`` is its specification).

The same walk as the pure one, with the tag's role found by one dictionary lookup into a small
integer, the person under construction held in C variables, and the lists built with C-API calls.
"""

from cpython.dict cimport PyDict_GetItem
from cpython.list cimport PyList_GET_ITEM, PyList_GET_SIZE
from cpython.ref cimport PyObject

cdef enum Role:
    FAU = 1
    AU
    CN
    FED
    ED
    FIR
    IR
    FPS
    PS
    AD
    AUID
    IRAD
    OTO
    OT
    OAB
    OABL

cdef enum Target:
    NONE = 0
    AUTHORS
    EDITORS
    INVESTIGATORS
    SUBJECTS

cdef dict _ROLES = {
    "FAU": FAU, "AU": AU, "CN": CN, "FED": FED, "ED": ED, "FIR": FIR, "IR": IR, "FPS": FPS,
    "PS": PS, "AD": AD, "AUID": AUID, "IRAD": IRAD, "OTO": OTO, "OT": OT, "OAB": OAB, "OABL": OABL,
}
cdef tuple _TARGET_NAMES = (None, "authors", "editors", "investigators", "personal_name_subjects")

# For each person role: its list, its slot (0 full, 1 short, 2 collective) and its pair's role.
cdef int _target[17]
cdef int _slot[17]
cdef int _pair[17]


cdef void _person(int role, int target, int slot, int pair):
    _target[role] = target
    _slot[role] = slot
    _pair[role] = pair


_person(FAU, AUTHORS, 0, 0)
_person(AU, AUTHORS, 1, FAU)
_person(CN, AUTHORS, 2, 0)
_person(FED, EDITORS, 0, 0)
_person(ED, EDITORS, 1, FED)
_person(FIR, INVESTIGATORS, 0, IR)
_person(IR, INVESTIGATORS, 1, FIR)
_person(FPS, SUBJECTS, 0, PS)
_person(PS, SUBJECTS, 1, FPS)


cdef inline int _role(object tag):
    cdef PyObject* found = PyDict_GetItem(_ROLES, tag)
    return 0 if found is NULL else <int><object>found


def sequential(list tags, list values, list indexes):
    """Read the fields at *indexes* (see ``_people.sequential``)."""
    cdef dict people = {}
    cdef list affiliations = []
    cdef list keywords = []
    cdef list other_abstracts = []
    cdef list extra = []
    cdef list current = None
    cdef int current_target = NONE
    cdef object keyword_owner = None
    cdef object empty_owner = None
    cdef Py_ssize_t empty_index = -1
    cdef Py_ssize_t i, n = PyList_GET_SIZE(indexes), index
    cdef int role, target, slot, pair
    cdef object tag, raw
    cdef list last
    cdef PyObject* found
    for i in range(n):
        index = <object>PyList_GET_ITEM(indexes, i)
        tag = <object>PyList_GET_ITEM(tags, index)
        raw = <object>PyList_GET_ITEM(values, index)
        role = _role(tag)
        if FAU <= role <= PS:
            target = _target[role]
            slot = _slot[role]
            pair = _pair[role]
            if (
                current is not None
                and current_target == target
                and pair != 0
                and index > 0
                and _role(<object>PyList_GET_ITEM(tags, index - 1)) == pair
                and current[slot] is None
                and current[2] is None
            ):
                current[slot] = raw
            else:
                current = [None, None, None, [], []]
                current[slot] = raw
                name = _TARGET_NAMES[target]
                found = PyDict_GetItem(people, name)
                if found is NULL:
                    people[name] = [current]
                else:
                    (<list><object>found).append(current)
                current_target = target
        elif role == AD:
            if current is not None and (current_target == AUTHORS or current_target == EDITORS):
                (<list>current[4]).append(raw)
            elif current is None:
                affiliations.append(raw)
            else:
                extra.append((index, tag, raw))
        elif role == AUID:
            if current is not None:
                (<list>current[3]).append(raw)
            else:
                extra.append((index, tag, raw))
        elif role == IRAD:
            if current is not None and current_target == INVESTIGATORS:
                (<list>current[4]).append(raw)
            else:
                extra.append((index, tag, raw))
        elif role == OTO:
            if empty_owner is not None:
                extra.append((empty_index, "OTO", empty_owner))
                keyword_owner = empty_owner = raw
                empty_index = index
            elif keywords and raw == keyword_owner:
                extra.append((index, "OTO", raw))
            else:
                keyword_owner = empty_owner = raw
                empty_index = index
        elif role == OT:
            keywords.append((raw, keyword_owner))
            empty_owner = None
        elif role == OAB:
            other_abstracts.append([raw, None])
        elif (
            role == OABL
            and index > 0
            and _role(<object>PyList_GET_ITEM(tags, index - 1)) == OAB
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
        extra.append((empty_index, "OTO", empty_owner))
    return people, affiliations, keywords, other_abstracts, extra

# cython: language_level=3, boundscheck=False, wraparound=False
"""Converter-free constructors: the compiled kernel (``_construct.py`` is its specification).

For a slotted class, the constructor allocates the instance and writes each argument straight into
its slot (the offset the slot's member descriptor gives), which is what ``object.__setattr__`` ends
up doing after a type lookup and a descriptor call per field.  A class whose fields are not all
plain slots gets the pure-Python constructor.
"""

import attrs

from cpython.ref cimport PyObject, Py_INCREF, Py_XDECREF
from cpython.tuple cimport PyTuple_New, PyTuple_SET_ITEM
from libc.stdlib cimport free, malloc

from ._construct import direct_constructor as _pure_constructor

cdef extern from "Python.h":
    ctypedef struct PyMemberDef:
        Py_ssize_t offset
    ctypedef struct PyMemberDescrObject:
        PyMemberDef* d_member
    ctypedef struct PyTypeObject
    object PyType_GenericAlloc(PyTypeObject* type, Py_ssize_t nitems)

cdef object _MISSING = object()


cdef class DirectConstructor:
    """Builds instances of one slotted attrs class from arguments stored as given."""

    cdef object cls
    cdef Py_ssize_t count
    cdef Py_ssize_t* offsets
    cdef tuple defaults  # _MISSING for a field without a default
    cdef dict positions  # alias -> position
    cdef tuple aliases
    cdef str name

    def __cinit__(self):
        self.offsets = NULL

    def __dealloc__(self):
        free(self.offsets)

    def __call__(self, *args, **kwargs):
        cdef Py_ssize_t i, n = len(args), count = self.count
        cdef list values
        if n > count:
            raise TypeError(f"{self.name}() takes {count} arguments but {n} were given")
        if kwargs:
            values = list(self.defaults)
            for i in range(n):
                values[i] = args[i]
            for name, value in kwargs.items():
                position = self.positions.get(name)
                if position is None:
                    raise TypeError(f"{self.name}() got an unexpected keyword argument {name!r}")
                if <Py_ssize_t>position < n:
                    raise TypeError(f"{self.name}() got multiple values for argument {name!r}")
                values[<Py_ssize_t>position] = value
        elif n == count:
            return self._make(args)
        else:
            values = list(args) + list(self.defaults[n:])
        return self._make(tuple(values))

    def reduce(self, instance):
        """``(self, field values)``: what pickle needs to rebuild *instance* with this constructor
        (the values read straight from the slots the constructor writes)."""
        cdef Py_ssize_t i
        cdef PyObject* value
        if type(instance) is not self.cls:
            raise TypeError(f"{self.name} cannot reduce a {type(instance).__name__}")
        cdef tuple values = PyTuple_New(self.count)
        for i in range(self.count):
            value = (<PyObject**>((<char*><PyObject*>instance) + self.offsets[i]))[0]
            if value == NULL:
                raise AttributeError(f"{self.aliases[i]!r} is not set")
            Py_INCREF(<object>value)
            PyTuple_SET_ITEM(values, i, <object>value)
        return (self, values)

    def __reduce__(self):
        # pickled by its class: unpickling finds the constructor already made in that process
        from .pickling import constructor_of

        return (constructor_of, (self.cls,))

    cdef object _make(self, tuple values):
        cdef Py_ssize_t i
        cdef object value
        cdef PyObject** slot
        for i in range(self.count):
            if values[i] is _MISSING:
                raise TypeError(
                    f"{self.name}() missing required argument: {self.aliases[i]!r}"
                )
        instance = PyType_GenericAlloc(<PyTypeObject*>self.cls, 0)
        for i in range(self.count):
            value = values[i]
            slot = <PyObject**>((<char*><PyObject*>instance) + self.offsets[i])
            Py_INCREF(value)
            Py_XDECREF(slot[0])
            slot[0] = <PyObject*>value
        return instance


cdef object _slot_descriptor(object cls, str name):
    for klass in cls.__mro__:
        found = klass.__dict__.get(name)
        if found is not None:
            return found if type(found).__name__ == "member_descriptor" else None
    return None


def direct_constructor(cls):
    """A constructor of the frozen attrs class *cls* that stores its arguments (positional in
    field order, or by keyword) as given, running no converter, validator or post-init hook.

    Absent arguments take the field's default; a factory default is called once, so it must make
    an immutable value (it is shared by the instances).
    """
    fields = attrs.fields(cls)
    defaults = []
    for field in fields:
        default = field.default
        if default is attrs.NOTHING:
            defaults.append(_MISSING)
            continue
        if isinstance(default, attrs.Factory):
            default = default.factory()
        hash(default)  # immutable, so it can be shared between instances
        defaults.append(default)
    descriptors = [_slot_descriptor(cls, field.name) for field in fields]
    if any(d is None for d in descriptors) or cls.__new__ is not object.__new__:
        return _pure_constructor(cls)
    cdef DirectConstructor made = DirectConstructor.__new__(DirectConstructor)
    made.cls = cls
    made.count = len(fields)
    made.offsets = <Py_ssize_t*>malloc(max(1, made.count) * sizeof(Py_ssize_t))
    if made.offsets == NULL:
        raise MemoryError()
    cdef Py_ssize_t i
    for i in range(made.count):
        made.offsets[i] = (<PyMemberDescrObject*><PyObject*>descriptors[i]).d_member.offset
    made.defaults = tuple(defaults)
    made.aliases = tuple(field.alias for field in fields)
    made.positions = {field.alias: i for i, field in enumerate(fields)}
    made.name = f"direct_constructor({cls.__qualname__})"
    return made

"""Converter-free constructors of the frozen ``attrs`` value classes: the pure-Python kernel, and
the specification of ``_construct_c.pyx``, its compiled twin (same function, same results).

This one generates, for each class, a Python function that makes the instance with
``object.__new__`` and stores each field with ``object.__setattr__``; the compiled one writes the
fields straight into the instance's slots.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

__all__ = ["direct_constructor"]


def direct_constructor(cls: type[Any]) -> Callable[..., Any]:
    """A constructor of the frozen attrs class *cls* that stores its arguments (positional in
    field order, or by keyword) as given, running no converter, validator or post-init hook.

    Absent arguments take the field's default; a factory default is called once, so it must make
    an immutable value (it is shared by the instances).
    """
    fields = attrs.fields(cls)
    parameters = []
    namespace: dict[str, Any] = {
        "_new": object.__new__,
        "_setter_of": object.__setattr__.__get__,
        "_cls": cls,
    }
    for field in fields:
        default = field.default
        if default is attrs.NOTHING:
            parameters.append(field.alias)
            continue
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            default = default.factory()
        hash(default)  # immutable, so it can be shared between instances
        namespace[f"_default_{field.alias}"] = default
        parameters.append(f"{field.alias}=_default_{field.alias}")
    lines = [
        f"def construct({', '.join(parameters)}):",
        "    self = _new(_cls)",
        "    _set = _setter_of(self)",
        *(f"    _set({field.name!r}, {field.alias})" for field in fields),
        "    return self",
    ]
    exec("\n".join(lines), namespace)
    construct: Callable[..., Any] = namespace["construct"]
    construct.__qualname__ = f"direct_constructor({cls.__qualname__})"
    return construct

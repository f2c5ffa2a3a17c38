"""Fast construction of the frozen ``attrs`` value classes.

The value classes check and convert what they are given (lists become tuples, strings become
identifiers): right for values built by hand, pure cost for values the builder has already shaped.
:func:`direct_constructor` makes a constructor that stores its arguments as given.  Not public API.

It is a kernel: ``_construct.py`` in pure Python (the specification), ``_construct_c.pyx`` compiled
(the instance's slots written directly, used when the extension was built).
"""

from __future__ import annotations

try:  # the compiled kernel, when the extension was built (medline_parse.COMPILED)
    from ._construct_c import direct_constructor
except ImportError:  # pragma: no cover - the pure-Python build
    from ._construct import direct_constructor

__all__ = ["direct_constructor"]

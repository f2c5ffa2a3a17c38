"""Which build is loaded: the compiled kernels, or their pure-Python twins.

The hot loops of reading and writing live in small *kernel* modules, each written twice:
``_NAME.py`` in pure Python (the specification, and the fallback) and ``_NAME_c.pyx`` in Cython,
compiled by ``setup.py`` when a C compiler is there.  A module that uses a kernel imports
``_NAME_c`` and falls back to ``_NAME`` when the extension was not built.
"""

from __future__ import annotations

import importlib
from typing import Final

KERNELS: Final = (
    "medline_parse.medline._build",
    "medline_parse.medline._cut",
    "medline_parse.medline._emit",
    "medline_parse.medline._lines",
    "medline_parse.model._construct",
    "medline_parse.xml._walk",
)
"""The pure-Python kernel modules; each one's compiled twin is the same name plus ``_c``."""


def compiled_kernels() -> dict[str, bool]:
    """For each kernel, whether its compiled twin can be imported."""
    found: dict[str, bool] = {}
    for name in KERNELS:
        try:
            importlib.import_module(name + "_c")
        except ImportError:
            found[name] = False
        else:
            found[name] = True
    return found


def is_compiled() -> bool:
    """Whether every kernel's compiled twin is importable (and so the one in use)."""
    return all(compiled_kernels().values())

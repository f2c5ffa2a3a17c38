"""Build script: compile the Cython kernels when possible, install pure Python otherwise.

Everything about the package (metadata, dependencies, extras, scripts, package data) is declared in
pyproject.toml; this file only adds the C extensions, which setuptools cannot declare there.

Every ``src/medline_parse/**/_NAME_c.pyx`` is compiled to the extension module ``..._NAME_c``,
beside the pure-Python module ``_NAME.py`` that is its specification and fallback (the module
that uses a kernel imports ``_NAME_c`` and falls back to ``_NAME`` when it is absent).

The pure-Python build is installed, with one line saying so, when

* ``MEDLINE_PARSE_PURE=1`` is set (to force it), or
* Cython cannot be imported (it is a build requirement, so only a non-isolated build lacks it), or
* compiling or linking fails (no C compiler, no Python headers).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from setuptools.errors import CCompilerError, ExecError, PlatformError

HERE = Path(__file__).resolve().parent
PACKAGE_ROOT = HERE / "src"


# The commands that build what gets installed (pip runs setup.py several times per install: only
# one of those runs is a build, and only it says which build it makes).
_BUILD_COMMANDS = frozenset({"build", "build_ext", "bdist_wheel", "editable_wheel", "install"})


def _notice(reason: str) -> None:
    if _BUILD_COMMANDS.intersection(sys.argv[1:]):
        print(f"medline-parse: {reason}, installing the pure-Python build", file=sys.stderr)


def _lxml_build() -> tuple[list[str], str] | None:
    """lxml's C headers (its public C API and libxml2's) and its version, or None when lxml is not
    installed."""
    try:
        import lxml
    except ImportError:
        return None
    return list(lxml.get_include()), str(lxml.__version__)


def _extensions() -> list[Extension]:
    sources = sorted(PACKAGE_ROOT.glob("medline_parse/**/_*_c.pyx"))
    extensions = []
    for path in sources:
        include_dirs: list[str] = []
        macros: list[tuple[str, str | None]] = []
        # A kernel that walks lxml's C tree (it cimports lxml) compiles against lxml's headers; it
        # is left out (its pure twin serves) when lxml is not there to provide them.  It is told
        # the lxml version it was built with, and stands aside for its pure twin when another
        # lxml release is installed later (the C layouts it reads are lxml's to change).
        if "cimport lxml" in path.read_text(encoding="utf-8"):
            found = _lxml_build()
            if found is None:
                if _BUILD_COMMANDS.intersection(sys.argv[1:]):
                    print(f"medline-parse: no lxml to build {path.name} against", file=sys.stderr)
                continue
            include_dirs, version = found
            macros.append(("MEDLINE_PARSE_LXML_BUILT", f'"{version}"'))
        extensions.append(
            Extension(
                ".".join(path.relative_to(PACKAGE_ROOT).with_suffix("").parts),
                [str(path.relative_to(HERE))],
                include_dirs=include_dirs,
                define_macros=macros,
            )
        )
    return extensions


class OptionalBuildExt(build_ext):
    """``build_ext`` that falls back to the pure-Python build when compiling fails."""

    def run(self) -> None:
        try:
            super().run()
        except (CCompilerError, ExecError, PlatformError):
            _notice("no C compiler")
            self.extensions[:] = []


def _ext_modules() -> list[Extension]:
    """The extensions to build, or none (decided here, so that a pure wheel is tagged pure)."""
    if os.environ.get("MEDLINE_PARSE_PURE", "").strip() not in ("", "0"):
        _notice("MEDLINE_PARSE_PURE is set")
        return []
    try:
        from Cython.Build import cythonize
    except ImportError:
        _notice("Cython is not installed")
        return []
    # A Cython error (a bug in a .pyx) fails the build: it must not pass for a missing compiler.
    extensions: list[Extension] = cythonize(
        _extensions(),
        build_dir="build/cython",
        compiler_directives={
            "language_level": 3,
            "boundscheck": False,
            "wraparound": False,
            "initializedcheck": False,
            "cdivision": True,
            "embedsignature": True,
        },
        quiet=True,
    )
    return extensions


setup(ext_modules=_ext_modules(), cmdclass={"build_ext": OptionalBuildExt})

"""The two builds: ``medline_parse.COMPILED`` tells the truth, the kernels are all compiled or all
pure, and ``setup.py`` falls back to pure Python with one line when it cannot compile.

CI installs a wheel built from the sdist and runs the whole suite against it with
``MEDLINE_PARSE_EXPECT_COMPILED=1``, and a ``MEDLINE_PARSE_PURE=1`` install with
``MEDLINE_PARSE_EXPECT_COMPILED=0``: without the last tests below, a build that quietly fell back
(or a test run that imported ``src/`` instead of the installed wheel) would pass unnoticed.
"""

from __future__ import annotations

import importlib
import inspect
import os
import shutil
import subprocess
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

import medline_parse
from medline_parse import _compiled
from medline_parse.medline import builder, tokenizer
from medline_parse.model import construction
from medline_parse.xml import elements

from .conftest import ROOT

SRC = ROOT / "src"
NOTICE = "medline-parse: no C compiler, installing the pure-Python build"


def _from_src() -> bool:
    return Path(medline_parse.__file__ or "").resolve().is_relative_to(SRC.resolve())


def _is_extension(path: str | None) -> bool:
    return path is not None and path.endswith(tuple(EXTENSION_SUFFIXES))


def test_flag_is_public_and_agrees_with_the_kernels() -> None:
    assert "COMPILED" in medline_parse.__all__
    assert isinstance(medline_parse.COMPILED, bool)
    found = _compiled.compiled_kernels()
    # all or nothing: a half-compiled install would be a packaging bug
    assert set(found.values()) == {medline_parse.COMPILED}, found


def test_compiled_twins_are_extension_modules() -> None:
    for name in _compiled.KERNELS:
        pure = importlib.import_module(name)
        assert not _is_extension(pure.__file__), pure.__file__
        if medline_parse.COMPILED:
            twin = importlib.import_module(name + "_c")
            assert _is_extension(twin.__file__), twin.__file__
            # same public functions: the pure module is the specification of the compiled one
            functions = {n for n in pure.__all__ if inspect.isfunction(getattr(pure, n))}
            assert functions, name
            assert functions <= set(dir(twin)), name


def test_the_modules_that_use_kernels_use_the_loaded_build() -> None:
    # One missing function in a compiled twin makes its user fall back to the pure kernel as a
    # whole (the imports share one try block): every kernel function in use must come from the
    # loaded build.
    users = [tokenizer, builder, construction, elements]
    kernels = set(_compiled.KERNELS)
    used = {
        (user.__name__, name): getattr(value, "__module__", None)
        for user in users
        for name, value in vars(user).items()
        if callable(value) and str(getattr(value, "__module__", "")).removesuffix("_c") in kernels
    }
    assert len(used) >= 8, used
    suffix = "_c" if medline_parse.COMPILED else ""
    wrong = {key: module for key, module in used.items() if not str(module).endswith(suffix)}
    if medline_parse.COMPILED:
        assert not wrong, f"pure kernels in use in the compiled build: {wrong}"
    else:
        assert all(not str(m).endswith("_c") for m in used.values()), used


def test_every_cython_source_is_a_listed_kernel_with_a_pure_twin() -> None:
    if not _from_src():
        pytest.skip("medline_parse is not imported from src/ (an installed wheel is under test)")
    package = SRC / "medline_parse"
    sources = sorted(package.rglob("_*_c.pyx"))
    assert sources, "no Cython kernel in src/"
    names = {
        "medline_parse." + ".".join(p.relative_to(package).with_suffix("").parts)[: -len("_c")]
        for p in sources
    }
    assert names == set(_compiled.KERNELS)
    for path in sources:
        assert path.with_name(path.name.replace("_c.pyx", ".py")).is_file(), path


def test_no_stale_extension_in_src() -> None:
    # `pip install -e .` compiles the kernels in place; an extension older than its .pyx would
    # run code that is no longer the source being edited.
    if not _from_src():
        pytest.skip("medline_parse is not imported from src/ (an installed wheel is under test)")
    for pyx in sorted((SRC / "medline_parse").rglob("_*_c.pyx")):
        for suffix in EXTENSION_SUFFIXES:
            built = pyx.with_name(pyx.stem + suffix)
            if built.exists():
                assert built.stat().st_mtime >= pyx.stat().st_mtime, (
                    f"{built.name} is older than {pyx.name}: rebuild it (`pip install -e .`)"
                )


_EXPECT = os.environ.get("MEDLINE_PARSE_EXPECT_COMPILED")


@pytest.mark.skipif(
    _EXPECT not in ("0", "1"),
    reason="MEDLINE_PARSE_EXPECT_COMPILED is not set: this run tests whatever build is installed",
)
def test_the_expected_build_is_the_one_under_test() -> None:
    assert medline_parse.COMPILED is (_EXPECT == "1"), (
        f"MEDLINE_PARSE_EXPECT_COMPILED={_EXPECT} but COMPILED is {medline_parse.COMPILED} "
        f"(medline_parse from {medline_parse.__file__}): the build fell back, or the tests "
        "imported src/ instead of the installed wheel"
    )


def _setup_copy(tmp_path: Path) -> Path:
    """The files setup.py builds from, copied into a temporary folder."""
    pytest.importorskip("Cython", reason="the build fallback test needs Cython (the test extra)")
    setuptools = pytest.importorskip("setuptools")
    if int(setuptools.__version__.split(".")[0]) < 77:
        pytest.skip(f"setuptools {setuptools.__version__} is older than the build requires (77)")
    if not (ROOT / "setup.py").is_file():
        pytest.skip("setup.py is not there (the tests run from an installed wheel)")
    for name in ("setup.py", "pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(
        SRC, tmp_path / "src", ignore=shutil.ignore_patterns("*.so", "*.pyd", "__pycache__")
    )
    return tmp_path


def _build_ext(folder: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "setup.py", "-q", "build_ext", "--inplace"],
        cwd=folder,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _built(folder: Path) -> list[Path]:
    return [p for s in EXTENSION_SUFFIXES for p in (folder / "src").rglob(f"*{s}")]


def test_without_a_c_compiler_the_build_is_pure_with_one_line(tmp_path: Path) -> None:
    folder = _setup_copy(tmp_path)
    done = _build_ext(folder, CC="/bin/false", CXX="/bin/false", LDSHARED="/bin/false")
    assert done.returncode == 0, done.stderr
    notices = [line for line in done.stderr.splitlines() if line.startswith("medline-parse:")]
    assert notices == [NOTICE], done.stderr
    assert not _built(folder)


def test_medline_parse_pure_forces_the_pure_build(tmp_path: Path) -> None:
    folder = _setup_copy(tmp_path)
    done = _build_ext(folder, MEDLINE_PARSE_PURE="1")
    assert done.returncode == 0, done.stderr
    notices = [line for line in done.stderr.splitlines() if line.startswith("medline-parse:")]
    assert notices == [
        "medline-parse: MEDLINE_PARSE_PURE is set, installing the pure-Python build"
    ], done.stderr
    assert not _built(folder)


@pytest.mark.skipif(not medline_parse.COMPILED, reason="the compiled XML kernel's own check")
def test_the_xml_kernel_stands_aside_for_another_lxml_release() -> None:
    # It reads lxml's C structures: run with an lxml release other than the one it was built with,
    # it must not load (the pure twin serves, and the flag says so), and reading still works.
    code = (
        "import lxml; lxml.__version__ = '1.0.0'\n"
        "import medline_parse\n"
        "from medline_parse.xml import elements, _walk\n"
        "assert elements.people is _walk.people\n"
        "articles = list(medline_parse.parse(r'"
        + str(ROOT / "tests/fixtures/xml/pubmed_250101.xml")
        + "'))\n"
        "print(medline_parse.COMPILED, len(articles))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "3"]

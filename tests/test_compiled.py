"""``medline_parse.COMPILED`` tells the truth, and CI's compiled stage really tests compiled code.

CI builds a second, mypyc-compiled wheel (``HATCH_BUILD_HOOKS_ENABLE=1``) and runs the whole suite
against it with ``MEDLINE_PARSE_EXPECT_COMPILED=1``: without the last test below, a build that
quietly fell back to pure Python (or a test run that imported ``src/`` instead of the installed
wheel) would pass unnoticed.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

import medline_parse
from medline_parse.medline import tokenizer

from .conftest import ROOT


def _is_extension(path: str | None) -> bool:
    return path is not None and path.endswith(tuple(EXTENSION_SUFFIXES))


def _compiled_modules() -> set[str]:
    """The modules the mypyc build hook compiles: its ``include`` list in pyproject.toml."""
    if sys.version_info < (3, 11):
        pytest.skip("reading pyproject.toml needs tomllib (Python 3.11+)")
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    include = config["tool"]["hatch"]["build"]["targets"]["wheel"]["hooks"]["mypyc"]["include"]
    prefix = "/src/medline_parse/"
    assert all(p.startswith(prefix) and p.endswith(".py") for p in include), include
    return {
        "medline_parse." + p.removeprefix(prefix).removesuffix(".py").replace("/", ".")
        for p in include
    }


def test_flag_agrees_with_the_tokenizer_module_file() -> None:
    assert "COMPILED" in medline_parse.__all__
    assert isinstance(medline_parse.COMPILED, bool)
    assert _is_extension(tokenizer.__file__) == medline_parse.COMPILED, tokenizer.__file__


def test_exactly_the_listed_modules_are_compiled() -> None:
    listed = _compiled_modules()
    assert "medline_parse.medline.tokenizer" in listed
    names = [
        info.name
        for info in pkgutil.walk_packages(medline_parse.__path__, "medline_parse.")
        if not info.name.endswith("__main__")
    ]
    assert listed <= set(names), f"pyproject.toml lists modules that do not exist: {listed}"
    compiled = {name for name in names if _is_extension(importlib.import_module(name).__file__)}
    assert compiled == (listed if medline_parse.COMPILED else set())


def test_python_sources_ship_beside_the_extensions() -> None:
    # The wheel keeps each compiled module's .py (for tracebacks, inspection and the docs).
    for name in _compiled_modules():
        path = importlib.import_module(name).__file__
        assert path is not None
        source = Path(path).parent / (name.rpartition(".")[2] + ".py")
        assert source.is_file(), f"{name} is {path} with no {source.name} beside it"


def test_no_compiled_leftovers_shadow_the_sources() -> None:
    # A compiled build made in the work tree (`HATCH_BUILD_HOOKS_ENABLE=1 pip install .`) leaves
    # its extension modules in src/, and Python prefers them to the .py files beside them: an
    # editable install would then run stale compiled code, not the sources being edited.
    src = ROOT / "src"
    if not Path(medline_parse.__file__ or "").resolve().is_relative_to(src):
        pytest.skip("medline_parse is not imported from src/ (an installed wheel is under test)")
    leftovers = sorted({p for suffix in EXTENSION_SUFFIXES for p in src.rglob(f"*{suffix}")})
    assert not leftovers, (
        "compiled modules in src/ shadow the sources; delete them (`git clean -fX src`): "
        + ", ".join(str(p.relative_to(ROOT)) for p in leftovers)
    )


@pytest.mark.skipif(
    os.environ.get("MEDLINE_PARSE_EXPECT_COMPILED") != "1",
    reason="MEDLINE_PARSE_EXPECT_COMPILED=1 is not set: this run tests whatever build is installed",
)
def test_the_compiled_build_is_the_one_under_test() -> None:
    assert medline_parse.COMPILED, (
        f"MEDLINE_PARSE_EXPECT_COMPILED=1 but {tokenizer.__name__} was loaded from "
        f"{tokenizer.__file__}: the mypyc build fell back to pure Python, or the tests imported "
        "src/ instead of the installed compiled wheel"
    )

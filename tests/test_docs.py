"""The documentation's code runs and its generated tables build, without MkDocs installed.

* Every ```python block of the pages under docs/ runs (page by page, in order, from a scratch
  directory holding a copy of examples/), and every ```output block matches what its code printed
  (conventions in ``tests/test_readme.py``).
* Every ``$ medline ...`` command of a ```console block prints what the page shows.
* The tables the MkDocs hook generates from the code build, and cover every tag of the registry.
* The table of diagnostic codes in the strict-and-lenient recipe lists exactly the codes the
  library can emit.
"""

from __future__ import annotations

import codecs
import importlib.util
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from medline_parse import TAGS

from .conftest import EXAMPLES, ROOT
from .test_readme import code_blocks, run_python_blocks

DOCS = ROOT / "docs"
SRC = ROOT / "src" / "medline_parse"
# Pages other people write; their code is theirs to test.
OTHERS = {"diagnostics.md", "sqlite-schema.md", "json-format.md", "performance.md"}
PAGES = sorted(p for p in DOCS.rglob("*.md") if p.name not in OTHERS and "hooks" not in p.parts)


def _page_id(path: Path) -> str:
    return path.relative_to(DOCS).as_posix()


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory with a copy of examples/ (pages use examples/data/...)."""
    shutil.copytree(EXAMPLES / "data", tmp_path / "examples" / "data")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("page", PAGES, ids=_page_id)
def test_python_blocks_run(page: Path, scratch: Path) -> None:
    run_python_blocks(page, code_blocks(page))


def _console_sessions(page: Path) -> list[tuple[str, str]]:
    """``(command, expected output)`` of each ``$ medline`` line of the page's console blocks."""
    sessions = []
    for block in code_blocks(page):
        if block.language != "console" or block.skip:
            continue
        command: str | None = None
        output: list[str] = []
        for line in [*block.code.splitlines(), "$ "]:
            if line.startswith("$ "):
                if command is not None and command.startswith("medline "):
                    sessions.append((command, "\n".join(output)))
                command, output = line[2:].strip(), []
            else:
                output.append(line)
    return sessions


CONSOLE = [
    pytest.param(page, command, expected, id=f"{_page_id(page)}: {command}")
    for page in PAGES
    for command, expected in _console_sessions(page)
]


@pytest.mark.parametrize(("page", "command", "expected"), CONSOLE)
def test_console_commands(page: Path, command: str, expected: str, scratch: Path) -> None:
    args = shlex.split(command)[1:]
    done = subprocess.run(
        [sys.executable, "-m", "medline_parse", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    got = "\n".join(line.rstrip() for line in done.stdout.strip("\n").splitlines())
    assert got == expected.strip("\n"), f"{page.name}: `{command}` printed\n{done.stdout}"


def _hook() -> ModuleType:
    path = DOCS / "hooks" / "medline_tables.py"
    spec = importlib.util.spec_from_file_location("medline_tables", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_tables_build() -> None:
    hook = _hook()
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        rendered = hook.on_page_markdown(text)
        assert "<!-- medline:" not in rendered, f"{page.name}: a marker was not replaced"


def test_every_tag_has_a_home_in_the_model() -> None:
    homes = _hook().tag_attributes()
    assert set(homes) == set(TAGS), "tags written by no attribute, or attributes of unknown tags"
    assert homes["AD"] == ["authors[].affiliations", "affiliations", "editors[].affiliations"]
    assert homes["IRAD"] == ["investigators[].affiliations"]
    assert homes["MH"] == ["mesh"]
    assert homes["JT"] == ["journal.title"]


# The modules that attach diagnostics while reading.
READING_MODULES = (
    "sources",
    "medline/tokenizer",
    "medline/collapsed",
    "medline/records",
    "reader",
    "medline/builder",
)


def _is_codec(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True


def _codes_in_source() -> set[str]:
    """Diagnostic codes of the reading modules: their kebab-case string literals (codec names
    aside), and one-word codes passed first to ``Diagnostic(`` or a ``note(`` helper."""
    kebab = re.compile(r'"([a-z0-9]+(?:-[a-z0-9]+)+)"')
    word = re.compile(r'(?:Diagnostic|note)\(\s*"([a-z0-9]+)"')
    codes = set()
    for module in READING_MODULES:
        text = (SRC / f"{module}.py").read_text(encoding="utf-8")
        codes.update(code for code in kebab.findall(text) if not _is_codec(code))
        codes.update(word.findall(text))
    return codes


def test_diagnostic_codes_table_is_complete() -> None:
    page = (DOCS / "recipes" / "strict-and-lenient.md").read_text(encoding="utf-8")
    table = set(re.findall(r"^\| `([a-z0-9-]+)` \|", page, re.MULTILINE))
    source = _codes_in_source()
    assert "junk-line" in source and "invalid-date" in source  # the search itself works
    assert table == source, (
        f"missing from the page: {sorted(source - table)}; not in the code: {sorted(table - source)}"
    )

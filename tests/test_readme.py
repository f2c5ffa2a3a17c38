"""README.md's code must run: every ```python block is executed, and the test command it shows is
the one CI runs.

The helpers here also run the documentation's snippets (``tests/test_docs.py``).  Conventions a
page can use:

* the ```python blocks of a page run in order, in one namespace, like a reader typing them in;
* a block written as a doctest (``>>>`` prompts) is run as one, and its outputs are compared;
* an ```output block right after a ```python block is what that block prints, compared exactly
  (trailing spaces aside);
* ``<!-- no-test -->`` on the line before a block skips it (for code that needs the network);
* ``<!-- requires: MODULE -->`` on the line before a block runs it only where MODULE can be
  imported (for code beside another library, such as Biopython, that is no dependency).
"""

from __future__ import annotations

import contextlib
import doctest
import importlib.util
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT

README = ROOT / "README.md"
CI_RUN = ROOT / ".ci" / "run"
SKIP_MARKER = "<!-- no-test -->"
_REQUIRES = re.compile(r"<!-- requires: ([\w.]+) -->")

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n]*)$")
_SHELL = frozenset({"bash", "sh", "shell", "console", "shell-session", "zsh"})


@dataclass
class Block:
    """A fenced code block of a Markdown file."""

    language: str
    code: str
    line: int
    """1-based line of the opening fence."""
    skip: bool
    requires: str | None = None
    """A module the block needs; it is skipped where that module is missing."""
    output: str | None = None
    """The ```output block that follows it, if any."""


def code_blocks(path: Path) -> list[Block]:
    """The fenced code blocks of *path*, in order, each python block with its output block."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    index = 0
    previous_text = ""  # the last non-blank line before the current position
    follows_block = False  # only blank lines since the last block closed
    while index < len(lines):
        match = _FENCE.match(lines[index])
        if match is None:
            if lines[index].strip():
                previous_text = lines[index].strip()
                follows_block = False
            index += 1
            continue
        indent, fence = match["indent"], match["fence"]
        language = (match["info"].split() or [""])[0].lstrip(".").lower()
        start = index
        body: list[str] = []
        index += 1
        while index < len(lines) and not (
            lines[index].strip().startswith(fence)
            and lines[index].strip().strip(fence[0]) == ""
            and len(lines[index].strip()) >= len(fence)
        ):
            line = lines[index]
            body.append(line[len(indent) :] if line.startswith(indent) else line.lstrip())
            index += 1
        index += 1  # the closing fence
        code = "\n".join(body) + "\n"
        if language == "output" and blocks and follows_block and blocks[-1].language == "python":
            blocks[-1].output = code
        else:
            requires = _REQUIRES.fullmatch(previous_text)
            blocks.append(
                Block(
                    language,
                    code,
                    start + 1,
                    previous_text == SKIP_MARKER,
                    requires[1] if requires else None,
                )
            )
        previous_text = ""
        follows_block = True
    return blocks


def _normalise(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


def run_python_blocks(path: Path, blocks: list[Block]) -> None:
    """Run the python blocks of one page in order, in one namespace, checking their outputs."""
    namespace: dict[str, Any] = {"__name__": "__snippet__"}
    for block in blocks:
        if block.language not in ("python", "py", "pycon") or block.skip:
            continue
        if block.requires and importlib.util.find_spec(block.requires) is None:
            continue
        where = f"{path.name}:{block.line}"
        if re.search(r"^>>> ", block.code, re.MULTILINE):
            test = doctest.DocTestParser().get_doctest(block.code, namespace, where, where, 0)
            runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
            report = io.StringIO()
            runner.run(test, out=report.write, clear_globs=False)
            assert runner.failures == 0, f"doctest block at {where} failed:\n{report.getvalue()}"
            continue
        captured = io.StringIO()
        try:
            with contextlib.redirect_stdout(captured):
                exec(compile(block.code, where, "exec"), namespace)
        except Exception as error:
            raise AssertionError(
                f"the python block at {where} raised {type(error).__name__}: {error}\n"
                f"--- block ---\n{block.code}"
            ) from error
        if block.output is not None:
            got, expected = _normalise(captured.getvalue()), _normalise(block.output)
            assert got == expected, (
                f"the python block at {where} printed\n{got}\n--- but the page shows ---\n{expected}"
            )


def shell_commands(blocks: list[Block]) -> list[str]:
    """The commands of the shell blocks, prompts (``$ ``) removed, comments skipped."""
    commands = []
    for block in blocks:
        if block.language not in _SHELL:
            continue
        for line in block.code.splitlines():
            command = line.strip()
            if command.startswith("$ "):
                command = command[2:].strip()
            elif block.language in ("console", "shell-session"):
                continue  # output lines of a console session
            if command and not command.startswith("#"):
                commands.append(command)
    return commands


def test_readme_python_blocks_run(monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = code_blocks(README)
    monkeypatch.chdir(ROOT)
    before = {p.name for p in ROOT.iterdir()}
    run_python_blocks(README, blocks)
    created = sorted({p.name for p in ROOT.iterdir()} - before)
    assert not created, f"README snippets left files in the repository: {created}; use a temp dir"


def test_readme_test_command_is_the_one_ci_runs() -> None:
    commands = [
        command
        for command in shell_commands(code_blocks(README))
        if "pytest" in command or ".[test]" in command
    ]
    assert commands, "README.md shows no test command (a shell block line running pytest)"
    ci_lines = [
        line.strip()
        for line in CI_RUN.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    for command in commands:
        assert any(command in line for line in ci_lines), (
            f"README.md's test command {command!r} does not appear verbatim in .ci/run"
        )


def test_code_block_parser(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "Text\n\n```python\nprint(1 + 1)\n```\n\n```output\n2\n```\n\n"
        "<!-- no-test -->\n```python\nraise SystemExit\n```\n\n"
        "<!-- requires: no_such_module_here -->\n```python\nimport no_such_module_here\n```\n\n"
        "!!! note\n    ```bash\n    $ pip install x && python -m pytest\n    ```\n\n"
        "```pycon\n>>> print(2 + 2)\n4\n```\n",
        encoding="utf-8",
    )
    blocks = code_blocks(page)
    assert [(b.language, b.line, b.skip, b.requires) for b in blocks] == [
        ("python", 3, False, None),
        ("python", 12, True, None),
        ("python", 17, False, "no_such_module_here"),
        ("bash", 22, False, None),
        ("pycon", 26, False, None),
    ]
    assert blocks[0].output == "2\n"
    assert shell_commands(blocks) == ["pip install x && python -m pytest"]
    run_python_blocks(page, blocks)


def test_wrong_output_is_caught(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("```python\nprint(3)\n```\n```output\n4\n```\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="printed"):
        run_python_blocks(page, code_blocks(page))

"""docs/diagnostics.md lists exactly the diagnostic codes the library can emit, so it cannot go stale.

The codes are read from the source with :mod:`ast` (a parser, where a regular expression would miss
calls split over lines or codes held in a variable): the string literals passed to ``Diagnostic(``
and to the helpers that make one (``_note``, ``_record_note``, ``_stray``, ``note``, ``invalid``),
positionally or as ``code=``, and the literals assigned to a variable named ``code``.  Messages
are literals too, but a code is one lowercase kebab-case word, which no message is.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from medline_parse import Severity

from .conftest import ROOT

SRC = ROOT / "src" / "medline_parse"
PAGE = ROOT / "docs" / "diagnostics.md"
MAKERS = frozenset({"Diagnostic", "_note", "_record_note", "_stray", "note", "invalid"})
CODE = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*\Z")
ROW = re.compile(r"^\| `([a-z0-9-]+)` \|(.*)\|\s*$", re.MULTILINE)


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _literal(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE.match(node.value):
        return node.value
    return None


def codes_in(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Call) and _name(node.func) in MAKERS:
            arguments = [*node.args, *(k.value for k in node.keywords if k.arg == "code")]
            found.update(code for code in map(_literal, arguments) if code is not None)
        elif isinstance(node, ast.Assign) and any(_name(t) == "code" for t in node.targets):
            code = _literal(node.value)
            if code is not None:
                found.add(code)
    return found


def codes_in_source() -> dict[str, list[str]]:
    """code -> the modules that emit it."""
    emitted: dict[str, list[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        for code in codes_in(path):
            emitted.setdefault(code, []).append(path.relative_to(SRC).as_posix())
    return emitted


def table_rows() -> dict[str, list[str]]:
    """code -> the other cells of its row in the page's tables."""
    rows: dict[str, list[str]] = {}
    for match in ROW.finditer(PAGE.read_text(encoding="utf-8")):
        code, rest = match.groups()
        assert code not in rows, f"{code} is listed twice"
        rows[code] = [cell.strip() for cell in rest.split(" | ")]
    return rows


def test_the_search_finds_codes_of_every_kind() -> None:
    emitted = codes_in_source()
    # a literal first argument, a literal later argument, a code held in a variable, a builder code
    for code in ("bom", "junk-line", "decode-fallback", "truncated-utf8", "invalid-date"):
        assert code in emitted, code
    assert "utf-8" not in emitted and "cp1252" not in emitted


def test_every_code_emitted_is_documented_and_every_documented_code_is_emitted() -> None:
    emitted = set(codes_in_source())
    documented = set(table_rows())
    assert emitted - documented == set(), "emitted but missing from docs/diagnostics.md"
    assert documented - emitted == set(), "in docs/diagnostics.md but emitted nowhere"


def test_every_row_is_filled_in() -> None:
    severities = {str(severity) for severity in Severity}
    for code, cells in table_rows().items():
        assert len(cells) == 4, f"{code}: severity, meaning, action, example"
        assert all(cells), f"{code}: an empty cell"
        assert cells[0].split()[0].rstrip(";,") in severities, f"{code}: severity {cells[0]!r}"
        assert "`" in cells[3], f"{code}: the example input should be code"

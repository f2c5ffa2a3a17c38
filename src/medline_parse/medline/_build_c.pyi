# The compiled kernel's signature: that of its pure-Python twin, _build.py (the specification).
from collections.abc import Callable, Sequence
from typing import Any

from ..model import Article
from ._build import Kinds, Rows

def prepare(kinds: Kinds, rows: Rows, names: Sequence[str], notes: Callable[..., Any]) -> Any: ...
def build(
    tags: list[str],
    values: list[str],
    line_of: Callable[[int], int | None] | None,
    diagnostics: Sequence[Any],
    path: str | None,
    strict: bool,
    plan: Any,
) -> Article: ...

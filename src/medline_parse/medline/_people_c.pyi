# The compiled kernel's signature: that of its pure-Python twin, _people.py (the specification).
from collections.abc import Callable, Mapping
from typing import Any

def sequential(
    tags: list[str],
    values: list[str],
    indexes: list[int],
    table: Mapping[str, tuple[int, str, int, str, frozenset[str], Callable[[str], Any] | None]],
) -> tuple[
    dict[str, list[list[Any]]],
    dict[str, list[str]],
    list[tuple[str, str | None, bool]],
    list[list[str | None]],
    list[tuple[int, str, str]],
]: ...

# The compiled kernel's signature: that of its pure-Python twin, _people.py (the specification).
from typing import Any

def sequential(
    tags: list[str], values: list[str], indexes: list[int]
) -> tuple[
    dict[str, list[list[Any]]],
    list[str],
    list[tuple[str, str | None]],
    list[list[str | None]],
    list[tuple[int, str, str]],
]: ...

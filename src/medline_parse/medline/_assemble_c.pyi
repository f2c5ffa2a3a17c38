# The compiled kernel's signature: that of its pure-Python twin, _assemble.py (the specification).
from collections.abc import Callable, Mapping
from typing import Any

def assemble(
    tags: list[str],
    values: list[str],
    kinds: Mapping[str, tuple[int, str, Callable[[str], Any] | None]],
) -> tuple[
    dict[str, Any], list[tuple[int, str, str]], list[int], list[int], dict[str, list[int]]
]: ...

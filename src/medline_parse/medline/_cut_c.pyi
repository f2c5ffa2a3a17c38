# The compiled kernel's signatures: those of its pure-Python twin, _cut.py (the specification).
from collections.abc import Callable, Mapping

def cut_record(
    text: str,
    end: int,
    nl: str,
    known: Mapping[str, str],
    collapsed: Callable[[str], bool] | None,
) -> tuple[list[str], list[str]] | None: ...
def field_lines(text: str, end: int, nl: str, first: int) -> list[int]: ...
def field_raws(text: str, end: int, nl: str) -> list[str]: ...

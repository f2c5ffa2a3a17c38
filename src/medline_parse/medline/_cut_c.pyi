# The compiled kernel's signatures: those of its pure-Python twin, _cut.py (the specification).
from collections.abc import Callable, Mapping
from typing import Any

def cut_record(
    text: str,
    end: int,
    nl: str,
    known: Mapping[str, str],
    collapsed: Callable[[str], bool] | None,
) -> tuple[list[str], list[str]] | None: ...
def field_lines(text: str, end: int, nl: str, first: int) -> list[int]: ...
def field_raws(text: str, end: int, nl: str) -> list[str]: ...
def has_odd_character(text: str) -> int: ...
def make_fields(
    field_type: type[tuple[Any, ...]],
    text: str,
    end: int,
    nl: str,
    first: int,
    tags: list[str],
    values: list[str],
) -> tuple[Any, ...]: ...
def record_spans(text: str, nl: str) -> list[int]: ...
def block_spans(text: str, nl: str) -> list[int]: ...
def plain_record(
    tags: list[str], values: list[str], single: frozenset[str] | set[str], bits: bytearray
) -> int: ...

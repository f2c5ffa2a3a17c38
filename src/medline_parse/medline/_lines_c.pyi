# The compiled kernel's signature: that of its pure-Python twin, _lines.py (the specification).
def field_text(
    fields: list[tuple[str, str]], style: str, newline: str, prefixes: dict[str, str]
) -> str | None: ...

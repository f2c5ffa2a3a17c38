"""The MEDLINE text format: tags, tokenizer, builder (records to articles) and writer.

Importing this package registers its tag view with the model, so that ``article["AU"]`` answers.
"""

from __future__ import annotations

from ..model import register_tag_view
from . import fields as _fields
from .tags import TAGS as _TAGS


class _MedlineTagView:
    """``article[tag]`` in MEDLINE terms: the values the writer would emit for *tag*."""

    def values(self, article: object, tag: str) -> str | list[str]:
        return _fields.tag_values(article, tag)  # type: ignore[arg-type]

    def fields(self, article: object) -> dict[str, str | list[str]]:
        from .order import ordered_fields  # the record's order, as the writer keeps it

        grouped: dict[str, list[str]] = {}
        for tag, value in ordered_fields(article):  # type: ignore[arg-type]
            grouped.setdefault(tag, []).append(value)
        out: dict[str, str | list[str]] = {}
        for tag, values in grouped.items():
            info = _TAGS.get(tag)
            out[tag] = values[0] if info is not None and not info.repeatable else values
        return out


register_tag_view(_MedlineTagView())

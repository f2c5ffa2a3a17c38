"""The MEDLINE text format: tags, tokenizer, builder (records to articles) and writer.

Importing this package registers its tag view with the model, so that ``article["AU"]`` answers.
"""

from __future__ import annotations

from ..model import register_tag_view
from . import fields as _fields


class _MedlineTagView:
    """``article[tag]`` in MEDLINE terms: the values the writer would emit for *tag*."""

    def values(self, article: object, tag: str) -> str | list[str]:
        return _fields.tag_values(article, tag)  # type: ignore[arg-type]


register_tag_view(_MedlineTagView())

"""Inline markup in titles, abstracts and citations, as PubMed's MEDLINE text shows it.

PubMed XML allows a few presentation tags inside text (``<i>``, ``<b>``, ``<u>``, ``<sup>``,
``<sub>``) and MathML (``<mml:math>``).  The MEDLINE text has no markup: PubMed prints the text the
tags enclose, a superscript or subscript in parentheses (``<i>P</i>&lt;0.05`` is ``P<0.05``,
``kg/m<sup>2</sup>`` is ``kg/m(2)``, ``CO<sub>2</sub>`` is ``CO(2)``: the parenthesised form is
what PubMed's MEDLINE text shows in every era of the corpus), and of MathML the text of its leaves,
in document order.  Any other element met inside text (markup the DTD does not list) is flattened
like ``<i>``, so no character of the input is lost.
"""

from __future__ import annotations

from typing import Any

__all__ = ["flatten"]


def flatten(element: Any) -> str:
    """The text of *element* and of everything inside it, without the tags (each child's tail
    included, the element's own tail not)."""
    parts = [element.text or ""]
    for child in element:
        parts.append(_inner(child))
        if child.tail:
            parts.append(child.tail)
    return "".join(parts)


_SCRIPTS = frozenset({"sup", "sub"})


def _inner(element: Any) -> str:
    tag = element.tag
    if not isinstance(tag, str):  # a comment or a processing instruction: no text
        return ""
    text = (element.text or "") if len(element) == 0 else flatten(element)
    if tag in _SCRIPTS and text:
        return f"({text})"
    return text

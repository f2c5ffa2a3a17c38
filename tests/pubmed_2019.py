"""PubMed's MEDLINE text as it was served in 2019-2022, for comparing it with the XML of a record.

The paired records of ``../shared/corpus-xml`` are exports of that era, when PubMed's MEDLINE text
differed from today's in ways that have nothing to do with the record:

* characters outside ASCII were transliterated: accented letters lost their accents, symbols were
  spelled out (``(c)`` for ``©``, ``+/-`` for ``±``, ``mu`` for ``μ``, ``>/=`` for ``≥``), a
  superscript number was put in parentheses (``χ²`` as ``chi(2)``) and no-break spaces became
  spaces;
* names marked invalid (``ValidYN="N"``) were left out;
* other abstracts (OAB/OABL) were left out.

:func:`era_2019` applies these rules to an article read from XML, so that it can be compared with
(and written as) the text of that era.  This is a measurement helper, not part of the library: the
library writes today's UTF-8 layout.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Any

import attrs

from medline_parse import Article
from medline_parse.medline.fields import article_fields

__all__ = ["era_2019", "fold"]

# Characters NFKD does not reduce to ASCII, spelled as PubMed's MEDLINE text spelled them.
_SPELLED = {
    "©": "(c)",
    "®": "(R)",
    "™": "(TM)",
    "±": "+/-",
    "∓": "-/+",
    "×": "x",
    "÷": "/",
    "≥": ">/=",
    "≤": "</=",
    "≠": "not equal",
    "≈": "approximately",
    "∼": "~",
    "→": "-->",
    "←": "<--",
    "↑": "increased",
    "↓": "decreased",
    "°": " degrees ",
    "†": "dagger",
    "§": "section sign",
    "¶": "paragraph sign",
    "‡": "double dagger",
    "·": ".",
    "•": "*",
    "∗": " *",
    "…": "...",
    "‘": "'",
    "’": "'",
    "‚": ",",
    "“": '"',
    "”": '"',
    "„": '"',
    "′": "'",
    "″": "''",
    "–": "-",
    "—": "-",
    "‐": "-",
    "‑": "-",
    "−": "-",
    "\u00a0": " ",
    "\u2009": " ",
    "\u202f": " ",
    "\u2002": " ",
    "\u2003": " ",
    "\u200b": "",
    "ß": "ss",
    "æ": "ae",
    "Æ": "AE",
    "œ": "oe",
    "Œ": "OE",
    "ø": "o",
    "Ø": "O",
    "ł": "l",
    "Ł": "L",
    "đ": "d",
    "Đ": "D",
    "ı": "i",
    "þ": "th",
    "ð": "d",
    "µ": "mu",
    "ℓ": "l",
    "‰": "per thousand",
    "∞": "infinity",
    "√": "square root",
    "∑": "sum",
    "∆": "Delta",
    "Ω": "Omega",
}
_GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta",
    "η": "eta", "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu",
    "ξ": "xi", "ο": "omicron", "π": "pi", "ρ": "rho", "σ": "sigma", "ς": "sigma", "τ": "tau",
    "υ": "upsilon", "φ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
}  # fmt: skip
_SPELLED.update(_GREEK)
_SPELLED.update({k.upper(): v.capitalize() for k, v in _GREEK.items() if k != "ς"})
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻", "0123456789+-")
_SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉₊₋", "0123456789+-")


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """*text* transliterated to ASCII as PubMed's MEDLINE text of 2019-2022 did it."""
    if text.isascii():
        return text
    out: list[str] = []
    run = ""  # a run of superscript characters, written in parentheses
    for char in text:
        if char in "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻":
            run += char.translate(_SUPERSCRIPTS)
            continue
        if run:
            out.append(f"({run})")
            run = ""
        if char.isascii():
            out.append(char)
        elif char in _SPELLED:
            out.append(_SPELLED[char])
        elif char in "₀₁₂₃₄₅₆₇₈₉₊₋":
            out.append(char.translate(_SUBSCRIPTS))
        else:
            decomposed = unicodedata.normalize("NFKD", char)
            ascii_part = "".join(c for c in decomposed if c.isascii())
            out.append(ascii_part)  # a letter with no ASCII form is left out
    if run:
        out.append(f"({run})")
    folded = "".join(out)
    while "  " in folded:  # a spelled-out symbol brings its own spaces
        folded = folded.replace("  ", " ")
    return folded


def _folded(value: Any) -> Any:
    if isinstance(value, str):
        return fold(value)
    if isinstance(value, tuple):
        return tuple(_folded(v) for v in value)
    if attrs.has(type(value)):
        changes = {}
        for field in attrs.fields(type(value)):
            if field.name in ("diagnostics", "field_order") or not field.init:
                continue
            old = getattr(value, field.name)
            new = _folded(old)
            if new is not old and new != old:
                changes[field.name] = new
        return attrs.evolve(value, **changes) if changes else value
    return value


def era_2019(article: Article) -> Article:
    """*article* (read from XML) as PubMed's MEDLINE text of 2019-2022 showed it."""
    valid = {
        name: tuple(person for person in getattr(article, name) if person.valid)
        for name in ("authors", "investigators", "editors")
    }
    # DA and PUBM had left the text by then (the library leaves them out for an article read from
    # XML; the order set below would bring them back).
    folded: Article = _folded(
        attrs.evolve(article, other_abstracts=(), publishing_model=None, created_date=None, **valid)
    )
    return attrs.evolve(
        folded, diagnostics=article.diagnostics, field_order=_investigators_short_first(folded)
    )


def _investigators_short_first(article: Article) -> tuple[str, ...]:
    """PubMed's tag order of the article, each investigator's IR before its FIR (as that era's
    efetch wrote them)."""
    tags = [tag for tag, _ in article_fields(article)]
    for index in range(len(tags) - 1):
        if tags[index] == "FIR" and tags[index + 1] == "IR":
            tags[index], tags[index + 1] = "IR", "FIR"
    return tuple(tags)

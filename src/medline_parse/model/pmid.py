"""What a valid PMID looks like, for every reader and writer of the model."""

from __future__ import annotations

import re

__all__ = ["MAX_PMID_DIGITS", "is_valid_pmid"]

MAX_PMID_DIGITS = 19
"""The most digits a valid PMID may have (PubMed's have 8 today; 19 digits still fit the signed
64-bit integer a database column holds)."""

_VALID = re.compile(rf"[1-9][0-9]{{0,{MAX_PMID_DIGITS - 1}}}\Z")


def is_valid_pmid(pmid: object) -> bool:
    """Whether *pmid* is a PMID as PubMed writes them: a positive whole number in ASCII digits,
    without leading zeros, of at most :data:`MAX_PMID_DIGITS` digits."""
    return isinstance(pmid, str) and pmid.isascii() and _VALID.match(pmid) is not None

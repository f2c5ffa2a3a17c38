"""What a valid PMID looks like, for every reader and writer of the model."""

from __future__ import annotations

__all__ = ["MAX_PMID_DIGITS", "invalid_pmid_message", "is_valid_pmid"]

MAX_PMID_DIGITS = 19
"""The most digits a valid PMID may have (PubMed's have 8 today; 19 digits still fit the signed
64-bit integer a database column holds)."""


def is_valid_pmid(pmid: object) -> bool:
    """Whether *pmid* is a PMID as PubMed writes them: a positive whole number in ASCII digits,
    without leading zeros, of at most :data:`MAX_PMID_DIGITS` digits."""
    return (
        isinstance(pmid, str)
        and 0 < len(pmid) <= MAX_PMID_DIGITS
        and pmid.isascii()
        and pmid.isdigit()
        and pmid[0] != "0"
    )


def invalid_pmid_message(pmid: str) -> str:
    """What the ``invalid-pmid`` diagnostic says of *pmid*, whichever format it was read from."""
    shown = pmid if len(pmid) <= 40 else pmid[:37] + "..."
    return (
        f"PMID {shown!r} is not a positive whole number as PubMed writes them (digits, no "
        f"leading zero, at most {MAX_PMID_DIGITS}); read anyway"
    )

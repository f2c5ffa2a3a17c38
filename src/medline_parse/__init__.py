"""medline-parse: read and write PubMed's MEDLINE text format, losslessly."""

from __future__ import annotations

__version__ = "0.1.0"

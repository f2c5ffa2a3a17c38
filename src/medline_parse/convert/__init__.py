"""Conversions from the typed model to other formats, one small module per format.

=============  ==================================================  ==================
module         what it writes                                      needs
=============  ==================================================  ==================
``json``       the full model as JSON / JSON Lines, and back       -
``csv``        one row per article (or per author)                 -
``csljson``    CSL-JSON for citation processors                    -
``ris``        RIS for reference managers                          ``[ris]`` extra
``bibtex``     BibTeX                                              ``[bibtex]`` extra
``sqlite``     a normalised SQLite database, upserted by PMID      -
``frames``     pandas DataFrame, pyarrow Table, Parquet            ``[pandas]``,
                                                                   ``[arrow]`` extras
=============  ==================================================  ==================

Every format is declared once, in :mod:`medline_parse.convert.registry` (``FORMATS``), which the
command line and the documentation read.  Modules needing an extra import it lazily and raise
:class:`ImportError` naming the extra.
"""

from __future__ import annotations

__all__ = ["FORMATS", "Format", "get_format", "missing_extra"]


def missing_extra(
    package: str, extra: str, error: ImportError, purpose: str = "this conversion"
) -> ImportError:
    """An :class:`ImportError` that says which extra to install for *package*."""
    message = (
        f"{package} is needed for {purpose} but is not installed; install it with "
        f'pip install "medline-parse[{extra}]"'
    )
    new = ImportError(message, name=package)
    new.__cause__ = error
    return new


from .registry import FORMATS, Format, get_format  # noqa: E402 - the registry uses missing_extra

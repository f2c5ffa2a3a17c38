"""The ``medline`` command-line tool: ``check``, ``convert``, ``stats`` and ``fmt``.

One module per command (:mod:`.check`, :mod:`.convert`, :mod:`.stats`, :mod:`.fmt`), what they
share in :mod:`.common`, the parser and :func:`main` in :mod:`.app`, where a new command is
registered with one line (``COMMANDS``).

Exit status: 0 when all went well; 1 when an input could not be read, an output could not be
written, or (``check``) an input has problems; 2 for a usage error or an input in another format
(RIS, BibTeX, JSON, CSV, PDF, binary data; ``sync`` exits 1 for it, as for every file it refuses,
since the run stops there).  ``convert`` and ``stats`` note problems inside records
on standard error but still exit 0: ``medline check`` lists them.  Errors about one input are one
line on standard error, ``medline: FILE: reason``, and the other inputs are still processed.
"""

from __future__ import annotations

from .app import build_parser, main

__all__ = ["build_parser", "main"]

"""``python -m medline_parse``: the same as the ``medline`` command."""

from __future__ import annotations

from .cli import main

raise SystemExit(main())

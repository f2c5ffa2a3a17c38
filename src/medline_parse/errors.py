"""Errors and diagnostics.

Every exception the library raises on purpose derives from :class:`MedlineError`.  In lenient mode
(the default) problems in the input do not raise: they become :class:`Diagnostic` values attached to
the record or article they concern, and parsing goes on.  With ``strict=True`` the first problem of
severity ``warning`` or ``error`` raises :class:`ParseError` instead.
"""

from __future__ import annotations

import enum
from typing import Any

import attrs

__all__ = [
    "Diagnostic",
    "MedlineError",
    "MedlineWarning",
    "ParseError",
    "Severity",
]


class Severity(str, enum.Enum):
    """How much a diagnostic matters.

    ``info`` notes something normal but worth knowing (a byte-order mark removed, a partial date);
    ``warning`` means the input breaks the format or holds a value that could not be understood
    (kept as raw text), and nothing was lost; ``error`` is reserved for problems where something
    could not be kept (none so far: the parser keeps everything).
    """

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    def __str__(self) -> str:
        return self.value


@attrs.frozen(slots=True)
class Diagnostic:
    """One problem found in the input, with where it was found and what was done about it."""

    code: str
    """A stable identifier such as ``"missing-blank-line"`` (see the diagnostics table in the docs)."""
    message: str
    """A sentence for people: what was found and what the parser did."""
    line: int | None = None
    """1-based line number in the input, when the problem has one."""
    severity: Severity = Severity.WARNING
    path: str | None = None
    """The file the input came from, when known."""

    @property
    def is_problem(self) -> bool:
        """True for warnings and errors (what ``strict=True`` raises on), false for notes."""
        return self.severity is not Severity.INFO

    def __str__(self) -> str:
        where = self.path or "<input>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.severity}: {self.message} [{self.code}]"


class MedlineError(Exception):
    """Base class of every error medline-parse raises.

    Every library error survives pickling (a :func:`~medline_parse.parse_many` worker sends its
    errors back to the parent so).
    """


class ParseError(MedlineError):
    """The input could not be read as MEDLINE (raised in strict mode, or for unreadable sources).

    Carries the file (when known), the 1-based line number and the offending line's text.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        text: str | None = None,
        code: str | None = None,
    ) -> None:
        self.message = message
        self.path = path
        self.line = line
        self.text = text
        self.code = code
        super().__init__(self._render())

    def __reduce__(self) -> tuple[Any, ...]:
        # Exception pickles its args, the rendered message, which __init__ would render again
        # (an error raised in a parse_many worker came back as "<input>: file:2: ..."): pickle
        # the parts instead.
        return (
            _restore_parse_error,
            (type(self), self.message, self.path, self.line, self.text, self.code),
        )

    @classmethod
    def from_diagnostic(cls, diagnostic: Diagnostic, text: str | None = None) -> ParseError:
        """The error strict mode raises for *diagnostic*."""
        return cls(
            diagnostic.message,
            path=diagnostic.path,
            line=diagnostic.line,
            text=text,
            code=diagnostic.code,
        )

    def _render(self) -> str:
        where = self.path or "<input>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        out = f"{where}: {self.message}"
        if self.code:
            out += f" [{self.code}]"
        if self.text is not None:
            shown = self.text.rstrip("\r\n")
            if len(shown) > 120:
                shown = shown[:117] + "..."
            out += f"\n    {shown!r}"
        return out


def _restore_parse_error(
    cls: type[ParseError],
    message: str,
    path: str | None,
    line: int | None,
    text: str | None,
    code: str | None,
) -> ParseError:
    return cls(message, path=path, line=line, text=text, code=code)


class MedlineWarning(UserWarning):
    """Issued through :mod:`warnings` for problems that have no record to travel with."""

    diagnostic: Diagnostic | None = None
    """The problem as a :class:`Diagnostic`, when the warning reports one (the damage that ended
    the reading of a PubMed XML file does)."""

"""Errors that briefgen reports to the user as ``path:line: message``.

Library code raises these; only the CLI turns them into exit codes.
"""
from __future__ import annotations

from dataclasses import dataclass


def shown(value: object, limit: int = 80) -> str:
    """A value quoted for a message: 'text' (a string) or its repr, with control characters
    written as escapes (no terminal tricks) and cut to about ``limit`` characters."""
    text = f"'{value}'" if isinstance(value, str) else repr(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…" + ("'" if isinstance(value, str) else "")
    if not text.isprintable():
        text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return text


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as we know."""

    message: str
    path: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        text = where + self.message
        if not text.isprintable():  # a file name or value with a line break, an escape ...
            text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
        return text


class BriefgenError(Exception):
    """A problem the user can fix: bad content, a broken template, unwritable output."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        super().__init__(message)
        self.problem = Problem(message, path, line)
        # found on the way to the error: shown after it, since the error hides nothing else
        self.warnings: list[Problem] = []

    @property
    def problems(self) -> list[Problem]:
        return [self.problem]

    def __str__(self) -> str:
        return str(self.problem)


class ContentError(BriefgenError):
    """Several content problems, collected before failing so the user sees them all at once."""

    def __init__(self, problems: list[Problem], warnings: list[Problem] = ()):
        self._problems = sorted(problems, key=lambda p: (p.path or "", p.line or 0))
        first = self._problems[0]
        super().__init__(first.message, first.path, first.line)
        self.warnings = list(warnings)

    @property
    def problems(self) -> list[Problem]:
        return self._problems

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self._problems)


class TemplateError(BriefgenError):
    """A template failed to parse or to render."""


class OutputError(BriefgenError):
    """An output file could not be written."""


class UsageError(BriefgenError):
    """The command was asked for something that does not exist (unknown brief, bad option value)."""

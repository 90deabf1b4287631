"""Problems an author can cause, and how they print.

A Problem names the file and line, says what is wrong and how to fix it. SiteError carries
one or more problems up to the command line, which prints them without a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the site, located in a file an author can open."""

    message: str
    path: str = ""
    line: int = 0
    hint: str = ""
    severity: Severity = Severity.ERROR

    @property
    def location(self) -> str:
        if not self.path:
            return "site"
        return f"{self.path}:{self.line}" if self.line else self.path

    def format(self) -> str:
        """The text an author sees: `path:line: message`, then an indented hint."""
        label = "warning: " if self.severity is Severity.WARNING else ""
        text = f"{self.location}: {label}{self.message}"
        if self.hint:
            text += "\n" + "\n".join("  " + line for line in self.hint.splitlines())
        return text

    def warning(self) -> Problem:
        return Problem(self.message, self.path, self.line, self.hint, Severity.WARNING)


class SiteError(Exception):
    """The site cannot be built; every problem found is attached."""

    def __init__(self, problems: Problem | list[Problem]) -> None:
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__(self.format())

    def format(self) -> str:
        return "\n".join(problem.format() for problem in self.problems)

    def __reduce__(self) -> tuple[type[SiteError], tuple[list[Problem]]]:
        # Keeps the problems when an error crosses from a worker process to the build.
        return (SiteError, (self.problems,))


def error(message: str, path: str = "", line: int = 0, hint: str = "") -> SiteError:
    """A SiteError with a single problem, for code that must stop at once."""
    return SiteError(Problem(message, path, line, hint))

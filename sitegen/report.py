"""Collects the problems of one build, so an author sees all of them at once.

Readers and later stages add errors and warnings here instead of stopping; the build
decides at the end whether the site can be written (strict mode also fails on warnings).
"""

from __future__ import annotations

from collections.abc import Iterable

from sitegen.errors import Problem, Severity


class BuildReport:
    """Every error and warning of a build, in the order found, without repeats."""

    def __init__(self) -> None:
        self._problems: dict[Problem, None] = {}

    def add(self, problem: Problem) -> None:
        self._problems.setdefault(problem, None)

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.add(problem)

    def error(self, message: str, path: str = "", line: int = 0, hint: str = "") -> None:
        self.add(Problem(message, path, line, hint, Severity.ERROR))

    def warning(self, message: str, path: str = "", line: int = 0, hint: str = "") -> None:
        self.add(Problem(message, path, line, hint, Severity.WARNING))

    @property
    def problems(self) -> list[Problem]:
        return list(self._problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self._problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self._problems if p.severity is Severity.WARNING]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))

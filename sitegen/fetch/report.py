"""FetchReport: what `sitegen fetch` did, source by source, and how it prints.

Fetched, not modified or failed (and why); new, updated and kept entries. The exit code is 0
when every source was fetched or not modified and 1 when any failed, so CI can warn while
the site keeps every entry it had.
"""

from __future__ import annotations

from dataclasses import dataclass

FETCHED = "fetched"
NOT_MODIFIED = "not modified"
FAILED = "failed"


@dataclass(frozen=True)
class SourceReport:
    """One source's line in the report; `notes` are details worth a librarian's attention."""

    id: str
    name: str
    result: str
    reason: str = ""
    new: int = 0
    updated: int = 0
    kept: int = 0
    notes: tuple[str, ...] = ()

    @property
    def failed(self) -> bool:
        return self.result == FAILED


@dataclass(frozen=True)
class FetchReport:
    sources: tuple[SourceReport, ...]
    pending: int = 0
    seconds: float = 0.0
    notes: tuple[str, ...] = ()

    @property
    def failed(self) -> tuple[SourceReport, ...]:
        return tuple(source for source in self.sources if source.failed)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def table(self) -> str:
        """The report as text for the terminal: a table, then the details, then a summary."""
        if not self.sources:
            return "\n".join(self.notes)
        header = ("source", "result", "new", "updated", "kept")
        rows = [(s.id, s.result, str(s.new), str(s.updated), str(s.kept)) for s in self.sources]
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
        lines = [_row(header, widths), _row(tuple("-" * w for w in widths), widths)]
        lines.extend(_row(row, widths) for row in rows)
        details = [
            f"  {s.id}: {text}"
            for s in self.sources
            for text in ([f"failed: {s.reason}; its {s.kept} entries are kept"] if s.failed else [])
            + list(s.notes)
        ]
        if details or self.notes:
            lines.append("")
            lines.extend(details)
            lines.extend(f"  {note}" for note in self.notes)
        lines.append("")
        lines.append(self.summary())
        return "\n".join(lines)

    def summary(self) -> str:
        counts = {
            result: sum(1 for s in self.sources if s.result == result)
            for result in (FETCHED, NOT_MODIFIED, FAILED)
        }
        text = (
            f"{len(self.sources)} source(s) in {self.seconds:.1f} s: {counts[FETCHED]} fetched, "
            f"{counts[NOT_MODIFIED]} not modified, {counts[FAILED]} failed."
        )
        if self.pending:
            text += f" {self.pending} new highlight(s) wait for review: run `sitegen review`."
        return text


def _row(cells: tuple[str, ...], widths: list[int]) -> str:
    left = [cells[0].ljust(widths[0]), cells[1].ljust(widths[1])]
    right = [cell.rjust(width) for cell, width in zip(cells[2:], widths[2:], strict=True)]
    return "  ".join(left + right).rstrip()

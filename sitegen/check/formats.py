"""How a CheckReport is shown: `path:line: message` lines for a terminal, or a Markdown table
for a pull request comment or a CI job summary.
"""

from __future__ import annotations

import re

from sitegen.check.context import CheckReport
from sitegen.errors import Severity

_MARKDOWN_ROWS = 200  # a pull request comment holds at most 65,536 characters


def format_text(report: CheckReport) -> str:
    """`path:line: message` lines (hints indented), then a one-line summary."""
    lines = [problem.format() for problem in report.problems]
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def summary(report: CheckReport) -> str:
    checked = _checked(report)
    if not report.problems:
        return f"sitegen check: no problems in {checked}."
    files = len({p.path for p in report.problems})
    return f"sitegen check: {_tally(report)} in {_plural(files, 'file')} ({checked} checked)."


def format_markdown(report: CheckReport) -> str:
    """A summary for a pull request comment or a CI job summary (GitHub-flavoured Markdown)."""
    out = ["<!-- sitegen-check -->"]
    if not report.problems:
        out.append("### ✅ sitegen check: no problems found")
    else:
        mark = "❌" if report.errors else "⚠️"
        out.append(f"### {mark} sitegen check: {_tally(report)}")
        out += ["", "| | Where | What is wrong | How to fix it |", "| --- | --- | --- | --- |"]
        for problem in report.problems[:_MARKDOWN_ROWS]:
            icon = "❌ error" if problem.severity is Severity.ERROR else "⚠️ warning"
            where = f"`{problem.location}`"
            out.append(f"| {icon} | {where} | {_cell(problem.message)} | {_cell(problem.hint)} |")
        hidden = len(report.problems) - _MARKDOWN_ROWS
        if hidden > 0:
            out.append(f"\n…and {_plural(hidden, 'more problem')}: run `sitegen check` to see all.")
    when = f" as of {report.now:%Y-%m-%d %H:%M %Z}" if report.now else ""
    out += [
        "",
        f"Checked {_checked(report)}{when}. Run `sitegen check` in the site's folder to "
        "see the same list on your computer.",
    ]
    return "\n".join(out) + "\n"


def _tally(report: CheckReport) -> str:
    parts = []
    if report.errors:
        parts.append(_plural(len(report.errors), "error"))
    if report.warnings:
        parts.append(_plural(len(report.warnings), "warning"))
    return " and ".join(parts)


def _checked(report: CheckReport) -> str:
    if not report.counts:
        return "the site"
    parts = [_plural(count, kind.rstrip("s")) for kind, count in report.counts.items()]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell: no pipes, no raw HTML, lines as <br>."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = re.sub(r"([\\`*_\[\]!|~])", r"\\\1", escaped)
    return "<br>".join(line.strip() for line in escaped.splitlines()) or " "

"""Quicker parts for Python-Markdown, with the very same output.

Most of all, a quicker inline pass.

Python-Markdown tries each inline pattern (code, links, emphasis, footnotes and so on) on
every run of text in turn, through a Python call per pattern even where the pattern's
expression finds nothing, which is nearly always. Several expressions begin with a
look-behind, which keeps the regular expression engine from skipping ahead to a likely
start, so even the search is slow. Together that was a quarter of the time it takes to
render a post.

Here each pattern gets the characters one of which every match must hold (a code span
needs a backtick, a link a "["), read from its expression. A pattern is passed over when
none of them is in the text, or else when its expression finds nothing; the call skipped
would have returned "no match" and changed nothing, so the output is the same
(tests/readers/test_quick_markdown.py renders a corpus both ways).

The block parser's tests and the preprocessors get quicker parts too
(readers/quick_blocks.py): a test or a step that cannot apply to a block or a document is
answered at once.

The inline pass reaches into private methods of Python-Markdown's InlineProcessor. A version
without them keeps its own inline pass, and the equivalence test runs with the suite.
"""

from __future__ import annotations

import re
from typing import Any

from markdown import Markdown, inlinepatterns, treeprocessors, util
from markdown.extensions import Extension

from sitegen.readers.needed_characters import any_of, needed_characters
from sitegen.readers.quick_blocks import quicken_blocks


class QuickInlineProcessor(treeprocessors.InlineProcessor):
    """Python-Markdown's inline pass, skipping patterns that cannot match."""

    def __init__(self, md: Markdown) -> None:
        super().__init__(md)
        self._quick_patterns: list[tuple[Any, re.Pattern[str] | None, re.Pattern[str] | None]] = []

    def run(self, tree: Any, ancestors: list[str] | None = None) -> Any:
        # Taken afresh for each document: an extension may register patterns while parsing.
        self._quick_patterns = [_quick_pattern(pattern) for pattern in self.inlinePatterns]
        return super().run(tree, ancestors)

    def _handle_inline(self, data: str, patternIndex: int = 0) -> str:
        """InlineProcessor.__handleInline, with a search before each pattern's call."""
        if isinstance(data, util.AtomicString):
            return data
        patterns = self._quick_patterns
        apply_pattern = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        start = 0
        count = len(patterns)
        while patternIndex < count:
            pattern, needed, expression = patterns[patternIndex]
            if expression is not None and (
                (needed is not None and needed.search(data, start) is None)
                or expression.search(data, start) is None
            ):
                # What __applyPattern returns when nothing matches.
                patternIndex += 1
                start = 0
                continue
            data, matched, start = apply_pattern(pattern, data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data

    # Python-Markdown calls the private name, from run() and from its own recursion.
    _InlineProcessor__handleInline = _handle_inline


_quick_cache: dict[tuple[str, int], re.Pattern[str] | None] = {}


def _quick_pattern(pattern: Any) -> tuple[Any, re.Pattern[str] | None, re.Pattern[str] | None]:
    """The pattern, an expression for the characters its matches need (None if unknown),
    and the expression InlineProcessor searches with. An old-style pattern gets neither:
    it is matched on a slice, so a search of the whole text would not say the same."""
    if not isinstance(pattern, inlinepatterns.InlineProcessor):
        return pattern, None, None
    expression = pattern.getCompiledRegExp()
    key = (expression.pattern, expression.flags)
    if key not in _quick_cache:
        needed = needed_characters(expression)
        _quick_cache[key] = any_of(needed) if needed else None
    return pattern, _quick_cache[key], expression


class QuickerMarkdown(Extension):
    """Puts the quicker parts in place of Python-Markdown's own. Registered after every
    other extension, so what they register is in place."""

    def extendMarkdown(self, md: Markdown) -> None:
        if set(dir(treeprocessors.InlineProcessor)) >= _PRIVATE_NAMES:
            md.treeprocessors.register(QuickInlineProcessor(md), "inline", 20)
        quicken_blocks(md)


_PRIVATE_NAMES = {"_InlineProcessor__applyPattern", "_InlineProcessor__handleInline"}

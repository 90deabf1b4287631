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
from collections.abc import Iterable
from typing import Any, NamedTuple

from markdown import Markdown, inlinepatterns, treeprocessors, util
from markdown.extensions import Extension

from sitegen.readers.needed_characters import any_of, common_characters, needed_characters
from sitegen.readers.quick_blocks import quicken_blocks


class QuickInlineProcessor(treeprocessors.InlineProcessor):
    """Python-Markdown's inline pass, skipping patterns that cannot match."""

    def __init__(self, md: Markdown) -> None:
        super().__init__(md)
        self._quick_patterns: list[_QuickPattern] = []
        self._plain = _PlainTextPlan(None, [])

    def run(self, tree: Any, ancestors: list[str] | None = None) -> Any:
        # Taken afresh for each document: an extension may register patterns while parsing.
        self._quick_patterns = [_quick_pattern(pattern) for pattern in self.inlinePatterns]
        self._plain = _plain_text_plan(self._quick_patterns)
        return super().run(tree, ancestors)

    def _handle_inline(self, data: str, patternIndex: int = 0) -> str:
        """InlineProcessor.__handleInline, with a search before each pattern's call.

        Most runs of text (nine in ten) hold none of the characters most patterns need
        (a backtick, "[", "*", "<" and so on): those patterns are passed over together
        after one search. A match leaves a placeholder, which holds none of them either."""
        if isinstance(data, util.AtomicString):
            return data
        special, always = self._plain
        if special is not None and special.search(data) is None:
            indices: Iterable[int] = (index for index in always if index >= patternIndex)
        else:
            indices = range(patternIndex, len(self._quick_patterns))
        for index in indices:
            data = self._apply_while_matching(data, index)
        return data

    def _apply_while_matching(self, data: str, index: int) -> str:
        """The pattern at `index` applied to `data` until it matches no more."""
        pattern, needed, expression = self._quick_patterns[index]
        apply_pattern = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        start = 0
        # Where the search finds nothing, __applyPattern would say "no match" and change
        # nothing.
        while expression is None or (
            (needed is None or needed.search(data, start) is not None)
            and expression.search(data, start) is not None
        ):
            data, matched, start = apply_pattern(pattern, data, index, start)
            if not matched:
                break
        return data

    # Python-Markdown calls the private name, from run() and from its own recursion.
    _InlineProcessor__handleInline = _handle_inline


# A pattern, an expression for the characters its matches need, the expression it searches.
_QuickPattern = tuple[Any, re.Pattern[str] | None, re.Pattern[str] | None]
_quick_cache: dict[tuple[str, int], tuple[frozenset[str] | None, re.Pattern[str] | None]] = {}


def _quick_pattern(pattern: Any) -> _QuickPattern:
    """The pattern, an expression for the characters its matches need (None if unknown),
    and the expression InlineProcessor searches with. An old-style pattern gets neither:
    it is matched on a slice, so a search of the whole text would not say the same."""
    if not isinstance(pattern, inlinepatterns.InlineProcessor):
        return pattern, None, None
    expression = pattern.getCompiledRegExp()
    return pattern, _needed(expression)[1], expression


def _needed(expression: re.Pattern[str]) -> tuple[frozenset[str] | None, re.Pattern[str] | None]:
    """What the matches of `expression` need: the characters, and a search for them."""
    key = (expression.pattern, expression.flags)
    if key not in _quick_cache:
        needed = needed_characters(expression)
        _quick_cache[key] = (needed, any_of(needed) if needed else None)
    return _quick_cache[key]


class _PlainTextPlan(NamedTuple):
    """How to pass over the patterns a text cannot match, all at once."""

    special: re.Pattern[str] | None  # any character one of the passed-over patterns needs
    always: list[int]  # the patterns tried all the same, in order: what they need is common


_plans: dict[tuple[Any, ...], _PlainTextPlan] = {}


def _plain_text_plan(patterns: list[_QuickPattern]) -> _PlainTextPlan:
    key = tuple(None if expression is None else expression for _, _, expression in patterns)
    if key not in _plans:
        special: set[str] = set()
        always = []
        for index, (_pattern, _search, expression) in enumerate(patterns):
            needed = None if expression is None else _needed(expression)[0]
            if needed is None or common_characters(needed):
                always.append(index)
            else:
                special |= needed
        _plans[key] = _PlainTextPlan(any_of(frozenset(special)) if special else None, always)
    return _plans[key]


class QuickerMarkdown(Extension):
    """Puts the quicker parts in place of Python-Markdown's own. Registered after every
    other extension, so what they register is in place."""

    def extendMarkdown(self, md: Markdown) -> None:
        if set(dir(treeprocessors.InlineProcessor)) >= _PRIVATE_NAMES:
            md.treeprocessors.register(QuickInlineProcessor(md), "inline", 20)
        quicken_blocks(md)


_PRIVATE_NAMES = {"_InlineProcessor__applyPattern", "_InlineProcessor__handleInline"}

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

Smaller parts: the block parser's processors kept in order rather than sorted and copied
for every block, block tests that answer at once where the characters they need are absent
(a table's "|", a Setext heading's underline, a rule's three marks, an admonition's "!!!"),
the processors that take footnotes, abbreviations, link references and Markdown inside HTML
passed over for blocks that hold none of them, the raw HTML and
fenced code preprocessors passed over for a document without "<" or a fence (and fences
looked for only where a line starts with backticks or tildes), blank lines of
spaces looked for only where a space comes before a line break, each tag's
block-level answer remembered, and the table of contents
looking for its [TOC] marker only in documents that hold it.

The inline pass reaches into private methods of Python-Markdown's InlineProcessor. A version
without them keeps its own inline pass, and the equivalence test runs with the suite.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from markdown import Markdown, inlinepatterns, preprocessors, treeprocessors, util
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor


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
        _quick_cache[key] = (
            re.compile(f"[{re.escape(''.join(sorted(needed)))}]") if needed else None
        )
    return pattern, _quick_cache[key], expression


def _any_of(characters: frozenset[str]) -> re.Pattern[str]:
    return re.compile(f"[{re.escape(''.join(sorted(characters)))}]")


def needed_characters(expression: re.Pattern[str]) -> frozenset[str] | None:
    """Characters one of which is in every match of `expression`, or in what a look-ahead
    at its end needs (so at or after where the search began), or None if that is unknown."""
    if expression.flags & re.IGNORECASE:
        return None
    try:
        parsed = sre_parse.parse(expression.pattern, expression.flags)
    except Exception:
        return None
    return _best(_in_sequence(list(parsed)))


_Choices = list[frozenset[str]]  # each alone is enough: a match holds one of its characters
_MAX_CLASS = 16  # a larger set of characters is nearly always in the text anyway


def _best(choices: _Choices) -> frozenset[str] | None:
    """The choice most texts lack: few characters, and none as common as a space."""
    return min(choices, key=lambda choice: (_common(choice), len(choice))) if choices else None


def _common(characters: frozenset[str]) -> int:
    return sum(1 for character in characters if character.isalnum() or character in " \n\t.,")


def _in_sequence(items: list[tuple[Any, Any]]) -> _Choices:
    choices: _Choices = []
    for item in items:
        choices.extend(_in_item(*item))
    return choices


def _in_item(op: Any, value: Any) -> _Choices:
    if op is sre.LITERAL:
        return [frozenset(chr(value))]
    if op is sre.IN:
        return _in_class(value)
    if op is sre.SUBPATTERN:
        _group, added_flags, _removed_flags, items = value
        return [] if added_flags & re.IGNORECASE else _in_sequence(items)
    if op is sre.ATOMIC_GROUP:
        return _in_sequence(value)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        least, _most, items = value
        return _in_sequence(items) if least >= 1 else []
    if op is sre.ASSERT:
        direction, items = value
        # A look-behind may look before where the search began; a look-ahead cannot.
        return _in_sequence(items) if direction == 1 else []
    if op is sre.BRANCH:
        return _in_branches(value[1])
    return []


def _in_class(members: list[tuple[Any, Any]]) -> _Choices:
    characters: set[str] = set()
    for op, value in members:
        if op is sre.LITERAL:
            characters.add(chr(value))
        elif op is sre.RANGE and value[1] - value[0] < _MAX_CLASS:
            characters.update(chr(code) for code in range(value[0], value[1] + 1))
        else:
            return []  # a negated class, a category, a wide range
    return [frozenset(characters)] if len(characters) <= _MAX_CLASS else []


def _in_branches(branches: list[list[tuple[Any, Any]]]) -> _Choices:
    """A match of an alternation holds a needed character of whichever branch matched."""
    in_each = [_in_sequence(branch) for branch in branches]
    if not all(in_each):
        return []
    shared = set(in_each[0]).intersection(*in_each[1:])
    if shared:
        return list(shared)
    needed: set[str] = set()
    for choices in in_each:
        # The choice that adds the fewest new characters keeps the set small.
        needed |= min(choices, key=lambda choice: (len(choice - needed), len(choice)))
    return [frozenset(needed)]


class _KeptOrderRegistry(util.Registry[Any]):
    """A registry that keeps its items in order between loops over it. Python-Markdown's
    sorts and copies them for each loop, and its block parser loops once for every block."""

    def __init__(self, registry: util.Registry[Any]) -> None:
        super().__init__()
        vars(self).update(vars(registry))  # the same items, priorities and order
        self._kept: list[Any] | None = None

    def __iter__(self) -> Iterator[Any]:
        if self._kept is None:
            self._kept = list(super().__iter__())
        return iter(self._kept)

    def register(self, item: Any, name: str, priority: float) -> None:
        self._kept = None
        super().register(item, name, priority)

    def deregister(self, name: str, strict: bool = True) -> None:
        self._kept = None
        super().deregister(name, strict)


def _known_block_level(md: Markdown) -> Callable[[Any], bool]:
    """Markdown.is_block_level, remembering each tag's answer: it lowers the tag and looks
    through a list of forty names, and is asked for every element several times."""
    stock = md.is_block_level
    known: dict[str, bool] = {}
    names = md.block_level_elements
    known_for = len(names)

    def is_block_level(tag: Any) -> bool:
        nonlocal known_for
        if not isinstance(tag, str):
            return False
        if known_for != len(names):  # an extension added a name
            known.clear()
            known_for = len(names)
        answer = known.get(tag)
        if answer is None:
            answer = known[tag] = stock(tag)
        return answer

    return is_block_level


class _MarkerLookout(Preprocessor):
    """Lets the table of contents look for its marker (a walk over every element) only in
    documents that hold it. Runs after whitespace is normalised (which removes characters
    that could split a marker) and before anything is set aside (raw HTML, fenced code)."""

    PRIORITY = 27  # between normalize_whitespace (30) and fenced_code_block (25)

    def __init__(self, md: Markdown, toc: Any) -> None:
        super().__init__(md)
        self.toc = toc
        self.marker = toc.marker

    def run(self, lines: list[str]) -> list[str]:
        has_marker = bool(self.marker) and any(self.marker in line for line in lines)
        self.toc.marker = self.marker if has_marker else ""
        return lines


class _QuickNormalizeWhitespace(preprocessors.NormalizeWhitespace):
    """Python-Markdown's first step, with its last search (blank lines of spaces made empty)
    made only where the text holds a space before a line break: the search tries every
    position of every document, through a look-behind."""

    def run(self, lines: list[str]) -> list[str]:
        source = "\n".join(lines)
        source = source.replace(util.STX, "").replace(util.ETX, "")
        source = source.replace("\r\n", "\n").replace("\r", "\n") + "\n\n"
        source = source.expandtabs(self.md.tab_length)
        if " \n" in source:
            source = _BLANK_LINE_OF_SPACES.sub("\n", source)
        return source.split("\n")


_BLANK_LINE_OF_SPACES = re.compile(r"(?<=\n) +\n")


class _GatedExpression:
    """A block processor's expression that says "no match" at once where the text lacks
    every character its matches need; for an expression that is not anchored to the
    start of the text, and so would try each position in turn."""

    def __init__(self, expression: re.Pattern[str], needed: re.Pattern[str]) -> None:
        self._expression = expression
        self._needed = needed

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        if self._needed.search(text, pos, endpos) is None:
            return None
        return self._expression.search(text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        if self._needed.search(text, pos, endpos) is None:
            return None
        return self._expression.match(text, pos, endpos)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._expression, name)


class _LineStartSearch:
    """A search for an expression whose every match starts a line with one of `marks`
    (a code fence's backticks or tildes): it tries only those places. The stock search
    tried every position of every document, as the expression begins with "^" and no
    literal the regular expression engine could skip ahead to."""

    def __init__(self, expression: re.Pattern[str], marks: tuple[str, ...]) -> None:
        self._expression = expression
        self._marks = marks

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        for start in self._line_starts(text, pos):
            found = self._expression.match(text, start, endpos)
            if found is not None:
                return found
        return None

    def _line_starts(self, text: str, pos: int) -> list[int]:
        """Where a line starts with one of the marks, at or after `pos`, in order."""
        starts = []
        for mark in self._marks:
            # One character is looked for with memchr; a missing mark took longer to rule out.
            at = text.find(mark, pos) if text.find(mark[0], pos) != -1 else -1
            while at != -1:
                if at == 0 or text[at - 1] == "\n":
                    starts.append(at)
                at = text.find(mark, at + 1)
        return sorted(starts)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._expression, name)


# The start of Python-Markdown's fenced code expression: a line that starts with three or
# more backticks or tildes. Only an expression that starts so is searched line by line.
_FENCE_START = "(?P<fence>^(?:~{3,}|`{3,}))"


def _search_fences_by_line(md: Markdown) -> None:
    if "fenced_code_block" not in md.preprocessors:
        return
    processor = md.preprocessors["fenced_code_block"]
    expression = getattr(processor, "FENCED_BLOCK_RE", None)
    if isinstance(expression, re.Pattern) and expression.pattern.lstrip().startswith(_FENCE_START):
        processor.FENCED_BLOCK_RE = _LineStartSearch(expression, ("```", "~~~"))


def _gate_block_expressions(md: Markdown) -> None:
    for processor in md.parser.blockprocessors:
        for name, value in list(vars(type(processor)).items()) + list(vars(processor).items()):
            if isinstance(value, re.Pattern) and _tries_each_position(value):
                needed = needed_characters(value)
                if needed is not None and not _common(needed):
                    setattr(processor, name, _GatedExpression(value, _any_of(needed)))


def _could_be_table(block: str) -> bool:
    """A table's first row holds a "|" (a one-column table too, as its border). The stock
    test splits every block into rows and cells first, for each block of every document."""
    return "|" in block


def _could_be_setext_heading(block: str) -> bool:
    """The test matches a block whose second line starts with "=" or "-". Its expression
    would walk the whole first line of every block that holds a hyphen anywhere."""
    return "\n=" in block or "\n-" in block


def _could_be_rule(block: str) -> bool:
    """A rule is three or more of one of "-", "_" and "*" on a line. The stock test tries
    every line of every block that holds one of them."""
    return block.count("-") >= 3 or block.count("_") >= 3 or block.count("*") >= 3


def _could_be_admonition(block: str) -> bool:
    """An admonition starts with "!!!"; an indented block may go on the one before it. The
    stock test searches every block, then looks for an admonition before it."""
    return "!!!" in block or block.startswith(" ")


# Block tests and what every block they say yes to holds, by the block processor's name.
_BLOCK_GATES: dict[str, Callable[[str], bool]] = {
    "table": _could_be_table,
    "setextheader": _could_be_setext_heading,
    "hr": _could_be_rule,
    "admonition": _could_be_admonition,
}

# Processors whose test says yes to every block and whose run then gives the block back
# untouched unless it holds what they take, by name: what that is. Each of them was
# called twice for every block of every document, and searched it.
_TAKE_GATES: dict[str, Callable[[str], bool]] = {
    "markdown_block": lambda block: block.startswith(util.STX),  # raw HTML set aside
    "footnote": lambda block: "[^" in block,  # [^1]: a footnote
    "abbr": lambda block: "*[" in block,  # *[HTML]: an abbreviation
    "reference": lambda block: "]:" in block,  # [id]: a link's address
}


def _could_hold_html(text: str) -> bool:
    """Raw HTML starts with "<". The stock preprocessor runs an HTML parser over every
    document."""
    return "<" in text


def _could_hold_fences(text: str) -> bool:
    """A fenced code block starts with three backticks or tildes. The stock preprocessor
    searches every document for one."""
    return "```" in text or "~~~" in text


# Preprocessors that give back the lines as they are unless the text holds what they look
# for, by name.
_PREPROCESSOR_GATES: dict[str, Callable[[str], bool]] = {
    "html_block": _could_hold_html,
    "fenced_code_block": _could_hold_fences,
}


def _gate_preprocessor(processor: Any, could_change: Callable[[str], bool]) -> None:
    """The preprocessor, giving back the lines at once for a text `could_change` rules out."""
    run = processor.run

    def gated_run(lines: list[str]) -> list[str]:
        return run(lines) if could_change("\n".join(lines)) else lines

    processor.run = gated_run


def _gate_test(processor: Any, could_match: Callable[[str], bool]) -> None:
    """The processor's test, answering "no" at once for a block `could_match` rules out."""
    test = processor.test

    def gated_test(parent: Any, block: str) -> bool:
        return could_match(block) and bool(test(parent, block))

    processor.test = gated_test


def _tries_each_position(expression: re.Pattern[str]) -> bool:
    if expression.flags & re.MULTILINE:
        return True
    try:
        first = sre_parse.parse(expression.pattern, expression.flags)[0]
    except Exception:
        return False
    return not (first[0] is sre.AT and first[1] is sre.AT_BEGINNING)


class QuickerMarkdown(Extension):
    """Puts the quicker parts in place of Python-Markdown's own. Registered after every
    other extension, so what they register is in place."""

    def extendMarkdown(self, md: Markdown) -> None:
        if set(dir(treeprocessors.InlineProcessor)) >= _PRIVATE_NAMES:
            md.treeprocessors.register(QuickInlineProcessor(md), "inline", 20)
        md.parser.blockprocessors = _KeptOrderRegistry(md.parser.blockprocessors)
        _gate_block_expressions(md)
        for name, could_match in (_BLOCK_GATES | _TAKE_GATES).items():
            if name in md.parser.blockprocessors:
                _gate_test(md.parser.blockprocessors[name], could_match)
        for name, could_change in _PREPROCESSOR_GATES.items():
            if name in md.preprocessors:
                _gate_preprocessor(md.preprocessors[name], could_change)
        _search_fences_by_line(md)
        if type(md.preprocessors["normalize_whitespace"]) is preprocessors.NormalizeWhitespace:
            normalize = _QuickNormalizeWhitespace(md)
            md.preprocessors.register(normalize, "normalize_whitespace", 30)
        md.is_block_level = _known_block_level(md)  # type: ignore[method-assign,assignment]
        if "toc" in md.treeprocessors and hasattr(md.treeprocessors["toc"], "marker"):
            lookout = _MarkerLookout(md, md.treeprocessors["toc"])
            md.preprocessors.register(lookout, "toc_marker_lookout", _MarkerLookout.PRIORITY)


_PRIVATE_NAMES = {"_InlineProcessor__applyPattern", "_InlineProcessor__handleInline"}

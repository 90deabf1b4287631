"""Quicker block and preprocessor steps for Python-Markdown, with the very same output.

The block parser offers each block to every block processor in turn, and most processors
test it with a search; the preprocessors read the whole document. Here:
- the block processors are kept in order, not sorted and copied for every block;
- block tests answer at once where the characters they need are absent (a table's "|", a
  Setext heading's underline, a rule's three marks, an admonition's "!!!"), and so do the
  expressions of tests that would try each position of a block;
- the processors that take footnotes, abbreviations, link references and Markdown inside
  HTML are passed over for blocks that hold none of them;
- the raw HTML and fenced code preprocessors are passed over for a document without "<" or
  a fence, and fences are looked for only where a line starts with backticks or tildes;
- blank lines of spaces are looked for only where a space comes before a line break;
- each tag's block-level answer is remembered;
- the table of contents looks for its [TOC] marker only in documents that hold it;
- attribute lists are looked for only in documents with a "{", and backslash escapes turned
  back into characters only in documents with a backslash.
tests/readers/test_quick_markdown.py holds each of them to what Python-Markdown's own step
does.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from markdown import Markdown, preprocessors, util
from markdown.preprocessors import Preprocessor

from sitegen.readers.needed_characters import any_of, common_characters, needed_characters


def quicken_blocks(md: Markdown) -> None:
    """Puts the quicker block and preprocessor steps in place of Python-Markdown's own."""
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
    toc = None
    if "toc" in md.treeprocessors and hasattr(md.treeprocessors["toc"], "marker"):
        toc = md.treeprocessors["toc"]
    gates = _tree_gates(md)
    if gates or toc is not None:
        lookout = _Lookout(md, toc, gates)
        md.preprocessors.register(lookout, "lookout", _Lookout.PRIORITY)
        _gate_treeprocessors(md, gates, lookout)


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


class _Lookout(Preprocessor):
    """Looks over each document's text once for what later steps can do without: the table
    of contents' marker (else its walk over every element is skipped), and the characters
    of _TREE_GATES. Runs after whitespace is normalised (which removes characters that could
    split a marker) and before anything is set aside (raw HTML, fenced code)."""

    PRIORITY = 27  # between normalize_whitespace (30) and fenced_code_block (25)

    def __init__(self, md: Markdown, toc: Any, gates: dict[str, str]) -> None:
        super().__init__(md)
        self.toc = toc
        self.marker = toc.marker if toc is not None else ""
        self.characters = frozenset(gates.values())
        self.held = self.characters  # until a document has been looked at, every step runs

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if self.toc is not None:
            self.toc.marker = self.marker if self.marker and self.marker in text else ""
        self.held = frozenset(character for character in self.characters if character in text)
        return lines


# Treeprocessors that change nothing in a document whose text lacks a character, by name:
# every attribute list holds "{", and only a backslash escape leaves the placeholders the
# unescape step turns back into characters. Each walked every element of every document.
_TREE_GATES: dict[str, str] = {"attr_list": "{", "unescape": "\\"}


def _tree_gates(md: Markdown) -> dict[str, str]:
    """Those of _TREE_GATES that are Python-Markdown's own steps in `md`."""
    return {
        name: character
        for name, character in _TREE_GATES.items()
        if name in md.treeprocessors
        and type(md.treeprocessors[name]).__module__.startswith("markdown.")
    }


def _gate_treeprocessors(md: Markdown, gates: dict[str, str], lookout: _Lookout) -> None:
    for name, character in gates.items():
        processor: Any = md.treeprocessors[name]
        run = processor.run

        def gated_run(root: Any, run: Any = run, character: str = character) -> Any:
            return run(root) if character in lookout.held else None

        processor.run = gated_run


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
    processor: Any = md.preprocessors["fenced_code_block"]
    expression = getattr(processor, "FENCED_BLOCK_RE", None)
    if isinstance(expression, re.Pattern) and expression.pattern.lstrip().startswith(_FENCE_START):
        processor.FENCED_BLOCK_RE = _LineStartSearch(expression, ("```", "~~~"))


def _gate_block_expressions(md: Markdown) -> None:
    for processor in md.parser.blockprocessors:
        for name, value in list(vars(type(processor)).items()) + list(vars(processor).items()):
            if isinstance(value, re.Pattern) and _tries_each_position(value):
                needed = needed_characters(value)
                if needed is not None and not common_characters(needed):
                    setattr(processor, name, _GatedExpression(value, any_of(needed)))


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

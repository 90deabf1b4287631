"""The characters every match of a regular expression needs, read from the expression.

Python-Markdown tries many expressions on texts that cannot hold a match; a search for one
of the characters a match needs (a backtick for a code span, a "[" for a link) rules most of
them out at once. The characters are read from the parsed expression, so they follow it.
"""

from __future__ import annotations

import re
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any


def any_of(characters: frozenset[str]) -> re.Pattern[str]:
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
    return (
        min(choices, key=lambda choice: (common_characters(choice), len(choice)))
        if choices
        else None
    )


def common_characters(characters: frozenset[str]) -> int:
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

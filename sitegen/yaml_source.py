"""YAML for authors: safe loading that keeps line numbers and catches everyday traps.

Takes YAML text (site.yaml or a front matter block) and gives plain Python values whose
mappings are YamlMap dicts that remember the line of every key and the raw text of every
plain scalar, so later checks can say "line 4: title is no, read as false; quote it".
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from sitegen.errors import Problem, SiteError

_FastLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Aliases let a few lines expand into millions of values ("billion laughs").
_MAX_NODES = 200_000
# "Teens #1" loses "#1" to a comment; a real comment usually reads "# like this".
_COMMENT_AFTER = re.compile(r"\s+#[^\s#]")
# "title: &Featured Event" makes "&Featured" an anchor and silently keeps only "Event".
_ANCHOR = re.compile(r"&([^\s,\[\]{}]+)")
_STANDARD_TAG = "tag:yaml.org,2002:"
# Plain values only: !!binary gives bytes and !!python/... would name code to run.
_SCALAR_TAGS = frozenset(
    _STANDARD_TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp")
)
# A bare "=" or "<<" resolves to these YAML 1.1 oddities; as a value, the author meant text.
_TEXT_TAGS = frozenset({_STANDARD_TAG + "value", _STANDARD_TAG + "merge"})


class YamlMap(dict[str, Any]):
    """A mapping read from YAML: a dict that also knows where each key stands."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[str, int] = {}
        self.raw: dict[str, str] = {}
        self.cut_by_comment: set[str] = set()

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _Converter:
    def __init__(self, loader: yaml.SafeLoader, text: str, first_line: int) -> None:
        self.loader = loader
        self.text = text
        self.lines = text.splitlines()
        self.first_line = first_line
        self.visited = 0
        self.problems: list[str] = []

    def file_line(self, node: Node) -> int:
        return node.start_mark.line + self.first_line

    def convert(self, node: Node) -> Any:
        self.visited += 1
        if self.visited > _MAX_NODES:
            raise _TooLarge(self.file_line(node))
        if isinstance(node, MappingNode):
            self.require_tag(node, "tag:yaml.org,2002:map")
            return self.convert_mapping(node)
        if isinstance(node, SequenceNode):
            self.require_tag(node, "tag:yaml.org,2002:seq")
            return [self.convert(item) for item in node.value]
        return self.convert_scalar(node)

    def require_tag(self, node: Node, tag: str) -> None:
        if node.tag != tag:
            raise _BadScalar(self.file_line(node), str(node.tag), "not a plain YAML value")

    def convert_scalar(self, node: Node) -> Any:
        if node.tag in _TEXT_TAGS and isinstance(node, ScalarNode) and not node.style:
            return node.value
        if node.tag not in _SCALAR_TAGS:
            raise _BadScalar(self.file_line(node), str(node.tag), "not a plain YAML value")
        try:
            return self.loader.construct_object(node, deep=True)
        except ValueError as exc:
            raise _BadScalar(self.file_line(node), node.value, str(exc)) from None
        except yaml.constructor.ConstructorError as exc:
            raise _BadScalar(self.file_line(node), str(node.tag), exc.problem or "") from None

    def convert_mapping(self, node: MappingNode) -> YamlMap:
        result = YamlMap(self.file_line(node))
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _BadScalar(self.file_line(key_node), "<<", "merge keys are not supported")
            key = key_node.value if isinstance(key_node, ScalarNode) else str(key_node.value)
            line = self.file_line(key_node)
            if key in result:
                raise _DuplicateKey(key, result.key_lines[key], line)
            result[key] = self.convert(value_node)
            result.key_lines[key] = line
            # libyaml marks a plain scalar with style "", the Python parser with None.
            if isinstance(value_node, ScalarNode) and not value_node.style:
                self.reject_lost_anchor(value_node)
                result.raw[key] = value_node.value
                if self.followed_by_comment(value_node):
                    result.cut_by_comment.add(key)
        return result

    def reject_lost_anchor(self, node: ScalarNode) -> None:
        mark = node.start_mark
        if mark.line >= len(self.lines):
            return
        written = self.lines[mark.line][mark.column :]
        anchor = _ANCHOR.match(written)
        # An anchor that no alias (*name) uses can only be a word the author meant as text.
        if anchor and f"*{anchor.group(1)}" not in self.text:
            raise _BadScalar(self.file_line(node), written.strip(), "anchor")

    def followed_by_comment(self, node: ScalarNode) -> bool:
        mark = node.end_mark
        if mark.line >= len(self.lines):
            return False
        return bool(_COMMENT_AFTER.match(self.lines[mark.line][mark.column :]))


class _TooLarge(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


class _BadScalar(Exception):
    def __init__(self, line: int, text: str, reason: str) -> None:
        self.line, self.text, self.reason = line, text, reason


class _DuplicateKey(Exception):
    def __init__(self, key: str, first_line: int, line: int) -> None:
        self.key, self.first_line, self.line = key, first_line, line


def load_yaml(text: str, path: str, first_line: int = 1) -> Any:
    """Parse YAML text that starts at `first_line` of file `path`; raise SiteError if broken."""
    try:
        return _compose_and_convert(_FastLoader, text, first_line)
    except yaml.MarkedYAMLError:
        # libyaml's messages are terse; the pure-Python parser explains the same error better.
        try:
            _compose_and_convert(yaml.SafeLoader, text, first_line)
        except yaml.MarkedYAMLError as exc:
            raise SiteError(_syntax_problem(exc, path, first_line)) from None
        raise
    except _DuplicateKey as exc:
        raise SiteError(
            Problem(
                f'"{exc.key}" is given twice (first on line {exc.first_line}).',
                path,
                exc.line,
                "Keep one of them: YAML would silently use only the last one.",
            )
        ) from None
    except _BadScalar as exc:
        raise SiteError(_scalar_problem(exc, path)) from None
    except _TooLarge as exc:
        raise SiteError(
            Problem(
                "This YAML expands to too many values (aliases repeated inside aliases).",
                path,
                exc.line,
                "Write the values out instead of using & and * aliases.",
            )
        ) from None


def _compose_and_convert(loader_class: type[yaml.SafeLoader], text: str, first_line: int) -> Any:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        return _Converter(loader, text, first_line).convert(node)
    finally:
        loader.dispose()


def _scalar_problem(exc: _BadScalar, path: str) -> Problem:
    if exc.reason == "anchor":
        return Problem(
            f'The value "{exc.text}" starts with &, so YAML drops the first word.',
            path,
            exc.line,
            'Put the value in double quotes, like: title: "&Friends Book Sale"',
        )
    if exc.text.startswith("tag:") or exc.text.startswith("!"):
        # Show the tag as the author wrote it (!!python/...), not as YAML expands it.
        written = exc.text.replace(_STANDARD_TAG, "!!", 1)
        return Problem(
            f"The YAML tag {written} is not allowed here.",
            path,
            exc.line,
            "Remove it: settings hold only plain text, numbers, dates and lists.\n"
            'For text that starts with !, quote the whole value, like: title: "!Important News"',
        )
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}.*", exc.text):
        return Problem(
            f'"{exc.text}" is not a real date ({exc.reason}).',
            path,
            exc.line,
            "Dates are written year-month-day, like 2026-12-01.",
        )
    return Problem(f'"{exc.text}" cannot be read: {exc.reason}.', path, exc.line)


_SYNTAX_HINTS = [
    (
        "found character '\\t'",
        "A tab character is used for indentation.",
        "Indent with spaces, never tabs.",
    ),
    (
        "found unexpected end of stream",
        "A quotation mark is opened but never closed.",
        'Close the quote at the end of the value, like: title: "Teen Book Club"',
    ),
    (
        "mapping values are not allowed here",
        "A colon in a value confuses YAML.",
        'Put the whole value in double quotes, like: title: "Storytime: Ages 3-5"\n'
        "If the line starts a new setting, begin it at the left edge like the others.",
    ),
    (
        # "Teens" Book Club, 'Bob's Books', [Draft] Book Sale, or a quote left open above.
        "but found '<scalar>'",
        "There is more text after a quoted or [bracketed] part of a value.",
        'Put the whole value in double quotes, like: title: "Bob\'s Books [Draft]"\n'
        "Check too that a quote opened on an earlier line is closed.",
    ),
    (
        "expected alphabetic or numeric character",
        "A value starts with * or &, which YAML reads as a reference.",
        'Put the value in double quotes, like: title: "*Featured* Event"',
    ),
    (
        "found undefined alias",
        "A value starts with *, which YAML reads as a reference.",
        'Put the value in double quotes, like: title: "*Featured* Event"',
    ),
    (
        "that cannot start any token",
        "A value starts with a character YAML reserves (such as @, ` or %).",
        'Put the value in double quotes, like: author: "@riverbendlibrary"',
    ),
    (
        "could not find expected ':'",
        "A line is neither `key: value` nor part of a list.",
        "Each line needs a key and a colon, like: title: Book Sale. Quote values that span lines.",
    ),
]


def _syntax_problem(exc: yaml.MarkedYAMLError, path: str, first_line: int) -> Problem:
    text = f"{exc.context or ''} {exc.problem or ''}"
    mark = exc.problem_mark or exc.context_mark
    if "found unexpected end of stream" in text and exc.context_mark is not None:
        mark = exc.context_mark  # the opening quote, not the end of the file
    line = (mark.line + first_line) if mark is not None else first_line
    for needle, message, hint in _SYNTAX_HINTS:
        if needle in text:
            return Problem(message, path, line, hint)
    return Problem(
        f"This YAML cannot be read: {(exc.problem or exc.context or 'syntax error').strip()}.",
        path,
        line,
        'Values with : # @ * & or quotes are safest in double quotes, like: title: "Q&A: Ask Us"',
    )

"""The quicker inline pass renders exactly what Python-Markdown's own does."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.readers.markdown import (
    EXTENSION_CONFIGS,
    EXTENSIONS,
    MarkdownRenderer,
    _configured_markdown,
)
from sitegen.readers.needed_characters import needed_characters
from sitegen.readers.quick_markdown import QuickerMarkdown

REPOSITORY = Path(__file__).resolve().parents[2]

# Pieces that reach every inline pattern and its near misses: escapes, code spans with
# backslashes, links of every kind, images, footnotes, autolinks, mail, HTML and entities,
# emphasis, line breaks, abbreviations, attribute lists and [TOC].
PIECES = [
    "plain words ",
    "*em* ",
    "**strong** ",
    "***both*** ",
    "_under_ ",
    "__double__ ",
    "snake_case_name ",
    " * not emphasis * ",
    "`code` ",
    "``code with ` tick`` ",
    "\\`not code\\` ",
    "\\\\`code after backslashes` ",
    "\\*escaped\\* ",
    "[link](https://example.org/ 'title') ",
    "[ref][r1] ",
    "[r1] ",
    "[broken link ",
    "![image](pic.png) ",
    "![ref image][r1] ",
    "!not an image ",
    "[^1] ",
    "<https://example.org/> ",
    "<mail@example.org> ",
    '<span class="x">html</span> ',
    "<!-- comment --> ",
    "&amp; &#169; &copy; & alone ",
    "line with break  \n",
    "\n",
    "\n\n",
    "HTML and CSS ",
    "# Heading\n\n",
    "## Heading *em*\n\n",
    "### Heading {: #custom-id }\n\n",
    "[TOC]\n\n",
    "\\[TOC\\]\n\n",
    "[TO\x02C]\n\n",
    '<div markdown="1">\n[TOC]\n</div>\n\n',
    "- item `x`\n- item [a](b)\n\n",
    "1. one\n2. two\n\n",
    "> quote with *em*\n\n",
    "    indented code *not em*\n\n",
    "```\nfenced *not em* [x](y)\n```\n\n",
    "| a | b |\n|---|---|\n| `c` | [d](e) |\n\n",
    "| one column |\n| --- |\n| cell |\n\n",
    "a | b\n--|--\nc | d\n\n",
    "no table\n|---|---|\n\n",
    "`a | b` | c\n--- | ---\n\n",
    "a \\| b\n---\n\n",
    "Setext heading\n==============\n\n",
    "Setext *sub*heading\n-\n\n",
    "not a heading\n= equals\n\n",
    "***\n\n",
    "* * *\n\n",
    "- - -\n\n",
    "  ___  \n\n",
    "_ _\n\n",
    "a paragraph\n---\nthen more\n\n",
    "well-known, long-standing, up-to-date words\n\n",
    "Term\n:   Definition *em*\n\n",
    '!!! note "Title"\n    Admonition *text*\n\n',
    '<div markdown="1">\n*inside*\n</div>\n\n',
    "[r1]: https://example.org/ref\n\n",
    "[^1]: A footnote with `code`.\n\n",
    "*[HTML]: Hyper Text Markup Language\n\n",
    "<!-- more -->\n\n",
    "ü ñ 漢字 ",
]


def _stock() -> markdown.Markdown:
    return markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)


def _quick() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=[*EXTENSIONS, QuickerMarkdown()], extension_configs=EXTENSION_CONFIGS
    )


def _both(text: str, stock: markdown.Markdown, quick: markdown.Markdown) -> None:
    stock.reset()
    quick.reset()
    assert quick.convert(text) == stock.convert(text)
    assert getattr(quick, "toc", "") == getattr(stock, "toc", "")


def test_the_renderer_uses_the_quick_pass() -> None:
    renderer = MarkdownRenderer()
    assert type(renderer._md.treeprocessors["inline"]).__name__ == "QuickInlineProcessor"
    fences = renderer._md.preprocessors["fenced_code_block"]
    assert type(fences.FENCED_BLOCK_RE).__name__ == "_LineStartSearch"


def test_the_demo_content_renders_the_same() -> None:
    stock, quick = _stock(), _quick()
    documents = sorted((REPOSITORY / "content").rglob("*.md"))
    assert len(documents) > 10
    for document in documents:
        _both(document.read_text(encoding="utf-8"), stock, quick)


def test_the_renderer_s_markdown_is_made_with_the_extensions_and_settings_named() -> None:
    """The renderer makes its extensions from their modules (see readers.markdown); they
    render as the same extensions named, with the same settings, do."""
    text = (
        "## A heading\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\nA note[^1].\n\n"
        "[^1]: The note.\n\n*[HTML]: Hyper Text Markup Language\n\nHTML here.\n"
    )
    _both(text, _stock(), _configured_markdown())
    assert 'align="right"' in _configured_markdown().convert(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=25))
def test_random_documents_render_the_same(pieces: list[str]) -> None:
    _both("".join(pieces), _STOCK, _QUICK)


_STOCK, _QUICK = _stock(), _quick()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=12))
def test_a_treeprocessor_passed_over_would_have_changed_nothing(pieces: list[str]) -> None:
    """The attribute list and unescape steps, run on a document without their character,
    leave its tree exactly as it was."""
    from sitegen.readers.quick_blocks import _TREE_GATES

    text = "".join(pieces)
    stock = _stock()
    seen: list[tuple[str, bytes, bytes, object]] = []
    for name, character in _TREE_GATES.items():
        if character in text:
            continue
        processor = stock.treeprocessors[name]

        def watched(root: ElementTree.Element, run: Any = processor.run, name: str = name) -> Any:
            before = ElementTree.tostring(root)
            result = run(root)
            seen.append((name, before, ElementTree.tostring(root), result))
            return result

        processor.run = watched  # type: ignore[method-assign]
    stock.convert(text)
    for name, before, after, result in seen:
        assert (after, result) == (before, None), name


@pytest.mark.parametrize(
    ("pattern", "needed"),
    [
        (r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)", {"`"}),  # a code span's start
        (r"(?<!\!)\[", {"["}),
        (r"\\(.)", {"\\"}),
        (r"<([^<> !]+@[^@<> ]+)>", {"<"}),
        (r"\*|_", {"*", "_"}),
        (r"[ab]c|d", {"c", "d"}),
        (r"x?y*", None),  # may match nothing at all
        (r"[^x]", None),
        (r"(?<=a)b?", None),  # what a look-behind sees may lie before the search's start
        (r"\w+", None),
    ],
)
def test_needed_characters(pattern: str, needed: set[str] | None) -> None:
    found = needed_characters(re.compile(pattern))
    assert found == (frozenset(needed) if needed is not None else None)


def test_case_insensitive_patterns_are_not_guessed() -> None:
    assert needed_characters(re.compile("abc", re.IGNORECASE)) is None


_TEXT = st.text(alphabet="ab*_`\\[]()!<>@&;# \n:/.x-=|", max_size=40)


@settings(max_examples=300, deadline=None)
@given(_TEXT, st.integers(min_value=0, max_value=40))
def test_no_match_without_a_needed_character(text: str, start: int) -> None:
    """For each pattern the renderer uses: where no needed character is at or after the
    search's start, the pattern's own search finds nothing there."""
    for pattern in _QUICK.inlinePatterns:
        expression = pattern.getCompiledRegExp()
        needed = needed_characters(expression)
        if needed is not None and not any(c in text[start:] for c in needed):
            assert expression.search(text, start) is None, expression.pattern


_FENCED_TEXT = st.lists(
    st.sampled_from(
        [
            *("```\na\n```\n", "~~~\na\n~~~\n", "````\n```\n````\n", "```python\n", "``` {: .x}\n"),
            *("```", "~~~", "`", "~", "\n", "a", " "),
        ]
    ),
    max_size=12,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(_FENCED_TEXT)
def test_fences_searched_line_by_line_are_found_as_the_stock_search_finds_them(
    text: str,
) -> None:
    """From every place a search could start, the fence found (if any) is the one the stock
    search finds."""
    from sitegen.readers.quick_blocks import _LineStartSearch

    expression = _stock().preprocessors["fenced_code_block"].FENCED_BLOCK_RE
    by_line = _LineStartSearch(expression, ("```", "~~~"))
    for start in range(len(text) + 1):
        found, expected = by_line.search(text, start), expression.search(text, start)
        assert (found and (found.span(), found.groupdict())) == (
            expected and (expected.span(), expected.groupdict())
        ), start


def test_block_processors_registered_later_take_part() -> None:
    quick = _quick()
    assert quick.convert("§ marked") == "<p>§ marked</p>"  # the loop's order is now kept

    class Marked(markdown.blockprocessors.BlockProcessor):
        def test(self, parent: object, block: str) -> bool:
            return block.startswith("§")

        def run(self, parent: ElementTree.Element, blocks: list[str]) -> None:
            ElementTree.SubElement(parent, "aside").text = blocks.pop(0)[1:].strip()

    quick.parser.blockprocessors.register(Marked(quick.parser), "marked", 200)
    quick.reset()
    assert quick.convert("§ marked") == "<aside>marked</aside>"
    quick.parser.blockprocessors.deregister("marked")
    quick.reset()
    assert quick.convert("§ marked") == "<p>§ marked</p>"


def test_block_level_names_added_later_are_seen() -> None:
    quick = _quick()
    assert not quick.is_block_level("custom-card")
    quick.block_level_elements.append("custom-card")
    assert quick.is_block_level("custom-card")
    assert quick.is_block_level("DIV") and not quick.is_block_level(None)


def _gated_expressions() -> list[tuple[object, object]]:
    from sitegen.readers.quick_blocks import _GatedExpression

    return [
        (value, value._expression)
        for processor in _QUICK.parser.blockprocessors
        for value in vars(processor).values()
        if isinstance(value, _GatedExpression)
    ]


def test_block_expressions_that_scan_are_gated() -> None:
    gated = {expression.pattern for _, expression in _gated_expressions()}  # type: ignore[attr-defined]
    heading = _QUICK.parser.blockprocessors["hashheader"]
    assert type(heading).RE.pattern in gated


@settings(max_examples=300, deadline=None)
@given(_TEXT, st.integers(min_value=0, max_value=40))
def test_gated_block_expressions_find_what_they_would(text: str, start: int) -> None:
    for gated, expression in _gated_expressions():
        for way in ("search", "match"):
            found = getattr(gated, way)(text, start)
            expected = getattr(expression, way)(text, start)
            assert (found and found.span()) == (expected and expected.span())


_BLOCKS = st.lists(
    st.sampled_from([*"ab-_*= \n|#!", "    ", "!!! note", "a | b", "\n--|--", "a\n==="]),
    max_size=24,
).map("".join)


def _parents() -> list[ElementTree.Element]:
    """An empty parent, and one whose last block is an admonition holding a list (an
    indented block may go on inside it)."""
    empty = ElementTree.Element("div")
    after_admonition = ElementTree.Element("div")
    admonition = ElementTree.SubElement(after_admonition, "div", {"class": "admonition note"})
    ElementTree.SubElement(ElementTree.SubElement(admonition, "ul"), "li").text = "item"
    return [empty, after_admonition]


@settings(max_examples=500, deadline=None)
@given(_BLOCKS)
def test_a_gated_block_test_says_no_only_where_the_stock_test_does(block: str) -> None:
    """Each block test gated (a table, a Setext heading, a rule, an admonition) says yes to
    every block the stock test says yes to."""
    from sitegen.readers.quick_blocks import _BLOCK_GATES

    for root in _parents():
        stock = _stock()
        for name, could_match in _BLOCK_GATES.items():
            if stock.parser.blockprocessors[name].test(root, block):
                assert could_match(block), (name, block)


_TAKEN_BLOCKS = st.lists(
    st.sampled_from(
        [
            "a",
            "[",
            "]",
            "^",
            ":",
            "*",
            " ",
            "\n",
            "\x02wzxhzdk:0\x03",
            "[a]: a",
            "[^a]: a",
            "*[a]: a",
        ]
    ),
    max_size=12,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(_TAKEN_BLOCKS)
def test_a_processor_passed_over_would_have_given_the_block_back(block: str) -> None:
    """Footnotes, abbreviations, link references and Markdown inside HTML say yes to every
    block, then give back each one without what they take. Where their gate says no, the
    stock processor takes nothing: the blocks and the document are as they were."""
    from sitegen.readers.quick_blocks import _TAKE_GATES

    stock = _stock()
    stock.htmlStash.store(ElementTree.Element("div", {"markdown": "1"}))
    for name, could_take in _TAKE_GATES.items():
        if could_take(block):
            continue
        processor = stock.parser.blockprocessors[name]
        root = ElementTree.Element("div")
        blocks = [block, "next"]
        took = processor.test(root, block) and processor.run(root, blocks) is not False
        assert not took, (name, block)
        assert blocks == [block, "next"] and len(root) == 0, (name, block)


_DOCUMENTS = st.text(alphabet="ab`~<>&;#/ \n\t*-", max_size=60)


@settings(max_examples=500, deadline=None)
@given(_DOCUMENTS)
def test_a_gated_preprocessor_is_passed_over_only_where_it_changes_nothing(text: str) -> None:
    """The raw HTML and fenced code preprocessors give back the lines as they are for every
    text their gate rules out."""
    from sitegen.readers.quick_blocks import _PREPROCESSOR_GATES

    stock = _stock()
    lines = stock.preprocessors["normalize_whitespace"].run(text.split("\n"))
    for name, could_change in _PREPROCESSOR_GATES.items():
        if not could_change("\n".join(lines)):
            stock.reset()
            assert stock.preprocessors[name].run(list(lines)) == lines, name


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="a \t\r\n\x02\x03", max_size=40))
def test_the_quicker_whitespace_step_gives_the_lines_the_stock_one_does(text: str) -> None:
    from sitegen.readers.quick_blocks import _QuickNormalizeWhitespace

    stock = _stock()
    lines = text.split("\n")
    expected = stock.preprocessors["normalize_whitespace"].run(list(lines))
    assert _QuickNormalizeWhitespace(stock).run(list(lines)) == expected
    assert type(_QUICK.preprocessors["normalize_whitespace"]) is _QuickNormalizeWhitespace

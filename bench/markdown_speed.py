"""Converting posts to HTML: Python-Markdown as it comes against sitegen's quicker parts.

Usage: python bench/markdown_speed.py [--posts N] [--rounds N]   (default: 1000 posts, 3 rounds)

Converts the posts of bench/compare.py's corpus (about 4.8 KB each) with the extensions
sitegen uses, once with Python-Markdown's own processors and once with QuickerMarkdown
(sitegen/readers/quick_markdown.py and quick_blocks.py), on one core, alternating post by
post so that both see the same load. Prints milliseconds per post for each, their ratio
(best round), and stops with an error if any post's HTML or table of contents differs.
"""

from __future__ import annotations

import argparse
import sys
import time

import markdown
from compare import make_posts, markdown_body

from sitegen.readers.markdown import EXTENSION_CONFIGS, EXTENSIONS
from sitegen.readers.quick_markdown import QuickerMarkdown


def convert(md: markdown.Markdown, text: str) -> tuple[float, str, str]:
    started = time.perf_counter()
    md.reset()
    html = md.convert(text)
    return time.perf_counter() - started, html, getattr(md, "toc", "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    texts = [markdown_body(post) for post in make_posts(args.posts)]
    stock = markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)
    quick = markdown.Markdown(
        extensions=[*EXTENSIONS, QuickerMarkdown()], extension_configs=EXTENSION_CONFIGS
    )
    rounds: list[tuple[float, float]] = []
    for _ in range(args.rounds):
        stock_seconds = quick_seconds = 0.0
        for text in texts:
            stock_time, stock_html, stock_toc = convert(stock, text)
            quick_time, quick_html, quick_toc = convert(quick, text)
            if (stock_html, stock_toc) != (quick_html, quick_toc):
                print("The quicker parts changed a post's HTML:", text[:80], file=sys.stderr)
                return 1
            stock_seconds += stock_time
            quick_seconds += quick_time
        rounds.append((stock_seconds, quick_seconds))
    stock_best = min(stock for stock, _ in rounds) / len(texts) * 1000
    quick_best = min(quick for _, quick in rounds) / len(texts) * 1000
    print(f"{len(texts)} posts, best of {args.rounds} rounds, one core, identical output")
    print(f"Python-Markdown as it comes: {stock_best:.3f} ms a post")
    print(f"with QuickerMarkdown:        {quick_best:.3f} ms a post")
    print(f"ratio quick/stock:           {quick_best / stock_best:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

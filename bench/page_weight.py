"""The weight of the demo's home page: its HTML, the theme's CSS, any script and the theme's own
images, uncompressed and gzipped, against the budget of 60 KB uncompressed for HTML and CSS.
The site's own images (logo, post pictures) are listed apart: they are content, not theme.

    python bench/page_weight.py [SITE_DIR]      (default: the demo in this repository)
"""

from __future__ import annotations

import gzip
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from bs4 import BeautifulSoup

from sitegen.build import build_site

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime.fromisoformat("2026-12-01T09:00:00-06:00")
BUDGET = 60 * 1024  # HTML + CSS, uncompressed


def main(argv: list[str]) -> int:
    site = Path(argv[1]) if len(argv) > 1 else ROOT
    with tempfile.TemporaryDirectory() as temp:
        result = build_site(site, now=NOW, out=Path(temp) / "public")
        if not result.written or result.output_dir is None:
            for problem in result.problems:
                print(problem.format(), file=sys.stderr)
            return 1
        return report(result.output_dir)


def report(out: Path) -> int:
    html = (out / "index.html").read_bytes()
    soup = BeautifulSoup(html, "html.parser")
    rows = [("HTML", "/index.html", html)]
    for link in soup.select('link[rel="stylesheet"]'):
        rows.append(("CSS", link["href"], read(out, link["href"])))
    for script in soup.select("script[src]"):
        rows.append(("JS", script["src"], read(out, script["src"])))
    for element, attribute in (("img", "src"), ('link[rel="icon"]', "href")):
        for tag in soup.select(element):
            url = tag[attribute]
            kind = "theme image" if url.startswith("/assets/") else "site image"
            rows.append((kind, url, read(out, url)))

    rows = list({url: (kind, url, data) for kind, url, data in reversed(rows)}.values())[::-1]
    print(f"{'what':<12} {'bytes':>8} {'gzip':>8}  file")
    for kind, url, data in rows:
        print(f"{kind:<12} {len(data):>8} {len(gzip.compress(data, 9)):>8}  {url}")
    budget = sum(len(data) for kind, _, data in rows if kind in ("HTML", "CSS"))
    theme = sum(len(data) for kind, _, data in rows if kind not in ("site image",))
    compressed = sum(len(gzip.compress(d, 9)) for k, _, d in rows if k not in ("site image",))
    print(f"\nHTML + CSS: {budget / 1024:.1f} KB uncompressed (budget {BUDGET / 1024:.0f} KB)")
    print(
        f"HTML + CSS + JS + theme images: {theme / 1024:.1f} KB, {compressed / 1024:.1f} KB gzipped"
    )
    print(f"JavaScript: {sum(len(d) for k, _, d in rows if k == 'JS')} bytes")
    return 0 if budget <= BUDGET else 1


def read(out: Path, url: str) -> bytes:
    return (out / url.split("?")[0].lstrip("/")).read_bytes()


if __name__ == "__main__":
    sys.exit(main(sys.argv))

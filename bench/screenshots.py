"""Screenshots of the demo site's home page and a post at 320 px and 1280 px wide, light and
dark, for a person to look at (they are not test goldens). Needs Debian's chromium.

    python bench/screenshots.py [OUT_DIR]        (default: bench/out/screenshots)
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser.chromium import INSTALL_HINT, Chromium, find_chromium  # noqa: E402
from browser.demo_site import build_demo, page_kinds, serve  # noqa: E402

WIDTHS = (320, 1280)
KINDS = ("home", "post", "event", "events month")


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else ROOT / "bench" / "out" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    executable = find_chromium()
    if executable is None:
        print(f"No chromium found. {INSTALL_HINT}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as temp:
        site = build_demo(Path(temp))
        kinds = page_kinds(site)
        browser = Chromium(executable, Path(temp) / "profile")
        try:
            with serve(site) as base:
                for kind in KINDS:
                    if kind not in kinds:
                        continue
                    browser.open(base + kinds[kind])
                    for scheme in ("light", "dark"):
                        browser.color_scheme(scheme)
                        for width in WIDTHS:
                            name = f"{kind.replace(' ', '-')}-{width}-{scheme}.png"
                            browser.screenshot(out / name, width)
                            print(out / name)
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

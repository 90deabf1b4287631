"""Every HTML page of the demo, and the theme's CSS, pass the Nu Html Checker with no error."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path


def test_every_page_and_stylesheet_passes_the_nu_html_checker(demo_output: Path, vnu_command):
    pages = sorted(demo_output.rglob("*.html"))
    stylesheets = sorted(demo_output.rglob("assets/**/*.css"))
    assert len(pages) > 40 and len(stylesheets) == 3
    checked = subprocess.run(
        [
            *vnu_command,
            "--errors-only",
            "--format",
            "json",
            "--also-check-css",
            "--exit-zero-always",
        ]
        + [str(path) for path in pages + stylesheets],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    messages = json.loads(checked.stderr)["messages"]
    errors = [
        f"{message.get('url', '').split(str(demo_output))[-1]}:{message.get('lastLine', 0)}: "
        f"{message['message']}"
        for message in messages
        if message["type"] in ("error", "non-document-error")
    ]
    assert errors == [], "\n".join(errors)

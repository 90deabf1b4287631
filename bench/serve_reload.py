"""Reload latency of `sitegen serve`: from saving a post to the browser hearing of the new build.

Usage: python bench/serve_reload.py [--edits N] [--posts N]   (default: 7 edits, 2000 posts)

Runs a PreviewServer on a copy of the demo site (site.yaml, content/, static/, themes/ of
this repository, copied so the shared work tree is never edited) and on a generated site
(generate_site from build_speed.py). For each edit it sends the long poll a tab makes
(/_sitegen/wait?build=N), saves a post with a new title, and times until the poll returns the
new build. Edits start once the first build's background pass has rendered every page (as it
has by the time a person has looked at the preview). Prints the median and the maximum for
each site, and the median time of each stage of the rebuilds after the edits.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from build_speed import generate_site

from sitegen.build import BuildResult
from sitegen.serve import BACKGROUND_RENDER_THREAD, PreviewServer

REPOSITORY = Path(__file__).resolve().parent.parent
DEMO_PARTS = ("site.yaml", "content", "static", "themes")


def copy_demo(target: Path) -> Path:
    for name in DEMO_PARTS:
        source = REPOSITORY / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        elif source.is_file():
            shutil.copy2(source, target / name)
    return sorted((target / "content" / "posts").glob("*.md"))[0]


def wait(port: int, build: int, timeout: float = 60) -> dict[str, object]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", f"/_sitegen/wait?build={build}")
        return json.loads(connection.getresponse().read())
    finally:
        connection.close()


def retitle(text: str, title: str) -> str:
    lines = text.splitlines(keepends=True)
    for number, line in enumerate(lines):
        if line.startswith("title:"):
            lines[number] = f'title: "{title}"\n'
            return "".join(lines)
    raise ValueError("the post has no title line")


def settle(timeout: float = 300) -> float:
    """Wait until the first build's background pass has rendered every page, as it has by
    the time a person has looked at the preview and starts to edit; the seconds it took."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        names = {thread.name for thread in threading.enumerate()}
        if BACKGROUND_RENDER_THREAD not in names:
            break
        time.sleep(0.05)
    return time.perf_counter() - start


def measure(name: str, root: Path, post: Path, edits: int) -> None:
    builds: list[BuildResult] = []
    server = PreviewServer(root, port=0, on_build=builds.append)
    start = time.perf_counter()
    server.start()
    server.http.long_poll = 60.0
    startup = time.perf_counter() - start
    pages = sum(1 for path in server.state.snapshot.files if path.endswith(".html"))
    settled = settle()
    original = post.read_text(encoding="utf-8")
    seconds: list[float] = []
    first_edit = len(builds)
    try:
        for edit in range(1, edits + 1):
            build = int(wait(server.port, -1)["build"])  # -1: answers at once
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
            connection.request("GET", f"/_sitegen/wait?build={build}")  # the tab's long poll
            text = retitle(original, f"Benchmark edit {edit}")
            saved = time.perf_counter()
            post.write_text(text, encoding="utf-8")
            status = json.loads(connection.getresponse().read())
            seconds.append(time.perf_counter() - saved)
            connection.close()
            if status != {"build": build + 1, "ok": True}:
                raise SystemExit(f"{name}: expected build {build + 1} to succeed, got {status}")
            time.sleep(0.3)  # let the folder settle, as between two saves by a person
    finally:
        server.stop()
    print(
        f"{name:<28} {pages:>5} pages, first build {startup:5.2f} s (all rendered after "
        f"{settled:4.1f} s more); save → reload signal "
        f"over {edits} edits: median {statistics.median(seconds) * 1000:6.0f} ms, "
        f"max {max(seconds) * 1000:6.0f} ms"
    )
    print(f"{'':<28} rebuild stages, median: {stage_medians(builds[first_edit:])}")


def stage_medians(builds: list[BuildResult]) -> str:
    stages = {stage for build in builds for stage in build.timings}
    medians = {
        stage: statistics.median(build.timings[stage] for build in builds if stage in build.timings)
        for stage in sorted(stages, key=lambda stage: list(builds[0].timings).index(stage))
    }
    total = statistics.median(build.seconds for build in builds)
    parts = ", ".join(f"{stage} {seconds * 1000:.1f}" for stage, seconds in medians.items())
    return f"{parts}; whole build {total * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=7)
    parser.add_argument("--posts", type=int, default=2000)
    args = parser.parse_args()
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"sitegen serve reload benchmark, Python {sys.version.split()[0]}, "
        f"{os.cpu_count()} CPUs, load average {load} (other work slows every number)"
    )
    base = Path("/dev/shm") if Path("/dev/shm").is_dir() else None
    with tempfile.TemporaryDirectory(dir=base) as folder:
        demo = Path(folder) / "demo"
        demo.mkdir()
        measure("demo site", demo, copy_demo(demo), args.edits)
    with tempfile.TemporaryDirectory(dir=base) as folder:
        generated = Path(folder)
        generate_site(generated, args.posts)
        post = generated / "content" / "posts" / f"post-{args.posts // 2:05d}.md"
        measure(f"generated, {args.posts} posts", generated, post, args.edits)


if __name__ == "__main__":
    main()

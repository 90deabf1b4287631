"""Where a build's time goes: a cold build and a one-edit rebuild of the compare.py corpus,
profiled, summarised by area (Python-Markdown, Jinja, sitegen's modules, ...) and function.

Usage: python bench/profile_build.py [--posts N] [--top K]   (default: 4000 posts, top 20)

Both builds run in this process with one worker (SITEGEN_WORKERS=1), so cProfile sees all
the work that a build spreads over its worker processes; the times are therefore single-core
times, inflated by the profiler (calls cost more under it, so figures are shares, not
seconds). The rebuild's imports happen in a fresh process (`python -X importtime`) and are
summarised on their own: a rebuild in a new process pays for them every time.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import subprocess
import sys
import tempfile
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

os.environ["SITEGEN_WORKERS"] = "1"  # before sitegen is imported: one process to profile

sys.path.insert(0, str(Path(__file__).resolve().parent))
from compare import NOW, edit, make_posts, write_sitegen

from sitegen.build import build_site

# Areas by where a function's code lives (the first that matches).
AREAS = (
    ("sitegen/readers/quick_", "sitegen: quicker Markdown"),  # quick_markdown, quick_blocks
    ("sitegen/", "sitegen: {module}"),
    ("markdown/", "Python-Markdown"),
    ("jinja2/", "Jinja"),
    ("markupsafe", "MarkupSafe"),
    ("yaml/", "PyYAML"),
    ("feedgen/", "feedgen"),
    ("lxml", "lxml"),
    ("themes/", "templates (compiled)"),
    ("<built-in method nh3", "nh3"),
    ("sqlite3", "sqlite3"),
    ("json/", "json"),
    ("<built-in method _json", "json"),
    ("pathlib", "pathlib"),
    ("re/", "re"),
    ("<method '", "built-in methods"),  # only those whose callers are unknown
    ("<built-in", "built-in functions"),
)


def area(function: tuple[str, int, str]) -> str:
    file, _, name = function
    where = file if file != "~" else name
    for marker, label in AREAS:
        if marker in where:
            if "{module}" in label:
                module = where.split("sitegen/", 1)[1].removesuffix(".py").replace("/", ".")
                return label.format(module=module)
            return label
    return "Python's standard library" if "python3" in where else "other"


def own_time_by_area(entries: dict[Any, Any]) -> Counter[str]:
    """Own time by area; a built-in function's (a regular expression's search, say) is split
    among the areas that called it, so Python-Markdown's searches count as Python-Markdown."""
    by_area: Counter[str] = Counter()
    for function, (_, _, own, _, callers) in entries.items():
        if function[0] != "~" or not callers:
            by_area[area(function)] += own
            continue
        edges = {caller: edge[2] for caller, edge in callers.items()}
        spread = sum(edges.values()) or 1.0
        for caller, time in edges.items():
            by_area[area(caller)] += own * time / spread
    return by_area


def summary(stats: pstats.Stats, top: int) -> str:
    entries = stats.stats  # type: ignore[attr-defined]
    total = sum(own for _, _, own, _, _ in entries.values()) or 1.0
    by_area = own_time_by_area(entries)
    lines = ["| area | share of own time |", "| --- | ---: |"]
    lines += [f"| {name} | {100 * own / total:.1f}% |" for name, own in by_area.most_common(top)]
    lines += ["", "| function | calls | share of own time |", "| --- | ---: | ---: |"]
    ranked = sorted(entries.items(), key=lambda item: item[1][2], reverse=True)[:top]
    for (file, line, name), (_, calls, own, _, _) in ranked:
        where = file.split("site-packages/")[-1].split("/work/main/")[-1] if file != "~" else ""
        label = f"{name} ({where}:{line})" if where else name
        lines.append(f"| `{label}` | {calls} | {100 * own / total:.1f}% |")
    return "\n".join(lines)


def profiled_build(root: Path, top: int) -> str:
    profile = cProfile.Profile()
    now = datetime.fromisoformat(NOW)
    profile.enable()
    result = build_site(root, now=now, cache=True)
    profile.disable()
    if result.problems and not result.written:
        raise SystemExit(f"the build failed: {result.problems[0]}")
    stages = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in result.timings.items())
    stats = pstats.Stats(profile)
    return f"Stages (under the profiler): {stages}\n\n{summary(stats, top)}"


def import_summary(root: Path, top: int) -> str:
    """The imports of a rebuild in a new process, by top-level package."""
    command = [sys.executable, "-X", "importtime", "-m", "sitegen", "build", "--site", str(root)]
    command += ["--now", NOW]
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    done = subprocess.run(command, capture_output=True, text=True, env=environment, check=True)
    own: Counter[str] = Counter()
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line or "self [us]" in line:
            continue
        self_us, _, name = (part.strip() for part in line.removeprefix("import time:").split("|"))
        package = name.split(".")[0]
        own[name if package == "sitegen" else package] += int(self_us)
    total = sum(own.values())
    lines = [f"Imports of a rebuild: {total / 1000:.0f} ms in all (with -X importtime's cost)", ""]
    lines += ["| module or package | ms |", "| --- | ---: |"]
    lines += [f"| {name} | {us / 1000:.1f} |" for name, us in own.most_common(top)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=4000, help="posts in the corpus")
    parser.add_argument("--top", type=int, default=20, help="rows in each table")
    args = parser.parse_args(argv)
    posts = make_posts(args.posts)
    with tempfile.TemporaryDirectory(dir="/dev/shm" if Path("/dev/shm").is_dir() else None) as temp:
        root = Path(temp)
        folder = write_sitegen(root, posts)
        print(f"# Profile of sitegen builds, {args.posts} posts, one process\n")
        print("## Cold build (no cache, no output)\n")
        print(profiled_build(root, args.top))
        edit(folder, posts[len(posts) // 2], 0)
        print("\n## Rebuild after one edit (in this process: imports not counted)\n")
        print(profiled_build(root, args.top))
        edit(folder, posts[len(posts) // 2], 1)
        print("\n## Rebuild after one edit: imports in a new process\n")
        print(import_summary(root, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())

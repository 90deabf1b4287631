"""Build speed and peak memory of sitegen on generated sites of N posts.

Usage: python bench/build_speed.py [N ...]   (default: 1000 4000)

Each site is generated deterministically (seeded): posts with realistic front matter and
400-800 words of Markdown (headings, lists, links, a fenced code block, a table in a quarter
of them). Each build runs in a fresh process; the script prints wall time, time per post and
peak resident memory of that process.
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = (
    "library community program reading books children teens adults branch storytime "
    "makerspace volunteers patrons catalog borrow renew digital workshop local history "
    "author talk summer winter family learning craft computer help language conversation "
    "garden seeds museum pass newsletter card events celebrate neighbors welcome together"
).split()
TAGS = ["books", "kids", "teens", "technology", "community", "events", "makerspace", "esl"]
TAGS += [f"topic-{n}" for n in range(22)]
AUTHORS = ["Dana Whitfield", "Marisol Ortega", "Theo Lindqvist", "June Halvorsen"]


def sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 18))
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, slugs: list[str]) -> str:
    parts = [sentence(rng) for _ in range(rng.randint(3, 6))]
    if slugs and rng.random() < 0.5:
        target = rng.choice(slugs)
        parts.append(f"Read more in [our earlier post](/posts/{target}/).")
    return " ".join(parts)


def post_text(rng: random.Random, number: int, slugs: list[str]) -> str:
    tags = rng.sample(TAGS, k=rng.randint(1, 3))
    day = 1 + number % 28
    month = 1 + (number // 28) % 12
    year = 2015 + number // 336
    lines = [
        "---",
        f'title: "Program update number {number}: {rng.choice(WORDS)} {rng.choice(WORDS)}"',
        f"date: {year}-{month:02d}-{day:02d}",
        f"tags: [{', '.join(tags)}]",
        f"authors: [{rng.choice(AUTHORS)}]",
    ]
    if rng.random() < 0.3:
        lines.append(f'summary: "{sentence(rng)}"')
    lines += ["---", "", paragraph(rng, slugs), "", "<!-- more -->", ""]
    target_words = rng.randint(400, 800)
    body: list[str] = []
    while sum(len(part.split()) for part in body) < target_words:
        body.append(f"## {sentence(rng)[:-1]}")
        body.append(paragraph(rng, slugs))
        body.append("\n".join(f"- {sentence(rng)}" for _ in range(rng.randint(2, 5))))
    body.insert(3, "```python\nfor book in shelf:\n    print(book.title)\n```")
    if number % 4 == 0:
        body.append("| Day | Program | Room |\n| --- | --- | --- |")
        body.append("\n".join(f"| Mon | {rng.choice(WORDS)} | {n} |" for n in range(4)))
    return "\n".join(lines) + "\n\n".join(body) + "\n"


def generate_site(root: Path, count: int) -> None:
    rng = random.Random(count)
    (root / "content" / "posts").mkdir(parents=True)
    (root / "site.yaml").write_text(
        "title: Bench Library\nurl: https://bench.example.org/\ntimezone: America/Chicago\n"
        "per_page: 10\n",
        encoding="utf-8",
    )
    slugs: list[str] = []
    for number in range(count):
        slug = f"post-{number:05d}"
        text = post_text(rng, number, slugs[-50:])
        (root / "content" / "posts" / f"{slug}.md").write_text(text, encoding="utf-8")
        slugs.append(slug)


BUILD = """
import resource, sys, time
from datetime import datetime, timezone
from sitegen.build import build_site
start = time.perf_counter()
result = build_site(sys.argv[1], now=datetime(2030, 1, 1, tzinfo=timezone.utc))
wall = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
bad = [p for p in result.problems if p.severity.value == "error"]
stages = ", ".join(f"{k} {v:.2f}" for k, v in result.timings.items())
print(f"{wall:.3f} {peak:.1f} {len(result.files)} {len(bad)} {stages}")
"""


def measure(count: int) -> None:
    base = Path("/dev/shm") if Path("/dev/shm").is_dir() else None
    with tempfile.TemporaryDirectory(dir=base) as folder:
        root = Path(folder)
        generate_site(root, count)
        size = sum(f.stat().st_size for f in (root / "content").rglob("*.md")) / count
        start = time.perf_counter()
        line = subprocess.run(
            [sys.executable, "-c", BUILD, str(root)], check=True, capture_output=True, text=True
        ).stdout.split(maxsplit=4)
        process = time.perf_counter() - start
        wall, peak = float(line[0]), float(line[1])
        files, errors, stages = line[2], line[3], line[4]
        print(
            f"{count:>6} posts ({size / 1024:.1f} KB each): build {wall:6.2f} s "
            f"({wall / count * 1000:.2f} ms/post), process {process:6.2f} s, "
            f"peak {peak:6.0f} MB, {files} files, {errors} errors\n"
            f"        stages: {stages.strip()}"
        )


def main() -> None:
    counts = [int(arg) for arg in sys.argv[1:]] or [1000, 4000]
    print(f"sitegen build benchmark, Python {sys.version.split()[0]}")
    for count in counts:
        measure(count)


if __name__ == "__main__":
    main()

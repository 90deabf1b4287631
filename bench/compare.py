"""sitegen against Pelican, Hugo and Eleventy on one generated corpus: cold build and one-edit
rebuild.

Usage: python bench/compare.py [--sizes 1000,4000,10000] [--tools sitegen,pelican,hugo,eleventy]
                               [--repeat N] [--install-hugo] [--keep]

For each size one deterministic corpus of posts (about 4.8 KB each: front matter, headings,
lists, links, one fenced code block, a table in a quarter, 30 tags) is written in each tool's
own format on tmpfs. Each tool then makes a cold build (no cache, no output) and, after one
post is edited, a rebuild in a new process with its caches kept; the tools take turns, one
cold build and rebuild each a round, so they share the machine's quick and slow periods.
Every build runs in a fresh process; the script prints a Markdown table of wall time, peak
memory and the ratios sitegen/peer. Pelican is installed into bench/.venv-peers with pip;
Eleventy into bench/.peers-node with npm (Node.js must be installed); Hugo is Debian's package
(`--install-hugo`, as root, runs apt-get). Sizes past 4,000 posts are built by sitegen alone.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_speed import AUTHORS, TAGS, WORDS, paragraph, sentence

import sitegen

BENCH = Path(__file__).resolve().parent
PEERS = BENCH / "peers"
PEER_VENV = BENCH / ".venv-peers"
PELICAN = "pelican[markdown]==4.12.0"
PEER_NODE = BENCH / ".peers-node"
ELEVENTY = "@11ty/eleventy@3.1.8"
ELEVENTY_CLI = PEER_NODE / "node_modules" / "@11ty" / "eleventy" / "cmd.cjs"
PEERS_UP_TO = 4000  # larger sizes: sitegen alone
NOW = "2026-01-01T00:00:00+00:00"  # after every generated post, so none is scheduled
FIRST_DAY = date(2010, 1, 1)
SPAN_DAYS = 5800  # posts spread over 2010-01-01 … 2025-11
TOOLS = ("sitegen", "pelican", "hugo", "eleventy")


# --- the corpus ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Post:
    slug: str
    title: str
    day: date
    tags: list[str]
    author: str
    summary: str | None
    lead: str  # the first paragraph, shown in listings
    body: str  # Markdown after the <!-- more --> marker


def make_posts(count: int) -> list[Post]:
    """`count` posts, the same ones for every run (seeded by the count), oldest first."""
    rng = random.Random(count)
    posts: list[Post] = []
    for number in range(count):
        slugs = [post.slug for post in posts[-50:]]
        tags = rng.sample(TAGS, k=rng.randint(1, 3))
        title = f"Program update number {number}: {rng.choice(WORDS)} {rng.choice(WORDS)}"
        summary = sentence(rng) if rng.random() < 0.3 else None
        lead = paragraph(rng, slugs)
        target_words = rng.randint(335, 610)
        body: list[str] = []
        while sum(len(part.split()) for part in body) < target_words:
            body.append(f"## {sentence(rng)[:-1]}")
            body.append(paragraph(rng, slugs))
            body.append("\n".join(f"- {sentence(rng)}" for _ in range(rng.randint(2, 5))))
        body.insert(3, "```python\nfor book in shelf:\n    print(book.title)\n```")
        if number % 4 == 0:
            rows = "\n".join(f"| Mon | {rng.choice(WORDS)} | {n} |" for n in range(4))
            body.append(f"| Day | Program | Room |\n| --- | --- | --- |\n{rows}")
        day = FIRST_DAY + timedelta(days=number * SPAN_DAYS // count)
        slug = f"post-{number:05d}"
        author = rng.choice(AUTHORS)
        posts.append(Post(slug, title, day, tags, author, summary, lead, "\n\n".join(body)))
    return posts


def markdown_body(post: Post) -> str:
    return f"{post.lead}\n\n<!-- more -->\n\n{post.body}\n"


def yaml_text(post: Post) -> str:
    """sitegen's and Hugo's format: YAML front matter."""
    lines = [
        "---",
        f'title: "{post.title}"',
        f"date: {post.day.isoformat()}",
        f"tags: [{', '.join(post.tags)}]",
        f"authors: [{post.author}]",
    ]
    if post.summary:
        lines.append(f'summary: "{post.summary}"')
    return "\n".join([*lines, "---", "", markdown_body(post)])


def pelican_text(post: Post) -> str:
    """Pelican's Markdown metadata: `Key: value` lines, then a blank line."""
    lines = [
        f"Title: {post.title}",
        f"Date: {post.day.isoformat()}",
        f"Tags: {', '.join(post.tags)}",
        f"Authors: {post.author}",
        f"Slug: {post.slug}",
    ]
    if post.summary:
        lines.append(f"Summary: {post.summary}")
    return "\n".join([*lines, "", markdown_body(post)])


def write_sitegen(root: Path, posts: list[Post]) -> Path:
    folder = root / "content" / "posts"
    folder.mkdir(parents=True)
    (root / "site.yaml").write_text(
        "title: Bench Library\nurl: https://bench.example.org/\ntimezone: America/Chicago\n"
        "per_page: 10\n",
        encoding="utf-8",
    )
    for post in posts:
        (folder / f"{post.slug}.md").write_text(yaml_text(post), encoding="utf-8")
    return folder


def write_hugo(root: Path, posts: list[Post]) -> Path:
    folder = root / "content" / "posts"
    folder.mkdir(parents=True)
    shutil.copy(PEERS / "hugo" / "config.yaml", root / "config.yaml")
    shutil.copytree(PEERS / "hugo" / "layouts", root / "layouts")
    for post in posts:
        (folder / f"{post.slug}.md").write_text(yaml_text(post), encoding="utf-8")
    return folder


def write_eleventy(root: Path, posts: list[Post]) -> Path:
    """Eleventy's layouts and settings, the posts in posts/ (Markdown with YAML front matter,
    as sitegen's), and the installed packages where its settings file imports from."""
    shutil.copytree(PEERS / "eleventy", root)
    (root / "node_modules").symlink_to(PEER_NODE / "node_modules", target_is_directory=True)
    folder = root / "posts"
    for post in posts:
        (folder / f"{post.slug}.md").write_text(yaml_text(post), encoding="utf-8")
    return folder


def write_pelican(root: Path, posts: list[Post]) -> Path:
    folder = root / "content"
    folder.mkdir(parents=True)
    shutil.copy(PEERS / "pelican" / "pelicanconf.py", root / "pelicanconf.py")
    for post in posts:
        (folder / f"{post.slug}.md").write_text(pelican_text(post), encoding="utf-8")
    return folder


# --- the tools -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tool:
    name: str
    write: Callable[[Path, list[Post]], Path]  # → the folder of post files
    command: list[str]  # run in the site's folder; "{site}" stands for its path
    output: str  # the output folder, relative to the site
    caches: tuple[str, ...]  # what a cold build starts without


def sitegen_tool() -> Tool:
    command = [sys.executable, "-m", "sitegen", "build", "--site", ".", "--now", NOW]
    return Tool("sitegen", write_sitegen, command, "public", (".sitegen-cache",))


def pelican_tool() -> Tool:
    pelican = str(PEER_VENV / "bin" / "pelican")
    command = [pelican, "content", "-s", "pelicanconf.py", "-o", "output", "-q"]
    return Tool("pelican", write_pelican, command, "output", ("cache", "__pycache__"))


def hugo_tool(hugo: str) -> Tool:
    command = [hugo, "--source", ".", "--cacheDir", "{site}/.hugo-cache"]
    return Tool("hugo", write_hugo, command, "public", (".hugo-cache", "resources"))


def eleventy_tool(node: str) -> Tool:
    # Eleventy keeps nothing between runs (its incremental builds live in a watching
    # process), so its rebuild is a full build, as in the figures.
    return Tool("eleventy", write_eleventy, [node, str(ELEVENTY_CLI), "--quiet"], "_site", ())


def install_eleventy() -> tuple[str | None, str]:
    """The node command and Eleventy's version (npm installs it into bench/.peers-node on
    first use), or None and why it is skipped."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        return None, "skipped: Node.js (node and npm) is not installed"
    wanted = ELEVENTY.rpartition("@")[2]
    if _eleventy_version(node) != wanted:
        print(f"Installing {ELEVENTY} …", file=sys.stderr)
        PEER_NODE.mkdir(exist_ok=True)
        install = [npm, "install", "--prefix", str(PEER_NODE), "--no-audit", "--no-fund"]
        done = subprocess.run([*install, "--loglevel=error", ELEVENTY], capture_output=True)
        if done.returncode != 0:
            print(done.stderr.decode(errors="replace")[-2000:], file=sys.stderr)
            return None, "skipped: npm could not install it"
    node_version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout
    return node, f"{_eleventy_version(node)} on Node.js {node_version.strip()}"


def _eleventy_version(node: str) -> str | None:
    if not ELEVENTY_CLI.exists():
        return None
    done = subprocess.run([node, str(ELEVENTY_CLI), "--version"], capture_output=True, text=True)
    return done.stdout.strip() or None


def install_pelican() -> str | None:
    """Pelican in bench/.venv-peers (made and filled with pip on first use); None if it fails."""
    python = PEER_VENV / "bin" / "python"
    if not python.exists():
        print(f"Making {PEER_VENV.relative_to(BENCH.parent)} for Pelican …", file=sys.stderr)
        venv.create(PEER_VENV, with_pip=True)
    check = subprocess.run(
        [str(python), "-m", "pip", "show", "pelican"], capture_output=True, text=True
    )
    wanted = PELICAN.split("==")[1]
    if f"Version: {wanted}" not in check.stdout:
        print(f"Installing {PELICAN} …", file=sys.stderr)
        done = subprocess.run(
            [str(python), "-m", "pip", "install", "-q", PELICAN], capture_output=True, text=True
        )
        if done.returncode != 0:
            print(done.stderr[-2000:], file=sys.stderr)
            return None
    version = subprocess.run(
        [str(PEER_VENV / "bin" / "pelican"), "--version"], capture_output=True, text=True
    )
    return version.stdout.strip() or None


def find_hugo(install: bool) -> tuple[str | None, str]:
    """The hugo command and its version, or None and why it is skipped."""
    hugo = shutil.which("hugo")
    if hugo is None and install:
        if os.geteuid() != 0:
            return None, "skipped: --install-hugo needs root (apt-get install -y hugo)"
        print("Installing Debian's hugo …", file=sys.stderr)
        apt = ["apt-get", "install", "-y", "-q", "hugo"]
        if subprocess.run(apt, capture_output=True).returncode != 0:
            subprocess.run(["apt-get", "update", "-q"], capture_output=True)
            subprocess.run(apt, capture_output=True)
        hugo = shutil.which("hugo")
    if hugo is None:
        return None, "skipped: hugo is not installed (run as root with --install-hugo)"
    version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.strip()
    return hugo, version


# --- measuring -------------------------------------------------------------------------------

# Run in a fresh Python per build: wall time around the tool's process, its peak RSS from
# getrusage(RUSAGE_CHILDREN) (the largest single process, worker processes included), and the
# peak of the whole process tree's memory, sampled from /proc every 50 ms: sitegen renders in
# pools of worker processes, whose memory adds up. The tree's figure sums PSS (each shared page
# split between the processes sharing it), so forked workers' copy-on-write pages count once.
MEASURE = r"""
import json, os, resource, subprocess, sys, threading, time
command, cwd, log = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
page = os.sysconf("SC_PAGE_SIZE")
def pss(pid):
    try:  # proportional: pages a forked worker shares with its parent count once in all
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    with open(f"/proc/{pid}/statm") as f:
        return int(f.read().split()[1]) * page
def tree_rss(pid):
    total, stack = 0, [pid]
    while stack:
        pid = stack.pop()
        try:
            total += pss(pid)
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as f:
                    stack.extend(int(child) for child in f.read().split())
        except (OSError, ValueError):
            pass
    return total
peak_tree = 0
done = threading.Event()
def sample(pid):
    global peak_tree
    while not done.wait(0.05):
        peak_tree = max(peak_tree, tree_rss(pid))
with open(log, "ab") as out:
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
    sampler = threading.Thread(target=sample, args=(process.pid,))
    sampler.start()
    code = process.wait()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
print(json.dumps({"wall": wall, "peak": peak, "tree": peak_tree, "code": code}))
"""


@dataclass
class Run:
    wall: float
    peak_mb: float
    tree_mb: float


@dataclass
class Row:
    tool: str
    posts: int
    cold: list[Run] = field(default_factory=list)
    rebuild: list[Run] = field(default_factory=list)
    html_files: int = 0
    load: float = 0.0
    failed: str = ""

    @staticmethod
    def best(runs: list[Run]) -> float:
        return min(run.wall for run in runs)

    def peak(self) -> float:
        return max(run.peak_mb for run in self.cold + self.rebuild)

    def tree(self) -> float:
        return max(run.tree_mb for run in self.cold + self.rebuild)


def run_build(tool: Tool, root: Path) -> Run:
    command = [part.replace("{site}", str(root)) for part in tool.command]
    # As installed tools run: with Python's bytecode cache (some shells turn it off).
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, json.dumps(command), str(root), str(root / "build.log")],
        capture_output=True,
        text=True,
        check=True,
        env=environment,
    )
    data = json.loads(done.stdout)
    if data["code"] != 0:
        log = (root / "build.log").read_text(encoding="utf-8", errors="replace")
        raise RuntimeError(f"{tool.name} exited with {data['code']}:\n{log[-3000:]}")
    return Run(data["wall"], data["peak"] / 2**20, data["tree"] / 2**20)


def clear(root: Path, tool: Tool) -> None:
    for name in (tool.output, *tool.caches):
        shutil.rmtree(root / name, ignore_errors=True)


def edit(folder: Path, post: Post, round_: int) -> None:
    """Change one post's text the way an author would: one more sentence at the end."""
    file = folder / f"{post.slug}.md"
    with file.open("a", encoding="utf-8") as stream:
        stream.write(f"\nEdited for the rebuild benchmark, round {round_}.\n")


def measure(tools: dict[str, Tool], scratch: Path, posts: list[Post], repeat: int) -> list[Row]:
    """Each tool's builds of one corpus, the tools taking turns round by round: this
    machine's speed drifts over minutes, and turns give each tool the same mix of quick
    and slow periods, so the ratios hold where the absolute figures wander."""
    sites = {}
    for name, tool in tools.items():
        root = scratch / f"{len(posts)}-{name}"
        sites[name] = (root, tool.write(root, posts))
    rows = {name: Row(name, len(posts)) for name in tools}
    edited = posts[len(posts) // 2]
    for round_ in range(repeat):
        for name, tool in tools.items():
            row, (root, folder) = rows[name], sites[name]
            if row.failed:
                continue
            if round_ == 0:
                row.load = os.getloadavg()[0]
            try:
                clear(root, tool)
                row.cold.append(run_build(tool, root))
                edit(folder, edited, round_)
                row.rebuild.append(run_build(tool, root))
            except RuntimeError as exc:
                row.failed = str(exc)
    for name, tool in tools.items():
        root = sites[name][0]
        rows[name].html_files = sum(1 for _ in (root / tool.output).rglob("*.html"))
    return list(rows.values())


# --- the report ------------------------------------------------------------------------------


def ratio(mine: float, theirs: float) -> str:
    return f"{mine / theirs:.2f}" if theirs else "–"


def table(rows: list[Row]) -> str:
    lines = [
        "| tool | posts | cold s | rebuild s | peak MB | tree MB | ms/page | HTML files | load |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        if row.failed:
            first = row.failed.splitlines()[0]
            lines.append(f"| {row.tool} | {row.posts} | failed: {first} | | | | | | |")
            continue
        cold, rebuild = Row.best(row.cold), Row.best(row.rebuild)
        lines.append(
            f"| {row.tool} | {row.posts} | {cold:.2f} | {rebuild:.2f} | {row.peak():.0f} | "
            f"{row.tree():.0f} | {cold / row.posts * 1000:.2f} | {row.html_files} | "
            f"{row.load:.2f} |"
        )
    lines += [
        "",
        "| posts | peer | cold sitegen/peer | rebuild sitegen/peer | peak MB sitegen/peer "
        "| tree MB sitegen/peer |",
        "| ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    good = [row for row in rows if not row.failed]
    for mine in (row for row in good if row.tool == "sitegen"):
        for peer in (row for row in good if row.tool != "sitegen" and row.posts == mine.posts):
            lines.append(
                f"| {mine.posts} | {peer.tool} | "
                f"{ratio(Row.best(mine.cold), Row.best(peer.cold))} | "
                f"{ratio(Row.best(mine.rebuild), Row.best(peer.rebuild))} | "
                f"{ratio(mine.peak(), peer.peak())} | {ratio(mine.tree(), peer.tree())} |"
            )
    return "\n".join(lines)


def source_state() -> str:
    """The commit of the sitegen measured, and whether its source has uncommitted changes."""
    repo = Path(sitegen.__file__).resolve().parents[1]
    git = ["git", "-C", str(repo)]
    commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    if commit.returncode != 0:
        return "not a git checkout"
    changed = subprocess.run(
        [*git, "status", "--porcelain", "--", "sitegen", "themes"], capture_output=True, text=True
    ).stdout.splitlines()
    return f"commit {commit.stdout.strip()}" + (
        f", {len(changed)} files changed since" if changed else ""
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,4000,10000", help="post counts, comma-separated")
    parser.add_argument("--tools", default=",".join(TOOLS), help="tools, comma-separated")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; the best is shown")
    parser.add_argument("--install-hugo", action="store_true", help="apt-get install hugo (root)")
    parser.add_argument("--keep", action="store_true", help="keep the corpora (prints where)")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    wanted = [name.strip() for name in args.tools.split(",")]

    notes: list[str] = []
    tools: dict[str, Tool] = {}
    if "sitegen" in wanted:
        tools["sitegen"] = sitegen_tool()
    if "pelican" in wanted:
        version = install_pelican()
        if version:
            tools["pelican"] = pelican_tool()
            notes.append(f"Pelican: {version} in {PEER_VENV.name}, default theme, content cache on")
        else:
            notes.append("Pelican: skipped, pip could not install it")
    if "hugo" in wanted:
        hugo, about = find_hugo(args.install_hugo)
        if hugo:
            tools["hugo"] = hugo_tool(hugo)
        notes.append(f"Hugo: {about}")
    if "eleventy" in wanted:
        node, about = install_eleventy()
        if node:
            tools["eleventy"] = eleventy_tool(node)
            about += f" in {PEER_NODE.name}, minimal Nunjucks layouts; no cache between runs"
        notes.append(f"Eleventy: {about}")

    print(f"# sitegen {sitegen.__version__} ({source_state()}) against its peers")
    print()
    print(f"- Python {sys.version.split()[0]}, {os.cpu_count()} cores, corpora on tmpfs")
    for note in notes:
        print(f"- {note}")
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"- load before: {uptime}")
    sys.stdout.flush()

    base = Path("/dev/shm") if Path("/dev/shm").is_dir() else None
    scratch = Path(tempfile.mkdtemp(prefix="sitegen-compare-", dir=base))
    rows: list[Row] = []
    try:
        for size in sizes:
            posts = make_posts(size)
            kilobytes = statistics.mean(len(yaml_text(post).encode()) for post in posts) / 1024
            print(f"- {size} posts, {kilobytes:.1f} KB each on average", file=sys.stderr)
            here = {
                name: tool
                for name, tool in tools.items()
                if name == "sitegen" or size <= PEERS_UP_TO
            }
            start = time.perf_counter()
            measured = measure(here, scratch, posts, args.repeat)
            rows.extend(measured)
            failed = [f"  {row.tool} FAILED {row.failed}" for row in measured if row.failed]
            print(f"  {time.perf_counter() - start:.1f} s", *failed, sep="\n", file=sys.stderr)
            if not args.keep:
                for name in here:
                    shutil.rmtree(scratch / f"{size}-{name}", ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"- load after: {uptime}")
    if args.keep:
        print(f"- corpora kept in {scratch}")
    print(
        "- cold: no cache, no output folder; rebuild: one post edited, caches and output kept, "
        "a new process; best of "
        f"{args.repeat}. peak MB: largest single process (getrusage); tree MB: sampled peak of "
        "the process tree's memory (PSS summed: worker processes included, shared pages "
        "once); ms/page: cold time per post; load: 1-minute load average when the tool's first "
        "build started"
    )
    print()
    print(table(rows))
    return 1 if any(row.failed for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())

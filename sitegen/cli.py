"""The `sitegen` command: argument parsing and printing, nothing else.

main(argv) returns the exit code (0 ok, 1 the site has problems, 2 bad usage), so tests call
it in-process; run() is the command itself, which ends the process. Tracebacks appear only
with --debug.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import threading
import traceback
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from sitegen import __version__
from sitegen.build import BuildResult, build_site
from sitegen.errors import Problem, Severity, SiteError
from sitegen.fields import parse_moment
from sitegen.scaffold import new_content, new_site

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def run() -> None:
    """The `sitegen` command (its console script, and `python -m sitegen`): main(), then the
    process ends with main's exit code."""
    code = main()
    # What the command made is left to the end of the process: Python's last cycle
    # collection would walk every object a build holds on the way out (35-55 ms after a
    # rebuild at 4,000 posts; the objects need no finalizing, files and caches are closed).
    gc.freeze()
    sys.exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_OK if exc.code in (0, None) else EXIT_USAGE
    try:
        return int(args.run(args))
    except SiteError as exc:
        _print_problems(exc.problems)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        return 130
    except Exception:
        if args.debug:
            raise
        traceback_line = traceback.format_exc().strip().splitlines()[-1]
        print(f"sitegen stopped on an unexpected error: {traceback_line}", file=sys.stderr)
        print("Run the command again with --debug to see the details.", file=sys.stderr)
        return EXIT_PROBLEMS


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sitegen",
        description="Build a public library's website from Markdown in git.",
        parents=[_common_options(Path("."), False)],
    )
    # The commands' copies default to SUPPRESS: argparse would otherwise put their defaults
    # over a value given before the command (`sitegen --site DIR build`).
    common = _common_options(argparse.SUPPRESS, argparse.SUPPRESS)
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    init = commands.add_parser("init", parents=[common], help="create a new site in DIR")
    init.add_argument("dir", type=Path)
    init.set_defaults(run=_init)

    build = commands.add_parser("build", parents=[common], help="build the site")
    _add_clock_options(build)
    build.add_argument("--out", type=Path, help="the output folder (default: output in site.yaml)")
    build.add_argument("--strict", action="store_true", help="fail on warnings too")
    build.add_argument("--verbose", action="store_true", help="print the time of each stage")
    build.add_argument(
        "--no-cache", action="store_true", help="ignore and do not write .sitegen-cache/"
    )
    build.add_argument(
        "--preview",
        action="store_true",
        help="a deploy preview: drafts and scheduled posts included and marked, "
        "never indexed by search engines",
    )
    build.set_defaults(run=_build)

    check = commands.add_parser(
        "check", parents=[common], help="every problem authors can fix, without writing the site"
    )
    check.add_argument("--now", type=_clock, help="check as if it were this time")
    check.add_argument(
        "--format",
        choices=["text", "markdown"],
        default="text",
        help="text: path:line: message (default); markdown: a summary for a pull request",
    )
    check.add_argument(
        "--pending-days",
        type=_days,
        metavar="N",
        help="warn about highlights waiting for review longer than N days "
        "(default: check.pending_days in site.yaml, else 7)",
    )
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.set_defaults(run=_check)

    next_change = commands.add_parser(
        "next-change",
        parents=[common],
        help="when the site next changes by itself (for scheduled rebuilds)",
    )
    next_change.add_argument("--now", type=_clock, help="as if it were this time")
    next_change.set_defaults(run=_next_change)

    serve = commands.add_parser("serve", parents=[common], help="preview the site as you edit")
    _add_clock_options(serve)
    serve.add_argument("--port", type=int, default=8000, help="the port (default: 8000)")
    serve.add_argument(
        "--bind", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1)"
    )
    serve.set_defaults(run=_serve)

    new = commands.add_parser("new", parents=[common], help="start a new post, page or event")
    new.add_argument("kind", choices=["post", "page", "event"])
    new.add_argument("title")
    new.add_argument("--now", type=_clock, help=argparse.SUPPRESS)
    new.set_defaults(run=_new)

    fetch = commands.add_parser(
        "fetch", parents=[common], help="refresh community highlights from their feeds (network)"
    )
    fetch.add_argument(
        "--source", action="append", default=[], metavar="ID", help="only this source (repeatable)"
    )
    fetch.set_defaults(run=_fetch)

    review = commands.add_parser(
        "review", parents=[common], help="list pending highlights, or approve or hide them"
    )
    review.add_argument("decision", nargs="?", choices=["approve", "hide"])
    review.add_argument("ids", nargs="*", metavar="ID", help="ids from the list of pending ones")
    review.add_argument("--all", action="store_true", help="decide on every pending highlight")
    review.set_defaults(run=_review)
    return parser


def _common_options(site: object, debug: object) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--site", type=Path, default=site, help="the site folder (default: .)")
    common.add_argument(
        "--debug", action="store_true", default=debug, help="show tracebacks of errors"
    )
    return common


def _add_clock_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--drafts", action="store_true", help="include drafts")
    command.add_argument("--future", action="store_true", help="include posts dated later")
    command.add_argument(
        "--now",
        type=_clock,
        help="build as if it were this time, like 2026-12-01T09:00 (in the site's time zone) "
        "or 2026-12-01T09:00:00-06:00 (default: SOURCE_DATE_EPOCH, else the real time)",
    )


_SITE_TIME = timezone(timedelta(0), "site time")


def _clock(text: str) -> datetime:
    """--now: with an offset it is that instant; without one, a time in the site's zone."""
    moment = parse_moment(text, _SITE_TIME)
    if not isinstance(moment, datetime):
        raise argparse.ArgumentTypeError(f"{text!r} is not a date and time like 2026-12-01T09:00")
    return moment.replace(tzinfo=None) if moment.tzinfo is _SITE_TIME else moment


def _days(text: str) -> int:
    if not text.isdecimal() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of days like 7")
    return int(text)


def build_clock(now: datetime | None) -> datetime:
    """--now, else SOURCE_DATE_EPOCH (reproducible builds), else the real time."""
    if now is not None:
        return now
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), UTC)
        except (ValueError, OverflowError):
            raise SiteError(
                Problem(
                    f"SOURCE_DATE_EPOCH must be a number of seconds since 1970 ({epoch!r}).",
                    hint="Unset it, or give --now 2026-12-01T09:00",
                )
            ) from None
    return datetime.now(UTC)


def _init(args: argparse.Namespace) -> int:
    files = new_site(args.dir)
    print(f"Created a new site in {args.dir} ({len(files)} files).")
    print(f"Next: cd {args.dir} && sitegen build")
    return EXIT_OK


def _new(args: argparse.Namespace) -> int:
    path = new_content(args.site.resolve(), args.kind, args.title, build_clock(args.now))
    print(path)
    return EXIT_OK


def _build(args: argparse.Namespace) -> int:
    result = build_site(
        args.site,
        now=build_clock(args.now),
        drafts=args.drafts,
        future=args.future,
        strict=args.strict,
        out=args.out,
        cache=not args.no_cache,
        preview=args.preview,
    )
    return report_build(result, args.strict, args.verbose)


def _check(args: argparse.Namespace) -> int:
    from sitegen.check import check_site, format_markdown, format_text

    # A clock fixed by SOURCE_DATE_EPOCH (not --now) may be behind the real one: say what
    # the published site would still list as upcoming.
    pinned = args.now is None and os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    report = check_site(
        args.site,
        now=build_clock(args.now),
        pending_days=args.pending_days,
        real_now=datetime.now(UTC) if pinned else None,
    )
    text = format_markdown(report) if args.format == "markdown" else format_text(report)
    print(text, end="")
    return EXIT_PROBLEMS if report.failed(args.strict) else EXIT_OK


def _next_change(args: argparse.Namespace) -> int:
    """One line: the UTC time of the next change, what it is and its file; nothing if none."""
    result = build_site(args.site, now=build_clock(args.now), write=False)
    errors = [p for p in result.problems if p.severity is Severity.ERROR]
    if errors or result.site is None:
        _print_problems(errors)
        return EXIT_PROBLEMS
    change = result.site.next_change
    if change is not None:
        when = change.when.astimezone(UTC)
        print(f"{when:%Y-%m-%dT%H:%M:%SZ} {change.what} ({change.source.path})")
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    # Imported here: watchdog and the HTTP server are not needed by the other commands.
    from sitegen.serve import PreviewServer, warn_if_public

    fixed_now = args.now
    warn_if_public(args.bind)
    server = PreviewServer(
        args.site,
        port=args.port,
        bind=args.bind,
        drafts=args.drafts,
        future=args.future,
        clock=lambda: build_clock(fixed_now),
        on_build=lambda result: report_build(result, strict=False),
    )
    server.start()
    print(f"Previewing at {server.url} (Ctrl-C to stop). Edits rebuild the site by themselves.")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        print("\nStopped the preview.")
    finally:
        server.stop()
    return EXIT_OK


def _fetch(args: argparse.Namespace) -> int:
    # Imported here: only this command uses the network.
    from sitegen.config import load_config
    from sitegen.fetch import fetch_highlights

    report = fetch_highlights(load_config(args.site), only=args.source)
    print(report.table())
    return report.exit_code


def _review(args: argparse.Namespace) -> int:
    from sitegen.config import load_config
    from sitegen.review import decide, pending_highlights, short_id, terminal_text

    config = load_config(args.site)
    if args.decision is None:
        if args.ids or args.all:
            print(
                "Say what to do: sitegen review approve ID... or sitegen review hide ID...",
                file=sys.stderr,
            )
            return EXIT_USAGE
        waiting = pending_highlights(config)
        if not waiting:
            print("No highlights wait for review.")
            return EXIT_OK
        print(f"{len(waiting)} highlight(s) wait for review:\n")
        rows = [
            (
                short_id(h),
                h.source.id if h.source else "-",
                f"{h.date:%Y-%m-%d}" if h.date else "no date",
                terminal_text(h.title),
                terminal_text(h.url),
            )
            for h in waiting
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        for row in rows:
            left = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
            print(f"  {left}  {row[3]}")
            print(f"  {' ' * (sum(widths) + 4)}  {row[4]}")
        print("\nPublish with: sitegen review approve ID...")
        print("Keep off the site: sitegen review hide ID...")
        return EXIT_OK
    if not args.ids and not args.all:
        print(
            f"Name the highlights to {args.decision} (ids from `sitegen review`), or use --all.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    status = "approved" if args.decision == "approve" else "hidden"
    decisions = decide(config, args.ids, status, every_pending=args.all)
    for decision in decisions:
        done = status if decision.changed else f"already {status}"
        print(f"{done}: {decision.path}  {terminal_text(decision.title)}")
    if not decisions:
        print("No highlights wait for review.")
    return EXIT_OK


def report_build(result: BuildResult, strict: bool, verbose: bool = False) -> int:
    """Print a build's problems and summary; return the exit code."""
    _print_problems(result.problems)
    errors = [p for p in result.problems if p.severity is Severity.ERROR]
    warnings = len(result.problems) - len(errors)
    if errors or (strict and warnings):
        reason = f"{len(errors)} error(s)" if errors else f"{warnings} warning(s) in strict mode"
        print(f"The site was not written: {reason}. The previous site is unchanged.")
        return EXIT_PROBLEMS
    if verbose:
        print("  " + ", ".join(f"{stage} {sec:.2f} s" for stage, sec in result.timings.items()))
        if result.kept:
            print(f"  {result.kept:,} pages and feeds kept as the last build wrote them.")
    print(result.summary())
    if result.next_change():
        print(result.next_change())
    return EXIT_OK


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem.format(), file=sys.stderr)

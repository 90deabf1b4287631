"""The `sitegen` command: argument parsing and printing, nothing else.

main(argv) returns the exit code (0 ok, 1 the site has problems, 2 bad usage), so tests call
it in-process. Tracebacks appear only with --debug.
"""

from __future__ import annotations

import argparse
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
    build.set_defaults(run=_build)

    serve = commands.add_parser("serve", parents=[common], help="preview the site as you edit")
    _add_clock_options(serve)
    serve.add_argument("--port", type=int, default=8000, help="the port (default: 8000)")
    serve.add_argument(
        "--bind", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1)"
    )
    serve.set_defaults(run=_serve)

    new = commands.add_parser("new", parents=[common], help="start a new post or page")
    new.add_argument("kind", choices=["post", "page"])
    new.add_argument("title")
    new.add_argument("--now", type=_clock, help=argparse.SUPPRESS)
    new.set_defaults(run=_new)
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
    )
    return report_build(result, args.strict, args.verbose)


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
    print(result.summary())
    if result.next_change():
        print(result.next_change())
    return EXIT_OK


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem.format(), file=sys.stderr)

"""What a new site deploys with: the GitHub workflows, netlify.toml and requirements.txt that
`sitegen init` copies, and the tool repository's own workflow.

The workflows must pass actionlint (with shellcheck for their `run:` scripts), call only
commands sitegen has, and the scheduled rebuild's shell must read `sitegen next-change` right.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from conftest import NOW, write_files

import sitegen
from sitegen.cache import CACHE_DIR
from sitegen.check import check_site
from sitegen.cli import main
from sitegen.outputs import admin
from sitegen.scaffold import SKELETON

REPO = Path(__file__).resolve().parents[1]
SITE_WORKFLOWS = sorted((SKELETON / ".github/workflows").glob("*.yml"))
REPO_WORKFLOWS = sorted((REPO / ".github/workflows").glob("*.yml"))
TOOLS = Path(sys.executable).parent  # the virtual environment's bin/, where the test extra is


def tool(name: str) -> str:
    found = shutil.which(name, path=f"{TOOLS}{os.pathsep}{os.environ.get('PATH', '')}")
    if found is None:
        pytest.fail(f"{name} is not installed: pip install -e '.[test]'", pytrace=False)
    return found


def workflow(name: str) -> dict[str, Any]:
    return yaml.safe_load((SKELETON / ".github/workflows" / name).read_text(encoding="utf-8"))


def triggers(flow: dict[str, Any]) -> dict[str, Any]:
    return flow.get("on") or flow[True]  # YAML 1.1 reads the key `on` as true


def steps(flow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in flow["jobs"].values() for step in job["steps"]]


def scripts(flow: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in steps(flow))


# --- actionlint ---


def test_the_workflows_pass_actionlint_and_shellcheck() -> None:
    files = [*SITE_WORKFLOWS, *REPO_WORKFLOWS]
    assert {f.name for f in SITE_WORKFLOWS} == {"check.yml", "rebuild.yml", "highlights.yml"}
    assert tool("shellcheck")  # actionlint checks each `run:` script with it when it is there
    env = {**os.environ, "PATH": f"{TOOLS}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run(
        [tool("actionlint"), "-no-color", *map(str, files)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert (done.returncode, done.stdout + done.stderr) == (0, "")


def test_actionlint_finds_mistakes() -> None:
    # The linter itself: an unknown expression context and a shell quoting slip are found.
    bad = (
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ secret.X }}; ls $HOME/*\n"
    )
    env = {**os.environ, "PATH": f"{TOOLS}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run(
        [tool("actionlint"), "-no-color", "-"],
        input=bad,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "secret" in done.stdout and "shellcheck" in done.stdout


@pytest.mark.parametrize("file", [*SITE_WORKFLOWS, *REPO_WORKFLOWS], ids=lambda f: f.name)
def test_actions_are_pinned_to_a_major_version(file: Path) -> None:
    flow = yaml.safe_load(file.read_text(encoding="utf-8"))
    for step in steps(flow):
        if "uses" in step:
            assert re.fullmatch(r"actions/[a-z-]+@v\d+", step["uses"]), step["uses"]


@pytest.mark.parametrize("file", [*SITE_WORKFLOWS, *REPO_WORKFLOWS], ids=lambda f: f.name)
def test_the_workflows_call_only_commands_sitegen_has(file: Path) -> None:
    flow = yaml.safe_load(file.read_text(encoding="utf-8"))
    commands = set(re.findall(r"sitegen ([a-z][a-z-]*)", scripts(flow)))
    assert commands
    for command in commands:
        assert main([command, "--help"]) == 0, command


# --- what each workflow does ---


def test_every_pull_request_is_checked_built_and_commented() -> None:
    flow = workflow("check.yml")
    assert "pull_request" in triggers(flow)
    assert flow["permissions"]["pull-requests"] == "write"
    run = scripts(flow)
    assert "sitegen check\n" in run
    assert "sitegen check --format markdown" in run and "GITHUB_STEP_SUMMARY" in run
    assert "sitegen build --strict" in run
    assert "gh pr comment" in run


def test_the_rebuild_runs_hourly_and_daily_and_calls_the_build_hook() -> None:
    flow = workflow("rebuild.yml")
    crons = [entry["cron"] for entry in triggers(flow)["schedule"]]
    assert crons == ["7 * * * *", "30 10 * * *"]
    (due,) = [step for step in steps(flow) if step.get("id") == "due"]
    # The daily run is recognised by its cron: the two must stay the same text.
    assert f"github.event.schedule == '{crons[1]}'" in due["env"]["ALWAYS"]
    (hook,) = [step for step in steps(flow) if "NETLIFY_BUILD_HOOK" in step.get("env", {})]
    assert hook["env"]["NETLIFY_BUILD_HOOK"] == "${{ secrets.NETLIFY_BUILD_HOOK }}"
    assert "curl --fail --silent --show-error --request POST" in hook["run"]


def test_the_highlights_workflow_fetches_and_opens_a_pull_request_to_review() -> None:
    flow = workflow("highlights.yml")
    assert "schedule" in triggers(flow)
    assert flow["permissions"] == {"contents": "write", "pull-requests": "write"}
    run = scripts(flow)
    assert "sitegen fetch" in run
    assert 'title="$COUNT new community highlights to review"' in run
    assert "gh pr create" in run and "gh pr edit" in run
    assert "sitegen check --format markdown" in run


def run_due_step(tmp_path: Path, next_change: str) -> str:
    """Run the rebuild's "Is a change due?" script with a stand-in `sitegen`; its output."""
    (due,) = [step for step in steps(workflow("rebuild.yml")) if step.get("id") == "due"]
    stub = tmp_path / "bin/sitegen"
    stub.parent.mkdir()
    stub.write_text(f"#!/bin/sh\necho '{next_change}'\n" if next_change else "#!/bin/sh\n")
    stub.chmod(0o755)
    output = tmp_path / "output"
    output.touch()
    env = {
        "PATH": f"{stub.parent}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_OUTPUT": str(output),
        "ALWAYS": "false",
    }
    subprocess.run(["bash", "-e", "-c", due["run"]], env=env, check=True, timeout=30)
    return output.read_text()


@pytest.mark.skipif(shutil.which("date") is None, reason="needs GNU date, as GitHub's runners")
def test_the_rebuild_is_due_when_the_next_change_has_come(tmp_path: Path) -> None:
    past = '2020-01-01T06:00:00Z the post "Winter reading" goes live (content/posts/w.md)'
    assert run_due_step(tmp_path, past) == (
        'reason=the post "Winter reading" goes live (content/posts/w.md)\n'
    )


@pytest.mark.skipif(shutil.which("date") is None, reason="needs GNU date, as GitHub's runners")
@pytest.mark.parametrize("later", ["2999-01-01T06:00:00Z the post goes live (x.md)", ""])
def test_the_rebuild_waits_when_nothing_is_due(tmp_path: Path, later: str) -> None:
    assert run_due_step(tmp_path, later) == ""


# --- sitegen next-change, which the rebuild reads ---

SCHEDULED = """
-- content/posts/2027-01-12-winter.md --
---
title: Winter reading
date: 2027-01-12 06:00
---
Soon.
"""


def test_next_change_prints_the_utc_time_what_and_where(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_files(tmp_path / "site", SCHEDULED)
    assert main(["next-change", "--site", str(root), "--now", "2026-12-01T09:00"]) == 0
    assert capsys.readouterr().out == (
        '2027-01-12T12:00:00Z the post "Winter reading" goes live '
        "(content/posts/2027-01-12-winter.md)\n"
    )
    assert not (root / "public").exists()


def test_next_change_prints_nothing_when_nothing_is_scheduled(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_files(tmp_path / "site", SCHEDULED)
    assert main(["next-change", "--site", str(root), "--now", "2027-02-01T09:00"]) == 0
    assert capsys.readouterr().out == ""


def test_next_change_fails_on_a_broken_site(tmp_path: Path) -> None:
    root = write_files(tmp_path / "site", "-- site.yaml --\ntitle: T\n")
    assert main(["next-change", "--site", str(root)]) == 1


# --- netlify.toml ---

NETLIFY_FILES = [SKELETON / "netlify.toml", REPO / "netlify.toml"]


def netlify(file: Path) -> dict[str, Any]:
    return tomllib.loads(file.read_text(encoding="utf-8"))


def policy(text: str) -> dict[str, list[str]]:
    directives = (part.split() for part in text.split(";") if part.strip())
    return {name: values for name, *values in directives}


@pytest.mark.parametrize("file", NETLIFY_FILES, ids=["skeleton", "repository"])
def test_production_is_strict_and_previews_are_marked_previews(file: Path) -> None:
    config = netlify(file)
    production = config["context"]["production"]["command"]
    assert production.endswith("sitegen build --strict")
    for context in ("deploy-preview", "branch-deploy"):
        assert config["context"][context]["command"].endswith("sitegen build --preview")
    assert config["build"]["publish"] == "public"


@pytest.mark.parametrize("file", NETLIFY_FILES, ids=["skeleton", "repository"])
def test_the_build_cache_is_kept_between_builds(file: Path) -> None:
    (plugin,) = [p for p in netlify(file)["plugins"] if p["package"] == "netlify-plugin-cache"]
    assert plugin["inputs"]["paths"] == [CACHE_DIR, netlify(file)["build"]["publish"]]


@pytest.mark.parametrize("file", NETLIFY_FILES, ids=["skeleton", "repository"])
def test_public_pages_keep_a_strict_policy_and_only_the_editor_is_relaxed(file: Path) -> None:
    headers = netlify(file)["headers"]
    paths = [rule["for"] for rule in headers]
    # Netlify applies the later rule's value of a header both rules set: /admin/* comes last.
    assert paths.index("/admin/*") > paths.index("/*")
    public = policy(
        next(r for r in headers if r["for"] == "/*")["values"]["Content-Security-Policy"]
    )
    for name, values in public.items():
        assert not [v for v in values if v.startswith("'unsafe") or "://" in v], name
    assert public["script-src"] == ["'self'"] and public["form-action"] == ["'self'"]
    editor_rule = next(r for r in headers if r["for"] == "/admin/*")["values"]
    editor = policy(editor_rule["Content-Security-Policy"])
    for url in (admin.DECAP_URL, admin.IDENTITY_URL):
        origin = "https://" + urlsplit(url).netloc
        assert origin in editor["script-src"]
    assert "'unsafe-eval'" in editor["script-src"]  # Decap compiles its config schema
    assert editor["frame-ancestors"] == ["'none'"]
    assert editor_rule["X-Robots-Tag"] == "noindex, nofollow"


# --- the new site ---


def test_requirements_pin_this_version_of_sitegen() -> None:
    text = (SKELETON / "requirements.txt").read_text(encoding="utf-8")
    (pin,) = [line for line in text.splitlines() if line and not line.startswith("#")]
    major, minor = sitegen.__version__.split(".")[:2]
    assert pin == f"sitegen~={major}.{minor}.0"


def test_init_makes_a_site_that_deploys_as_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "library"
    assert main(["init", str(site)]) == 0
    for path in (
        ".github/workflows/check.yml",
        ".github/workflows/rebuild.yml",
        ".github/workflows/highlights.yml",
        "netlify.toml",
        "requirements.txt",
        "README.md",
        ".gitignore",
    ):
        assert (site / path).is_file(), path
    for kind in ("posts", "pages", "events", "highlights"):
        assert list((site / "content" / kind).glob("*.md")), kind
    capsys.readouterr()
    assert main(["build", "--site", str(site), "--strict", "--now", "2026-01-10T09:00"]) == 0
    out = site / "public"
    for path in (
        "admin/index.html",
        "admin/config.yml",
        "feedback/index.html",
        "events/index.html",
    ):
        assert (out / path).is_file(), path
    report = check_site(site, now=NOW)
    assert [p.format() for p in report.problems] == []

"""The wheel, installed in a fresh virtual environment, makes a site anywhere.

This catches what an editable install hides: files left out of the wheel (the default theme,
the starter site) and a console script that does not start. Dependencies come from the
package index, through pip's cache.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import sitegen

REPO = Path(__file__).resolve().parents[1]
NOW = "2026-12-01T09:00:00-06:00"

pytestmark = pytest.mark.slow


def run(*command: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    done = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a fresh virtual environment with the built wheel installed."""
    work = tmp_path_factory.mktemp("package")
    wheels = work / "wheels"
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", wheels, REPO, cwd=work)
    (wheel,) = wheels.glob("sitegen-*.whl")
    venv = work / "venv"
    run(sys.executable, "-m", "venv", venv, cwd=work)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    run(bin_dir / "python", "-m", "pip", "install", wheel, cwd=work)
    return bin_dir


def test_installed_package_is_not_the_checkout(installed: Path, tmp_path: Path) -> None:
    done = run(installed / "python", "-c", "import sitegen; print(sitegen.__file__)", cwd=tmp_path)
    location = Path(done.stdout.strip()).resolve()
    assert location.is_relative_to(installed.parent.resolve())
    assert not location.is_relative_to(REPO)


def test_wheel_makes_and_builds_a_new_site_outside_the_repository(
    installed: Path, tmp_path: Path
) -> None:
    site = tmp_path / "riverbend"
    assert not site.resolve().is_relative_to(REPO)

    run(installed / "sitegen", "init", site, cwd=tmp_path)
    done = run(installed / "sitegen", "build", "--now", NOW, cwd=site)

    assert done.stdout.startswith("Built ")
    out = site / "public"
    assert (out / "index.html").is_file()
    assert (out / "feed.xml").is_file()
    (css,) = out.glob("assets/*/css/style.css")
    packaged = REPO / "themes/default/static/css/style.css"
    assert css.read_bytes() == packaged.read_bytes()


def test_python_dash_m_sitegen_version(installed: Path, tmp_path: Path) -> None:
    done = run(installed / "python", "-m", "sitegen", "--version", cwd=tmp_path)

    assert done.stdout.strip() == f"sitegen {sitegen.__version__}"

"""The wheel works for a downstream user: built, installed with its ``hypothesis`` extra into a
fresh virtual environment outside the repository, it runs tests/downstream/test_downstream.py
(``st.from_type`` through the plugin, whichever of tradetruce and Hypothesis is imported first,
and ``tradetruce.strategies.scenarios()``).

Slow (it installs packages), so it is marked ``wheel``; set ``TRADETRUCE_SKIP_WHEEL=1`` to skip
it. CI runs it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOWNSTREAM = ROOT / "tests" / "downstream" / "test_downstream.py"

pytestmark = [
    pytest.mark.wheel,
    pytest.mark.skipif(
        os.environ.get("TRADETRUCE_SKIP_WHEEL") == "1", reason="TRADETRUCE_SKIP_WHEEL=1"
    ),
]


def run(*command: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["TZ"] = "Pacific/Chatham"
    done = subprocess.run(
        [str(c) for c in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, f"{' '.join(map(str, command))}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from the repository into the system temp directory."""
    dist = tmp_path_factory.mktemp("dist")
    assert ROOT not in dist.parents
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, ROOT, cwd=dist)
    (built,) = dist.glob("tradetruce-*.whl")
    return built


@pytest.fixture(scope="module")
def environment(
    wheel: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, Path]]:
    """A fresh venv with the wheel and its extra installed, and an empty directory to run in;
    both under the system temp directory, outside the repository."""
    base = tmp_path_factory.mktemp("downstream")
    assert ROOT not in base.parents
    env_dir = base / "venv"
    venv.create(env_dir, with_pip=True, clear=True)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    run(python, "-m", "pip", "install", "-q", f"{wheel}[hypothesis]", "pytest", cwd=base)
    work = base / "tool"
    work.mkdir()
    shutil.copy(DOWNSTREAM, work / DOWNSTREAM.name)
    yield python, work
    shutil.rmtree(base, ignore_errors=True)


def test_the_wheel_holds_the_package_and_the_hook_module_at_top_level(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    top = {name.split("/")[0] for name in names}
    dist_info = {name for name in top if name.endswith(".dist-info")}
    assert len(dist_info) == 1 and top - dist_info == {"_tradetruce_hypothesis.py", "tradetruce"}
    assert "tradetruce/__init__.py" in names and "tradetruce/py.typed" in names
    assert any(name.startswith("tradetruce/_seeds/") for name in names)
    shipped = {f"tradetruce/_seeds/{seed.name}" for seed in (ROOT / "seeds").glob("*.toml")}
    assert shipped and shipped <= set(names), sorted(shipped - set(names))
    assert not [name for name in names if name.endswith((".so", ".pyd", ".c", ".pyc"))]


def test_the_downstream_tests_pass_against_the_installed_wheel(
    environment: tuple[Path, Path],
) -> None:
    python, work = environment
    done = run(python, "-m", "pytest", "-q", "-p", "no:cacheprovider", DOWNSTREAM.name, cwd=work)
    assert " passed" in done.stdout and "failed" not in done.stdout, done.stdout


def test_the_plugin_is_found_through_the_installed_entry_point(
    environment: tuple[Path, Path],
) -> None:
    python, work = environment
    code = (
        "from importlib.metadata import entry_points\n"
        "print(sorted(e.value for e in entry_points(group='hypothesis')))\n"
    )
    done = run(python, "-c", code, cwd=work)
    assert "_tradetruce_hypothesis:_hypothesis_setup_hook" in done.stdout, done.stdout


def test_importing_hypothesis_survives_a_broken_tradetruce(
    environment: tuple[Path, Path],
) -> None:
    """Even with tradetruce unimportable (a shadowing broken module), import hypothesis works."""
    python, work = environment
    broken = work / "broken"
    broken.mkdir()
    (broken / "tradetruce").mkdir()
    (broken / "tradetruce" / "__init__.py").write_text("raise RuntimeError('broken install')\n")
    code = "import sys; sys.path.insert(0, 'broken'); import hypothesis; print('imported')"
    done = run(python, "-c", code, cwd=work)
    assert "imported" in done.stdout

"""The wheel: built from a copy of the sources, it carries the seeds, the default config, the migrations
and the stylesheet; installed on its own (not editable), its first run seeds the database."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "setup.py", "README.md", "config.toml"):
        shutil.copy(REPO / name, src / name)
    for folder in ("tracker", "seeds"):
        shutil.copytree(REPO / folder, src / folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(src)],
                   check=True, capture_output=True, text=True, timeout=300)
    (found,) = out.glob("tracker-*.whl")
    return found


def test_wheel_carries_seeds_config_migrations_and_styles(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    seeds = sorted(p.name for p in (REPO / "seeds").glob("*.txt"))
    assert seeds and {f"tracker/_shipped/seeds/{s}" for s in seeds} <= names
    assert "tracker/_shipped/config.toml" in names
    versions = sorted(p.name for p in (REPO / "tracker/store/migrations/versions").glob("[0-9]*.py"))
    assert {f"tracker/store/migrations/versions/{v}" for v in versions} <= names
    assert {"tracker/store/migrations/env.py", "tracker/store/migrations/script.py.mako",
            "tracker/tui/app.tcss"} <= names


def test_installed_wheel_seeds_on_first_run(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, text=True, timeout=300)
    work = tmp_path / "elsewhere"
    work.mkdir()
    code = (
        f"import sys; sys.path.insert(0, {str(target)!r}); import tracker; "
        f"assert tracker.__file__.startswith({str(target)!r}), tracker.__file__; "
        "from tracker.config import load_config, shipped_config_text; "
        "from tracker.store.engine import make_engine; from tracker.store.services import seed_if_empty; "
        "config = load_config(); engine = make_engine('sqlite:///first.db'); "
        "results = seed_if_empty(engine, config, by='首次运行'); "
        "print(len(results), sum(r.tasks_added for r in results), '夏阳街道' in (shipped_config_text() or ''))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env.update(XDG_CONFIG_HOME=str(tmp_path / "cfg"), XDG_DATA_HOME=str(tmp_path / "data"))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=work, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    documents, tasks, config_shipped = out.stdout.split()
    assert int(documents) == len(list((REPO / "seeds").glob("*.txt")))
    assert int(tasks) >= 274 and config_shipped == "True"

"""The user's settings and database directories: platformdirs' answer, without its import on Linux."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path

import platformdirs
import pytest

from tracker import user_dirs

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG answer is worked out on Linux")

_VALUES = (None, "", "relative/dir", "/abs/xdg")


@linux_only
@pytest.mark.parametrize(("home", "config_home", "data_home"),
                         itertools.product(("/home/科员", "/home/user/", "/", None, "not/absolute"), _VALUES, _VALUES))
def test_the_directories_are_platformdirs_answer(monkeypatch, home, config_home, data_home):
    for name, value in (("HOME", home), ("XDG_CONFIG_HOME", config_home), ("XDG_DATA_HOME", data_home),
                        ("XDG_CACHE_HOME", config_home)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    assert user_dirs.user_config_dir() == Path(platformdirs.user_config_dir("tracker"))
    assert user_dirs.user_data_dir() == Path(platformdirs.user_data_dir("tracker"))
    assert user_dirs.user_cache_dir() == Path(platformdirs.user_cache_dir("tracker"))


def test_another_platform_asks_platformdirs(monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setattr(user_dirs, "_platformdirs", lambda name: f"/asked/{name}")
    assert (user_dirs.user_config_dir(), user_dirs.user_data_dir()) == (Path("/asked/user_config_dir"),
                                                                          Path("/asked/user_data_dir"))


@linux_only
def test_a_command_with_no_config_file_and_no_db_imports_neither_platformdirs_nor_tomllib(tmp_path):
    """Found in the user's own directories: the settings (none here: nothing to parse) and the default database."""
    home, work = tmp_path / "home", tmp_path / "work"
    work.mkdir()
    env = {k: v for k, v in os.environ.items()
           if k not in ("TRACKER_DB", "TRACKER_CONFIG", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "COLUMNS")}
    env["HOME"] = str(home)
    code = ("import sys, io\nfrom tracker.cli import main\nout, sys.stdout = sys.stdout, io.StringIO()\n"
            "rc = main(['--today', '2022-12-01', 'list'])\nsys.stdout = out\n"
            "print(rc, 'platformdirs' in sys.modules, 'tomllib' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=work, env=env,
                            timeout=60)
    assert result.stdout.split()[-3:] == ["0", "False", "False"], result.stderr
    assert (home / ".local" / "share" / "tracker" / "tracker.db").is_file()  # the default database was made there

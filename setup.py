"""Build step that pyproject.toml cannot express: the shipped seed documents and the default config
(kept at the repository's top level) go into the wheel as ``tracker/_shipped/``."""

from pathlib import Path
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithShipped(build_py):
    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "tracker" / "_shipped"
        (target / "seeds").mkdir(parents=True, exist_ok=True)
        for seed in sorted((ROOT / "seeds").glob("*.txt")):
            shutil.copyfile(seed, target / "seeds" / seed.name)
        shutil.copyfile(ROOT / "config.toml", target / "config.toml")


setup(cmdclass={"build_py": BuildWithShipped})

import shutil
from pathlib import Path

import pytest

from helpers import paths


@pytest.fixture
def raw_copy(tmp_path: Path) -> Path:
    """A private copy of data/raw, for tests that tamper with raw files."""
    dst = tmp_path / "raw"
    shutil.copytree(paths.RAW, dst)
    return dst

"""Shared fixtures: no test touches the real user directory or the real workspace."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def held_out_key() -> Iterator[None]:
    """One held-out key for the whole run (as a cluster's workers share one), set before any
    module-scoped grader exists: every grader holds out the same rows, and none writes a secret
    into a real LEARN_HOME."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LEARN_SECRET", "learn-keras test suite")
        yield


@pytest.fixture(autouse=True)
def learn_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("LEARN_HOME", str(home))
    monkeypatch.setenv("LEARN_CACHE", str(tmp_path / "user-cache"))  # the shared course cache
    monkeypatch.setenv("LEARN_WORKSPACE", str(tmp_path / "ws"))
    for var in ("LEARN_COURSE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    return home


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def course_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled course, for breaking it on purpose."""
    dest = tmp_path / "course"
    dest.mkdir()
    for name in ("course.yaml", "lessons", "quizzes", "exercises"):
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        else:
            shutil.copyfile(src, dest / name)
    return dest

"""The validated-course cache: shared by every LEARN_HOME of a user, used only while it is this
course's exact files, ignored (and rebuilt) when it is stale or corrupt, never fatal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader import catalog
from grader.catalog import SHIPPED, open_course, seal, shipped_cache
from grader.cli import main
from tests.test_cli import this_checkout

QUIZ = ["--lang", "en", "quiz", "training-basics", "--json"]


def cache_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("course-*.json"))


def plant(path: Path, title: str) -> None:
    """Rewrite a cache file as a well-formed one whose course title is `title`: a marker that
    shows whether the cache was used."""
    key, _, body = path.read_bytes().split(b"\n", 2)
    saved = json.loads(body)
    saved["data"]["spec"]["title"]["en"] = title
    new = json.dumps(saved, ensure_ascii=False).encode()
    path.write_bytes(key + b"\n" + seal(new).encode() + b"\n" + new)


@pytest.mark.parametrize(
    "changed",
    [
        "lessons/en/training-basics.md",
        "quizzes/ja/training-basics.yaml",
        "exercises/compile-multiclass/exercise.yaml",
        "exercises/compile-multiclass/reference.py",
    ],
)
def test_a_cache_of_changed_files_is_not_used(
    course_copy: Path, tmp_path: Path, changed: str
) -> None:
    cache = tmp_path / "c"
    assert open_course(course_copy, [cache]).title("en") != "FROM THE CACHE"
    [path] = cache_files(cache)
    plant(path, "FROM THE CACHE")
    assert open_course(course_copy, [cache]).title("en") == "FROM THE CACHE"  # the marker works
    target = course_copy / changed
    target.write_text(target.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    course = open_course(course_copy, [cache])
    assert course.title("en") != "FROM THE CACHE"
    assert len(cache_files(cache)) == 2  # the changed course has a cache of its own


def test_the_change_shows(runner: CliRunner, course_copy: Path) -> None:
    args = ["--course", str(course_copy), *QUIZ]
    before = json.loads(runner.invoke(main, args).output)["items"][0]["prompt"]
    quiz = course_copy / "quizzes" / "en" / "training-basics.yaml"
    text = quiz.read_text(encoding="utf-8")
    assert before in text
    quiz.write_text(text.replace(before, "A changed prompt", 1), "utf-8")
    after = runner.invoke(main, args)
    assert after.exit_code == 0, after.output
    assert json.loads(after.output)["items"][0]["prompt"] == "A changed prompt"


@pytest.mark.parametrize(
    "corrupt",
    [
        lambda b: b[: len(b) // 2],  # a torn write
        lambda b: b"",
        lambda b: b"\x00\xff not json at all",
        lambda b: b.replace(b'"units"', b'"unitz"'),  # the digest no longer matches
        lambda b: b.split(b"\n", 1)[0],  # the key alone
    ],
    ids=["torn", "empty", "garbage", "edited", "key-only"],
)
def test_a_corrupt_cache_is_ignored_and_rebuilt(
    course_copy: Path, tmp_path: Path, corrupt: object
) -> None:
    cache = tmp_path / "c"
    open_course(course_copy, [cache])
    [path] = cache_files(cache)
    good = path.read_bytes()
    path.write_bytes(corrupt(good))  # type: ignore[operator]
    assert open_course(course_copy, [cache]).title("en")
    assert path.read_bytes() == good


@pytest.mark.parametrize(
    "data",
    [
        {"units": [["lesson", "x"]], "data": {"spec": {}}},
        {"units": [["nope", "x"]], "data": {"spec": {}, "quizzes": {}, "exercises": {}}},
        {"units": [], "data": {"spec": {}, "quizzes": {}, "exercises": {}}},
        {"units": [["lesson", "x"]], "data": {"spec": [], "quizzes": {}, "exercises": {}}},
    ],
    ids=["parts-missing", "unknown-kind", "no-units", "spec-not-a-mapping"],
)
def test_a_well_sealed_cache_of_the_wrong_shape_is_ignored(
    course_copy: Path, tmp_path: Path, data: dict[str, object]
) -> None:
    cache = tmp_path / "c"
    open_course(course_copy, [cache])
    [path] = cache_files(cache)
    good = path.read_bytes()
    body = json.dumps(data).encode()
    key = good.split(b"\n", 1)[0]
    path.write_bytes(key + b"\n" + seal(body).encode() + b"\n" + body)
    assert [u.ref for u in open_course(course_copy, [cache]).units][:1] == ["training-basics"]
    assert path.read_bytes() == good


def test_the_first_folder_that_holds_the_cache_is_used_and_a_miss_fills_every_folder(
    course_copy: Path, tmp_path: Path
) -> None:
    own, shared = tmp_path / "own", tmp_path / "shared"
    open_course(course_copy, [own, shared])
    assert [p.read_bytes() for p in cache_files(own)] == [
        p.read_bytes() for p in cache_files(shared)
    ]
    plant(cache_files(shared)[0], "SHARED")
    assert open_course(course_copy, [tmp_path / "fresh", shared]).title("en") == "SHARED"
    assert open_course(course_copy, [own, shared]).title("en") != "SHARED"


@pytest.mark.parametrize("where", ["{tmp}/a-file", "{tmp}/a-file/below", "/proc/learn-keras"])
def test_an_unwritable_cache_folder_does_not_fail_the_command(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """Folders no one may write, root included."""
    (tmp_path / "a-file").write_text("not a folder")
    monkeypatch.setenv("LEARN_CACHE", where.format(tmp=tmp_path))
    first = runner.invoke(main, QUIZ)
    assert first.exit_code == 0, first.output
    assert json.loads(first.output)["items"]
    again = runner.invoke(main, QUIZ)
    assert again.output == first.output


def test_a_new_learner_finds_the_course_validated_by_another(
    tmp_path: Path, course_copy: Path
) -> None:
    """The shared cache: a fresh LEARN_HOME's first `learn next` imports neither pydantic nor
    YAML once any LEARN_HOME of this user has validated the course (a copy of the course: the
    bundled one may have its cache installed with the package)."""
    code = (
        "import sys\nfrom grader.cli import main\n"
        "try:\n    main(['--lang', 'en', 'next'])\nexcept SystemExit:\n    pass\n"
        "print('LOADED', sorted(m for m in ('pydantic', 'yaml') if m in sys.modules))\n"
    )
    env = {
        **this_checkout(),
        "LEARN_CACHE": str(tmp_path / "shared"),
        "LEARN_COURSE": str(course_copy),
    }
    loaded = []
    for learner in ("first", "second", "third"):
        env["LEARN_HOME"] = str(tmp_path / learner)
        run = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
        )
        loaded.append(run.stdout.splitlines()[-1])
    assert loaded == ["LOADED ['pydantic', 'yaml']", "LOADED []", "LOADED []"]


def test_a_course_s_shipped_cache_is_read_and_never_written(
    course_copy: Path, tmp_path: Path
) -> None:
    """The wheel ships `_course/.course-cache/` (hatch_build.py): a learner's very first run
    finds the course validated, while its files are the ones it was made from."""
    name, blob = shipped_cache(course_copy)
    shipped = course_copy / SHIPPED / name
    shipped.parent.mkdir()
    shipped.write_bytes(blob)
    plant(shipped, "SHIPPED")
    assert open_course(course_copy, [tmp_path / "own"]).title("en") == "SHIPPED"
    assert not (tmp_path / "own").exists()  # a hit writes nothing
    lesson = course_copy / "lessons" / "en" / "training-basics.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    assert open_course(course_copy, [tmp_path / "own"]).title("en") != "SHIPPED"
    assert [p.name for p in (course_copy / SHIPPED).iterdir()] == [name]  # not written there


def test_an_editable_install_s_cache_serves_its_checkout(
    course_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`pip install -e .` puts the wheel's `grader/_course/.course-cache` on the import path,
    made from the checkout's files: the newcomer's first `learn next` finds it, until a file
    of the checkout changes."""
    name, blob = shipped_cache(course_copy)
    installed = tmp_path / "site" / "grader" / "_course" / SHIPPED / name
    installed.parent.mkdir(parents=True)
    installed.write_bytes(blob)
    plant(installed, "INSTALLED")
    monkeypatch.setattr(sys, "path", [str(tmp_path / "site"), *sys.path])
    monkeypatch.setattr(catalog, "bundled_course", lambda: course_copy)  # the checkout
    assert open_course(course_copy, [tmp_path / "own"]).title("en") == "INSTALLED"
    quiz = next((course_copy / "quizzes").rglob("*.yaml"))
    quiz.write_text(quiz.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert open_course(course_copy, [tmp_path / "own"]).title("en") != "INSTALLED"
    assert [p.name for p in installed.parent.iterdir()] == [name]  # never written there


@pytest.mark.slow
def test_the_wheel_ships_the_cache(tmp_path: Path) -> None:
    """Build the wheel (needs hatchling: `pip wheel --no-build-isolation`), unpack it, and run
    a first `learn next` from it: no pydantic, no YAML."""
    pytest.importorskip("hatchling")
    repo = Path(__file__).resolve().parent.parent
    build = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation"]
    subprocess.run([*build, str(repo), "-w", str(tmp_path / "whl")], check=True)
    [wheel] = (tmp_path / "whl").glob("*.whl")
    with zipfile.ZipFile(wheel) as z:
        z.extractall(tmp_path / "site")
    assert list((tmp_path / "site" / "grader" / "_course" / SHIPPED).glob("course-*.json"))
    code = (
        "import sys\nfrom grader.cli import main\n"
        "try:\n    main(['--lang', 'en', 'next'])\nexcept SystemExit:\n    pass\n"
        "print('LOADED', sorted(m for m in ('pydantic', 'yaml') if m in sys.modules))\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(tmp_path / "site"),
        "LEARN_HOME": str(tmp_path / "home"),
        "LEARN_CACHE": str(tmp_path / "user-cache"),
    }
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert run.returncode == 0, run.stderr
    assert "Training Basics" in run.stdout
    assert run.stdout.splitlines()[-1] == "LOADED []"

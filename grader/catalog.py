"""A loaded course, and its cache: the validated course kept as JSON, keyed by its files' bytes
(in the learner's LEARN_HOME and in a cache folder all of the user's LEARN_HOMEs share).

Light on purpose (no pydantic, no YAML): `learn next` on a cached course only reads JSON. The
pydantic models of quizzes and exercises are built from the cached data the first time a
command asks for them; `grader.course.load_course` is the one place that validates.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, get_args

from grader.errors import UsageError

try:  # the builtin BLAKE2, as random.py takes its SHA-512: hashlib would load OpenSSL first
    from _blake2 import blake2b  # (a twentieth of `learn next`)
except ImportError:  # pragma: no cover (an interpreter without it)
    from hashlib import blake2b

if TYPE_CHECKING:
    from grader.course import CourseFile
    from grader.exercises import ExerciseSpec
    from grader.quizzes import AnyItem, QuizFile

Kind = Literal["lesson", "quiz", "exercise"]
KINDS: tuple[str, ...] = get_args(Kind)
CONTENT = ("course.yaml", "lessons", "quizzes", "exercises")
# The code that decides what a valid course is: a change to it invalidates every cache.
SCHEMA_MODULES = ("course.py", "quizzes.py", "exercises.py", "catalog.py", "__init__.py")


@dataclass(frozen=True)
class Unit:
    kind: Kind
    ref: str

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.ref}"


@dataclass
class Course:
    """A validated course. Built by `load_course`, or from the cache (`data`, models on demand)."""

    root: Path
    units: list[Unit]
    data: dict[str, Any]  # {"spec": ..., "quizzes": {lesson: {lang: ...}}, "exercises": {...}}
    _models: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def id(self) -> str:
        return str(self.data["spec"]["id"])

    @property
    def default_lang(self) -> str:
        return str(self.data["spec"].get("default_lang", "ja"))

    def title(self, lang: str) -> str:
        return str(self.data["spec"]["title"][lang])

    @property
    def spec(self) -> CourseFile:
        if "spec" not in self._models:
            from grader.course import CourseFile

            self._models["spec"] = CourseFile.model_validate(self.data["spec"])
        return self._models["spec"]  # type: ignore[no-any-return]

    @property
    def quizzes(self) -> dict[str, dict[str, QuizFile]]:
        if "quizzes" not in self._models:
            from grader.quizzes import QuizFile

            self._models["quizzes"] = {
                ref: {lang: QuizFile.model_validate(q) for lang, q in by_lang.items()}
                for ref, by_lang in self.data["quizzes"].items()
            }
        return self._models["quizzes"]  # type: ignore[no-any-return]

    @property
    def exercises(self) -> dict[str, ExerciseSpec]:
        if "exercises" not in self._models:
            from grader.exercises import ExerciseSpec

            self._models["exercises"] = {
                ref: ExerciseSpec.model_validate(ex) for ref, ex in self.data["exercises"].items()
            }
        return self._models["exercises"]  # type: ignore[no-any-return]

    def lesson_path(self, lesson: str, lang: str) -> Path:
        return self.root / "lessons" / lang / f"{lesson}.md"

    def lesson_title(self, lesson: str, lang: str) -> str:
        try:
            for line in self.lesson_path(lesson, lang).read_text(encoding="utf-8").splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
        except OSError:
            pass
        return lesson

    def unit(self, unit_id: str) -> Unit:
        for u in self.units:
            if unit_id in (u.id, u.ref) or unit_id == f"{u.kind}/{u.ref}":
                return u
        raise UsageError(key="err_unknown_unit", unit=unit_id)

    def units_matching(self, name: str) -> list[Unit]:
        found = [u for u in self.units if name in (u.id, u.ref)]
        if not found:
            raise UsageError(key="err_unknown_unit", unit=name)
        return found

    def has_exercise(self, exercise_id: str) -> bool:
        return exercise_id in self.data["exercises"]

    def check_exercise(self, exercise_id: str) -> None:
        """UsageError for an unknown exercise id, without building any model."""
        if exercise_id not in self.data["exercises"]:
            known = ", ".join(self.data["exercises"]) or "-"
            raise UsageError(key="err_unknown_exercise", exercise=exercise_id, known=known)

    def quiz(self, lesson: str, lang: str) -> QuizFile:
        if lesson not in self.data["quizzes"]:
            raise UsageError(key="err_unknown_quiz", quiz=lesson)
        return self.quizzes[lesson][lang]

    def item(self, item_id: str, lang: str) -> AnyItem:
        lesson = item_id.split("/", 1)[0]
        if lesson in self.data["quizzes"]:
            for item in self.quizzes[lesson][lang].items:
                if item.id == item_id:
                    return item
        raise UsageError(key="err_unknown_item", item=item_id)

    def exercise(self, exercise_id: str) -> ExerciseSpec:
        self.check_exercise(exercise_id)
        return self.exercises[exercise_id]

    def exercise_dir(self, exercise_id: str) -> Path:
        return self.root / "exercises" / exercise_id


def bundled_course() -> Path:
    """The course shipped with the package: the checkout itself, or the wheel's copy."""
    pkg = Path(__file__).resolve().parent
    checkout = pkg.parent
    if (checkout / "course.yaml").is_file() and (checkout / "lessons").is_dir():
        return checkout
    return pkg / "_course"


def course_root(explicit: str | os.PathLike[str] | None) -> Path:
    root = Path(explicit) if explicit else bundled_course()
    if not (root / "course.yaml").is_file():
        raise UsageError(key="err_not_course", root=root)
    return root


def cache_key(root: Path) -> str:
    """A hash of every course file (names and bytes) and of the code that validates them."""
    h = blake2b(digest_size=32)
    pkg = Path(__file__).resolve().parent
    files = [pkg / name for name in SCHEMA_MODULES]
    for name in CONTENT:
        top = root / name
        if top.is_file():
            files.append(top)
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            files.extend(Path(dirpath) / f for f in sorted(filenames))
    for path in files:
        h.update(str(path.relative_to(pkg if path.parent == pkg else root)).encode() + b"\0")
        h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


def shared_cache_dir() -> Path:
    """The course cache every LEARN_HOME of this user shares (`LEARN_CACHE`, else the user cache
    folder): a new learner's first `learn next` finds the course already validated."""
    explicit = os.environ.get("LEARN_CACHE")
    if explicit:
        return Path(explicit)
    import platformdirs

    return Path(platformdirs.user_cache_dir("learn-keras", appauthor=False))


SHIPPED = ".course-cache"  # a course's own cache folder, written when a wheel is built


def open_course(root: Path, cache_dirs: Sequence[Path]) -> Course:
    """The course at root, from a cache when its files have not changed (else validated, and
    the cache written to every folder of cache_dirs that takes it). The folders are read in
    order, then the course's own `.course-cache` (shipped in the wheel, never written here).

    A cache file is `key`, the BLAKE2b digest of the rest, and the validated course as JSON:
    one whose key is not this course's (a file changed), whose digest does not match (a torn or
    corrupt write) or whose shape is wrong is ignored and rebuilt, never used."""
    try:
        key = cache_key(root)
    except OSError:
        return _validate(root)
    name = cache_name(key)
    for folder in [*cache_dirs, root / SHIPPED, *installed_caches(root)]:
        found = _read_cache(folder / name, key, root)
        if found is not None:
            return found
    course = _validate(root)
    blob = cache_blob(course, key)
    for folder in cache_dirs:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            tmp = folder / f"{name}.{os.getpid()}.tmp"
            tmp.write_bytes(blob)
            os.replace(tmp, folder / name)
        except OSError:
            pass  # a cache that cannot be written only costs time
    return course


def installed_caches(root: Path) -> list[Path]:
    """The shipped cache of the installed package when the course is a checkout: `pip install -e .`
    installs the wheel's `grader/_course/.course-cache` beside the import path, validated from
    this checkout's files. Only ever used under its key and seal, like any other cache."""
    if root.resolve() != bundled_course().resolve():
        return []  # another course: no package ships its cache
    found = []
    for entry in sys.path:
        folder = Path(entry or ".") / "grader" / "_course" / SHIPPED
        if folder != root / SHIPPED and folder.is_dir():
            found.append(folder)
    return found


def cache_name(key: str) -> str:
    return f"course-{key[:24]}.json"


def cache_blob(course: Course, key: str) -> bytes:
    """A cache file's bytes: the key, the seal of the body, the body (the validated course)."""
    body = json.dumps(
        {"units": [[u.kind, u.ref] for u in course.units], "data": course.data},
        ensure_ascii=False,
    ).encode("utf-8")
    return f"{key}\n{seal(body)}\n".encode() + body


def shipped_cache(root: Path) -> tuple[str, bytes]:
    """(file name, bytes) of the cache to ship in a course's `.course-cache` folder: the course
    validated now (ContentError if it is not valid). Used when the wheel is built
    (hatch_build.py); the key covers the same files with the same names in the wheel."""
    key = cache_key(root)
    return cache_name(key), cache_blob(_validate(root), key)


def seal(body: bytes) -> str:
    """The digest a cache file carries of its content."""
    return blake2b(body, digest_size=32).hexdigest()


def _read_cache(path: Path, key: str, root: Path) -> Course | None:
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    saved_key, digest, body = (blob.split(b"\n", 2) + [b"", b""])[:3]
    if saved_key != key.encode() or digest != seal(body).encode():
        return None
    try:
        saved = json.loads(body)
        units = [Unit(kind, ref) for kind, ref in saved["units"]]
        data = saved["data"]
        shaped = all(isinstance(data[part], dict) for part in ("spec", "quizzes", "exercises"))
    except (ValueError, KeyError, TypeError):
        return None
    if not shaped or not units or any(u.kind not in KINDS for u in units):
        return None
    return Course(root, units, data)


def _validate(root: Path) -> Course:
    from grader.course import load_course  # pydantic and YAML: only when the cache misses

    return load_course(root)

"""Grade one submission: run it in the sandbox, inspect what it handed back, score against the
reference (whose summary is computed once and cached)."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from grader import __version__, curves
from grader.checks import Context, Evidence, call_problem, load_reason
from grader.course import Course
from grader.datasets import Split, generate
from grader.errors import ContentError, LearnError, SandboxError, in_lang
from grader.exercises import ExerciseSpec
from grader.facts import (
    DRIVEN,
    FIT_ARRAYS,
    FitRun,
    InspectReport,
    LearnerReport,
    ModelFacts,
    _name_of,
    loss_of,
    metrics_of,
    read_json,
)
from grader.kinds import judge
from grader.kinds.optimizer import steps
from grader.messages import one_of, text
from grader.mistakes import label_kind
from grader.sandbox import Limits, RunResult, Sandbox

HERE = Path(__file__).resolve().parent
MAX_MODEL_BYTES = 50_000_000
MAX_FIT_BYTES = 40_000_000  # all the arrays of the recorded fit calls, together
# What a learner's job may hand back (copied back as root in this order, within the caps).
LEARNER_HANDBACK = (
    "out/report.json",
    "out/object.json",
    "out/value_*.npy",
    "out/returned.keras",
    "out/fit_*.npy",
    "out/returned_sm/**",
    "out/schedule_sm/**",
    "out/loss_sm/**",
)
MAX_SOURCE_BYTES = 1_000_000
# What the grader itself puts in the inspector's folder. Anything else there was handed back by
# the learner's job for the inspector to load (grader/jobs/inspector.py); with nothing else it has
# nothing to inspect, and its job is not run.
GRADER_INPUTS = frozenset({"x_test.npy", "x_train.npy", "y_train.npy", "given.keras"})
INSPECT_LIMITS = Limits(wall_seconds=120, cpu_seconds=240, memory_mb=3072)


@dataclass
class CheckResult:
    id: str
    title: str
    score: float
    max_score: float
    passed: bool
    message: str


@dataclass
class GradeResult:
    exercise_id: str
    score: float
    max_score: float
    checks: list[CheckResult]
    execution_time: float
    output: str
    content_hash: str
    learner_curve: dict[str, list[float | None]] | None = None
    reference_curve: dict[str, list[float | None]] | None = None
    problems: list[str] = field(default_factory=list)
    failure: str | None = None  # the learner's code did not run through: crash, timeout, ...
    unjudged: bool = False  # the grader itself failed on this submission (see _judged)

    @property
    def full_marks(self) -> bool:
        return self.score >= self.max_score

    def to_gradescope(self) -> dict[str, Any]:
        """The shape of Gradescope's results.json."""
        return {
            "score": self.score,
            "max_score": self.max_score,
            "execution_time": round(self.execution_time, 3),
            "output": self.output,
            "tests": [
                {
                    "name": f"{c.id}: {c.title}",
                    "score": c.score,
                    "max_score": c.max_score,
                    "status": "passed" if c.passed else "failed",
                    "output": c.message,
                    "visibility": "visible",
                }
                for c in self.checks
            ],
        }

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def content_hash(source: bytes) -> str:
    return hashlib.sha256(source).hexdigest()


def _versions() -> str:
    names = ["keras", "numpy", "tensorflow-cpu", "tensorflow"]
    found = []
    for n in names:
        with contextlib.suppress(metadata.PackageNotFoundError):
            found.append(f"{n}={metadata.version(n)}")
    return ",".join(found) + f",learn-keras={__version__}"


def failure_reason(run: RunResult, lang: str) -> str | None:
    """Why the learner's process left no usable report, in words a learner understands."""
    reason = in_lang(run.reason, lang)  # the sandbox's own words, in the learner's language
    if run.status == "timeout":
        return text(lang, "grading_stopped_endless_loop_training_far", reason=reason)
    if run.status == "memory":
        return text(lang, "grading_stopped_array_layer_far_too", reason=reason)
    if run.status != "ok":
        # Hardening (hostile suite): name the error that ended it, e.g. a disk the code filled.
        errors = re.findall(r"^(\w+(?:Error|Exception|Exit)\b.*)$", run.output, re.MULTILINE)
        if errors:
            return text(
                lang,
                "grading_process_crashed_with_error",
                reason=reason,
                error=errors[-1][:300],
            )
        return text(lang, "grading_process_crashed", reason=reason)
    return None


PRELOAD = ("keras", "grader.jobs.harness", "grader.jobs.inspector")


def code_digest(package: Path) -> bytes:
    """Every module of the grader package (path and bytes): part of the reference cache key, since
    the jobs, the data, the recipes and the schemas all shape a reference's summary."""
    h = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode() + b"\0")
        h.update(path.read_bytes() + b"\0")
    return h.digest()


def unjudged(
    spec: ExerciseSpec, source: bytes, exc: Exception, seconds: float, lang: str
) -> GradeResult:
    """Hardening (hostile suite): the grader failed while judging this submission (something it
    handed back slipped past the schemas, or a bug of ours): a graded result all the same, score 0,
    every check failed with the reason."""
    try:
        detail = f"{type(exc).__name__}: {exc}"
    except Exception:  # noqa: BLE001 (an exception whose str() fails)
        detail = type(exc).__name__
    detail = " ".join(detail.split())[:500]
    reason = text(lang, "grading_grader_could_not_judge_submission", detail=detail)
    checks = [
        CheckResult(c.id, c.title.get(lang), 0.0, float(c.points), False, reason)
        for c in spec.checks
    ]
    return GradeResult(
        spec.id,
        0.0,
        float(spec.max_score),
        checks,
        seconds,
        "",
        content_hash(source),
        problems=[reason],
        failure=reason,
        unjudged=True,
    )


_Grade = Callable[["Grader", str, bytes], "GradeResult"]


def _judged(grade: _Grade) -> _Grade:
    """Grader.grade always returns a result: an exception raised while judging one submission
    becomes that submission's result. LearnError (the sandbox or the course failed, not the
    judging) still propagates; so do KeyboardInterrupt and SystemExit."""

    @functools.wraps(grade)
    def wrapper(self: Grader, exercise_id: str, source: bytes) -> GradeResult:
        started = time.monotonic()
        try:
            return grade(self, exercise_id, source)
        except LearnError:
            raise
        except Exception as exc:  # noqa: BLE001
            spec = self.course.exercise(exercise_id)
            return unjudged(spec, source, exc, time.monotonic() - started, self.lang)

    return wrapper


@contextmanager
def warm_sandbox() -> Iterator[Sandbox]:
    """A sandbox whose zygote starts importing Keras now, in the background."""
    sandbox = Sandbox(preload=PRELOAD)
    starter = threading.Thread(target=_start_quietly, args=(sandbox,), daemon=True)
    starter.start()
    try:
        yield sandbox
    finally:
        starter.join()
        sandbox.close()


def _start_quietly(sandbox: Sandbox) -> None:
    with contextlib.suppress(SandboxError):
        sandbox.start()  # a failure shows again, with its message, on the first run


class Grader:
    """Grades submissions for one course; owns a warm sandbox (TensorFlow imported once)."""

    def __init__(
        self,
        course: Course,
        cache_dir: Path,
        lang: str = "en",
        sandbox: Sandbox | None = None,
        hide: Sequence[Path] = (),
        secret: bytes | None = None,
    ) -> None:
        self.course = course
        self.cache_dir = cache_dir
        self.lang = lang
        self.sandbox = sandbox or Sandbox(preload=PRELOAD)
        self._own_sandbox = sandbox is None
        self._data: dict[str, Split] = {}
        self._keys: dict[str, str] = {}
        self._summaries: dict[str, dict[str, Any]] = {}  # the references computed or read
        # Hardening (hostile suite): paths no job may see as root, covered in its private view
        # (which holds only system and Python folders anyway: belt and braces).
        from grader.catalog import SHIPPED, shared_cache_dir
        from grader.settings import grading_secret, learn_home

        self.secret = grading_secret(learn_home()) if secret is None else secret
        self.hide = [course.root / "exercises", course.root / ".git", cache_dir, learn_home()]
        # the validated course, exercise specs included: the user's cache and the wheel's
        self.hide += [shared_cache_dir(), course.root / SHIPPED]
        self.hide += list(hide)  # batch runs: the class's submissions and the gradebook folder

    def __enter__(self) -> Grader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._own_sandbox:
            self.sandbox.close()

    def data(self, spec: ExerciseSpec) -> Split:
        if spec.id not in self._data:
            self._data[spec.id] = generate(spec.data, self.secret)
        return self._data[spec.id]

    # -- running -------------------------------------------------------------------------------
    def _payload(self, spec: ExerciseSpec) -> dict[str, Any]:
        return {
            "seed": spec.data.seed,
            "epochs": spec.data.epochs,
            "n_classes": spec.data.n_classes,
            "n_val": spec.data.n_val,
            "steps": steps(spec, self.secret),
            "entry_points": [e.model_dump() for e in spec.entry_points],
            "probes": spec.probes,
        }

    def _callback_probes(self, spec: ExerciseSpec, source: bytes) -> dict[str, Any]:
        """Probe curves for callbacks of the learner's own class, and the reference's callbacks
        they are compared with (none while the reference itself is graded)."""
        ref = self._summaries.get(spec.id)
        if spec.entry("history") is None or not ref or not ref.get("fit_runs"):
            return {}
        runs = [FitRun.model_validate(x) for x in ref["fit_runs"]]
        wanted: list[list[dict[str, Any]]] = [
            [
                {"class": c.class_, "config": dict(c.config or {})}
                for c in run.callbacks
                if c.run and c.class_ in DRIVEN
            ]
            for run in runs
        ]
        if not wanted[-1]:
            return {}
        stops = [c["config"] for c in wanted[-1] if c["class"] == DRIVEN[0]]
        watched = (stops or [wanted[-1][0]["config"]])[0]
        keys = list(runs[-1].history.history) if runs[-1].history else ["loss", "val_loss"]
        drawn = curves.draw(
            self.secret,
            spec.id,
            content_hash(source),
            keys,
            str(watched.get("monitor") or "val_loss"),
            int(watched.get("patience") or 0),
        )
        return {"curves": drawn, "reference": wanted}

    def collect(self, spec: ExerciseSpec, source: bytes) -> tuple[Evidence, RunResult]:
        """Run the learner's job, then the inspector on what it handed back."""
        data = self.data(spec)
        probes = self._callback_probes(spec, source)
        learner_payload = self._payload(spec)
        inspector_payload = self._payload(spec)
        if probes:  # the learner's job sees the curves only, never how they were built
            learner_payload["callback_curves"] = [c["logs"] for c in probes["curves"]]
            learner_payload["callback_seconds"] = curves.SECONDS
            inspector_payload["callback_curves"] = probes["curves"]
            inspector_payload["callback_reference"] = probes["reference"]
        limits = Limits(
            wall_seconds=spec.limits.wall_seconds,
            cpu_seconds=spec.limits.cpu_seconds,
            memory_mb=spec.limits.memory_mb,
        )
        args = {a for e in spec.entry_points for a in e.args}
        with (
            tempfile.TemporaryDirectory(prefix="learn-run-") as a,
            tempfile.TemporaryDirectory(prefix="learn-inspect-") as b,
        ):
            run_dir, insp_dir = Path(a), Path(b)
            (run_dir / "submission.py").write_bytes(source)
            np.save(run_dir / "x_train.npy", data.x_train)
            np.save(run_dir / "y_train.npy", data.y_train)
            np.save(run_dir / "x_test.npy", data.x_test)
            if "y_test" in args:  # e.g. test_scores(model, x, y) evaluates on the held-out rows
                np.save(run_dir / "y_test.npy", data.y_test)
            given = self.given_model(spec) if spec.given is not None else None
            if given is not None:
                shutil.copyfile(given, run_dir / "given.keras")
            run = self.sandbox.run(
                "grader.jobs.harness:run_learner",
                run_dir,
                learner_payload,
                limits,
                hide=self.hide,
                handback=LEARNER_HANDBACK,
            )
            out = run_dir / "out"
            report, problem = read_json(out / "report.json", LearnerReport)
            ev = Evidence(report=report, inspect=None)
            if problem:
                ev.problems.append(problem)
            if report is None:
                ev.failure = (
                    failure_reason(run, self.lang)
                    or problem
                    or text(self.lang, "grading_process_ended_before_reporting_does")
                )
                return ev, run
            # Hardening (hostile suite): the inspector's folder holds only what the exercise's
            # entry points return: a returned model, an optimizer's config, the recorded fit
            # calls' arrays, never a folder or file the learner chose.
            names = ["object.json"]
            if spec.entry("model") is not None:
                names.append("returned.keras")
                _copy_export(out / "returned_sm", insp_dir / "returned_sm")
                if report.own_loss and "loss_sm" not in report.save_errors:
                    _copy_export(out / "loss_sm", insp_dir / "loss_sm")
            if spec.entry("optimizer") is not None:
                _copy_export(out / "schedule_sm", insp_dir / "schedule_sm")
            for name in names:
                src = out / name
                if src.is_file() and not src.is_symlink() and src.stat().st_size <= MAX_MODEL_BYTES:
                    shutil.copyfile(src, insp_dir / name)
            np.save(insp_dir / "x_test.npy", data.x_test)
            np.save(insp_dir / "x_train.npy", data.x_train)
            np.save(insp_dir / "y_train.npy", data.y_train)
            if spec.entry("history") is not None:
                assert given is not None  # the validator holds: a model is given
                shutil.copyfile(given, insp_dir / "given.keras")
                _hand_over_fit_calls(report, out, insp_dir)
            ev.values = {
                name: [
                    _array(out / v.file) if v.kind == "array" and v.file else None
                    for v in described
                ]
                for name, described in report.values.items()
            }
            if any(path.name not in GRADER_INPUTS for path in insp_dir.iterdir()):
                insp = self.sandbox.run(
                    "grader.jobs.inspector:inspect",
                    insp_dir,
                    inspector_payload | {"probe_seed": probe_seed(self.secret)},
                    INSPECT_LIMITS,
                    hide=self.hide,
                    handback=("out/inspect.json", "out/pred.npy"),
                )
                if insp.status != "ok":
                    ev.problems.append(f"inspection failed: {insp.reason}: {insp.output[-1500:]}")
                ev.inspect, problem = read_json(insp_dir / "out" / "inspect.json", InspectReport)
                if problem:
                    ev.problems.append(problem)
                ev.pred = _array(insp_dir / "out" / "pred.npy")
            else:
                # Nothing handed back for the inspector to load (an exercise whose entry points
                # return values, or code that returned nothing): its job would only write "{}".
                ev.inspect = InspectReport()
            _adopt_training(ev, spec.entry("history") is not None, self.lang)
            _distrust(ev, self.lang)
            return ev, run

    # -- reference -----------------------------------------------------------------------------
    def _cache_key(self, spec: ExerciseSpec) -> str:
        """Exercise content, reference solution, the grader package's code and library versions
        (hashed once per exercise: every submission looks its reference up)."""
        if spec.id not in self._keys:
            ex_dir = self.course.exercise_dir(spec.id)
            parts = [
                (ex_dir / "exercise.yaml").read_bytes(),
                (ex_dir / "reference.py").read_bytes(),
            ]
            if spec.given is not None:
                parts.append((ex_dir / spec.given.model).read_bytes())
            parts.append(self._code)
            parts.append(hashlib.sha256(self.secret).digest())  # the held-out rows depend on it
            digest = hashlib.sha256(b"".join(parts) + _versions().encode()).hexdigest()
            self._keys[spec.id] = digest[:24]
        return self._keys[spec.id]

    @functools.cached_property
    def _code(self) -> bytes:
        """The grader package's code, read once per Grader."""
        return code_digest(HERE)

    def given_model(self, spec: ExerciseSpec) -> Path:
        """The model an exercise hands the learner's code (exercises/<id>/<given.model>), built and
        trained once per exercise in the sandbox (no learner code there) and cached."""
        assert spec.given is not None
        path = self.cache_dir / "given" / f"{spec.id}-{self._cache_key(spec)}.keras"
        if path.is_file():
            return path
        data = self.data(spec)
        file = self.course.exercise_dir(spec.id) / spec.given.model
        payload = self._payload(spec) | {
            "given_source": file.read_text(encoding="utf-8"),
            "given_file": f"exercises/{spec.id}/{spec.given.model}",
            "train_epochs": spec.given.train_epochs,
        }
        with tempfile.TemporaryDirectory(prefix="learn-base-") as tmp:
            folder = Path(tmp)
            np.save(folder / "x_train.npy", data.x_train)
            np.save(folder / "y_train.npy", data.y_train)
            run = self.sandbox.run(
                "grader.jobs.inspector:build_given",
                folder,
                payload,
                INSPECT_LIMITS,
                hide=self.hide,
                handback=("out/given.keras",),
            )
            made = folder / "out" / "given.keras"
            if run.status != "ok" or not made.is_file():
                raise ContentError(
                    [
                        f"exercises/{spec.id}/{spec.given.model}: could not build the model the "
                        f"exercise hands over: {run.reason}: {run.output[-1500:]}"
                    ]
                )
            _store(made.read_bytes(), path)
        return path

    def reference(self, spec: ExerciseSpec) -> dict[str, Any]:
        """The reference solution's summary, computed once per content and library versions."""
        source = (self.course.exercise_dir(spec.id) / "reference.py").read_bytes()
        path = self._reference_file(spec, ".json")
        if path.is_file():
            try:
                self._summaries[spec.id] = dict(json.loads(path.read_text()))
                return self._summaries[spec.id]
            except ValueError:
                pass  # a torn cache file is recomputed
        self._summaries.pop(spec.id, None)
        started = time.monotonic()
        ev, run = self.collect(spec, source)
        seconds = time.monotonic() - started
        summary = summarize(spec, ev, self.data(spec), steps(spec, self.secret))
        if summary is None:
            detail = ev.failure or "; ".join(ev.problems) or run.output[-2000:]
            raise ContentError(
                [
                    f"exercises/{spec.id}/reference.py: the reference solution does "
                    f"not grade: {detail}"
                ]
            )
        _store(json.dumps(summary).encode(), path)
        self._summaries[spec.id] = summary
        # Beside the summary, never in it: how long the reference took to grade, which orders a
        # batch longest first (grader/batch.py); the summary stays a function of the content.
        _store(
            json.dumps({"seconds": round(seconds, 3)}).encode(), self._reference_file(spec, ".cost")
        )
        return summary

    def _reference_file(self, spec: ExerciseSpec, suffix: str) -> Path:
        """The reference's summary (.json) or grading time (.cost) in the cache."""
        return self.cache_dir / "reference" / f"{spec.id}-{self._cache_key(spec)}{suffix}"

    def reference_seconds(self, spec: ExerciseSpec) -> float:
        """How long grading the reference took when its summary was computed (0.0: unknown)."""
        path = self._reference_file(spec, ".cost")
        try:
            seconds = json.loads(path.read_text())["seconds"]
        except (OSError, ValueError, KeyError, TypeError):
            return 0.0
        return float(seconds) if isinstance(seconds, int | float) and seconds >= 0 else 0.0

    # -- grading -------------------------------------------------------------------------------
    @_judged
    def grade(self, exercise_id: str, source: bytes) -> GradeResult:
        spec = self.course.exercise(exercise_id)
        if len(source) > MAX_SOURCE_BYTES:
            raise SandboxError(key="grading_submission_too_large", n=MAX_SOURCE_BYTES)
        ref = self.reference(spec)
        started = time.monotonic()
        ev, run = self.collect(spec, source)
        data = self.data(spec)
        ctx = Context(
            self.lang,
            spec,
            label_kind(data.y_train, spec.data.n_classes),
            data.y_test,
            data.y_train,
            ref,
            spec.tolerance,
            spec.data.n_classes,
            expectations(ref, spec),
        )
        verdicts = judge(spec.checks, ev, ctx)
        checks = []
        for c in spec.checks:
            ok, message = verdicts.get(c.id, (False, "not judged"))
            checks.append(
                CheckResult(
                    c.id,
                    c.title.get(self.lang),
                    float(c.points if ok else 0),
                    float(c.points),
                    ok,
                    message,
                )
            )
        output = run.output
        if run.output_truncated:
            output += f"\n[output truncated: {run.output_total_bytes} bytes in all]"
        curve = ev.report.fit.history if ev.report and ev.report.fit else None
        return GradeResult(
            spec.id,
            sum(c.score for c in checks),
            float(spec.max_score),
            checks,
            time.monotonic() - started,
            output,
            content_hash(source),
            curve,
            ref.get("history"),
            ev.problems,
            _code_failure(ev, spec, self.lang),
        )


def probe_seed(secret: bytes) -> int:
    """Where the inspector draws its probes of a loss of the learner's own from (the inspector's
    payload only: the learner's job never sees it)."""
    return int.from_bytes(hashlib.sha256(b"loss-probes\0" + secret).digest()[:4], "big")


def _store(data: bytes, path: Path) -> None:
    """Write a cache file whole or not at all (graders in other threads may write it too)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def _code_failure(ev: Evidence, spec: ExerciseSpec, lang: str) -> str | None:
    """Why the learner's code did not run through (None when every entry point returned)."""
    r = ev.report
    if ev.failure or r is None or r.import_error:
        return call_problem(ev, spec.names[0], lang)
    for name in spec.names:
        info = r.calls.get(name)
        if info is not None and info.error is not None:
            return call_problem(ev, name, lang)
    return None


def _hand_over_fit_calls(report: LearnerReport, out: Path, insp_dir: Path) -> None:
    """The validated record of the fit calls, and their arrays (capped in total), for the
    inspector to run."""
    if not report.fit_calls:
        return
    calls = [c.model_dump(by_alias=True) for c in report.fit_calls]
    budget = MAX_FIT_BYTES
    for i, call in enumerate(calls):
        kept = []
        for name in call["arrays"]:
            arr = _array(out / f"fit_{i}_{name}.npy") if name in FIT_ARRAYS else None
            if arr is None or arr.nbytes > budget:
                call["unsupported"].append(f"array {name}")
                continue
            budget -= arr.nbytes
            np.save(insp_dir / f"fit_{i}_{name}.npy", arr, allow_pickle=False)
            kept.append(name)
        call["arrays"] = kept
    (insp_dir / "fit_calls.json").write_text(json.dumps(calls))


def _adopt_training(ev: Evidence, trains: bool, lang: str) -> None:
    """The training that is judged is the inspector's, never what the learner's process claims:
    the returned model trained there, or the recorded fit calls run there."""
    r, insp = ev.report, ev.inspect
    if r is None:
        return
    if insp is not None and insp.trained:
        r.fit, r.fit_error, r.predict_error = insp.fit, insp.fit_error, insp.predict_error
    if not trains:
        return
    runs = (insp.fit_runs if insp is not None else None) or []
    r.fit = runs[-1].history if runs else None
    unsupported = sorted({u for run in runs for u in run.unsupported})
    failed = [run.error for run in runs if run.error]
    if unsupported:
        shown = [_unsupported(u, lang) for u in unsupported]
        shown_text = one_of(lang, shown, sep="list_comma", last="list_comma")[:500]
        ev.failure = text(lang, "grading_training_could_not_checked_grader", shown=shown_text)
    elif failed:
        ev.failure = text(lang, "grading_model_fit_failed_when_grader", error=failed[0])


# What a recorded fit call uses that the grader does not run (grader/jobs/fitrecord.py writes
# these shapes; any other entry is an argument name and is shown as it is).
_UNSUPPORTED = [
    (re.compile(r"callback (\w+)"), "fit_unsupported_callback"),
    (re.compile(r"ModelCheckpoint file (.+)"), "fit_unsupported_checkpoint_file"),
    (re.compile(r"(\w+) \(not a plain array within the size limit\)"), "fit_unsupported_not_array"),
    (re.compile(r"array (\w+)"), "fit_unsupported_array"),
]


def _unsupported(entry: str, lang: str) -> str:
    for pattern, key in _UNSUPPORTED:
        if m := pattern.fullmatch(entry):
            return text(lang, key, name=m.group(1))
    return entry


def _copy_export(src: Path, dest: Path) -> None:
    """The SavedModel folder of a subclassed model: regular files only, two levels, size-capped."""
    if not src.is_dir() or src.is_symlink():
        return
    total = 0
    for path in sorted(src.glob("*")) + sorted(src.glob("*/*")):
        if path.is_symlink() or not path.is_file():
            continue
        total += path.stat().st_size
        if total > MAX_MODEL_BYTES:
            return
        target = dest / path.relative_to(src)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def _distrust(ev: Evidence, lang: str) -> None:
    """Hardening (hostile suite): the learner process's description of its model never counts: the
    facts come from the inspector. A missing, broken or uncheckable model earns nothing, with the
    reason."""
    r, insp = ev.report, ev.inspect
    if r is None or r.facts is None or (insp is not None and insp.facts is not None):
        return
    err = insp.returned_error if insp else None
    if err is not None and err.kind == "unsafe":
        return  # judged as such: "cannot be loaded safely"
    r.facts = None
    if err is not None and err.kind == "custom":
        export = r.save_errors.get("returned_sm")
        why = text(lang, "not_exported", error=export) if export else load_reason(err, lang)
        ev.failure = text(lang, "grading_own_class_not_checkable", why=why)
        return
    if err is None and r.compile_mismatch:
        ev.failure = _mismatch_message(r.compile_mismatch, lang)
        return
    saving = r.save_errors.get("returned.keras") or text(lang, "grading_no_model_file")
    detail = load_reason(err, lang) if err is not None else saving
    ev.failure = text(lang, "grading_model_not_handed_back", detail=detail)


def _mismatch_message(m: dict[str, str], lang: str) -> str:
    said, uses = m.get("said", ""), m.get("uses", "")
    if m.get("kind") == "optimizer":
        return text(lang, "grading_model_saved_optimizer_differs", said=said, uses=uses)
    if m.get("kind") == "loss":
        return text(lang, "grading_model_saved_loss_differs", said=said, uses=uses)
    return text(lang, "grading_model_compile_unreadable", said=said)


def _array(path: Path) -> np.ndarray | None:
    if not path.is_file() or path.is_symlink() or path.stat().st_size > MAX_MODEL_BYTES:
        return None
    try:
        arr = np.load(path, allow_pickle=False)
    except (ValueError, OSError):
        return None
    return arr if isinstance(arr, np.ndarray) and arr.dtype.kind in "biuf" else None


def reference_model(facts: ModelFacts) -> dict[str, Any]:
    """What the reference's model is, as the inspector read it: the expectations of the model
    checks (nothing about it is typed into the grader)."""
    loss, logits = loss_of(facts.compile)
    optimizer = _name_of((facts.compile or {}).get("optimizer"))[0] or ""
    metrics = metrics_of(facts.compile)
    return {
        "loss": loss,
        "from_logits": logits,
        "units": facts.output_units,
        "activation": facts.output_activation or "linear",
        "optimizer": optimizer,
        "metric": metrics[0] if metrics else None,
    }


def expectations(ref: dict[str, Any], spec: ExerciseSpec) -> dict[str, Any]:
    """The reference's choices, widened where the exercise's YAML says so (`accept:`)."""
    model = ref.get("model")
    if not model:
        return {}
    losses = [model["loss"], *(x for x in spec.accept.loss if x != model["loss"])]
    return {
        "loss": losses,
        "units": model["units"],
        "activations": [model["activation"]],
        "optimizer": model["optimizer"],
        "metric": model["metric"],
    }


def summarize(
    spec: ExerciseSpec, ev: Evidence, data: Split, lr_steps: list[int]
) -> dict[str, Any] | None:
    """What later submissions are compared with (every fact the check kinds read off the
    reference); None when the reference itself fails."""
    r, insp = ev.report, ev.inspect
    if r is None or ev.failure or insp is None:
        return None
    out: dict[str, Any] = {"history": r.fit.history if r.fit else None}
    if ev.pred is not None:
        from grader.checks import accuracy, mae

        kind = label_kind(data.y_train, spec.data.n_classes)
        fn = mae if kind == "continuous" else accuracy
        out["metric"] = fn(ev.pred, data.y_test)
    if spec.entry("model") is not None:
        if ev.facts is None or ev.facts.compile is None:
            return None
        out["model"] = reference_model(ev.facts)
    if insp.metric_truth:
        from grader.facts import meanings

        out["metric_meanings"] = sorted(meanings(insp.metric_values, insp.metric_truth))
    if spec.entry("history") is not None:
        if not insp.fit_runs or insp.val_loss_now is None:
            return None
        out["fit_runs"] = [run.model_dump(by_alias=True) for run in insp.fit_runs]
        out["val_loss_now"] = insp.val_loss_now
    if insp.optimizer is not None:
        out["optimizer"] = insp.optimizer.model_dump(by_alias=True)
    if insp.lr is not None:
        if insp.lr.error:
            return None
        out["lr"] = insp.lr.model_dump(by_alias=True)
        out["lr_steps"] = lr_steps
    values = {}
    for name, arrays in ev.values.items():
        if any(a is None for a in arrays):
            return None
        values[name] = [a.tolist() for a in arrays if a is not None]
    out["values"] = values
    return out

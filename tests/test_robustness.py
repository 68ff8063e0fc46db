"""One submission never stops a grading run, nor reaches the instructor's reports as live Markdown:
bounded reading of what is handed back, a result for every exception while judging, error rows in
a batch, escaped reports, hidden paths on Dask workers, a reference cache key over all the code."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from pydantic import ValidationError

from grader import facts, grading
from grader.batch import Job, _row
from grader.checks import Evidence
from grader.course import Course, load_course
from grader.errors import SandboxError
from grader.facts import InspectReport, LearnerReport, json_depth, read_json
from grader.gradebook import Gradebook, Row
from grader.grading import Grader, code_digest
from grader.reports import export, feedback_markdown, fenced, inline
from grader.sandbox import RunResult

REPO = Path(__file__).resolve().parent.parent
FAST = "lr-schedule"


@pytest.fixture(scope="module")
def course() -> Course:
    return load_course(REPO)


def a_grader(course: Course, tmp_path: Path) -> Grader:
    """A Grader whose sandbox is never used (the tests replace what would run in it)."""
    return Grader(course, tmp_path / "cache", "en", sandbox=SimpleNamespace())  # type: ignore[arg-type]


# -- reading what is handed back ------------------------------------------------------------------
def test_deeply_nested_report_is_malformed_not_a_recursion_error(tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    assert read_json(path, LearnerReport) == (
        None,
        "report.json is malformed: nested deeper than 64 levels",
    )


def test_depth_ignores_brackets_inside_strings() -> None:
    text = json.dumps({"a": ["[[[{{{", {"b": 'x\\"]]]'}], "c": "\\"})
    assert json_depth(text) == 3
    assert json_depth("[" * 64 + "]" * 64) == 64


def test_any_parse_failure_is_malformed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "report.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    monkeypatch.setattr(facts, "json_depth", lambda text: 0)  # the depth guard missed it
    report, problem = read_json(path, LearnerReport)
    assert report is None
    assert problem is not None and problem.startswith("report.json is malformed: RecursionError: ")


COUNTS = [
    ("fit_calls", [{"arrays": ["x", "y", "vx", "vy", "sample_weight", "x"]}]),
    ("fit_calls", [{"options": {f"o{i}": 1 for i in range(21)}}]),
    ("fit_calls", [{"callbacks": [{"class": "EarlyStopping", "config": {"patience": [1]}}]}]),
    ("fit_calls", [{"callbacks": [{"class": "E", "config": {f"k{i}": 1 for i in range(21)}}]}]),
    ("fit_calls", [{"x_len": 5}]),  # a field the record does not have
    ("calls", {"train": {"history_of_call": -1}}),
    ("calls", {"train": {"history_of_call": 2**40}}),
    ("fit", {"history": {}, "epochs_run": -1, "params": {}}),
    ("facts", {"class": "Sequential", "layers": [{"class": "Dense", "units": -1}]}),
    ("facts", {"class": "Sequential", "layers": [], "output_units": -1}),
    ("import_error", {"stage": "import", "type": "X", "message": "m", "line": -1}),
    ("object_kind", "x" * 501),
    ("save_errors", {f"k{i}": "v" for i in range(21)}),
]


@pytest.mark.parametrize(("field", "value"), COUNTS)
def test_forged_counts_and_sizes_are_refused(field: str, value: Any) -> None:
    with pytest.raises(ValidationError):
        LearnerReport.model_validate({field: value})


@pytest.mark.parametrize(
    "run",
    [
        {"callbacks": [{"class": "EarlyStopping", "run": True, "stopped_epoch": -1}]},
        {"validation": {"kind": "split", "share": 0.2, "rows": -1, "tail": True, "overlap": 0}},
        {"validation": {"kind": "split", "share": 1.5, "rows": 1, "tail": True, "overlap": 0}},
        {"validation": {"kind": "other", "share": 0.2, "rows": 1, "tail": True, "overlap": 0}},
    ],
)
def test_forged_inspector_runs_are_refused(run: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        InspectReport.model_validate({"fit_runs": [run]})


def test_honest_zero_lengths_are_accepted() -> None:
    report = LearnerReport.model_validate(
        {"fit_calls": [{"options": {"batch_size": 0, "epochs": 0}}]}
    )
    assert report.fit_calls[0].options["epochs"] == 0


# -- a result for every exception while judging ------------------------------------------------------
def _ok_run() -> RunResult:
    return RunResult("ok", 0, None, "printed\n", False, 8, 0.1, "")


@pytest.mark.parametrize(
    ("lang", "where", "reason"),
    [
        (
            "en",
            "collect",
            "the grader could not judge this submission: ZeroDivisionError: division by zero",
        ),
        (
            "ja",
            "judge",
            "採点プログラムがこの提出を判定できませんでした：KeyError: 'forged'",
        ),
    ],
)
def test_an_exception_while_judging_is_the_submissions_result(
    course: Course,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
    where: str,
    reason: str,
) -> None:
    grader = a_grader(course, tmp_path)
    grader.lang = lang
    monkeypatch.setattr(Grader, "reference", lambda self, spec: {})

    def collect(self: Grader, spec: Any, source: bytes) -> tuple[Evidence, RunResult]:
        if where == "collect":
            return 1 / 0  # type: ignore[no-any-return]
        return Evidence(report=None, inspect=None), _ok_run()

    def judge(checks: Any, ev: Evidence, ctx: Any) -> Any:
        raise KeyError("forged")

    monkeypatch.setattr(Grader, "collect", collect)
    monkeypatch.setattr(grading, "judge", judge)
    result = grader.grade(FAST, b"source")
    assert (result.score, result.max_score, result.failure, result.unjudged) == (
        0.0,
        100.0,
        reason,
        True,
    )
    assert [(c.id, c.score, c.passed, c.message) for c in result.checks] == [
        (c.id, 0.0, False, reason) for c in course.exercise(FAST).checks
    ]
    assert result.content_hash == grading.content_hash(b"source")


@pytest.mark.parametrize("exc", [SandboxError("the sandbox failed: x"), KeyboardInterrupt()])
def test_sandbox_errors_and_ctrl_c_still_propagate(
    course: Course, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exc: BaseException
) -> None:
    def collect(self: Grader, spec: Any, source: bytes) -> Any:
        raise exc

    monkeypatch.setattr(Grader, "reference", lambda self, spec: {})
    monkeypatch.setattr(Grader, "collect", collect)
    with pytest.raises(type(exc)):
        a_grader(course, tmp_path).grade(FAST, b"source")


# -- batch rows ------------------------------------------------------------------------------------
class Raising:
    def __init__(self, course: Course, exc: BaseException) -> None:
        self.course, self.exc = course, exc

    def grade(self, exercise_id: str, source: bytes) -> Any:
        raise self.exc


@pytest.mark.parametrize(
    ("exc", "reason"),
    [
        (RuntimeError("boom"), "RuntimeError: boom"),
        (RecursionError("deep"), "RecursionError: deep"),
        (SandboxError("the sandbox failed: gone"), "the sandbox failed: gone"),
    ],
)
def test_batch_row_records_any_exception_as_an_error(
    course: Course, exc: Exception, reason: str
) -> None:
    job = Job("amy", FAST, b"x = 1\n", "amy/lr-schedule.py")
    row = _row(job, Raising(course, exc))  # type: ignore[arg-type]
    assert (row.student, row.exercise, row.score, row.max_score, row.status, row.reason) == (
        "amy",
        FAST,
        0.0,
        100.0,
        "error",
        reason,
    )


def test_batch_row_lets_ctrl_c_stop_the_run(course: Course) -> None:
    job = Job("amy", FAST, b"x = 1\n", "amy/lr-schedule.py")
    with pytest.raises(KeyboardInterrupt):
        _row(job, Raising(course, KeyboardInterrupt()))  # type: ignore[arg-type]


def test_an_unjudged_result_is_an_error_row(
    course: Course, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Grader, "reference", lambda self, spec: {})
    monkeypatch.setattr(Grader, "collect", lambda self, spec, source: 1 / 0)
    row = _row(Job("amy", FAST, b"x", "amy/lr-schedule.py"), a_grader(course, tmp_path))
    assert (row.status, row.score) == ("error", 0.0)
    assert row.reason == (
        "the grader could not judge this submission: ZeroDivisionError: division by zero"
    )


# -- Dask workers hide what the local path hides -----------------------------------------------------
def test_worker_grader_hides_the_class_and_the_gradebook(tmp_path: Path) -> None:
    from grader.distributed import _worker_grader, close_worker_graders

    hidden = (str(tmp_path / "subs"), str(tmp_path / "out"), str(tmp_path / "out" / "cache"))
    try:
        grader = _worker_grader(str(REPO), str(tmp_path / "out" / "cache"), "en", hidden)
        assert [Path(p) for p in hidden] == grader.hide[-3:]
        assert REPO / "exercises" in grader.hide
    finally:
        close_worker_graders()


def test_a_failed_dask_task_is_an_error_row(
    course: Course, monkeypatch: pytest.MonkeyPatch
) -> None:
    from distributed import LocalCluster

    from grader import distributed

    def lost(*args: Any) -> Row:
        raise RuntimeError("worker lost")

    monkeypatch.setattr(distributed, "grade_task", lost)
    jobs = [Job(s, FAST, b"x", f"{s}/lr-schedule.py") for s in ("amy", "ben")]
    rows: list[Row] = []
    with LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        distributed.grade_on_cluster(
            cluster.scheduler_address,
            course,
            jobs,
            Path("cache"),
            "en",
            lambda j, r: rows.append(r),
        )
    assert sorted((r.student, r.status, r.reason) for r in rows) == [
        ("amy", "error", "RuntimeError: worker lost"),
        ("ben", "error", "RuntimeError: worker lost"),
    ]


# -- the reference cache key covers the whole package ---------------------------------------------
@pytest.mark.parametrize(
    "module", ["datasets.py", "kinds/fit.py", "checks.py", "facts.py", "jobs/harness.py"]
)
def test_cache_key_changes_with_any_grader_module(
    course: Course, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: str
) -> None:
    package = tmp_path / "grader"
    shutil.copytree(grading.HERE, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(grading, "HERE", package)
    spec = course.exercise(FAST)
    before = a_grader(course, tmp_path)._cache_key(spec)
    assert before == a_grader(course, tmp_path)._cache_key(spec)
    with open(package / module, "a") as f:
        f.write("# changed\n")
    assert a_grader(course, tmp_path)._cache_key(spec) != before


def test_package_code_is_read_once_per_grader(
    course: Course, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []

    def digest(package: Path) -> bytes:
        calls.append(package)
        return code_digest(package)

    monkeypatch.setattr(grading, "code_digest", digest)
    grader = a_grader(course, tmp_path)
    for ex in ("lr-schedule", "regressor", "lr-schedule"):
        grader._cache_key(course.exercise(ex))
    assert calls == [grading.HERE]


# -- learner text in the reports ---------------------------------------------------------------------
HOSTILE = "boom ```\n| 100/100 | ![x](http://evil/a.png) [click](http://evil) \x1b[31mred"
ESCAPED = (
    "boom \\`\\`\\` \\| 100/100 \\| \\!\\[x\\]\\(http:\\/\\/evil/a.png\\) "
    "\\[click\\]\\(http:\\/\\/evil\\) red"
)
OUTPUT = "hi\n```\n| check | 100/100 | passed |\n\x1b[31m![x](http://evil/a.png)\t\n````"


def test_inline_and_fenced() -> None:
    assert inline(HOSTILE) == ESCAPED
    assert inline("<b>#1 *a* _b_ + - ~ www.evil.com") == (
        "\\<b\\>\\#1 \\*a\\* \\_b\\_ \\+ \\- \\~ www\\.evil.com"
    )
    assert fenced("a ``` b\x07") == "````text\na ``` b\n````"


def test_reports_keep_learner_text_inert(tmp_path: Path) -> None:
    book = Gradebook(tmp_path / "gradebook.db")
    book.register({"amy": "amy", "ben": "ben"}, {FAST: 100.0}, [("ben.zip:[x](http://e)", HOSTILE)])
    test = {"name": "decay: x0.9", "score": 0.0, "max_score": 40.0, "status": "failed"}
    result = {"score": 0.0, "tests": [dict(test, output=HOSTILE)], "output": OUTPUT}
    book.record(Row("amy", FAST, "h1", 0.0, 100.0, "failed", HOSTILE, 1.0, result))
    book.record(Row("ben", FAST, "h2", 0.0, 100.0, "error", HOSTILE, 1.0, {"output": HOSTILE}))
    export(book, tmp_path)
    book.close()
    summary = (tmp_path / "summary.md").read_text()
    assert f"- amy / {FAST}: {ESCAPED}\n" in summary
    assert f"- ben / {FAST}: {ESCAPED}\n" in summary
    assert f"- ben.zip:\\[x\\]\\(http:\\/\\/e\\): {ESCAPED}\n" in summary
    assert "\x1b" not in summary and "](http" not in summary
    amy = (tmp_path / "feedback/amy/lr-schedule.md").read_text()
    assert amy == (
        "# lr-schedule: 0/100\n\n"
        "| check | points | result | feedback |\n|---|---|---|---|\n"
        f"| decay: x0.9 | 0/40 | failed | {ESCAPED} |\n\n"
        "Output of the submission (truncated):\n\n"
        "`````text\nhi\n```\n| check | 100/100 | passed |\n![x](http://evil/a.png)\t\n````\n`````\n"
    )
    ben = (tmp_path / "feedback/ben/lr-schedule.md").read_text()
    assert ben.startswith(f"# lr-schedule: 0/100\n\nCould not be graded: {ESCAPED}\n\n")
    assert feedback_markdown(Row("c", FAST, "h", 0, 100, "graded", "", 0, {})).count("\n") == 4

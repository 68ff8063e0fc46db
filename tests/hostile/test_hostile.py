"""Hostile submissions: each file under cases/ attacks the grader; the table says what must happen.

A row names the case file, the exercise it is submitted to, the highest score it may get and a
pattern the first failed check's message must match (None: it must get full marks). After each
case the test checks that nothing the case started is still running (no process of the sandbox's
job uid, no descendant of the zygote) and that a correct submission still gets full marks.

Cases submitted to `lr-schedule` run under a short time limit (see FAST_LIMITS) so that the
endless ones cost seconds, not minutes. Placeholders like {{TOKEN}} in a case are filled in here.
Rows that need root (uid drop, private view) are skipped without it. Rows marked xfail(strict)
are known holes: they document what a determined learner can still do.
"""

from __future__ import annotations

import json
import os
import re
import socket
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from grader.course import load_course
from grader.errors import SandboxError
from grader.grading import INSPECT_LIMITS, PRELOAD, Grader, GradeResult
from grader.sandbox import Sandbox, descendants, processes_of_uid
from grader.settings import learn_home

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"
IS_ROOT = os.geteuid() == 0
FAST = "lr-schedule"  # quick to grade; its limits are cut to FAST_LIMITS below
FAST_LIMITS = {"wall_seconds": 10, "cpu_seconds": 10}
REFERENCE = (REPO / "exercises" / FAST / "reference.py").read_bytes()
# Cleanup kills every process of a sandbox's uid: keep clear of the slots other test modules use.
FIRST_SLOT = 2000 + os.getpid() % 500


@dataclass
class Env:
    """What the placeholders of the cases are filled with, and what the checks look at."""

    grader: Grader
    token: str
    subs: dict[str, str] = field(default_factory=dict)
    server: socket.socket | None = None


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    course = load_course(REPO)
    spec = course.exercises[FAST]
    course.exercises[FAST] = spec.model_copy(
        update={"limits": spec.limits.model_copy(update=FAST_LIMITS)}
    )
    cache = tmp_path_factory.mktemp("hostile-cache")
    other = tmp_path_factory.mktemp("other-student") / "lr-schedule.py"
    other.write_bytes(REFERENCE)  # another student's (correct) submission
    sandbox = None
    for slot in range(FIRST_SLOT, FIRST_SLOT + 20):
        candidate = Sandbox(preload=PRELOAD, extra_sys_path=[str(HERE)], slot=slot)
        try:
            candidate.start()
        except SandboxError as exc:
            candidate.close()
            if "in use" not in str(exc):
                raise
            continue
        sandbox = candidate
        break
    assert sandbox is not None, "no free sandbox slot"
    grader = Grader(course, cache, "en", sandbox=sandbox)
    packaged = [Path(p) / "grader" / "_course" for p in sys.path if p]
    course_copy = next((p for p in packaged if p.is_dir()), REPO)
    with socket.create_server(("127.0.0.1", 0)) as server:
        server.setblocking(False)
        token = uuid.uuid4().hex[:12]
        subs = {
            "TOKEN": token,
            "REPO": str(REPO),
            "COURSE": str(course_copy),
            "CACHE": str(cache),
            "HOME": str(learn_home()),
            "OTHER": str(other),
            "PORT": str(server.getsockname()[1]),
        }
        try:
            yield Env(grader, token, subs, server)
        finally:
            grader.close()
            sandbox.close()


def render(name: str, subs: dict[str, str]) -> bytes:
    text = (CASES / name).read_text()
    for key, value in subs.items():
        text = text.replace("{{" + key + "}}", value)
    return text.encode()


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def assert_nothing_left(grader: Grader) -> None:
    sb = grader.sandbox
    if sb.zygote_pid is not None:
        assert descendants(sb.zygote_pid) == [], "a process of the job survived"
    if sb.job_uid is not None:
        assert processes_of_uid(sb.job_uid) == [], "a process of the job's uid survived"


# -- extra checks for some rows ---------------------------------------------------------------------
Check = Callable[[GradeResult, Env, dict[str, Any]], None]


def outside_files_absent(r: GradeResult, env: Env, before: dict[str, Any]) -> None:
    home = Path(env.subs["HOME"])
    for path in [
        Path("/tmp") / f"pwned-{env.token}",
        Path("/var/tmp") / f"pwned-{env.token}",
        Path("/dev/shm") / f"pwned-{env.token}",
        REPO / f"pwned-{env.token}",
        Path("/root") / f"pwned-{env.token}",
        home.parent / f"pwned-{env.token}",
    ]:
        assert not path.exists(), f"{path} was written on the host"


def output_truncated(r: GradeResult, env: Env, before: dict[str, Any]) -> None:
    assert len(r.output.encode()) < 70_000
    assert "output truncated" in r.output and "bytes in all" in r.output
    assert r.execution_time < FAST_LIMITS["wall_seconds"]  # drained, not waited for


def daemon_dead(r: GradeResult, env: Env, before: dict[str, Any]) -> None:
    match = re.search(r"DAEMON-PID=(\d+)", r.output)
    assert match, r.output[:500]
    assert not alive(int(match.group(1))), "the daemon survived"


def zygote_kept(r: GradeResult, env: Env, before: dict[str, Any]) -> None:
    zygote = env.grader.sandbox.zygote_pid
    assert zygote is not None and zygote == before["zygote"] and alive(zygote)


def no_connection(r: GradeResult, env: Env, before: dict[str, Any]) -> None:
    assert env.server is not None
    with pytest.raises(BlockingIOError):
        env.server.accept()


def nothing_read(r: GradeResult, env: Env, before: dict[str, Any]) -> None:
    assert "READ " not in r.output, r.output[:3000]


# round 2: isolation
def handback_refused(r: GradeResult, env: Env, before: dict[str, Any]) -> None:
    """The copy-back said it refused the sparse files and the hard links (its unit tests in
    tests/test_sandbox.py measure the disk they would have cost)."""
    assert "refused: a sparse file" in r.output, r.output[-2000:]
    assert "refused: a hard link (3001 names)" in r.output, r.output[-2000:]
    assert re.search(r"not handed back: \d{4} more", r.output), r.output[-2000:]


def dev_untouched(r: GradeResult, env: Env, before: dict[str, Any]) -> None:
    for folder in ("/dev/shm", "/dev/mqueue"):
        path = Path(folder) / f"pwned-{env.token}"
        assert not path.exists(), f"{path} was written on the host"


@dataclass(frozen=True)
class Row:
    case: str
    exercise: str
    ceiling: float  # the highest score the case may get
    reason: str | None  # pattern in the first failed check's message; None: full marks
    root: bool = False  # the defence needs the root isolation (uid drop, private view)
    check: Check | None = None


def row(
    case: str, exercise: str, ceiling: float, reason: str | None, xfail: str = "", **kw: Any
) -> Any:
    marks = []
    if kw.get("root"):
        marks.append(pytest.mark.skipif(not IS_ROOT, reason="needs root: uid drop, private view"))
    if xfail:
        marks.append(pytest.mark.xfail(strict=True, reason=xfail))
    return pytest.param(
        Row(case, exercise, ceiling, reason, **kw), id=case.removesuffix(".py"), marks=marks
    )


SGD = r"optimizer is sgd"  # an honest SGD submission earns 80: only this check fails
OWN_LOSS_OTHER = r"does not compute sparse_categorical_crossentropy"  # values on the probes
TABLE = [
    # 1. broken files
    row("syntax_error.py", FAST, 0, r"SyntaxError.*line 5"),
    row("missing_module.py", FAST, 0, r"No module named 'keras_turbo_boost'"),
    row("missing_entry.py", FAST, 0, r"define a function named make_optimizer"),
    row("wrong_return.py", FAST, 0, r"must return an optimizer of Keras' own classes, got str"),
    # 2. endless
    row("infinite_loop.py", FAST, 0, r"time limit"),
    row("sleep_forever.py", FAST, 0, r"time limit"),
    # 3. memory
    row("numpy_bomb.py", FAST, 0, r"memory limit"),
    row("dense_bomb.py", "binary-classifier", 0, r"memory limit"),
    # 4. processes and threads
    row("fork_bomb.py", FAST, 0, r"Resource temporarily unavailable|time limit", root=True),
    row("thread_bomb.py", FAST, 0, r"can't start new thread", root=True),
    # 5. the file system
    row("big_file.py", FAST, 0, r"File too large"),
    row("many_files.py", FAST, 0, r"No space left on device", root=True),
    row("write_outside.py", FAST, 0, r"outside writes", root=True, check=outside_files_absent),
    # 6. output
    row("flood_output.py", FAST, 100, None, check=output_truncated),
    # 7. leaving early
    row("os_exit.py", FAST, 0, r"sys\.exit\(\) or os\._exit\(\)"),
    row("sys_exit.py", FAST, 0, r"SystemExit"),
    row("raise_systemexit_import.py", FAST, 0, r"SystemExit"),
    row("keyboard_interrupt.py", FAST, 0, r"KeyboardInterrupt"),
    row("kill_parent.py", FAST, 0, r"PermissionError", root=True, check=zygote_kept),
    # 8. forged results
    row("forged_stdout.py", FAST, 80, SGD),
    row("forged_files.py", FAST, 80, SGD),
    row("forged_inspector_inputs.py", "evaluate-predict", 50, r"swapped"),
    row("forged_report_exit.py", "compile-multiclass", 0, r"could not be checked"),
    row("forged_grader_limit.py", FAST, 0, r"raised GraderLimit: forged by the submission"),
    # 9. monkeypatching
    row("patch_compile_config.py", "compile-multiclass", 80, SGD),
    row("patch_private_config.py", "compile-multiclass", 80, r"optimizer Adam, but it uses SGD"),
    row("patch_grader_modules.py", "compile-multiclass", 80, SGD),
    row("patch_numpy_builtins.py", "compile-multiclass", 80, SGD),
    row("patch_serialize.py", FAST, 80, SGD),
    row("forged_custom_model.py", "compile-multiclass", 80, SGD),
    row("graph_side_effect.py", "binary-classifier", 0, r"operations with side effects: WriteFile"),
    row("forged_fit_report.py", "fit-validation", 0, r"earlier fit call"),
    # 10.-12. isolation
    row(
        "read_secrets.py",
        "binary-classifier",
        0,
        r"nothing readable",
        root=True,
        check=nothing_read,
    ),
    row("network.py", FAST, 0, r"network blocked", root=True, check=no_connection),
    row("privilege.py", FAST, 0, r"refused", root=True, check=zygote_kept),
    row("kill_everyone.py", FAST, 0, r"returned None", root=True, check=zygote_kept),
    # 13. a daemon
    row("daemon.py", FAST, 100, None, check=daemon_dead),
    # 14. malicious model files
    row("unsafe_lambda_save.py", "compile-multiclass", 100, None),
    row("unsafe_config.py", "compile-multiclass", 100, None),
    row("tfsm_gadget.py", "compile-multiclass", 0, r"cannot be loaded safely"),
    # round 2: forged and too-little training
    row("mutate_fit_record.py", "fit-validation", 30, r"epochs 1"),
    row("mutate_read_history.py", "fit-validation", 30, r"epochs 1"),
    row("backup_and_restore.py", "fit-validation", 0, r"uses the callback BackupAndRestore"),
    row("pretrained_lr0.py", "binary-classifier", 80, r"held-out accuracy"),
    row("code_swap.py", "compile-multiclass", 80, SGD),
    row("thread_patch.py", "compile-multiclass", 0, r"still running when it returned"),
    row("stop_by_epochs.py", "fit-validation", 55, r"epochs 1"),
    row("zero_class_weights.py", "fit-validation", 55, r"class_weight"),
    row("staircase_half.py", FAST, 80, r"only agrees at some steps"),
    row("piecewise_lookalike.py", FAST, 80, r"only agrees at some steps"),
    # round 2: isolation
    row("sparse_hardlink_flood.py", FAST, 80, SGD, root=True, check=handback_refused),
    row("mqueue_and_dev.py", FAST, 0, r"contained: ", root=True, check=dev_untouched),
    row("vsock.py", FAST, 0, r"vsock refused: PermissionError"),
    # round 2: robustness
    row("nested_report.py", FAST, 0, r"report\.json is malformed: nested deeper than 64 levels"),
    row("zero_lengths.py", FAST, 0, r"report\.json is malformed.*greater than or equal to 0"),
    # a loss of the learner's own (judged from its traced graph)
    row("own_loss_batch_size.py", "compile-multiclass", 70, OWN_LOSS_OTHER),
    row("own_loss_unnormalised_rows.py", "compile-multiclass", 45, OWN_LOSS_OTHER),
    row("own_loss_write_file.py", "compile-multiclass", 45, r"side effects: WriteFile"),
    row("own_loss_py_function.py", "compile-multiclass", 45, r"side effects: EagerPyFunc"),
    row("own_loss_counter.py", "compile-multiclass", 45, r"keeps state or draws random"),
    row("own_loss_patch_grader.py", "compile-multiclass", 45, r"mse is a regression loss"),
    row("own_loss_forged_graph.py", "compile-multiclass", 45, r"could not be exported"),
    # round 3: callbacks of the learner's own classes, driven on probe curves
    row("own_callback_stand_in_only.py", "fit-validation", 100, None),
    row("own_callback_forges_trace.py", "fit-validation", 45, r"Forger does not behave as"),
    row("own_callback_endless.py", "fit-validation", 45, r"did not finish within 10 seconds"),
]


@pytest.mark.parametrize("case", TABLE)
def test_hostile_submission(env: Env, case: Row) -> None:
    grader = env.grader
    grader.reference(grader.course.exercise(case.exercise))  # not timed with the case
    grader.sandbox.start()
    before = {"zygote": grader.sandbox.zygote_pid}
    started = time.monotonic()
    result = grader.grade(case.exercise, render(case.case, env.subs))
    elapsed = time.monotonic() - started
    summary = [(c.id, c.passed, c.message[:300]) for c in result.checks]
    print(f"{case.case}: {result.score:g}/{result.max_score:g} in {elapsed:.1f} s; {summary}")
    assert result.score <= case.ceiling, (result.score, summary, result.output[-2000:])
    failed = [c for c in result.checks if not c.passed]
    if case.reason is None:
        assert not failed, summary
    else:
        assert failed, summary
        assert re.search(case.reason, failed[0].message, re.IGNORECASE | re.DOTALL), summary
    limits = grader.course.exercise(case.exercise).limits
    assert elapsed < limits.wall_seconds + INSPECT_LIMITS.wall_seconds + 30
    assert_nothing_left(grader)
    if case.check:
        case.check(result, env, before)
    after = grader.grade(FAST, REFERENCE)
    assert after.full_marks, [(c.id, c.message) for c in after.checks]
    assert_nothing_left(grader)


def test_every_case_is_in_the_table_and_states_its_outcome() -> None:
    names = {p.name for p in CASES.glob("*.py")}
    assert names == {param.values[0].case for param in TABLE}
    for name in names:
        assert "Expected" in (CASES / name).read_text().split('"""')[1], name


@pytest.mark.parametrize(
    ("task", "field"),
    [("compile-multiclass", "returned_error")],
)
def test_inspector_runs_no_code_from_a_malicious_model(
    env: Env, tmp_path: Path, task: str, field: str
) -> None:
    """A .keras file whose Lambda would write a file: the inspector refuses it, nothing runs."""
    sandbox = env.grader.sandbox
    maker, folder = tmp_path / "maker", tmp_path / "inspect"
    maker.mkdir()
    folder.mkdir()
    made = sandbox.run("jobs:save_lambda_model", maker, {}, INSPECT_LIMITS, handback=["*.keras"])
    assert made.status == "ok", made
    for name in ("returned.keras", "trained.keras"):
        (folder / name).write_bytes((maker / name).read_bytes())
    np.save(folder / "x_test.npy", np.zeros((4, 16), dtype="float32"))
    payload = {"task": task, "seed": 0, "steps": [0]}
    result = sandbox.run("grader.jobs.inspector:inspect", folder, payload, INSPECT_LIMITS)
    assert result.status == "ok", result
    report = json.loads((folder / "out" / "inspect.json").read_text())
    assert report[field]["kind"] == "unsafe", report
    assert "safe_mode" in report[field]["message"] or "Lambda" in str(report)
    assert not (folder / "LAMBDA-RAN").exists() and not (folder / "out" / "LAMBDA-RAN").exists()
    assert not (folder / "out" / "pred.npy").exists()

"""The sandbox's own words (limits, start failures, a slot in use) in the user's language: each is
a catalogue key and its fields, English where no language is known (logs, gradebook rows)."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader import sandbox as sandbox_mod
from grader.cli import main
from grader.errors import SandboxError
from grader.grading import failure_reason
from grader.sandbox import Limits, RunResult, classify

LIMITS = Limits(wall_seconds=2.5, cpu_seconds=3, memory_mb=512)


def status_of(code: int | None = None, sig: int | None = None) -> int:
    """A wait status as os.waitpid gives it: exited with `code` or killed by `sig`."""
    return (code or 0) << 8 if sig is None else sig


@pytest.mark.parametrize(
    ("wait", "timed_out", "cpu", "en", "ja"),
    [
        (status_of(0), True, 0.0, "time limit of 2.5 s exceeded", "制限時間 2.5 秒を超えました"),
        (
            status_of(sig=signal.SIGXCPU),
            False,
            3.0,
            "CPU time limit of 3 s exceeded",
            "CPU 時間の上限 3 秒を超えました",
        ),
        (
            status_of(sig=signal.SIGABRT),
            False,
            0.1,
            "memory limit of 512 MB exceeded",
            "メモリの上限は 512 MB",
        ),
        (
            status_of(sig=signal.SIGTERM),
            False,
            0.1,
            "killed by signal 15 (SIGTERM)",
            "シグナル 15（SIGTERM）で強制終了されました",
        ),
        (status_of(3), False, 0.1, "exited with code 3", "終了コード 3"),
        (status_of(0), False, 0.1, "exited with code 0", "終了コード 0"),
    ],
)
def test_a_finished_job_s_reason(wait: int, timed_out: bool, cpu: float, en: str, ja: str) -> None:
    reason = classify(wait, timed_out, cpu, LIMITS, "")[3]
    assert reason == en  # English as before: logs, gradebook rows, tests that match it
    assert reason.text("en") == en
    assert reason.text("ja") == ja


def run_result(status: str, reason: str) -> RunResult:
    return RunResult(status, None, None, "", False, 0, 2.5, reason)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_learner_reads_the_limit_in_their_language(lang: str) -> None:
    reason = classify(status_of(0), True, 0.0, LIMITS, "")[3]
    said = failure_reason(run_result("timeout", reason), lang)
    assert said is not None
    assert reason.text(lang) in said
    other = "ja" if lang == "en" else "en"
    assert reason.text(other) not in said


def test_a_plain_reason_is_shown_as_it_is() -> None:
    said = failure_reason(run_result("error", "something else"), "ja")
    assert said is not None and "something else" in said


@pytest.mark.parametrize(
    ("key", "fields", "en", "ja"),
    [
        (
            "sandbox_slots_in_use",
            {"uid": 2000},
            "sandbox uid(s) 2000.. are all in use",
            "サンドボックス用の uid（2000 以降）がすべて使用中です",
        ),
        (
            "sandbox_failed",
            {"error": "fork failed"},
            "the sandbox failed: fork failed",
            "サンドボックスでエラーが発生しました：fork failed",
        ),
    ],
)
def test_sandbox_errors(key: str, fields: dict[str, object], en: str, ja: str) -> None:
    e = SandboxError(key=key, **fields)
    assert str(e) == en
    assert e.text("ja") == ja
    assert e.exit_code == 2


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Error: cannot start the sandbox zygote: [Errno 2] No such file: 'python'\n"),
        (
            "ja",
            "エラー：サンドボックスの親プロセス（zygote）を起動できません：[Errno 2] No such file: 'python'\n",
        ),
    ],
)
def test_a_sandbox_that_cannot_start_at_the_cli(
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
    expected: str,
) -> None:
    def no_python(*args: object, **kw: object) -> None:
        raise FileNotFoundError(2, "No such file", "python")

    monkeypatch.setattr(sandbox_mod.subprocess, "Popen", no_python)
    monkeypatch.setattr(sandbox_mod, "_templates", {})  # no template an earlier test started
    solution = tmp_path / "regressor.py"
    solution.write_text("def build_model(input_dim):\n    return None\n")
    result = runner.invoke(main, ["--lang", lang, "submit", "regressor", str(solution)])
    assert result.stderr == expected
    assert result.exit_code == 2


def test_the_memory_limit_in_japanese_reads_once() -> None:
    reason = classify(status_of(sig=signal.SIGABRT), False, 0.1, LIMITS, "")[3]
    assert failure_reason(run_result("memory", reason), "ja") == (
        "停止しました：メモリ制限を超えました（メモリの上限は 512 MB）。配列や層が大きすぎませんか？"
    )
    assert failure_reason(run_result("memory", reason), "en") == (
        "stopped: memory limit of 512 MB exceeded (an array or layer far too large?)"
    )


def test_a_crash_in_japanese() -> None:
    reason = classify(status_of(3), False, 0.1, LIMITS, "")[3]
    assert failure_reason(run_result("error", reason), "ja") == (
        "プロセスが異常終了しました：終了コード 3"
    )

"""The learner's commands, checked by the exact text a person sees and the exit code."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from grader.cli import main
from grader.course import load_course

REPO = Path(__file__).resolve().parent.parent
# The bundled course's exercises, in course order, as `learn` lists them.
KNOWN = (
    "compile-multiclass, fit-validation, evaluate-predict, fit-validation-data, checkpoint, "
    "early-stop-epoch, binary-classifier, regressor, lr-schedule, compile-onehot, sgd-momentum, "
    "rnn-rmsprop"
)


def items(lesson: str, lang: str = "en") -> list[dict]:
    data = yaml.safe_load((REPO / "quizzes" / lang / f"{lesson}.yaml").read_text(encoding="utf-8"))
    return data["items"]


def right_answer(item: dict) -> list[str]:
    kind = item["type"]
    if kind == "single":
        return [next(c["text"] for c in item["choices"] if c.get("correct"))]
    if kind == "multiple":
        return [",".join(str(n) for n in range(0))] if False else _multi(item)
    if kind == "numeric":
        return [str(item["answer"])]
    if kind == "ordering":
        return list(item["steps"])
    if kind == "truefalse":
        return [str(item["answer"]).lower()]
    return [item["accept"][0]]


def _multi(item: dict) -> list[str]:
    return [c["text"] for c in item["choices"] if c.get("correct")]


def this_checkout() -> dict[str, str]:
    """The environment for a child Python that imports this checkout's grader, wherever it runs."""
    return {**os.environ, "PYTHONPATH": str(REPO)}


def flat(text: str) -> str:
    """The output with its line breaks undone (a path may stand on a line of its own)."""
    return " ".join(text.split())


def learn(runner: CliRunner, *args: str, input: str | None = None):
    return runner.invoke(main, ["--lang", "en", *args], input=input, catch_exceptions=False)


def answer_all(runner: CliRunner, lesson: str) -> None:
    for item in items(lesson):
        if item["type"] in ("multiple", "ordering"):
            continue  # answered below through labels
        result = learn(runner, "answer", item["id"], *right_answer(item), "--json")
        assert json.loads(result.output)["correct"] is True, item["id"]
    quiz = json.loads(learn(runner, "quiz", lesson, "--json").output)
    for view in quiz["items"]:
        item = next(i for i in items(lesson) if i["id"] == view["id"])
        if item["type"] == "multiple":
            labels = [c["label"] for c in view["choices"] if c["text"] in _multi(item)]
        elif item["type"] == "ordering":
            where = {c["text"]: c["label"] for c in view["steps"]}
            labels = [where[s] for s in item["steps"]]
        else:
            continue
        result = learn(runner, "answer", item["id"], *labels, "--json")
        assert json.loads(result.output)["correct"] is True, item["id"]


def test_next_walks_lesson_quiz_exercise_then_lesson_two(runner: CliRunner, tmp_path: Path) -> None:
    first = learn(runner, "next")
    assert first.exit_code == 0
    assert "Lesson done. Continue with: learn next" in first.output
    second = learn(runner, "next", "--no-interactive")
    assert "[1/" in second.output
    assert "Answer with: learn answer training-basics/" in second.output
    answer_all(runner, "training-basics")
    ex = learn(runner, "next")
    starter = tmp_path / "ws" / "compile-multiclass.py"
    assert f"Starter written to {starter}" in flat(ex.output)
    assert "learn submit compile-multiclass" in ex.output
    assert starter.read_text() == (REPO / "exercises/compile-multiclass/starter.py").read_text()
    again = learn(runner, "next")  # a started exercise comes back until it passes or is skipped
    assert f"You started this exercise; your file is {starter}" in flat(again.output)
    assert "(to move on without it: learn next --skip)" in flat(again.output)
    skipped = learn(runner, "next", "--skip").output
    assert skipped.startswith("Skipped compile-multiclass for now")
    assert "fit-validation" in skipped
    # The lesson's other exercises, each skipped in course order, then lesson two.
    for following in ("evaluate-predict", "fit-validation-data", "checkpoint", "early-stop-epoch"):
        assert following in learn(runner, "next", "--skip").output
    lesson2 = learn(runner, "next", "--skip")
    assert "Lesson done." in lesson2.output
    status = json.loads(learn(runner, "status", "--json").output)
    states = {row["unit"]: row["state"] for row in status}
    assert states["lesson:training-basics"] == "done"
    assert states["quiz:training-basics"] == "done"
    assert states["exercise:compile-multiclass"] == "started"
    assert states["lesson:losses-optimizers"] == "done"
    assert states["quiz:losses-optimizers"] == "new"


def test_interactive_quiz_gives_feedback_and_a_score(runner: CliRunner) -> None:
    learn(runner, "next")
    quiz = items("training-basics")
    answers = []
    for item in quiz:
        if item["type"] in ("single", "numeric", "truefalse", "short"):
            answers.append(
                " ".join(right_answer(item)) if item["type"] != "single" else right_answer(item)[0]
            )
        else:
            answers.append("Z")  # invalid first: the prompt repeats, then a wrong-but-valid answer
            answers.append(" ".join("ABCDEFGH"[: len(item.get("choices") or item["steps"])]))
    result = runner.invoke(
        main, ["--lang", "en", "next", "--interactive"], input="\n".join(answers) + "\n"
    )
    assert result.exit_code == 0, result.output
    assert "Correct!" in result.output
    assert "Error: 'Z' is not one of the choices" in result.output
    assert "Quiz finished. Continue with: learn next" in result.output
    assert "Score: " in result.output


def test_answer_by_label_and_text(runner: CliRunner) -> None:
    result = learn(runner, "answer", "training-basics/validation-split", "20%", "--json")
    data = json.loads(result.output)
    assert data["item"] == "training-basics/validation-split"
    assert data["correct"] is True
    assert data["explanation"]
    quiz = json.loads(learn(runner, "quiz", "training-basics", "--json").output)
    view = next(v for v in quiz["items"] if v["id"] == "training-basics/validation-split")
    wrong = next(c["label"] for c in view["choices"] if c["text"] == "80%")
    again = json.loads(learn(runner, "answer", view["id"], wrong, "--json").output)
    assert again["correct"] is False


def test_quiz_json_has_no_answer_key(runner: CliRunner) -> None:
    text = learn(runner, "quiz", "losses-optimizers", "--json").output
    data = json.loads(text)
    assert len(data["items"]) >= 10
    assert '"correct"' not in text and '"accept"' not in text and '"answer"' not in text


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (
            ["answer", "training-basics/validation-split", "E"],
            "Error: 'E' is not one of the choices A-D\n",
            2,
        ),
        (
            ["answer", "training-basics/batches-per-epoch", "lots"],
            "Error: 'lots' is not a number\n",
            2,
        ),
        (
            ["answer", "training-basics/nope", "A"],
            "Error: unknown quiz item 'training-basics/nope'\n",
            2,
        ),
        (
            ["lesson", "nope"],
            "Error: unknown unit 'lesson:nope'; see `learn status` for the unit ids\n",
            2,
        ),
        (
            ["reset", "nope", "--yes"],
            "Error: unknown unit 'nope'; see `learn status` for the unit ids\n",
            2,
        ),
        (
            ["start", "nope"],
            f"Error: unknown exercise 'nope' (known: {KNOWN})\n",
            2,
        ),
    ],
)
def test_bad_input_is_one_clear_message_and_stores_nothing(
    runner: CliRunner, args: list[str], message: str, code: int, learn_env: Path
) -> None:
    result = runner.invoke(main, ["--lang", "en", *args])
    assert result.output == message
    assert result.exit_code == code
    status = json.loads(learn(runner, "status", "--json").output)
    assert all(row["state"] == "new" for row in status)


def test_resume_after_restart_and_reset(runner: CliRunner) -> None:
    learn(runner, "next")
    learn(runner, "answer", "training-basics/validation-split", "20%")
    fresh = CliRunner()  # a new process would open the same database
    out = learn(fresh, "next", "--no-interactive").output
    assert "training-basics/validation-split" not in out.split("Answer with")[1]
    declined = fresh.invoke(main, ["--lang", "en", "reset", "training-basics"], input="n\n")
    assert declined.exit_code == 1
    assert "Forget progress for training-basics? [y/N]" in declined.output
    done = fresh.invoke(main, ["--lang", "en", "reset", "training-basics"], input="y\n")
    assert done.output.endswith("Progress reset: lesson:training-basics, quiz:training-basics\n")
    assert "Lesson done." in learn(fresh, "next").output


def test_both_languages(runner: CliRunner) -> None:
    ja = runner.invoke(main, ["--lang", "ja", "next"])
    assert "レッスン完了です。次へ進むには：learn next" in ja.output
    ja_quiz = runner.invoke(main, ["--lang", "ja", "next", "--no-interactive"]).output
    assert "解答するには：learn answer training-basics/" in ja_quiz
    en_quiz = learn(runner, "next", "--no-interactive").output
    assert "Answer with: learn answer training-basics/" in en_quiz
    verdict = runner.invoke(
        main, ["--lang", "ja", "answer", "training-basics/validation-split", "20%"]
    ).output
    assert verdict.startswith("正解です！")


def test_lang_from_environment(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    assert "レッスン完了です。" in runner.invoke(main, ["next"]).output


def test_start_never_overwrites_edits(runner: CliRunner, tmp_path: Path) -> None:
    learn(runner, "start", "regressor")
    target = tmp_path / "ws" / "regressor.py"
    target.write_text("# my work\n")
    kept = learn(runner, "start", "regressor")
    assert "already exists and was kept (use --force to overwrite)" in kept.output
    assert target.read_text() == "# my work\n"
    learn(runner, "start", "regressor", "--force")
    assert target.read_text() != "# my work\n"


def test_hints_revealed_one_at_a_time(runner: CliRunner) -> None:
    hints = load_course(REPO).exercises["binary-classifier"].hints.en
    assert len(hints) >= 2
    first = learn(runner, "hint", "binary-classifier").output
    assert first.startswith("1. ") and "2. " not in first
    second = learn(runner, "hint", "binary-classifier").output
    assert "2. " in second
    for _ in range(len(hints) - 1):
        last = learn(runner, "hint", "binary-classifier").output
    assert f"{len(hints)}. " in last and last.endswith("No more hints.\n")


def test_corrupted_progress_database(runner: CliRunner, learn_env: Path) -> None:
    db = learn_env / "progress" / "keras-training.db"
    db.parent.mkdir(parents=True)
    db.write_bytes(b"this is not sqlite" * 100)
    result = runner.invoke(main, ["--lang", "en", "status"])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {db}: the progress database cannot be read")
    assert db.read_bytes() == b"this is not sqlite" * 100  # left untouched


def test_locked_progress_database(runner: CliRunner, learn_env: Path) -> None:
    learn(runner, "status")
    db = learn_env / "progress" / "keras-training.db"
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        result = runner.invoke(
            main, ["--lang", "en", "answer", "training-basics/validation-split", "20%"]
        )
    finally:
        other.execute("ROLLBACK")
    assert result.exit_code == 1
    assert "is locked by another process" in result.output


@pytest.mark.parametrize(
    "command",
    [
        ["next"],
        ["status"],
        ["quiz", "training-basics", "--json"],
        ["review", "--json"],
        ["review"],
        ["stats", "--json"],
    ],
)
def test_non_grading_commands_do_not_import_tensorflow(command: list[str], tmp_path: Path) -> None:
    code = (
        "import sys\nfrom grader.cli import main\n"
        "try:\n    main(['--lang', 'en', *sys.argv[1:]])\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in ('tensorflow', 'keras', 'numpy') if m in sys.modules)\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, *command],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
        env=this_checkout(),
    ).stdout
    assert out.strip().endswith("HEAVY []")


def test_status_table_shows_due_reviews(runner: CliRunner) -> None:
    out = runner.invoke(main, ["--lang", "en", "status"], env={"COLUMNS": "160"}).output
    assert "lesson:training-basics" in out
    assert out.endswith("Review items due now: 0 (learn review)\n")


@pytest.mark.parametrize("value", ["C.UTF-8", "C", "POSIX"])
def test_neutral_locale_means_the_course_default(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("LANG", value)
    assert "レッスン完了です。" in runner.invoke(main, ["next"]).output


def test_lang_after_the_subcommand(runner: CliRunner) -> None:
    result = runner.invoke(main, ["next", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert result.output.endswith("Lesson done. Continue with: learn next\n")
    ja = runner.invoke(main, ["status", "--json", "--lang", "ja"]).output
    assert json.loads(ja)[0]["title"].startswith("訓練の基本")


def test_instructions_are_rendered_markdown(runner: CliRunner) -> None:
    out = runner.invoke(main, ["start", "fit-validation", "--lang", "ja"]).output
    assert "`" not in out.split("スターター")[0]
    assert "\n- " not in out
    assert " • batch_size 32、最大 50 エポック\n" in out


def test_long_lesson_is_paged_and_done_only_at_its_end(runner: CliRunner) -> None:
    stopped = runner.invoke(main, ["--lang", "en", "next", "--pager"], input="\nq\n")
    assert stopped.exit_code == 0
    assert "-- Enter: next section (2/" in stopped.output
    assert stopped.output.endswith(
        "Stopped before the end: the lesson is not marked done. Continue with: learn next\n"
    )
    status = json.loads(learn(runner, "status", "--json").output)
    assert status[0]["state"] == "new"
    whole = runner.invoke(main, ["--lang", "en", "next", "--pager"], input="\n" * 40)
    assert whole.output.endswith("Lesson done. Continue with: learn next\n")
    assert json.loads(learn(runner, "status", "--json").output)[0]["state"] == "done"
    piped = learn(runner, "lesson", "training-basics")
    assert "-- Enter" not in piped.output


def test_workspace_is_remembered_not_taken_from_the_current_folder(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LEARN_WORKSPACE")
    first = tmp_path / "first"
    first.mkdir()
    monkeypatch.chdir(first)
    learn(runner, "start", "regressor")
    (first / "learn-workspace" / "regressor.py").unlink()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    again = learn(runner, "start", "regressor")  # the starter comes back where it was
    assert f"Starter written to {first / 'learn-workspace' / 'regressor.py'}" in flat(again.output)
    missing = learn(runner, "submit", "binary-classifier")
    where = first / "learn-workspace" / "binary-classifier.py"
    assert missing.output == (
        f"Error: {where}: no such file (run `learn start` first, or name the file)\n"
    )
    assert missing.exit_code == 2


def test_wrong_answer_names_the_right_one_and_labels_each_note(runner: CliRunner) -> None:
    quiz = json.loads(learn(runner, "quiz", "training-basics", "--json").output)
    multi = next(v for v in quiz["items"] if v["type"] == "multiple")
    item = next(i for i in items("training-basics") if i["id"] == multi["id"])
    right = [c["label"] for c in multi["choices"] if c["text"] in _multi(item)]
    out = runner.invoke(main, ["--lang", "en", "answer", multi["id"], right[0]]).output
    assert out.startswith(f"Not quite.\nCorrect answer: {' '.join(right)}\n")
    for label in right[1:]:
        assert f"{label}) should also have been chosen: " in flat(out)
    assert "chosen: Correct" not in flat(out)
    ja = runner.invoke(main, ["--lang", "ja", "answer", multi["id"], right[0]]).output
    assert ja.startswith(f"不正解です。\n正解：{' '.join(right)}\n")
    assert f"{right[-1]}）も選ぶべきでした：" in flat(ja)
    assert "でした：正解です" not in flat(ja)


def test_resumed_quiz_shows_the_whole_quizs_score(runner: CliRunner) -> None:
    learn(runner, "next")
    learn(runner, "answer", "training-basics/validation-split", "20%")
    rest = [i for i in items("training-basics") if i["id"] != "training-basics/validation-split"]
    answers = ["A" if i["type"] in ("single", "multiple") else "" for i in rest]
    answers = [
        a or {"numeric": "1", "truefalse": "true", "short": "x"}.get(i["type"], "A B C D")
        for a, i in zip(answers, rest, strict=True)
    ]
    result = runner.invoke(
        main, ["--lang", "en", "next", "--interactive"], input="\n".join(answers) + "\n"
    )
    assert result.exit_code == 0, result.output
    right, total = _score(result.output)
    assert total == len(items("training-basics"))
    assert right >= 1  # the answer given before the session counts


def _score(output: str) -> tuple[int, int]:
    score = [line for line in output.splitlines() if line.startswith("Score: ")][-1]
    right, total = score.removeprefix("Score: ").split("/")
    return int(right), int(total)


def test_review_reshuffles_the_choices_each_time(runner: CliRunner) -> None:
    from grader.learner import Session

    session = Session.open(None, "en", None)
    item_id = "training-basics/validation-split"
    orders = []
    for _ in range(4):
        orders.append(session.shown_item(item_id, review=True).options)
        session.answer(item_id, ["20%"])
    assert all(a != b for a, b in zip(orders, orders[1:], strict=False))
    assert session.shown_item(item_id).options == session.shown_item(item_id).options


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["submit", "nope"], "Error: unknown exercise 'nope' (known: compile-multiclass, "),
        (["submit", "regressor", "missing.py"], "Error: {cwd}/missing.py: no such file"),
        (["submit", "regressor", "."], "Error: {cwd}: is a directory, not a Python file"),
    ],
)
def test_submit_checks_arguments_before_tensorflow(
    args: list[str], message: str, tmp_path: Path
) -> None:
    code = (
        "import sys\nfrom grader.cli import main\n"
        "try:\n    main(['--lang', 'en', *sys.argv[1:]])\nexcept SystemExit as e:\n"
        "    print('EXIT', e.code)\n"
        "print('HEAVY', sorted(m for m in ('tensorflow', 'keras') if m in sys.modules))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=this_checkout(),
    )
    assert run.stderr.startswith(message.format(cwd=tmp_path)), run.stderr
    assert run.stdout == "EXIT 2\nHEAVY []\n"


def test_sandbox_file_name_becomes_the_learners_path(tmp_path: Path) -> None:
    from grader.grading import CheckResult, GradeResult
    from grader.learner import name_file

    result = GradeResult(
        "regressor",
        0,
        10,
        [CheckResult("runs", "runs", 0, 10, False, "SyntaxError: bad (submission.py, line 1)")],
        0.0,
        'File "submission.py", line 1',
        "h",
    )
    mine = tmp_path / "my.py"
    named = name_file(result, mine)
    assert named.checks[0].message == f"SyntaxError: bad ({mine}, line 1)"
    assert named.output == f'File "{mine}", line 1'


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        ("home-is-a-file", ["status"], "Error: {home}: LEARN_HOME is a file, not a folder\n"),
        (
            "workspace-unwritable",
            ["start", "regressor", "--workspace", "{tmp}/ro/ws"],
            "Error: {tmp}/ro/ws: cannot write the exercise file there (Permission denied); "
            "choose another folder with --workspace\n",
        ),
        (
            "workspace-impossible",
            ["start", "regressor", "--workspace", "{tmp}/file/ws"],
            "Error: {tmp}/file/ws: cannot write the exercise file there (Not a directory); "
            "choose another folder with --workspace\n",
        ),
        (
            "cwd-read-only",
            ["start", "regressor"],
            "Error: {tmp}/ro/learn-workspace: cannot write the exercise file there "
            "(Permission denied); choose another folder with --workspace\n",
        ),
        (
            "cwd-deleted",
            ["status"],
            "Error: the current folder cannot be used (No such file or directory)\n",
        ),
        (
            "home-under-a-file",
            ["next"],
            "Error: {tmp}/file/home/progress: cannot create the folder (Not a directory)\n",
        ),
        (
            "home-is-a-file",
            ["status", "--lang", "ja"],
            "エラー：{home}：LEARN_HOME がフォルダではなくファイルです\n",
        ),
        (
            "workspace-impossible",
            ["start", "regressor", "--workspace", "{tmp}/file/ws", "--lang", "ja"],
            "エラー：{tmp}/file/ws：ここには演習ファイルを書き込めません（Not a directory）。"
            "--workspace で別のフォルダを指定してください\n",
        ),
    ],
    ids=lambda v: v if isinstance(v, str) and "Error" not in v and "エラー" not in v else None,
)
def test_file_system_refusals_are_located_errors(
    runner: CliRunner,
    learn_env: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    setup: str,
    args: list[str],
    message: str,
) -> None:
    if setup == "home-is-a-file":
        learn_env.write_text("not a folder")
    if setup == "home-under-a-file":
        monkeypatch.setenv("LEARN_HOME", str(tmp_path / "file" / "home"))
    (tmp_path / "ro").mkdir()
    (tmp_path / "file").write_text("")
    if setup.startswith("cwd-"):
        monkeypatch.delenv("LEARN_WORKSPACE")
        monkeypatch.chdir(tmp_path / "ro")
    if setup == "cwd-deleted":
        (tmp_path / "ro").rmdir()
        (tmp_path / "ro").mkdir()  # the folder stays, the current directory is gone
    os.chmod(tmp_path / "ro", 0o500)
    args = [a.format(tmp=tmp_path) for a in args]
    try:
        result = runner.invoke(main, ["--lang", "en", *args])
    finally:
        os.chmod(tmp_path / "ro", 0o700)
    if setup in ("workspace-unwritable", "cwd-read-only") and os.getuid() == 0:
        pytest.skip("root may write anywhere")
    assert result.output == message.format(home=learn_env, tmp=tmp_path)
    assert result.exit_code != 0
    assert not isinstance(result.exception, OSError)


def test_cached_course_is_read_without_pydantic_or_yaml(tmp_path: Path, course_copy: Path) -> None:
    code = (
        "import sys\nfrom grader.cli import main\n"
        "try:\n    main(['--lang', 'en', 'lesson', 'training-basics'])\nexcept SystemExit:\n"
        "    pass\n"
        "print('LOADED', sorted(m for m in ('pydantic', 'yaml', 'fsrs') if m in sys.modules))\n"
    )
    # a copy of the course: the bundled one may have its cache installed with the package
    env = {
        **this_checkout(),
        "LEARN_HOME": str(tmp_path / "home"),
        "LEARN_COURSE": str(course_copy),
    }
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
        ).stdout.splitlines()[-1]
        for _ in range(2)
    ]
    assert runs == ["LOADED ['pydantic', 'yaml']", "LOADED []"]


def test_course_cache_follows_the_files(runner: CliRunner, course_copy: Path) -> None:
    args = ["--course", str(course_copy), "--lang", "en", "quiz", "training-basics", "--json"]
    assert json.loads(runner.invoke(main, args).output)["items"]
    quiz = course_copy / "quizzes" / "en" / "training-basics.yaml"
    quiz.write_text(quiz.read_text().replace("schema: 1", "schema: 1\nbogus: 2", 1))
    broken = runner.invoke(main, args)
    assert broken.exit_code == 1
    assert broken.output.startswith("Error: quizzes/en/training-basics.yaml:")
    assert "bogus" in broken.output


def test_next_writes_a_missing_starter_of_a_started_exercise(
    runner: CliRunner, tmp_path: Path
) -> None:
    learn(runner, "next")
    answer_all(runner, "training-basics")
    learn(runner, "next")
    starter = tmp_path / "ws" / "compile-multiclass.py"
    starter.unlink()
    again = learn(runner, "next")
    assert f"Starter written to {starter}" in flat(again.output)
    assert starter.is_file()
    kept = learn(runner, "next")
    assert f"You started this exercise; your file is {starter}" in flat(kept.output)


def test_a_current_folder_nobody_may_write_is_a_located_error(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As the read-only case above, also as root: /sys refuses a new folder to everyone."""
    if not Path("/sys").is_dir():
        pytest.skip("no /sys here")
    try:
        os.mkdir("/sys/learn-workspace")
    except OSError as e:
        reason = e.strerror
    else:  # pragma: no cover (a system whose /sys takes new folders)
        os.rmdir("/sys/learn-workspace")
        pytest.skip("/sys is writable here")
    monkeypatch.delenv("LEARN_WORKSPACE")
    monkeypatch.chdir("/sys")
    result = runner.invoke(main, ["--lang", "en", "start", "regressor"])
    assert result.output == (
        f"Error: /sys/learn-workspace: cannot write the exercise file there ({reason}); "
        "choose another folder with --workspace\n"
    )
    assert result.exit_code == 2


def test_a_closed_pipe_ends_the_command_quietly(tmp_path: Path) -> None:
    """`learn status --json | head -3`: the reader has gone before anything is written."""
    read, write = os.pipe()
    os.close(read)  # no reader at all: the first write fails with EPIPE
    try:
        run = subprocess.run(
            [sys.executable, "-m", "grader", "--lang", "ja", "status", "--json"],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            env=dict(this_checkout(), LEARN_HOME=str(tmp_path / "home")),
        )
    finally:
        os.close(write)
    assert (run.returncode, run.stderr) == (1, "")

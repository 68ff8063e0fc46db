"""The status table, `learn stats` and the grade table in the learner's language, exactly."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader import render
from grader import stats as stats_mod
from grader.catalog import Unit
from grader.cli import main
from grader.grading import CheckResult, GradeResult
from grader.learner import UnitStatus

GOLDEN = Path(__file__).resolve().parent / "golden" / "ui"
LANGS = ["en", "ja"]


def rendered(draw) -> str:  # type: ignore[no-untyped-def]
    buffer = io.StringIO()
    draw(render.console(width=80, file=buffer, color_system=None))
    return buffer.getvalue()


def status(lang: str) -> str:
    rows = [
        UnitStatus(Unit("lesson", "basics"), "Basics", "done", ""),
        UnitStatus(Unit("quiz", "basics"), "Basics", "started", "3/5 answered, 2 right"),
        UnitStatus(Unit("exercise", "regressor"), "Regressor", "new", ""),
        # Japanese titles and details fold between phrases, never after a number or a Latin word
        UnitStatus(
            Unit("quiz", "training-basics"),
            "訓練の基本：compile・fit・evaluate・predict",
            "started",
            "19 問中 3 問解答、2 問正解",
        ),
        UnitStatus(
            Unit("exercise", "early-stop-epoch"),
            "EarlyStopping が止まるエポックを求める",
            "new",
            "",
        ),
    ]
    return rendered(lambda out: render.status_table(out, rows, "Course", lang))


def grade(lang: str) -> str:
    result = GradeResult(
        "regressor",
        5,
        10,
        [
            CheckResult("loss", "loss", 5, 5, True, "mse"),
            CheckResult("metric", "metric", 0, 5, False, "add mae"),
            CheckResult(  # a word wider than its share of the line folds, nothing is cut
                "loss",
                "整数ラベルに合った損失関数",
                0,
                30,
                False,
                "自作の損失関数 my_loss は sparse_categorical_crossentropy を計算していません。"
                "sparse_categorical_crossentropy を使ってください",
            ),
        ],
        0.0,
        "",
        "h",
        {"loss": [1.0, 0.5], "val_loss": [1.2, 0.7]},
        {"loss": [1.0, 0.4], "val_loss": [1.1, 0.6]},
    )
    return rendered(lambda out: render.grade_result(out, result, lang))


def stats(lang: str) -> str:
    data = {
        "answers": 4,
        "correct": 3,
        "accuracy": 0.75,
        "lessons": [{"lesson": "basics", "answers": 4, "correct": 3, "accuracy": 0.75}],
        "tags": [{"tag": "fit", "title": "fit", "answers": 4, "correct": 3, "accuracy": 0.75}],
        "days": [{"date": "2026-01-01", "accuracy": 0.5}, {"date": "2026-01-02", "accuracy": 1.0}],
        "exercises": [{"exercise": "regressor", "attempts": 2, "best": 5.0, "max_score": 10.0}],
        "notes": [],
    }
    return rendered(lambda out: stats_mod.render(out, data, lang))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("view", [status, grade, stats], ids=lambda f: f.__name__)
def test_golden(view, lang: str) -> None:  # type: ignore[no-untyped-def]
    path = GOLDEN / f"{view.__name__}.{lang}.txt"
    assert view(lang) == path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("lang", "heading", "state"),
    [
        ("en", "┃ unit ", "│ new "),
        ("ja", "┃ ユニット ", "│ 未着手 "),
    ],
)
def test_learn_status_in_the_learners_language(
    runner: CliRunner, lang: str, heading: str, state: str
) -> None:
    result = runner.invoke(main, ["status", "--lang", lang])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[2].startswith(heading)
    assert all(state in line for line in lines[4:-2] if line.startswith("│ ") and ":" in line)
    assert (
        lines[-1]
        == {
            "en": "Review items due now: 0 (learn review)",
            "ja": "いま復習する問題：0 件（learn review）",
        }[lang]
    )


@pytest.mark.parametrize(
    ("args", "lines"),
    [
        (
            ["--lang", "en", "--help"],
            [
                "  A terminal course on training Keras models.",
                "  stats     Your accuracy per lesson, tag and day, and your exercise attempts.",
            ],
        ),
        (
            ["--lang", "ja", "--help"],
            [
                "  Keras のモデル訓練を学ぶターミナルのコースです。",
                "  hint      演習のヒントを 1 つずつ表示します。",
            ],
        ),
        (
            ["next", "--lang", "ja", "--help"],
            [
                "  前回の続きから進みます：次のレッスン、クイズ、演習。",
                "  --skip                          開始した演習を後回しにして先へ進む。",
                "  --help                          このヘルプを表示して終了します。",
            ],
        ),
        (
            ["--lang", "en", "reset", "--help"],
            [
                "  Forget progress for one unit (or the whole course).",
                "  -y, --yes         Do not ask for confirmation.",
            ],
        ),
    ],
    ids=["en", "ja", "ja-after-command", "en-command"],
)
def test_help_in_the_learners_language(
    runner: CliRunner, args: list[str], lines: list[str]
) -> None:
    result = runner.invoke(main, args)
    assert result.exit_code == 0
    shown = result.output.splitlines()
    assert [line for line in lines if line not in shown] == []


@pytest.mark.parametrize(
    ("config", "args", "expected"),
    [
        (
            "bogus: 1\n",
            ["status"],
            "エラー：{home}/config.yaml:1：bogus：Extra inputs are not permitted\n",
        ),
        (
            "bogus: 1\n",
            ["status", "--lang", "en"],
            "Error: {home}/config.yaml:1: bogus: Extra inputs are not permitted\n",
        ),
        (
            "lang: fr\n",
            ["status"],
            "エラー：言語 'fr' はありません。次から選んでください：en, ja\n",
        ),
        ("lang: fr\n", ["status", "--lang", "en"], None),  # the option wins over the file
    ],
    ids=["unknown-key-ja", "unknown-key-en", "unknown-lang", "option-wins"],
)
def test_a_bad_config_file_is_a_usage_error(
    runner: CliRunner, learn_env: Path, config: str, args: list[str], expected: str | None
) -> None:
    learn_env.mkdir()
    (learn_env / "config.yaml").write_text(config, encoding="utf-8")
    result = runner.invoke(main, args)
    if expected is None:
        assert result.exit_code == 0
    else:
        assert (result.output, result.exit_code) == (expected.format(home=learn_env), 2)

"""`learn --help`, `learn CMD --help` and click's usage errors in the learner's language: golden
renderings at 80 and 60 columns (tests/golden/help/), display widths and kinsoku, exact errors."""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.cells import cell_len

from grader.cli import main
from grader.wrap import NO_START

GOLDEN = Path(__file__).resolve().parent / "golden" / "help"
WIDTHS = (80, 60)
HELPS = {"main": [], "next": ["next"], "submit": ["submit"], "answer": ["answer"]}


def rendering(lang: str, command: str, width: int) -> str:
    """The help as a terminal of `width` columns shows it. Not through CliRunner, which fixes
    click's width at 80: COLUMNS is read as in a real terminal (shutil.get_terminal_size)."""
    args = ["--lang", lang, *HELPS[command], "--help"]
    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = str(width)
    try:
        with contextlib.redirect_stdout(io.StringIO()) as out:
            main.main(args, prog_name="learn", standalone_mode=False)
    finally:
        if old is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = old
    return out.getvalue()


CASES = [(lang, cmd, w) for lang in ("en", "ja") for cmd in HELPS for w in WIDTHS]


@pytest.mark.parametrize(("lang", "command", "width"), CASES, ids=lambda v: str(v))
def test_golden(lang: str, command: str, width: int) -> None:
    path = GOLDEN / f"{command}.{lang}.{width}.txt"
    assert rendering(lang, command, width) == path.read_text(encoding="utf-8")


@pytest.mark.parametrize(("lang", "command", "width"), CASES, ids=lambda v: str(v))
def test_lines_fit_and_obey_kinsoku(lang: str, command: str, width: int) -> None:
    lines = rendering(lang, command, width).splitlines()
    # click leaves two columns free; an option name wider than its column has its own line
    assert [line for line in lines if cell_len(line) > width - 2] == []
    assert [line for line in lines if line.strip() and line.strip()[0] in NO_START] == []


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["Usage: learn", "Options:", "Commands:", "Show this message and exit."]),
        ("ja", ["使い方：learn", "オプション：", "コマンド：", "このヘルプを表示して終了します。"]),
    ],
)
def test_clicks_own_words(lang: str, words: list[str]) -> None:
    out = rendering(lang, "main", 80)
    assert [w for w in words if w not in out] == []
    if lang == "ja":
        assert [w for w in ("Usage:", "Options:", "Commands:", "Show this") if w in out] == []


@pytest.mark.parametrize(
    ("args", "usage", "help_", "error"),
    [
        (
            ["--lang", "ja", "next", "--bogus"],
            "使い方：learn next [OPTIONS]",
            "ヘルプは「learn next --help」で表示できます。",
            "エラー：'--bogus' というオプションはありません。'--course' のことですか？",
        ),
        (
            ["--lang", "en", "next", "--bogus"],
            "Usage: learn next [OPTIONS]",
            "Try 'learn next --help' for help.",
            "Error: No such option '--bogus'. Did you mean '--course'?",
        ),
        (
            ["next", "--lang", "en", "--bogus"],  # --lang after the error's command, before it
            "Usage: learn next [OPTIONS]",
            "Try 'learn next --help' for help.",
            "Error: No such option '--bogus'. Did you mean '--course'?",
        ),
        (
            ["--lang", "ja", "--bogus"],
            "使い方：learn [OPTIONS] COMMAND [ARGS]...",
            "ヘルプは「learn --help」で表示できます。",
            "エラー：'--bogus' というオプションはありません。'--course' のことですか？",
        ),
        (
            ["--lang", "ja", "submit"],
            "使い方：learn submit [OPTIONS] EXERCISE_ID [FILE]",
            "ヘルプは「learn submit --help」で表示できます。",
            "エラー：引数 'EXERCISE_ID' が指定されていません。",
        ),
        (
            ["--lang", "en", "submit"],
            "Usage: learn submit [OPTIONS] EXERCISE_ID [FILE]",
            "Try 'learn submit --help' for help.",
            "Error: Missing argument 'EXERCISE_ID'.",
        ),
        (
            ["--lang", "ja", "nxt"],
            "使い方：learn [OPTIONS] COMMAND [ARGS]...",
            "ヘルプは「learn --help」で表示できます。",
            "エラー：'nxt' というコマンドはありません。'next' のことですか？",
        ),
        (
            ["--lang", "ja", "next", "extra"],
            "使い方：learn next [OPTIONS]",
            "ヘルプは「learn next --help」で表示できます。",
            "エラー：余分な引数があります（extra）。",
        ),
        (
            ["--lang", "ja", "next", "--lang", "xx"],
            "使い方：learn next [OPTIONS]",
            "ヘルプは「learn next --help」で表示できます。",
            "エラー：'--lang' の値が正しくありません：'xx' は指定できません。'en', 'ja' のいずれかを指定してください。",
        ),
        (
            ["--lang", "en", "next", "--lang", "xx"],
            "Usage: learn next [OPTIONS]",
            "Try 'learn next --help' for help.",
            "Error: Invalid value for '--lang': 'xx' is not one of 'en', 'ja'.",
        ),
    ],
    ids=[
        "ja-option",
        "en-option",
        "en-lang-after",
        "ja-group-option",
        "ja-missing",
        "en-missing",
        "ja-command",
        "ja-extra",
        "ja-choice",
        "en-choice",
    ],
)
def test_usage_errors(
    runner: CliRunner, args: list[str], usage: str, help_: str, error: str
) -> None:
    result = runner.invoke(main, args, prog_name="learn")
    assert result.exit_code == 2
    assert result.output == f"{usage}\n{help_}\n\n{error}\n"


def test_requires_an_argument_in_japanese(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--lang", "ja", "status", "--workspace"], prog_name="learn")
    assert result.exit_code == 2
    assert result.output.endswith("エラー：オプション '--workspace' には値が必要です。\n")

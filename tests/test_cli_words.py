"""click's own words that are not usage errors, in the learner's language: type conversions
(`'x' is not a valid integer.`), a confirmation's `[y/N]` and `Error: invalid input`, prompt
suffixes, and `Aborted!` (a declined confirmation, Ctrl-C, the end of input)."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from grader import cli
from grader.cli import main
from grader.clierrors import Choice, conversion_message

TRY = {
    "en": "Try 'learn {cmd} --help' for help.",
    "ja": "ヘルプは「learn {cmd} --help」で表示できます。",
}
USAGE = {"en": "Usage: learn {cmd} [OPTIONS]", "ja": "使い方：learn {cmd} [OPTIONS]"}


@pytest.mark.parametrize(
    ("lang", "args", "error"),
    [
        (
            "en",
            ["review", "--limit", "x"],
            "Error: Invalid value for '--limit': 'x' is not a valid integer range.",
        ),
        (
            "ja",
            ["review", "--limit", "x"],
            "エラー：'--limit' の値が正しくありません：'x' は整数ではありません。",
        ),
        (
            "en",
            ["review", "--limit", "0"],
            "Error: Invalid value for '--limit': 0 is not in the range x>=1.",
        ),
        (
            "ja",
            ["review", "--limit", "0"],
            "エラー：'--limit' の値が正しくありません：0 は範囲外です（x>=1）。",
        ),
        (
            "en",
            ["grade", "--workers", "two"],
            "Error: Invalid value for '--workers': 'two' is not a valid integer.",
        ),
        (
            "ja",
            ["grade", "--workers", "two"],
            "エラー：'--workers' の値が正しくありません：'two' は整数ではありません。",
        ),
    ],
    ids=["en-range", "ja-range", "en-below", "ja-below", "en-int", "ja-int"],
)
def test_type_conversion_errors(runner: CliRunner, lang: str, args: list[str], error: str) -> None:
    result = runner.invoke(main, ["--lang", lang, *args], prog_name="learn")
    cmd = args[0]
    usage = USAGE[lang].format(cmd=cmd) + (" [SUBMISSIONS]" if cmd == "grade" else "")
    assert result.output == f"{usage}\n{TRY[lang].format(cmd=cmd)}\n\n{error}\n"
    assert result.exit_code == 2


@pytest.mark.parametrize(
    ("lang", "error"),
    [
        ("en", "Error: Invalid value for '[SUBMISSIONS]': Directory '{path}' is a file."),
        (
            "ja",
            "エラー：'[SUBMISSIONS]' の値が正しくありません："
            "'{path}' はファイルです。フォルダを指定してください。",
        ),
    ],
)
def test_a_file_where_a_folder_is_wanted(
    runner: CliRunner, tmp_path: Path, lang: str, error: str
) -> None:
    (tmp_path / "subs").write_text("a file")
    args = ["--lang", lang, "grade", str(tmp_path / "subs"), "--out", str(tmp_path / "out")]
    result = runner.invoke(main, args, prog_name="learn")
    assert result.output.endswith("\n\n" + error.format(path=tmp_path / "subs") + "\n")
    assert result.exit_code == 2


# What click's types say, and the same in Japanese: English must stay click's own words.
TYPES = [
    (click.INT, "1.5", "'1.5' は整数ではありません。"),
    (click.FLOAT, "abc", "'abc' は数値ではありません。"),
    (click.FloatRange(0, 1), "abc", "'abc' は数値ではありません。"),
    (click.FloatRange(0, 1), "2", "2.0 は範囲外です（0<=x<=1）。"),
    (click.IntRange(1, 5), "9", "9 は範囲外です（1<=x<=5）。"),
    (click.BOOL, "maybe", "'maybe' は真偽値ではありません。使える値："),
    (click.UUID, "nope", "'nope' は正しい UUID ではありません。"),
    (click.Path(exists=True), "{tmp}/missing", "パス '{tmp}/missing' が見つかりません。"),
    (click.Path(dir_okay=False), "{tmp}", "'{tmp}' はフォルダです。ファイルを指定してください。"),
    (
        click.Path(file_okay=False),
        "{tmp}/f",
        "'{tmp}/f' はファイルです。フォルダを指定してください。",
    ),
]


@pytest.mark.parametrize(("kind", "value", "ja"), TYPES, ids=lambda x: str(x)[:20])
def test_every_click_type_message(
    tmp_path: Path, kind: click.ParamType, value: str, ja: str
) -> None:
    (tmp_path / "f").write_text("")
    value = value.format(tmp=tmp_path)
    with pytest.raises(click.BadParameter) as raised:
        kind.convert(value, None, None)
    english = raised.value.message
    assert conversion_message(english, "en") == english
    assert conversion_message(english, "ja").startswith(ja.format(tmp=tmp_path))


def test_a_message_click_does_not_make_is_kept() -> None:
    assert conversion_message("Something else.", "ja") == "Something else."


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "Choose from:\n\ten,\n\tja"), ("ja", "次から選んでください：\n\ten,\n\tja")],
)
def test_a_missing_choice(lang: str, expected: str) -> None:
    ctx = click.Context(main, obj={"ui_lang": lang})
    assert Choice(["en", "ja"]).get_missing_message(click.Option(["--x"]), ctx) == expected


@pytest.mark.parametrize(
    ("lang", "question", "aborted"),
    [
        ("en", "Forget progress for the whole course? [y/N]: ", "Aborted!"),
        ("ja", "コース全体の進捗を消去しますか？（y/N）：", "中断しました。"),
    ],
)
def test_a_declined_confirmation(runner: CliRunner, lang: str, question: str, aborted: str) -> None:
    result = runner.invoke(main, ["--lang", lang, "reset"], input="n\n")
    assert result.output == f"{question}n\n{aborted}\n"
    assert result.exit_code == 1
    enter = runner.invoke(main, ["--lang", lang, "reset"], input="\n")  # the default: no
    assert enter.output == f"{question}\n{aborted}\n"
    assert enter.exit_code == 1


@pytest.mark.parametrize(
    ("lang", "question", "invalid", "done"),
    [
        (
            "en",
            "Forget progress for the whole course? [y/N]: ",
            "Error: invalid input",
            "Progress reset: the whole course",
        ),
        (
            "ja",
            "コース全体の進捗を消去しますか？（y/N）：",
            "エラー：y か n で答えてください",
            "進捗を消去しました：コース全体",
        ),
    ],
)
def test_a_confirmation_asks_again_until_yes_or_no(
    runner: CliRunner, lang: str, question: str, invalid: str, done: str
) -> None:
    result = runner.invoke(main, ["--lang", lang, "reset"], input="maybe\nYES\n")
    assert result.output == f"{question}maybe\n{invalid}\n{question}YES\n{done}\n"
    assert result.exit_code == 0


@pytest.mark.parametrize(
    ("lang", "prompt", "aborted"),
    [("en", "Your answer: ", "Aborted!"), ("ja", "解答：", "中断しました。")],
)
def test_the_end_of_input_at_a_prompt(
    runner: CliRunner, lang: str, prompt: str, aborted: str
) -> None:
    runner.invoke(main, ["--lang", lang, "next"])  # the lesson; the quiz comes next
    result = runner.invoke(main, ["--lang", lang, "next", "--interactive"], input="")
    assert result.stdout.endswith(f"\n{prompt}")
    assert result.stderr == f"\n{aborted}\n"
    assert result.exit_code == 1


@pytest.mark.parametrize(("lang", "aborted"), [("en", "Aborted!"), ("ja", "中断しました。")])
def test_ctrl_c(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, lang: str, aborted: str
) -> None:
    def interrupted(*args: object, **kw: object) -> bool:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli.render, "lesson", interrupted)
    result = runner.invoke(main, ["--lang", lang, "next"])
    assert result.stderr == f"\n{aborted}\n"
    assert result.exit_code == 1

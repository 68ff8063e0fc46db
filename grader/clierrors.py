"""click's usage errors (`No such option`, `Missing argument`, `Invalid value for ...`, `Try
'learn --help' for help.`) in the learner's language, from the message catalogue. click builds
these texts with the process-wide `gettext` when it raises them; the exception keeps what they
were made of (option name, parameter, possibilities), so they are said again from that."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import IO, Any

import click
from click import exceptions as ce

from grader.clihelp import Formatter, ui_lang
from grader.messages import languages, text

# Messages click passes as finished English text, by pattern: the catalogue key and its fields.
PATTERNS = (
    (re.compile(r"Missing command\."), "click_missing_command"),
    (re.compile(r"Option '(?P<name>.+)' requires an argument\."), "click_requires_argument"),
    (re.compile(r"Got unexpected extra argument \((?P<args>.*)\)"), "click_extra_argument"),
    (re.compile(r"Got unexpected extra arguments \((?P<args>.*)\)"), "click_extra_arguments"),
)
MISSING = {"argument": "click_missing_argument", "option": "click_missing_option"}


def _hint(e: ce.BadParameter) -> str | None:
    hint: str | Sequence[str] | None = e.param_hint
    if hint is None and e.param is not None:
        hint = e.param.get_error_hint(e.ctx) if e.ctx is not None else None
    if hint is None or isinstance(hint, str):
        return hint
    return " / ".join(repr(x) for x in hint)


def _possibilities(lang: str, message: str, found: list[str] | None) -> str:
    if not found:
        return message
    names = ", ".join(repr(p) for p in sorted(found))
    key = "click_did_you_mean" if len(found) == 1 else "click_did_you_mean_one_of"
    return text(
        lang,
        "click_with_possibilities",
        message=message,
        possibilities=text(lang, key, names=names),
    )


def lang_in(args: Sequence[str]) -> str | None:
    """The last valid `--lang` value in the command line, read before click has parsed it (a
    usage error can stop click before the option is read)."""
    found = None
    for i, arg in enumerate(args):
        value = args[i + 1] if arg == "--lang" and i + 1 < len(args) else None
        if arg.startswith("--lang="):
            value = arg.partition("=")[2]
        if value in languages():
            found = value
    return found


def error_lang(ctx: click.Context | None, args: Sequence[str]) -> str:
    from grader.settings import guess_lang

    hint = lang_in(args)
    return str(guess_lang(hint) if hint or ctx is None else ui_lang(ctx))


def usage_message(e: click.UsageError, lang: str) -> str:
    """The message of a click usage error in `lang` (click's own when it is none of these)."""
    if isinstance(e, ce.NoSuchOption):
        base = text(lang, "click_no_such_option", name=repr(e.option_name))
        return _possibilities(lang, base, e.possibilities)
    if isinstance(e, ce.NoSuchCommand):
        base = text(lang, "click_no_such_command", name=repr(e.command_name))
        return _possibilities(lang, base, e.possibilities)
    if isinstance(e, ce.MissingParameter):
        kind = e.param_type or (e.param.param_type_name if e.param is not None else None)
        hint = _hint(e)
        if kind not in MISSING or not hint or e.message:
            return e.format_message()
        extra = e.param.type.get_missing_message(param=e.param, ctx=e.ctx) if e.param else None
        return text(lang, MISSING[kind], hint=hint) + (f" {extra}" if extra else "")
    if isinstance(e, ce.BadParameter):
        hint = _hint(e)
        if hint is None:
            return text(lang, "click_invalid_value", message=e.message)
        return text(lang, "click_invalid_value_for", hint=hint, message=e.message)
    for pattern, key in PATTERNS:
        if m := pattern.fullmatch(e.message):
            return text(lang, key, **m.groupdict())
    return e.format_message()


class Choice(click.Choice):
    """click.Choice whose `'xx' is not one of 'en', 'ja'.` is in the learner's language."""

    def get_invalid_choice_message(self, value: Any, ctx: click.Context | None) -> str:
        choices = ", ".join(repr(c) for c in self.choices)
        key = "click_not_the_choice" if len(self.choices) == 1 else "click_not_one_of"
        lang = ui_lang(ctx) if ctx is not None else "en"
        return text(lang, key, value=repr(value), choices=choices)


def usage(ctx: click.Context, lang: str) -> str:
    """`ctx.get_usage()` in `lang`, which may not be the context's yet (the error came first)."""
    formatter = Formatter(lang, width=ctx.terminal_width, max_width=ctx.max_content_width)
    ctx.command.format_usage(ctx, formatter)
    return formatter.getvalue().rstrip("\n")


class LocalUsageError(click.UsageError):
    """A click usage error said in the learner's language; still exit code 2."""

    def __init__(self, error: click.UsageError, lang: str) -> None:
        super().__init__(usage_message(error, lang), error.ctx)
        self.exit_code = error.exit_code
        self.lang = lang

    def show(self, file: IO[Any] | None = None) -> None:
        err = file is None
        ctx = self.ctx
        color = ctx.color if ctx is not None else None
        if ctx is not None:
            hint = ""
            if ctx.command.get_help_option(ctx) is not None:
                option = max(ctx.command.get_help_option_names(ctx), key=len)
                hint = text(self.lang, "click_try_help", command=ctx.command_path, option=option)
                hint += "\n"
            click.echo(f"{usage(ctx, self.lang)}\n{hint}", file=file, err=err, color=color)
        message = text(self.lang, "error", message=self.format_message())
        click.echo(message, file=file, err=err, color=color)


def localized(error: click.UsageError, lang: str) -> click.UsageError:
    if isinstance(error, ce.NoArgsIsHelpError | LocalUsageError):
        return error
    return LocalUsageError(error, lang)

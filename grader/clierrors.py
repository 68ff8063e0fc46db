"""click's usage errors (`No such option`, `Missing argument`, `Invalid value for ...`, `Try
'learn --help' for help.`) in the learner's language, from the message catalogue. click builds
these texts with the process-wide `gettext` when it raises them; the exception keeps what they
were made of (option name, parameter, possibilities), so they are said again from that.

Also click's words at a prompt: `confirm` and `prompt_text` ask in the learner's language
(`[y/N]`, `Error: invalid input`), and `Aborted` is click's `Aborted!` (Ctrl-C, end of input)."""

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
# click's type conversion messages (click.types: always English, click has no translations),
# by pattern: the catalogue key and its fields (a path's problem picks its key from PATHS).
CONVERSIONS = (
    (
        re.compile(
            r"(?P<value>.+) is not a valid (?P<type>integer range|float range|integer|float)\."
        ),
        "click_not_a_number",
    ),
    (re.compile(r"(?P<value>.+) is not in the range (?P<range>.+)\."), "click_not_in_range"),
    (
        re.compile(r"(?P<value>.+) is not a valid boolean\. Recognized values: (?P<states>.+)"),
        "click_not_a_boolean",
    ),
    (re.compile(r"(?P<value>.+) is not a valid UUID\."), "click_not_a_uuid"),
    (
        re.compile(
            r"(?P<name>File|Directory|Path) (?P<filename>.+) (?P<problem>does not exist|is a file"
            r"|is a directory|is not readable|is not writable|is not executable)\."
        ),
        "",
    ),
)
NUMBER_TYPES = {
    "integer": "click_type_integer",
    "float": "click_type_float",
    "integer range": "click_type_integer_range",
    "float range": "click_type_float_range",
}
PATH_NAMES = {
    "File": "click_path_name_file",
    "Directory": "click_path_name_directory",
    "Path": "click_path_name_path",
}
PATHS = {
    "does not exist": "click_path_missing",
    "is a file": "click_path_file",
    "is a directory": "click_path_directory",
    "is not readable": "click_path_unreadable",
    "is not writable": "click_path_unwritable",
    "is not executable": "click_path_unexecutable",
}


def conversion_message(message: str, lang: str) -> str:
    """A click type's `'x' is not a valid integer.` (and the like) in `lang`; any other message
    as it is."""
    for pattern, key in CONVERSIONS:
        m = pattern.fullmatch(message)
        if m is None:
            continue
        fields = m.groupdict()
        if "type" in fields:
            fields["type"] = text(lang, NUMBER_TYPES[fields["type"]])
        if "problem" in fields:
            key = PATHS[fields.pop("problem")]
            fields["name"] = text(lang, PATH_NAMES[fields["name"]])
        return text(lang, key, **fields)
    return message


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
        message = conversion_message(e.message, lang)
        if hint is None:
            return text(lang, "click_invalid_value", message=message)
        return text(lang, "click_invalid_value_for", hint=hint, message=message)
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

    def get_missing_message(self, param: click.Parameter, ctx: click.Context | None) -> str:
        lang = ui_lang(ctx) if ctx is not None else "en"
        return text(lang, "click_choose_from", choices=",\n\t".join(map(str, self.choices)))


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


class Aborted(click.ClickException):
    """click's `Aborted!` (a declined confirmation, Ctrl-C, the end of input at a prompt) in the
    learner's language; exit code 1, as click's."""

    def __init__(self, lang: str) -> None:
        super().__init__(text(lang, "click_aborted"))
        self.exit_code = 1

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(self.message, file=file, err=file is None)


def prompt_text(lang: str, label: str) -> str:
    """A prompt's label with its suffix, `Your answer: ` / `解答：`."""
    return text(lang, "click_prompt", label=label)


def confirm(lang: str, question: str, default: bool = False) -> bool:
    """click.confirm in the learner's language: `question [y/N]: `, asked again after anything
    but yes or no; y, yes, n and no in any case (and Enter: the default)."""
    choices = text(lang, "click_yes_no_default_yes" if default else "click_yes_no_default_no")
    while True:
        reply = click.prompt(
            text(lang, "click_confirm", question=question, choices=choices),
            default="",
            show_default=False,
            prompt_suffix="",
        )
        answer = reply.strip().lower()
        if not answer:
            return default
        if answer in ("y", "yes"):
            return True
        if answer in ("n", "no"):
            return False
        click.echo(text(lang, "error", message=text(lang, "click_invalid_input")), err=True)

"""`learn --help` and `learn CMD --help` from the message catalogue, in the learner's language:
a command's help is the key `help_<command>`, an option's `help_<command>_<option>`, an option
every command shares `help_opt_<option>` (`help_main` and `help_main_*` for the group itself)."""

from __future__ import annotations

from typing import Any

import click

from grader.messages import text

SHARED = ("course", "lang", "workspace", "help", "version")


def ui_lang(ctx: click.Context) -> str:
    """The language of the session, or before there is one, the best guess without failing."""
    from grader.settings import guess_lang

    o = ctx.find_object(dict) or {}
    if "session" in o:
        return str(o["session"].lang)
    return str(o.get("ui_lang") or guess_lang(o.get("lang")))


def help_keys(cmd: click.Command) -> dict[str | None, str]:
    """The catalogue key of the command's help (None) and of each option's, by option name."""
    keys: dict[str | None, str] = {None: f"help_{cmd.name}"}
    for p in cmd.params:
        if isinstance(p, click.Option) and p.name:
            shared = p.name in SHARED
            keys[p.name] = f"help_opt_{p.name}" if shared else f"help_{cmd.name}_{p.name}"
    return keys


def localize(cmd: click.Command, ctx: click.Context) -> None:
    lang = ui_lang(ctx)
    keys = help_keys(cmd)
    cmd.help = text(lang, keys[None])
    cmd.short_help = None
    for p in cmd.params:
        if isinstance(p, click.Option) and p.name in keys:
            p.help = text(lang, keys[p.name])
    help_option = cmd.get_help_option(ctx)
    if help_option is not None:
        help_option.help = text(lang, "help_opt_help")


class Command(click.Command):
    def format_help(self, ctx: click.Context, formatter: Any) -> None:
        localize(self, ctx)
        super().format_help(ctx, formatter)

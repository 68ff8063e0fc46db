"""`learn --help` and `learn CMD --help` from the message catalogue, in the learner's language:
a command's help is the key `help_<command>`, an option's `help_<command>_<option>`, an option
every command shares `help_opt_<option>` (`help_main` and `help_main_*` for the group itself)."""

from __future__ import annotations

from collections.abc import Sequence
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
    if _wide(cmd.help):  # click's own short help cuts at `. ` and counts characters
        names = getattr(ctx.command, "commands", {})
        width = ctx.make_formatter().width - 6 - max(map(len, names), default=0)
        cmd.short_help = short_help(cmd.help, width)
    for p in cmd.params:
        if isinstance(p, click.Option) and p.name in keys:
            p.help = text(lang, keys[p.name])
    help_option = cmd.get_help_option(ctx)
    if help_option is not None:
        help_option.help = text(lang, "help_opt_help")


# Click's own words, by the English text click passes in (click translates them with the
# process-wide `gettext`, which knows nothing of the learner's language): catalogue keys.
HEADINGS = {"Options": "click_options", "Commands": "click_commands"}


def _wide(s: str) -> bool:
    from grader.wrap import is_wide

    return not s.isascii() and any(is_wide(ch) for ch in s)


def wrap_lines(source: str, width: int) -> list[str]:
    """Japanese help text in lines of at most `width` terminal columns, broken between phrases
    (grader.wrap); paragraphs (blank lines) kept as click keeps them."""
    from grader.wrap import break_points, divide

    lines: list[str] = []
    for para in source.split("\n\n"):
        flat = " ".join(part.strip() for part in para.splitlines() if part.strip())
        bounds = [0, *divide(flat, max(width, 10), break_points(flat)), len(flat)]
        lines.extend(flat[a:b].strip() for a, b in zip(bounds, bounds[1:], strict=False))
        lines.append("")
    return lines[:-1]


def short_help(source: str, width: int) -> str:
    """A command's line in `learn --help`: its first sentence (`。`), cut at a phrase with `...`
    when wider than `width` columns (click counts characters, not columns, for this)."""
    from rich.cells import cell_len

    first = source.split("\n\n")[0].split("。")[0] + ("。" if "。" in source else "")
    if cell_len(first) <= width:
        return first
    return wrap_lines(first, width - 3)[0] + "..."


class Formatter(click.HelpFormatter):
    """click's help layout with its words from our catalogue, and Japanese text wrapped at
    display width (a full-width character is two columns) between phrases."""

    def __init__(self, lang: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lang = lang

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:
            prefix = text(self.lang, "click_usage")
        if not _wide(prefix):
            return super().write_usage(prog, args, prefix)
        from click.formatting import wrap_text
        from rich.cells import cell_len

        head = " " * max(self.current_indent - cell_len(prefix), 0) + f"{prefix}{prog} "
        extra = cell_len(head) - len(head)  # textwrap counts the prefix in characters
        if not args:
            self.write(head.rstrip(" ") + "\n")
            return
        width = self.width - self.current_indent - extra
        indent = " " * cell_len(head)
        self.write(wrap_text(args, width, initial_indent=head, subsequent_indent=indent) + "\n")

    def write_heading(self, heading: str) -> None:
        key = HEADINGS.get(heading)
        title = text(self.lang, key) if key else f"{heading}:"
        self.write(f"{'':>{self.current_indent}}{title}\n")

    def write_text(self, text: str) -> None:
        if not _wide(text):
            return super().write_text(text)
        indent = " " * self.current_indent
        for line in wrap_lines(text, self.width - self.current_indent):
            self.write(f"{indent}{line}\n" if line else "\n")

    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        rows = list(rows)
        if not any(_wide(second) for _, second in rows):
            return super().write_dl(rows, col_max, col_spacing)
        first_col = min(max(len(first) for first, _ in rows), col_max) + col_spacing
        pad = " " * (first_col + self.current_indent)
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if len(first) <= first_col - col_spacing:
                self.write(" " * (first_col - len(first)))
            else:
                self.write(f"\n{pad}")
            width = max(self.width - first_col - 2, 10)
            lines = wrap_lines(second, width) if _wide(second) else second_lines(second, width)
            self.write(f"{lines[0]}\n" if lines else "\n")
            for line in lines[1:]:
                self.write(f"{pad}{line}\n" if line else "\n")


def second_lines(source: str, width: int) -> list[str]:
    from click.formatting import wrap_text

    return wrap_text(source, width, preserve_paragraphs=True).splitlines()


class Context(click.Context):
    """Help and usage lines in the learner's language."""

    def make_formatter(self) -> click.HelpFormatter:
        return Formatter(ui_lang(self), width=self.terminal_width, max_width=self.max_content_width)


class Command(click.Command):
    context_class = Context

    def format_help(self, ctx: click.Context, formatter: Any) -> None:
        localize(self, ctx)
        super().format_help(ctx, formatter)

"""The `learn` command: parse options, call one core function, print its result."""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING, Any

import click

from grader import render
from grader.clierrors import Aborted, Choice, confirm, error_lang, localized, prompt_text
from grader.clihelp import Command, Context, localize, ui_lang
from grader.errors import ContentError, LearnError, in_lang
from grader.messages import languages, text

if TYPE_CHECKING:
    from grader.learner import Session
    from grader.quizzes import Shown, Verdict


class LearnException(click.ClickException):
    def __init__(self, message: str, exit_code: int, lang: str) -> None:
        super().__init__(message)
        self.exit_code = exit_code
        self.lang = lang

    def show(self, file: Any = None) -> None:
        """`Error: message` (`エラー：message`...), in the learner's language."""
        click.echo(text(self.lang, "error", message=self.format_message()), file=file, err=True)


class Group(click.Group):
    """Turns every LearnError into `Error: ...` and its exit code, in one place."""

    command_class = Command
    context_class = Context

    def format_help(self, ctx: click.Context, formatter: Any) -> None:
        for cmd in (self, *self.commands.values()):
            localize(cmd, ctx)
        super().format_help(ctx, formatter)

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        line = list(args)
        try:
            ctx = super().make_context(info_name, args, parent, **extra)
        except click.UsageError as e:  # click's own words, in the learner's language
            raise localized(e, error_lang(e.ctx, line)) from None
        ctx.meta["learn_args"] = line
        return ctx

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as e:
            raise localized(e, error_lang(e.ctx or ctx, ctx.meta["learn_args"])) from None
        except LearnError as e:
            code = e.exit_code
            if isinstance(e, ContentError) and ctx.invoked_subcommand == "submit":
                code = 2  # a broken exercise means the submission could not be graded
            lang = ui_lang(ctx)
            raise LearnException(e.text(lang), code, lang) from None
        except (click.Abort, KeyboardInterrupt, EOFError):  # Ctrl-C, or no more input
            click.echo(err=True)  # off the line of the prompt or of the output it stopped
            raise Aborted(ui_lang(ctx)) from None
        except BrokenPipeError:  # the reader went away (`learn status | head`): stop quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no flush error at exit
            raise SystemExit(1) from None  # as rich does when its own write fails
        except OSError as e:  # a file system refusal nobody foresaw: say where, no traceback
            where = f"{e.filename}: " if e.filename else ""
            raise LearnException(f"{where}{e.strerror or e}", 1, ui_lang(ctx)) from None

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        """Every subcommand also takes the shared options (`learn next --lang en`)."""
        cmd.params.extend(shared_options())
        super().add_command(cmd, name)


def _remember(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    if value is not None:
        ctx.ensure_object(dict)[param.name or ""] = value
    return value


def shared_options(group: bool = False) -> list[click.Option]:
    """--course, --lang, --workspace, read into one dict whether given before or after the
    subcommand. Environment variables are read by the group only, so that LEARN_COURSE never
    overrides `learn --course X next`."""
    return [
        click.Option(
            ["--course"],
            envvar="LEARN_COURSE" if group else None,
            help="Course directory (default: bundled).",
            callback=_remember,
            expose_value=False,
        ),
        click.Option(
            ["--lang"],
            type=Choice(languages()),
            is_eager=True,  # before --help, which is shown in this language
            help="Language of lessons and quizzes.",
            callback=_remember,
            expose_value=False,
        ),
        click.Option(
            ["--workspace"],
            help="Folder for exercise files (default: the one you used last).",
            callback=_remember,
            expose_value=False,
        ),
    ]


def session(ctx: click.Context):  # type: ignore[no-untyped-def]
    from grader.learner import Session

    o = ctx.find_object(dict)
    assert o is not None
    if "session" not in o:
        o["session"] = Session.open(o.get("course"), o.get("lang"), o.get("workspace"))
    return o["session"]


@click.group(cls=Group)
@click.version_option(package_name="learn-keras")
@click.pass_context
def main(ctx: click.Context) -> None:
    """A terminal course on training Keras models."""
    ctx.ensure_object(dict)


main.params.extend(shared_options(group=True))


@main.command("next")
@click.option(
    "--interactive/--no-interactive",
    default=None,
    help="Ask quiz items at a prompt (default: when stdin is a terminal).",
)
@click.option(
    "--pager/--no-pager",
    default=None,
    help="A long lesson one section per screen (default: in a terminal).",
)
@click.option("--skip", is_flag=True, help="Move on from the exercise you started.")
@click.pass_context
def next_(ctx: click.Context, interactive: bool | None, pager: bool | None, skip: bool) -> None:
    """Continue where you stopped: the next lesson, quiz or exercise."""
    s = session(ctx)
    out = render.console()
    unit = s.next_unit()
    if unit is not None and skip and unit.kind == "exercise" and s.started(unit):
        s.skip(unit)
        render.say(out, text(s.lang, "skipped", ex=unit.ref))
        unit = s.next_unit()
    if unit is None:
        render.say(out, text(s.lang, "course_done"))
        pending = s.pending_exercises()
        if pending:
            render.say(out, text(s.lang, "pending", names=", ".join(pending)))
        return
    if unit.kind == "lesson":
        _show_lesson(ctx, unit.ref, pager, done_message=True)
    elif unit.kind == "quiz":
        if interactive is None:
            interactive = sys.stdin.isatty()
        _run_quiz(ctx, unit.ref, interactive)
    else:
        resumed = s.started(unit)
        path, written = s.start_exercise(unit.ref)
        out.print(render.markdown(s.instructions(unit.ref)))
        out.print()
        key = "exercise_resume" if resumed and not written else _starter_key(written)
        render.say(out, text(s.lang, key, path=path, ex=unit.ref))


def _starter_key(written: bool) -> str:
    key = "starter_written" if written else "starter_kept"
    return key


def _show_lesson(ctx: click.Context, ref: str, pager: bool | None, done_message: bool) -> None:
    """Render a lesson (paged in a terminal); it is done only when the learner reaches its end."""
    s = session(ctx)
    out = render.console()
    if pager is None:
        pager = sys.stdin.isatty() and sys.stdout.isatty()

    def more(n: int, total: int) -> bool:
        try:
            reply = click.prompt(
                text(s.lang, "page", n=n, total=total),
                default="",
                show_default=False,
                prompt_suffix="",
            )
        except click.Abort:
            return False
        return not reply.strip().lower().startswith("q")

    if render.lesson(out, s.lesson_text(ref), more if pager else None):
        s.finish_lesson(ref)
        if done_message:
            render.say(out, text(s.lang, "lesson_done"))
    else:
        render.say(out, text(s.lang, "lesson_paused"))


def ask(s: Session, item_id: str, shown: Shown | None = None) -> Verdict:
    """Prompt until the answer can be understood; record and return its verdict."""
    while True:
        raw = click.prompt(prompt_text(s.lang, text(s.lang, "prompt")), prompt_suffix="")
        try:
            return s.answer(item_id, raw.split() or [raw], shown)
        except ContentError:
            raise
        except LearnError as e:
            click.echo(text(s.lang, "error", message=e.text(s.lang)), err=True)


def _run_quiz(ctx: click.Context, lesson: str, interactive: bool) -> None:
    s = session(ctx)
    out = render.console()
    todo = s.unanswered(lesson)
    total = len(s.quiz_items(lesson))
    if not todo:
        todo = s.quiz_items(lesson)  # retaking a finished quiz asks everything again
    if not interactive:
        first = todo[0]
        render.item(out, first, s.lang, f"{total - len(todo) + 1}/{total}")
        render.say(out, text(s.lang, "answer_with", item=first.item.id))
        return
    for n, shown in enumerate(todo, start=total - len(todo) + 1):
        render.item(out, shown, s.lang, f"{n}/{total}")
        verdict = ask(s, shown.item.id, shown)
        render.verdict(out, verdict, s.lang)
        out.print()
    right, total = s.quiz_score(lesson)  # the whole quiz, also after a resumed session
    render.say(out, text(s.lang, "score", right=right, total=total))
    render.say(out, text(s.lang, "quiz_done"))


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def status(ctx: click.Context, as_json: bool) -> None:
    """Show your progress through the course."""
    from grader.review import due_count

    s = session(ctx)
    rows = s.status()
    due = due_count(s.store, s.course, s.lang, s.store.clock())
    if as_json:
        click.echo(render.status_json(rows))
    else:
        render.status_table(render.console(), rows, s.course.title(s.lang), s.lang)
        click.echo(text(s.lang, "due", n=due))


@main.command()
@click.argument("lesson_id")
@click.option("--pager/--no-pager", default=None, help="One section per screen in a terminal.")
@click.pass_context
def lesson(ctx: click.Context, lesson_id: str, pager: bool | None) -> None:
    """Show one lesson."""
    ref = session(ctx).course.unit(f"lesson:{lesson_id}").ref
    _show_lesson(ctx, ref, pager, done_message=False)


@main.command()
@click.argument("quiz_id")
@click.option("--json", "as_json", is_flag=True, help="Print the items (without answers) as JSON.")
@click.option("--interactive/--no-interactive", default=None)
@click.pass_context
def quiz(ctx: click.Context, quiz_id: str, as_json: bool, interactive: bool | None) -> None:
    """Take one quiz (or list its items with --json)."""
    from grader.quizzes import public_view

    s = session(ctx)
    ref = s.course.unit(f"quiz:{quiz_id}").ref
    if as_json:
        items = [public_view(x) for x in s.quiz_items(ref)]
        click.echo(
            json.dumps({"quiz": ref, "lang": s.lang, "items": items}, ensure_ascii=False, indent=2)
        )
        return
    _run_quiz(ctx, ref, sys.stdin.isatty() if interactive is None else interactive)


@main.command()
@click.argument("item_id")
@click.argument("answer", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def answer(ctx: click.Context, item_id: str, answer: tuple[str, ...], as_json: bool) -> None:
    """Answer one quiz item, e.g. `learn answer training-basics/validation-split 20%`."""
    s = session(ctx)
    verdict = s.answer(item_id, list(answer))
    if as_json:
        click.echo(render.verdict_json(verdict))
    else:
        render.verdict(render.console(), verdict, s.lang)


@main.command()
@click.argument("unit", required=False)
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def reset(ctx: click.Context, unit: str | None, yes: bool) -> None:
    """Forget progress for one unit (or the whole course)."""
    s = session(ctx)
    what = unit or text(s.lang, "everything")
    if unit:
        s.course.units_matching(unit)  # unknown ids fail before asking
    question = (
        text(s.lang, "reset_confirm", what=unit) if unit else text(s.lang, "reset_confirm_all")
    )
    if not yes and not confirm(s.lang, question):
        raise Aborted(s.lang)
    done = s.reset(unit)
    click.echo(text(s.lang, "reset_done", what=", ".join(done) if unit else what))


@main.command()
@click.argument("course_dir", required=False)
@click.option(
    "--grade/--no-grade",
    default=True,
    help="Also grade each exercise's reference (full marks) and starter (less).",
)
@click.pass_context
def validate(ctx: click.Context, course_dir: str | None, grade: bool) -> None:
    """Check every file of a course; report each problem with file:line and field."""
    from grader.validate import validate_course

    # For course authors, as the problems (pydantic's too): English unless asked.
    lang = ctx.obj.setdefault("ui_lang", ctx.obj.get("lang") or "en")
    problems = validate_course(course_dir or ctx.obj.get("course"), grade=grade)
    for p in problems:
        click.echo(in_lang(p, lang))
    if problems:
        raise LearnException(text(lang, "validate_problems", n=len(problems)), 1, lang)
    click.echo(text(lang, "validate_ok"))


@main.command()
@click.argument("exercise_id")
@click.option("--force", is_flag=True, help="Overwrite your edited copy with the starter.")
@click.pass_context
def start(ctx: click.Context, exercise_id: str, force: bool) -> None:
    """Write an exercise's starter file into your workspace."""
    s = session(ctx)
    out = render.console()
    path, written = s.start_exercise(exercise_id, force)
    out.print(render.markdown(s.instructions(exercise_id)))
    out.print()
    render.say(out, text(s.lang, _starter_key(written), path=path, ex=exercise_id))


@main.command()
@click.argument("exercise_id")
@click.pass_context
def hint(ctx: click.Context, exercise_id: str) -> None:
    """Reveal the next hint for an exercise (one more each time)."""
    s = session(ctx)
    out = render.console()
    hints, new = s.reveal_hint(exercise_id)
    render.numbered(out, hints)
    if not new:
        render.say(out, text(s.lang, "no_hints"))


@main.command()
@click.argument("exercise_id")
@click.argument("file", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print Gradescope-shaped results.json.")
@click.pass_context
def submit(ctx: click.Context, exercise_id: str, file: str | None, as_json: bool) -> None:
    """Grade your solution; exit 0 for full marks, 1 for less, 2 when it could not be graded."""
    s = session(ctx)
    path, source = s.submission(exercise_id, file)  # a wrong argument fails before TensorFlow
    from grader.grading import warm_sandbox

    with warm_sandbox() as sandbox:
        out = render.console()
        if as_json:
            result = s.grade(exercise_id, path, source, sandbox)
            click.echo(json.dumps(result.to_gradescope(), ensure_ascii=False, indent=2))
        else:
            render.say(out, text(s.lang, "submit_file", path=path))
            with out.status(text(s.lang, "grading", ex=exercise_id, path=path.name)):
                result = s.grade(exercise_id, path, source, sandbox)
            render.grade_result(out, result, s.lang)
    ctx.exit(0 if result.full_marks else 1)


@main.command()
@click.argument("submissions", required=False, type=click.Path(file_okay=False))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    help="Folder for gradebook.db, grades.csv, feedback/ and summary.md.",
)
@click.option("--workers", type=int, default=None, help="Parallel sandboxes (default: cores).")
@click.option("--regrade", is_flag=True, help="Grade again even if a file has not changed.")
@click.option("--scheduler", help="Grade on an existing Dask cluster (tcp://HOST:PORT).")
@click.option(
    "--export",
    "export_dir",
    type=click.Path(file_okay=False),
    help="Rewrite the reports of the gradebook in this folder, without grading.",
)
@click.pass_context
def grade(
    ctx: click.Context,
    submissions: str | None,
    out_dir: str | None,
    workers: int | None,
    regrade: bool,
    scheduler: str | None,
    export_dir: str | None,
) -> None:
    """Grade a class: SUBMISSIONS/<student>/<exercise>.py or SUBMISSIONS/<student>.zip."""
    from grader.instructor import export_only, run_grade

    lang = ctx.obj.setdefault("ui_lang", ctx.obj.get("lang") or "en")  # English unless asked
    if export_dir:
        export_only(export_dir, lang)
        return
    if not submissions or not out_dir:
        raise click.UsageError(text(lang, "grade_usage"))
    ctx.exit(run_grade(ctx.obj, submissions, out_dir, workers, regrade, scheduler, lang))


from grader import cli_review  # noqa: E402  (registers `review` and `stats`)

cli_review.register(main)

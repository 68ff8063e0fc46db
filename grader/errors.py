"""The one error hierarchy: the CLI turns every LearnError into a one-line message and exit code."""

from __future__ import annotations

from grader.messages import text


class LearnError(Exception):
    """Base of every error the CLI reports to a person (never as a traceback).

    Raised with a message catalogue key and its fields (`UsageError(key="err_no_file",
    path=p)`), it is shown in the learner's language; str() is the English text (logs, reports)."""

    exit_code = 1

    def __init__(self, message: str = "", *, key: str | None = None, **fields: object) -> None:
        self.key = key
        self.fields = fields
        super().__init__(message if key is None else text("en", key, **fields))

    def text(self, lang: str) -> str:
        """The message in `lang` (a message given as text is shown as it is)."""
        return str(self) if self.key is None else text(lang, self.key, **self.fields)


class UsageError(LearnError):
    """The command was called wrongly (unknown id, invalid answer, missing file)."""

    exit_code = 2


class Problem(str):
    """One located problem in a course file: the str is its English text, `.text(lang)` the
    same in another language (a field that is itself a Problem is translated too)."""

    key: str
    fields: dict[str, object]

    def __new__(cls, key: str, **fields: object) -> Problem:
        self = super().__new__(cls, _render("en", key, fields))
        self.key, self.fields = key, fields
        return self

    def __reduce__(self) -> tuple[object, ...]:
        return (_problem, (self.key, self.fields))

    def text(self, lang: str) -> str:
        return _render(lang, self.key, self.fields)


def _problem(key: str, fields: dict[str, object]) -> Problem:
    return Problem(key, **fields)


def _render(lang: str, key: str, fields: dict[str, object]) -> str:
    shown = {k: v.text(lang) if isinstance(v, Problem) else v for k, v in fields.items()}
    return text(lang, key, **shown)


def in_lang(problem: str, lang: str) -> str:
    """A problem line in `lang` (a plain string, from code that has no catalogue key, as is)."""
    return problem.text(lang) if isinstance(problem, Problem) else problem


class ContentError(LearnError):
    """A course file is malformed; carries every problem found, each located."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))

    def text(self, lang: str) -> str:
        return "\n".join(in_lang(p, lang) for p in self.problems)


class StoreError(LearnError):
    """The progress store or gradebook cannot be used (locked, corrupted, newer schema)."""


class SandboxError(LearnError):
    """The sandbox itself failed (not the learner's code): the submission could not be graded."""

    exit_code = 2


class SchemaTooNewError(ContentError):
    """A content file declares a schema version this release does not know."""

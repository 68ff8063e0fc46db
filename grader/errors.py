"""The one error hierarchy: the CLI turns every LearnError into a one-line message and exit code."""

from __future__ import annotations


class LearnError(Exception):
    """Base of every error the CLI reports to a person (never as a traceback)."""

    exit_code = 1


class UsageError(LearnError):
    """The command was called wrongly (unknown id, invalid answer, missing file)."""

    exit_code = 2


class ContentError(LearnError):
    """A course file is malformed; carries every problem found, each located."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class StoreError(LearnError):
    """The progress store or gradebook cannot be used (locked, corrupted, newer schema)."""


class SandboxError(LearnError):
    """The sandbox itself failed (not the learner's code): the submission could not be graded."""

    exit_code = 2


class SchemaTooNewError(ContentError):
    """A content file declares a schema version this release does not know."""

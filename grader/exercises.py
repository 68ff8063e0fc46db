"""Exercise files (`exercises/<id>/exercise.yaml`): the spec the grader works from."""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

SLUG = r"^[a-z0-9][a-z0-9-]*$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    ja: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.ja if lang == "ja" else self.en


class Hints(Strict):
    ja: list[str] = Field(min_length=1)
    en: list[str] = Field(min_length=1)

    def get(self, lang: str) -> list[str]:
        return self.ja if lang == "ja" else self.en


# The check kinds an exercise composes (grader/kinds/): each compares one facet of what the
# learner's code produced with what the reference produced on the same seeded data.
CheckKind = Literal[
    "returns-model",
    "output",
    "loss",
    "optimizer",
    "metrics",
    "layers",
    "trains",
    "returns-history",
    "fit-options",
    "validation",
    "callbacks",
    "stops-and-restores",
    "checkpoint",
    "returns-optimizer",
    "learning-rate",
    "function-result",
]
CHECK_KINDS: tuple[str, ...] = get_args(CheckKind)
# What the grader hands an entry point, by argument name (grader/jobs/harness.py resolves them).
ARGUMENTS = (
    "model",
    "input_dim",
    "timesteps",
    "features",
    "x",
    "y",
    "x_train",
    "y_train",
    "x_val",
    "y_val",
    "x_test",
    "y_test",
    "path",
)


class CheckParams(Strict):
    """The parameters a check kind takes (each kind reads the ones it knows)."""

    entry: str | None = Field(default=None, description="function-result: the entry point")
    any_of: list[str] = Field(default=[], description="layers: layer classes, one must be used")
    steps: list[int] = Field(default=[], description="learning-rate: the steps compared")
    relative: bool = Field(default=False, description="learning-rate: relative to step 0")
    dense: bool = Field(default=False, description="learning-rate: also at many other steps")
    options: list[str] = Field(default=[], description="fit-options: which (default: all)")
    tolerance: float = Field(default=1e-4, ge=0, le=1, description="function-result: relative")


class CheckSpec(Strict):
    id: str = Field(pattern=SLUG)
    points: int = Field(gt=0)
    title: Text
    kind: CheckKind | list[CheckKind]
    params: CheckParams = CheckParams()

    @property
    def kinds(self) -> list[str]:
        return [self.kind] if isinstance(self.kind, str) else list(self.kind)


class EntryPoint(Strict):
    name: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    args: list[str] = Field(default=[], max_length=8)
    returns: Literal["model", "history", "optimizer", "value"]


class GivenSpec(Strict):
    """The model the grader hands the learner's code: built by `model(input_shape, n_classes)` in
    the exercise's own file, seeded, in the sandbox (no learner code there)."""

    model: str = Field(pattern=r"^[A-Za-z0-9_-]+\.py$")
    train_epochs: int = Field(default=0, ge=0, le=100)


class DataSpec(Strict):
    generator: Literal["blobs", "binary", "regression", "noisy-blobs", "sequences"]
    seed: int
    n_train: int = Field(gt=0, le=20_000)
    n_test: int = Field(gt=0, le=20_000)
    n_features: int = Field(gt=0, le=256)
    n_classes: int = Field(default=2, ge=1, le=100)
    epochs: int = Field(default=5, ge=1, le=200, description="epochs the grader trains for")
    labels: Literal["integer", "onehot"] = "integer"
    timesteps: int = Field(default=8, ge=1, le=200, description="sequences: steps per row")
    n_val: int = Field(default=0, ge=0, le=20_000, description="rows handed as x_val / y_val")


class AcceptSpec(Strict):
    """Where an exercise widens what the reference chose (e.g. any of mse / mae / huber)."""

    loss: list[str] = Field(default=[], description="more losses that count as right")


class LimitSpec(Strict):
    wall_seconds: float = Field(default=120, gt=0, le=3600)
    cpu_seconds: int = Field(default=240, gt=0, le=7200)
    memory_mb: int = Field(default=2048, ge=256, le=16384)


class ExerciseSpec(Strict):
    schema_: Literal[1] = Field(alias="schema")
    id: str = Field(pattern=SLUG)
    lesson: str = Field(pattern=SLUG)
    title: Text
    instructions: Text
    entry_points: list[EntryPoint] = Field(min_length=1, max_length=8)
    given: GivenSpec | None = None
    checks: list[CheckSpec] = Field(min_length=1)
    probes: list[dict[str, Any]] = Field(default=[], max_length=200)
    data: DataSpec
    tolerance: float = Field(default=0.05, ge=0, le=1)
    limits: LimitSpec = LimitSpec()
    accept: AcceptSpec = AcceptSpec()
    hints: Hints

    @model_validator(mode="after")
    def _unique_checks(self) -> ExerciseSpec:
        ids = [c.id for c in self.checks]
        if len(set(ids)) != len(ids):
            raise ValueError("check ids must be unique")
        names = [e.name for e in self.entry_points]
        if len(set(names)) != len(names):
            raise ValueError("entry point names must be unique")
        probe_keys = {k for p in self.probes for k in p}
        for e in self.entry_points:
            for arg in e.args:
                if arg not in ARGUMENTS and arg not in probe_keys:
                    raise ValueError(
                        f"entry point {e.name}: unknown argument {arg!r} (known: "
                        f"{', '.join(ARGUMENTS)}, or a key of the probes)"
                    )
            if "model" in e.args and self.given is None:
                raise ValueError(f"entry point {e.name} takes a model: add given: {{model: ...}}")
        for c in self.checks:
            if c.params.entry is not None and c.params.entry not in names:
                raise ValueError(f"check {c.id}: params.entry {c.params.entry!r} is no entry point")
        return self

    @property
    def names(self) -> list[str]:
        return [e.name for e in self.entry_points]

    def entry(self, returns: str) -> EntryPoint | None:
        """The (first) entry point that returns this kind of object."""
        return next((e for e in self.entry_points if e.returns == returns), None)

    @property
    def max_score(self) -> int:
        return sum(c.points for c in self.checks)

"""Exercise files (`exercises/<id>/exercise.yaml`): the spec the grader works from."""

from __future__ import annotations

from typing import Literal

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


class CheckSpec(Strict):
    id: str = Field(pattern=SLUG)
    points: int = Field(gt=0)
    title: Text


class DataSpec(Strict):
    generator: Literal["blobs", "binary", "regression", "noisy-blobs"]
    seed: int
    n_train: int = Field(gt=0, le=20_000)
    n_test: int = Field(gt=0, le=20_000)
    n_features: int = Field(gt=0, le=256)
    n_classes: int = Field(default=2, ge=1, le=100)
    epochs: int = Field(default=5, ge=1, le=200, description="epochs the grader trains for")


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
    task: str = Field(pattern=SLUG, description="the grading recipe in grader.recipes")
    entry_points: list[str] = Field(min_length=1)
    checks: list[CheckSpec] = Field(min_length=1)
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
        return self

    @property
    def max_score(self) -> int:
        return sum(c.points for c in self.checks)

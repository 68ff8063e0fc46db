"""What the sandboxed processes hand back, validated in the scoring process (pydantic, size caps).

Nothing here imports Keras: serialized Keras configs are read as plain JSON and reduced to
canonical names, so `"adam"`, `Adam()` and `keras.optimizers.Adam` all read as "adam".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

MAX_JSON = 2_000_000


class Loose(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorInfo(Loose):
    stage: str
    type: str
    message: str = Field(max_length=5000)
    line: int | None = None


class CallInfo(Loose):
    returned: str | None = None
    module: str | None = None
    error: ErrorInfo | None = None
    history_of_call: int | None = Field(default=None, ge=0, le=100)  # train: whose History


class LayerInfo(Loose):
    class_: str = Field(alias="class")
    units: int | None = None
    activation: str | None = None


class ModelFacts(Loose):
    class_: str = Field(alias="class")
    layers: list[LayerInfo] = Field(max_length=500)
    output_units: int | None = None
    output_activation: str | None = None
    compile: dict[str, Any] | None = None


class History(Loose):
    history: dict[str, list[float | None]]
    epochs_run: int
    params: dict[str, int | float | str]


Plain = bool | int | float | str | None


class CallbackInfo(Loose):
    """A callback of a recorded fit call (learner side): class, and its allowed attributes."""

    class_: str = Field(alias="class", max_length=200)
    keras: bool = False
    config: dict[str, Plain] | None = Field(default=None, max_length=20)


# The arrays of a recorded fit call (x, y, sample weights, validation x and y), handed to the
# inspector as fit_<call>_<name>.npy.
FIT_ARRAYS = ("x", "y", "sample_weight", "vx", "vy")
# Callbacks the inspector runs that never change the weights a training ends with: allowed next to
# the reference's callbacks (a checkpoint file, stopping on NaN).
ONLY_WATCH = ("ModelCheckpoint", "TerminateOnNaN")


class FitCall(Loose):
    """One model.fit call as the learner's process recorded it: only ever input to the
    inspector, which runs it; never judged."""

    options: dict[str, bool | int | float | str | dict[str, float]] = Field(
        default={}, max_length=20
    )
    callbacks: list[CallbackInfo] = Field(default=[], max_length=50)
    arrays: list[str] = Field(default=[], max_length=5)
    unsupported: list[str] = Field(default=[], max_length=100)
    compile: dict[str, Any] | None = None


class RunCallback(Loose):
    """A callback as the inspector built it (run) or left out (not run), and what it did."""

    class_: str = Field(alias="class", max_length=200)
    keras: bool = False
    run: bool = False
    config: dict[str, Plain] | None = Field(default=None, max_length=20)
    stopped_epoch: int | None = Field(default=None, ge=0, le=100_000)


class Validation(Loose):
    kind: Literal["split", "data", "none"]
    share: float = Field(ge=0, le=1)
    rows: int = Field(ge=0)
    tail: bool
    overlap: int = Field(ge=0)


class FitRun(Loose):
    """One recorded fit call as the inspector ran it: everything judged about a training."""

    unsupported: list[str] = Field(default=[], max_length=100)
    options: dict[str, Plain] = Field(default={}, max_length=20)
    validation: Validation | None = None
    callbacks: list[RunCallback] = Field(default=[], max_length=50)
    history: History | None = None
    recompiled: bool = False
    checkpoints: list[str] = Field(default=[], max_length=100)
    error: str | None = Field(default=None, max_length=5000)


class LearnerReport(Loose):
    task: str
    calls: dict[str, CallInfo] = {}
    import_error: ErrorInfo | None = None
    facts: ModelFacts | None = None
    fit: History | None = None
    fit_error: ErrorInfo | None = None
    predict_error: ErrorInfo | None = None
    save_errors: dict[str, str] = {}
    compile_mismatch: dict[str, str] | None = None  # kind, said, uses (see harness)
    fit_calls: list[FitCall] = Field(default=[], max_length=100)
    labels_saved: bool = False
    labels_error: str | None = None
    scores: list[float] | None = Field(default=None, max_length=100)
    scores_dict_keys: list[str] | None = None
    object_kind: str | None = None


class LoadError(Loose):
    kind: str
    message: str


class LrFacts(Loose):
    class_: str | None = Field(default=None, alias="class")
    schedule: str | None = None
    values: list[float | None] = []
    schedule_config: dict[str, int | float | bool | str] = {}
    error: str | None = None


class InspectReport(Loose):
    facts: ModelFacts | None = None
    returned_error: LoadError | None = None
    trained: bool = False  # the inspector trained the returned model itself
    exported: bool = False  # a model of the learner's own classes, checked from its exported graph
    fit: History | None = None  # that training's history, or the replayed fit calls'
    fit_error: ErrorInfo | None = None
    predict_error: ErrorInfo | None = None
    fit_runs: list[FitRun] | None = Field(default=None, max_length=100)  # fit tasks
    metric_values: dict[str, float | None] = Field(default={}, max_length=20)
    metric_truth: dict[str, float | None] = Field(default={}, max_length=5)
    val_loss_now: float | None = None
    lr: LrFacts | None = None


def read_json(path: Path, model: type[BaseModel]) -> tuple[Any, str | None]:
    """Read a handed-back JSON file: (parsed model or None, problem or None)."""
    if not path.is_file():
        return None, None
    if path.stat().st_size > MAX_JSON:
        return None, f"{path.name} is larger than {MAX_JSON} bytes"
    try:
        return model.model_validate(json.loads(path.read_text(encoding="utf-8"))), None
    except (ValueError, ValidationError) as e:
        return None, f"{path.name} is malformed: {str(e)[:300]}"


# -- canonical names ------------------------------------------------------------------------------
def _key(name: str) -> str:
    return name.replace("_", "").replace(" ", "").lower()


LOSSES = {
    "sparse_categorical_crossentropy": ["sparsecategoricalcrossentropy"],
    "categorical_crossentropy": ["categoricalcrossentropy"],
    "binary_crossentropy": ["binarycrossentropy"],
    "binary_focal_crossentropy": ["binaryfocalcrossentropy"],
    "mse": ["mse", "meansquarederror"],
    "mae": ["mae", "meanabsoluteerror"],
    "huber": ["huber", "huberloss"],
    "hinge": ["hinge"],
    "kl_divergence": ["kldivergence", "kld", "kullbackleiblerdivergence"],
    "msle": ["msle", "meansquaredlogarithmicerror"],
    "mape": ["mape", "meanabsolutepercentageerror"],
    "log_cosh": ["logcosh"],
}
METRICS = {
    "accuracy": ["accuracy", "acc", "sparsecategoricalaccuracy", "binaryaccuracy"],
    "categorical_accuracy": ["categoricalaccuracy"],
    "mae": ["mae", "meanabsoluteerror"],
    "mse": ["mse", "meansquarederror"],
}


def _lookup(table: dict[str, list[str]], name: str) -> str:
    k = _key(name)
    for canon, keys in table.items():
        if k in keys:
            return canon
    return name


def _name_of(cfg: Any) -> tuple[str | None, dict[str, Any]]:
    """(name, config) from a serialized Keras object: str, function ref or class dict."""
    if isinstance(cfg, str):
        return cfg, {}
    if isinstance(cfg, dict):
        inner = cfg.get("config")
        if cfg.get("class_name") == "function" and isinstance(inner, str):
            return inner, {}
        name = cfg.get("class_name")
        return (str(name) if name else None), inner if isinstance(inner, dict) else {}
    return None, {}


def loss_of(compile_cfg: dict[str, Any] | None) -> tuple[str | None, bool]:
    """(canonical loss name, from_logits) or (None, False) when there is no single loss."""
    if not compile_cfg:
        return None, False
    loss = compile_cfg.get("loss")
    if isinstance(loss, list | tuple) and len(loss) == 1:
        loss = loss[0]  # one output, its loss given as a one-element list
    elif isinstance(loss, dict) and len(loss) == 1 and "class_name" not in loss:
        loss = next(iter(loss.values()))  # {output name: loss}
    name, cfg = _name_of(loss)
    if name is None:
        return None, False
    return _lookup(LOSSES, name), bool(cfg.get("from_logits", False))


def meanings(values: dict[str, float | None], truth: dict[str, float | None]) -> set[str]:
    """Which of accuracy / mae / mse the compiled metrics compute (by their values on the same
    predictions, whatever they are called)."""
    found = set()
    for meaning, t in truth.items():
        for v in values.values():
            if v is not None and t is not None and abs(v - t) <= 1e-4 + 1e-3 * abs(t):
                found.add(meaning)
    return found


def metrics_of(compile_cfg: dict[str, Any] | None) -> list[str]:
    if not compile_cfg:
        return []
    raw = compile_cfg.get("metrics") or []
    if isinstance(raw, dict):
        raw = list(raw.values())
    flat: list[Any] = []
    for m in raw if isinstance(raw, list) else [raw]:
        flat.extend(m if isinstance(m, list) else [m])
    names = []
    for m in flat:
        name, _ = _name_of(m)
        if name:
            names.append(_lookup(METRICS, name))
    return names


def optimizer_of(compile_cfg: dict[str, Any] | None) -> tuple[str | None, Any]:
    """(lower-case optimizer class, learning rate config) from a compile config."""
    if not compile_cfg:
        return None, None
    name, cfg = _name_of(compile_cfg.get("optimizer"))
    return (name.lower() if name else None), cfg.get("learning_rate")

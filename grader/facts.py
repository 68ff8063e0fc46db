"""What the sandboxed processes hand back, validated in the scoring process (pydantic, size caps).

Nothing here imports Keras: serialized Keras configs are read as plain JSON and reduced to
canonical names, so `"adam"`, `Adam()` and `keras.optimizers.Adam` all read as "adam".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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


class CallbackInfo(Loose):
    class_: str = Field(alias="class")
    monitor: str | None = None
    patience: int | None = None
    restore_best_weights: bool | None = None
    save_best_only: bool | None = None
    config: dict[str, bool | int | float | str | None] | None = None  # to rebuild it in a replay


# The arrays of a recorded fit call (x, y, sample weights, validation x and y), handed to the
# inspector's replay as fit_<call>_<name>.npy.
FIT_ARRAYS = ("x", "y", "sample_weight", "vx", "vy")


class FitCall(Loose):
    batch_size: int | None = None
    epochs: int | None = None
    validation_split: float = 0.0
    validation_data_len: int | None = None
    validation_data_is_tail: bool | None = None
    x_len: int | None = None
    shuffle: bool = True
    callbacks: list[CallbackInfo] = Field(default=[], max_length=50)
    options: dict[str, bool | int | float | str | dict[int, float]] = {}
    arrays: list[str] = Field(default=[], max_length=5)
    unsupported: list[str] = Field(default=[], max_length=50)
    compile: dict[str, Any] | None = None


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
    trained_error: LoadError | None = None
    trained: bool = False  # the inspector trained the returned model itself
    exported: bool = False  # a model of the learner's own classes, checked from its exported graph
    fit: History | None = None  # that training's history, or the replayed fit calls'
    fit_error: ErrorInfo | None = None
    predict_error: ErrorInfo | None = None
    replay_error: LoadError | None = None  # fit-validation: the record does not give the weights
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
    name, cfg = _name_of(compile_cfg.get("loss"))
    if name is None:
        return None, False
    return _lookup(LOSSES, name), bool(cfg.get("from_logits", False))


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

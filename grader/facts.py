"""What the sandboxed processes hand back, validated in the scoring process (pydantic, size caps).

Nothing here imports Keras: serialized Keras configs are read as plain JSON and reduced to
canonical names, so `"adam"`, `Adam()` and `keras.optimizers.Adam` all read as "adam".
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from grader.curves import KINDS

MAX_JSON = 2_000_000
MAX_DEPTH = 64  # far deeper than any Keras config; json.loads recurses once per level

# Hardening (hostile suite): every number, string and collection the learner's process hands back
# is bounded, so a forged record cannot reach a division, a format or a loop with an absurd value.
BIG = 2**31 - 1
Count = Annotated[int, Field(ge=0, le=BIG)]
Name = Annotated[str, Field(max_length=500)]
Text = Annotated[str, Field(max_length=5000)]


class Loose(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorInfo(Loose):
    stage: Name
    type: Name
    message: Text
    line: Count | None = None
    # A limit of the grader's met in the job: a `job_*` catalogue key and its fields (checks.said).
    key: Name | None = None
    fields: dict[Name, Name] = Field(default={}, max_length=5)


class CallInfo(Loose):
    returned: Name | None = None
    module: Name | None = None
    error: ErrorInfo | None = None
    history_of_call: int | None = Field(default=None, ge=0, le=100)  # train: whose History


class LayerInfo(Loose):
    class_: Name = Field(alias="class")
    units: Count | None = None
    activation: Name | None = None


class ModelFacts(Loose):
    class_: Name = Field(alias="class")
    layers: list[LayerInfo] = Field(max_length=500)
    output_units: Count | None = None
    output_activation: Name | None = None
    compile: dict[Name, Any] | None = Field(default=None, max_length=100)
    layer_classes: list[Name] = Field(default=[], max_length=200)


class History(Loose):
    history: dict[Name, Annotated[list[float | None], Field(max_length=1_000_000)]] = Field(
        max_length=100
    )
    epochs_run: Count
    params: dict[Name, int | float | Text] = Field(max_length=100)


Plain = bool | int | float | str | None


Epoch = Annotated[int, Field(ge=-1, le=100_000)]


class Trace(Loose):
    """What a callback of the learner's own class did on one probe curve (learner side, so only
    ever compared with what Keras' own callback does: grader/jobs/owncallback.py)."""

    stopped: Epoch | None = None
    weights: Epoch | None = None
    saved: Epoch | None = None  # whose model the checkpoint file holds at the end
    error: Name | None = None


class CallbackInfo(Loose):
    """A callback of a recorded fit call (learner side): class, and its allowed attributes; for
    a class of the learner's own, its base classes and its traces on the probe curves."""

    class_: str = Field(alias="class", max_length=200)
    keras: bool = False
    config: dict[str, Plain] | None = Field(default=None, max_length=20)
    bases: list[Name] = Field(default=[], max_length=10)
    traces: list[Trace] | None = Field(default=None, max_length=50)


class Behaviour(Loose):
    """Where an own callback first behaved otherwise than the reference's on the probe curves
    (inspector side): the curve, what differed, and the epochs (counted from 1; None: never)."""

    as_: Name = Field(alias="as")
    config: dict[str, Plain] = Field(default={}, max_length=20)
    curve: Count
    kind: Name
    monitor: Name
    epochs: Count
    best: Count
    what: Literal["stop", "weights", "saved", "error", "missing"]
    got: Count | None = None
    want: Count | None = None
    error: Name | None = None

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, kind: str) -> str:
        if kind not in KINDS:
            raise ValueError(f"unknown probe curve kind {kind[:50]!r}")
        return kind


# The arrays of a recorded fit call (x, y, sample weights, validation x and y), handed to the
# inspector as fit_<call>_<name>.npy.
FIT_ARRAYS = ("x", "y", "sample_weight", "vx", "vy")
# Callbacks the inspector runs that never change the weights a training ends with: allowed next to
# the reference's callbacks (a checkpoint file, stopping on NaN).
ONLY_WATCH = ("ModelCheckpoint", "TerminateOnNaN")
# The reference's callbacks a callback class of the learner's own may stand for, judged by its
# behaviour on probe curves (grader/curves.py, grader/jobs/owncallback.py DRIVEN says the same).
DRIVEN = ("EarlyStopping", "ModelCheckpoint")


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
    own_class: Name | None = None  # the learner's class that behaved as this Keras callback
    bases: list[Name] = Field(default=[], max_length=10)
    behaviour: Behaviour | None = None  # how the learner's class behaved otherwise


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
    checkpoint_val_loss: float | None = None  # what the checkpoint file's model gives
    error: str | None = Field(default=None, max_length=5000)


class ValueInfo(Loose):
    """What one call of a function entry point returned (numbers saved as value_<name>_<i>.npy)."""

    kind: Literal["array", "dict", "none", "other", "error"]
    file: Name | None = None
    keys: list[Name] = Field(default=[], max_length=20)
    type: Name | None = None
    error: Any = None
    # Why an "other" value is not numbers the grader reads: a `job_*` key and its fields.
    key: Name | None = None
    fields: dict[Name, Name] = Field(default={}, max_length=5)


class LearnerReport(Loose):
    calls: dict[Name, CallInfo] = Field(default={}, max_length=20)
    import_error: ErrorInfo | None = None
    facts: ModelFacts | None = None
    fit: History | None = None
    fit_error: ErrorInfo | None = None
    predict_error: ErrorInfo | None = None
    save_errors: dict[Name, Text] = Field(default={}, max_length=20)
    # kind, said, uses (see harness)
    compile_mismatch: dict[Name, Text] | None = Field(default=None, max_length=10)
    fit_calls: list[FitCall] = Field(default=[], max_length=100)
    labels_saved: bool = False
    labels_error: Text | None = None
    scores: list[float] | None = Field(default=None, max_length=100)
    scores_dict_keys: list[Name] | None = Field(default=None, max_length=100)
    object_kind: Name | None = None
    own_schedule: Name | None = None  # a LearningRateSchedule of the learner's own class
    own_loss: Name | None = None  # the name of a loss of the learner's own (for messages only)
    values: dict[Name, list[ValueInfo]] = Field(default={}, max_length=8)


class LoadError(Loose):
    kind: Name
    message: Text
    # The inspector's reason as a message catalogue key and its fields (grading renders it).
    key: Name | None = None
    fields: dict[Name, Text] = Field(default={}, max_length=5)


class LrFacts(Loose):
    class_: Name | None = Field(default=None, alias="class")
    schedule: Name | None = None
    values: list[float | None] = Field(default=[], max_length=100_000)
    schedule_config: dict[Name, int | float | bool | Text] = Field(default={}, max_length=100)
    error: Text | None = None


class OptimizerFacts(Loose):
    class_: Name = Field(alias="class")
    explicit: dict[Name, bool | int | float | Text] = Field(default={}, max_length=50)


class OwnLossFacts(Loose):
    """A loss of the learner's own as the inspector ran its graph (grader/jobs/lossprobe.py)."""

    matched: Name | None = None  # the Keras loss it computes ("mse", "...:from_logits"), if any
    own: float | None = None  # its value on the first probe (a training batch) ...
    rows: Count = 0  # ... of this many rows
    keras: dict[Name, float | None] = Field(default={}, max_length=40)  # Keras' losses there
    error: LoadError | None = None  # why it could not be checked


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
    optimizer: OptimizerFacts | None = None
    own_loss: OwnLossFacts | None = None


def read_json(path: Path, model: type[BaseModel]) -> tuple[Any, str | None]:
    """Read a handed-back JSON file: (parsed model or None, problem or None)."""
    if not path.is_file():
        return None, None
    if path.stat().st_size > MAX_JSON:
        return None, f"{path.name} is larger than {MAX_JSON} bytes"
    try:
        text = path.read_text(encoding="utf-8")
        if json_depth(text) > MAX_DEPTH:
            return None, f"{path.name} is malformed: nested deeper than {MAX_DEPTH} levels"
        return model.model_validate(json.loads(text)), None
    except ValidationError as e:  # location: message, the first few (no input values)
        where = "; ".join(f"{'.'.join(map(str, x['loc']))}: {x['msg']}" for x in e.errors()[:3])
        return None, f"{path.name} is malformed: {where[:300]}"
    except Exception as e:  # noqa: BLE001 (whatever the file holds, it is only malformed)
        return None, f"{path.name} is malformed: {type(e).__name__}: {str(e)[:300]}"


_JSON_TOKENS = re.compile(r'["\\\[\]{}]')


def json_depth(text: str) -> int:
    """How deeply the arrays and objects of a JSON text nest (brackets inside strings ignored),
    found without recursion, so that json.loads is never handed a text that would exhaust it."""
    depth = deepest = 0
    in_string, escaped_at = False, -1
    for m in _JSON_TOKENS.finditer(text):
        c, at = m.group(), m.start()
        if in_string:
            if at == escaped_at:
                continue  # the character after a backslash
            if c == "\\":
                escaped_at = at + 1
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif c in "]}":
            depth -= 1
    return deepest


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

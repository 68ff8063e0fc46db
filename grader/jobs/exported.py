"""Models of the learner's own classes, checked without running their Python (inspector side).

A subclassed model cannot be loaded from `.keras` without importing the learner's code. The
learner's job therefore also exports it as a TensorFlow SavedModel: the graph its `call()` traced
to, plus its variables. That is data: TensorFlow operations, no Python. Here the graph is read as
a protocol buffer first (operations with side effects, such as file writes or Python callbacks,
are refused; the output activation is read off the operation that produces the output), then
loaded as a trainable `TFSMLayer`, compiled with the settings the `.keras` file records (safe
mode: Keras' own losses and optimizers only) and trained like any other returned model.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import keras

from grader.jobs.harness import archive_config

# Operations that reach outside the computation (files, Python, summaries, debugging hooks).
# The checkpoint operations TensorFlow itself uses to restore the variables are allowed.
FORBIDDEN = {
    "WriteFile",
    "ReadFile",
    "MatchingFiles",
    "DeleteFile",
    "PrintV2",
    "Print",
    "PyFunc",
    "PyFuncStateless",
    "EagerPyFunc",
    "ImmutableConst",
    "ExecuteTPUEmbeddingPartitioner",
}
FORBIDDEN_PARTS = ("Debug", "Summary", "Dataset", "Reader", "Iterator", "Socket", "Rpc")
ACTIVATIONS = {
    "Sigmoid": "sigmoid",
    "Softmax": "softmax",
    "Relu": "relu",
    "Relu6": "relu6",
    "Tanh": "tanh",
    "Elu": "elu",
    "Selu": "selu",
    "Softplus": "softplus",
    "LeakyRelu": "leaky_relu",
    "Exp": "exponential",
}
PASS_THROUGH = {"Identity", "IdentityN", "Cast", "Reshape", "Squeeze", "ExpandDims", "NoOp"}
CALLS = {"StatefulPartitionedCall", "PartitionedCall"}
MAX_GRAPH = 50_000_000


class NotCheckable(Exception):
    """The exported model cannot be checked: why, as a message catalogue key and its fields,
    rendered in the learner's language by the scoring side (the jobs hold no catalogue)."""

    def __init__(self, key: str, **fields: str) -> None:
        super().__init__(key)
        self.key, self.fields = key, fields

    def load_error(self) -> dict[str, Any]:
        """The inspector's `returned_error` for it."""
        fields = {k: v[:500] for k, v in self.fields.items()}
        return {"kind": "custom", "message": self.key, "key": self.key, "fields": fields}


def graph_activation(folder: Path) -> str | None:
    """The output activation of the exported serving function (None: linear); refuses graphs
    with side effects."""
    from tensorflow.core.protobuf import saved_model_pb2

    pb = folder / "saved_model.pb"
    if not pb.is_file() or pb.stat().st_size > MAX_GRAPH:
        raise NotCheckable("inspect_no_exported_graph")
    saved = saved_model_pb2.SavedModel()
    try:
        saved.ParseFromString(pb.read_bytes())
        graph = saved.meta_graphs[0]
    except Exception as e:  # noqa: BLE001 (a forged or truncated file)
        raise NotCheckable("inspect_graph_unreadable", error=str(e)) from e
    funcs = {f.signature.name: f for f in graph.graph_def.library.function}
    ops = {n.op for n in graph.graph_def.node} | {n.op for f in funcs.values() for n in f.node_def}
    bad = sorted(op for op in ops if op in FORBIDDEN or any(p in op for p in FORBIDDEN_PARTS))
    if bad:
        raise NotCheckable("inspect_graph_side_effects", ops=", ".join(bad))
    signature = graph.signature_def.get("serve") or graph.signature_def.get("serving_default")
    if signature is None or len(signature.outputs) != 1:
        raise NotCheckable("inspect_graph_no_serving")
    nodes = {n.name: n for n in graph.graph_def.node}
    op = _source_op(next(iter(signature.outputs.values())).name, nodes, funcs, 0)
    return ACTIVATIONS.get(op)


def _source_op(tensor: str, nodes: dict[str, Any], funcs: dict[str, Any], depth: int) -> str:
    """The type of the operation that computes `tensor`, through identities and function calls."""
    name, _, rest = tensor.lstrip("^").partition(":")
    node = nodes.get(name)
    if node is None or depth > 100:
        return ""
    if node.op in PASS_THROUGH and node.input:
        return _source_op(node.input[0], nodes, funcs, depth + 1)
    if node.op in CALLS:
        func = funcs.get(node.attr["f"].func.name)
        index = int(rest.rsplit(":", 1)[-1] or 0) if rest else 0
        if func is None or index >= len(func.signature.output_arg):
            return ""
        ret = func.ret[func.signature.output_arg[index].name]
        inner = {n.name: n for n in func.node_def}
        return _source_op(ret, inner, funcs, depth + 1)
    return str(node.op)


def compile_config(archive: Path) -> dict[str, Any] | None:
    """The compile settings recorded in the `.keras` file (read as JSON, nothing deserialized)."""
    try:
        config = archive_config(archive).get("compile_config")
    except Exception as e:  # noqa: BLE001
        raise NotCheckable("inspect_model_file_unreadable", error=str(e)) from e
    return config if isinstance(config, dict) else None


def load_exported(
    folder: Path, archive: Path, input_shape: tuple[int, ...]
) -> tuple[Any, str | None]:
    """(a Keras model around the exported graph, compiled as recorded; its output activation)."""
    activation = graph_activation(folder)
    config = compile_config(archive)
    from keras.src.saving.serialization_lib import SafeModeScope

    try:
        layer = keras.layers.TFSMLayer(str(folder), call_endpoint="serve", trainable=True)
        inputs = keras.Input(input_shape)
        model = keras.Model(inputs, layer(inputs))
    except Exception as e:  # noqa: BLE001
        raise NotCheckable("inspect_graph_not_loadable", error=f"{type(e).__name__}: {e}") from e
    if config is not None:
        try:
            with SafeModeScope(True):
                model.compile_from_config(config)
        except Exception as e:  # noqa: BLE001 (e.g. a loss function of the learner's own)
            raise NotCheckable("inspect_compile_own_code", error=f"{type(e).__name__}: {e}") from e
    return model, activation

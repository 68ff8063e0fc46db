"""Models of the learner's own classes, checked without running their Python (inspector side).

A subclassed model cannot be loaded from `.keras` without importing the learner's code. The
learner's job therefore also exports it as a TensorFlow SavedModel: the graph its `call()` traced
to, plus its variables. That is data: TensorFlow operations, no Python. Here the graph is read as
a protocol buffer first (operations with side effects, such as file writes or Python callbacks,
are refused; the output activation is read off the operation that produces the output), then
loaded as a trainable `TFSMLayer`, compiled with the settings the `.keras` file records (safe
mode: Keras' own losses and optimizers only) and trained like any other returned model. The
graph's recurrent layers are read off its structure (`recurrent_layers`), never off names.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import keras

from grader.jobs.fitrecord import GraderLimit
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


def _graph(folder: Path) -> Any:
    """The exported MetaGraph, read as a protocol buffer (nothing run); refuses side effects."""
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
    return graph


def read_graph(folder: Path) -> tuple[str | None, list[str]]:
    """(the output activation of the exported serving function, None: linear; the recurrent
    layers its output is computed through, see `recurrent_layers`)."""
    graph = _graph(folder)
    funcs = {f.signature.name: f for f in graph.graph_def.library.function}
    signature = graph.signature_def.get("serve") or graph.signature_def.get("serving_default")
    if signature is None or len(signature.outputs) != 1:
        raise NotCheckable("inspect_graph_no_serving")
    nodes = {n.name: n for n in graph.graph_def.node}
    output = next(iter(signature.outputs.values())).name
    try:
        op = _source_op(output, nodes, funcs, 0)
        recurrent = recurrent_layers(output, nodes, funcs)
    except (ValueError, KeyError, IndexError) as e:  # a forged graph's malformed references
        raise NotCheckable("inspect_graph_unreadable", error=f"{type(e).__name__}: {e}") from e
    return ACTIVATIONS.get(op), recurrent


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
    except GraderLimit as e:
        raise NotCheckable(e.key, **e.fields) from e
    except Exception as e:  # noqa: BLE001
        raise NotCheckable("inspect_model_file_unreadable", error=str(e)) from e
    return config if isinstance(config, dict) else None


def load_exported(
    folder: Path, archive: Path, input_shape: tuple[int, ...]
) -> tuple[Any, str | None, list[str]]:
    """(a Keras model around the exported graph, compiled as recorded; its output activation;
    the recurrent layers its output is computed through)."""
    activation, recurrent = read_graph(folder)
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
        _shape_gradients(model.optimizer)
    return model, activation, recurrent


def _shape_gradients(optimizer: Any) -> None:
    """TensorFlow gives the gradients through a loaded graph's While loop (a recurrent layer run
    over the time steps) no static shape, which Keras' optimizers need: each gradient is given
    the shape of its variable before the optimizer applies it."""
    import tensorflow as tf

    apply = optimizer.apply_gradients

    def shaped(pairs: Any) -> Any:
        pairs = [(g if g is None else tf.ensure_shape(g, v.shape), v) for g, v in pairs]
        return apply(pairs)

    optimizer.apply_gradients = shaped


# A recurrent layer in a graph, by its structure alone: a While loop over the time steps whose body
# multiplies a state it carries (a loop variable of shape (batch, units) that the body changes) by
# a variable read inside the loop (or a slice of it), the recurrent kernel, of shape
# (units, k * units). Keras' cells differ in k and in the states carried: SimpleRNN (1, 1), GRU
# (3 gates' worth, 1), LSTM (4, 2: the output and the cell state). Names (of layers, variables,
# operations) are never read. An unrolled RNN (`unroll=True`) has no loop and is not seen.
RECURRENT = {(1, 1): "SimpleRNN", (3, 1): "GRU", (4, 2): "LSTM"}
RECURRENT_ANY = "recurrent"  # such a loop, but not in the shape of one of Keras' cells
_FLOATS = {1, 2, 14, 19}  # DT_FLOAT, DT_DOUBLE, DT_BFLOAT16, DT_HALF
_RESOURCE = 20
_LOOPS = {"While", "StatelessWhile"}
_MAX_STEPS = 200_000  # graph nodes visited while tracing the output back


def _dims(attr: Any) -> list[int] | None:
    shapes = attr["_output_shapes"].list.shape if "_output_shapes" in attr else []
    if not shapes or shapes[0].unknown_rank:
        return None
    return [int(d.size) for d in shapes[0].dim]


# Operations that take part of a tensor, with the position of the input they take it from.
_SLICES = {"StridedSlice": 0, "Slice": 0, "SplitV": 0, "Split": 1}


def _origin(tensor: str, nodes: dict[str, Any], through: dict[str, int] | None = None) -> str:
    """The node (or function argument) a tensor comes from, through identities and casts (and
    the operations in `through`, at their input position)."""
    name = tensor.lstrip("^").partition(":")[0]
    for _ in range(100):
        node = nodes.get(name)
        if node is None or not node.input:
            break
        if node.op in PASS_THROUGH:
            position = 0
        elif through and node.op in through and len(node.input) > through[node.op]:
            position = through[node.op]
        else:
            break
        name = node.input[position].lstrip("^").partition(":")[0]
    return name


def loop_kind(body: Any) -> str | None:
    """Which recurrent layer a While loop's body computes (RECURRENT), RECURRENT_ANY for another
    state carried through a recurrent kernel, None for a loop that is not recurrent."""
    args, outs = list(body.signature.input_arg), list(body.signature.output_arg)
    nodes = {n.name: n for n in body.node_def}
    states: dict[str, int] = {}  # carried state -> units
    for i, arg in enumerate(args):
        dims = _dims(body.arg_attr[i].attr) if i in body.arg_attr else None
        if arg.type not in _FLOATS or not dims or len(dims) != 2 or dims[1] <= 0:
            continue
        if i < len(outs) and _origin(body.ret.get(outs[i].name, arg.name), nodes) != arg.name:
            states[arg.name] = dims[1]
    resources = {a.name for a in args if a.type == _RESOURCE}
    for node in body.node_def:
        if node.op != "MatMul" or len(node.input) < 2:
            continue
        units = states.get(_origin(node.input[0], nodes))
        read = nodes.get(_origin(node.input[1], nodes, _SLICES))  # (GRU: reset_after=False)
        if units is None or read is None or read.op != "ReadVariableOp" or not read.input:
            continue
        kernel = _dims(read.attr)
        if _origin(read.input[0], nodes) not in resources or not kernel or len(kernel) != 2:
            continue
        rows, cols = reversed(kernel) if node.attr["transpose_b"].b else kernel
        if rows == units and cols % units == 0:
            return RECURRENT.get((cols // units, len(states)), RECURRENT_ANY)
    return None


def recurrent_layers(output: str, nodes: dict[str, Any], funcs: dict[str, Any]) -> list[str]:
    """The recurrent loops (`loop_kind`) that the serving output is computed from: its data
    inputs traced back through nested function calls (into the function output used, out through
    the argument bound at the call); a loop nothing of the output depends on does not count."""
    found: list[str] = []
    seen: set[tuple[int, str]] = set()
    Scope = tuple[dict[str, Any], dict[str, Any]]  # (nodes, argument -> (tensor, caller's scope))
    scopes: list[Scope] = [(nodes, {})]  # kept alive: their ids key `seen`
    bodies: dict[str, dict[str, Any]] = {}
    stack: list[tuple[str, Scope]] = [(output, scopes[0])]
    steps = 0
    while stack and steps < _MAX_STEPS:
        steps += 1
        tensor, scope = stack.pop()
        inner, bound = scope
        name, _, rest = tensor.partition(":")
        if name in bound:
            stack.append(bound[name])
            continue
        node = inner.get(name)
        key = (id(scope), tensor if node is not None and node.op in CALLS else name)
        if node is None or key in seen:
            continue
        seen.add(key)
        data = [t for t in node.input if not t.startswith("^")]
        if node.op in CALLS:
            func = funcs.get(node.attr["f"].func.name)
            index = int(rest.rsplit(":", 1)[-1] or 0) if rest else 0
            if func is None or index >= len(func.signature.output_arg):
                continue
            args = func.signature.input_arg
            if func.signature.name not in bodies:
                bodies[func.signature.name] = {n.name: n for n in func.node_def}
            callee: Scope = (
                bodies[func.signature.name],
                {a.name: (t, scope) for a, t in zip(args, data, strict=False)},
            )
            scopes.append(callee)
            stack.append((func.ret[func.signature.output_arg[index].name], callee))
            continue
        if node.op in _LOOPS:
            body = funcs.get(node.attr["body"].func.name)
            kind = loop_kind(body) if body is not None else None
            if kind is not None:
                found.append(kind)
        stack.extend((t, scope) for t in data)
    return sorted(set(found))

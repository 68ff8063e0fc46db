"""Mutation testing of an exercise's checks: classic mistakes planted in its reference solution.

Each operator of the catalogue below finds a place in `reference.py` where a learner's classic
mistake fits (swap the loss, add `from_logits=True`, change patience, drop a callback, staircase,
swap the returned values, ...) and writes the mutant. `learn validate` grades every mutant: one
that keeps full marks shows a check blind to that mistake; one whose failed checks do not name
the mistake shows feedback that would leave a learner guessing. Pure Python (ast): no Keras here.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Mutant:
    label: str  # what the mistake is, e.g. "patience 10"
    line: int  # where in reference.py
    source: str
    names: tuple[str, ...]  # a failed check's message must contain one of these (any case)


# A loss and the classic wrong choices made instead of it (keys: Keras' string names).
WRONG_LOSSES = {
    "sparse_categorical_crossentropy": ("categorical_crossentropy", "mse"),
    "categorical_crossentropy": ("sparse_categorical_crossentropy", "mse"),
    "binary_crossentropy": ("mse", "sparse_categorical_crossentropy"),
    "mse": ("binary_crossentropy",),
    "mean_squared_error": ("binary_crossentropy",),
}
LOSS_CLASSES = {
    "sparse_categorical_crossentropy": "SparseCategoricalCrossentropy",
    "categorical_crossentropy": "CategoricalCrossentropy",
    "binary_crossentropy": "BinaryCrossentropy",
}
WRONG_OPTIMIZERS = {"adam": "sgd", "sgd": "adam", "rmsprop": "adam"}
OPTIMIZER_CLASSES = {"Adam": "SGD", "SGD": "Adam", "RMSprop": "Adam"}
# A comparison and the one a classic slip writes instead (strict and loose swapped).
COMPARISONS: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.LtE: ast.Lt,
}
# What the function-result kind says of a function that returns other values.
FUNCTION_RESULT = ("off by one", "the reference's gives", "match")
OUTPUT_ACTIVATIONS = {"softmax": "sigmoid", "sigmoid": "relu", "linear": "relu"}


def _kw(node: ast.AST, name: str) -> ast.keyword | None:
    if isinstance(node, ast.Call):
        return next((k for k in node.keywords if k.arg == name), None)
    return None


def _const(node: ast.AST | None) -> object:
    return node.value if isinstance(node, ast.Constant) else None


def _callee(node: ast.Call) -> str:
    f = node.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""


def _last_dense(tree: ast.Module) -> ast.Call | None:
    dense = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and _callee(n) == "Dense"]
    return max(dense, key=lambda n: (n.lineno, n.col_offset)) if dense else None


def _mutations(
    node: ast.AST, tree: ast.Module
) -> Iterator[tuple[str, Callable[[], None], tuple[str, ...]]]:
    """(label, apply, names) for every mistake that fits at `node` (apply edits node in place)."""
    if isinstance(node, ast.Call):
        loss = _kw(node, "loss")
        value = _const(loss.value) if loss else None
        if loss is not None and isinstance(value, str):
            for wrong in WRONG_LOSSES.get(value, ()):
                yield f"loss {wrong}", _set(loss, ast.Constant(wrong)), (wrong, "loss")
            if value in LOSS_CLASSES:
                made = ast.parse(f"keras.losses.{LOSS_CLASSES[value]}(from_logits=True)").body[0]
                assert isinstance(made, ast.Expr)
                yield "from_logits=True", _set(loss, made.value), ("from_logits",)
        opt = _kw(node, "optimizer")
        if opt is not None and isinstance(_const(opt.value), str):
            swap = WRONG_OPTIMIZERS.get(str(_const(opt.value)).lower())
            if swap:
                yield f"optimizer {swap}", _set(opt, ast.Constant(swap)), (swap, "optimizer")
        metrics = _kw(node, "metrics")
        if metrics is not None and isinstance(metrics.value, ast.List) and metrics.value.elts:
            yield "no metric", _set(metrics, ast.List([], ast.Load())), ("metric",)
        for name, change, names in (
            ("patience", lambda v: v + 7, ("patience",)),
            ("batch_size", lambda v: v * 2, ("batch_size",)),
            ("epochs", lambda v: max(1, v // 5), ("epochs",)),
            ("validation_split", lambda v: v / 2, ("validation",)),
            ("decay_rate", lambda v: v / 2, ("lr at step",)),
            ("decay_steps", lambda v: v // 10, ("lr at step",)),
            ("initial_learning_rate", lambda v: v * 10, ("lr at step",)),
            ("learning_rate", lambda v: v * 10, ("learning_rate",)),
            ("momentum", lambda v: v / 2, ("momentum",)),
        ):
            kw = _kw(node, name)
            v = _const(kw.value) if kw else None
            if kw is not None and isinstance(v, int | float) and not isinstance(v, bool):
                new = change(v)
                yield f"{name} {new:g}", _set(kw, ast.Constant(new)), names
        kw = _kw(node, "monitor")
        if kw is not None and _const(kw.value) == "val_loss":
            yield "monitor 'loss'", _set(kw, ast.Constant("loss")), ("monitor",)
        kw = _kw(node, "restore_best_weights")
        if kw is not None and _const(kw.value) is True:
            yield "restore_best_weights False", _set(kw, ast.Constant(False)), ("restore",)
        kw = _kw(node, "save_best_only")
        if kw is not None and _const(kw.value) is True:
            yield "save_best_only False", _set(kw, ast.Constant(False)), ("save_best_only",)
        kw = _kw(node, "axis")
        if kw is not None and _callee(node) == "argmax" and _const(kw.value) != 0:
            yield "argmax over axis 0", _set(kw, ast.Constant(0)), ("axis",)
        callbacks = _kw(node, "callbacks")
        if callbacks is not None and isinstance(callbacks.value, ast.List):
            for i in range(len(callbacks.value.elts)):
                yield "a callback dropped", _drop(callbacks.value.elts, i), ("callback",)
        if _callee(node) == "ExponentialDecay" and _kw(node, "staircase") is None:
            add = ast.keyword("staircase", ast.Constant(True))
            yield "staircase=True", lambda: node.keywords.append(add), ("staircase",)
        if isinstance(node.func, ast.Attribute) and node.func.attr in OPTIMIZER_CLASSES:
            wrong = OPTIMIZER_CLASSES[node.func.attr]
            func = node.func

            def rename() -> None:
                func.attr = wrong

            yield f"optimizer {wrong}", rename, (wrong, "optimizer")
        if node is _last_dense(tree):
            act = _kw(node, "activation")
            now = _const(act.value) if act else "linear"
            bad = OUTPUT_ACTIVATIONS.get(str(now))
            if bad and act is not None:
                yield f"output activation {bad}", _set(act, ast.Constant(bad)), (bad,)
            elif bad:
                added = ast.keyword("activation", ast.Constant(bad))
                yield f"output activation {bad}", lambda: node.keywords.append(added), (bad,)
    # A function's own logic: a strict comparison made loose (ties, equal values), a loose one
    # strict (where counting stops), a count made 0-based.
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        turned = COMPARISONS.get(type(node.ops[0]))
        if turned is not None:
            ops, op_class = node.ops, turned

            def loosen() -> None:
                ops[0] = op_class()

            yield f"comparison {ast.unparse(node)} changed", loosen, FUNCTION_RESULT
    if (
        isinstance(node, ast.Return)
        and isinstance(node.value, ast.BinOp)
        and isinstance(node.value.op, ast.Add)
        and _const(node.value.right) == 1
    ):
        ret, left = node, node.value.left

        def zero_based() -> None:
            ret.value = left

        yield "counted from 0", zero_based, FUNCTION_RESULT
    if isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple):
        elts = node.value.elts
        if len(elts) == 2:
            yield "returned values swapped", lambda: elts.reverse(), ("swapped",)


def _set(kw: ast.keyword, value: ast.expr) -> Callable[[], None]:
    def apply() -> None:
        kw.value = value

    return apply


def _drop(items: list[ast.expr], i: int) -> Callable[[], None]:
    def apply() -> None:
        items.pop(i)

    return apply


def mutants(source: str) -> list[Mutant]:
    """Every mutant of the catalogue that fits `source` (a reference solution). Each is made on
    its own copy of the tree, found again there by its position in the walk."""
    tree = ast.parse(source)
    nodes = list(ast.walk(tree))
    found: list[Mutant] = []
    for index, node in enumerate(nodes):
        for k, (_label, _apply, names) in enumerate(_mutations(node, tree)):
            copy_tree = copy.deepcopy(tree)
            target = list(ast.walk(copy_tree))[index]
            label, apply, _ = list(_mutations(target, copy_tree))[k]
            apply()
            line = getattr(node, "lineno", 1)
            found.append(Mutant(label, line, ast.unparse(copy_tree) + "\n", names))
    return found

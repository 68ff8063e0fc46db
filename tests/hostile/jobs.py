"""Jobs the hostile suite runs in the sandbox directly (found through `extra_sys_path`)."""

from __future__ import annotations

from typing import Any


def save_lambda_model(payload: dict[str, Any]) -> None:
    """Save a model whose Lambda layer writes LAMBDA-RAN into the current folder when called."""
    import keras

    def evil(x: Any) -> Any:
        open("LAMBDA-RAN", "w").close()  # noqa: SIM115
        return x

    model = keras.Sequential(
        [
            keras.Input((16,)),
            keras.layers.Lambda(evil),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    for name in ("returned.keras", "trained.keras"):
        model.save(name)

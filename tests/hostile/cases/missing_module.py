"""Hostile: imports a module that does not exist. Expected: 0, "No module named"."""
import keras_turbo_boost  # noqa: F401


def make_optimizer():
    return None

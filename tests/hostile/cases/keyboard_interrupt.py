"""Hostile: raises KeyboardInterrupt in the entry point. Expected: 0, "KeyboardInterrupt"."""


def make_optimizer():
    raise KeyboardInterrupt

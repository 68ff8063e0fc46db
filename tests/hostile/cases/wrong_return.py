"""Hostile: returns a string instead of an optimizer. Expected: 0, "got str"."""


def make_optimizer():
    return "adam"

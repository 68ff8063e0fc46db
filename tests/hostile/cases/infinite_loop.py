"""Hostile: `while True: pass` in the entry point. Expected: 0, "time limit"; nothing left running."""


def make_optimizer():
    while True:
        pass

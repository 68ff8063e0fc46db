"""Hostile: os.kill(-1, SIGKILL): signal every process it is allowed to.

Expected (root): only processes of its own uid can be signalled, and Linux spares the caller:
nothing dies, make_optimizer goes on to return None (0, "returned None"); the grader and the
zygote live on.
"""
import os
import signal


def make_optimizer():
    os.kill(-1, signal.SIGKILL)
    return None

"""Hostile: os.kill(-1, SIGKILL): signal every process it is allowed to.

Expected (root): only its own uid's processes die, itself included: 0, "crashed ... signal 9";
the grader and the zygote live on.
"""
import os
import signal


def make_optimizer():
    os.kill(-1, signal.SIGKILL)
    return None

"""Hostile: os.kill(os.getppid(), 9). Expected (root): 0, "PermissionError"; the zygote lives."""
import os


def make_optimizer():
    os.kill(os.getppid(), 9)
    return None

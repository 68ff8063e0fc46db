"""Hostile: os._exit(0) inside the entry point. Expected: 0, "sys.exit() or os._exit()"."""
import os


def make_optimizer():
    os._exit(0)

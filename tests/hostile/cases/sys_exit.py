"""Hostile: sys.exit(0) inside the entry point. Expected: 0, "SystemExit"."""
import sys


def make_optimizer():
    sys.exit(0)

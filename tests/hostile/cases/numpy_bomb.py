"""Hostile: allocates a 4 TB numpy array. Expected: 0, "memory limit"; the grader lives on."""
import numpy as np


def make_optimizer():
    blob = np.ones((10**6, 10**6), dtype="float32")
    return blob

"""Hostile: makes the grader's copy-back multiply disk, then returns SGD.

In out/ it leaves a 5 GB sparse file (or, where the file-size limit refuses that, 80 sparse files
of 60 MB: 4.8 GB of holes) and 3000 hard links to one 1 MB file. In its tmpfs all this costs
about 1 MB; copied back densely, one file per name, it would be about 8 GB on the host's disk.
Expected: what SGD earns (80); the copy-back refuses every sparse file and every hard link
(said in the output as "not handed back ... refused"), and the report still comes back.
"""
import os

import keras

GB, MB = 1024**3, 1024**2


def _flood():
    os.makedirs("out", exist_ok=True)
    try:
        with open("out/fit_hole-big.npy", "wb") as f:
            f.truncate(5 * GB)
    except OSError:  # RLIMIT_FSIZE: many holes under the limit instead
        os.unlink("out/fit_hole-big.npy")
        for i in range(80):
            with open(f"out/fit_hole-{i:02d}.npy", "wb") as f:
                f.truncate(60 * MB)
    with open("out/fit_data.npy", "wb") as f:
        f.write(os.urandom(MB))
    for i in range(3000):
        os.link("out/fit_data.npy", f"out/fit_link-{i:04d}.npy")


def make_optimizer():
    _flood()
    schedule = keras.optimizers.schedules.ExponentialDecay(0.01, 1000, 0.9)
    return keras.optimizers.SGD(learning_rate=schedule)

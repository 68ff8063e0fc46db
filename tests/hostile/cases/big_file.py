"""Hostile: writes a 10 GB file, 1 MB at a time. Expected: 0, "File too large"."""


def make_optimizer():
    chunk = b"\0" * (1024 * 1024)
    with open("huge.bin", "wb") as f:
        for _ in range(10 * 1024):
            f.write(chunk)
    return None

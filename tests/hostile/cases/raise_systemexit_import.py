"""Hostile: raise SystemExit at import. Expected: 0, "SystemExit"."""

raise SystemExit(0)

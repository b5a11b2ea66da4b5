"""Errors the store reports to users."""

from __future__ import annotations

#: the exit status of a command (or the app) stopped by a database it cannot use
EXIT_DB = 3


class StoreError(Exception):
    """A database problem with a message fit to show a user (no traceback needed)."""


class DatabaseBusyError(StoreError):
    """Another process holds the database lock for longer than the busy timeout."""

"""`quizapp stats` (not written yet)."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    """Add the command to the parser."""
    p = sub.add_parser("stats", parents=parents, help="(not written yet)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run the command."""
    raise SystemExit("not written yet")

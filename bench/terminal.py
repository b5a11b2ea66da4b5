"""Timing a full-screen program in a real terminal: from spawn to text on screen.

The program runs on a pseudo-terminal of a fixed size (as in tmux); what it writes is
read as it comes, escape sequences are dropped, and the clock stops when every marker
text has appeared. The program is then killed: what is measured is the wait a user sees
between pressing Enter and reading the screen.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Mapping, Sequence

#: CSI and OSC sequences, then any other two-byte escape
_ESCAPES = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b.")
SIZE = (120, 40)


def _visible(raw: bytes) -> str:
    """The text a terminal would show, lines run together (cursor moves removed)."""
    return _ESCAPES.sub(b"", raw).decode("utf-8", "replace")


def time_to_text(
    argv: Sequence[str],
    markers: Sequence[str],
    *,
    env: Mapping[str, str | None] | None = None,
    size: tuple[int, int] = SIZE,
    timeout: float = 60.0,
) -> float:
    """Seconds from spawning ``argv`` on a ``size`` (columns, rows) terminal until every
    text of ``markers`` is on screen. Raises ``RuntimeError`` (with the screen's text)
    if the program exits or ``timeout`` passes first. ``env`` adds to the environment
    (a ``None`` value removes the variable)."""
    master, slave = os.openpty()
    cols, rows = size
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    merged = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(cols), **(env or {})}
    full_env = {k: v for k, v in merged.items() if v is not None and k != "LINES"}
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=full_env, start_new_session=True
    )
    os.close(slave)
    raw = b""
    try:
        while True:
            left = timeout - (time.perf_counter() - t0)
            if left <= 0:
                raise RuntimeError(f"{argv[:4]}: no {markers!r} after {timeout:.0f} s")
            ready, _, _ = select.select([master], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                raise RuntimeError(
                    f"{argv[:4]} ended before showing {markers!r}: {_visible(raw)[-800:]}"
                )
            raw += chunk
            text = _visible(raw)
            if all(m in text for m in markers):
                return time.perf_counter() - t0
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        os.close(master)

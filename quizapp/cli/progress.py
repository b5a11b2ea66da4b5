"""A progress bar on stderr for long commands, drawn only when stderr is a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from quizapp.present.safe import visible_line

#: the bar's width in cells, and the shortest pause between two redraws
WIDTH = 24
INTERVAL = 0.1


class ProgressBar:
    """``label  [#######.........]  done/total`` on one line, redrawn as work goes on;
    a new label starts a new line. Called as ``bar(label, done, total)``."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        self._label = ""
        self._shown = 0.0

    def __call__(self, label: str, done: int, total: int) -> None:
        if not self.live:
            return
        now = time.monotonic()
        finished = total > 0 and done >= total
        if label == self._label and not finished and now - self._shown < INTERVAL:
            return
        if label != self._label and self._label:
            self.stream.write("\n")
        self._label, self._shown = label, now
        if total > 1:
            filled = WIDTH * min(done, total) // total
            bar = "#" * filled + "." * (WIDTH - filled)
            line = f"{label:<24} [{bar}] {done:,}/{total:,}"
        else:
            line = f"{label} …" if not finished else f"{label} done"
        self.stream.write("\r" + visible_line(line) + "\x1b[K")
        self.stream.flush()

    def end(self) -> None:
        """Finish the last line (call when the work is over, or failed)."""
        if self.live and self._label:
            self.stream.write("\n")
            self.stream.flush()
            self._label = ""

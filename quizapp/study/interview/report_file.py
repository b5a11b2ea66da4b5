"""Writing the markdown report to the file the user named, never half of it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from quizapp.study.interview.markdown import report_markdown
from quizapp.study.interview.report import InterviewReport


def report_target_problem(path: Path) -> str | None:
    """Why ``path`` cannot take a report (checked before an interview starts), or None."""
    if path.is_dir():
        return f"{path}: is a folder"
    folder = path.parent
    if not folder.is_dir():
        return f"{folder}: no such folder"
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        return f"{path}: not writable"
    return None


def save_report(path: Path, report: InterviewReport) -> None:
    """Write the markdown report to ``path`` through a temporary file in the same
    folder, so an interrupted write never leaves half a report."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(report_markdown(report))
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

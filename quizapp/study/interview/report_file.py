"""Writing the markdown report to the file the user named, never half of it, never
through a link, and never losing the interview when it cannot be written."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path


def report_target_problem(path: Path) -> str | None:
    """Why ``path`` cannot take a report (checked before an interview starts), or None.

    The folder is tried for real (a temporary file is made and removed), so a place
    that looks writable but is not (``/proc``, a read-only mount) is found before the
    interview, not after it.
    """
    if path.is_dir():
        return f"{path}: is a folder"
    if path.exists() and not path.is_file():
        return f"{path}: is not a regular file"
    folder = path.parent
    if not folder.is_dir():
        return f"{folder}: no such folder"
    if path.exists() and not os.access(path, os.W_OK):
        return f"{path}: not writable"
    try:
        fd, probe = _create_temp(path)
    except OSError as exc:
        return f"{path}: not writable ({exc.strerror or exc})"
    os.close(fd)
    probe.unlink(missing_ok=True)
    return None


def _create_temp(path: Path) -> tuple[int, Path]:
    """A new, exclusive temporary file next to ``path``, with the permissions any new
    file gets (``0o666`` less the umask; ``mkstemp`` would make it private)."""
    for _ in range(100):
        tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary file name in {path.parent}")


def save_report(path: Path, text: str) -> None:
    """Write a markdown report to ``path``.

    Through a temporary file in the same folder, renamed over ``path``, so an
    interrupted write never leaves half a report, and never written through a link: a
    symlink or another hard link of ``path`` keeps its content. Replacing an existing
    file keeps its permissions. Raises ``OSError`` when the file cannot be written;
    nothing is left behind then.
    """
    fd, tmp = _create_temp(path)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        with contextlib.suppress(FileNotFoundError):
            tmp.chmod(path.stat().st_mode & 0o777)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise

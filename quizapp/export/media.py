"""Local images that travel inside the ``.apkg`` as Anki media files.

A deck comes from a stranger, and whoever exports it shares the package on. So an image
reference is a request to read a file, and only files inside the deck folder the user
named are ever opened: the reference is resolved (``..``, absolute paths and symlinks
followed to where they really lead), the result must lie under that folder, be a
regular file (not a FIFO, a device or ``/proc``) and be at most
:data:`MAX_MEDIA_BYTES` long. The same checks run again on the open file descriptor
when the package is written, so a file swapped for a symlink in between is refused too.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

# Anki keeps media in one flat folder and refuses some characters in file names.
_UNSAFE = re.compile(r"[^\w.-]+")

#: the largest file bundled: Anki's media sync refuses bigger files anyway (100 MiB)
MAX_MEDIA_BYTES = 100 * 1024 * 1024
_CHUNK = 1 << 20
# Never follow a symlink in the last component, never block on a FIFO, never leak the fd.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


class MediaRefused(Exception):
    """A local image that is not bundled; the message says why, for a warning."""


def megabytes(size: int) -> str:
    """``size`` in bytes for a message: ``100 MiB``, ``8.0 GiB``."""
    if size >= 1 << 30:
        return f"{size / (1 << 30):.1f} GiB"
    return f"{size / (1 << 20):.0f} MiB" if size >= 1 << 20 else f"{size} bytes"


def _inside(path: Path, root: Path) -> Path:
    """``path`` with every symlink resolved, when the result lies in ``root``."""
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError, ValueError) as exc:  # a symlink loop, a NUL byte
        raise MediaRefused("image path cannot be resolved, not bundled") from exc
    if not resolved.is_relative_to(root):
        raise MediaRefused("image outside the deck folder, not bundled")
    return resolved


def _checked(st: os.stat_result) -> None:
    if not stat.S_ISREG(st.st_mode):
        raise MediaRefused("image is not a regular file, not bundled")
    if st.st_size > MAX_MEDIA_BYTES:
        raise MediaRefused(
            f"image is {megabytes(st.st_size)}, over the {megabytes(MAX_MEDIA_BYTES)} "
            "limit for media files, not bundled"
        )


@contextmanager
def open_inside(path: Path, root: Path) -> Iterator[BinaryIO]:
    """``path`` opened for reading, if it may be bundled from the deck folder ``root``.

    ``root`` must be resolved already. Raises :class:`MediaRefused` for a path that
    leads outside ``root`` (checked before anything is opened), that is not a regular
    file or that is too big, and ``OSError`` (``FileNotFoundError`` for a missing
    file) when it cannot be read. The file is opened without following a symlink and
    checked again through the descriptor, so what is read is what was checked.
    """
    resolved = _inside(path, root)
    _checked(resolved.stat())
    try:
        fd = os.open(resolved, _OPEN_FLAGS)
    except OSError as exc:
        if exc.errno == getattr(os, "ELOOP", -1):  # it became a symlink meanwhile
            raise MediaRefused("image outside the deck folder, not bundled") from exc
        raise
    with os.fdopen(fd, "rb") as fh:
        _checked(os.fstat(fd))
        yield fh


def read_bounded(fh: BinaryIO) -> Iterator[bytes]:
    """The content of ``fh`` in chunks; refused once it passes the size limit (a file
    that grows while it is read, or one whose size ``stat`` does not tell)."""
    total = 0
    while chunk := fh.read(_CHUNK):
        total += len(chunk)
        if total > MAX_MEDIA_BYTES:
            raise MediaRefused(
                f"image is over the {megabytes(MAX_MEDIA_BYTES)} limit for media files, not bundled"
            )
        yield chunk


@dataclass(frozen=True)
class MediaFile:
    """One file to bundle: its name inside Anki, where it is on disk, and the deck
    folder it was checked against (the writer checks it again)."""

    name: str
    path: Path
    root: Path


class MediaBundle:
    """Collects the local files that exported notes refer to.

    Each file gets a name made of its stem and a hash of its content, so two decks with
    an ``img/diagram.png`` of their own do not overwrite each other in Anki's flat media
    folder, and re-exporting an unchanged file keeps its name.
    """

    def __init__(self) -> None:
        self._by_path: dict[Path, MediaFile] = {}
        self._names: dict[str, MediaFile] = {}

    def add(self, path: Path, root: Path) -> str:
        """Bundle the file at ``path`` and return the name notes must use for it.

        ``root`` is the resolved deck folder the file must lie in. Raises
        :class:`MediaRefused` when the file may not be bundled (see
        :func:`open_inside`) and ``OSError`` when it cannot be read.
        """
        key = _inside(path, root)
        known = self._by_path.get(key)
        if known is not None:
            return known.name
        digest = hashlib.sha1(usedforsecurity=False)
        with open_inside(key, root) as fh:
            for chunk in read_bounded(fh):
                digest.update(chunk)
        stem = _UNSAFE.sub("_", key.stem).strip("_") or "image"
        name = f"{stem}-{digest.hexdigest()[:10]}{_UNSAFE.sub('', key.suffix.lower())}"
        entry = self._names.setdefault(name, MediaFile(name, key, root))
        self._by_path[key] = entry
        return entry.name

    @property
    def files(self) -> list[MediaFile]:
        """Every bundled file, in the order first referred to."""
        return list(self._names.values())

    def __len__(self) -> int:
        return len(self._names)

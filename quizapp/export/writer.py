"""Writing the ``.apkg`` file: atomically, with a modification time Anki will honour.

genanki builds the collection database (its schema, its deck and note type JSON, its
note and card rows); this module puts it and the media into the zip itself, because:

- the file appears whole or not at all: it is written to a temporary file in the
  target's folder and renamed over the target (``os.replace``), so an interrupted or
  failed export never leaves a half-written ``.apkg``;
- ``Package.write_to_file`` leaves its temporary database behind in the system temp
  folder on every call; here the database never touches the disk;
- media files keep the names the notes use (``MediaBundle``), not their base names, and
  are read through the same checks that admitted them (inside the deck folder, a
  regular file, within the size limit);
- genanki's ``Package.write_to_db`` rewrites the JSON list of all decks once per deck,
  quadratic in the number of decks, and a sub-deck per topic makes hundreds of them
  (see ``_write_collection``).

Anki updates an already-imported note only when the incoming note is *newer* (its
modification time, in whole seconds, is greater). Two exports within one second would
carry the same time and the second import would silently keep the old text, so every
export takes a time strictly greater than the previous export's: the previous one made
by this process, and the one recorded in the target file being replaced.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import secrets
import sqlite3
import threading
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import IO

import genanki
from genanki.apkg_col import APKG_COL
from genanki.apkg_schema import APKG_SCHEMA

from quizapp.deckfile.types import Diagnostic
from quizapp.export.media import MediaFile, MediaRefused, open_inside, read_bounded

# Recorded in the zip comment, which Anki ignores, so the next export can read it back
# without opening the collection database.
_STAMP_PREFIX = b"quizapp-export-mtime="


class _StampClock:
    """Hands out export times, each greater than the last one this process used."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last = 0

    def next(self, at_least: int) -> int:
        with self._lock:
            self._last = max(int(time.time()), self._last + 1, at_least)
            return self._last


_clock = _StampClock()


class ExportError(Exception):
    """The export could not be written; the message names the path and the reason."""

    def __init__(self, message: str, diagnostics: Sequence[Diagnostic] = ()) -> None:
        super().__init__(message)
        #: problems in the deck files found before the export failed
        self.diagnostics = tuple(diagnostics)


def recorded_stamp(path: Path) -> int | None:
    """The modification time an earlier quizapp export wrote into ``path``, if any."""
    try:
        with zipfile.ZipFile(path) as z:
            comment = z.comment
    except (OSError, zipfile.BadZipFile):
        return None
    if not comment.startswith(_STAMP_PREFIX):
        return None
    try:
        return int(comment[len(_STAMP_PREFIX) :])
    except ValueError:
        return None


def fresh_stamp(target: Path) -> int:
    """A note modification time (Unix seconds) newer than any earlier export's.

    Normally the current second; one past the previous export when that one was made
    within the same second (or carries a later time).
    """
    return _clock.next((recorded_stamp(target) or 0) + 1)


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _create_temp(folder: Path, target: Path) -> tuple[int, Path]:
    """A new, exclusive temporary file next to ``target``.

    Not ``mkstemp``: its files are private (0600), while the export should get the
    permissions any new file gets (the umask applies to ``0o666`` here).
    """
    for _ in range(100):
        tmp = folder / f".{target.name}.{secrets.token_hex(6)}.tmp"
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary file name in {folder}")


def write_apkg(
    package: genanki.Package, media: Sequence[MediaFile], target: Path, stamp: int
) -> None:
    """Write ``package`` and ``media`` to ``target`` atomically.

    ``stamp`` becomes every note's and card's modification time. Raises
    ``ExportError`` (naming ``target``) when the file cannot be written; nothing is
    left behind then.
    """
    if target.is_dir():
        raise ExportError(f"cannot write {target}: it is a directory")
    folder = target.parent
    if not folder.is_dir():
        problem = "is not a folder" if folder.exists() else "does not exist"
        raise ExportError(f"cannot write {target}: {folder} {problem}")
    try:
        fd, tmp = _create_temp(folder, target)
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {_reason(exc)}") from None
    try:
        with os.fdopen(fd, "wb") as out:
            _write_zip(out, package, media, stamp)
            out.flush()
            os.fsync(out.fileno())
        with contextlib.suppress(OSError):
            # Replacing a file keeps its permissions.
            tmp.chmod(target.stat().st_mode & 0o777)
        tmp.replace(target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, MediaRefused):
            raise ExportError(f"cannot write {target}: {exc}") from None
        if isinstance(exc, OSError):
            detail = _reason(exc)
            if exc.filename and str(exc.filename) not in (str(tmp), str(target)):
                detail += f": {exc.filename}"  # e.g. a media file that vanished meanwhile
            raise ExportError(f"cannot write {target}: {detail}") from None
        raise


def _write_collection(cursor: sqlite3.Cursor, package: genanki.Package, stamp: int) -> None:
    """``Package.write_to_db``, with the deck and note type lists written once.

    genanki's own version re-reads and re-writes the JSON list of all decks for every
    deck it adds, which is quadratic in the number of decks: an export with a sub-deck
    per topic has hundreds of them. The schema, the rows and the JSON of each deck and
    note type are genanki's.
    """
    cursor.executescript(APKG_SCHEMA)
    cursor.executescript(APKG_COL)
    (decks_json, models_json) = cursor.execute("SELECT decks, models FROM col").fetchone()
    decks = json.loads(decks_json)
    models = json.loads(models_json)
    for deck in package.decks:
        decks[str(deck.deck_id)] = deck.to_json()
        for note in deck.notes:
            key = str(note.model.model_id)
            if key not in models:
                models[key] = note.model.to_json(float(stamp), deck.deck_id)
    cursor.execute("UPDATE col SET decks = ?, models = ?", (json.dumps(decks), json.dumps(models)))
    ids = itertools.count(stamp * 1000)
    for deck in package.decks:
        for note in deck.notes:
            note.write_to_db(cursor, float(stamp), deck.deck_id, ids)


def _write_zip(
    out: IO[bytes], package: genanki.Package, media: Sequence[MediaFile], stamp: int
) -> None:
    conn = sqlite3.connect(":memory:")
    try:
        _write_collection(conn.cursor(), package, stamp)
        conn.commit()
        database = conn.serialize()
    finally:
        conn.close()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("collection.anki2", database)
        z.writestr("media", json.dumps({str(i): f.name for i, f in enumerate(media)}))
        for i, f in enumerate(media):
            try:
                with open_inside(f.path, f.root) as src, z.open(str(i), "w") as dst:
                    for chunk in read_bounded(src):
                        dst.write(chunk)
            except MediaRefused as exc:  # the file changed since the deck was read
                raise MediaRefused(f"{exc}: {f.path}") from None
        z.comment = _STAMP_PREFIX + str(stamp).encode()

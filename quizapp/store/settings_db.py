"""Writing the user's settings (:mod:`quizapp.store.settings`) to the collection.

Each change is one short write transaction on the ``meta`` table; the value is checked
by the setting's own rule before anything is written, so the collection only holds
allowed values.
"""

from __future__ import annotations

from datetime import datetime

from quizapp.store.db import Database
from quizapp.store.schema import Meta
from quizapp.store.settings import (
    EXTRA_NEW_KEY,
    SETTINGS,
    Setting,
    SettingError,
    Settings,
    read_settings,
)
from quizapp.store.sqlfetch import reading, session_fetch


def load_settings(db: Database) -> Settings:
    """The settings stored in ``db`` (defaults for anything not set)."""
    with reading(db) as fetch:
        return read_settings(fetch)


def find_setting(name: str) -> Setting:
    """The setting called ``name``; :class:`SettingError` listing the names if none is."""
    setting = SETTINGS.get(name.strip().lower().replace("_", "-"))
    if setting is None:
        raise SettingError(f"no setting called {name!r}; the settings are: {', '.join(SETTINGS)}")
    return setting


def save_setting(db: Database, name: str, text: str) -> Settings:
    """Check ``text`` against the setting ``name`` and store it; returns the settings
    as they are now. Raises :class:`SettingError`, writing nothing, when the name is
    unknown or the value not allowed."""
    setting = find_setting(name)
    value = setting.parse(text)
    with db.session() as s:
        s.merge(Meta(key=setting.meta_key, value=setting.dump(value)))
    return load_settings(db)


def remove_setting(db: Database, name: str) -> Settings:
    """Forget the stored value of ``name``: its default applies again."""
    setting = find_setting(name)
    with db.session() as s:
        row = s.get(Meta, setting.meta_key)
        if row is not None:
            s.delete(row)
    return load_settings(db)


def add_extra_new(db: Database, now: datetime, count: int) -> Settings:
    """Allow ``count`` more new cards today (Anki's "increase today's limit"). Extras
    added on the same day add up; they lapse when the day ends."""
    if not 1 <= count <= 9999:
        raise SettingError(f"extra new cards must be from 1 to 9,999, not {count:,}")
    with db.session() as s:
        # read in the write transaction: two machines adding at once both count
        s.get(Meta, EXTRA_NEW_KEY, with_for_update=True)
        current = read_settings(session_fetch(s))
        total = min(99999, current.extra_new_today(now) + count)
        day = current.today(now).isoformat()
        s.merge(Meta(key=EXTRA_NEW_KEY, value={"day": day, "count": total}))
    return load_settings(db)

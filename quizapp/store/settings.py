"""The user's settings: one typed object, validated once, stored in the collection.

Settings live in the ``meta`` table of the database (JSON values by key), so they follow
the user to every machine that opens the same collection (a PostgreSQL server, a copied
file). This module is the one definition of them: their names, defaults, allowed
ranges and the reading of stored values. It imports nothing beyond the standard
library, so the app's first screen (a ``sqlite3`` read, before SQLAlchemy is loaded)
and the full path read settings through the same function.

API::

    read_settings(fetch) -> Settings        # any store.queue.Fetch (quick or full path)
    settings_from_values(meta) -> Settings  # from the meta table's {key: value}
    SETTINGS[name] -> Setting               # "new-per-day", "desired-retention", ...
    SETTINGS[name].parse(text) -> value     # raises SettingError naming the allowed range
    SETTINGS[name].show(value) -> str       # the value as `quizapp config` prints it
    settings.day_start(now) -> datetime     # start of "today" (the day-start hour), UTC
    settings.new_limit(now) -> int          # new cards per day plus today's extra

Writing goes through :mod:`quizapp.store.settings_db` (``save_setting``,
``remove_setting``, ``add_extra_new``).
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any


class SettingError(ValueError):
    """A setting's value is not allowed; the message names what is."""


#: the meta key of today's extra new cards: {"day": "YYYY-MM-DD", "count": N}
EXTRA_NEW_KEY = "study.extra_new"


@dataclass(frozen=True)
class Settings:
    """Everything a user can set (``quizapp config``); these are the defaults."""

    new_per_day: int = 20
    reviews_per_day: int = 200
    desired_retention: float = 0.9
    learning_steps: tuple[timedelta, ...] = (timedelta(minutes=1), timedelta(minutes=10))
    relearning_steps: tuple[timedelta, ...] = (timedelta(minutes=10),)
    #: the local hour at which "today" begins (Anki's rollover: 4 a.m.)
    day_starts_at: int = 4
    #: hide the other cards of a note (cloze siblings, the other direction) for the day
    bury_siblings: bool = True
    #: the longest interval the scheduler gives, in days
    maximum_interval: int = 36500
    #: deck files and folders to read when neither --deck nor $QUIZAPP_DECK is given
    decks: tuple[str, ...] = ()
    #: extra new cards allowed on one day: (the day, as YYYY-MM-DD, count)
    extra_new: tuple[str, int] = field(default=("", 0))

    def day_start(self, now: datetime) -> datetime:
        """Start (UTC) of the user's day containing ``now``: local ``day_starts_at``."""
        return day_start(now, self.day_starts_at)

    def today(self, now: datetime) -> date:
        """The user's day containing ``now`` (its local calendar date at the start)."""
        return self.day_start(now).astimezone().date()

    def extra_new_today(self, now: datetime) -> int:
        """Extra new cards allowed today (``study --extra-new``, the ``+`` key)."""
        day, count = self.extra_new
        return count if day == self.today(now).isoformat() else 0

    def new_limit(self, now: datetime) -> int:
        """How many new cards may be introduced today in all: the daily limit plus
        today's extra."""
        return self.new_per_day + self.extra_new_today(now)

    def deck_paths(self) -> list[Path]:
        """The configured deck folders, ``~`` expanded."""
        return [Path(d).expanduser() for d in self.decks]


def day_start(now: datetime, hour: int) -> datetime:
    """Start (UTC) of the day containing ``now`` whose days begin at local ``hour``."""
    local = now.astimezone()
    start = datetime.combine(local.date(), time(hour), tzinfo=local.tzinfo)
    if start > local:
        start -= timedelta(days=1)
    # a DST jump keeps the local hour: normalise through UTC
    return datetime.fromtimestamp(start.timestamp(), UTC)


# -- the settings one by one --------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    """One user setting: its name on the command line, where it is stored, its rule."""

    name: str
    attr: str
    meta_key: str
    help: str
    #: what values are allowed, as the error message and ``config list`` say it
    allowed: str
    #: text typed by the user -> typed value (SettingError if not allowed)
    parse: Callable[[str], Any]
    #: stored JSON value -> typed value (SettingError if not allowed)
    load: Callable[[Any], Any]
    #: typed value -> JSON value to store
    dump: Callable[[Any], Any]
    #: typed value -> text
    show: Callable[[Any], str]

    @property
    def default(self) -> Any:
        """The value when nothing is stored."""
        return getattr(DEFAULTS, self.attr)


DEFAULTS = Settings()


def _whole(low: int, high: int, unit: str = "") -> dict[str, Any]:
    allowed = f"a whole number from {low:,} to {high:,}{unit}"

    def check(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise SettingError(f"must be {allowed}, not {value!r}")
        return value

    def parse(text: str) -> int:
        raw = text.strip().replace("_", "").replace(",", "")
        if len(raw) > 12 or not (raw.isdigit() or (raw[:1] == "-" and raw[1:].isdigit())):
            raise SettingError(f"must be {allowed}, not {text!r}")
        return check(int(raw))

    return {"allowed": allowed, "parse": parse, "load": check, "dump": int, "show": str}


def _fraction(low: float, high: float) -> dict[str, Any]:
    allowed = f"a number from {low:g} to {high:g}"

    def check(value: object) -> float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not ok or not math.isfinite(float(value)) or not low <= float(value) <= high:  # type: ignore[arg-type]
            raise SettingError(f"must be {allowed}, not {value!r}")
        return float(value)  # type: ignore[arg-type]

    def parse(text: str) -> float:
        raw = text.strip()
        percent = raw.endswith("%")
        try:
            value = float(raw.rstrip("%")) / (100 if percent else 1)
        except ValueError:
            raise SettingError(f"must be {allowed}, not {text!r}") from None
        return check(round(value, 6))

    return {"allowed": allowed, "parse": parse, "load": check, "dump": float, "show": "{:g}".format}


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_MAX_STEPS = 10


def _steps() -> dict[str, Any]:
    allowed = (
        f"up to {_MAX_STEPS} steps like 1m 10m 1h 1d (s, m, h, d; each from 1s to 30d), or none"
    )
    longest = timedelta(days=30)

    def check_one(step: timedelta) -> timedelta:
        if not timedelta(seconds=1) <= step <= longest:
            raise SettingError(f"must be {allowed}; {show_step(step)} is out of range")
        return step

    def parse(text: str) -> tuple[timedelta, ...]:
        words = text.replace(",", " ").split()
        if words in ([], ["none"]):
            return ()
        if len(words) > _MAX_STEPS:
            raise SettingError(f"must be {allowed}, not {len(words)} steps")
        out = []
        for word in words:
            number, unit = word[:-1], word[-1:].lower()
            if word.isdigit():  # a bare number counts minutes, as in Anki
                number, unit = word, "m"
            if unit not in _UNITS or not number.isdigit() or len(number) > 8:
                raise SettingError(f"must be {allowed}, not {word!r}")
            out.append(check_one(timedelta(seconds=int(number) * _UNITS[unit])))
        return tuple(out)

    def load(value: object) -> tuple[timedelta, ...]:
        if not isinstance(value, list) or len(value) > _MAX_STEPS:
            raise SettingError(f"must be {allowed}")
        steps = []
        for seconds in value:
            if isinstance(seconds, bool) or not isinstance(seconds, int):
                raise SettingError(f"must be {allowed}")
            steps.append(check_one(timedelta(seconds=seconds)))
        return tuple(steps)

    def dump(value: Sequence[timedelta]) -> list[int]:
        return [int(step.total_seconds()) for step in value]

    def show(value: Sequence[timedelta]) -> str:
        return " ".join(show_step(step) for step in value) or "none"

    return {"allowed": allowed, "parse": parse, "load": load, "dump": dump, "show": show}


def show_step(step: timedelta) -> str:
    """A learning step as written in settings: ``10m``, ``1d``, ``90s``."""
    seconds = int(step.total_seconds())
    for unit in ("d", "h", "m"):
        if seconds % _UNITS[unit] == 0:
            return f"{seconds // _UNITS[unit]}{unit}"
    return f"{seconds}s"


_TRUE = ("on", "true", "yes", "1")
_FALSE = ("off", "false", "no", "0")


def _switch() -> dict[str, Any]:
    allowed = "on or off"

    def parse(text: str) -> bool:
        word = text.strip().lower()
        if word not in _TRUE + _FALSE:
            raise SettingError(f"must be {allowed}, not {text!r}")
        return word in _TRUE

    def load(value: object) -> bool:
        if not isinstance(value, bool):
            raise SettingError(f"must be {allowed}")
        return value

    return {
        "allowed": allowed,
        "parse": parse,
        "load": load,
        "dump": bool,
        "show": lambda v: "on" if v else "off",
    }


def _folders() -> dict[str, Any]:
    allowed = f"deck files or folders that exist (several separated by {os.pathsep!r}), or none"

    def parse(text: str) -> tuple[str, ...]:
        # separated as in $QUIZAPP_DECK and $PATH: a path may hold spaces
        words = [w.strip() for w in text.split(os.pathsep) if w.strip()]
        if words in ([], ["none"]):
            return ()
        out = []
        for word in words:
            path = Path(word).expanduser()
            if not path.exists():
                raise SettingError(f"{word} does not exist (must be {allowed})")
            if not (path.is_dir() or path.suffix.lower() == ".md"):
                raise SettingError(f"{word} is not a folder or a .md file (must be {allowed})")
            # ~ is kept, so the setting means the same folder on every machine
            out.append(word if word.startswith("~") else str(path.resolve()))
        return tuple(out)

    def load(value: object) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise SettingError(f"must be {allowed}")
        return tuple(value)

    def show(value: Sequence[str]) -> str:
        return " ".join(value) or "none"

    return {"allowed": allowed, "parse": parse, "load": load, "dump": list, "show": show}


def _setting(name: str, meta_key: str, help: str, rule: dict[str, Any]) -> Setting:
    return Setting(name=name, attr=name.replace("-", "_"), meta_key=meta_key, help=help, **rule)


#: every setting, by its command-line name, in the order ``config list`` shows them
SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        _setting("new-per-day", "study.new_per_day", "new cards introduced per day",
                 _whole(0, 9999)),
        _setting("reviews-per-day", "study.reviews_per_day", "reviews of due cards per day",
                 _whole(0, 99999)),
        _setting("desired-retention", "fsrs.desired_retention",
                 "the chance of recall the scheduler aims for", _fraction(0.7, 0.99)),
        _setting("learning-steps", "fsrs.learning_steps", "steps of a new card before review",
                 _steps()),
        _setting("relearning-steps", "fsrs.relearning_steps",
                 "steps of a forgotten card before review", _steps()),
        _setting("day-starts-at", "study.day_starts_at",
                 "the local hour a new day begins (limits, counts, burying)",
                 _whole(0, 23, " (an hour)")),
        _setting("bury-siblings", "study.bury_siblings",
                 "hide a card's siblings (clozes, other direction) until the next day",
                 _switch()),
        _setting("maximum-interval", "fsrs.maximum_interval", "the longest interval, in days",
                 _whole(1, 36500, " (days)")),
        _setting("decks", "study.decks",
                 "deck folders read when neither --deck nor $QUIZAPP_DECK is given",
                 _folders()),
    )
}  # fmt: skip


# -- reading ----------------------------------------------------------------------------


def _extra_new(value: object) -> tuple[str, int] | None:
    if not isinstance(value, dict):
        return None
    day, count = value.get("day"), value.get("count")
    if isinstance(day, str) and isinstance(count, int) and not isinstance(count, bool):
        return (day, max(0, min(count, 99999)))
    return None


def settings_from_values(values: Mapping[str, Any]) -> Settings:
    """Settings from the meta table's ``{key: value}``; a missing key — or a stored
    value that is not allowed (see :func:`stored_problems`) — keeps its default."""
    changes: dict[str, Any] = {}
    for setting in SETTINGS.values():
        if setting.meta_key in values:
            try:
                changes[setting.attr] = setting.load(values[setting.meta_key])
            except SettingError:
                continue
    extra = _extra_new(values.get(EXTRA_NEW_KEY))
    if extra is not None:
        changes["extra_new"] = extra
    return replace(DEFAULTS, **changes)


def stored_problems(values: Mapping[str, Any]) -> dict[str, str]:
    """Settings whose stored value is not allowed (written by hand or by another
    version), by name, with what is wrong; their defaults are used."""
    out = {}
    for setting in SETTINGS.values():
        if setting.meta_key in values:
            try:
                setting.load(values[setting.meta_key])
            except SettingError as exc:
                out[setting.name] = f"stored value {values[setting.meta_key]!r} {exc}"
    return out


#: the meta table's rows, for :func:`read_settings`
META_SQL = "SELECT key, CAST(value AS TEXT) FROM meta"


#: a :data:`quizapp.store.queue.Fetch` (that module imports this one)
_Fetch = Callable[[str, Mapping[str, Any]], Sequence[Sequence[Any]]]


def meta_values(fetch: _Fetch) -> dict[str, Any]:
    """Every key of the meta table with its value, through a ``store.queue.Fetch``
    (the values are cast to JSON text, so every driver returns the same)."""
    rows = fetch(META_SQL, {})
    return {str(key): None if value is None else json.loads(value) for key, value in rows}


def read_settings(fetch: _Fetch) -> Settings:
    """The user's settings, read through ``fetch`` (the quick ``sqlite3`` path and the
    full SQLAlchemy path alike)."""
    return settings_from_values(meta_values(fetch))

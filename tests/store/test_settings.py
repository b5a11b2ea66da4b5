"""Settings: `quizapp config` stores them in the collection, checked once with a message
naming what is allowed, and the study service and the app's quick first screen read
them through the same reader."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from factories import add_rows, card_row

from quizapp.cli import main
from quizapp.store.db import Database, open_db
from quizapp.store.quickread import quick_read
from quizapp.store.settings import SettingError, Settings, day_start, read_settings
from quizapp.store.settings_db import add_extra_new, load_settings, save_setting
from quizapp.study.service import StudyService

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def config(db_url: str, capsys: pytest.CaptureFixture[str]) -> Run:
    """Run ``quizapp --db URL config ARGS…``; returns (exit code, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", db_url, "config", *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_a_setting_set_on_one_connection_is_read_by_a_new_one(config: Run, db_url: str) -> None:
    assert config("set", "new-per-day", "35")[0] == 0
    assert config("set", "learning-steps", "1m", "15m", "1h")[0] == 0
    assert config("get", "new-per-day") == (0, "35\n", "")
    # another process (another machine, on PostgreSQL) opening the collection
    other = open_db(db_url)
    try:
        settings = StudyService(other).settings
    finally:
        other.close()
    assert settings.new_per_day == 35
    assert settings.learning_steps == (
        timedelta(minutes=1),
        timedelta(minutes=15),
        timedelta(hours=1),
    )


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("new-per-day", "-3", "must be a whole number from 0 to 9,999, not -3"),
        ("new-per-day", "lots", "must be a whole number from 0 to 9,999, not 'lots'"),
        ("desired-retention", "1.5", "must be a number from 0.7 to 0.99, not 1.5"),
        ("day-starts-at", "24", "from 0 to 23"),
        ("learning-steps", "10x", "steps like 1m 10m 1h 1d"),
        ("learning-steps", "40d", "40d is out of range"),
        ("bury-siblings", "maybe", "must be on or off"),
        ("decks", "/no/such/folder", "/no/such/folder does not exist"),
    ],
)
def test_a_value_out_of_range_is_refused_and_nothing_is_stored(
    config: Run, name: str, value: str, message: str
) -> None:
    before = config("get", name, "--json")[1]
    code, _out, err = config("set", name, value)
    assert code == 2
    assert err.startswith(f"quizapp config: {name}: ") and message in err
    assert config("get", name, "--json")[1] == before


def test_an_unknown_setting_lists_the_known_ones(config: Run) -> None:
    code, _, err = config("set", "new-cards", "3")
    assert code == 2
    assert "no setting called 'new-cards'" in err and "new-per-day" in err


def test_list_shows_values_defaults_and_what_is_allowed(config: Run) -> None:
    config("set", "desired-retention", "85%")
    code, out, _ = config("list")
    assert code == 0
    assert "desired-retention   0.85  (default 0.9)" in out
    assert "new-per-day         20  (default)" in out
    assert "the local hour a new day begins" in out and "from 0 to 23" in out
    assert all(len(line) <= 80 for line in out.splitlines())
    doc = json.loads(config("list", "--json")[1])
    assert doc["desired-retention"]["value"] == 0.85
    assert doc["desired-retention"]["is_set"] is True
    assert doc["learning-steps"]["value"] == [60, 600]


def test_unset_brings_the_default_back(config: Run) -> None:
    config("set", "reviews-per-day", "50")
    assert config("unset", "reviews-per-day")[0] == 0
    assert config("get", "reviews-per-day")[1] == "200\n"


def test_the_quick_reader_and_the_full_path_read_the_same_settings(db: Database) -> None:
    save_setting(db, "new-per-day", "7")
    save_setting(db, "day-starts-at", "6")
    save_setting(db, "relearning-steps", "none")
    save_setting(db, "bury-siblings", "off")
    url = db.engine.url.render_as_string(hide_password=False)
    full = StudyService(db).settings
    if url.startswith("sqlite"):
        with quick_read(url) as fetch:
            assert fetch is not None
            quick = read_settings(fetch)
        assert quick == load_settings(db)
    user = Settings(new_per_day=7, day_starts_at=6, relearning_steps=(), bury_siblings=False)
    assert load_settings(db) == user
    assert (full.new_per_day, full.day_starts_at, full.relearning_steps) == (7, 6, ())


def test_the_scheduler_uses_the_steps_retention_and_maximum_interval(db: Database) -> None:
    add_rows(db, card_row("a"))
    save_setting(db, "learning-steps", "3m 30m")
    save_setting(db, "maximum-interval", "2")
    now = datetime(2026, 1, 1, 12, tzinfo=UTC)
    intervals = StudyService(db, now=lambda: now).preview("a")
    assert intervals[1] == timedelta(minutes=3)
    assert intervals[3] == timedelta(minutes=30)
    assert intervals[4] <= timedelta(days=2)


def test_a_stored_value_not_allowed_is_reported_and_the_default_used(
    db: Database, config: Run
) -> None:
    from quizapp.store.schema import Meta

    with db.session() as s:
        s.merge(Meta(key="study.new_per_day", value="lots"))
    assert load_settings(db).new_per_day == 20
    out = config("list")[1]
    assert "stored value 'lots' must be a whole number" in out


# -- the day starts at 4 a.m. ------------------------------------------------------------


def test_the_day_starts_at_the_configured_local_hour(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("TZ", "Asia/Shanghai")  # UTC+8, no DST
    time.tzset()
    late = datetime(2026, 3, 1, 15, 50, tzinfo=UTC)  # 23:50 local
    after_midnight = late + timedelta(minutes=20)  # 00:10 local
    assert (
        day_start(late, 4) == day_start(after_midnight, 4) == datetime(2026, 2, 28, 20, tzinfo=UTC)
    )  # 04:00 local on the 1st
    assert day_start(after_midnight, 0) == datetime(2026, 3, 1, 16, tzinfo=UTC)


def _new_cards(db: Database, n: int) -> None:
    add_rows(db, *(card_row(f"n{i}", ordinal=i) for i in range(n)))


def test_studying_past_midnight_brings_no_second_batch_of_new_cards(db: Database) -> None:
    """Someone finishing their 2 new cards at 23:50 gets none at 00:10; at 4:00 the new
    day brings 2 more."""
    _new_cards(db, 6)
    save_setting(db, "new-per-day", "2")
    clock = {"now": datetime(2026, 1, 5, 23, 45, tzinfo=UTC)}
    svc = StudyService(db, now=lambda: clock["now"])
    for card in svc.queue():
        svc.review(card.id, 3)
    clock["now"] = datetime(2026, 1, 5, 23, 50, tzinfo=UTC)
    assert svc.counts().new == 0
    clock["now"] = datetime(2026, 1, 6, 0, 10, tzinfo=UTC)
    assert svc.counts().new == 0
    assert [c.state for c in svc.queue()] == ["learning", "learning"]
    clock["now"] = datetime(2026, 1, 6, 4, 1, tzinfo=UTC)
    assert svc.counts().new == 2


def test_a_skipped_card_comes_back_when_the_next_day_starts(db: Database) -> None:
    _new_cards(db, 1)
    clock = {"now": datetime(2026, 1, 5, 23, 0, tzinfo=UTC)}
    svc = StudyService(db, now=lambda: clock["now"])
    svc.bury("n0")
    clock["now"] = datetime(2026, 1, 6, 3, 59, tzinfo=UTC)
    assert svc.next_card() is None
    clock["now"] = datetime(2026, 1, 6, 4, 0, tzinfo=UTC)
    assert svc.next_card() is not None


def test_extra_new_cards_are_for_today_only(db: Database) -> None:
    _new_cards(db, 10)
    save_setting(db, "new-per-day", "2")
    now = datetime(2026, 1, 5, 12, tzinfo=UTC)
    add_extra_new(db, now, 3)
    settings = add_extra_new(db, now, 1)
    assert settings.new_limit(now) == 6
    assert StudyService(db, now=lambda: now).counts().new == 6
    tomorrow = now + timedelta(days=1)
    assert StudyService(db, now=lambda: tomorrow).counts().new == 2
    with pytest.raises(SettingError):
        add_extra_new(db, now, 0)


def test_the_configured_decks_are_read_without_deck_options(
    config: Run, tmp_path: Path, capsys: pytest.CaptureFixture[str], db_url: str
) -> None:
    notes = tmp_path / "my notes"
    notes.mkdir()
    (notes / "ml.md").write_text("# ML\n\n## What is a GRU?\n\nA gated RNN.\n", "utf-8")
    assert config("set", "decks", str(notes))[0] == 0
    assert main(["--db", db_url, "cards", "--json"]) == 0
    cards = json.loads(capsys.readouterr().out)
    assert [c["front"] for c in cards] == ["What is a GRU?"]

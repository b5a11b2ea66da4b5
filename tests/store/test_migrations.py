"""The schema is managed by Alembic; the code knows the newest revision."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory

from quizapp.store.db import MIGRATIONS, SCHEMA_HEAD, open_db


def test_schema_head_matches_the_migration_scripts() -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(cfg).get_current_head() == SCHEMA_HEAD


def test_new_database_is_migrated_with_sqlite_pragmas(db_path: Path) -> None:
    open_db(f"sqlite:///{db_path}").close()
    con = sqlite3.connect(db_path)
    assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [(SCHEMA_HEAD,)]
    assert con.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"cards", "reviews", "deck_files", "meta", "interviews", "interview_answers"} <= tables


def test_reopening_is_cheap_and_keeps_data(db_path: Path) -> None:
    db = open_db(f"sqlite:///{db_path}")
    from quizapp.store.schema import Meta

    with db.session() as s:
        s.add(Meta(key="k", value={"a": 1}))
    db.close()
    again = open_db(f"sqlite:///{db_path}")
    with again.session(write=False) as s:
        assert s.get(Meta, "k").value == {"a": 1}  # type: ignore[union-attr]


def test_cards_synced_before_siblings_were_kept_get_their_notes(db_url: str) -> None:
    """A collection at the first revision: its cloze and two-way cards become siblings
    when it is opened by this version."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine, text

    from quizapp.store.db import engine_url

    engine = create_engine(engine_url(db_url))
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        for card_id in ("a/c1", "a/c2", "b", "b/reverse", "plain", "p/quiz-1"):
            conn.execute(
                text(
                    "INSERT INTO cards (id, deck, topic, front, back, kind, source, line, "
                    "ordinal, content_hash, retired, created_at, updated_at, state, due, "
                    "reviews, lapses) VALUES (:id, 'D', '[]', :front, '', 'basic', 'd.md', 1, "
                    "0, 'h', FALSE, '2026-01-01', '2026-01-01', 0, '2026-01-01', 0, 0)"
                ),
                {"id": card_id, "front": card_id},
            )
    engine.dispose()
    db = open_db(db_url)
    try:
        with db.session(write=False) as s:
            notes = {row[0]: row[1] for row in s.execute(text("SELECT id, note FROM cards"))}
            suspended = s.execute(text("SELECT COUNT(*) FROM cards WHERE suspended")).scalar()
    finally:
        db.close()
    assert notes == {
        "a/c1": "a",
        "a/c2": "a",
        "b": "b",
        "b/reverse": "b",
        "plain": None,
        "p/quiz-1": None,
    }
    assert suspended == 0

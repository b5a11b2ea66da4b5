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

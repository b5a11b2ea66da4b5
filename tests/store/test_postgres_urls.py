"""PostgreSQL URLs: the driver of the ``postgres`` extra, and clear lines when a server,
a database or the driver itself is missing."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy.engine import make_url

from quizapp.store.db import engine_url


def quizapp_without_psycopg(*args: str) -> subprocess.CompletedProcess[str]:
    """``quizapp`` in an interpreter where importing psycopg fails, as without the extra."""
    code = (
        "import sys; sys.modules['psycopg'] = None; sys.modules['psycopg2'] = None\n"
        "from quizapp.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    return subprocess.run(
        [sys.executable, "-c", code, *args], check=False, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("url", ["postgresql://me@db.example/quiz", "postgres://me@/quiz"])
def test_without_the_driver_one_line_names_the_extra(url: str) -> None:
    run = quizapp_without_psycopg("--db", url, "cards")
    assert run.returncode == 3
    assert run.stderr.count("\n") == 1, run.stderr
    assert "pip install 'quizapp[postgres]'" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_url_without_a_driver_uses_psycopg() -> None:
    assert engine_url("postgresql://me@host/quiz").drivername == "postgresql+psycopg"
    assert engine_url("postgres://me@host/quiz").drivername == "postgresql+psycopg"
    assert engine_url("postgresql+psycopg://me@host/quiz").drivername == "postgresql+psycopg"
    assert engine_url("sqlite:////tmp/q.db").drivername == "sqlite"


@pytest.mark.parametrize("backend", ["postgresql"])
def test_a_missing_server_or_database_is_one_clear_line(db_url: str) -> None:
    url = make_url(db_url)
    missing_db = url.set(database="no_such_quizapp_db").render_as_string(hide_password=False)
    no_server = url.set(query={"host": "/nonexistent-folder"}).render_as_string(hide_password=False)
    for target, expected in (
        (missing_db, 'database "no_such_quizapp_db" does not exist; create it first'),
        (no_server, "cannot connect to the database server"),
    ):
        run = subprocess.run(
            [sys.executable, "-m", "quizapp", "--db", target, "cards", "--no-sync"],
            check=False,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert run.returncode == 3
        assert expected in run.stderr
        assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr

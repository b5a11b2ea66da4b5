"""Opening the database: engine, SQLite pragmas, migrations, clear errors."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from quizapp.locations import DB_BACKENDS
from quizapp.store import openfiles
from quizapp.store.errors import DatabaseBusyError, StoreError
from quizapp.store.revision import KNOWN_REVISIONS, MARKER_TABLE, SCHEMA_HEAD

BUSY_TIMEOUT_MS = 5000
#: environment variable overriding the busy timeout (milliseconds), e.g. for tests
BUSY_TIMEOUT_ENV = "QUIZAPP_BUSY_TIMEOUT_MS"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
UNSUPPORTED_URL = (
    "not a database quizapp can use; give a file path, a sqlite:///PATH URL or a "
    "postgresql://USER@HOST/NAME URL"
)
#: PostgreSQL advisory lock taken by writers that must not run twice at once (sync,
#: review import, migrations); SQLite's write lock already serialises every writer
COLLECTION_LOCK = 0x7175697A  # "quiz"
#: SQLSTATEs of a PostgreSQL writer that waited too long or lost a deadlock
_PG_BUSY = {"55P03", "40P01", "40001"}
POSTGRES_EXTRA_HINT = "install the PostgreSQL driver: pip install 'quizapp[postgres]'"


def busy_timeout_ms() -> int:
    """How long a write waits for another process's lock before giving up (ms)."""
    import os

    raw = os.environ.get(BUSY_TIMEOUT_ENV, "")
    return int(raw) if raw.strip().isdigit() else BUSY_TIMEOUT_MS


def _sqlite_pragmas(engine: Engine) -> None:
    timeout = busy_timeout_ms()

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event decide when a transaction starts (pysqlite
        # otherwise begins lazily and never for SELECTs).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {timeout}")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A write transaction takes the write lock up front, so two processes never
        # deadlock upgrading read locks; busy_timeout then makes the second one wait.
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def _postgres_settings(engine: Engine) -> None:
    timeout = busy_timeout_ms()

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # A writer waits this long for another's row or advisory lock, then reports
        # "busy" -- the same promise the SQLite busy timeout makes. A session-level
        # setting (autocommit for the moment) so a rollback does not undo it.
        was = dbapi_conn.autocommit
        dbapi_conn.autocommit = True
        try:
            dbapi_conn.execute(f"SET lock_timeout = {timeout}")
        finally:
            dbapi_conn.autocommit = was


def friendly_error(exc: BaseException, where: str) -> StoreError:
    """Turn a driver error into a message a user can act on."""
    orig = getattr(exc, "orig", exc)
    msg = str(orig)
    low = msg.lower()
    if getattr(orig, "sqlstate", None) in _PG_BUSY:
        return DatabaseBusyError(
            f"{where}: the database is busy (another quizapp is writing to it); try again"
        )
    first = msg.strip().splitlines()[0] if msg.strip() else type(orig).__name__
    first = first.rpartition("FATAL:")[2].strip()  # the server's reason, not the socket path
    if "does not exist" in low and "database" in low:
        return StoreError(
            f"{where}: {first}; create it first (createdb NAME, or CREATE DATABASE NAME)"
        )
    if "connection" in low and ("failed" in low or "refused" in low or "timeout" in low):
        return StoreError(f"{where}: cannot connect to the database server ({first})")
    if "locked" in low or "busy" in low:
        return DatabaseBusyError(
            f"{where}: the database is busy (another quizapp is writing to it); try again"
        )
    if "not a database" in low or "malformed" in low or "corrupt" in low:
        return StoreError(
            f"{where}: the file is not a valid quizapp database (corrupt or another kind "
            "of file); it was left untouched"
        )
    if "readonly" in low or "read-only" in low or "unable to open" in low:
        return StoreError(f"{where}: cannot open the database for writing ({msg})")
    return StoreError(f"{where}: database error: {msg}")


class Database:
    """An open quizapp database: engine plus session factory."""

    def __init__(self, engine: Engine, where: str, file: Path | None = None) -> None:
        self.engine = engine
        # A SQLite file open here must never be opened again outside SQLite
        # (:mod:`quizapp.store.openfiles`).
        self._file = openfiles.opened(file) if file is not None else None
        self.where = where
        self.is_sqlite = engine.dialect.name == "sqlite"
        self._read = sessionmaker(engine, expire_on_commit=False)
        writer = engine.execution_options(sqlite_begin="IMMEDIATE") if self.is_sqlite else engine
        self._write = sessionmaker(writer, expire_on_commit=False)

    @contextmanager
    def session(self, *, write: bool = True, exclusive: bool = False) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on error.

        ``exclusive`` makes it the only exclusive transaction on the database while it
        runs, on every machine: a second one waits for it (up to the busy timeout) and
        then sees what it wrote. Sync and review import use it, so two of them at once
        never both insert the same cards or reviews. On SQLite every write transaction
        already is (``BEGIN IMMEDIATE``); on PostgreSQL it takes an advisory lock.
        """
        factory = self._write if write else self._read
        try:
            with factory() as s, s.begin():
                if exclusive and not self.is_sqlite:
                    s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": COLLECTION_LOCK})
                yield s
        except (OperationalError, DBAPIError) as exc:
            raise friendly_error(exc, self.where) from exc

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()
        openfiles.closed(self._file)
        self._file = None


def _describe(url: str) -> str:
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        return u.database or ":memory:"
    return u.render_as_string(hide_password=True)


def _check_sqlite_target(url: str) -> None:
    u = make_url(url)
    db = u.database
    if not db or db == ":memory:":
        return
    path = Path(db)
    if path.exists():
        if openfiles.is_open(path):
            # Open here already (and checked then): reading it again would drop the
            # locks that tell other processes it is in use.
            return
        if path.is_dir():
            raise StoreError(f"{path}: is a folder, not a database file")
        if not path.is_file():
            # A FIFO would block the first read forever; a device is no database either.
            raise StoreError(f"{path}: is not a regular file (a pipe or a device), not a database")
        with path.open("rb") as fh:
            head = fh.read(16)
        if head and head != b"SQLite format 3\x00":
            raise StoreError(
                f"{path}: the file is not a valid quizapp database (corrupt or another "
                "kind of file); it was left untouched"
            )
        return
    blocker = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
    if blocker is not None:
        raise StoreError(f"{blocker}: is a file, not a folder; cannot create the database {path}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"{path.parent}: cannot create the data folder ({exc.strerror})") from exc
    if not _writable(path.parent):
        raise StoreError(f"{path.parent}: the folder is read-only; cannot create the database")


def _writable(folder: Path) -> bool:
    import os

    return os.access(folder, os.W_OK)


@contextmanager
def larger_cache(conn: Connection, kib: int) -> Iterator[None]:
    """On SQLite, a page cache of ``kib`` KiB (main and temp schemas) while the block
    runs: a bulk job of a million rows would otherwise re-read its pages through the OS
    again and again with the default 2 MB. Nothing on other backends."""
    if conn.dialect.name != "sqlite":
        yield
        return
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    for schema in ("main", "temp"):
        conn.exec_driver_sql(f"PRAGMA {schema}.cache_size = -{int(kib)}")
    try:
        yield
    finally:
        for schema in ("main", "temp"):
            conn.exec_driver_sql(f"PRAGMA {schema}.cache_size = {int(before or -2000)}")


def current_revision(bind: Engine | Connection) -> str | None:
    """The schema revision stored in the database, or None for an empty one."""
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            return current_revision(conn)
    has = bind.execute(
        text("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'")
        if bind.dialect.name == "sqlite"
        else text(
            "SELECT 1 FROM information_schema.tables "
            "WHERE table_name = 'alembic_version' AND table_schema = current_schema()"
        )
    ).first()
    if has is None:
        return None
    row = bind.execute(text("SELECT version_num FROM alembic_version")).first()
    return None if row is None else str(row[0])


def _check_is_quizapp(conn: Connection, rev: str | None, where: str) -> None:
    """Refuse a database that holds another program's tables (an app's SQLite file, an
    Anki collection): quizapp must never add its tables to it or change its journal.

    An empty database (no tables) is a new quizapp database.
    """
    tables = sorted(inspect(conn).get_table_names())
    if rev is None and not tables:
        return
    if rev is not None and MARKER_TABLE in tables:
        return
    shown = ", ".join(repr(t) for t in tables[:4]) + (", …" if len(tables) > 4 else "")
    raise StoreError(
        f"{where}: not a quizapp database: it holds another program's tables ({shown}); "
        "it was left untouched. Give --db a new file (or an empty database) for quizapp."
    )


def _use_wal(engine: Engine) -> None:
    """Switch the file to WAL (persistent; a no-op when it already is).

    Done only once the file is known to be a database this version accepts, so a file
    it refuses is never written to.
    """
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        with contextlib.suppress(sqlite3.OperationalError):
            # A read-only file still opens, in its current journal mode.
            raw.execute("PRAGMA journal_mode = WAL")


def _upgrade(engine: Engine) -> None:
    # Alembic is imported only when a migration is due: start-up stays fast.
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    writer = engine.execution_options(sqlite_begin="IMMEDIATE")
    with writer.begin() as conn:
        if engine.dialect.name != "sqlite":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": COLLECTION_LOCK})
        # Holding the write lock now: another process may have migrated meanwhile.
        if current_revision(conn) == SCHEMA_HEAD:
            return
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def engine_url(url: str) -> URL:
    """``url`` as SQLAlchemy should open it: a PostgreSQL URL without a driver
    (``postgresql://``, ``postgres://``) uses psycopg 3, the driver of the extra."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    u = make_url(url)
    if u.drivername == "postgresql":
        u = u.set(drivername="postgresql+psycopg")
    return u


def _create_engine(url: URL, where: str) -> Engine:
    try:
        return create_engine(url)
    except ArgumentError as exc:
        raise StoreError(f"{where}: not a database quizapp can open ({exc})") from exc
    except ImportError as exc:
        if url.get_backend_name() == "postgresql":
            raise StoreError(f"{where}: PostgreSQL needs psycopg; {POSTGRES_EXTRA_HINT}") from exc
        raise StoreError(f"{where}: the database driver is not installed ({exc})") from exc


def open_db(url: str, *, migrate: bool = True) -> Database:
    """Open (creating and migrating if needed) the database at ``url``.

    Raises :class:`StoreError` with a user-facing message for a corrupt file, a database
    written by a newer quizapp, a locked database or an unwritable location. Nothing is
    ever overwritten: a database this version cannot read is refused, not "repaired".
    """
    try:
        where = _describe(url)
        backend = make_url(url).get_backend_name()
    except ArgumentError as exc:
        raise StoreError(f"{url}: not a database file or URL ({exc})") from exc
    if backend not in DB_BACKENDS:
        raise StoreError(f"{where}: {UNSUPPORTED_URL}")
    if backend == "sqlite":
        _check_sqlite_target(url)
    engine = _create_engine(engine_url(url), where)
    if engine.dialect.name == "sqlite":
        _sqlite_pragmas(engine)
    elif engine.dialect.name == "postgresql":
        _postgres_settings(engine)
    try:
        with engine.connect() as conn:
            rev = current_revision(conn)
            _check_is_quizapp(conn, rev, where)
        if rev is not None and rev not in KNOWN_REVISIONS:
            raise StoreError(
                f"{where}: this database was written by a newer version of quizapp "
                f"(schema {rev}); upgrade quizapp to open it. The file was left untouched."
            )
        if engine.dialect.name == "sqlite":
            _use_wal(engine)
        if rev != SCHEMA_HEAD:
            if not migrate:
                raise StoreError(f"{where}: the database schema is out of date ({rev})")
            _upgrade(engine)
    except StoreError:
        engine.dispose()
        raise
    except (OperationalError, DBAPIError, sqlite3.DatabaseError) as exc:
        engine.dispose()
        raise friendly_error(exc, where) from exc
    name = engine.url.database if engine.dialect.name == "sqlite" else None
    file = Path(name) if name and name != ":memory:" else None
    return Database(engine, where, file if file is not None and file.is_file() else None)

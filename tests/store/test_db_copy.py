"""``quizapp db copy --to``: a whole collection moved between SQLite and PostgreSQL
and back unchanged, refused targets left alone, and a consistent copy of a database
in use."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from quizapp import locations
from quizapp.cli import main
from quizapp.store.copy import TABLES
from quizapp.store.db import Database, open_db
from quizapp.store.schema import Card, Interview, InterviewAnswer, Meta, Review
from quizapp.store.sync import sync_decks
from quizapp.study.scheduler import StudySettings
from quizapp.study.service import StudyService

START = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def contents(url: str) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, by table, in primary-key order."""
    db = open_db(url)
    try:
        with db.engine.connect() as conn:
            return {
                label: [
                    dict(r)
                    for r in conn.execute(
                        select(table).order_by(*table.primary_key.columns)
                    ).mappings()
                ]
                for label, table in TABLES
            }
    finally:
        db.close()


def make_history(url: str, deck: Path) -> None:
    """The bundled deck with a history: reviews over two weeks, one undone, a buried
    card, a retired card with its reviews, fitted parameters, an interview."""
    db = open_db(url)
    try:
        sync_decks(db, [deck], now=START)
        clock = {"now": START}
        svc = StudyService(db, now=lambda: clock["now"], settings=StudySettings())
        cards = svc.queue(limit=12)
        assert len(cards) == 12
        last = None
        for day in range(14):
            clock["now"] = START + timedelta(days=day, minutes=day * 7)
            for i, card in enumerate(cards):
                if (i + day) % 3 == 0:
                    last = svc.review(card.id, 1 + (i * day) % 4, duration_ms=900 + 10 * i)
        assert last is not None and svc.undo(last.id).status == "undone"
        svc.bury(cards[1].id)
        with db.session() as s:
            s.merge(Meta(key="fsrs.parameters", value=[0.2172, 1.1771, 3.2602, 16.1507]))
            s.merge(Meta(key="study.new_per_day", value=35))
            interview = Interview(
                started_at=START,
                finished_at=START + timedelta(minutes=9),
                questions=2,
                minutes=10.0,
                topics=["RNN"],
                reschedule=False,
                score=4.0,
                max_score=6.0,
                report="# Mock interview\n",
            )
            s.add(interview)
            s.flush()
            first = s.scalars(select(Review.id).order_by(Review.id)).first()
            for pos, card in enumerate(cards[:2], 1):
                s.add(
                    InterviewAnswer(
                        interview_id=interview.id,
                        position=pos,
                        card_id=card.id,
                        prompt=card.front,
                        answer="typed",
                        params={"m": 8} if pos == 1 else None,
                        verdict="correct" if pos == 1 else None,
                        score=2,
                        seconds=31.5,
                        review_id=first if pos == 1 else None,
                    )
                )
        # Retire one reviewed card: its section is cut out of its file.
        with db.session(write=False) as s:
            victim = s.scalars(
                select(Card).where(Card.reviews > 0, Card.kind == "basic").order_by(Card.id)
            ).first()
        assert victim is not None
        source = Path(victim.source)
        lines = source.read_text(encoding="utf-8").splitlines()
        end = next(
            (i for i in range(victim.line, len(lines)) if lines[i].startswith("#")), len(lines)
        )
        source.write_text("\n".join(lines[: victim.line - 1] + lines[end:]) + "\n", "utf-8")
        sync_decks(db, [deck], now=START + timedelta(days=15))
    finally:
        db.close()


@pytest.mark.parametrize("backend", ["postgresql"])
def test_sqlite_to_postgresql_and_back_changes_nothing(
    new_db_url: Callable[..., str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = tmp_path / "deck"
    shutil.copytree(locations.bundled_deck(), deck)
    source = f"sqlite:///{tmp_path / 'laptop.db'}"
    make_history(source, deck)
    server = new_db_url()
    back = tmp_path / "back.db"

    code, out, err = run(capsys, "--db", source, "db", "copy", "--to", server)
    assert code == 0, err
    original = contents(source)
    counts = {label: len(rows) for label, rows in original.items()}
    assert counts["reviews"] > 50 and counts["interview answers"] == 2
    assert out.startswith(f"copied to {server}:")
    for label, n in counts.items():
        assert f"  {label}" in out and f"{n:,}" in out
    assert "checked: the target holds the same counts" in out
    retired = sum(1 for c in original["cards"] if c["retired"])
    assert retired >= 1 and f"({retired} retired)" in out

    code, out, err = run(capsys, "--db", server, "db", "copy", "--to", str(back), "--json")
    assert code == 0, err
    assert json.loads(out)["counts"] == counts

    listings = []
    for url in (source, server, f"sqlite:///{back}"):
        code, out, err = run(capsys, "--db", url, "cards", "--json", "--all", "--no-sync")
        assert code == 0, err
        listings.append(json.loads(out))
    assert listings[0] == listings[1] == listings[2]
    assert len(listings[0]) == counts["cards"]
    # Not only what `cards` shows: every row of every table came back as it was.
    assert contents(f"sqlite:///{back}") == original

    # The copy is a working collection: new rows get fresh ids after the copied ones.
    db = open_db(server)
    try:
        card_id = next(c["id"] for c in listings[1] if not c.get("retired"))
        review = StudyService(db).review(card_id, 3)
        assert review.id > max(r["id"] for r in original["reviews"])
    finally:
        db.close()


def test_a_target_holding_a_collection_is_refused(
    db_url: str,
    new_db_url: Callable[..., str],
    write_deck: Callable[[str, str], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = write_deck("d.md", "# D\n\n## One?\n\nyes\n\n## Two?\n\nno\n")
    code, _, err = run(capsys, "--db", db_url, "--deck", str(path), "sync")
    assert code == 0, err
    target = new_db_url("target")
    other = write_deck("other.md", "# Other\n\n## Three?\n\nmaybe\n")
    assert run(capsys, "--db", target, "--deck", str(other), "sync")[0] == 0
    before = contents(target)

    code, out, err = run(capsys, "--db", db_url, "db", "copy", "--to", target)
    assert code == 3
    assert "already holds a collection" in err and "nothing was written" in err
    assert out == ""
    assert contents(target) == before

    code, _, err = run(capsys, "--db", db_url, "db", "copy", "--to", db_url)
    assert code == 3 and "Traceback" not in err


def test_a_missing_source_is_not_copied(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        capsys, "--db", str(tmp_path / "none.db"), "db", "copy", "--to", str(tmp_path / "b.db")
    )
    assert code == 3
    assert "none.db: no database there to copy" in err
    assert not (tmp_path / "none.db").exists() and not (tmp_path / "b.db").exists()


def test_copying_a_database_in_use_gives_a_consistent_backup(
    db: Database,
    db_url: str,
    tmp_path: Path,
    write_deck: Callable[[str, str], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = "# Busy\n\n" + "".join(f"## Q{i}?\n\nA{i}\n\n" for i in range(200))
    sync_decks(db, [write_deck("busy.md", text)])
    svc = StudyService(db, settings=StudySettings(new_per_day=10_000))
    ids = [c.id for c in svc.queue()]
    for card_id in ids:
        svc.review(card_id, 3)
    stop = threading.Event()

    def keep_reviewing() -> None:
        writer = open_db(db_url)
        try:
            other = StudyService(writer, settings=StudySettings(new_per_day=10_000))
            i = 0
            while not stop.is_set():
                other.review(ids[i % len(ids)], 1 + i % 4)
                i += 1
        finally:
            writer.close()

    worker = threading.Thread(target=keep_reviewing)
    worker.start()
    try:
        backups = []
        for n in range(3):
            backup = tmp_path / f"backup-{n}.db"
            code, _, err = run(capsys, "--db", db_url, "db", "copy", "--to", str(backup))
            assert code == 0, err
            backups.append(backup)
    finally:
        stop.set()
        worker.join(60)
    for backup in backups:
        copy = open_db(f"sqlite:///{backup}")
        try:
            with copy.session(write=False) as s:
                logged = dict(
                    s.execute(select(Review.card_id, func.count()).group_by(Review.card_id)).all()
                )
                counters = dict(s.execute(select(Card.id, Card.reviews)).all())
        finally:
            copy.close()
        # Each card's counter matches its log: no review half in the backup.
        assert counters == logged

"""``quizapp import-reviews`` on a real SQLite file: parsing, bad rows, placeholders,
replay through the scheduler, and re-imports that add nothing."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler
from sqlalchemy import func, select

from quizapp.cli import main
from quizapp.store.db import Database, open_db
from quizapp.store.schema import Card, Review
from quizapp.store.sync import sync_decks
from quizapp.study.reviews_csv import ReviewFileError, import_reviews, parse_reviews_csv

HEADER = "card_id,review_rating,review_time,review_duration\n"
GOOD = HEADER + (
    "101,3,2024-03-29T20:32:32.250000+00:00,25060\n"
    "101,1,2024-03-31T08:00:00+00:00,\n"
    "101,3,2024-03-31T08:10:00Z,1200\n"
    "202,4,2024-03-30T10:00:00+02:00,900\n"
    "101,3,2024-04-04T09:00:00+00:00,3000\n"
    "101,1,2024-04-10T09:00:00+00:00,5000\n"
)
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def count(db: Database, model: type[Card] | type[Review]) -> int:
    with db.session(write=False) as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str | bytes], Path]:
    def write(name: str, text: str | bytes) -> Path:
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8", newline="")
        return path

    return write


# -- parsing -------------------------------------------------------------------------


def test_parse_the_py_fsrs_columns() -> None:
    reviews = parse_reviews_csv(GOOD, "h.csv", now=NOW)
    assert [(r.line, r.card_id, r.rating, r.duration_ms) for r in reviews] == [
        (2, "101", 3, 25060),
        (3, "101", 1, None),
        (4, "101", 3, 1200),
        (5, "202", 4, 900),
        (6, "101", 3, 3000),
        (7, "101", 1, 5000),
    ]
    assert reviews[0].reviewed_at == datetime(2024, 3, 29, 20, 32, 32, 250000, tzinfo=UTC)
    # offsets are converted to UTC
    assert reviews[3].reviewed_at == datetime(2024, 3, 30, 8, 0, tzinfo=UTC)


def test_short_column_names_any_order_bom_crlf_and_blank_lines() -> None:
    text = (
        "\ufefftime,rating,card_id\r\n2024-01-01T00:00:00Z,2,x\r\n\r\n2024-01-02T00:00:00Z,3,x\r\n"
    )
    reviews = parse_reviews_csv(text.encode("utf-8"), "h.csv", now=NOW)
    assert [(r.line, r.card_id, r.rating, r.duration_ms) for r in reviews] == [
        (2, "x", 2, None),
        (4, "x", 3, None),
    ]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("101,5,2024-03-29T20:32:32+00:00,1", "rating '5' is not 1, 2, 3 or 4"),
        ("101,good,2024-03-29T20:32:32+00:00,1", "rating 'good' is not 1, 2, 3 or 4"),
        ("101,3,yesterday,1", "review time 'yesterday' is not an ISO 8601 date and time"),
        ("101,3,2024-03-29T20:32:32,1", "has no UTC offset"),
        ("101,3,2030-01-01T00:00:00+00:00,1", "is in the future"),
        (",3,2024-03-29T20:32:32+00:00,1", "empty card id"),
        ("101,3", "2 fields, expected at least 3"),
        ("101,3,2024-03-29T20:32:32+00:00,-5", "duration '-5' is not a whole number"),
    ],
)
def test_a_bad_row_is_reported_with_file_and_line(row: str, message: str) -> None:
    text = HEADER + "101,3,2024-03-28T20:32:32+00:00,1\n" + row + "\n"
    with pytest.raises(ReviewFileError) as err:
        parse_reviews_csv(text, "hist.csv", now=NOW)
    assert len(err.value.problems) == 1
    problem = err.value.problems[0]
    assert problem.startswith("hist.csv:3: ")
    assert message in problem


def test_every_bad_row_is_listed() -> None:
    text = HEADER + "a,9,2024-01-01T00:00:00Z,\nb,3,2024-01-01T00:00:00Z,\nc,0,nope,\n"
    with pytest.raises(ReviewFileError) as err:
        parse_reviews_csv(text, "h.csv", now=NOW)
    assert [p.split(": ")[0] for p in err.value.problems] == ["h.csv:2", "h.csv:4"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "h.csv:1: empty file"),
        (b"\n\n", "h.csv:1: empty file"),
        (
            b"id,when,grade\n1,2,3\n",
            "h.csv:1: missing columns card_id, review_rating, review_time",
        ),
        (HEADER.encode(), "h.csv:2: no reviews after the header"),
        (HEADER.encode() + b"1,3,2024-01-01T00:00:00Z,\n2,3,\xff\xfe,\n", "h.csv:3: not UTF-8"),
    ],
)
def test_files_that_cannot_be_read_as_a_history(data: bytes, message: str) -> None:
    with pytest.raises(ReviewFileError, match=re.escape(message)):
        parse_reviews_csv(data, "h.csv", now=NOW)


# -- writing ---------------------------------------------------------------------------


def test_unknown_cards_become_retired_placeholders_with_a_replayed_state(db: Database) -> None:
    reviews = parse_reviews_csv(GOOD, "hist.csv", now=NOW)
    report = import_reviews(db, reviews, source="hist.csv", now=NOW)
    assert (report.rows, report.imported, report.duplicates) == (6, 6, 0)
    assert (report.new_cards, report.cards) == (2, 2)

    scheduler = Scheduler(enable_fuzzing=False)
    expected = FsrsCard(card_id=0)
    for r in sorted((r for r in reviews if r.card_id == "101"), key=lambda r: r.reviewed_at):
        expected, _ = scheduler.review_card(expected, Rating(r.rating), r.reviewed_at)
    with db.session(write=False) as s:
        card = s.get_one(Card, "101")
        assert card.deck == "imported" and card.kind == "basic"
        assert card.retired is True
        assert (card.source, card.line) == ("hist.csv", 2)
        assert card.reviews == 5
        # the Again of 03-31 came while the card was still in its learning steps; the
        # one of 04-10 is a lapse of a graduated card
        assert card.lapses == 1
        assert card.state == int(expected.state)
        assert card.stability == pytest.approx(expected.stability)
        assert card.difficulty == pytest.approx(expected.difficulty)
        assert card.due == expected.due
        assert card.last_review == datetime(2024, 4, 10, 9, tzinfo=UTC)
        rows = s.scalars(
            select(Review).where(Review.card_id == "101").order_by(Review.reviewed_at)
        ).all()
        assert {r.kind for r in rows} == {"import"}
        assert [r.duration_ms for r in rows] == [25060, None, 1200, 3000, 5000]
        assert all(r.scheduled and not r.introduced for r in rows)
        # the scheduler's prediction before each review, for calibration
        assert rows[0].retrievability is None
        assert rows[2].retrievability == 1.0  # ten minutes after the previous review
        assert 0 < (rows[1].retrievability or 0) < 1


def test_importing_the_same_file_twice_adds_nothing(
    db: Database,
    db_url: str,
    write: Callable[[str, str], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = write("hist.csv", GOOD)
    assert main(["--db", db_url, "import-reviews", str(path), "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert first == {"rows": 6, "imported": 6, "duplicates": 0, "new_cards": 2, "cards": 2}
    with db.session(write=False) as s:
        before = s.get_one(Card, "101").due
    assert main(["--db", db_url, "import-reviews", str(path), "--json"]) == 0
    second = json.loads(capsys.readouterr().out)
    assert second == {"rows": 6, "imported": 0, "duplicates": 6, "new_cards": 0, "cards": 0}
    assert count(db, Review) == 6 and count(db, Card) == 2
    with db.session(write=False) as s:
        assert s.get_one(Card, "101").due == before


def test_a_partly_known_file_adds_only_the_new_reviews(db: Database) -> None:
    import_reviews(db, parse_reviews_csv(GOOD, "a.csv", now=NOW), source="a.csv", now=NOW)
    more = GOOD + "101,2,2024-04-20T09:00:00+00:00,\n"
    report = import_reviews(db, parse_reviews_csv(more, "b.csv", now=NOW), source="b.csv", now=NOW)
    assert (report.imported, report.duplicates, report.new_cards, report.cards) == (1, 6, 0, 1)
    with db.session(write=False) as s:
        card = s.get_one(Card, "101")
        assert card.reviews == 6
        assert card.last_review == datetime(2024, 4, 20, 9, tzinfo=UTC)


def test_a_bad_file_imports_nothing(
    db: Database,
    db_url: str,
    write: Callable[[str, str], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = write("hist.csv", GOOD + "303,7,2024-04-05T00:00:00Z,\n")
    assert main(["--db", db_url, "import-reviews", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:8: rating '7' is not 1, 2, 3 or 4" in err
    assert "nothing was imported" in err
    assert count(db, Review) == 0 and count(db, Card) == 0


def test_a_missing_file_is_a_clear_error(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.csv"
    assert main(["--db", db_url, "import-reviews", str(missing)]) == 1
    assert f"{missing}: cannot read the file" in capsys.readouterr().err


def test_reviews_of_a_deck_card_attach_to_it(
    db_url: str, write: Callable[[str, str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    deck = write("gru.md", "# RNN\n\n## GRU\n\n### 求 GRU 参数？ {#gru-params}\n\n3(n²+nm+n)\n")
    db = open_db(db_url)
    try:
        sync_decks(db, [deck])
        history = write(
            "hist.csv",
            HEADER + "gru-params,3,2025-01-01T10:00:00Z,\ngru-params,3,2025-01-04T10:00:00Z,\n",
        )
        assert main(["--db", db_url, "import-reviews", str(history)]) == 0
        assert "0 placeholder" not in capsys.readouterr().out
        with db.session(write=False) as s:
            card = s.get_one(Card, "gru-params")
            assert card.deck == "RNN" and card.retired is False
            assert card.reviews == 2 and card.state == 2
        assert count(db, Card) == 1
    finally:
        db.close()


def test_a_placeholder_comes_back_as_the_deck_card_with_its_history(
    db: Database, write: Callable[[str, str], Path]
) -> None:
    text = HEADER + "gru-params,3,2025-01-01T10:00:00Z,\ngru-params,1,2025-01-04T10:00:00Z,\n"
    import_reviews(db, parse_reviews_csv(text, "h.csv", now=NOW), source="h.csv", now=NOW)
    deck = write("gru.md", "# RNN\n\n## GRU\n\n### 求 GRU 参数？ {#gru-params}\n\n3(n²+nm+n)\n")
    report = sync_decks(db, [deck])
    assert report.restored == 1 and report.added == 0
    with db.session(write=False) as s:
        card = s.get_one(Card, "gru-params")
        assert (card.deck, card.front, card.retired) == ("RNN", "求 GRU 参数？", False)
        assert card.reviews == 2
    assert count(db, Review) == 2

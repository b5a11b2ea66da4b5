"""The study queue, written once: its SQL text and the rules around it.

Two paths run this module: the study service, through SQLAlchemy
(:func:`quizapp.store.sqlfetch.session_fetch`), and the first screen of the app, through
a read-only standard-library ``sqlite3`` connection (:mod:`quizapp.store.quickread`)
before SQLAlchemy is even imported. Both hand the same SQL strings to the database and
the same rows to the same functions below, so the queue order and the counts cannot
differ between them. The module imports nothing beyond the standard library.

Values cross the drivers raw: datetime parameters are bound by each runner
(:func:`sqlite_time` on SQLite, the column type's naive UTC form elsewhere), and result
values are read back by :func:`utc` / :func:`json_value`, which accept what either the
SQLite driver (ISO text) or a typed driver (``datetime``, parsed JSON) returns.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from quizapp.store.convert import card_view
from quizapp.store.settings import Settings
from quizapp.store.views import CardView, Counts, TopicCounts

#: runs one SQL string with named parameters and returns every row as a tuple
Fetch = Callable[[str, Mapping[str, Any]], Sequence[Sequence[Any]]]

NEW, LEARNING, REVIEW, RELEARNING = 0, 1, 2, 3

#: learning cards due within this window are shown when nothing else is left
LEARN_AHEAD = timedelta(minutes=20)

# -- the SQL ---------------------------------------------------------------------------

#: the columns a :class:`~quizapp.store.views.CardView` is built from, in this order
CARD_COLUMNS = (
    "id", "deck", "topic", "front", "back", "kind", "source", "line", "state", "due",
    "reviews", "lapses", "stability", "difficulty", "last_review", "cloze", "quiz",
    "parent", "retired", "ordinal", "suspended", "buried_until",
)  # fmt: skip
_SELECT_CARDS = f"SELECT {', '.join(CARD_COLUMNS)} FROM cards"
#: a new or review card of a note waits while one of its siblings has been reviewed
#: since :siblings_since (the start of the day; far in the future when siblings are not
#: buried). Learning cards are never held back, as in Anki.
SIBLINGS_FREE = (
    "(note IS NULL OR state IN (1, 3) OR NOT EXISTS (SELECT 1 FROM cards AS sib "
    "JOIN reviews AS r ON r.card_id = sib.id WHERE sib.note = cards.note "
    "AND sib.id <> cards.id AND r.reviewed_at >= :siblings_since))"
)
#: cards to study: neither retired, suspended, buried (skipped) at :now, nor a sibling
#: of a card studied today
ACTIVE = (
    "retired = FALSE AND suspended = FALSE "
    f"AND (buried_until IS NULL OR buried_until <= :now) AND {SIBLINGS_FREE}"
)

#: the parts of the queue, in the order they are studied: (filter, order)
QUEUE_PARTS = {
    "learning": ("state IN (1, 3) AND due <= :now", "due"),
    "review": ("state = 2 AND due <= :now", "due"),
    "new": ("state = 0", "source, ordinal"),
    # learning cards due soon: shown when nothing else is left
    "ahead": ("state IN (1, 3) AND due <= :ahead", "due"),
}
#: the two-state parts split by state: with a LIMIT, each state is one walk of the
#: (retired, state, due) index, instead of sorting every learning card (PostgreSQL
#: does that for ``state IN (1, 3)``)
_BY_STATE = {
    "learning": ("state = 1 AND due <= :now", "state = 3 AND due <= :now"),
    "ahead": ("state = 1 AND due <= :ahead", "state = 3 AND due <= :ahead"),
}

#: cards waiting now, by state (new cards uncapped)
COUNT_BY_STATE = (
    f"SELECT state, COUNT(*) FROM cards WHERE {ACTIVE} AND (state = 0 OR due <= :now) "
    "GROUP BY state"
)
#: per (deck, topic path) group of active cards: new, learning due, review due, total
#: (the path as JSON text: grouping by a JSON column is not portable)
TOPIC_COUNTS = (
    "SELECT deck, CAST(topic AS TEXT), "
    "SUM(CASE WHEN state = 0 THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN state IN (1, 3) AND due <= :now THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN state = 2 AND due <= :now THEN 1 ELSE 0 END), "
    f"COUNT(*) FROM cards WHERE {ACTIVE} GROUP BY deck, CAST(topic AS TEXT)"
)
#: cards introduced (first scheduled review) since :since
INTRODUCED_SINCE = "SELECT COUNT(*) FROM reviews WHERE introduced = TRUE AND reviewed_at >= :since"
#: study reviews of cards that were due reviews (the reviews-per-day limit) since :since
REVIEWED_SINCE = (
    "SELECT COUNT(*) FROM reviews WHERE kind = 'study' AND scheduled = TRUE "
    "AND prev_state = 2 AND reviewed_at >= :since"
)
#: study reviews since :since
STUDIED_SINCE = "SELECT COUNT(*) FROM reviews WHERE kind = 'study' AND reviewed_at >= :since"


def queue_sql(part: str, *, exclude: int = 0, limit: bool = False) -> str:
    """The query of one part of the queue (``learning``, ``review``, ``new``, ``ahead``).

    ``exclude`` adds ``id NOT IN (:x0, …)`` for that many ids; ``limit`` adds
    ``LIMIT :limit``.
    """
    where, order = QUEUE_PARTS[part]
    excluded = f" AND id NOT IN ({', '.join(f':x{i}' for i in range(exclude))})" if exclude else ""
    if limit and part in _BY_STATE:
        scans = " UNION ALL ".join(
            f"SELECT * FROM ({_SELECT_CARDS} WHERE {ACTIVE} AND {one}{excluded} "
            f"ORDER BY {order} LIMIT :limit) AS s{i}"
            for i, one in enumerate(_BY_STATE[part])
        )
        return f"SELECT {', '.join(CARD_COLUMNS)} FROM ({scans}) AS q ORDER BY {order} LIMIT :limit"
    sql = f"{_SELECT_CARDS} WHERE {ACTIVE} AND {where}{excluded} ORDER BY {order}"
    return sql + " LIMIT :limit" if limit else sql


# -- values ------------------------------------------------------------------------------


def sqlite_time(value: datetime) -> str:
    """``value`` as SQLAlchemy stores a UTC datetime in SQLite, so that text comparisons
    in SQL order times correctly."""
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def utc(value: Any) -> datetime | None:
    """A stored time (ISO text from SQLite, a naive UTC ``datetime`` elsewhere) as an
    aware UTC datetime."""
    if value is None:
        return None
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    assert isinstance(when, datetime)
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def json_value(value: Any) -> Any:
    """A stored JSON value (text from SQLite, already parsed by a typed driver)."""
    return json.loads(value) if isinstance(value, str) else value


@lru_cache(maxsize=4096)
def _topic_path(text: str) -> tuple[str, ...]:
    # Cards of one topic share its JSON text: a deck has far fewer paths than cards.
    return tuple(json.loads(text))


def card_from_row(row: Sequence[Any]) -> CardView:
    """A :class:`CardView` from a row of :data:`CARD_COLUMNS`."""
    c = SimpleNamespace(**dict(zip(CARD_COLUMNS, row, strict=True)))
    c.topic = _topic_path(c.topic) if isinstance(c.topic, str) else c.topic
    c.quiz = json_value(c.quiz)
    c.due = utc(c.due)
    c.last_review = utc(c.last_review)
    c.buried_until = utc(c.buried_until)
    c.retired = bool(c.retired)
    return card_view(c)  # type: ignore[arg-type]


# -- rules -----------------------------------------------------------------------------


def matches_topic(topic: str, deck: str, path: Collection[str]) -> bool:
    """Whether a card of ``deck`` under heading ``path`` belongs to the ``topic`` filter.

    Matching ignores case: the filter matches the deck name or any ancestor heading it
    equals or begins ("rnn" matches the heading "RNN 基础 · Basics"); a filter written
    as a breadcrumb (``deck › topic``) matches any part of the card's breadcrumb.
    """
    want = topic.casefold().strip()
    if not want:
        return True
    parts = [p.casefold() for p in (deck, *path)]
    if "›" in want:
        return want in " › ".join(parts)
    return any(p == want or p.startswith(want) for p in parts)


def _count(fetch: Fetch, sql: str, **params: Any) -> int:
    rows = fetch(sql, params)
    return int(rows[0][0] or 0) if rows else 0


#: "since" for sibling burying when it is switched off: no review is that recent
_NEVER = datetime(9999, 1, 1, tzinfo=UTC)


def base_params(now: datetime, settings: Settings) -> dict[str, Any]:
    """The parameters every query using :data:`ACTIVE` needs."""
    since = settings.day_start(now) if settings.bury_siblings else _NEVER
    return {"now": now, "siblings_since": since}


def new_left(fetch: Fetch, now: datetime, settings: Settings) -> int:
    """How many new cards may still be introduced today (the daily limit and today's
    extra, less those introduced since the day began)."""
    introduced = _count(fetch, INTRODUCED_SINCE, since=settings.day_start(now))
    return max(0, settings.new_limit(now) - introduced)


def reviews_left(fetch: Fetch, now: datetime, settings: Settings) -> int:
    """How many due reviews may still be studied today (the reviews-per-day limit less
    those studied since the day began)."""
    reviewed = _count(fetch, REVIEWED_SINCE, since=settings.day_start(now))
    return max(0, settings.reviews_per_day - reviewed)


def studied_since(fetch: Fetch, since: datetime) -> int:
    """Study reviews made since ``since``."""
    return _count(fetch, STUDIED_SINCE, since=since)


def queue(
    fetch: Fetch,
    now: datetime,
    *,
    settings: Settings,
    learn_ahead: timedelta = LEARN_AHEAD,
    limit: int | None = None,
    topic: str | None = None,
) -> list[CardView]:
    """Cards to study now, in order: learning due, reviews due, then new cards.

    Reviews and new cards are capped by what today's limits (``settings``) still
    allow. When nothing else is left, learning cards due within ``learn_ahead`` are
    included.
    """
    out: list[CardView] = []
    caps = (
        ("learning", None),
        ("review", reviews_left(fetch, now, settings)),
        ("new", new_left(fetch, now, settings)),
    )
    base = base_params(now, settings)
    for part, cap in caps:
        if cap == 0:
            continue
        sql = queue_sql(part)
        params: dict[str, Any] = dict(base)
        if topic is None:
            # Without a topic filter, SQL can stop at the rows actually wanted.
            wanted = [n for n in (cap, limit and limit - len(out)) if n]
            if wanted:
                sql = queue_sql(part, limit=True)
                params["limit"] = min(wanted)
        taken = 0
        for row in fetch(sql, params):
            card = card_from_row(row)
            if topic and not matches_topic(topic, card.deck, card.topic):
                continue
            out.append(card)
            taken += 1
            if (cap is not None and taken >= cap) or (limit and len(out) >= limit):
                break
        if limit and len(out) >= limit:
            return out
    if not out:
        rows = fetch(queue_sql("ahead"), {**base, "ahead": now + learn_ahead})
        for row in rows:
            card = card_from_row(row)
            if not topic or matches_topic(topic, card.deck, card.topic):
                out.append(card)
    return out[:limit] if limit else out


def next_card(
    fetch: Fetch,
    now: datetime,
    *,
    settings: Settings,
    learn_ahead: timedelta = LEARN_AHEAD,
    topic: str | None = None,
    exclude: Collection[str] = (),
) -> CardView | None:
    """The first card of :func:`queue` that is not in ``exclude``, or None."""
    excluded = list(exclude)
    params: dict[str, Any] = {**base_params(now, settings), "ahead": now + learn_ahead}
    params.update({f"x{i}": card_id for i, card_id in enumerate(excluded)})

    def allowed(part: str) -> bool:
        # Today's allowances cost a query each: asked only when a card of that part is next.
        if part == "review":
            return reviews_left(fetch, now, settings) > 0
        return part != "new" or new_left(fetch, now, settings) > 0

    for part in ("learning", "review", "new"):
        if topic is None:
            rows = fetch(queue_sql(part, exclude=len(excluded), limit=True), {**params, "limit": 1})
            if rows and allowed(part):
                return card_from_row(rows[0])
            continue
        for row in fetch(queue_sql(part, exclude=len(excluded)), params):
            card = card_from_row(row)
            if matches_topic(topic, card.deck, card.topic):
                if allowed(part):
                    return card
                break
    for row in fetch(queue_sql("ahead", exclude=len(excluded)), params):
        card = card_from_row(row)
        if not topic or matches_topic(topic, card.deck, card.topic):
            return card
    return None


def topic_tree(fetch: Fetch, now: datetime, settings: Settings) -> list[TopicCounts]:
    """Per (deck, topic path) counts of active cards, sorted by deck then path; each
    group's new cards and reviews are capped by what today's limits still allow (the
    uncapped numbers beside them)."""
    groups: dict[tuple[str, tuple[str, ...]], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for deck, path, new, learning, due, total in fetch(TOPIC_COUNTS, base_params(now, settings)):
        # Equal paths may be stored as different JSON text (spacing): add them up.
        g = groups[(str(deck), tuple(json.loads(path)))]
        for i, n in enumerate((new, learning, due, total)):
            g[i] += int(n or 0)
    new_cap = new_left(fetch, now, settings)
    due_cap = reviews_left(fetch, now, settings)
    return [
        TopicCounts(
            deck,
            path,
            min(new, new_cap),
            learning,
            min(due, due_cap),
            total,
            new_uncapped=new,
            due_uncapped=due,
        )
        for (deck, path), (new, learning, due, total) in sorted(groups.items())
    ]


def counts(fetch: Fetch, now: datetime, *, settings: Settings, topic: str | None = None) -> Counts:
    """Learning cards, and new cards and reviews within what today's limits still allow,
    available now (with the uncapped numbers and today's limits)."""
    if topic is None:
        by_state = {int(st): int(n) for st, n in fetch(COUNT_BY_STATE, base_params(now, settings))}
        new = by_state.get(NEW, 0)
        learning = by_state.get(LEARNING, 0) + by_state.get(RELEARNING, 0)
        due = by_state.get(REVIEW, 0)
    else:
        new = learning = due = 0
        for row in topic_tree(fetch, now, settings):
            if matches_topic(topic, row.deck, row.topic):
                new += row.new if row.new_uncapped is None else row.new_uncapped
                due += row.due if row.due_uncapped is None else row.due_uncapped
                learning += row.learning
    return Counts(
        new=min(new_left(fetch, now, settings), new),
        learning=learning,
        due=min(reviews_left(fetch, now, settings), due),
        new_uncapped=new,
        due_uncapped=due,
        new_limit=settings.new_limit(now),
        due_limit=settings.reviews_per_day,
    )

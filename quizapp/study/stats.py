"""Progress statistics: what ``quizapp stats`` prints and the stats screen plots.

Everything is computed from plain values (the review log, the cards, the settings) by
:func:`compute_stats`; :func:`collect_stats` reads them from a database first. Days are
the user's days, as the daily limits count them: in local time, each beginning at the
day-start hour (``quizapp config set day-starts-at``, 4 a.m. by default), so a review made
at 02:00 counts for the day before.

- **Reviews per day**: every row of the review log (study, interview and imported
  reviews), over the last 12 weeks, today included.
- **True retention**: over the last 30 days, the share of *long-term* reviews that were
  recalled (rated Hard, Good or Easy). A review is long-term when the scheduler predicted
  its recall from at least one whole day of forgetting — py-fsrs predicts exactly 1.0
  within the day, so learning steps and same-day repeats are left out (as Anki's "true
  retention" leaves out learning cards). Compared with the desired retention.
- **Due forecast**: scheduled (not new) active cards by the day they fall due, over the
  next 30 days; overdue cards count for today.
- **Mastery per topic**: mean retrievability now of the active cards of each topic
  (deck › first-level heading), a card never studied counting as 0.
- **Calibration**: long-term reviews grouped by the recall the scheduler predicted just
  before them (ten bins of 0.1), with the share actually recalled in each bin; the
  count-weighted RMSE between predicted and observed over the bins.
- **Scheduler**: what the parameters in use earned in the last ``optimize``'s
  cross-validation, against the defaults, and the desired retention it recommended
  (:mod:`quizapp.study.fitness`).
- **Workload**: reviews, new cards and minutes of each of the next 30 days, simulated at
  the desired retention in use and at the recommended one
  (:mod:`quizapp.study.forecast`); the minutes use the study costs the last
  ``optimize`` measured from the user's review times (fsrs-rs's defaults before one).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from fsrs import Scheduler

from quizapp.store.db import Database
from quizapp.store.history import review_log
from quizapp.store.queries import list_cards
from quizapp.store.views import CardView
from quizapp.study.costs import StudyCosts
from quizapp.study.fitness import Fitness, read_fitness
from quizapp.study.forecast import Workload, forecast_workload
from quizapp.study.scheduler import StudySettings, to_fsrs
from quizapp.study.service import StudyService

REVIEW_DAYS = 84
RETENTION_DAYS = 30
FORECAST_DAYS = 30
CALIBRATION_BINS = 10
_STATE_CODES = {"learning": 1, "review": 2, "relearning": 3}


@dataclass(frozen=True)
class LoggedReview:
    """One row of the review log, as the statistics need it."""

    card_id: str
    rating: int
    reviewed_at: datetime
    #: recall the scheduler predicted just before the review (None for a first review)
    predicted: float | None

    @property
    def long_term(self) -> bool:
        """Whether the prediction came from at least a whole day of forgetting."""
        # py-fsrs counts whole days: its prediction is exactly 1.0 within a day and
        # strictly below 1.0 after one, so this is "a day or more since the last review".
        return self.predicted is not None and self.predicted < 1.0


@dataclass(frozen=True)
class DayCount:
    """A number for one of the user's days."""

    day: date
    count: int


@dataclass(frozen=True)
class RetentionDay:
    """Long-term reviews of one day and how many were recalled."""

    day: date
    reviews: int
    recalled: int


@dataclass(frozen=True)
class Retention:
    """True retention over the last :data:`RETENTION_DAYS` days."""

    reviews: int
    recalled: int
    desired: float
    per_day: tuple[RetentionDay, ...]

    @property
    def rate(self) -> float | None:
        """Recalled / reviewed, or None without long-term reviews."""
        return self.recalled / self.reviews if self.reviews else None


@dataclass(frozen=True)
class TopicMastery:
    """Mean retrievability of one topic's active cards."""

    deck: str
    topic: str | None
    cards: int
    studied: int
    mastery: float

    @property
    def label(self) -> str:
        """``deck › topic`` (or the deck alone)."""
        return self.deck if self.topic is None else f"{self.deck} › {self.topic}"


@dataclass(frozen=True)
class CalibrationBin:
    """Long-term reviews whose predicted recall fell in ``[low, high)``."""

    low: float
    high: float
    reviews: int
    predicted: float | None
    observed: float | None


@dataclass(frozen=True)
class Calibration:
    """Predicted recall against observed recall."""

    bins: tuple[CalibrationBin, ...]
    reviews: int
    rmse: float | None


@dataclass(frozen=True)
class Stats:
    """Everything ``quizapp stats`` reports."""

    generated_at: datetime
    today: date
    reviews_total: int
    reviews_per_day: tuple[DayCount, ...]
    retention: Retention
    due_forecast: tuple[DayCount, ...]
    overdue: int
    mastery: tuple[TopicMastery, ...]
    calibration: Calibration
    #: the last optimization's figures (None: never optimized)
    fitness: Fitness | None = None
    #: the simulated next days: at the desired retention in use, then the recommended
    workloads: tuple[Workload, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The JSON document of ``quizapp stats --json``."""
        per_day = self.reviews_per_day
        return {
            "generated_at": self.generated_at.isoformat(),
            "today": self.today.isoformat(),
            "reviews_total": self.reviews_total,
            "reviews_per_day": {
                "days": len(per_day),
                "from": per_day[0].day.isoformat(),
                "to": per_day[-1].day.isoformat(),
                "total": sum(d.count for d in per_day),
                "counts": [{"date": d.day.isoformat(), "reviews": d.count} for d in per_day],
            },
            "retention": {
                "days": len(self.retention.per_day),
                "reviews": self.retention.reviews,
                "recalled": self.retention.recalled,
                "true_retention": self.retention.rate,
                "desired_retention": self.retention.desired,
                "per_day": [
                    {"date": d.day.isoformat(), "reviews": d.reviews, "recalled": d.recalled}
                    for d in self.retention.per_day
                ],
            },
            "due_forecast": {
                "days": len(self.due_forecast),
                "overdue": self.overdue,
                "total": sum(d.count for d in self.due_forecast),
                "counts": [{"date": d.day.isoformat(), "due": d.count} for d in self.due_forecast],
            },
            "mastery": [
                {
                    "deck": m.deck,
                    "topic": m.topic,
                    "cards": m.cards,
                    "studied": m.studied,
                    "mastery": m.mastery,
                }
                for m in self.mastery
            ],
            "calibration": {
                "reviews": self.calibration.reviews,
                "rmse": self.calibration.rmse,
                "bins": [
                    {
                        "low": b.low,
                        "high": b.high,
                        "reviews": b.reviews,
                        "predicted": b.predicted,
                        "observed": b.observed,
                    }
                    for b in self.calibration.bins
                ],
            },
            "scheduler": self.fitness.to_json() if self.fitness else None,
            "workload": {
                "days": len(self.workloads[0].days) if self.workloads else 0,
                "forecasts": [w.to_json() for w in self.workloads],
            },
        }


@dataclass(frozen=True)
class UserDays:
    """The user's days: local in ``tz`` (None: the system's zone), each beginning at
    the local hour ``starts_at`` (the day-start setting)."""

    tz: tzinfo | None
    starts_at: int

    def of(self, at: datetime) -> date:
        """The day ``at`` falls in (named by its local date at the start)."""
        # wall-clock arithmetic in the local zone: 03:59 is 23:59 of the day before
        return (at.astimezone(self.tz) - timedelta(hours=self.starts_at)).date()

    def start(self, day: date) -> datetime:
        """When ``day`` begins, in UTC."""
        local = datetime.combine(day, time(self.starts_at))
        aware = local.astimezone() if self.tz is None else local.replace(tzinfo=self.tz)
        return aware.astimezone(UTC)


def _days(last: date, n: int) -> list[date]:
    return [last - timedelta(days=n - 1 - i) for i in range(n)]


def reviews_per_day(
    reviews: Iterable[LoggedReview], today: date, calendar: UserDays, days: int = REVIEW_DAYS
) -> tuple[DayCount, ...]:
    """Reviews of each of the user's ``days`` days ending ``today``."""
    counts: dict[date, int] = defaultdict(int)
    for r in reviews:
        counts[calendar.of(r.reviewed_at)] += 1
    return tuple(DayCount(d, counts[d]) for d in _days(today, days))


def true_retention(
    reviews: Iterable[LoggedReview],
    today: date,
    calendar: UserDays,
    desired: float,
    days: int = RETENTION_DAYS,
) -> Retention:
    """Share of long-term reviews recalled over the user's ``days`` days ending
    ``today``."""
    seen: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for r in reviews:
        if r.long_term:
            acc = seen[calendar.of(r.reviewed_at)]
            acc[0] += 1
            acc[1] += r.rating > 1
    per_day = tuple(RetentionDay(d, seen[d][0], seen[d][1]) for d in _days(today, days))
    return Retention(
        reviews=sum(d.reviews for d in per_day),
        recalled=sum(d.recalled for d in per_day),
        desired=desired,
        per_day=per_day,
    )


def due_forecast(
    cards: Iterable[CardView], today: date, calendar: UserDays, days: int = FORECAST_DAYS
) -> tuple[tuple[DayCount, ...], int]:
    """Scheduled active cards due on each of the user's next ``days`` days, and how many
    of today's are overdue (due before today)."""
    counts: dict[date, int] = defaultdict(int)
    overdue = 0
    for c in cards:
        if c.retired or c.state == "new" or c.due is None:
            continue
        day = calendar.of(c.due)
        if day < today:
            overdue += 1
            day = today
        counts[day] += 1
    horizon = [today + timedelta(days=i) for i in range(days)]
    return tuple(DayCount(d, counts[d]) for d in horizon), overdue


def retrievability(card: CardView, scheduler: Scheduler, now: datetime) -> float:
    """Predicted recall of ``card`` now; 0 for a card never studied."""
    if card.state == "new" or card.last_review is None or card.stability is None:
        return 0.0
    fc = to_fsrs(
        state=_STATE_CODES[card.state],
        step=None,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due or now,
        last_review=card.last_review,
    )
    return float(scheduler.get_card_retrievability(fc, now))


def mastery_per_topic(
    cards: Iterable[CardView], scheduler: Scheduler, now: datetime
) -> tuple[TopicMastery, ...]:
    """Mean retrievability of the active cards of each (deck, first-level topic)."""
    groups: dict[tuple[str, str | None], list[float]] = defaultdict(list)
    studied: dict[tuple[str, str | None], int] = defaultdict(int)
    for c in cards:
        if c.retired:
            continue
        key = (c.deck, c.topic[0] if c.topic else None)
        groups[key].append(retrievability(c, scheduler, now))
        studied[key] += c.state != "new"
    out = []
    for deck, topic in sorted(groups, key=lambda key: (key[0], key[1] or "")):
        values = groups[(deck, topic)]
        mean = sum(values) / len(values)
        out.append(TopicMastery(deck, topic, len(values), studied[(deck, topic)], mean))
    return tuple(out)


def calibration(reviews: Iterable[LoggedReview], bins: int = CALIBRATION_BINS) -> Calibration:
    """Predicted against observed recall of long-term reviews, in ``bins`` equal bins."""
    predicted = [0.0] * bins
    recalled = [0] * bins
    counts = [0] * bins
    for r in reviews:
        if not r.long_term or r.predicted is None:
            continue
        i = min(int(r.predicted * bins), bins - 1)
        predicted[i] += r.predicted
        recalled[i] += r.rating > 1
        counts[i] += 1
    out = []
    squared = 0.0
    total = 0
    for i, (pred, real, n) in enumerate(zip(predicted, recalled, counts, strict=True)):
        if n:
            squared += (pred / n - real / n) ** 2 * n
            total += n
        out.append(
            CalibrationBin(
                low=i / bins,
                high=(i + 1) / bins,
                reviews=n,
                predicted=pred / n if n else None,
                observed=real / n if n else None,
            )
        )
    return Calibration(tuple(out), total, math.sqrt(squared / total) if total else None)


def compute_stats(
    reviews: Sequence[LoggedReview],
    cards: Sequence[CardView],
    settings: StudySettings,
    now: datetime,
    tz: tzinfo | None = None,
    *,
    fitness: Fitness | None = None,
) -> Stats:
    """All the statistics, for the user's day of ``now`` (local in ``tz``, None = the
    system's zone, beginning at ``settings.day_starts_at``); ``fitness`` is the last
    optimization's record (its study costs time the forecast: fsrs-rs's defaults
    without one)."""
    now = now.astimezone(UTC)
    calendar = UserDays(tz, settings.day_starts_at)
    today = calendar.of(now)
    forecast, overdue = due_forecast(cards, today, calendar)
    return Stats(
        generated_at=now,
        today=today,
        reviews_total=len(reviews),
        reviews_per_day=reviews_per_day(reviews, today, calendar),
        retention=true_retention(reviews, today, calendar, settings.desired_retention),
        due_forecast=forecast,
        overdue=overdue,
        mastery=mastery_per_topic(cards, settings.scheduler(fuzz=False), now),
        calibration=calibration(reviews),
        fitness=fitness,
        workloads=workloads(
            cards,
            settings,
            (fitness.costs if fitness else None) or StudyCosts(),
            calendar.start(today),
            calendar.tz,
            fitness,
        ),
    )


def workloads(
    cards: Sequence[CardView],
    settings: StudySettings,
    costs: StudyCosts,
    start: datetime,
    tz: tzinfo | None,
    fitness: Fitness | None,
) -> tuple[Workload, ...]:
    """The next days from ``start`` (when today began) simulated at the retention in
    use, and at the recommended one when there is one and it differs."""
    retentions = [settings.desired_retention]
    recommended = fitness.recommended_retention if fitness else None
    if recommended is not None and round(recommended, 2) != round(retentions[0], 2):
        retentions.append(recommended)
    return tuple(
        forecast_workload(cards, settings, costs, retention=r, start=start, tz=tz)
        for r in retentions
    )


def logged_reviews(db: Database) -> list[LoggedReview]:
    """The whole review log, oldest first, with the scheduler's predictions."""
    return [LoggedReview(*row) for row in review_log(db)]


def collect_stats(db: Database, *, now: datetime | None = None, tz: tzinfo | None = None) -> Stats:
    """Read the review log, the active cards and the settings, and compute the stats."""
    service = StudyService(db) if now is None else StudyService(db, now=lambda: now)
    return compute_stats(
        logged_reviews(db),
        list_cards(db),
        service.settings,
        service.now(),
        tz,
        fitness=read_fitness(db),
    )

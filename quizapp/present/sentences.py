"""What both front-ends say in the same words: the app and line mode alike.

The engine returns data (a rating, a :class:`~datetime.timedelta`, a card it could not
draw); the sentences a user reads about them are written here once, so the study
screen and ``study --plain`` (the interview screen and ``interview --plain``) cannot
drift apart.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from quizapp.present.card import format_interval
from quizapp.present.labels import RATING_NAMES
from quizapp.store.views import CardView, Counts
from quizapp.words import plural

NOTHING_TO_STUDY = "Nothing to study now. Come back later, or add cards to your decks."
NO_QUESTION_ANSWERED = "No question answered; nothing saved."
#: said when the card on screen was renamed or retired by a sync elsewhere before its
#: rating was saved: the rating is dropped, never moved onto another card
NOT_SAVED = "not saved: a sync changed or removed this card since it was shown"
#: what a card that cannot be drawn becomes, in a study session / an interview
SKIPPED_UNTIL_TOMORROW = "skipped until tomorrow"
LEFT_OUT_OF_INTERVIEW = "left out of this interview"


def saved_note(rating: int, interval: timedelta | None) -> str:
    """``saved: Good — next in 3d``: what a front-end says once a rating is committed."""
    after = f" — next in {format_interval(interval)}" if interval is not None else ""
    return f"saved: {RATING_NAMES[rating]}{after}"


def undo_refused_note(reason: str, card: CardView | None) -> str:
    """Why an undo changed nothing (``reason`` as the engine gives it)."""
    if reason == "reviewed_since":
        what = f"“{card.front}”" if card is not None and card.front else "that card"
        return (
            f"Not undone: {what} was reviewed again since (on another machine or in another "
            "session); both reviews are kept."
        )
    return "Not undone: that rating is gone (undone elsewhere, or its card was retired)."


def session_over(done: int) -> str:
    """The end of a study session."""
    return f"Session over: {plural(done, 'card')} reviewed."


def cannot_draw_note(problem: str, outcome: str = SKIPPED_UNTIL_TOMORROW) -> str:
    """The one line shown for a card that cannot be asked (``problem`` is
    ``FILE:LINE: reason``)."""
    return f"✗ this card cannot be asked ({problem}); {outcome}"


def deck_problems(errors: int) -> str:
    """The notice of deck files with errors, after a sync."""
    return (
        f"{plural(errors, 'problem')} in the deck files; cards with errors were skipped "
        "(run `quizapp lint` for details)"
    )


def rewrite_hint(interview_id: int) -> str:
    """How to write the report of a stored interview again."""
    return f"quizapp interview --report-of {interview_id} --report FILE"


def report_not_written(path: Path, reason: str, interview_id: int) -> str:
    """A report file that could not be written at the end of an interview."""
    return (
        f"cannot write the report to {path}: {reason}\n"
        f"Your answers are saved. Write the report again with:\n  {rewrite_hint(interview_id)}"
    )


def report_written(path: Path) -> str:
    """The report file was written."""
    return f"report written to {path}"


def format_clock(seconds: float) -> str:
    """``m:ss`` (``h:mm:ss`` past an hour)."""
    total = max(0, int(seconds))
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02}:{s:02}" if h else f"{m}:{s:02}"


def timer_line(seconds: float, budget: float | None) -> str:
    """``0:45 of 1:00``, ``1:15 of 1:00 — overtime``: the time a question took (so
    far) against its budget."""
    if budget is None:
        return format_clock(seconds)
    line = f"{format_clock(seconds)} of {format_clock(budget)}"
    return line + (" — overtime" if seconds > budget else "")


def limit_notes(counts: Counts, more_new: str) -> list[str]:
    """One line per daily limit that holds cards back now (none when nothing waits
    beyond them). ``more_new`` says how to get more new cards today in this
    front-end, e.g. "Press + for 10 more today"."""
    notes = []
    if counts.new == 0 and counts.new_held_back:
        limit = counts.new_limit or 0
        notes.append(
            f"Daily limit of {plural(limit, 'new card')} reached; "
            f"{counts.new_held_back:,} more waiting. {more_new}, or "
            f"`quizapp config set new-per-day {limit + 10}`."
        )
    if counts.due == 0 and counts.due_held_back:
        limit = counts.due_limit or 0
        notes.append(
            f"Daily limit of {plural(limit, 'review')} reached; {counts.due_held_back:,} "
            f"more due. `quizapp config set reviews-per-day {limit + counts.due_held_back}` "
            "lets you study them today."
        )
    return notes

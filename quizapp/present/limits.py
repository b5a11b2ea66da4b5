"""What a front-end says when today's limits hold cards back.

The store counts (:class:`~quizapp.store.views.Counts`: capped, uncapped, today's
limits); this module says it. Each front-end names its own way to lift the new-card
limit (the app's ``+`` key, line mode's ``study --extra-new``).
"""

from __future__ import annotations

from quizapp.store.views import Counts
from quizapp.words import plural


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

"""``quizapp cards``: list cards with their state."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

from quizapp.cli.common import db_url, deck_paths, open_database, sync_first
from quizapp.present.card import breadcrumb
from quizapp.present.safe import visible_json, visible_line
from quizapp.store.views import CardView
from quizapp.words import plural


def register(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    """Add ``cards`` to the parser."""
    p = sub.add_parser(
        "cards",
        parents=parents,
        help="list cards and their schedule",
        description="List the cards of the configured decks with their state, due date "
        "and review count. A card kept out of study says so after its question: "
        "(suspended), (buried until 04:00) when it was skipped for the day (s in the "
        "app) or came buried from Anki, (retired) when its deck no longer has it; "
        '--json gives "suspended": true and "buried_until" (ISO time) for them.',
    )
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.add_argument("--due", action="store_true", help="only cards to study now (the queue)")
    p.add_argument("--all", action="store_true", help="include retired cards")
    p.add_argument("--topic", metavar="T", help="only cards of this deck or topic")
    p.add_argument("--no-sync", action="store_true", help="don't read the deck files first")
    change = p.add_mutually_exclusive_group()
    change.add_argument(
        "--suspend",
        metavar="ID",
        nargs="+",
        help="keep these cards out of study (on every machine) until unsuspended",
    )
    change.add_argument("--unsuspend", metavar="ID", nargs="+", help="study these cards again")
    p.set_defaults(func=run)


def _buried_until(card: CardView, now: datetime) -> datetime | None:
    """When a card skipped for the day (or buried in Anki) comes back to study; None
    when it isn't buried at ``now``."""
    until = card.buried_until
    return until if until is not None and until > now else None


def _held(card: CardView, now: datetime) -> str:
    """`` (suspended)``, `` (buried until 04:00)``, both, or `` (retired)``: why a card
    is not studied, after its question."""
    if card.retired:
        return " (retired)"
    marks = ["suspended"] if card.suspended else []
    until = _buried_until(card, now)
    if until is not None:
        local = until.astimezone()
        soon = until - now < timedelta(days=1)
        marks.append(
            f"buried until {local:%H:%M}" if soon else f"buried until {local:%Y-%m-%d %H:%M}"
        )
    return f" ({', '.join(marks)})" if marks else ""


def to_json(card: CardView, now: datetime) -> dict[str, Any]:
    """The JSON form of a card (DESIGN §4 fields and a few more)."""
    out: dict[str, Any] = {
        "id": card.id,
        "deck": card.deck,
        "topic": list(card.topic),
        "front": card.front,
        "kind": card.kind,
        "state": card.state,
        "due": card.due.isoformat() if card.due and card.state != "new" else None,
        "reviews": card.reviews,
        "lapses": card.lapses,
        "source": card.source,
        "line": card.line,
    }
    if card.quiz is not None:
        out["model"] = card.quiz.model
    if card.retired:
        out["retired"] = True
    if card.suspended:
        out["suspended"] = True
    until = _buried_until(card, now)
    if until is not None:
        out["buried_until"] = until.isoformat()
    return out


def _suspend(args: argparse.Namespace, ids: list[str], suspended: bool) -> int:
    """Suspend or unsuspend cards by id."""
    from quizapp.study.service import CardNotFoundError, StudyService

    try:
        cards = StudyService(open_database(args)).suspend(ids, suspended)
    except CardNotFoundError as exc:
        message = f"quizapp cards: no card with id {exc}; nothing changed"
        print(visible_line(message), file=sys.stderr)
        return 1
    verb = "suspended" if suspended else "unsuspended"
    for card in cards:
        print(visible_line(f"{verb}: {card.id}  {breadcrumb(card)} › {card.front}"))
    return 0


def _due_quickly(args: argparse.Namespace) -> list[CardView] | None:
    """The queue read without the database stack, when the decks are as the last sync
    left them (the sync would do nothing); None otherwise."""
    from quizapp.study.quick import due_cards

    paths = None if args.no_sync else deck_paths(args)
    return due_cards(db_url(args), datetime.now(UTC), paths, args.topic)


def _cards(args: argparse.Namespace) -> list[CardView]:
    """The cards through the study service, after syncing the decks."""
    from quizapp.study.service import StudyService, matches_topic

    db = open_database(args)
    if not args.no_sync:
        sync_first(args, db)
    service = StudyService(db)
    if args.due:
        return service.queue(topic=args.topic)
    cards = service.cards(include_retired=args.all)
    if args.topic:
        cards = [c for c in cards if matches_topic(args.topic, c.deck, c.topic)]
    return cards


def run(args: argparse.Namespace) -> int:
    """List the cards (or suspend / unsuspend some)."""
    if args.suspend or args.unsuspend:
        return _suspend(args, args.suspend or args.unsuspend, bool(args.suspend))
    cards = _due_quickly(args) if args.due else None
    if cards is None:
        cards = _cards(args)
    now = datetime.now(UTC)
    if args.json:
        # dumps (one C-encoded string) rather than dump (many small writes): 10x faster.
        text = json.dumps([to_json(c, now) for c in cards], ensure_ascii=False)
        sys.stdout.write(visible_json(text) + "\n")
        return 0
    for c in cards:
        due = "-" if c.state == "new" or c.due is None else c.due.strftime("%Y-%m-%d %H:%M")
        where = visible_line(f"{breadcrumb(c)} › {c.front}")
        print(f"{c.state:<10} {due:<16} {c.reviews:>3}  {where}{_held(c, now)}")
    print(plural(len(cards), "card"), file=sys.stderr)
    return 0

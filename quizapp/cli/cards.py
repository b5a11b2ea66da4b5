"""``quizapp cards``: list cards with their state."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from quizapp.cli.common import open_database, sync_first
from quizapp.present.card import breadcrumb
from quizapp.present.safe import visible_json, visible_line
from quizapp.store.views import CardView
from quizapp.study.service import CardNotFoundError, StudyService, matches_topic


def register(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    """Add ``cards`` to the parser."""
    p = sub.add_parser(
        "cards",
        parents=parents,
        help="list cards and their schedule",
        description="List the cards of the configured decks with their state, due date "
        "and review count.",
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


def to_json(card: CardView) -> dict[str, Any]:
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
    return out


def _suspend(svc: StudyService, ids: list[str], suspended: bool) -> int:
    try:
        cards = svc.suspend(ids, suspended)
    except CardNotFoundError as exc:
        print(
            visible_line(f"quizapp cards: no card with id {exc}; nothing changed"), file=sys.stderr
        )
        return 1
    verb = "suspended" if suspended else "unsuspended"
    for card in cards:
        print(visible_line(f"{verb}: {card.id}  {breadcrumb(card)} › {card.front}"))
    return 0


def run(args: argparse.Namespace) -> int:
    """List the cards."""
    db = open_database(args)
    if not args.no_sync:
        sync_first(args, db)
    svc = StudyService(db)
    if args.suspend or args.unsuspend:
        return _suspend(svc, args.suspend or args.unsuspend, bool(args.suspend))
    if args.due:
        cards = svc.queue(topic=args.topic)
    else:
        cards = svc.cards(include_retired=args.all)
        if args.topic:
            cards = [c for c in cards if matches_topic(args.topic, c.deck, c.topic)]
    if args.json:
        # dumps (one C-encoded string) rather than dump (many small writes): 10x faster.
        text = json.dumps([to_json(c) for c in cards], ensure_ascii=False)
        sys.stdout.write(visible_json(text) + "\n")
        return 0
    for c in cards:
        due = "-" if c.state == "new" or c.due is None else c.due.strftime("%Y-%m-%d %H:%M")
        flag = " (retired)" if c.retired else " (suspended)" if c.suspended else ""
        where = visible_line(f"{breadcrumb(c)} › {c.front}")
        print(f"{c.state:<10} {due:<16} {c.reviews:>3}  {where}{flag}")
    print(f"{len(cards)} card{'' if len(cards) == 1 else 's'}", file=sys.stderr)
    return 0

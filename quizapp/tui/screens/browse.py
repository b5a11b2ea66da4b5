"""Browse and search every card: the text of questions and answers, filtered by deck or
topic, state and due; sorted by any column; a card's detail with its full review history.

At 80 columns the table has the width and Enter opens the highlighted card's detail in
its place (esc goes back); from 100 columns they sit side by side.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Checkbox, DataTable, Footer, Input, Select, Static
from textual.worker import get_current_worker

from quizapp.present.card import breadcrumb, format_interval
from quizapp.present.labels import RATING_NAMES
from quizapp.present.safe import visible, visible_line
from quizapp.store.views import CardView, ReviewView
from quizapp.tui.editor import edit_in_terminal
from quizapp.tui.screens.base import QuizScreen
from quizapp.tui.widgets.card_markdown import CardMarkdown
from quizapp.tui.widgets.card_table import (
    CardTable,
    due_text,
    interval_seconds,
    next_sort,
    sort_cards,
)
from quizapp.tui.widgets.typed_input import TypedInput

#: rows shown at most; a filter narrows the rest down
MAX_ROWS = 1000
#: the state filter's choices: the scheduler's states, and suspended cards
STATES = ("new", "learning", "review", "relearning", "suspended")
_ANY = "__any__"


@dataclass(frozen=True)
class CardFilter:
    """What the filter bar asks for; empty fields match everything."""

    text: str = ""
    #: (deck, heading, …) prefix of the card's breadcrumb
    topic: tuple[str, ...] = ()
    state: str = ""
    due_only: bool = False

    def matches(self, card: CardView, now: datetime) -> bool:
        """Whether ``card`` passes every filter."""
        if self.topic and (card.deck, *card.topic)[: len(self.topic)] != self.topic:
            return False
        if self.state == "suspended":
            if not card.suspended:
                return False
        elif self.state and card.state != self.state:
            return False
        if self.due_only and (card.state == "new" or card.due is None or card.due > now):
            return False
        if self.text:
            # The card's own text: its question and answer (decks and topics have their
            # own filter, so "GRU" finds the cards about GRUs, not a whole deck).
            parts = [card.front, card.back]
            if card.quiz is not None:
                parts.append(card.quiz.ask)
            haystack = " ".join(parts).casefold()
            return all(word in haystack for word in self.text.casefold().split())
        return True


def topic_paths(cards: list[CardView]) -> list[tuple[str, ...]]:
    """Every deck and topic prefix that has cards, in order."""
    seen: dict[tuple[str, ...], None] = {}
    for card in cards:
        parts = (card.deck, *card.topic)
        for n in range(1, len(parts) + 1):
            seen.setdefault(parts[:n], None)
    return list(seen)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _cards(n: int) -> str:
    return _count(n, "card")


class BrowseScreen(QuizScreen):
    """All cards, filtered; the highlighted card's detail and history on the right."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search", tooltip="search questions and answers"),
        Binding("o", "sort", "Sort", tooltip="sort by the next column (again: reverse)"),
        Binding(
            "exclamation_mark",
            "suspend",
            "Suspend",
            tooltip="suspend the selected card (out of study until unsuspended), or unsuspend it",
        ),
        Binding("e", "edit", "Edit", tooltip="edit the selected card in $EDITOR"),
        Binding("question_mark", "app.help", "Keys", tooltip="every key (this page)"),
        Binding("escape", "back", "Back", tooltip="back (from a card's detail: the list)"),
    ]

    class CardsLoaded(Message):
        """Every card, read by a worker."""

        def __init__(self, cards: list[CardView], now: datetime) -> None:
            super().__init__()
            self.cards = cards
            self.now = now

    class Suspended(Message):
        """Cards were suspended or unsuspended (their views as stored now)."""

        def __init__(self, cards: list[CardView]) -> None:
            super().__init__()
            self.cards = cards

    class DetailLoaded(Message):
        """One card with its review history."""

        def __init__(self, card: CardView, reviews: list[ReviewView]) -> None:
            super().__init__()
            self.card = card
            self.reviews = reviews

    def __init__(self) -> None:
        super().__init__()
        self.cards: list[CardView] = []
        self.now = datetime.min
        self.shown: list[CardView] = []
        self._debounce: Timer | None = None
        self._detail_id: str | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="filters"):
            yield TypedInput(placeholder="search text (/)", id="search", compact=True)
            yield Select[str]([], prompt="any deck or topic", id="topic-filter", compact=True)
            yield Select[str](
                [(Text(s), s) for s in STATES], prompt="any state", id="state-filter", compact=True
            )
            yield Checkbox("due now", id="due-filter", compact=True)
        yield Static(id="browse-count", markup=False)
        with Horizontal(id="browse-body"):
            yield CardTable(id="cards")
            with VerticalScroll(id="detail"):
                yield Static(id="detail-head", markup=False)
                yield CardMarkdown(id="detail-front")
                yield CardMarkdown(id="detail-back")
                yield Static(Text("review history", style="bold"), id="history-title")
                history: DataTable[Text] = DataTable(id="history", cursor_type="none")
                yield history
        yield Footer()

    def on_mount(self) -> None:
        """Set up the tables and read every card."""
        cards = self.query_one(CardTable)
        history = self.query_one("#history", DataTable)
        history.add_columns("when", "rating", "time", "answer")
        cards.focus()
        self._load_cards()

    # -- workers ----------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="browse-cards", exit_on_error=False)
    def _load_cards(self, *, resync: bool = False) -> None:
        """Read the cards (after syncing the decks once per run, or again with
        ``resync``)."""
        app = self.quiz_app
        if resync:
            app.resync()
        else:
            app.ensure_synced()
        cards = app.service.cards()
        self.post_message(self.CardsLoaded(cards, app.service.now()))

    @work(thread=True, exclusive=True, group="browse-detail", exit_on_error=False)
    def _load_detail(self, card_id: str) -> None:
        service = self.quiz_app.service
        card = service.card(card_id)
        reviews = service.history(card_id)
        if card is not None and not get_current_worker().is_cancelled:
            self.post_message(self.DetailLoaded(card, reviews))

    # -- showing -------------------------------------------------------------------------

    def on_browse_screen_cards_loaded(self, message: CardsLoaded) -> None:
        """Fill the topic filter and the table."""
        self.cards = message.cards
        self.now = message.now
        topic = self.query_one("#topic-filter", Select)
        topic.set_options(
            [(Text(visible_line(" › ".join(p))), "\x1f".join(p)) for p in topic_paths(self.cards)]
        )
        self._apply_filter()

    def current_filter(self) -> CardFilter:
        """The filter the bar shows now."""
        topic = self.query_one("#topic-filter", Select).value
        state = self.query_one("#state-filter", Select).value
        return CardFilter(
            text=self.query_one("#search", Input).value.strip(),
            topic=tuple(topic.split("\x1f")) if isinstance(topic, str) else (),
            state=state if isinstance(state, str) else "",
            due_only=self.query_one("#due-filter", Checkbox).value,
        )

    def _apply_filter(self) -> None:
        flt = self.current_filter()
        table = self.query_one(CardTable)
        matched = [c for c in self.cards if flt.matches(c, self.now)]
        matched = sort_cards(matched, table.sort_key, table.sort_reverse, self.now)
        self.shown = matched[:MAX_ROWS]
        table.show(self.shown, self.now)
        count = f"{len(matched)} of {_cards(len(self.cards))}"
        if len(matched) > len(self.shown):
            count += f" (showing the first {MAX_ROWS}; narrow the filter)"
        order = "descending" if table.sort_reverse else "ascending"
        count += f" · by {table.sort_key}, {order} (o: sort)"
        self.query_one("#browse-count", Static).update(Text(count, style="dim"))
        if self.shown:
            self._load_detail(self.shown[max(0, table.cursor_row)].id)

    @on(Input.Changed, "#search")
    def _search_changed(self) -> None:
        # Filter once typing pauses, not on every key of a 10k-card table.
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(0.2, self._apply_filter)

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self._apply_filter()
        self.query_one("#cards", DataTable).focus()

    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _filter_changed(self) -> None:
        if self.cards:
            self._apply_filter()

    @on(DataTable.RowHighlighted, "#cards")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self._load_detail(event.row_key.value)

    @on(DataTable.RowSelected, "#cards")
    def _row_selected(self) -> None:
        # narrow: the detail takes the table's place until esc
        self.add_class("-detail")
        self.query_one("#detail", VerticalScroll).focus()

    @on(DataTable.HeaderSelected, "#cards")
    def _header_selected(self, event: DataTable.HeaderSelected) -> None:
        table = self.query_one(CardTable)
        key = str(event.column_key.value)
        reverse = not table.sort_reverse if key == table.sort_key else False
        self._sort(key, reverse)

    async def on_browse_screen_detail_loaded(self, message: DetailLoaded) -> None:
        """Show a card and its review history."""
        card = message.card
        self._detail_id = card.id
        head = Text(visible_line(breadcrumb(card)), style="bold")
        head.append(f"\n{card.kind} · {card.state} · due {due_text(card, self.now)}", style="dim")
        ivl = interval_seconds(card)
        if ivl is not None:
            head.append(f" · interval {format_interval(timedelta(seconds=ivl))}", style="dim")
        head.append(
            f" · {_count(card.reviews, 'review')}, {_count(card.lapses, 'lapse')}", style="dim"
        )
        head.append(visible(f"\n{card.source}:{card.line}  id {card.id}"), style="dim")
        if card.retired:
            head.append("\nretired: no longer in its deck file", style="yellow")
        if card.suspended:
            head.append("\nsuspended: out of study until unsuspended (!)", style="yellow")
        self.query_one("#detail-head", Static).update(head)
        front = f"#### {card.front}"
        if card.kind == "quiz" and card.quiz is not None:
            front = f"{card.front}\n\n`{card.quiz.model}`: {card.quiz.ask}"
        await self.query_one("#detail-front", CardMarkdown).update(front)
        await self.query_one("#detail-back", CardMarkdown).update(card.back)
        history = self.query_one("#history", DataTable)
        history.clear()
        for r in message.reviews:
            rating = Text(f"{r.rating} {RATING_NAMES.get(r.rating, '?')}")
            if r.auto:
                rating.append(" auto", style="dim")
            if r.kind != "study":
                rating.append(f" {r.kind}", style="dim")
            answer = Text(visible_line(r.answer or ""), overflow="ellipsis", no_wrap=True)
            if r.verdict:
                answer.append(f" → {r.verdict}", style="dim")
            history.add_row(
                Text(r.reviewed_at.astimezone().strftime("%Y-%m-%d %H:%M")),
                rating,
                Text(f"{r.duration_ms / 1000:.0f}s" if r.duration_ms is not None else ""),
                answer,
            )
        self.query_one("#history-title", Static).update(
            Text(f"review history ({len(message.reviews)})", style="bold")
        )

    # -- actions --------------------------------------------------------------------------

    def action_search(self) -> None:
        """Put the cursor in the search box (now: the keys typed right behind go
        there)."""
        self.set_focus(self.query_one("#search", Input))

    def action_back(self) -> None:
        """From a card's detail, back to the list; from the list, back to where browsing
        started."""
        if self.has_class("-detail"):
            self.remove_class("-detail")
            self.query_one(CardTable).focus()
            return
        self.dismiss()

    def action_sort(self) -> None:
        """Sort by the next column (each ascending, then descending)."""
        table = self.query_one(CardTable)
        self._sort(*next_sort(table.sort_key, table.sort_reverse))

    def _sort(self, key: str, reverse: bool) -> None:
        self.query_one(CardTable).set_sort(key, reverse)
        if self.cards:
            self._apply_filter()

    def action_suspend(self) -> None:
        """Suspend the highlighted card, or unsuspend a suspended one."""
        card = next((c for c in self.shown if c.id == self._detail_id), None)
        if card is not None:
            self._suspend(card.id, not card.suspended)

    @work(thread=True, group="browse-suspend", exit_on_error=False)
    def _suspend(self, card_id: str, suspended: bool) -> None:
        self.post_message(self.Suspended(self.quiz_app.service.suspend([card_id], suspended)))

    def on_browse_screen_suspended(self, message: Suspended) -> None:
        """Show the cards as they are now, and say what changed."""
        changed = {c.id: c for c in message.cards}
        self.cards = [changed.get(c.id, c) for c in self.cards]
        self._apply_filter()
        for card in message.cards:
            what = (
                "suspended: out of study until unsuspended (! again)"
                if card.suspended
                else "unsuspended: back in study"
            )
            self.notify(f"{visible_line(card.front)[:40]} — {what}", markup=False, timeout=4)
        if self._detail_id in changed:
            self._load_detail(self._detail_id)

    def action_edit(self) -> None:
        """Open the highlighted card in ``$EDITOR``, then re-read the decks."""
        card = next((c for c in self.shown if c.id == self._detail_id), None)
        if card is None:
            return
        if edit_in_terminal(self, card.source, card.line):
            self._load_cards(resync=True)

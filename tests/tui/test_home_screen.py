"""The home screen: the deck tree with counts, today's progress, the keys that start
everything."""

from __future__ import annotations

import re

from quizapp.tui.screens.browse import BrowseScreen
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.interview import InterviewScreen
from quizapp.tui.screens.stats import StatsScreen
from quizapp.tui.screens.study import StudyScreen
from quizapp.tui.widgets.deck_tree import DeckTree
from tui.apptest import (
    GATE,
    SEED,
    SIZE,
    AppFactory,
    reviews,
    run,
    screen_text,
    wait_for_phase,
    wait_until,
)


async def _home_loaded(pilot: object, app: object) -> str:
    from quizapp.tui.app import QuizApp

    assert isinstance(app, QuizApp)
    await wait_until(
        pilot,  # type: ignore[arg-type]
        lambda: isinstance(app.screen, HomeScreen) and "reviewed" in screen_text(app),
        what="home screen",
    )
    return screen_text(app)


def test_home_shows_decks_topics_counts_and_todays_progress(
    new_app: AppFactory, db_url: str
) -> None:
    app = new_app(start="home")

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            text = await _home_loaded(pilot, app)
            # Deck text is shown as typed, never as markup.
            assert re.search(r"TUI fixture \[b\]deck\[/b\]\s+8\s+0\s+0", text), text
            assert re.search(r"Basics\s+8\s+0\s+0", text), text
            assert "0 reviewed · waiting now: 8 new · 0 learning · 0 due" in text
            assert "press s to study the 8 cards waiting" in text

            # s starts a session on every deck; one rating, then back home.
            await pilot.press("s")
            await wait_for_phase(pilot, "question")
            assert GATE in screen_text(app)
            await pilot.press("space")
            await wait_for_phase(pilot, "answer")
            await pilot.press("3")
            await wait_for_phase(pilot, "question")
            await pilot.press("escape")
            await wait_until(pilot, lambda: "1 reviewed" in screen_text(app), what="counts")
            text = screen_text(app)
            assert "1 reviewed · waiting now: 7 new · 0 learning · 0 due" in text
            assert re.search(r"Basics\s+7\s+0\s+0", text), text

    run(scenario())
    assert len(reviews(db_url)) == 1


def test_enter_on_a_topic_studies_that_topic(new_app: AppFactory) -> None:
    app = new_app(start="home")

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await _home_loaded(pilot, app)
            tree = app.screen.query_one(DeckTree)
            assert tree.has_focus
            await pilot.press("down")  # from the deck to its topic
            node = tree.cursor_node
            assert node is not None and node.data is not None
            assert node.data.path == ("TUI fixture [b]deck[/b]", "Basics")
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, StudyScreen))
            screen = app.screen
            assert isinstance(screen, StudyScreen)
            assert screen.options.topic == "TUI fixture [b]deck[/b] › Basics"
            await wait_for_phase(pilot, "question")
            assert GATE in screen_text(app)

    run(scenario())


def test_browse_stats_interview_and_quit_keys(new_app: AppFactory) -> None:
    app = new_app(start="home")

    async def scenario() -> None:
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await _home_loaded(pilot, app)
            # The footer fills in once the tree has the focus: wait for it, not a moment.
            keys = ("s Study", "b Browse", "t Stats", "i Interview", "q Quit")
            await wait_until(
                pilot, lambda: all(k in screen_text(app) for k in keys), what="footer keys"
            )
            await pilot.press("b")
            await wait_until(pilot, lambda: isinstance(app.screen, BrowseScreen))
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))

            await pilot.press("t")
            await wait_until(pilot, lambda: isinstance(app.screen, StatsScreen))
            stats = app.screen
            assert isinstance(stats, StatsScreen)
            await wait_until(pilot, lambda: stats.stats is not None, what="statistics")
            assert stats.stats is not None and stats.stats.reviews_total == 0
            assert "0 reviews in the last 12 weeks" in screen_text(app)
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))

            # i: the interview's choices first; ctrl+s starts it as chosen
            await pilot.press("i")
            await wait_until(pilot, lambda: "A new mock interview" in screen_text(app))
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: isinstance(app.screen, InterviewScreen))
            interview = app.screen
            assert isinstance(interview, InterviewScreen)
            await wait_until(
                pilot, lambda: interview.phase in ("question", "typing"), what="a question"
            )
            assert re.search(r"Question 1 of \d+", screen_text(app))
            # esc twice ends it (nothing answered), esc closes it: home again
            await pilot.press("escape", "escape")
            await wait_until(pilot, lambda: interview.phase == "report", what="the end")
            assert "No question answered; nothing saved." in screen_text(app)
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))

            await pilot.press("q")
            await pilot.pause()
        assert not app.is_running

    run(scenario())


def test_topics_nest_with_their_counts_and_labels_stay_text() -> None:
    from quizapp.study.service import TopicCounts
    from quizapp.tui.widgets.deck_tree import group_topics

    (deck,) = group_topics(
        [
            TopicCounts("D [b]x[/b]", ("A", "[@click=app.quit]B"), 1, 2, 3, 6),
            TopicCounts("D [b]x[/b]", ("A",), 1, 0, 0, 1),
        ]
    )
    assert (deck.new, deck.learning, deck.due, deck.total) == (2, 2, 3, 7)
    (a,) = deck.children.values()
    assert a.topic == "D [b]x[/b] › A"
    (b,) = a.children.values()
    assert b.path == ("D [b]x[/b]", "A", "[@click=app.quit]B")
    tree = DeckTree()
    tree._width = 40
    label = tree._label(b, 3)
    assert label.plain.startswith("[@click=app.quit]B")
    assert label.spans == [] or all("click" not in str(span.style) for span in label.spans)


def test_the_app_opens_on_an_interview_when_asked(new_app: AppFactory) -> None:
    from quizapp.study.options import InterviewOptions
    from quizapp.tui.screens.interview import InterviewScreen

    app = new_app(start="interview", interview=InterviewOptions(questions=3, minutes=5.0))

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: isinstance(app.screen, InterviewScreen))
            screen = app.screen
            assert isinstance(screen, InterviewScreen)
            options = screen.options
            assert (options.questions, options.minutes, options.seed) == (3, 5.0, SEED)

    run(scenario())

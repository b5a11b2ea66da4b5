"""Decks and their topics as a tree, with new / learning / due counts per node."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from quizapp.present.safe import visible_line
from quizapp.tui.widgets.more_hint import show_more

if TYPE_CHECKING:
    from quizapp.store.views import Counts, TopicCounts
    from quizapp.study.reader import OverviewReader

_GUIDE = 4
_COLUMN = 7
#: decks open one level on the home screen while the tree is at most this many lines
EXPANDED_LINES = 60


@dataclass
class TopicGroup:
    """A deck or a topic heading, with the counts of every card under it."""

    name: str
    #: (deck, heading, heading, …): what a study session on this node filters by
    path: tuple[str, ...]
    new: int = 0
    learning: int = 0
    due: int = 0
    total: int = 0
    children: dict[str, TopicGroup] = field(default_factory=dict)

    @property
    def topic(self) -> str:
        """The topic filter of the study service for this node (``deck › A › B``)."""
        return " › ".join(self.path)

    def add(self, row: TopicCounts) -> None:
        """Count ``row`` here (every ancestor of a row counts its cards)."""
        self.new += row.new
        self.learning += row.learning
        self.due += row.due
        self.total += row.total


def group_topics(rows: Sequence[TopicCounts]) -> list[TopicGroup]:
    """Nest the service's (deck, topic path) rows into deck → topic → sub-topic groups."""
    decks: dict[str, TopicGroup] = {}
    for row in rows:
        node = decks.setdefault(row.deck, TopicGroup(row.deck, (row.deck,)))
        node.add(row)
        for heading in row.topic:
            node = node.children.setdefault(heading, TopicGroup(heading, (*node.path, heading)))
            node.add(row)
    return list(decks.values())


def _indent(group: TopicGroup, depth: int) -> int:
    """Cells the tree draws before a node's label: guides, plus ``▼ `` when it has
    children (the root itself is hidden)."""
    return _GUIDE * (depth - 1) + (2 if group.children else 0)


def _depth_width(groups: Sequence[TopicGroup], depth: int = 1) -> int:
    width = 0
    for g in groups:
        width = max(
            width,
            _indent(g, depth) + cell_len(g.name),
            _depth_width(list(g.children.values()), depth + 1),
        )
    return width


def _counts(new: int, learning: int, due: int) -> Text:
    text = Text()
    for value, style in ((new, "blue"), (learning, "red"), (due, "green")):
        text.append(f"{value:>{_COLUMN}}", style=style if value else "dim")
    return text


def header_text(groups: Sequence[TopicGroup]) -> Text:
    """The column titles, aligned with the tree's counts."""
    width = _depth_width(groups) + 2
    text = Text("deck / topic".ljust(width), style="bold")
    for title in ("new", "learn", "due"):
        text.append(f"{title:>{_COLUMN}}", style="bold")
    return text


@dataclass(frozen=True)
class Overview:
    """What the home screen shows: the tree's groups, the counts waiting now, today's
    reviews and the number of cards."""

    groups: list[TopicGroup]
    counts: Counts
    reviewed_today: int
    cards: int

    @classmethod
    def read(cls, reader: OverviewReader) -> Overview:
        """The overview from the quick read or the study service alike."""
        rows = reader.topic_tree()
        return cls(
            groups=group_topics(rows),
            counts=reader.counts(),
            reviewed_today=reader.reviewed_today(),
            cards=sum(r.total for r in rows),
        )


class DeckTree(Tree[TopicGroup]):
    """Every deck and topic with its counts; selecting a node studies it."""

    # Tree's own keys, restated with what they mean here (the help page lists them).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "select_cursor",
            "Study",
            show=False,
            tooltip="study the selected deck or topic",
        ),
        Binding(
            "space", "toggle_node", "Open", show=False, tooltip="open or close a deck or topic"
        ),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Text("all decks"), id=id)
        self.show_root = False
        self.auto_expand = False
        self.guide_depth = _GUIDE
        self._width = 0

    def _label(self, group: TopicGroup, depth: int) -> Text:
        # Deck text is data: a Text label is never parsed as markup.
        name = Text(visible_line(group.name))
        pad = max(1, self._width - _indent(group, depth) - cell_len(name.plain))
        name.append(" " * pad)
        name.append_text(_counts(group.new, group.learning, group.due))
        return name

    def _add(
        self, parent: TreeNode[TopicGroup], group: TopicGroup, depth: int, expand: bool = False
    ) -> None:
        if not group.children:
            parent.add_leaf(self._label(group, depth), data=group)
            return
        node = parent.add(self._label(group, depth), data=group, expand=expand)
        if expand:
            self._add_topics(node, depth)
        # Other topics are added when their parent is first expanded: a collection of
        # thousands of topics draws its home screen as fast as a small one.

    def _add_topics(self, node: TreeNode[TopicGroup], depth: int) -> None:
        assert node.data is not None
        for child in node.data.children.values():
            self._add(node, child, depth + 1)

    # Decks below the fold are announced on the bottom border (see more_hint).
    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Scrolling: the count of lines below changes."""
        super().watch_scroll_y(old_value, new_value)
        show_more(self)

    def watch_virtual_size(self, size: Size) -> None:
        """Nodes opened or closed: so does the count."""
        self.call_after_refresh(show_more, self)

    def on_resize(self, event: events.Resize) -> None:
        """A new size: so does the count."""
        self.call_after_refresh(show_more, self)

    def _on_tree_node_expanded(self, event: Tree.NodeExpanded[TopicGroup]) -> None:
        node = event.node
        if node.data is not None and node.data.children and not node.children:
            self._add_topics(node, len(node.data.path))

    def show(self, groups: Sequence[TopicGroup]) -> None:
        """Replace the tree with ``groups``: decks expanded one level when that fits in
        :data:`EXPANDED_LINES` lines, else a list of decks to open."""
        line = self.cursor_line
        self._width = _depth_width(groups) + 2
        self.clear()
        expand = len(groups) + sum(len(g.children) for g in groups) <= EXPANDED_LINES
        for group in groups:
            self._add(self.root, group, 1, expand)
        self.root.expand()
        self.cursor_line = max(line, 0)

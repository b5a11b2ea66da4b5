"""Which vanished card a new card continues: the rules that move history on an edit.

- A card whose question changed continues the one card of the same kind that vanished
  from the same topic, when their answers are at least 80 % alike.
- A ``C:`` deletion continues the vanished deletion of the same file and topic that hid
  the same text; among several, the one whose surroundings are most alike. Its number
  in the block never counts, so adding, removing or reordering deletions moves no
  history to another deletion. (Its id hashes the block with every deletion masked, so
  editing what a deletion hides keeps every id, as an answer edit does.)
- A quiz card follows its parent's rename.
- History never moves to another deck root (:class:`~quizapp.store.ownership.Owners`).

Every comparison is linear in the texts compared, each text is read once, and the
candidates one deletion is compared with are capped, so matching a hostile block costs
about as much as reading it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from quizapp.deckfile.types import CardSpec

#: how alike two answers must be for a question edit to keep the card's history
RENAME_SIMILARITY = 0.8
#: vanished deletions with the same text one new deletion is compared with, at most
MAX_CANDIDATES = 50
#: words on each side of a deletion that make its surroundings
CONTEXT_WORDS = 8


@dataclass(frozen=True)
class Rename:
    """A card whose question changed; its history moved with it."""

    old_id: str
    new_id: str
    old_front: str
    new_front: str


@dataclass(frozen=True)
class Vanished:
    """An active card of a re-read file that the file no longer defines."""

    id: str
    deck: str
    topic: tuple[str, ...]
    front: str
    back: str
    kind: str
    cloze: int | None
    parent: str | None
    source: str


def cloze_suffix(card_id: str, parent: str | None) -> str:
    """The part of an id after its base card: "" for basic cards, "/c2", "/quiz-1"."""
    if parent and card_id.startswith(parent + "/"):
        return card_id[len(parent) :]
    _, sep, tail = card_id.rpartition("/")
    if sep and tail[:1] == "c" and tail[1:].isdigit():
        return "/" + tail
    return ""


class _Bigrams:
    """Character-pair counts of texts, each text counted once however often compared."""

    def __init__(self) -> None:
        self._seen: dict[str, Counter[str]] = {}

    def __call__(self, text: str) -> Counter[str]:
        found = self._seen.get(text)
        if found is None:
            flat = " ".join(text.split())
            found = self._seen[text] = Counter(flat[i : i + 2] for i in range(len(flat) - 1))
        return found


def similarity(a: Counter[str], b: Counter[str]) -> float:
    """How alike two texts are, 0–1, by the character pairs they share (linear)."""
    total = a.total() + b.total()
    if not total:
        return 1.0
    shared = sum((a & b).values())
    return 2 * shared / total


@dataclass(frozen=True)
class _Deletion:
    hidden: str
    context: tuple[str, ...]


def _deletion(back: str, number: int | None) -> _Deletion | None:
    """What cloze ``number`` of ``back`` hides, and the words around it."""
    if number is None:
        return None
    opening = f"{{{{c{number}::"
    start = back.find(opening)
    if start < 0:
        return None
    inner_start = start + len(opening)
    end = back.find("}}", inner_start)
    if end < 0:
        return None
    hidden = " ".join(back[inner_start:end].split())
    before = _words(back[max(0, start - 400) : start])[-CONTEXT_WORDS:]
    after = _words(back[end + 2 : end + 402])[:CONTEXT_WORDS]
    return _Deletion(hidden, (*before, "\x00", *after))


def _words(text: str) -> list[str]:
    """Words of ``text`` with cloze markers read as the text they hide."""
    for mark in ("{{", "}}"):
        text = text.replace(mark, " ")
    return [w.split("::", 1)[1] if "::" in w else w for w in text.split()]


def _context_score(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    ca, cb = Counter(a), Counter(b)
    return similarity(ca, cb)


def detect_renames(
    new_specs: Sequence[CardSpec],
    gone: dict[str, Vanished],
    may_move: Callable[[str, str], bool],
) -> list[Rename]:
    """Pair new cards with vanished ones by the rules above.

    ``may_move(old_source, new_source)`` says whether history may pass between two
    files (the same deck root).
    """
    if not new_specs or not gone:
        return []
    renames: list[Rename] = []
    taken: set[str] = set()
    bigrams = _Bigrams()
    vanished: dict[tuple[str, tuple[str, ...], str], list[Vanished]] = defaultdict(list)
    deletions: dict[tuple[str, str, tuple[str, ...], str], list[tuple[Vanished, _Deletion]]]
    deletions = defaultdict(list)
    for card in gone.values():
        vanished[(card.deck, card.topic, cloze_suffix(card.id, card.parent))].append(card)
        found = _deletion(card.back, card.cloze) if card.kind == "cloze" else None
        if found is not None:
            deletions[(card.source, card.deck, card.topic, found.hidden)].append((card, found))
    base_renames: dict[str, str] = {}
    # Base cards first, so quiz cards can follow their parent's rename.
    for spec in sorted(new_specs, key=lambda sp: sp.kind == "quiz"):
        old: Vanished | None = None
        if spec.kind == "quiz":
            if spec.parent in base_renames:
                old_id = base_renames[spec.parent] + cloze_suffix(spec.id, spec.parent)
                old = gone.get(old_id)
        elif spec.deletion:
            old = _same_deletion(spec, deletions, taken)
        elif not spec.explicit_id:
            group = vanished.get((spec.deck, spec.topic, cloze_suffix(spec.id, spec.parent)), [])
            if len(group) == 1 and group[0].kind != "quiz":
                candidate = group[0]
                alike = similarity(bigrams(candidate.back), bigrams(spec.back))
                if alike >= RENAME_SIMILARITY:
                    old = candidate
                    group.clear()
        if old is None or old.id in taken or not may_move(old.source, spec.source):
            continue
        taken.add(old.id)
        renames.append(Rename(old.id, spec.id, old.front, spec.front))
        if spec.kind != "quiz":
            base = spec.id.rsplit("/", 1)[0] if spec.kind == "cloze" else spec.id
            old_base = old.id.rsplit("/", 1)[0] if old.kind == "cloze" else old.id
            base_renames[base] = old_base
    return renames


def _same_deletion(
    spec: CardSpec,
    deletions: dict[tuple[str, str, tuple[str, ...], str], list[tuple[Vanished, _Deletion]]],
    taken: set[str],
) -> Vanished | None:
    """The vanished deletion of the same file and topic that hid the same text, with
    the most alike surroundings (it is then no longer a candidate)."""
    mine = _deletion(spec.back, spec.cloze)
    if mine is None:
        return None
    candidates = deletions.get((spec.source, spec.deck, spec.topic, mine.hidden), [])
    best = -1
    best_score = -1.0
    for index, (card, found) in enumerate(candidates[:MAX_CANDIDATES]):
        if card.id in taken:
            continue
        score = _context_score(mine.context, found.context)
        if score > best_score:
            best, best_score = index, score
            if score == 1.0:
                break
    return candidates.pop(best)[0] if best >= 0 else None

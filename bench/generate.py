"""Generated inputs for the benchmarks: a large deck, a large database, a review history.

Everything is deterministic for a given seed, and cached under ``bench/out/`` keyed by
its parameters (``--fresh`` in ``bench.run`` rebuilds). Run this module to build the
default set by hand: ``python -m bench.generate``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import math
import random
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from quizapp.store.db import Database

#: where generated artefacts are cached (gitignored)
OUT = Path(__file__).resolve().parent / "out"
#: part of every cache key: bump it when a generator's output changes
FORMAT = 2

# -- the deck -----------------------------------------------------------------------

_AREAS = (
    ("Neural network basics", "神经网络基础"),
    ("Optimization", "优化方法"),
    ("Regularization", "正则化"),
    ("Convolutional networks", "卷积网络"),
    ("Recurrent networks", "循环网络"),
    ("Attention", "注意力机制"),
    ("Transformers", "Transformer"),
    ("Pretrained language models", "预训练语言模型"),
    ("Word embeddings", "词向量"),
    ("Tokenization", "分词"),
    ("Sequence labelling", "序列标注"),
    ("Text classification", "文本分类"),
    ("Machine translation", "机器翻译"),
    ("Evaluation metrics", "评价指标"),
    ("Probability", "概率论"),
    ("Linear algebra", "线性代数"),
    ("Classical machine learning", "传统机器学习"),
    ("Decoding and generation", "解码与生成"),
    ("Efficient training", "高效训练"),
    ("Retrieval and RAG", "检索增强"),
)
_TERMS = (
    "dropout", "batch normalization", "layer normalization", "residual connection",
    "weight decay", "Adam", "learning-rate warm-up", "gradient clipping", "softmax",
    "cross-entropy", "label smoothing", "beam search", "top-p sampling", "BPE",
    "WordPiece", "positional encoding", "multi-head attention", "the KV cache",
    "LoRA", "mixed precision", "the GRU update gate", "the LSTM forget gate",
    "max-pooling", "dilated convolution", "the CRF layer", "negative sampling",
    "the attention mask", "teacher forcing", "early stopping", "k-fold validation",
)  # fmt: skip
_QUESTIONS = (
    "What problem does {t} solve?",
    "How does {t} work, step by step?",
    "{t} 的作用是什么？",
    "When would you avoid {t}?",
    "为什么 {t} 能加快收敛？",
    "Compare {t} with {u}.",
    "What are the costs of {t} at inference time?",
    "How do you implement {t} in PyTorch?",
)
_SENTENCES = (
    "It keeps the scale of activations stable from layer to layer.",
    "在训练时和推理时的行为不同，需要注意切换模式。",
    "The cost grows linearly with the sequence length $n$ and the width $d$.",
    "It is a form of implicit ensembling over many thinned networks.",
    "梯度可以沿着恒等映射直接回传，缓解梯度消失。",
    "The effect is largest early in training, when gradients are noisy.",
    "With $\\beta_1 = 0.9$ the moving average forgets old gradients quickly.",
    "它把一个大矩阵分解成两个低秩矩阵 $A B$，只训练这部分参数。",
)
_CODE = (
    ("python", "layer = nn.LayerNorm(d)\ny = layer(x)  # normalizes the last dim\n"),
    ("python", "opt = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=0.01)\n"),
    ("python", "logits = q @ k.transpose(-2, -1) / math.sqrt(d)\nattn = logits.softmax(-1)\n"),
    ("bash", "torchrun --nproc-per-node 2 train.py --bf16\n"),
    ("python", "# not a heading: a comment inside a fence\nx = F.dropout(x, p=0.1)\n"),
)
_MATH = (
    "\\mathrm{Attention}(Q, K, V) = \\mathrm{softmax}\\left(\\frac{QK^T}{\\sqrt{d_k}}\\right) V",
    "h_t = (1 - z_t) \\odot h_{t-1} + z_t \\odot \\tilde{h}_t",
    "L = -\\sum_{i} y_i \\log \\hat{y}_i",
    "o = \\left\\lfloor \\frac{n + 2p - f}{s} \\right\\rfloor + 1",
    "\\hat{x} = \\frac{x - \\mu}{\\sqrt{\\sigma^2 + \\epsilon}}",
)
_QUIZZES = (
    'model: gru_params\nask: "nn.GRU({m}, {n}) 有多少个参数？"\nparams: {m: [8, 512], n: [8, 512]}',
    'model: lstm_params\nask: "nn.LSTM({m}, {n}, num_layers={layers})?"\n'
    "params: {m: [16, 32, 64], n: [16, 32, 64], layers: [1, 2, 3]}",
    'model: conv_output\nask: "input {n}, kernel {f}, padding {p}, stride {s}: output size?"\n'
    "params: {n: [7, 64], f: [1, 3, 5, 7], p: [0, 1, 2], s: [1, 2]}",
    'model: conv_params\nask: "nn.Conv2d({c_in}, {c_out}, {f}) parameters?"\n'
    "params: {c_in: [1, 3, 16], c_out: [8, 16, 32], f: [1, 3, 5]}",
    'model: embedding_params\nask: "nn.Embedding({vocab}, {dim}) parameters?"\n'
    "params: {vocab: [30522, 50257], dim: [128, 256, 768]}",
)


def _answer(rng: random.Random) -> str:
    """A card body of ordinary (non-cloze, non-quiz) content, ~120-300 bytes."""
    kind = rng.choices(("list", "code", "math", "table", "para"), (50, 15, 15, 5, 15))[0]
    first = rng.choice(_SENTENCES)
    if kind == "list":
        items = rng.sample(_SENTENCES, rng.randint(2, 4))
        return "\n".join(f"- {s}" for s in items) + "\n"
    if kind == "code":
        lang, code = rng.choice(_CODE)
        return f"{first}\n\n```{lang}\n{code}```\n"
    if kind == "math":
        return f"{first}\n\n$$\n{rng.choice(_MATH)}\n$$\n"
    if kind == "table":
        a, b = rng.sample(_TERMS, 2)
        return f"| method | effect |\n|---|---|\n| {a} | {first} |\n| {b} | lower variance |\n"
    return f"{first} {rng.choice(_SENTENCES)}\n"


def _deck_file(rng: random.Random, index: int, cards: int) -> str:
    """One deck file holding exactly ``cards`` cards (leaf rule, DESIGN §2)."""
    english, chinese = _AREAS[index % len(_AREAS)]
    lines = [f"# {english} · {chinese} {index + 1}", "", f"Generated deck {index + 1}.", ""]
    made = 0
    topic = 0
    while made < cards:
        topic += 1
        lines += [f"## {rng.choice(_TERMS).capitalize()} — topic {topic}", ""]
        lines += [f"Notes on this topic: {rng.choice(_SENTENCES)}", ""]
        # Every fifth topic has sub-topics, so questions sit at H4 under an H3.
        nested = topic % 5 == 0
        groups = rng.randint(2, 3) if nested else 1
        for group in range(groups):
            if made >= cards:
                break
            if nested:
                lines += [f"### Part {group + 1}", ""]
            level = "####" if nested else "###"
            for _ in range(rng.randint(6, 14)):
                if made >= cards:
                    break
                left = cards - made
                t, u = rng.sample(_TERMS, 2)
                question = rng.choice(_QUESTIONS).format(t=t, u=u) + f" (#{index}.{made})"
                roll = rng.random()
                if roll < 0.07 and left >= 2:
                    lines += [f"{level} {question}", ""]
                    lines += [
                        f"{{{{c1::{t.capitalize()}}}}} is used because "
                        f"{{{{c2::{rng.choice(_SENTENCES)}::why}}}}",
                        "",
                    ]
                    made += 2
                elif roll < 0.12 and left >= 2:
                    lines += [f"{level} {question}", "", _answer(rng)]
                    lines += ["```quiz", rng.choice(_QUIZZES), "```", ""]
                    made += 2
                else:
                    attrs = f" {{#gen-{index}-{made}}}" if roll > 0.97 else ""
                    lines += [f"{level} {question}{attrs}", "", _answer(rng)]
                    made += 1
    return "\n".join(lines) + "\n"


def generate_deck(folder: Path, cards: int = 10_000, seed: int = 0, files: int = 20) -> Path:
    """Write a deck collection of exactly ``cards`` cards over ``files`` markdown files.

    The mix follows the deck format (DESIGN §2): an H1 deck name per file, topic headings
    (some with sub-topics), leaf question headings, answers with lists, fenced code with
    a language, ``$$`` and inline ``$…$`` math, tables, cloze cards (two cards each),
    ``quiz`` blocks (one extra card each) and a few explicit ``{#id}``s. 10,000 cards
    come to about 2 MB. Returns ``folder``.
    """
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    per = cards // files
    for i in range(files):
        n = per + (cards - per * files if i == files - 1 else 0)
        text = _deck_file(rng, i, n)
        (folder / f"deck-{i + 1:02d}.md").write_text(text, encoding="utf-8")
    return folder


def deck_at_size_cap() -> tuple[str, int]:
    """One deck file of ordinary notes (code, math, lists) within 200 bytes under the
    size a deck file may have (``MAX_DECK_BYTES``): its text and how many cards it
    holds. ``quizapp lint`` of it is a bench row and a memory test."""
    from quizapp.deckfile.sources import MAX_DECK_BYTES

    unit = "## Question {n}?\n\n- An answer with `code` and $x^2$ math, item {n}.\n- More.\n\n"
    parts, size, n = ["# At the limit\n\n"], 20, 0
    while size < MAX_DECK_BYTES - 200:
        piece = unit.format(n=n)
        parts.append(piece)
        size += len(piece)
        n += 1
    return "".join(parts), n


# -- the database --------------------------------------------------------------------

#: rating mix of real reviews (mostly Good, Again a fair share, Hard/Easy rare)
_RATINGS = ((1, 2, 3, 4), (15, 8, 70, 7))


def _spread(total: int, buckets: int, rng: random.Random) -> list[int]:
    """``total`` split over ``buckets`` with a long tail (some cards reviewed a lot)."""
    if buckets == 0:
        return []
    weights = [rng.expovariate(1.0) for _ in range(buckets)]
    scale = total / sum(weights)
    counts = [int(w * scale) for w in weights]
    for i in rng.sample(range(buckets), total - sum(counts)):
        counts[i] += 1
    return counts


def _fsrs_state(rng: random.Random, now: datetime, reviews: int) -> dict[str, Any]:
    """Plausible FSRS scheduling fields of a card reviewed ``reviews`` times, due ±60 days.

    The history ends a day before ``now``: the benchmarks start a fresh study day, so
    "reviews today" counts only what they add themselves.
    """
    cutoff = now - timedelta(days=1)
    # A mature collection: almost every reviewed card is in review; a few are (re)learning.
    state = rng.choices((1, 2, 3), (1, 97, 2))[0]
    if state == 2:
        stability = math.exp(rng.uniform(0.0, 5.5))  # 1 day to ~8 months
        interval = timedelta(days=max(1.0, stability * rng.uniform(0.8, 1.2)))
        latest = min(timedelta(days=60), cutoff + interval - now)
        due = now + rng.uniform(-1.0, 1.0) * timedelta(days=60)
        due = min(due, now + latest)
        step = None
    else:
        stability = rng.uniform(0.1, 3.0)
        interval = timedelta(minutes=rng.choice((1, 10)))
        due = cutoff - timedelta(minutes=rng.uniform(0, 2880)) + interval
        step = 0
    last = due - interval
    return {
        "state": state,
        "step": step,
        "stability": stability,
        "difficulty": rng.uniform(1.0, 10.0),
        "due": due,
        "last_review": last,
        "reviews": reviews,
        "lapses": min(reviews - 1, int(rng.expovariate(1.0))),
    }


def _review_rows(
    rng: random.Random, card_id: str, count: int, first: datetime, last: datetime
) -> Iterator[dict[str, Any]]:
    span = max(1.0, (last - first).total_seconds())
    times = sorted(first + timedelta(seconds=rng.random() * span) for _ in range(count - 1))
    times.append(last)
    for i, at in enumerate(times):
        yield {
            "card_id": card_id,
            "rating": rng.choices(*_RATINGS)[0],
            "reviewed_at": at,
            "duration_ms": int(rng.lognormvariate(9.2, 0.8)),
            "kind": "study",
            "auto": False,
            "scheduled": True,
            "introduced": i == 0,
            # answer, params, verdict and prev are left out: NULL, as for a plain review
            "retrievability": None if i == 0 else rng.uniform(0.6, 0.99),
        }


def add_history(
    db: Database, reviews: int, seed: int = 0, now: datetime | None = None, new_share: float = 0.2
) -> None:
    """Give the active cards of ``db`` FSRS states and ``reviews`` review-log rows.

    A ``new_share`` of the cards stays new; the others get states and due dates spread
    over ±60 days around ``now`` and a review history over the past two years.
    """
    from sqlalchemy import Table, bindparam, insert, select, update

    from quizapp.store.schema import Card, Review

    rng = random.Random(seed + 1)
    now = now or datetime.now(UTC)
    with db.session() as s:
        ids = list(s.scalars(select(Card.id).where(Card.retired.is_(False)).order_by(Card.id)))
    reviewed = [cid for cid in ids if rng.random() >= new_share]
    # Every reviewed card has at least one review; the rest follow a long tail.
    counts = [c + 1 for c in _spread(max(0, reviews - len(reviewed)), len(reviewed), rng)]
    start = now - timedelta(days=730)
    states: list[dict[str, Any]] = []
    batch: list[dict[str, Any]] = []
    # Core statements on the session's connection: one executemany per batch (the ORM's
    # bulk path would split batches by which values are None).
    reviews_t, cards_t = cast(Table, Review.__table__), cast(Table, Card.__table__)
    with db.session() as s:
        conn = s.connection()
        for cid, count in zip(reviewed, counts, strict=True):
            fields = _fsrs_state(rng, now, count)
            states.append({"b_id": cid, **fields})
            batch.extend(_review_rows(rng, cid, count, start, fields["last_review"]))
            if len(batch) >= 50_000:
                conn.execute(insert(reviews_t), batch)
                batch = []
        if batch:
            conn.execute(insert(reviews_t), batch)
        if states:
            conn.execute(
                update(cards_t)
                .where(cards_t.c.id == bindparam("b_id"))
                .values({k: bindparam(k) for k in states[0] if k != "b_id"}),
                states,
            )


#: the stored form of a quiz block (quizapp.store.convert.quiz_to_json)
_SYNTHETIC_QUIZ = {
    "model": "gru_params",
    "ask": "nn.GRU({m}, {n}) 有多少个参数？",
    "params": {"m": ["range", 8, 512], "n": ["range", 8, 512]},
    "tolerance": None,
}


def _synthetic_cards(count: int, rng: random.Random, now: datetime) -> Iterator[dict[str, Any]]:
    files = 50
    for i in range(count):
        t, u = rng.sample(_TERMS, 2)
        deck_no = i % files
        english, _ = _AREAS[deck_no % len(_AREAS)]
        kind = rng.choices(("basic", "cloze", "quiz"), (88, 7, 5))[0]
        front = rng.choice(_QUESTIONS).format(t=t, u=u) + f" (#{i})"
        back = _answer(rng)
        if kind == "cloze":
            back = f"{{{{c1::{t.capitalize()}}}}}: {back}"
        yield {
            "id": hashlib.sha1(f"card-{i}".encode()).hexdigest()[:16],
            "deck": f"{english} {deck_no}",
            "topic": [f"{t.capitalize()} — topic {i // 40}"],
            "front": front,
            "back": back,
            "kind": kind,
            "cloze": 1 if kind == "cloze" else None,
            "quiz": _SYNTHETIC_QUIZ if kind == "quiz" else None,
            "parent": None,
            "source": f"/bench/deck/deck-{deck_no:02d}.md",
            "line": 1 + (i // files) * 8,
            "ordinal": i // files,
            "content_hash": hashlib.sha256(front.encode()).hexdigest(),
            "retired": False,
            "retired_at": None,
            "created_at": now - timedelta(days=400),
            "updated_at": now - timedelta(days=400),
            "state": 0,
            "step": 0,
            "stability": None,
            "difficulty": None,
            "due": now - timedelta(days=400),
            "last_review": None,
            "reviews": 0,
            "lapses": 0,
            "buried_until": None,
        }


def generate_db(url: str, cards: int = 100_000, reviews: int = 1_000_000, seed: int = 0) -> None:
    """Build a database of ``cards`` cards and ``reviews`` review-log rows at ``url``.

    The database is created through :func:`quizapp.store.db.open_db`, so the real
    migrations make the schema; rows go in with SQLAlchemy Core bulk inserts. About 20 %
    of the cards are new; the others have FSRS states and due dates spread over ±60 days.
    """
    from sqlalchemy import Table, insert

    from quizapp.store.db import open_db
    from quizapp.store.schema import Card

    rng = random.Random(seed)
    now = datetime.now(UTC)
    cards_t = cast(Table, Card.__table__)
    db = open_db(url)
    try:
        with db.session() as s:
            conn = s.connection()
            batch: list[dict[str, Any]] = []
            for row in _synthetic_cards(cards, rng, now):
                batch.append(row)
                if len(batch) >= 20_000:
                    conn.execute(insert(cards_t), batch)
                    batch = []
            if batch:
                conn.execute(insert(cards_t), batch)
        add_history(db, reviews, seed, now)
        with db.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
    finally:
        db.close()


# -- the review history ----------------------------------------------------------------


def generate_history(path: Path, n: int = 12_500, seed: int = 0, cards: int = 1_200) -> Path:
    """Write a review history CSV like ``review-log-12580.csv``: ``n`` reviews.

    Columns ``card_id, review_rating, review_time, review_duration``. The reviews are
    simulated: each card is reviewed when FSRS (with slightly perturbed default
    parameters, so a fit has something to find) schedules it, a few hours late or early,
    and recalled with the probability the model predicts — so the history has the
    structure an optimizer learns from. Returns ``path``.
    """
    from fsrs import Card as FsrsCard
    from fsrs import Rating, Scheduler
    from fsrs.scheduler import (
        DEFAULT_PARAMETERS,
        LOWER_BOUNDS_PARAMETERS,
        UPPER_BOUNDS_PARAMETERS,
    )

    rng = random.Random(seed)
    params = [
        min(hi, max(lo, p * rng.uniform(0.85, 1.15)))
        for p, lo, hi in zip(
            DEFAULT_PARAMETERS, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True
        )
    ]
    truth = Scheduler(parameters=params, enable_fuzzing=False)
    start = datetime(2024, 3, 29, 20, 0, tzinfo=UTC)
    span = timedelta(days=190)
    # Cards are introduced over the first two thirds of the span.
    pending: list[tuple[datetime, int, FsrsCard]] = []
    for i in range(cards):
        intro = start + timedelta(seconds=rng.random() * span.total_seconds() * 0.66)
        cid = int(intro.timestamp() * 1000) + i
        pending.append((intro, cid, FsrsCard(card_id=cid)))
    rows: list[tuple[int, int, datetime, int]] = []
    while len(rows) < n:
        pending.sort(key=lambda item: item[0])
        at, cid, card = pending.pop(0)
        recall = 1.0 if card.last_review is None else truth.get_card_retrievability(card, at)
        if card.last_review is not None and rng.random() > recall:
            rating = Rating.Again
        else:
            rating = rng.choices((Rating.Hard, Rating.Good, Rating.Easy), (3, 90, 7))[0]
            if card.last_review is None and rng.random() < 0.3:
                rating = Rating.Again
        card, _ = truth.review_card(card, rating, at)
        rows.append((cid, int(rating), at, int(rng.lognormvariate(9.2, 0.9))))
        jitter = timedelta(hours=rng.uniform(-4, 12))
        pending.append((max(card.due + jitter, at + timedelta(seconds=30)), cid, card))
    rows.sort(key=lambda r: r[2])
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(("card_id", "review_rating", "review_time", "review_duration"))
        for cid, grade, at, ms in rows[:n]:
            out.writerow((cid, grade, at.isoformat(timespec="microseconds"), ms))
    return path


# -- the cache -------------------------------------------------------------------------


def cached(name: str, build: Callable[[Path], object], *, fresh: bool = False) -> Path:
    """``bench/out/NAME``, built by ``build(tmp_path)`` unless already there.

    The artefact is built under a temporary name and renamed when complete, so an
    interrupted run never leaves a half-built artefact that a later run would trust.
    """
    target = OUT / f"v{FORMAT}-{name}"
    if fresh and target.exists():
        _remove(target)
    if target.exists():
        return target
    OUT.mkdir(parents=True, exist_ok=True)
    tmp = OUT / f".tmp-{target.name}"
    if tmp.exists():
        _remove(tmp)
    for sidecar in (tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm")):
        sidecar.unlink(missing_ok=True)
    build(tmp)
    tmp.rename(target)
    return target


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink()


def deck_path(cards: int = 10_000, seed: int = 0, *, fresh: bool = False) -> Path:
    """The cached generated deck folder."""
    return cached(f"deck-{cards}-s{seed}", lambda p: generate_deck(p, cards, seed), fresh=fresh)


def db_path(
    cards: int = 100_000, reviews: int = 1_000_000, seed: int = 0, *, fresh: bool = False
) -> Path:
    """The cached generated database file."""
    return cached(
        f"db-{cards}-{reviews}-s{seed}.db",
        lambda p: generate_db(f"sqlite:///{p}", cards, reviews, seed),
        fresh=fresh,
    )


def history_path(n: int = 12_500, seed: int = 0, *, fresh: bool = False) -> Path:
    """The cached generated review history CSV."""
    return cached(f"history-{n}-s{seed}.csv", lambda p: generate_history(p, n, seed), fresh=fresh)


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    return path.stat().st_size


def main(argv: Sequence[str] | None = None) -> int:
    """Build (or reuse) the default artefacts and say what they are."""
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__)
    parser.add_argument("--fresh", action="store_true", help="rebuild even if cached")
    args = parser.parse_args(argv)
    builds: list[tuple[str, Callable[[], Path]]] = [
        ("10k deck", lambda: deck_path(fresh=args.fresh)),
        ("100k-card / 1M-review database", lambda: db_path(fresh=args.fresh)),
        ("12,500-review history", lambda: history_path(fresh=args.fresh)),
    ]
    for label, make in builds:
        t0 = time.perf_counter()
        path = make()
        took = time.perf_counter() - t0
        print(f"{label}: {path} ({_size(path) / 1e6:.1f} MB, {took:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""``import-reviews`` + ``optimize`` on the real 12,580-review history of ``../shared/data``.

Budget (DESIGN §6): the fit takes ≤ 1 s, and the fitted parameters' held-out log loss
is no worse than py-fsrs's Optimizer on the same 75/25 time split (0.4364 in
``shared/data/README.md``, where the default parameters score 0.4369).

The evaluation is ``quizapp.study.optimize``'s (see its module doc): every card replayed
through py-fsrs, scored on the newest 25 % of reviews that come a whole day or more after
the card's previous review. A row also compares its default-parameter figure with the
README's, so a difference in how the two evaluations are defined shows up here.

Without the data file (a clone without ``../shared``) every row says "skipped".
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import Row, median, repeats, seconds

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "review-log-12580.csv"
FIT_BUDGET_S = 1.0
#: py-fsrs Optimizer's held-out log loss on this split (shared/data/README.md)
PY_FSRS_LOG_LOSS = 0.4364
#: the default parameters' held-out log loss in the same README
README_DEFAULT_LOG_LOSS = 0.4369


def run(data: Path = DATA) -> list[Row]:
    """Import the history into a fresh database, then fit and evaluate several times."""
    if not data.is_file():
        print(f"bench_optimize: {data} not found; skipped", file=sys.stderr)
        return [
            Row(
                what="optimize on the real 12,580-review history",
                budget=f"fit ≤ {FIT_BUDGET_S:g} s, held-out log loss ≤ {PY_FSRS_LOG_LOSS}",
                measured=f"skipped: {data} not found",
                ok=None,
            )
        ]
    from quizapp.store.db import open_db
    from quizapp.study.optimize import run_optimize
    from quizapp.study.reviews_csv import import_reviews, read_reviews_csv

    with tempfile.TemporaryDirectory(prefix="quizapp-bench-") as tmp:
        db = open_db(f"sqlite:///{Path(tmp) / 'history.db'}")
        try:
            t0 = time.perf_counter()
            report = import_reviews(db, read_reviews_csv(data), source=str(data))
            imported = time.perf_counter() - t0
            results = [run_optimize(db, store=False) for _ in range(repeats(5, 2))]
        finally:
            db.close()
    result = results[-1]
    assert result.default is not None and result.fitted is not None
    fit = median([r.seconds for r in results])
    default, fitted = result.default, result.fitted
    split = f"{result.train} train / {result.test} test scored reviews"
    return [
        Row(
            what=f"import-reviews, {report.imported:,} reviews of {report.cards:,} cards",
            budget="—",
            measured=seconds(imported),
            ok=None,
        ),
        Row(
            what="fit FSRS-6 on the 12,580 real reviews (fsrs-rs, fit alone)",
            budget=f"≤ {FIT_BUDGET_S:g} s",
            measured=f"{seconds(fit)} median of {len(results)}",
            ok=fit <= FIT_BUDGET_S,
        ),
        Row(
            what=f"held-out log loss, fitted parameters ({split})",
            budget=f"≤ {PY_FSRS_LOG_LOSS} (py-fsrs Optimizer, README)",
            measured=f"{fitted.log_loss:.4f} (RMSE(bins) {fitted.rmse_bins:.4f})",
            ok=fitted.log_loss <= PY_FSRS_LOG_LOSS,
        ),
        Row(
            what="held-out log loss, default parameters (evaluation check)",
            budget=f"≈ {README_DEFAULT_LOG_LOSS} (README)",
            measured=f"{default.log_loss:.4f} (RMSE(bins) {default.rmse_bins:.4f})",
            ok=abs(default.log_loss - README_DEFAULT_LOG_LOSS) <= 0.001,
        ),
        Row(
            what="fitted parameters kept by optimize (better than defaults held out)",
            budget="—",
            measured="yes" if result.kept else "no: the defaults stay",
            ok=None,
        ),
    ]


if __name__ == "__main__":
    for row in run():
        mark = {True: "pass", False: "FAIL", None: "—"}[row["ok"]]
        print(f"{row['what']}: {row['measured']} (budget {row['budget']}): {mark}")

"""Grading latency and ``quizapp calc`` start-up.

Budgets:

- grade a computational answer after ≥ 2 s on the card: ≤ 150 ms (DESIGN §6). After
  2 s on a card the UI has pre-warmed torch (``warm_up()`` in a worker), so this is
  ``grade()`` after ``warm_up()``: compute the truth with the torch model, check the
  typed answer, build the derivation. Every catalog model is graded, with parameters
  drawn as a review draws them; the median over all runs and the slowest model's
  median are reported (both must be within budget).
- each model of LLM arithmetic graded alone (its median, drawn from real model
  families' sizes up to 70B): ≤ 150 ms; Llama-2-70B built on the meta device and
  counted: ≤ 1 s.
- ``quizapp calc gru_params m=256 n=512`` as a whole process: ≤ 1.5 × ``python -c
  "import torch"`` (median of several runs each, interleaved). DESIGN sets no number
  here; torch's import is the floor, and the rest of the CLI should add little to it.

    python -m bench.bench_grading [--runs N] [--processes N]
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass

from quizapp.deckfile.catalog import CATALOG
from quizapp.deckfile.types import ParamSpec, QuizSpec
from quizapp.grading.draw import draw_params
from quizapp.grading.grade import format_answer, grade
from quizapp.grading.models import compute, warm_up

GRADE_BUDGET_MS = 150.0
CALC_BUDGET = 1.5
RUNS = 50
PROCESSES = 5

_REALS = ("range", -1.0, 1.0)

#: parameter ranges per catalog model, like the bundled deck's
_RANGES: dict[str, dict[str, ParamSpec]] = {
    "gru_params": {
        "m": ("range", 8, 1024),
        "n": ("range", 8, 1024),
        "layers": ("range", 1, 4),
        "bidirectional": ("choices", 0, 1),
    },
    "lstm_params": {
        "m": ("range", 8, 1024),
        "n": ("range", 8, 1024),
        "layers": ("range", 1, 4),
    },
    "rnn_params": {"m": ("range", 8, 1024), "n": ("range", 8, 1024)},
    "conv_output": {
        "n": ("range", 8, 512),
        "f": ("choices", 1, 3, 5, 7),
        "p": ("range", 0, 3),
        "s": ("range", 1, 4),
        "d": ("range", 1, 2),
    },
    "conv_params": {
        "c_in": ("range", 1, 512),
        "c_out": ("range", 1, 512),
        "f": ("choices", 1, 3, 5, 7),
    },
    "textcnn_features": {
        "sizes": ("choices", "2,3,4", "3,4,5", "1,2,3,4,5"),
        "filters": ("range", 16, 256),
        "embed": ("range", 50, 768),
        "seq_len": ("range", 10, 200),
    },
    "lstm_step": dict.fromkeys(CATALOG["lstm_step"].param_names, _REALS),
    "mha_params": {
        "d": ("choices", 128, 256, 512, 768, 1024),
        "heads": ("choices", 1, 2, 4, 8, 16),
    },
    "encoder_layer_params": {
        "d": ("choices", 256, 512, 768, 1024),
        "heads": ("choices", 4, 8, 16),
        "ff": ("choices", 1024, 2048, 3072, 4096),
    },
    "embedding_params": {"vocab": ("range", 1000, 100_000), "dim": ("range", 16, 1024)},
    # LLM arithmetic, drawn like the bundled deck's: real model families' sizes, up to 70B
    "decoder_params": {
        "vocab": ("choices", 32_000, 50_257, 128_256),
        "d": ("choices", 2048, 4096, 5120, 8192),
        "layers": ("choices", 22, 32, 40, 80),
        "heads": ("choices", 32, 64),
        "kv_heads": ("choices", 0, 8),
        "ff": ("choices", 5632, 11_008, 14_336, 28_672),
        "ff_kind": ("choices", "gelu", "swiglu"),
        "norm": ("choices", "layernorm", "rmsnorm"),
        "bias": ("choices", 0, 1),
        "tied": ("choices", 0, 1),
    },
    "encoder_params": {
        "vocab": ("choices", 21_128, 30_522),
        "d": ("choices", 768, 1024),
        "layers": ("choices", 12, 24),
        "heads": ("choices", 12, 16),
        "ff": ("choices", 3072, 4096),
    },
    "kv_cache_bytes": {
        "batch": ("range", 1, 64),
        "seq": ("choices", 2048, 4096, 32_768, 131_072),
        "layers": ("choices", 32, 80),
        "kv_heads": ("choices", 8, 32),
        "head_dim": ("choices", 64, 128),
    },
    "attention_scores_bytes": {
        "batch": ("range", 1, 8),
        "heads": ("choices", 12, 32, 64),
        "seq": ("choices", 1024, 8192, 32_768),
    },
    "train_memory_bytes": {
        "params": ("choices", 125_000_000, 7_000_000_000, 70_000_000_000),
        "precision": ("choices", "fp32", "mixed"),
        "optimizer": ("choices", "adam", "sgd"),
    },
    "flops_per_token": {
        "params": ("choices", 7_000_000_000, 70_000_000_000),
        "layers": ("choices", 32, 80),
        "ctx": ("choices", 4096, 32_768),
        "d": ("choices", 4096, 8192),
    },
    "train_flops": {
        "params": ("choices", 7_000_000_000, 70_000_000_000),
        "tokens": ("choices", 10**12, 15 * 10**12),
    },
    "lora_params": {
        "d": ("choices", 4096, 8192),
        "layers": ("choices", 32, 80),
        "r": ("choices", 8, 64),
        "targets": ("choices", "q,v", "q,k,v,o,gate,up,down"),
        "heads": ("choices", 32, 64),
        "kv_heads": ("choices", 8),
        "ff": ("choices", 14_336, 28_672),
    },
    "layernorm_params": {"d": ("range", 64, 8192), "bias": ("choices", 0, 1)},
    "batchnorm_params": {"c": ("range", 16, 2048)},
    "pool_output": {
        "n": ("range", 8, 512),
        "f": ("choices", 2, 3),
        "s": ("choices", 0, 1, 2),
        "p": ("choices", 0, 1),
    },
    "receptive_field": {
        "layers": ("range", 1, 10),
        "f": ("choices", 3, 5, 7),
        "s": ("choices", 1, 2),
        "d": ("choices", 1, 2),
    },
}

#: the models of LLM arithmetic, each with its own row
LLM_MODELS = (
    "decoder_params",
    "encoder_params",
    "kv_cache_bytes",
    "attention_scores_bytes",
    "train_memory_bytes",
    "flops_per_token",
    "train_flops",
    "lora_params",
    "layernorm_params",
    "batchnorm_params",
    "pool_output",
    "receptive_field",
)
#: Llama-2-70B's config
LLAMA_70B: dict[str, object] = {
    "vocab": 32_000,
    "d": 8192,
    "layers": 80,
    "heads": 64,
    "kv_heads": 8,
    "ff": 28_672,
    "ff_kind": "swiglu",
    "norm": "rmsnorm",
    "bias": 0,
    "tied": 0,
}
COUNT_70B_BUDGET_S = 1.0

#: one quiz per catalog model
QUIZZES = tuple(QuizSpec(model=m, ask="?", params=p) for m, p in _RANGES.items())


@dataclass(frozen=True)
class GradeTimes:
    """``grade()`` latencies in milliseconds."""

    median_ms: float
    slowest_model: str
    slowest_median_ms: float
    max_ms: float
    #: each model's median
    per_model_ms: dict[str, float]


def measure_grade(runs: int = RUNS) -> GradeTimes:
    """Median ``grade()`` time over every model, and the slowest model's median."""
    warm_up()
    rng = random.Random(0)
    per_model: dict[str, list[float]] = {}
    for _ in range(runs):
        for quiz in QUIZZES:
            params = draw_params(quiz, rng)
            # a plausible typed answer: the right one, written out as a user would
            typed = format_answer(compute(quiz.model, params))
            start = time.perf_counter()
            result = grade(quiz, params, typed)
            per_model.setdefault(quiz.model, []).append((time.perf_counter() - start) * 1000)
            if result.verdict.status != "correct":
                raise AssertionError(f"{quiz.model} {params}: {result.verdict.message}")
    medians = {model: statistics.median(times) for model, times in per_model.items()}
    slowest = max(medians, key=medians.__getitem__)
    every = [t for times in per_model.values() for t in times]
    return GradeTimes(statistics.median(every), slowest, medians[slowest], max(every), medians)


def measure_70b(runs: int = 5) -> float:
    """Median seconds to build Llama-2-70B on the meta device and count it (warm)."""
    warm_up()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        count = compute("decoder_params", LLAMA_70B)
        times.append(time.perf_counter() - start)
        if count != 68_976_648_192:
            raise AssertionError(f"Llama-2-70B counted {count:,}")
    return statistics.median(times)


def _wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, capture_output=True, check=True)
    return time.perf_counter() - start


def measure_calc(processes: int = PROCESSES) -> dict[str, float]:
    """Median whole-process seconds of ``quizapp calc`` and of ``import torch``."""
    calc = [sys.executable, "-m", "quizapp", "calc", "gru_params", "m=256", "n=512"]
    torch_only = [sys.executable, "-c", "import torch"]
    # one untimed round each: the page cache holds torch's shared libraries afterwards
    _wall(calc)
    _wall(torch_only)
    calcs, torches = [], []
    for _ in range(processes):
        calcs.append(_wall(calc))
        torches.append(_wall(torch_only))
    calc_s, torch_s = statistics.median(calcs), statistics.median(torches)
    return {"calc_s": calc_s, "torch_s": torch_s, "ratio": calc_s / torch_s}


def run(runs: int = RUNS, processes: int = PROCESSES) -> list[dict[str, object]]:
    """Rows for the bench runner: what, budget, measured, ok."""
    g = measure_grade(runs)
    c = measure_calc(processes)
    seventy = measure_70b()
    llm_rows: list[dict[str, object]] = [
        {
            "what": f"grade {model}, median",
            "budget": f"≤ {GRADE_BUDGET_MS:.0f} ms",
            "measured": f"{g.per_model_ms[model]:.2f} ms",
            "ok": g.per_model_ms[model] <= GRADE_BUDGET_MS,
        }
        for model in LLM_MODELS
    ]
    llm_rows.append(
        {
            "what": "count Llama-2-70B (68,976,648,192) on the meta device, median",
            "budget": f"≤ {COUNT_70B_BUDGET_S:.0f} s",
            "measured": f"{seventy * 1000:.0f} ms",
            "ok": seventy <= COUNT_70B_BUDGET_S,
        }
    )
    return [
        {
            "what": "grade a computational answer, torch pre-warmed (median, all models)",
            "budget": f"≤ {GRADE_BUDGET_MS:.0f} ms",
            "measured": f"{g.median_ms:.2f} ms",
            "ok": g.median_ms <= GRADE_BUDGET_MS,
        },
        {
            "what": f"grade, slowest model ({g.slowest_model}), median; worst single "
            f"{g.max_ms:.1f} ms",
            "budget": f"≤ {GRADE_BUDGET_MS:.0f} ms",
            "measured": f"{g.slowest_median_ms:.2f} ms",
            "ok": g.slowest_median_ms <= GRADE_BUDGET_MS,
        },
        {
            "what": (
                f"quizapp calc gru_params m=256 n=512: {c['calc_s']:.2f} s vs "
                f'python -c "import torch" {c["torch_s"]:.2f} s'
            ),
            "budget": f"≤ {CALC_BUDGET} ×",
            "measured": f"{c['ratio']:.2f} ×",
            "ok": c["ratio"] <= CALC_BUDGET,
        },
        *llm_rows,
    ]


def main() -> None:
    """Print the measurements as a small table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS, help="grades per model")
    parser.add_argument("--processes", type=int, default=PROCESSES, help="process launches")
    args = parser.parse_args()
    rows = run(args.runs, args.processes)
    width = max(len(str(r["what"])) for r in rows)
    print(f"{'what':<{width}}  {'budget':>9}  {'measured':>9}  ok")
    for r in rows:
        print(
            f"{r['what']!s:<{width}}  {r['budget']!s:>9}  {r['measured']!s:>9}  "
            f"{'yes' if r['ok'] else 'NO'}"
        )


if __name__ == "__main__":
    main()

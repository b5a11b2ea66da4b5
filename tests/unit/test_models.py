"""Reference models: golden values, torch against the closed forms, derivations."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from llm_strategies import LLM_STRATEGIES

from quizapp.deckfile.catalog import CATALOG
from quizapp.deckfile.rules import ParamError, resolve_params
from quizapp.deckfile.units import with_unit
from quizapp.grading.models import compute, derivation, formula, warm_up

PROPERTY = settings(
    max_examples=50,
    deadline=None,  # the first meta-device convolution loads torch's shape rules
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.fixture(scope="module", autouse=True)
def _torch_loaded() -> None:
    warm_up()


# --- golden values ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "params", "answer"),
    [
        # the seed note's question: nn.GRU(256, 512) with two bias vectors per gate
        ("gru_params", {"m": 256, "n": 512}, 1_182_720),
        ("gru_params", {"m": 256, "n": 512, "bias": 0}, 3 * (512 * 256 + 512 * 512)),
        ("gru_params", {"m": 64, "n": 32}, 3 * (64 * 32 + 32 * 32 + 2 * 32)),
        ("lstm_params", {"m": 256, "n": 512}, 4 * (512 * 256 + 512 * 512 + 2 * 512)),
        ("lstm_params", {"m": 10, "n": 20, "layers": 2}, 2_560 + 3_360),
        ("lstm_params", {"m": 10, "n": 20, "bidirectional": 1}, 2 * 2_560),
        ("rnn_params", {"m": 10, "n": 20}, 10 * 20 + 20 * 20 + 2 * 20),
        ("conv_output", {"n": 32, "f": 5, "p": 2, "s": 1}, 32),
        ("conv_output", {"n": 227, "f": 11, "s": 4}, 55),  # AlexNet's first layer
        ("conv_output", {"n": 7, "f": 3, "s": 2, "d": 2}, 2),
        ("conv_output", {"n": 5, "f": 5}, 1),
        ("conv_params", {"c_in": 3, "c_out": 64, "f": 3}, 1_792),
        ("conv_params", {"c_in": 3, "c_out": 64, "f": 3, "bias": 0}, 1_728),
        ("textcnn_features", {"sizes": "2,3,4", "filters": 100, "embed": 300, "seq_len": 20}, 300),
        ("textcnn_features", {"sizes": "3", "filters": 7, "embed": 5, "seq_len": 3}, 7),
        ("mha_params", {"d": 512, "heads": 8}, 1_050_624),
        ("mha_params", {"d": 512, "heads": 8, "bias": 0}, 1_048_576),
        ("encoder_layer_params", {"d": 512, "heads": 8, "ff": 2048}, 3_152_384),
        ("embedding_params", {"vocab": 30_522, "dim": 768}, 23_440_896),  # BERT's vocabulary
    ],
)
def test_golden_values(model: str, params: dict[str, object], answer: int) -> None:
    assert compute(model, params) == answer


def test_big_modules_cost_nothing_on_the_meta_device() -> None:
    # 4 layers of 4096 → about 400 M parameters, 1.6 GB if it were allocated
    assert compute("gru_params", {"m": 4096, "n": 4096, "layers": 4}) == 4 * 3 * (
        4096 * 4096 + 4096 * 4096 + 2 * 4096
    )


def _hand_lstm_step(x: float, h: float, c: float, w: dict[str, float]) -> tuple[float, float]:
    def sigmoid(v: float) -> float:
        return 1 / (1 + math.exp(-v))

    i = sigmoid(w["wi"] * x + w["ui"] * h + w["bi"])
    f = sigmoid(w["wf"] * x + w["uf"] * h + w["bf"])
    g = math.tanh(w["wg"] * x + w["ug"] * h + w["bg"])
    o = sigmoid(w["wo"] * x + w["uo"] * h + w["bo"])
    c_next = f * c + i * g
    return c_next, o * math.tanh(c_next)


def test_lstm_step_matches_a_hand_computed_cell() -> None:
    weights = {
        "wi": 0.5,
        "wf": -0.3,
        "wg": 1.0,
        "wo": 0.2,
        "ui": 0.1,
        "uf": 0.2,
        "ug": -0.4,
        "uo": 0.3,
        "bi": 0.0,
        "bf": 1.0,
        "bg": 0.0,
        "bo": -0.1,
    }
    answer = compute("lstm_step", {"x": 1.0, "h": 0.5, "c": 0.2, **weights})
    c, h = _hand_lstm_step(1.0, 0.5, 0.2, weights)
    assert isinstance(answer, dict)
    assert list(answer) == ["c", "h"]
    assert answer["c"] == pytest.approx(c, abs=1e-12)
    assert answer["h"] == pytest.approx(h, abs=1e-12)
    # i = σ(0.55) = 0.6341, f = σ(0.8) = 0.6900, g = tanh(0.8) = 0.6640, o = σ(0.25) = 0.5622
    assert round(answer["c"], 4) == 0.5591
    assert round(answer["h"], 4) == 0.2852


def test_lstm_step_uses_the_b_weights_as_whole_gate_biases() -> None:
    zeros = dict.fromkeys(("wi", "wf", "wg", "wo", "ui", "uf", "ug", "uo"), 0.0)
    # with every weight 0 the gates see only their bias: g = tanh(bg) counted once, not twice
    answer = compute(
        "lstm_step",
        {"x": 0.0, "h": 0.0, "c": 0.0, **zeros, "bi": 0.0, "bf": 0.0, "bg": 1.0, "bo": 0.0},
    )
    assert isinstance(answer, dict)
    assert answer["c"] == pytest.approx(0.5 * math.tanh(1.0), abs=1e-12)


# --- torch against the closed forms ------------------------------------------------------

sizes = st.integers(1, 2048)
flags = st.integers(0, 1)


def _conv_params() -> st.SearchStrategy[dict[str, int]]:
    def valid(p: dict[str, int]) -> bool:
        return p["n"] + 2 * p["p"] >= p["d"] * (p["f"] - 1) + 1

    return st.fixed_dictionaries(
        {
            "n": st.integers(1, 4096),
            "f": st.integers(1, 15),
            "p": st.integers(0, 10),
            "s": st.integers(1, 8),
            "d": st.integers(1, 5),
        }
    ).filter(valid)


def _textcnn_params() -> st.SearchStrategy[dict[str, object]]:
    return st.lists(st.integers(1, 10), min_size=1, max_size=6).flatmap(
        lambda ks: st.fixed_dictionaries(
            {
                "sizes": st.just(",".join(map(str, ks))),
                "filters": st.integers(1, 512),
                "embed": st.integers(1, 1024),
                "seq_len": st.integers(max(ks), 200),
            }
        )
    )


def _heads_params(extra: dict[str, st.SearchStrategy[int]]) -> st.SearchStrategy[dict[str, object]]:
    return st.tuples(st.integers(1, 16), st.integers(1, 128)).flatmap(
        lambda hw: st.fixed_dictionaries(
            {"d": st.just(hw[0] * hw[1]), "heads": st.just(hw[0]), **extra}
        )
    )


_reals = st.floats(-3, 3, allow_nan=False)

STRATEGIES: dict[str, st.SearchStrategy[Mapping[str, object]]] = {
    **{
        model: st.fixed_dictionaries(
            {
                "m": sizes,
                "n": sizes,
                "layers": st.integers(1, 4),
                "bidirectional": flags,
                "bias": flags,
            }
        )
        for model in ("gru_params", "lstm_params", "rnn_params")
    },
    "conv_output": _conv_params(),
    "conv_params": st.fixed_dictionaries(
        {
            "c_in": st.integers(1, 512),
            "c_out": st.integers(1, 512),
            "f": st.integers(1, 11),
            "bias": flags,
        }
    ),
    "textcnn_features": _textcnn_params(),
    "lstm_step": st.fixed_dictionaries(dict.fromkeys(CATALOG["lstm_step"].param_names, _reals)),
    "mha_params": _heads_params({"bias": flags}),
    "encoder_layer_params": _heads_params({"ff": st.integers(1, 4096)}),
    "embedding_params": st.fixed_dictionaries(
        {"vocab": st.integers(1, 100_000), "dim": st.integers(1, 4096)}
    ),
    **LLM_STRATEGIES,
}


def test_every_catalog_model_has_a_property_test() -> None:
    assert set(STRATEGIES) == set(CATALOG)


@pytest.mark.parametrize("model", sorted(CATALOG))
def test_torch_agrees_with_the_closed_form(model: str) -> None:
    @PROPERTY
    @given(STRATEGIES[model])
    def check(params: Mapping[str, object]) -> None:
        truth = compute(model, params)
        closed = formula(model, params)
        if isinstance(truth, dict):
            assert isinstance(closed, dict)
            assert truth.keys() == closed.keys()
            for part in truth:
                assert truth[part] == pytest.approx(closed[part], abs=1e-9)
        else:
            assert isinstance(truth, int)
            assert truth == closed

    check()


# --- derivations ------------------------------------------------------------------------


def test_gru_derivation_shows_the_numbers_and_the_single_bias_variant() -> None:
    text = derivation("gru_params", {"m": 256, "n": 512})
    assert "3·(n·m + n·n + 2n) = 3·(512·256 + 512·512 + 2·512) = 1,182,720" in text
    assert "3·(n·m + n·n + n)" in text
    assert "1,181,184" in text  # the single-bias count, for comparison


def test_stacked_bidirectional_derivation_adds_up_to_the_answer() -> None:
    params = {"m": 256, "n": 512, "layers": 4, "bidirectional": 1}
    text = derivation("gru_params", params)
    assert "layers 2–4 (input 2n)" in text
    assert f"= {compute('gru_params', params):,}" in text


def test_lstm_derivation_counts_four_gates() -> None:
    text = derivation("lstm_params", {"m": 10, "n": 20})
    assert text.startswith("4·(n·m + n·n + 2n) = 4·(20·10 + 20·20 + 2·20) = 2,560")
    assert "i, f, g, o" in text


def test_conv_derivation_uses_the_dilated_formula() -> None:
    text = derivation("conv_output", {"n": 32, "f": 5, "p": 2, "s": 1})
    assert text.splitlines()[0] == (
        "⌊(n + 2p − d·(f−1) − 1)/s⌋ + 1 = ⌊(32 + 2·2 − 1·(5−1) − 1)/1⌋ + 1 = ⌊31/1⌋ + 1 = 32"
    )
    assert "(n + 2p − f)/s" in text  # the dilation-1 special case is named
    assert "familiar" not in derivation("conv_output", {"n": 7, "f": 3, "s": 2, "d": 2})


def test_lstm_step_derivation_shows_each_gate() -> None:
    weights = dict.fromkeys(("wi", "wf", "wg", "wo"), 0.5)
    zeros = dict.fromkeys(("ui", "uf", "ug", "uo", "bi", "bf", "bg", "bo"), 0.0)
    text = derivation("lstm_step", {"x": 1.0, "h": 0.0, "c": -0.5, **weights, **zeros})
    lines = text.splitlines()
    assert lines[0] == "i = σ(wi·x + ui·h + bi) = σ(0.5·1 + 0·0 + 0) = σ(0.5000) = 0.6225"
    assert lines[2].startswith("g = tanh(")
    assert "f·c + i·g = 0.6225·(−0.5) + 0.6225·0.4621" in lines[4]
    assert "bias_hh = 0" in text


EXAMPLES: dict[str, dict[str, object]] = {
    "gru_params": {"m": 300, "n": 128, "layers": 3, "bidirectional": 1, "bias": 1},
    "lstm_params": {"m": 64, "n": 32, "layers": 2, "bidirectional": 0, "bias": 1},
    "rnn_params": {"m": 5, "n": 7, "layers": 2, "bidirectional": 1, "bias": 0},
    "conv_output": {"n": 28, "f": 3, "p": 1, "s": 2, "d": 1},
    "conv_params": {"c_in": 64, "c_out": 128, "f": 3, "bias": 1},
    "textcnn_features": {"sizes": "3,4,5", "filters": 128, "embed": 300, "seq_len": 40},
    "lstm_step": {
        "x": 0.8,
        "h": -0.4,
        "c": 0.3,
        "wi": 0.7,
        "wf": -0.2,
        "wg": 1.1,
        "wo": 0.4,
        "ui": -0.5,
        "uf": 0.6,
        "ug": 0.3,
        "uo": -0.9,
        "bi": 0.1,
        "bf": 0.5,
        "bg": -0.2,
        "bo": 0.0,
    },
    "mha_params": {"d": 768, "heads": 12, "bias": 1},
    "encoder_layer_params": {"d": 768, "heads": 12, "ff": 3072},
    "embedding_params": {"vocab": 50_257, "dim": 768},
    "decoder_params": {
        "vocab": 32_000,
        "d": 4096,
        "layers": 32,
        "heads": 32,
        "kv_heads": 8,
        "ff": 14_336,
        "ff_kind": "swiglu",
        "norm": "rmsnorm",
        "bias": 0,
        "tied": 0,
    },
    "encoder_params": {"vocab": 30_522, "d": 768, "layers": 12, "heads": 12, "ff": 3072},
    "kv_cache_bytes": {"batch": 8, "seq": 4096, "layers": 32, "kv_heads": 8, "head_dim": 128},
    "attention_scores_bytes": {"batch": 4, "heads": 32, "seq": 8192},
    "train_memory_bytes": {"params": 7_000_000_000, "precision": "fp32", "optimizer": "sgd"},
    "flops_per_token": {"params": 7_000_000_000, "layers": 32, "ctx": 4096, "d": 4096},
    "train_flops": {"params": 70_000_000_000, "tokens": 1_400_000_000_000},
    "lora_params": {
        "d": 4096,
        "layers": 32,
        "r": 16,
        "targets": "q,k,v,o",
        "heads": 32,
        "kv_heads": 8,
    },
    "layernorm_params": {"d": 768, "bias": 0},
    "batchnorm_params": {"c": 64},
    "pool_output": {"n": 112, "f": 3, "s": 2, "p": 1, "ceil": 1},
    "receptive_field": {"layers": 5, "f": 3, "s": 2, "d": 1},
}


@pytest.mark.parametrize("model", sorted(CATALOG))
def test_every_derivation_ends_in_the_answer(model: str) -> None:
    truth = compute(model, EXAMPLES[model])
    text = derivation(model, EXAMPLES[model])
    if isinstance(truth, dict):
        assert text.splitlines()[-3].endswith(f"= {truth['c']:.4f}".replace("-", "−"))
        assert text.splitlines()[-2].endswith(f"= {truth['h']:.4f}".replace("-", "−"))
    else:
        shown = (f"= {truth:,}", f"= {with_unit(truth, CATALOG[model].unit)}")
        assert any(line.endswith(shown) for line in text.splitlines())


# --- refusing nonsense -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "params", "message"),
    [
        ("gru", {"m": 1, "n": 1}, "did you mean gru_params"),
        ("gru_params", {"m": 1}, "needs n"),
        ("gru_params", {"m": 1, "n": 1, "x": 3}, "no parameter 'x'"),
        ("gru_params", {"m": 0, "n": 1}, "m must be between 1"),
        ("gru_params", {"m": 1, "n": 1, "bidirectional": 2}, "0 or 1"),
        ("conv_output", {"n": 4, "f": 9}, "larger than the padded input"),
        ("conv_output", {"n": 5, "f": 3, "d": 3}, "larger than the padded input"),
        ("mha_params", {"d": 10, "heads": 3}, "must divide"),
        ("textcnn_features", {"sizes": "2,5", "filters": 1, "embed": 1, "seq_len": 4}, "shorter"),
        ("textcnn_features", {"sizes": "2,,3", "filters": 1, "embed": 1, "seq_len": 4}, "sizes"),
        ("conv_params", {"c_in": 10**6, "c_out": 10**6, "f": 10**6}, "more elements"),
        ("embedding_params", {"vocab": "many", "dim": 3}, "whole number"),
    ],
)
def test_nonsense_parameters_get_a_clear_message(
    model: str, params: dict[str, object], message: str
) -> None:
    with pytest.raises(ParamError, match=message):
        compute(model, params)


def test_parameters_are_coerced_per_the_catalog() -> None:
    resolved = resolve_params(
        "textcnn_features", {"sizes": " 2, 3 ,4", "filters": "100", "embed": 300.0, "seq_len": 9}
    )
    assert resolved == {"sizes": "2,3,4", "filters": 100, "embed": 300, "seq_len": 9}
    assert resolve_params("gru_params", {"m": 8, "n": 8, "bias": True})["bias"] == 1

"""Drawing parameters for a computational card."""

from __future__ import annotations

import random

import pytest

from quizapp.deckfile.types import ParamSpec, QuizSpec
from quizapp.grading.draw import MAX_TRIES, DrawError, draw_params


def quiz(model: str, **params: ParamSpec) -> QuizSpec:
    return QuizSpec(model=model, ask="?", params=params)


def test_ranges_choices_and_fixed_values_with_defaults_filled_in() -> None:
    q = quiz("gru_params", m=("range", 8, 16), n=("choices", 32, 64), layers=("fixed", 2))
    for seed in range(50):
        p = draw_params(q, random.Random(seed))
        assert list(p) == ["m", "n", "layers", "bidirectional", "bias"]
        assert isinstance(p["m"], int)
        assert 8 <= p["m"] <= 16
        assert p["n"] in (32, 64)
        assert p["layers"] == 2
        assert (p["bidirectional"], p["bias"]) == (0, 1)


def test_range_ends_are_both_drawn() -> None:
    q = quiz("embedding_params", vocab=("range", 1, 3), dim=("fixed", 4))
    seen = {draw_params(q, random.Random(seed))["vocab"] for seed in range(100)}
    assert seen == {1, 2, 3}


def test_same_seed_same_question() -> None:
    q = quiz(
        "conv_output",
        n=("range", 8, 64),
        f=("choices", 1, 3, 5),
        p=("range", 0, 2),
        s=("range", 1, 2),
    )
    first = [draw_params(q, random.Random(7)) for _ in range(3)]
    assert first[0] == first[1] == first[2]
    assert len({str(draw_params(q, random.Random(s))) for s in range(20)}) > 1


def test_real_parameters_draw_reals_rounded_to_two_decimals() -> None:
    names = ("x", "h", "c", "wi", "wf", "wg", "wo", "ui", "uf", "ug", "uo", "bi", "bf", "bg", "bo")
    q = quiz("lstm_step", **dict.fromkeys(names, ("range", -1, 1)))
    values = [v for seed in range(20) for v in draw_params(q, random.Random(seed)).values()]
    reals = [v for v in values if isinstance(v, float)]
    assert len(reals) == len(values)
    assert all(-1 <= v <= 1 and round(v, 2) == v for v in reals)
    assert len(set(reals)) > 20  # not just -1, 0 and 1


def test_float_bounds_stay_inside_the_range() -> None:
    names = ("h", "c", "wi", "wf", "wg", "wo", "ui", "uf", "ug", "uo", "bi", "bf", "bg", "bo")
    q = quiz("lstm_step", x=("range", 1.1, 1.13), **dict.fromkeys(names, ("fixed", 0.0)))
    drawn = {draw_params(q, random.Random(seed))["x"] for seed in range(60)}
    assert drawn == {1.1, 1.11, 1.12, 1.13}


def test_heads_that_do_not_divide_d_are_redrawn() -> None:
    q = quiz("mha_params", d=("range", 60, 70), heads=("range", 2, 8))
    for seed in range(30):
        p = draw_params(q, random.Random(seed))
        assert p["d"] % p["heads"] == 0  # type: ignore[operator]


def test_empty_convolution_outputs_are_redrawn() -> None:
    q = quiz("conv_output", n=("range", 1, 12), f=("range", 1, 7), d=("range", 1, 3))
    for seed in range(30):
        p = draw_params(q, random.Random(seed))
        n, f, d = p["n"], p["f"], p["d"]
        assert n >= d * (f - 1) + 1  # type: ignore[operator]


def test_sentences_shorter_than_a_filter_are_redrawn() -> None:
    q = quiz(
        "textcnn_features",
        sizes=("choices", "2,3,4", "3,4,5"),
        filters=("range", 1, 128),
        embed=("fixed", 300),
        seq_len=("range", 2, 6),
    )
    for seed in range(30):
        p = draw_params(q, random.Random(seed))
        sizes = [int(s) for s in str(p["sizes"]).split(",")]
        assert p["seq_len"] >= max(sizes)  # type: ignore[operator]


def test_impossible_ranges_give_up_with_a_clear_message() -> None:
    q = quiz("mha_params", d=("range", 7, 7), heads=("range", 2, 6))
    with pytest.raises(
        DrawError, match=rf"no sensible parameters in {MAX_TRIES} draws.*must divide"
    ):
        draw_params(q, random.Random(0))


def test_fixed_nonsense_fails_at_once() -> None:
    q = quiz("conv_output", n=("fixed", 4), f=("fixed", 9))
    with pytest.raises(DrawError, match="larger than the padded input"):
        draw_params(q, random.Random(0))


@pytest.mark.parametrize(
    ("q", "message"),
    [
        (quiz("gru", m=("fixed", 1)), "unknown model 'gru'"),
        (quiz("gru_params", m=("fixed", 8)), "needs n"),
        (quiz("gru_params", m=("fixed", 8), n=("fixed", 8), k=("fixed", 1)), "no parameter 'k'"),
        (quiz("embedding_params", vocab=("range", 9, 3), dim=("fixed", 2)), "is empty"),
        (quiz("embedding_params", vocab=("range", 1.2, 1.8), dim=("fixed", 2)), "no whole"),
        (quiz("embedding_params", vocab=("range", "a", 3), dim=("fixed", 2)), "must be numbers"),
        (quiz("embedding_params", vocab=("choices",), dim=("fixed", 2)), "unreadable"),
        (
            quiz(
                "textcnn_features",
                sizes=("range", 1, 3),
                filters=("fixed", 1),
                embed=("fixed", 1),
                seq_len=("fixed", 5),
            ),
            "not a range",
        ),
    ],
)
def test_malformed_specs_are_reported(q: QuizSpec, message: str) -> None:
    with pytest.raises(DrawError, match=message):
        draw_params(q, random.Random(0))

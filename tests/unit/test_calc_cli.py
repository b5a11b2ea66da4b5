"""``quizapp calc``: the command a user runs, in a real process."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def calc(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "quizapp", "calc", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_plain_output_is_the_answer_then_the_derivation() -> None:
    result = calc("gru_params", "m=256", "n=512")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "1,182,720 (1.18M)"
    assert "3·(n·m + n·n + 2n) = 3·(512·256 + 512·512 + 2·512) = 1,182,720" in lines[1]
    assert result.stderr == ""


def test_json_is_one_document_with_every_parameter() -> None:
    result = calc("gru_params", "m=256", "n=512", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "model": "gru_params",
        "params": {"m": 256, "n": 512, "layers": 1, "bidirectional": 0, "bias": 1},
        "answer": 1_182_720,
    }


def test_json_of_a_two_part_answer() -> None:
    weights = [f"{w}=0.5" for w in ("wi", "wf", "wg", "wo")]
    zeros = [f"{w}=0" for w in ("ui", "uf", "ug", "uo", "bi", "bf", "bg", "bo")]
    result = calc("lstm_step", "x=1", "h=0", "c=0", *weights, *zeros, "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["params"]["x"] == 1.0
    # i = f = o = σ(0.5), g = tanh(0.5); c = i·g, h = o·tanh(c)
    assert doc["answer"] == {
        "c": pytest.approx(0.2876491, abs=1e-6),
        "h": pytest.approx(0.1742697, abs=1e-6),
    }


def test_other_models_and_value_kinds() -> None:
    conv = calc("conv_output", "n=32", "f=5", "p=2", "s=1")
    assert conv.stdout.splitlines()[0] == "32"
    textcnn = calc(
        "textcnn_features", "sizes=2,3,4", "filters=100", "embed=300", "seq_len=20", "--json"
    )
    assert json.loads(textcnn.stdout)["answer"] == 300
    assert json.loads(textcnn.stdout)["params"]["sizes"] == "2,3,4"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("gru", "m=1", "n=2"), "unknown model 'gru'; did you mean gru_params?"),
        (("gru_prams", "m=1", "n=2"), "did you mean gru_params?"),
        (("gru_params", "m=256"), "gru_params needs n (hidden_size)"),
        (("gru_params", "m=1", "n=2", "k=3"), "gru_params has no parameter 'k'"),
        (("gru_params", "m=abc", "n=2"), "m must be a whole number"),
        (("gru_params", "m", "n=2"), "expected k=v"),
        (("gru_params", "m=1", "m=2", "n=2"), "m is given twice"),
        (("mha_params", "d=10", "heads=3"), "heads=3 must divide d=10"),
        (("conv_output", "n=4", "f=9"), "larger than the padded input"),
        ((), "name a model"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(args: tuple[str, ...], message: str) -> None:
    result = calc(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_list_shows_every_model_with_parameters_and_defaults() -> None:
    result = calc("--list")
    assert result.returncode == 0, result.stderr
    assert "gru_params  parameter count of nn.GRU(m, n, ...)" in result.stdout
    assert "layers=1" in result.stdout
    assert "embedding_params" in result.stdout


def test_list_json() -> None:
    result = calc("--list", "--json")
    models = json.loads(result.stdout)
    assert [m["model"] for m in models][:3] == ["gru_params", "lstm_params", "rnn_params"]
    gru = models[0]
    assert gru["params"][0] == {
        "name": "m",
        "kind": "int",
        "required": True,
        "default": None,
        "help": "input_size",
        "choices": [],
    }
    assert gru["params"][2]["default"] == 1
    step = next(m for m in models if m["model"] == "lstm_step")
    assert step["parts"] == ["c", "h"]


def test_help_has_examples() -> None:
    result = calc("--help")
    assert result.returncode == 0
    assert "quizapp calc gru_params m=256 n=512" in result.stdout
